// `heap`: the live process's objects by colour and its spans, mid-cycle as well as between cycles.
import type { Collector } from '../../../sim/gogc/index';
import { SIZE_CLASSES } from '../../../sim/gogc/sizeclasses';
import type { Color, Pointer } from '../../../sim/gogc/types';
import type { GoprocEventMap } from '../../../sim/gogc/goproc_events';

/** Ids listed per line before "... and N more" (the terminal's output stays bounded). */
export const MAX_LISTED = 40;
/** Objects `heap -v` prints one per line at most. */
export const MAX_OBJECT_LINES = 100;

const COLORS: Color[] = ['white', 'grey', 'black'];

const ptr = (p: Pointer) => (p === null ? 'nil' : `obj${p}`);

function list(ids: number[]): string {
  if (ids.length === 0) return '-';
  const shown = ids.slice(0, MAX_LISTED).map((id) => `obj${id}`).join(' ');
  return ids.length > MAX_LISTED ? `${shown} ... and ${ids.length - MAX_LISTED} more` : shown;
}

/** Columns two spaces apart: numbers right-aligned, the first column and `left` ones left-aligned. */
export function columns(rows: string[][], left: number[] = []): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const leftAligned = new Set([0, ...left]);
  return rows.map((r) => r.map((cell, i) => (leftAligned.has(i) ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd());
}

/** The whole `heap` text: phase, counts by colour, the span table, the ids by colour, the roots. */
export function heapText(c: Collector, opts: { verbose?: boolean } = {}): string {
  const objects = [...c.heap.objects.values()].sort((a, b) => a.id - b.id);
  const byColor = new Map<Color, number[]>(COLORS.map((k) => [k, []]));
  for (const o of objects) byColor.get(o.color)!.push(o.id);
  const bytes = objects.reduce((n, o) => n + SIZE_CLASSES[o.sizeclass - 1].bytesPerObj, 0);
  const spans = c.heap.spans.filter((s) => s.allocCount > 0 || c.marking);
  const out: string[] = [];
  const phase = c.phase === 'off' ? 'off (no cycle running)' : c.phase;
  out.push(`phase ${phase}, step ${c.step}; barrier ${c.barrier}, marker ${c.marker}`);
  out.push(`${objects.length} objects, ${bytes} B in ${spans.length} spans: ${COLORS.map((k) => `${k} ${byColor.get(k)!.length}`).join(', ')}`);
  if (!c.marking) out.push('(between cycles every object is white: the next cycle starts from white, and sweep frees what is still white at its end)');
  out.push('');
  const rows = [['SPAN', 'CLASS', 'OBJSIZE', 'NELEMS', 'USED', 'FREE', 'WHITE', 'GREY', 'BLACK']];
  for (const s of spans) {
    const count = (k: Color) => [...s.slots.values()].filter((id) => c.heap.objects.get(id)?.color === k).length;
    const cls = SIZE_CLASSES[s.sizeclass - 1];
    rows.push([String(s.spanId), String(s.sizeclass), `${cls.bytesPerObj} B`, String(s.nelems), String(s.allocCount), String(s.nelems - s.allocCount), ...COLORS.map((k) => String(count(k)))]);
  }
  out.push(...columns(rows));
  out.push('');
  for (const k of COLORS) out.push(`${k.padEnd(5)}  ${list(byColor.get(k)!)}`);
  if (c.marking) {
    out.push(`work queue (grey, next scanned last): ${list(c.work)}`);
    if (c.greentea) out.push(`span queue: ${c.greentea.spanq.length ? c.greentea.spanq.map((r) => `span ${r.spanId}`).join(' ') : '-'}`);
    out.push(`root jobs left: ${c.rootJobs.length ? c.rootJobs.join(' ') : '-'}`);
  }
  out.push('');
  out.push(`globals: [${c.globals.map(ptr).join(' ')}]${c.marking ? (c.globalsScanned ? ' (scanned: black)' : ' (not scanned yet)') : ''}`);
  for (const g of c.goroutines) {
    const state = g.pc < g.program.length ? `pc ${g.pc}/${g.program.length}` : 'program done';
    out.push(`g${g.id} stack: [${g.slots.map(ptr).join(' ')}] ${state}${c.marking ? (g.stackScanned ? ', scanned: black' : ', not scanned: grey') : ''}`);
  }
  if (opts.verbose) {
    out.push('');
    const objRows = [['OBJ', 'CLASS', 'SPAN', 'SLOT', 'COLOR', 'FIELDS']];
    for (const o of objects.slice(0, MAX_OBJECT_LINES)) objRows.push([`obj${o.id}`, String(o.sizeclass), String(o.spanId), String(o.objIndex), o.color, `[${o.fields.map(ptr).join(' ')}]`]);
    out.push(...columns(objRows, [4, 5]));
    if (objects.length > MAX_OBJECT_LINES) out.push(`... and ${objects.length - MAX_OBJECT_LINES} more objects`);
  }
  return out.join('\n');
}

/** The heap as plain data (the `goproc.heap` event). */
export function heapSnapshot(c: Collector): GoprocEventMap['goproc.heap'] {
  return {
    step: c.step,
    phase: c.phase,
    objects: [...c.heap.objects.values()].map((o) => ({ id: o.id, sizeclass: o.sizeclass, spanId: o.spanId, objIndex: o.objIndex, color: o.color, fields: [...o.fields] })),
    globals: [...c.globals],
    stacks: c.goroutines.map((g) => ({ g: g.id, slots: [...g.slots], scanned: g.stackScanned, pc: g.pc, ops: g.program.length })),
    work: [...c.work],
  };
}
