/**
 * The `ownergraph` view: Kubernetes objects as boxes in layers (owners above their dependents),
 * an arrow per ownerReference (solid when it blocks the owner's deletion), each box with its
 * deletionTimestamp and finalizers; objects the collector deleted fade out, and the object the
 * event at the cursor is about is ringed with what happened. The layout covers every object the
 * trace ever shows, so deletion propagates along a picture that does not move.
 */
import { type TraceEvent } from '../../../sim/index';
import { garbageCollectorEvents } from '../../../sim/controllers/garbagecollector/events';
import { esc } from '../html';
import type { ModelView } from '../types';
import { isGcEvent, ownerGraphAt, type ObjNode, type OwnerGraphState } from './state';
import './ownergraph.css';

const BOX_W = 150;
const BOX_H = 46;
const GAP_X = 16;
const GAP_Y = 44;
const MAX_PER_ROW = 8;
const f = (n: number) => String(Math.round(n * 10) / 10);

export interface OwnerLayout {
  width: number;
  height: number;
  at: Map<string, { x: number; y: number }>;
  hidden: number;
}

/**
 * Layers by owner depth (an object without owners on top), from every node the trace shows and
 * every owner it ever named: after an orphaning delete, dependents stay under their old owner.
 */
export function ownerLayout(end: OwnerGraphState): OwnerLayout {
  const all = new Map([...end.nodes].filter(([uid]) => end.involved.has(uid)));
  const ownersOf = (uid: string) => (end.everOwners.get(uid) ?? all.get(uid)?.owners.map((o) => o.uid) ?? []).filter((o) => all.has(o));
  const depth = new Map<string, number>();
  const depthOf = (uid: string, seen: Set<string>): number => {
    const known = depth.get(uid);
    if (known !== undefined) return known;
    const n = all.get(uid);
    if (!n || seen.has(uid)) return 0;
    seen.add(uid);
    const owners = ownersOf(uid);
    const d = owners.length ? 1 + Math.max(...owners.map((o) => depthOf(o, seen))) : 0;
    depth.set(uid, d);
    return d;
  };
  const rows: string[][] = [];
  const order = [...all.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
  for (const n of order) (rows[depthOf(n.uid, new Set())] ??= []).push(n.uid);
  // Within a layer, dependents sit in their first owner's order.
  const rank = new Map<string, number>();
  const at = new Map<string, { x: number; y: number }>();
  let hidden = 0;
  let width = 0;
  rows.forEach((row, d) => {
    row.sort((a, b) => (rank.get(ownersOf(a)[0] ?? '') ?? -1) - (rank.get(ownersOf(b)[0] ?? '') ?? -1));
    row.forEach((uid, i) => {
      rank.set(uid, i);
      if (i >= MAX_PER_ROW) {
        hidden++;
        return;
      }
      at.set(uid, { x: 8 + i * (BOX_W + GAP_X), y: 8 + d * (BOX_H + GAP_Y) });
      width = Math.max(width, 8 + (i + 1) * (BOX_W + GAP_X));
    });
  });
  return { width: Math.max(width, BOX_W + 16), height: 8 + rows.length * (BOX_H + GAP_Y), at, hidden };
}

function box(n: ObjNode, p: { x: number; y: number }, current: boolean): string {
  const cls = ['kl-og-node'];
  if (n.removed) cls.push('is-removed');
  else if (n.deletionTimestamp || n.beingDeleted) cls.push('is-deleting');
  if (n.virtual) cls.push('is-virtual');
  if (current) cls.push('is-current');
  const fin = n.finalizers.length ? n.finalizers.map((x) => x.replace(/^kubernetes\.io\//, '')).join(', ') : '';
  const sub = n.removed ? 'deleted' : n.deletionTimestamp ? `deleting${fin ? ` · ${fin}` : ''}` : fin ? `finalizers: ${fin}` : n.virtual ? 'virtual (not seen yet)' : '';
  const title = `${n.kind} ${n.namespace ? `${n.namespace}/` : ''}${n.name}${n.deletionTimestamp ? `, deletionTimestamp ${n.deletionTimestamp}` : ''}${n.finalizers.length ? `, finalizers ${n.finalizers.join(', ')}` : ''}${n.removed ? ', deleted' : ''}${n.action ? `; last: ${n.action}` : ''}`;
  const name = n.name.length > 22 ? `${n.name.slice(0, 21)}…` : n.name;
  return `<g class="${cls.join(' ')}" data-uid="${esc(n.uid)}"><title>${esc(title)}</title><rect x="${f(p.x)}" y="${f(p.y)}" width="${BOX_W}" height="${BOX_H}" rx="5"/><text class="kl-og-kind" x="${f(p.x + 7)}" y="${f(p.y + 13)}">${esc(n.kind)}</text><text class="kl-og-name" x="${f(p.x + 7)}" y="${f(p.y + 27)}">${esc(name)}</text>${sub ? `<text class="kl-og-sub" x="${f(p.x + 7)}" y="${f(p.y + 40)}">${esc(sub.length > 30 ? `${sub.slice(0, 29)}…` : sub)}</text>` : ''}</g>`;
}

export function ownerGraphMarkup(trace: readonly TraceEvent[], layout: OwnerLayout | undefined, cursor: number): string {
  if (!layout || !layout.at.size) return `<p class="kl-viz-empty">${trace.length ? 'No garbage collector events in this trace.' : 'Run your code to watch deletion propagate along owner references.'}</p>`;
  const s: OwnerGraphState = ownerGraphAt(trace, cursor);
  const edges: string[] = [];
  const boxes: string[] = [];
  for (const n of s.nodes.values()) {
    const p = layout.at.get(n.uid);
    if (!p) continue;
    for (const o of n.owners) {
      const q = layout.at.get(o.uid);
      if (!q) continue;
      const x1 = p.x + BOX_W / 2;
      const y1 = p.y;
      const x2 = q.x + BOX_W / 2;
      const y2 = q.y + BOX_H + 3;
      const gone = n.removed || s.nodes.get(o.uid)?.removed;
      edges.push(`<path class="kl-og-ref${o.blockOwnerDeletion ? ' is-blocking' : ''}${gone ? ' is-gone' : ''}" d="M${f(x1)},${f(y1)} C${f(x1)},${f(y1 - GAP_Y / 2)} ${f(x2)},${f(y2 + GAP_Y / 2)} ${f(x2)},${f(y2)}" marker-end="url(#kl-og-arrow)"><title>${esc(`${n.kind} ${n.name} → owner ${o.kind} ${o.name}${o.controller ? ' (controller)' : ''}${o.blockOwnerDeletion ? ', blockOwnerDeletion' : ''}`)}</title></path>`);
    }
    boxes.push(box(n, p, s.current?.uid === n.uid));
  }
  const cur = s.current ? s.nodes.get(s.current.uid) : undefined;
  const status = cur && s.current ? `<p class="kl-og-status" role="status"><b>${esc(cur.kind)} ${esc(cur.name)}</b>: ${esc(s.current.text)}</p>` : '<p class="kl-og-status">&nbsp;</p>';
  const shown = [...s.nodes.values()].filter((n) => layout.at.has(n.uid));
  const live = shown.filter((n) => !n.removed && !n.virtual).length;
  const gone = shown.filter((n) => n.removed).length;
  const deleting = shown.filter((n) => !n.removed && n.deletionTimestamp).length;
  const head = `<p class="kl-og-head">${live} objects with owners or dependents · ${deleting} being deleted · ${gone} deleted · ${s.deletes} deletes by the collector</p>`;
  const svg = `<div class="kl-og-graph" tabindex="0"><svg class="kl-og-svg" viewBox="0 0 ${layout.width} ${layout.height}" width="${layout.width}" height="${layout.height}" role="img" aria-label="Owner graph: ${live} objects, ${deleting} being deleted, ${gone} deleted"><defs><marker id="kl-og-arrow" viewBox="0 0 8 8" refX="6" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L8,4 L0,8 z" class="kl-og-arrowhead"/></marker></defs>${edges.join('')}${boxes.join('')}</svg></div>`;
  const legend = `<ul class="kl-og-legend" aria-label="Legend"><li><span class="kl-og-key" aria-hidden="true"></span>ownerReference (arrow to the owner)</li><li><span class="kl-og-key is-blocking" aria-hidden="true"></span>blockOwnerDeletion</li><li><span class="kl-og-swatch is-deleting" aria-hidden="true"></span>deletionTimestamp set</li><li><span class="kl-og-swatch is-removed" aria-hidden="true"></span>deleted</li></ul>`;
  return `${head}${status}${svg}${layout.hidden ? `<p class="kl-og-dim">${layout.hidden} more objects not drawn.</p>` : ''}${legend}`;
}

export function createOwnerGraphView(root: HTMLElement): ModelView {
  root.classList.add('kl-og');
  let trace: readonly TraceEvent[] | undefined;
  let layout: OwnerLayout | undefined;
  let drawn = '';
  return {
    render(t, cursor) {
      if (t !== trace) {
        trace = t;
        layout = t.some(isGcEvent) ? ownerLayout(ownerGraphAt(t, t.length)) : undefined;
      }
      const html = ownerGraphMarkup(t, layout, cursor);
      if (html !== drawn) root.innerHTML = html;
      drawn = html;
    },
    describe(event) {
      return garbageCollectorEvents.is(event) ? garbageCollectorEvents.text(event) : undefined;
    },
    source(event) {
      return garbageCollectorEvents.is(event) ? garbageCollectorEvents.source(event) : undefined;
    },
    destroy() {
      trace = layout = undefined;
      drawn = '';
      root.innerHTML = '';
    },
  };
}
