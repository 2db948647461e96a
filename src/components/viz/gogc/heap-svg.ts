/**
 * The heap graph as SVG markup: roots (globals, each goroutine's stack) on the left, objects as
 * circles grouped in their spans on the right, pointers as arrows. Fill is the object's colour at
 * the cursor; a ring marks what the event at the cursor shaded (a barrier's catch drawn thicker), a
 * lost object is red with its root path. The layout depends only on the run, so nothing moves while
 * the cursor does.
 */
import { esc } from '../html';
import type { HeapRun, HeapState } from './heap-state';

export const MAX_OBJECTS = 120;
const R = 13;
const GAP = 40;
/** Odd columns sit lower, so an arrow between two objects of a row does not run through the one between. */
const ZIG = 16;
const PER_ROW = 6;
const ROOT_W = 78;
const ROOT_H = 30;
const LEFT = 8;
const SPANS_X = 140;

export interface HeapLayout {
  width: number;
  height: number;
  roots: Map<string, { x: number; y: number }>;
  objects: Map<number, { x: number; y: number }>;
  spans: Array<{ label: string; x: number; y: number; w: number; h: number }>;
  /** Objects left out past MAX_OBJECTS. */
  hidden: number;
}

/** Positions for every root and object of the run: spans stacked top to bottom, objects by id. */
export function heapLayout(run: HeapRun, spanOf: (id: number) => { spanId?: number; sizeclass?: number }): HeapLayout {
  const roots = new Map<string, { x: number; y: number }>();
  run.roots.forEach((name, i) => roots.set(name, { x: LEFT, y: 24 + i * (ROOT_H + 14) }));
  const ids = run.objectIds.slice(0, MAX_OBJECTS);
  const groups = new Map<string, number[]>();
  // A class whose objects the trace placed in one span only: its other objects are there too
  // (a small heap fills the first span of a class before opening another).
  const spansOfClass = new Map<number, Set<number>>();
  for (const id of ids) {
    const s = spanOf(id);
    if (s.spanId !== undefined && s.sizeclass !== undefined) spansOfClass.set(s.sizeclass, (spansOfClass.get(s.sizeclass) ?? new Set()).add(s.spanId));
  }
  for (const id of ids) {
    const s = spanOf(id);
    const only = s.sizeclass !== undefined && spansOfClass.get(s.sizeclass)?.size === 1 ? [...spansOfClass.get(s.sizeclass)!][0] : undefined;
    const spanId = s.spanId ?? only;
    const key = spanId !== undefined ? `span ${spanId}` : s.sizeclass !== undefined ? `class ${s.sizeclass}` : 'span ?';
    groups.set(key, [...(groups.get(key) ?? []), id]);
  }
  const objects = new Map<number, { x: number; y: number }>();
  const spans: HeapLayout['spans'] = [];
  let y = 14;
  const keys = [...groups.keys()].sort((a, b) => (a === 'span ?' ? 1 : b === 'span ?' ? -1 : a.localeCompare(b, 'en', { numeric: true })));
  for (const key of keys) {
    const members = groups.get(key)!;
    const rows = Math.ceil(members.length / PER_ROW);
    const w = Math.min(members.length, PER_ROW) * GAP + 16;
    const h = rows * GAP + 30 + (members.length > 1 ? ZIG : 0);
    const cls = members.map((m) => spanOf(m).sizeclass).find((c) => c !== undefined);
    spans.push({ label: `${key}${cls !== undefined && !key.startsWith('class') ? ` · class ${cls}` : ''}`, x: SPANS_X, y, w: Math.max(w, 110), h });
    members.forEach((id, i) => objects.set(id, { x: SPANS_X + 8 + GAP / 2 + (i % PER_ROW) * GAP, y: y + 22 + GAP / 2 + Math.floor(i / PER_ROW) * GAP - 4 + (i % 2) * ZIG }));
    y += h + 12;
  }
  const rootsBottom = 24 + run.roots.length * (ROOT_H + 14);
  const width = Math.max(SPANS_X + 130, ...spans.map((s) => s.x + s.w + 8));
  return { width, height: Math.max(y, rootsBottom) + 4, roots, objects, spans, hidden: run.objectIds.length - ids.length };
}

const f = (n: number) => String(Math.round(n * 10) / 10);

/** Where an arrow from `a` to the circle at `b` starts and ends (on the circle's rim). */
function arrow(a: { x: number; y: number }, b: { x: number; y: number }, fromCircle: boolean): string {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const d = Math.hypot(dx, dy) || 1;
  const sx = fromCircle ? a.x + (dx / d) * R : a.x;
  const sy = fromCircle ? a.y + (dy / d) * R : a.y;
  const ex = b.x - (dx / d) * (R + 3);
  const ey = b.y - (dy / d) * (R + 3);
  // A slight bend, so a pair of opposite pointers stays two lines.
  const mx = (sx + ex) / 2 - (dy / d) * 10;
  const my = (sy + ey) / 2 + (dx / d) * 10;
  return `M${f(sx)},${f(sy)} Q${f(mx)},${f(my)} ${f(ex)},${f(ey)}`;
}

/** The holders on the lost object's root path, as edge keys `from>to`. */
function pathEdges(path: string[]): Set<string> {
  const out = new Set<string>();
  const node = (h: string) => {
    const o = /^obj(\d+)/.exec(h);
    if (o) return `obj${o[1]}`;
    if (h.startsWith('global')) return 'globals';
    return /^(g\d+)\./.exec(h)?.[1] ?? h;
  };
  for (let i = 0; i + 1 < path.length; i++) out.add(`${node(path[i])}>${node(path[i + 1])}`);
  return out;
}

/** The graph at the cursor. */
export function heapSvg(L: HeapLayout, s: HeapState, run: HeapRun): string {
  const out: string[] = [];
  out.push(`<defs><marker id="kl-gc-arrow" viewBox="0 0 8 8" refX="6" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L8,4 L0,8 z" class="kl-gc-arrowhead"/></marker><marker id="kl-gc-arrow-lost" viewBox="0 0 8 8" refX="6" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L8,4 L0,8 z" class="kl-gc-arrowhead-lost"/></marker></defs>`);
  for (const sp of L.spans) {
    out.push(`<g class="kl-gc-span"><rect x="${f(sp.x)}" y="${f(sp.y)}" width="${f(sp.w)}" height="${f(sp.h)}" rx="6"/><text x="${f(sp.x + 6)}" y="${f(sp.y + 13)}">${esc(sp.label)}</text></g>`);
  }
  const allocated = new Set(run.allocatedIds);
  const visible = (id: number) => L.objects.has(id) && (!allocated.has(id) || s.objects.has(id));
  const lostEdges = pathEdges(s.lostPath);
  for (const e of s.edges.values()) {
    if (!visible(e.to)) continue;
    const to = L.objects.get(e.to)!;
    const fromObj = /^obj(\d+)$/.exec(e.from);
    const from = fromObj ? L.objects.get(Number(fromObj[1])) : L.roots.get(e.from);
    if (!from || (fromObj && !visible(Number(fromObj[1])))) continue;
    const start = fromObj ? from : { x: from.x + ROOT_W, y: from.y + ROOT_H / 2 };
    const lost = lostEdges.has(`${e.from}>obj${e.to}`);
    const label = e.label.startsWith('?') ? '' : `<title>${esc(e.from)}${e.label ? `.${esc(e.label)}` : ''} → obj${e.to}</title>`;
    out.push(`<path class="kl-gc-edge${lost ? ' is-lost' : ''}" d="${arrow(start, to, Boolean(fromObj))}" marker-end="url(#kl-gc-arrow${lost ? '-lost' : ''})">${label}</path>`);
  }
  for (const [name, p] of L.roots) {
    const r = s.roots.get(name);
    const scanned = r?.scanned ?? false;
    const title = name === 'globals' ? 'globals (data and bss)' : `goroutine ${name.slice(1)}'s stack`;
    out.push(`<g class="kl-gc-root${scanned ? ' is-scanned' : ''}" data-root="${esc(name)}"><title>${esc(title)}: ${scanned ? 'scanned (black)' : 'not scanned yet (grey)'}</title><rect x="${f(p.x)}" y="${f(p.y)}" width="${ROOT_W}" height="${ROOT_H}" rx="4"/><text x="${f(p.x + ROOT_W / 2)}" y="${f(p.y + ROOT_H / 2 + 4)}" text-anchor="middle">${esc(name === 'globals' ? 'globals' : `${name} stack`)}</text></g>`);
  }
  const caught = new Set(s.barrierAt?.shaded ?? []);
  const rung = new Set(s.justShaded);
  for (const [id, p] of L.objects) {
    if (!visible(id)) continue;
    const o = s.objects.get(id);
    const color = o?.color ?? 'white';
    const cls = ['kl-gc-obj', `is-${color}`];
    if (o?.freed) cls.push('is-freed');
    if (o?.lost) cls.push('is-lost');
    if (caught.has(id)) cls.push('is-caught');
    const state = o?.lost ? 'lost: freed while reachable' : o?.freed ? 'freed by sweep' : color;
    const ring = caught.has(id) ? `<circle class="kl-gc-catch" cx="${f(p.x)}" cy="${f(p.y)}" r="${R + 5}"/>` : rung.has(id) ? `<circle class="kl-gc-ring" cx="${f(p.x)}" cy="${f(p.y)}" r="${R + 4}"/>` : '';
    out.push(`<g class="${cls.join(' ')}" data-obj="${id}" data-color="${color}"><title>${esc(objLabel(s, id))}: ${esc(state)}${caught.has(id) ? ', shaded by the write barrier' : ''}</title>${ring}<circle cx="${f(p.x)}" cy="${f(p.y)}" r="${R}"/><text x="${f(p.x)}" y="${f(p.y + 4)}" text-anchor="middle">${esc(s.names.get(id)?.slice(0, 3) ?? String(id))}</text>${o?.lost ? `<text class="kl-gc-lost-label" x="${f(p.x)}" y="${f(p.y + R + 11)}" text-anchor="middle">lost</text>` : ''}</g>`);
  }
  return out.join('');
}

/** An object as the lab named it (`a (obj2)`), or `obj2`. */
export function objLabel(s: Pick<HeapState, 'names'>, id: number): string {
  const name = s.names.get(id);
  return name === undefined ? `obj${id}` : `${name} (obj${id})`;
}
