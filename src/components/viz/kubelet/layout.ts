/**
 * Geometry of the kubelet view at a cursor, without the DOM: boxes, ticks and labels in SVG user
 * units. The x axis spans the whole run (first kubelet event to the last event or back-off
 * deadline), so scrubbing only reveals; nothing moves.
 */
import { formatTime } from '../time';
import { LOOP_CHANNELS, type ContainerLane, type KubeletRun, type StateSpan } from './state';

export const WIDTH = 560;
const PAD_L = 112;
const PAD_R = 12;
const POD_H = 15;
const LANE_H = 14;
const BACKOFF_H = 5;
const PROBE_H = 7;
const CONTAINER_GAP = 6;
const ROW_H = 11;
const AXIS_H = 16;
/** Pods drawn before the rest is summarised. */
export const MAX_PODS = 8;

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
  cls: string;
  title: string;
  /** The event that opened it (the view rings the one at the cursor). */
  index: number;
}

export interface Tick {
  x: number;
  y: number;
  h: number;
  cls: string;
  title: string;
  index: number;
}

export interface Label {
  x: number;
  y: number;
  text: string;
  cls: string;
  anchor?: 'start' | 'middle' | 'end';
}

export interface KubeletLayout {
  width: number;
  height: number;
  boxes: Box[];
  ticks: Tick[];
  labels: Label[];
  /** x of the cursor's time, and the lines' vertical extent. */
  cursorX: number;
  top: number;
  bottom: number;
  hiddenPods: number;
}

/** A probe's output as one short line (an HTTP probe's output is the whole page). */
export const clip = (s: string, n = 100) => {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length > n ? `${line.slice(0, n - 1)}…` : line;
};
const secs = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/** A round step (ms) for about five ticks over `span` ms. */
function niceStep(span: number): number {
  const raw = Math.max(1, span / 5);
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((k) => k * p).find((s) => s >= raw) ?? raw;
}

/** `terminated (Error, exit code 1)`, `waiting (CrashLoopBackOff)`, `running`. */
export function stateText(s: StateSpan): string {
  const more = [s.reason, s.exitCode !== undefined ? `exit code ${s.exitCode}` : ''].filter(Boolean).join(', ');
  return `${s.state}${more ? ` (${more})` : ''}`;
}

const spanClass = (s: StateSpan) => {
  const cls = [`kl-kb-state is-${s.state}`];
  if (s.reason === 'CrashLoopBackOff' || s.reason === 'ImagePullBackOff' || s.reason === 'ErrImagePull') cls.push('is-backoff-reason');
  if (s.state === 'terminated' && s.reason !== 'Completed') cls.push('is-failed');
  return cls.join(' ');
};

export function kubeletLayout(run: KubeletRun, cursor: number, now: number): KubeletLayout {
  const span = Math.max(1, run.t1 - run.t0);
  const x = (t: number) => PAD_L + ((WIDTH - PAD_L - PAD_R) * (Math.min(Math.max(t, run.t0), run.t1) - run.t0)) / span;
  const boxes: Box[] = [];
  const ticks: Tick[] = [];
  const labels: Label[] = [];
  let y = 4;

  // Time axis on top.
  const step = niceStep(span);
  for (let t = Math.ceil(run.t0 / step) * step; t <= run.t1; t += step) {
    const near = x(t) > WIDTH - PAD_R - 24;
    labels.push({ x: x(t), y: y + 9, text: formatTime(t).slice(2), cls: 'kl-kb-tick', anchor: near ? 'end' : 'middle' });
  }
  y += AXIS_H;
  const top = y;

  const lane = (l: ContainerLane) => {
    labels.push({ x: PAD_L - 6, y: y + LANE_H - 3, text: l.container.length > 16 ? `${l.container.slice(0, 15)}…` : l.container, cls: 'kl-kb-container', anchor: 'end' });
    const shown = l.spans.filter((s) => s.index < cursor);
    shown.forEach((s, i) => {
      const to = i + 1 < shown.length ? shown[i + 1].from : now;
      const x0 = x(s.from);
      const w = Math.max(1.5, x(to) - x0);
      const what = stateText(s);
      boxes.push({ x: x0, y, w, h: LANE_H, cls: spanClass(s), index: s.index, title: `${l.pod} ${l.container}: ${what} from ${formatTime(s.from)}${i + 1 < shown.length ? ` to ${formatTime(to)}` : ''}, restarts ${s.restartCount}` });
      const text = s.reason || s.state;
      if (w > text.length * 5.2 + 6) labels.push({ x: x0 + 3, y: y + LANE_H - 4, text, cls: 'kl-kb-in' });
    });
    for (const r of l.restarts) {
      if (r.index >= cursor) break;
      ticks.push({ x: x(r.t), y: y - 3, h: LANE_H + 6, cls: 'kl-kb-restart', index: r.index, title: `${l.container} restarted: restartCount ${r.restartCount} at ${formatTime(r.t)}` });
      labels.push({ x: x(r.t) + 2, y: y - 1, text: `↻${r.restartCount}`, cls: 'kl-kb-restart-n' });
    }
    y += LANE_H + 1;
    // Back-off timers: the whole wait to the allowed restart, filled as far as the cursor's time.
    for (const b of l.backoffs) {
      if (b.index >= cursor) break;
      const x0 = x(b.t);
      const title = `${l.container}: back-off ${secs(b.backoffMs)}, restart allowed at ${formatTime(b.restartAtMs)}`;
      boxes.push({ x: x0, y, w: Math.max(1.5, x(b.restartAtMs) - x0), h: BACKOFF_H, cls: 'kl-kb-backoff', index: b.index, title });
      const until = Math.min(now, b.restartAtMs);
      if (until > b.t) boxes.push({ x: x0, y, w: x(until) - x0, h: BACKOFF_H, cls: 'kl-kb-backoff-elapsed', index: b.index, title });
    }
    y += BACKOFF_H + 1;
    for (const p of l.probes) {
      if (p.index >= cursor) break;
      ticks.push({ x: x(p.t), y, h: PROBE_H, cls: `kl-kb-probe is-${p.result.toLowerCase()}`, index: p.index, title: `${p.probe} probe of ${l.container}: ${p.result}${p.detail ? `: ${clip(p.detail)}` : ''} at ${formatTime(p.t)}` });
    }
    y += PROBE_H + CONTAINER_GAP;
  };

  const pods = run.pods.slice(0, MAX_PODS);
  for (const p of pods) {
    if (!p.containers.some((c) => c.spans[0]?.index < cursor || c.probes[0]?.index < cursor || c.backoffs[0]?.index < cursor)) {
      // Not seen yet: keep its rows (the picture does not move), name it dimmed.
      labels.push({ x: 4, y: y + 11, text: p.pod, cls: 'kl-kb-pod is-future' });
    } else labels.push({ x: 4, y: y + 11, text: p.pod, cls: 'kl-kb-pod' });
    // The pod worker's stages after SyncPod, on the pod's own row.
    let named: Label | undefined;
    for (const st of p.stages) {
      if (st.index >= cursor) break;
      ticks.push({ x: x(st.t), y: y + 2, h: POD_H - 3, cls: 'kl-kb-stage', index: st.index, title: `pod worker ${p.pod}: ${st.from} -> ${st.to} at ${formatTime(st.t)}` });
      // Stages close together (TerminatedPod, then Finished at once) share one label.
      if (named && x(st.t) + 2 - named.x < named.text.length * 4.6 + 4) named.text += ` → ${st.to}`;
      else labels.push((named = { x: x(st.t) + 2, y: y + 11, text: st.to, cls: 'kl-kb-stage-name' }));
    }
    y += POD_H;
    for (const c of p.containers) lane(c);
  }

  // The syncLoop strip: one row per channel, one tick per iteration; then the PLEG relists.
  y += 4;
  labels.push({ x: 4, y: y + 8, text: 'syncLoop', cls: 'kl-kb-pod' });
  y += 12;
  for (const ch of LOOP_CHANNELS) {
    labels.push({ x: PAD_L - 6, y: y + ROW_H - 1, text: ch, cls: 'kl-kb-channel', anchor: 'end' });
    for (const f of run.fires) {
      if (f.index >= cursor) break;
      if (f.channel !== ch) continue;
      ticks.push({ x: x(f.t), y, h: ROW_H - 1, cls: `kl-kb-fire is-${ch}`, index: f.index, title: `syncLoop ${f.source}: ${f.op}${f.pods.length ? ` ${f.pods.join(', ')}` : ''} at ${formatTime(f.t)}` });
    }
    y += ROW_H;
  }
  labels.push({ x: PAD_L - 6, y: y + ROW_H - 1, text: 'PLEG relist', cls: 'kl-kb-channel', anchor: 'end' });
  for (const r of run.relists) {
    if (r.index >= cursor) break;
    ticks.push({ x: x(r.t), y: r.events ? y : y + 3, h: r.events ? ROW_H - 1 : ROW_H - 4, cls: `kl-kb-relist${r.events ? ' has-events' : ''}`, index: r.index, title: `PLEG relist at ${formatTime(r.t)}: ${r.pods} pods, ${r.events} events` });
  }
  y += ROW_H + 4;
  return { width: WIDTH, height: y, boxes, ticks, labels, cursorX: x(now), top, bottom: y - 4, hiddenPods: Math.max(0, run.pods.length - MAX_PODS) };
}

