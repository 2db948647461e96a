/**
 * The etcd keyspace view: a member's keys under a prefix as a tree (directories by `/`), each
 * with its createRevision, modRevision, version and lease and the start of its value; the
 * current revision and the compacted one on a revision bar; the leases and the watches. The key
 * the event under the cursor wrote is highlighted, a deleted one shown struck through where it
 * was. A function of (trace, cursor) only, through a checkpointed replayer of `etcdReducer`
 * (src/sim/etcd/replay.ts) wrapped to follow the member's watches too. The prefix filter and
 * the member are the reader's choices, kept by the view.
 */
import { Replayer, etcdEvents, etcdReducer, type EtcdReplayState, type Reducer, type TraceEvent } from '../../../sim/index';
import { formatTime } from '../format';
import { esc } from '../html';
import type { ModelView } from '../types';

/** Rows drawn at most (the rest are counted). */
const MAX_ROWS = 200;
/** Ended watches kept per member (the newest). */
const KEEP_ENDED_WATCHES = 6;

interface WatchInfo {
  id: number;
  key: string;
  rangeEnd: string;
  startRevision: number;
  events: number;
  lastRevision: number;
  progress: number;
  ended?: { reason: string; compactRevision: number };
}

export interface EtcdViewState {
  etcd: EtcdReplayState;
  watches: Map<string, Map<number, WatchInfo>>;
}

/** `etcdReducer`, plus each member's watches. */
export const etcdViewReducer: Reducer<EtcdViewState> = {
  init: () => ({ etcd: etcdReducer.init(), watches: new Map() }),
  apply(s, e) {
    etcdReducer.apply(s.etcd, e);
    if (e.component !== 'etcd' || !e.type.startsWith('etcd.watch') && e.type !== 'etcd.progress') return;
    const member = e.member as string;
    let ws = s.watches.get(member);
    if (!ws) s.watches.set(member, (ws = new Map()));
    const id = e.watchId as number;
    switch (e.type) {
      case 'etcd.watch':
        ws.delete(id);
        ws.set(id, { id, key: e.key as string, rangeEnd: e.rangeEnd as string, startRevision: e.startRevision as number, events: 0, lastRevision: 0, progress: 0 });
        break;
      case 'etcd.watchEvent': {
        const w = ws.get(id);
        if (w) {
          w.events += e.events as number;
          w.lastRevision = e.revision as number;
        }
        break;
      }
      case 'etcd.progress':
        for (const w of id === -1 ? ws.values() : [ws.get(id)]) if (w && !w.ended) w.progress = e.revision as number;
        break;
      case 'etcd.watchCancel': {
        const w = ws.get(id);
        if (w) w.ended = { reason: e.reason as string, compactRevision: e.compactRevision as number };
        let ended = 0;
        for (const x of [...ws.values()].reverse()) if (x.ended && ++ended > KEEP_ENDED_WATCHES) ws.delete(x.id);
        break;
      }
    }
  },
  clone: (s) => ({
    etcd: etcdReducer.clone(s.etcd),
    watches: new Map([...s.watches].map(([m, ws]) => [m, new Map([...ws].map(([id, w]) => [id, { ...w, ended: w.ended && { ...w.ended } }]))])),
  }),
  size: (s) => (etcdReducer.size?.(s.etcd) ?? 0) + [...s.watches.values()].reduce((n, ws) => n + ws.size, 0),
};

/** A key as text: control characters shown escaped (etcd keys are bytes). */
const show = (k: string) => (/[\x00-\x1f]/.test(k) ? JSON.stringify(k).slice(1, -1) : k);
const hex = (id: number) => id.toString(16);

/** clientv3.GetPrefixRangeEnd: the key with its last byte that is not 0xff incremented. */
function prefixEnd(key: string): string {
  for (let i = key.length - 1; i >= 0; i--) {
    const c = key.charCodeAt(i);
    if (c < 0xff) return key.slice(0, i) + String.fromCharCode(c + 1);
  }
  return '\0';
}

/** UTF-8 length of `s` (an event's value is cut to 64 characters; `valueBytes` is the whole). */
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xdc00 ? (i++, 4) : 3;
  }
  return n;
}

/** Byte order for the keys' usual ASCII; UTF-16 order otherwise (close to it, and cheap). */
const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

interface Row {
  depth: number;
  dir?: string;
  count?: number;
  key?: string;
  name: string;
  deleted?: number;
}

/** The longest prefix of both that ends in '/' (of the first and last of sorted keys: of all). */
function commonDir(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i === 0 ? '' : a.slice(0, a.lastIndexOf('/', i - 1) + 1);
}

/**
 * The rows of a tree of `keys` (sorted): the directory they all share as one row (`/registry/`),
 * then a directory row before the first key under each directory below it.
 */
function treeRows(keys: string[], prefix: string): { rows: Row[]; more: number } {
  const rows: Row[] = [];
  if (keys.length === 0) return { rows, more: 0 };
  const shared = commonDir(keys[0], keys[keys.length - 1]);
  const base = shared.length > prefix.length ? shared : prefix;
  const depth0 = base === '' ? 0 : 1;
  if (base !== '') rows.push({ depth: 0, dir: base, name: base, count: keys.length });
  prefix = base;
  const counts = new Map<string, number>();
  const dirIndex = new Map<string, number>();
  let open: string[] = [];
  let keyRows = 0;
  for (const key of keys) {
    const rest = key.slice(prefix.length);
    // Directories of the part after the prefix, each ending in '/': "pods/", "pods/default/".
    const parts = rest.split('/');
    const dirs: string[] = [];
    let acc = prefix;
    for (let i = 0; i < parts.length - 1; i++) {
      acc += parts[i] + '/';
      dirs.push(acc);
    }
    for (const d of dirs) counts.set(d, (counts.get(d) ?? 0) + 1);
    if (keyRows >= MAX_ROWS) continue;
    let same = 0;
    while (same < open.length && same < dirs.length && open[same] === dirs[same]) same++;
    for (let i = same; i < dirs.length; i++) {
      const d = dirs[i];
      dirIndex.set(d, rows.length);
      rows.push({ depth: depth0 + i, dir: d, name: `${parts[i]}/` });
    }
    open = dirs;
    rows.push({ depth: depth0 + dirs.length, key, name: parts[parts.length - 1] === '' ? '(empty)' : parts[parts.length - 1] });
    keyRows++;
  }
  for (const [d, i] of dirIndex) rows[i].count = counts.get(d);
  return { rows, more: Math.max(0, keys.length - keyRows) };
}

/** What the keyspace view draws for one member after some events (`event`: the last of them). */
export function keyspaceHtml(s: EtcdViewState, event: TraceEvent | undefined, options: { prefix?: string; member?: string } = {}): string {
  const members = [...s.etcd.members.keys()];
  if (members.length === 0) return '';
  const chosenMember = options.member;
  const member = chosenMember !== undefined && s.etcd.members.has(chosenMember) ? chosenMember : members[0];
  const m = s.etcd.members.get(member)!;
  const ev = event && etcdEvents.is(event) && event.member === member ? event : undefined;
  const prefix = options.prefix ?? '';

  // Keys under the prefix, sorted, with the key the last event deleted put back as a ghost.
  const keys: string[] = [];
  for (const k of m.kvs.keys()) if (k.startsWith(prefix)) keys.push(k);
  const deleted = ev?.type === 'etcd.delete' && ev.key.startsWith(prefix) && !m.kvs.has(ev.key) ? ev.key : undefined;
  if (deleted !== undefined) keys.push(deleted);
  keys.sort(byKey);
  const written = ev?.type === 'etcd.put' ? ev.key : undefined;
  const { rows, more } = treeRows(keys, prefix);

  const rowHtml = rows
    .map((r) => {
      const pad = `style="--depth:${r.depth}"`;
      if (r.dir !== undefined) {
        return `<tr class="kl-ek-dir"><th scope="row" colspan="5" ${pad}><span class="kl-ek-name">${esc(show(r.name))}</span> <span class="kl-ek-n">${r.count} key${r.count === 1 ? '' : 's'}</span></th></tr>`;
      }
      const key = r.key!;
      if (key === deleted) {
        return `<tr class="kl-ek-key is-deleted is-current"><th scope="row" ${pad} title="${esc(show(key))}"><span class="kl-ek-name">${esc(show(r.name))}</span><span class="kl-ek-val">deleted at revision ${(ev as { revision: number }).revision}</span></th><td colspan="4"><span class="sr-only">deleted</span></td></tr>`;
      }
      const kv = m.kvs.get(key)!;
      const cut = kv.valueBytes > utf8Length(kv.value) ? '…' : '';
      return `<tr class="kl-ek-key${key === written ? ' is-current' : ''}"><th scope="row" ${pad} title="${esc(show(key))}"><span class="kl-ek-name">${esc(show(r.name))}</span><span class="kl-ek-val">${esc(kv.value)}${cut}</span></th><td>${kv.createRevision}</td><td>${kv.modRevision}</td><td>${kv.version}</td>${kv.lease ? `<td class="kl-ek-lease" title="lease ${hex(kv.lease)}">${hex(kv.lease)}</td>` : '<td>–</td>'}</tr>`;
    })
    .join('');
  const table = keys.length
    ? `<table class="kl-ek-table"><caption class="sr-only">Keys${prefix ? ` under ${esc(prefix)}` : ''} at revision ${m.revision}</caption>
        <thead><tr><th scope="col">key · value</th><th scope="col" title="createRevision: the revision that created the key">create</th><th scope="col" title="modRevision: the revision of the last write">mod</th><th scope="col" title="version: writes since the key was created">ver</th><th scope="col" title="the lease the key is attached to">lease</th></tr></thead>
        <tbody>${rowHtml}</tbody></table>${more ? `<p class="kl-v-more">+${more} more keys</p>` : ''}`
    : `<p class="kl-v-none">${prefix ? `no key starts with ${esc(prefix)}` : 'no keys'}</p>`;

  // The revision bar: history from revision 1, the compacted part shaded, the last write marked.
  const rev = m.revision;
  const compact = m.compactRevision;
  const pct = (r: number) => (rev <= 1 ? 100 : Math.max(0, Math.min(100, ((r - 1) / (rev - 1)) * 100)));
  const compacted = compact > 0 ? `<span class="kl-ek-compacted" style="width:${pct(compact).toFixed(2)}%"></span>` : '';
  const isCompact = ev?.type === 'etcd.compact';
  const header = `<p class="kl-ek-stats"><span>revision <b>${rev}</b></span><span class="${isCompact ? 'is-current' : ''}">${compact > 0 ? `compacted at <b>${compact}</b>` : 'never compacted'}</span><span>${m.kvs.size} key${m.kvs.size === 1 ? '' : 's'}</span><span>${m.leases.size} lease${m.leases.size === 1 ? '' : 's'}</span></p>
    <div class="kl-ek-bar" role="img" aria-label="${esc(`Revisions 1 to ${rev}${compact > 0 ? `, compacted up to ${compact}` : ''}`)}">${compacted}<span class="kl-ek-head" style="left:100%"></span></div>
    ${isCompact ? `<p class="kl-ek-note is-current">compaction at ${ev.revision}: ${ev.removed} old revision${ev.removed === 1 ? '' : 's'} removed; reads and watches before ${ev.revision} now fail</p>` : ''}`;

  const leaseIds = [...m.leases.keys()].sort((a, b) => a - b);
  const leaseEv = ev && (ev.type === 'etcd.leaseGrant' || ev.type === 'etcd.leaseKeepAlive' || ev.type === 'etcd.leaseRevoke' || ev.type === 'etcd.leaseExpire') ? ev.id : undefined;
  const leases = leaseIds.length
    ? `<h5 class="kl-ek-h">Leases</h5><ul class="kl-ek-leases">${leaseIds
        .map((id) => {
          const l = m.leases.get(id)!;
          const ks = [...l.keys];
          return `<li class="${id === leaseEv ? 'is-current' : ''}"><code>${hex(id)}</code> TTL ${l.ttl}s · expires ${formatTime(l.expiresAtMs)} · ${ks.length ? ks.slice(0, 6).map((k) => `<code>${esc(show(k))}</code>`).join(' ') + (ks.length > 6 ? ` +${ks.length - 6}` : '') : 'no keys'}</li>`;
        })
        .join('')}</ul>`
    : '';
  const ws = [...(s.watches.get(member)?.values() ?? [])];
  const watchEv = ev && (ev.type === 'etcd.watch' || ev.type === 'etcd.watchEvent' || ev.type === 'etcd.watchCancel' || ev.type === 'etcd.progress') ? ev.watchId : undefined;
  const watches = ws.length
    ? `<h5 class="kl-ek-h">Watches</h5><ul class="kl-ek-watches">${ws
        .map((w) => {
          const range =
            w.rangeEnd === ''
              ? `<code>${esc(show(w.key))}</code>`
              : w.rangeEnd === prefixEnd(w.key)
                ? `prefix <code>${esc(show(w.key))}</code>`
                : w.rangeEnd === '\0'
                  ? `<code>${esc(show(w.key))}</code> and after`
                  : `<code>[${esc(show(w.key))}, ${esc(show(w.rangeEnd))})</code>`;
          const end = w.ended
            ? w.ended.reason === 'compacted'
              ? ` <span class="kl-v-flag is-bad">cancelled: compacted at ${w.ended.compactRevision}</span>`
              : ` <span class="kl-v-flag">${esc(w.ended.reason)}</span>`
            : '';
          return `<li class="${w.id === watchEv ? 'is-current' : ''}">watch ${w.id} on ${range} from ${w.startRevision || 'now'} · ${w.events} event${w.events === 1 ? '' : 's'}${w.lastRevision ? ` (last @${w.lastRevision})` : ''}${w.progress ? ` · progress @${w.progress}` : ''}${end}</li>`;
        })
        .join('')}</ul>`
    : '';
  return `<section class="kl-ek-member-card" aria-label="${esc(`etcd member ${member}`)}"><header class="kl-ek-title"><h4>member <code>${esc(member)}</code></h4></header>${header}${table}${leases}${watches}</section>`;
}

export function createEtcdView(root: HTMLElement): ModelView {
  root.classList.add('kl-ek');
  root.innerHTML = `<div class="kl-ek-controls">
      <label class="kl-ek-prefix"><span>Keys under</span> <input type="search" spellcheck="false" autocomplete="off" placeholder="any prefix, e.g. /registry/pods/"></label>
      <label class="kl-ek-member" hidden><span>Member</span> <select></select></label>
    </div>
    <div class="kl-ek-body"></div>`;
  const body = root.querySelector<HTMLElement>('.kl-ek-body')!;
  const input = root.querySelector<HTMLInputElement>('.kl-ek-prefix input')!;
  const memberLabel = root.querySelector<HTMLElement>('.kl-ek-member')!;
  const memberSelect = root.querySelector<HTMLSelectElement>('.kl-ek-member select')!;
  let chosenMember: string | undefined;
  let last: { trace: readonly TraceEvent[]; cursor: number } | undefined;
  let replayed: { trace: readonly TraceEvent[]; length: number; replayer: Replayer<EtcdViewState> } | undefined;
  const replayerFor = (trace: readonly TraceEvent[]) => {
    if (replayed?.trace !== trace || trace.length < replayed.length) replayed = { trace, length: trace.length, replayer: new Replayer(etcdViewReducer, trace) };
    replayed.length = trace.length;
    return replayed.replayer;
  };
  const rerender = () => last && view.render(last.trace, last.cursor);
  input.addEventListener('input', rerender);
  memberSelect.addEventListener('change', () => {
    chosenMember = memberSelect.value;
    rerender();
  });

  const view: ModelView = {
    render(trace, cursor) {
      last = { trace, cursor };
      const s = replayerFor(trace).at(cursor);
      const members = [...s.etcd.members.keys()];
      memberLabel.hidden = members.length < 2;
      if (members.length > 1 && memberSelect.options.length !== members.length) {
        memberSelect.innerHTML = members.map((m) => `<option>${esc(m)}</option>`).join('');
      }
      if (members.length === 0) {
        body.innerHTML = `<p class="kl-viz-empty">${trace.length ? 'No etcd member has been written to yet at this point.' : 'Run your code to watch the etcd keyspace and its revisions.'}</p>`;
        return;
      }
      const member = chosenMember !== undefined && s.etcd.members.has(chosenMember) ? chosenMember : members[0];
      if (members.length > 1 && memberSelect.value !== member) memberSelect.value = member;
      body.innerHTML = keyspaceHtml(s, cursor > 0 ? trace[cursor - 1] : undefined, { prefix: input.value, member });
    },
    prepare(trace, cursor) {
      replayerFor(trace).at(cursor);
    },
    destroy() {
      replayed = undefined;
      last = undefined;
      root.innerHTML = '';
    },
  };
  return view;
}
