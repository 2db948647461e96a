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
    const out = transform(source, { transforms: ['typescript'], disableESTransforms: true, filePath: file });
    return { ok: true, code: out.code, mapColumn: columnMapper(source, out.code) };
  } catch (err) {
    const e = err as { message?: string; pos?: number };
    const pos = typeof e.pos === 'number' ? e.pos : 0;
    const message = String(e.message ?? err)
      .replace(/^Error transforming [^:]*: /, '')
      .replace(/\s*\(\d+:\d+\)$/, '');
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

/**
 * Maps generated columns to source columns. Sucrase keeps every line and only deletes text
 * within a line (type annotations, `as` casts, type arguments), so each generated line is a
 * subsequence of its source line: align the two greedily, once per line, when first asked.
 * (Sucrase's own source map drifts after template literals, so it is not used.)
 */
function columnMapper(source: string, generated: string): (line: number, column: number) => number {
  const srcLines = source.split('\n');
  const genLines = generated.split('\n');
  const cache = new Map<number, number[] | null>();
  return (line, column) => {
    if (!cache.has(line)) cache.set(line, alignLine(srcLines[line - 1], genLines[line - 1]));
    const map = cache.get(line);
    if (!map) return column;
    const i = column - 1;
    if (i < map.length) return map[i] + 1;
    // Past the end of the generated line: keep the distance from its end.
    return (map.length ? map[map.length - 1] + 1 : 0) + (i - map.length) + 1;
  };
}

/** For each index of `gen`, its index in `src`; null when gen is not a subsequence of src. */
function alignLine(src: string | undefined, gen: string | undefined): number[] | null {
  if (src === undefined || gen === undefined) return null;
  if (src === gen) return null;
  const map: number[] = [];
  let j = 0;
  for (let i = 0; i < gen.length; i++) {
    while (j < src.length && src[j] !== gen[i]) j++;
    if (j >= src.length) return null;
    map.push(j++);
  }
  return map;
}
