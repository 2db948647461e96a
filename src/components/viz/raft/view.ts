/**
 * The raft view: the cluster's members on a ring (role, term, vote, the election timer running
 * down around each, crashed or paused), the messages in flight as dots moving from sender to
 * receiver by virtual time, a partition as walls, a safety violation flagged; under it every
 * member's log as cells coloured by term with the commit and apply marks. A function of
 * (trace, cursor) through a checkpointed replayer of `raftViewReducer`.
 *
 * A member or a message opens a popover with its fields (click, or Enter on a focused member;
 * messages are also listed as buttons). With a `command` hook (a lab's raft session) a member's
 * popover offers crash / restart / pause / resume / isolate, run as the shell's `cluster` commands.
 */
// Model modules one by one, never src/sim/index: a lesson's RaftPlayground draws this view too.
import { Replayer } from '../../../sim/core/replay';
import type { TraceEvent } from '../../../sim/core/trace';
import type { ReplayedMessage } from '../../../sim/raftnet/replay';
import { formatTime } from '../time';
import { esc } from '../html';
import type { ModelView, ViewContext } from '../types';
import { createDotLayer } from './dots';
import { HEIGHT, MEMBER_R, WIDTH, messageDots, partitionWalls, ringPositions, type Dot, type Point } from './scene';
import { partitionGroups, raftViewReducer, timerProgress, type MemberState, type RaftViewState } from './state';
import './raft.css';

const SVG = 'http://www.w3.org/2000/svg';
/** Log cells drawn per member (the newest; older ones are counted). */
export const LOG_CELLS = 16;
/** Messages listed as buttons (the earliest due). */
const MAX_LISTED = 40;
const TIMER_R = MEMBER_R + 5;
const TIMER_C = 2 * Math.PI * TIMER_R;

const ROLE_TEXT: Record<string, string> = { follower: 'follower', preCandidate: 'pre-candidate', candidate: 'candidate', leader: 'leader' };

/** A member's state in words (its label and its popover's heading line). */
export function memberSummary(s: RaftViewState, m: MemberState, t: number): string {
  const state = m.down === 'crashed' ? 'crashed' : `${ROLE_TEXT[m.role]}${m.down === 'paused' ? ' (paused)' : ''}`;
  const parts = [`member ${m.id}`, state, `term ${m.term}`, m.vote ? `voted for ${m.vote}` : 'no vote'];
  if (m.role !== 'leader' && m.lead && !m.down) parts.push(`leader ${m.lead}`);
  parts.push(`log ${m.terms.length}, commit ${m.commit}, applied ${m.applied}`);
  const p = timerProgress(s, m, t);
  if (p !== undefined) parts.push(`election timer ${Math.round(p * 100)}% of ${m.timeoutTicks} ticks`);
  return parts.join(', ');
}

/** The logs as a table: one row per member, the newest LOG_CELLS indexes as columns. */
export function logsHtml(s: RaftViewState): string {
  const ms = [...s.members.values()];
  if (ms.length === 0) return '';
  const last = Math.max(0, ...ms.map((m) => m.terms.length));
  if (last === 0) return '<p class="kl-raft-nolog">Every log is empty.</p>';
  const first = Math.max(1, last - LOG_CELLS + 1);
  const idx: number[] = [];
  for (let i = first; i <= last; i++) idx.push(i);
  const head = `<tr><th scope="col">member</th>${first > 1 ? '<th scope="col" class="kl-raft-older">…</th>' : ''}${idx.map((i) => `<th scope="col">${i}</th>`).join('')}</tr>`;
  const rows = ms
    .map((m) => {
      const older = first > 1 ? `<td class="kl-raft-older" title="${Math.min(first - 1, m.terms.length)} older entries">${Math.min(first - 1, m.terms.length) || ''}</td>` : '';
      const cells = idx
        .map((i) => {
          if (i > m.terms.length) return '<td></td>';
          const term = m.terms[i - 1];
          const cls = `kl-raft-cell${i <= m.commit ? ' is-committed' : ''}${i <= m.applied ? ' is-applied' : ''}`;
          const state = i <= m.applied ? 'applied' : i <= m.commit ? 'committed' : 'not committed';
          return `<td class="${cls}" style="--term-hue:${(term * 67) % 360}" title="index ${i}, term ${term}, ${state}"><span aria-hidden="true">${term}</span><span class="sr-only">term ${term}, ${state}</span></td>`;
        })
        .join('');
      const down = m.down ? ` <span class="kl-raft-down">${m.down}</span>` : '';
      return `<tr class="${m.down ? 'is-down' : ''}"><th scope="row">${m.id}${m.role === 'leader' && !m.down ? ' <span title="leader">★</span>' : ''}${down}</th>${older}${cells}</tr>`;
    })
    .join('');
  return `<p class="kl-raft-logs-h" id="kl-raft-logs-h">Logs <span class="kl-raft-legend">each cell an entry's term; <span class="kl-raft-key is-committed">thick edge</span> committed, <span class="kl-raft-key is-applied">filled</span> applied</span></p><table class="kl-raft-logs" aria-labelledby="kl-raft-logs-h"><thead>${head}</thead><tbody>${rows}</tbody></table>`;
}

/** The line above the ring: term, leader, messages, partition, the event's words are the caption's. */
export function statusLine(s: RaftViewState): string {
  const ms = [...s.members.values()];
  const term = Math.max(0, ...ms.map((m) => m.term));
  const leaders = ms.filter((m) => m.role === 'leader' && !m.down);
  const leader = leaders.length ? leaders.map((m) => `${m.id} (term ${m.term})`).join(', ') : 'none';
  const groups = partitionGroups(s);
  const parts = [`term ${term}`, `leader ${leader}`, `${s.net?.inFlight.size ?? 0} in flight`];
  if (groups) parts.push(`partition ${groups.map((g) => `{${g.join(',')}}`).join(' | ')}`);
  const rules = s.net ? [...s.net.rules.values()].filter((r) => r.kind === 'drop').length : 0;
  if (rules) parts.push(`${rules} drop rule${rules === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

interface MemberEls {
  g: SVGGElement;
  timer: SVGCircleElement;
  body: SVGCircleElement;
  term: SVGTextElement;
  role: SVGTextElement;
}

export function createRaftView(root: HTMLElement, context?: ViewContext): ModelView {
  root.classList.add('kl-raft');
  root.innerHTML = `<p class="kl-raft-status"></p>
    <p class="kl-raft-violation" role="alert" hidden></p>
    <div class="kl-raft-stage">
      <svg class="kl-raft-svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="group" aria-label="Cluster members and messages in flight">
        <g class="kl-raft-edges"></g><g class="kl-raft-walls"></g><g class="kl-raft-members"></g>
      </svg>
      <div class="kl-raft-pop" role="dialog" aria-modal="false" hidden></div>
    </div>
    <div class="kl-raft-logwrap"></div>
    <details class="kl-raft-inflight"><summary>Messages in flight</summary><ul></ul></details>
    <p class="kl-viz-empty kl-raft-empty" hidden></p>`;
  const $ = <T extends Element>(sel: string) => root.querySelector(sel) as T;
  const status = $<HTMLElement>('.kl-raft-status');
  const violation = $<HTMLElement>('.kl-raft-violation');
  const stage = $<HTMLElement>('.kl-raft-stage');
  const svg = $<SVGSVGElement>('.kl-raft-svg');
  const edgesG = $<SVGGElement>('.kl-raft-edges');
  const wallsG = $<SVGGElement>('.kl-raft-walls');
  const membersG = $<SVGGElement>('.kl-raft-members');
  const pop = $<HTMLElement>('.kl-raft-pop');
  const logwrap = $<HTMLElement>('.kl-raft-logwrap');
  const inflight = $<HTMLDetailsElement>('.kl-raft-inflight');
  const inflightList = inflight.querySelector('ul')!;
  const inflightSummary = inflight.querySelector('summary')!;
  inflight.addEventListener('toggle', () => last && inflight.open && drawMessages(last.s, last.t));
  const empty = $<HTMLElement>('.kl-raft-empty');

  let replayed: { trace: readonly TraceEvent[]; length: number; replayer: Replayer<RaftViewState> } | undefined;
  const replayerFor = (trace: readonly TraceEvent[]) => {
    if (replayed?.trace !== trace || trace.length < replayed.length) replayed = { trace, length: trace.length, replayer: new Replayer(raftViewReducer, trace) };
    replayed.length = trace.length;
    return replayed.replayer;
  };

  let ringKey = '';
  let pos = new Map<number, Point>();
  const memberEls = new Map<number, MemberEls>();
  const dotLayer = createDotLayer(stage, svg);
  let dots: Dot[] = [];
  let listedKey = '';
  let wallKey = '';
  /** What the open popover shows (kept across renders so it follows the cursor). */
  let popFor: { kind: 'member'; id: number; opener?: Element } | { kind: 'msg'; msg: ReplayedMessage; opener?: Element } | undefined;
  let last: { s: RaftViewState; t: number } | undefined;

  const buildRing = (ids: number[]) => {
    ringKey = ids.join(',');
    pos = ringPositions(ids);
    memberEls.clear();
    membersG.replaceChildren();
    edgesG.replaceChildren();
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        const a = pos.get(ids[i])!;
        const b = pos.get(ids[j])!;
        edgesG.append(el('line', { x1: a.x, y1: a.y, x2: b.x, y2: b.y, 'data-edge': `${ids[i]}-${ids[j]}` }));
      }
    }
    for (const id of ids) {
      const p = pos.get(id)!;
      const g = el('g', { class: 'kl-raft-member', 'data-member': id, tabindex: 0, role: 'button', transform: `translate(${p.x.toFixed(1)} ${p.y.toFixed(1)})` });
      const timer = el('circle', { class: 'kl-raft-timer', r: TIMER_R, transform: 'rotate(-90)' });
      const body = el('circle', { class: 'kl-raft-body', r: MEMBER_R });
      const name = el('text', { class: 'kl-raft-id', y: -4 });
      name.textContent = String(id);
      const term = el('text', { class: 'kl-raft-term', y: 14 });
      const role = el('text', { class: 'kl-raft-role', y: MEMBER_R + 20 });
      g.append(timer, body);
      // The words sit outside the button, hidden from screen readers: its label says it all
      // (state, term, vote, log, timer), and a name must contain the text a button shows.
      const words = el('g', { class: 'kl-raft-words', 'aria-hidden': 'true', 'pointer-events': 'none', transform: g.getAttribute('transform')! });
      words.append(name, term, role);
      membersG.append(g, words);
      memberEls.set(id, { g, timer, body, term, role });
    }
  };

  const drawMembers = (s: RaftViewState, t: number) => {
    const involved = new Set(s.violations.flatMap((v) => v.nodes));
    for (const m of s.members.values()) {
      const e = memberEls.get(m.id);
      if (!e) continue;
      const state = m.down === 'crashed' ? 'is-crashed' : `is-${m.role.toLowerCase()}${m.down === 'paused' ? ' is-paused' : ''}`;
      e.g.setAttribute('class', `kl-raft-member ${state}${involved.has(m.id) ? ' is-violating' : ''}`);
      e.g.setAttribute('aria-label', memberSummary(s, m, t));
      e.term.textContent = m.down === 'crashed' ? '✕' : `T${m.term}`;
      e.role.textContent = m.down === 'crashed' ? 'crashed' : m.down === 'paused' ? 'paused' : `${ROLE_TEXT[m.role]}${m.vote && m.role !== 'leader' ? ` · voted ${m.vote}` : ''}`;
      const p = timerProgress(s, m, t);
      if (p === undefined) e.timer.setAttribute('stroke-dasharray', `0 ${TIMER_C}`);
      else e.timer.setAttribute('stroke-dasharray', `${((1 - p) * TIMER_C).toFixed(1)} ${TIMER_C.toFixed(1)}`);
    }
  };

  const drawWalls = (s: RaftViewState, ids: number[]) => {
    const groups = partitionGroups(s);
    const key = groups ? JSON.stringify(groups) : '';
    if (key === wallKey) return;
    wallKey = key;
    wallsG.replaceChildren();
    const side = new Map<number, number>();
    groups?.forEach((g, i) => g.forEach((id) => side.set(id, i)));
    for (const line of edgesG.children) {
      const [a, b] = (line.getAttribute('data-edge') ?? '').split('-').map(Number);
      line.classList.toggle('is-cut', !!groups && side.get(a) !== side.get(b));
    }
    if (!groups) return;
    for (const w of partitionWalls(ids, groups)) wallsG.append(el('line', { class: 'kl-raft-wall', x1: w.x1, y1: w.y1, x2: w.x2, y2: w.y2 }));
    const title = el('title');
    title.textContent = `Partition: ${groups.map((g) => `{${g.join(',')}}`).join(' | ')}`;
    wallsG.append(title);
  };

  const drawMessages = (s: RaftViewState, t: number) => {
    dots = s.net ? messageDots(s.net.inFlight.values(), t, pos) : [];
    dotLayer.draw(dots);
    // The list for keyboards and screen readers: built while open, when the set of messages changes.
    inflightSummary.textContent = `Messages in flight: ${s.net?.inFlight.size ?? 0}`;
    if (!inflight.open) {
      listedKey = '';
      return;
    }
    const listed = [...(s.net?.inFlight.values() ?? [])].sort((a, b) => a.dueAt - b.dueAt || a.msgId - b.msgId).slice(0, MAX_LISTED);
    const key = listed.map((m) => m.msgId).join(',');
    if (key !== listedKey) {
      listedKey = key;
      const more = (s.net?.inFlight.size ?? 0) - listed.length;
      inflightList.innerHTML =
        listed.map((m) => `<li><button type="button" class="kl-raft-msgbtn" data-msg="${m.msgId}">${esc(m.msgType)} ${m.from}→${m.to} · due ${formatTime(m.dueAt)}${m.held ? ' (held)' : ''}</button></li>`).join('') +
        (more > 0 ? `<li class="kl-v-more">+${more} more</li>` : '');
    }
  };

  const place = (p: Point) => {
    pop.style.left = `${Math.min(70, (p.x / WIDTH) * 100).toFixed(1)}%`;
    pop.style.top = `${Math.min(80, ((p.y + MEMBER_R) / HEIGHT) * 100).toFixed(1)}%`;
  };

  const memberPop = (s: RaftViewState, t: number, id: number) => {
    const m = s.members.get(id);
    if (!m) return closePop();
    const groups = partitionGroups(s);
    const actions: Array<[string, string]> = [];
    if (context?.command) {
      if (m.down === 'crashed') actions.push(['Restart', `cluster restart ${id}`]);
      else {
        actions.push(['Crash', `cluster crash ${id}`]);
        actions.push(m.down === 'paused' ? ['Resume', `cluster resume ${id}`] : ['Pause', `cluster pause ${id}`]);
      }
      const others = [...s.members.keys()].filter((x) => x !== id);
      if (others.length) actions.push(['Isolate', `cluster partition ${id} ${others.join(',')}`]);
      if (groups) actions.push(['Heal', 'cluster heal']);
    }
    const last = m.terms.length;
    const p = timerProgress(s, m, t);
    pop.setAttribute('aria-label', `Member ${id}`);
    pop.innerHTML = `<header><h4>Member ${id}</h4><button type="button" class="kl-raft-close" aria-label="Close">×</button></header>
      <dl>
        <dt>state</dt><dd>${m.down === 'crashed' ? 'crashed' : ROLE_TEXT[m.role]}${m.down === 'paused' ? ' (paused)' : ''}</dd>
        <dt>term</dt><dd>${m.term}</dd><dt>vote</dt><dd>${m.vote || 'none'}</dd><dt>leader</dt><dd>${m.lead || 'none known'}</dd>
        <dt>last entry</dt><dd>${last ? `index ${last}, term ${m.terms[last - 1]}` : 'none'}</dd>
        <dt>commit</dt><dd>${m.commit}</dd><dt>applied</dt><dd>${m.applied}</dd>
        <dt>election timer</dt><dd>${p === undefined ? (m.role === 'leader' ? 'leader: sends heartbeats' : 'stopped') : `${Math.round(p * m.timeoutTicks)} of ${m.timeoutTicks} ticks`}</dd>
      </dl>
      ${actions.length ? `<div class="kl-raft-actions" role="group" aria-label="Faults">${actions.map(([label, cmd]) => `<button type="button" class="kl-btn" data-command="${esc(cmd)}" title="${esc(cmd)}">${label}</button>`).join('')}</div>` : ''}`;
    place(pos.get(id) ?? { x: WIDTH / 2, y: HEIGHT / 2 });
  };

  /** A message's fields, kept from when it was opened (it may have arrived since). */
  let openedDetail: { msgId: number; detail: Record<string, unknown> } | undefined;
  const detailOf = (msgId: number) => (openedDetail?.msgId === msgId ? openedDetail.detail : {});
  const msgPop = (msg: ReplayedMessage, s: RaftViewState | undefined) => {
    const known = s?.details.get(msg.msgId);
    if (known) openedDetail = { msgId: msg.msgId, detail: known };
    const live = s?.net?.inFlight.get(msg.msgId);
    const m = live ?? msg;
    pop.setAttribute('aria-label', `Message ${m.msgType} from ${m.from} to ${m.to}`);
    pop.innerHTML = `<header><h4>${esc(m.msgType)} ${m.from}→${m.to}</h4><button type="button" class="kl-raft-close" aria-label="Close">×</button></header>
      <dl>
        <dt>message</dt><dd>#${m.msgId}${m.copyOf ? ` (duplicate of #${m.copyOf})` : ''}</dd>
        ${Object.entries(s?.details.get(m.msgId) ?? detailOf(m.msgId)).map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(String(v))}</dd>`).join('')}
        <dt>sent</dt><dd>${formatTime(m.sentAt)}</dd><dt>due</dt><dd>${formatTime(m.dueAt)}</dd>
        <dt>now</dt><dd>${live ? (live.held ? `held: member ${m.to} is paused` : 'in flight') : 'no longer in flight'}</dd>
      </dl>
      ${context?.command && live ? `<div class="kl-raft-actions" role="group" aria-label="Faults"><button type="button" class="kl-btn" data-command="cluster drop #${m.msgId}" title="cluster drop #${m.msgId}">Drop it</button></div>` : ''}`;
    const d = dots.find((x) => x.msg.msgId === m.msgId);
    place(d ?? pos.get(m.to) ?? { x: WIDTH / 2, y: HEIGHT / 2 });
  };

  const openPop = (what: NonNullable<typeof popFor>) => {
    popFor = what;
    if (!last) return;
    if (what.kind === 'member') memberPop(last.s, last.t, what.id);
    else msgPop(what.msg, last.s);
    pop.hidden = false;
    pop.querySelector<HTMLElement>('[data-command], .kl-raft-close')?.focus();
  };
  function closePop(restoreFocus = false) {
    const opener = popFor?.opener;
    popFor = undefined;
    pop.hidden = true;
    if (restoreFocus && opener && 'focus' in opener) (opener as HTMLElement).focus();
  }

  svg.addEventListener('click', (ev) => {
    const target = ev.target as Element;
    const g = target.closest('[data-member]');
    const d = g ? undefined : dotLayer.hit(ev, dots);
    if (d) {
      openPop({ kind: 'msg', msg: d.msg });
      return;
    }
    if (g) openPop({ kind: 'member', id: Number(g.getAttribute('data-member')), opener: g });
  });
  svg.addEventListener('keydown', (ev) => {
    const g = (ev.target as Element).closest('[data-member]');
    if (!g || (ev.key !== 'Enter' && ev.key !== ' ')) return;
    ev.preventDefault();
    openPop({ kind: 'member', id: Number(g.getAttribute('data-member')), opener: g });
  });
  inflightList.addEventListener('click', (ev) => {
    const b = (ev.target as Element).closest<HTMLElement>('[data-msg]');
    const msg = b && last?.s.net?.inFlight.get(Number(b.dataset.msg));
    if (msg) openPop({ kind: 'msg', msg: { ...msg }, opener: b });
  });
  pop.addEventListener('click', (ev) => {
    const target = ev.target as Element;
    if (target.closest('.kl-raft-close')) return closePop(true);
    const b = target.closest<HTMLElement>('[data-command]');
    if (b && context?.command) {
      closePop(true);
      context.command(b.dataset.command!);
    }
  });
  root.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' && !pop.hidden) {
      ev.stopPropagation();
      closePop(true);
    }
  });

  return {
    render(trace, cursor) {
      const s = replayerFor(trace).at(cursor);
      const t = cursor > 0 ? trace[cursor - 1].t : 0;
      last = { s, t };
      const ids = [...s.members.keys()].sort((a, b) => a - b);
      const none = ids.length === 0;
      empty.hidden = !none;
      stage.hidden = none;
      status.hidden = none;
      inflight.hidden = none;
      if (none) {
        empty.textContent = trace.length ? 'No raft member has started yet at this point.' : 'Run your code (or type cluster status in the terminal) to watch the raft cluster.';
        logwrap.innerHTML = '';
        violation.hidden = true;
        closePop();
        return;
      }
      if (ids.join(',') !== ringKey) {
        buildRing(ids);
        wallKey = '-';
      }
      status.textContent = statusLine(s);
      const v = s.violations;
      violation.hidden = v.length === 0;
      if (v.length) violation.textContent = `Safety violation: ${v.map((x) => `${x.property} at ${formatTime(x.t)}: ${x.message}`).join('; ')}`;
      drawMembers(s, t);
      drawWalls(s, ids);
      drawMessages(s, t);
      logwrap.innerHTML = logsHtml(s);
      if (popFor?.kind === 'member') memberPop(s, t, popFor.id);
      else if (popFor?.kind === 'msg') msgPop(popFor.msg, s);
    },
    prepare(trace, cursor) {
      replayerFor(trace).at(cursor);
    },
    destroy() {
      replayed = undefined;
      last = undefined;
      dotLayer.destroy();
      root.innerHTML = '';
    },
  };
}
