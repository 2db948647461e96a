/**
 * The one timeline every model view shares: play, pause, step back/forward, speed, and a
 * scrubber over the trace's events showing `t=…ms`. It only moves a cursor (how many events
 * are applied) and reports it; what is drawn for a cursor is the view's business.
 */
import { formatTime } from './format';

export interface TimelineOptions {
  /** Called whenever the cursor changes (from controls, playback or setCursor). */
  onCursor(cursor: number): void;
  /** Accessible name of the group, e.g. "Workqueue timeline". */
  label?: string;
}

export interface Timeline {
  /** New trace: `times[i]` is the virtual time of event i. The cursor goes to `cursor` (default: the end). */
  setTrace(times: readonly number[], cursor?: number): void;
  setCursor(cursor: number): void;
  /** Marks events on the scrubber (e.g. a broken safety property): `index` is the cursor after the event. */
  setMarks(marks: ReadonlyArray<{ index: number; label: string }>): void;
  readonly cursor: number;
  readonly length: number;
  readonly playing: boolean;
  play(): void;
  pause(): void;
  destroy(): void;
}

export const SPEEDS = [0.5, 1, 2, 4] as const;
/** Events per second at 1x. */
const BASE_RATE = 8;

const ICONS: Record<string, string> = {
  start: 'M6 5h2v14H6zM20 5v14L9 12z',
  back: 'M18 5v14L7 12zM5 5h2v14H5z',
  play: 'M7 4v16l13-8z',
  pause: 'M6 4h4v16H6zM14 4h4v16h-4z',
  fwd: 'M6 5v14l11-7zM17 5h2v14h-2z',
  end: 'M4 5v14l11-7zM16 5h2v14h-2z',
};

const icon = (name: string) =>
  `<svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false"><path d="${ICONS[name]}"/></svg>`;

let uid = 0;

export function createTimeline(root: HTMLElement, opts: TimelineOptions): Timeline {
  const id = `kl-tl-${++uid}`;
  root.classList.add('kl-tl');
  root.setAttribute('role', 'group');
  root.setAttribute('aria-label', opts.label ?? 'Timeline');
  root.innerHTML = `
    <div class="kl-tl-buttons">
      <button type="button" class="kl-tl-btn" data-tl="start" aria-label="Go to the first event" title="First event (Home)">${icon('start')}</button>
      <button type="button" class="kl-tl-btn" data-tl="back" aria-label="Step back one event" title="Step back">${icon('back')}</button>
      <button type="button" class="kl-tl-btn kl-tl-play" data-tl="play" aria-label="Play" title="Play">${icon('play')}</button>
      <button type="button" class="kl-tl-btn" data-tl="fwd" aria-label="Step forward one event" title="Step forward">${icon('fwd')}</button>
      <button type="button" class="kl-tl-btn" data-tl="end" aria-label="Go to the last event" title="Last event (End)">${icon('end')}</button>
      <label class="kl-tl-speed"><span class="sr-only">Playback speed</span>
        <select id="${id}-speed" title="Playback speed">
          ${SPEEDS.map((s) => `<option value="${s}"${s === 1 ? ' selected' : ''}>${s}x</option>`).join('')}
        </select>
      </label>
    </div>
    <input type="range" class="kl-tl-scrub" id="${id}-scrub" min="0" max="0" step="1" value="0" aria-label="Position in the trace">
    <output class="kl-tl-pos" for="${id}-scrub">t=0ms</output>
    <div class="kl-tl-marks" role="group" aria-label="Marked events" hidden></div>`;

  const $ = <T extends HTMLElement>(sel: string) => root.querySelector(sel) as T;
  const scrub = $<HTMLInputElement>('.kl-tl-scrub');
  const pos = $<HTMLOutputElement>('.kl-tl-pos');
  const speedSel = $<HTMLSelectElement>('select');
  const playBtn = $<HTMLButtonElement>('[data-tl="play"]');
  const buttons = [...root.querySelectorAll<HTMLButtonElement>('button')];
  const marksRow = $<HTMLDivElement>('.kl-tl-marks');

  let times: readonly number[] = [];
  let cursor = 0;
  let timer: ReturnType<typeof setInterval> | undefined;

  const clamp = (c: number) => Math.max(0, Math.min(times.length, Math.round(c)));

  function describe(): string {
    const t = cursor > 0 ? times[cursor - 1] : 0;
    return `${formatTime(t)} · ${cursor}/${times.length}`;
  }

  function sync() {
    scrub.max = String(times.length);
    scrub.value = String(cursor);
    const text = describe();
    pos.value = text;
    pos.textContent = text;
    scrub.setAttribute('aria-valuetext', cursor === 0 ? `before the first of ${times.length} events` : `event ${cursor} of ${times.length}, ${formatTime(times[cursor - 1])}`);
    const empty = times.length === 0;
    for (const b of buttons) b.disabled = empty;
    speedSel.disabled = empty;
    scrub.disabled = empty;
    const playing = timer !== undefined;
    playBtn.innerHTML = icon(playing ? 'pause' : 'play');
    playBtn.setAttribute('aria-label', playing ? 'Pause' : 'Play');
    playBtn.title = playing ? 'Pause' : 'Play';
  }

  function move(c: number) {
    const next = clamp(c);
    if (next === cursor) {
      sync();
      return;
    }
    cursor = next;
    sync();
    opts.onCursor(cursor);
  }

  function stopTimer() {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  }

  function startTimer() {
    stopTimer();
    const speed = Number(speedSel.value) || 1;
    // Long traces advance several events per tick so a replay takes at most ~20 s at 1x.
    const perTick = Math.max(1, Math.ceil(times.length / (20 * BASE_RATE)));
    timer = setInterval(() => {
      if (cursor >= times.length) {
        api.pause();
        return;
      }
      move(cursor + perTick);
    }, 1000 / (BASE_RATE * speed));
  }

  const api: Timeline = {
    setTrace(t, c) {
      stopTimer();
      times = t;
      api.setMarks([]);
      cursor = clamp(c ?? t.length);
      sync();
      opts.onCursor(cursor);
    },
    setCursor: (c) => move(c),
    setMarks(marks) {
      marksRow.replaceChildren(
        ...marks.slice(0, 50).map((m) => {
          const b = document.createElement('button');
          b.type = 'button';
          b.className = 'kl-tl-mark';
          b.dataset.mark = String(m.index);
          b.style.left = `${times.length ? (100 * m.index) / times.length : 0}%`;
          b.setAttribute('aria-label', m.label);
          b.title = m.label;
          return b;
        }),
      );
      marksRow.hidden = marks.length === 0;
    },
    get cursor() {
      return cursor;
    },
    get length() {
      return times.length;
    },
    get playing() {
      return timer !== undefined;
    },
    play() {
      if (times.length === 0) return;
      if (cursor >= times.length) move(0);
      startTimer();
      sync();
    },
    pause() {
      stopTimer();
      sync();
    },
    destroy() {
      stopTimer();
      root.innerHTML = '';
    },
  };

  root.addEventListener('click', (e) => {
    const mark = (e.target as Element).closest<HTMLButtonElement>('[data-mark]');
    if (mark) {
      api.pause();
      move(Number(mark.dataset.mark));
      return;
    }
    const b = (e.target as Element).closest<HTMLButtonElement>('[data-tl]');
    if (!b) return;
    switch (b.dataset.tl) {
      case 'start':
        api.pause();
        move(0);
        break;
      case 'back':
        api.pause();
        move(cursor - 1);
        break;
      case 'play':
        if (api.playing) api.pause();
        else api.play();
        break;
      case 'fwd':
        api.pause();
        move(cursor + 1);
        break;
      case 'end':
        api.pause();
        move(times.length);
        break;
    }
  });
  // Home / End on the buttons, as their titles say (the slider and the speed list have their own keys).
  root.addEventListener('keydown', (e) => {
    if ((e.key !== 'Home' && e.key !== 'End') || !(e.target as Element).closest('button') || times.length === 0) return;
    e.preventDefault();
    api.pause();
    move(e.key === 'Home' ? 0 : times.length);
  });
  scrub.addEventListener('input', () => {
    const target = Number(scrub.value); // read before pause() re-syncs the slider
    api.pause();
    move(target);
  });
  speedSel.addEventListener('change', () => {
    if (api.playing) startTimer();
  });
  sync();
  return api;
}
