/**
 * Strips TypeScript types from learner code with sucrase, keeping ES module syntax and every line
 * where it was, so a stack frame's line number is the learner's line number. Shared by the
 * browser worker and node. Type errors are Monaco's job; this only fails on syntax errors.
 */
import { transform } from 'sucrase';
import type { SourceLocation } from './protocol';

export interface TranspileOk {
  ok: true;
  code: string;
  /** Maps a generated (line, column) back to the learner's column; lines never move. */
  mapColumn: (line: number, column: number) => number;
}

export interface TranspileError {
  ok: false;
  error: { kind: 'syntax'; message: string; location: SourceLocation };
}

export function transpile(source: string, file: string): TranspileOk | TranspileError {
  try {
    const out = transform(source, {
      transforms: ['typescript'],
      disableESTransforms: true,
      filePath: file,
      sourceMapOptions: { compiledFilename: file.replace(/\.ts$/, '.js') },
    });
    const segments = decodeMappings(out.sourceMap?.mappings ?? '');
    return { ok: true, code: out.code, mapColumn: (line, column) => mapColumn(segments, line, column) };
  } catch (err) {
    const e = err as { message?: string; pos?: number };
    const pos = typeof e.pos === 'number' ? e.pos : 0;
    const message = String(e.message ?? err).replace(/\s*\(\d+:\d+\)$/, '');
    return { ok: false, error: { kind: 'syntax', message, location: { file, ...lineColumnAt(source, pos) } } };
  }
}

/** 1-based line and column of character offset `pos` in `text`. */
export function lineColumnAt(text: string, pos: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: pos - lineStart + 1 };
}

/** Per generated line (0-based): [generatedColumn, sourceColumn] pairs, sorted by column. */
type Segments = Array<Array<[number, number]>>;

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decodes a source map's VLQ `mappings` (single source, lines preserved by sucrase). */
function decodeMappings(mappings: string): Segments {
  const lines: Segments = [];
  let sourceColumn = 0;
  for (const lineText of mappings.split(';')) {
    const segs: Array<[number, number]> = [];
    let generatedColumn = 0;
    for (const seg of lineText.split(',')) {
      if (!seg) continue;
      const fields = decodeVlq(seg);
      generatedColumn += fields[0];
      if (fields.length >= 4) {
        sourceColumn += fields[3];
        segs.push([generatedColumn, sourceColumn]);
      }
    }
    lines.push(segs);
  }
  return lines;
}

function decodeVlq(seg: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of seg) {
    const digit = B64.indexOf(ch);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}

/** 1-based generated (line, column) -> 1-based source column. */
function mapColumn(segments: Segments, line: number, column: number): number {
  const segs = segments[line - 1];
  if (!segs || segs.length === 0) return column;
  const col0 = column - 1;
  let best: [number, number] | undefined;
  for (const s of segs) {
    if (s[0] <= col0) best = s;
    else break;
  }
  if (!best) return column;
  return best[1] + (col0 - best[0]) + 1;
}
