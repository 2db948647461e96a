/**
 * Turns the learner's module (JavaScript with `import` / `export`, types already stripped by
 * transpile.ts) into the source of one async function that a SES Compartment can evaluate:
 *
 *   (async function (__kubelab_require, __kubelab_exports, __kubelab_import, __kubelab_loop) {<prologue><code>
 *   })
 *
 * - `import ... from 'kubelab'` statements are blanked and their bindings declared in the
 *   prologue (`const { newQueue } = __kubelab_require('kubelab');`); `import('kubelab')` calls
 *   `__kubelab_import`. Any other specifier is refused (listed in `disallowed`).
 * - `export` declarations keep their code (the keyword is blanked); the prologue defines a getter
 *   per exported name on the exports object, so exports are live bindings as in a module.
 * - Top-level `await` works (the function is async); `this` is undefined as in a module.
 * - SES refuses source text that looks like `import(`, a direct `eval(` or an HTML comment, even
 *   inside a comment or a string. Comments are blanked; strings, templates and regular
 *   expressions get an equivalent escape (`\x69mport(`); a direct `eval(...)` in code is
 *   refused with its location (`refused`).
 *
 * Lines never move: the prologue is on the first line, every edit stays within its line, and
 * `mapColumn` maps a column of the output back to a column of the input. Every loop calls
 * `__kubelab_loop` (loop-guard.ts).
 */
import { parse, type SucraseToken } from 'sucrase/dist/esm/parser/index.js';
import { TokenType } from 'sucrase/dist/esm/parser/tokenizer/types.js';
import { LOOP_PARAM, loopGuardEdits } from './loop-guard';

export const API_SPECIFIER = 'kubelab';
export const REQUIRE_PARAM = '__kubelab_require';
export const EXPORTS_PARAM = '__kubelab_exports';
export const IMPORT_PARAM = '__kubelab_import';
const HEAD = `(async function (${REQUIRE_PARAM}, ${EXPORTS_PARAM}, ${IMPORT_PARAM}, ${LOOP_PARAM}) {`;

export interface ImportSite {
  specifier: string;
  /** Offset of the specifier's string literal in the input. */
  start: number;
}

export interface ScriptProblem {
  message: string;
  /** Offset in the input. */
  start: number;
}

export type ModuleScript =
  | {
      ok: true;
      /** The function expression's source (evaluate it, then call it). */
      code: string;
      /** Names the module exports, in order. */
      exports: string[];
      /** Output (line, column) -> input column; both 1-based, lines are the same. */
      mapColumn: (line: number, column: number) => number;
    }
  | {
      ok: false;
      /** Imports of anything but `kubelab`. */
      disallowed: ImportSite[];
      /** Code the sandbox cannot run (a direct eval), or code that does not parse. */
      refused: ScriptProblem[];
      syntax?: ScriptProblem;
    };

/** The learner-facing text for an import we refuse. */
export function disallowedImportMessage(specifier: string): string {
  return `Cannot import '${specifier}': labs can import only '${API_SPECIFIER}'`;
}

/** SES's own tests for the patterns it refuses (ses/src/transforms.js). */
const SES_IMPORT = /(^|[^.]|\.\.\.)\bimport(\s*(?:\(|\/[/*]))/;
const SES_EVAL = /(^|[^.])\beval(\s*\()/;
const SES_HTML_COMMENT = /(?:<!--|-->)/;

interface Edit {
  start: number;
  end: number;
  text: string;
}

export function moduleToScript(js: string): ModuleScript {
  let tokens: SucraseToken[];
  try {
    tokens = parse(js, false, false, false).tokens;
  } catch (e) {
    const err = e as { message?: string; pos?: number };
    return { ok: false, disallowed: [], refused: [], syntax: { message: String(err.message ?? e).replace(/\s*\(\d+:\d+\)$/, ''), start: err.pos ?? 0 } };
  }
  const text = (t: SucraseToken | undefined) => (t ? js.slice(t.start, t.end) : '');
  const edits: Edit[] = [];
  const disallowed: ImportSite[] = [];
  const refused: ScriptProblem[] = [];
  const bindings: string[] = [];
  const exported: Array<{ name: string; local: string }> = [];
  const blank = (start: number, end: number) => edits.push({ start, end, text: js.slice(start, end).replace(/[^\n]/g, ' ') });
  const specifierOf = (t: SucraseToken): string => {
    try {
      return JSON.parse(text(t).replace(/^'(.*)'$/s, (_, s: string) => `"${s.replace(/"/g, '\\"')}"`)) as string;
    } catch {
      return text(t).slice(1, -1);
    }
  };
  const checkSpecifier = (t: SucraseToken | undefined): boolean => {
    if (!t || t.type !== TokenType.string) return false;
    const specifier = specifierOf(t);
    if (specifier === API_SPECIFIER) return true;
    disallowed.push({ specifier, start: t.start });
    return false;
  };

  // Comments (the only text between tokens that is not whitespace) are blanked.
  let last = 0;
  for (const t of tokens) {
    if (t.start > last && /\S/.test(js.slice(last, t.start))) blank(last, t.start);
    last = Math.max(last, t.end);
  }
  if (last < js.length && /\S/.test(js.slice(last))) blank(last, js.length);

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const word = text(t);
    const prev = tokens[i - 1];
    const afterDot = prev !== undefined && text(prev) === '.';

    if (t.type === TokenType.string || t.type === TokenType.template || t.type === TokenType.regexp) {
      const escaped = escapeRefusedPatterns(word);
      if (escaped !== word) edits.push({ start: t.start, end: t.end, text: escaped });
      continue;
    }
    if (word === 'eval' && !afterDot && text(tokens[i + 1]) === '(') {
      refused.push({ message: 'eval() is not available in labs: the sandbox that runs your code allows no direct eval. Call your functions directly.', start: t.start });
      continue;
    }
    if ((word === '--' && text(tokens[i + 1]) === '>' && tokens[i + 1].start === t.end) || (word === '<' && text(tokens[i + 1]) === '!' && tokens[i + 1].start === t.end)) {
      // `a-->b` and `a<!--b` are valid JavaScript that SES reads as HTML comments: add a space.
      edits.push({ start: t.start, end: t.end, text: `${word} ` });
      continue;
    }
    if (word === 'import' && !afterDot) {
      const next = text(tokens[i + 1]);
      if (next === '(') {
        // import('kubelab') -> __kubelab_import('kubelab'); a computed specifier is checked when it runs.
        const arg = tokens[i + 2];
        if (arg?.type === TokenType.string && text(tokens[i + 3]) === ')') checkSpecifier(arg);
        edits.push({ start: t.start, end: t.end, text: IMPORT_PARAM });
        continue;
      }
      const n = tokens[i + 1];
      // A statement: `import x`, `import {`, `import *`, `import 'x'` (not `{ import: 1 }`, not import.meta).
      if (n && (n.identifierRole === 9 || next === '{' || next === '*' || n.type === TokenType.string)) i = importStatement(i);
      continue;
    }
    if (word === 'export' && !afterDot && t.rhsEndIndex !== null) {
      i = exportStatement(i) - 1;
      continue;
    }
  }

  if (disallowed.length > 0 || refused.length > 0) return { ok: false, disallowed, refused };
  edits.push(...loopGuardEdits(js, tokens));

  const prologue = [...bindings];
  if (exported.length > 0) {
    const props = exported.map(({ name, local }) => `${JSON.stringify(name)}: { get: () => ${local}, enumerable: true }`).join(', ');
    prologue.push(`Object.defineProperties(${EXPORTS_PARAM}, { ${props} });`);
  }
  const head = HEAD + prologue.join(' ');
  const body = applyEdits(js, edits);
  const code = `${head}${body}\n})`;
  // Whatever escaped the edits above (it should be nothing) is reported rather than left to SES.
  for (const [re, what] of [[SES_IMPORT, 'import('], [SES_EVAL, 'eval('], [SES_HTML_COMMENT, 'an HTML comment']] as const) {
    const m = re.exec(body);
    if (m) return { ok: false, disallowed: [], refused: [{ message: `The sandbox cannot run code containing ${what} here.`, start: inputOffset(edits, m.index) }] };
  }
  const lineMap = columnMapper(js, edits);
  return {
    ok: true,
    code,
    exports: exported.map((e) => e.name),
    mapColumn: (line, column) => lineMap(line, line === 1 ? Math.max(1, column - head.length) : column),
  };

  /** `import ... from 'x';` / `import 'x';` starting at token i; returns the last token's index. */
  function importStatement(i: number): number {
    const start = tokens[i].start;
    let j = i + 1;
    while (j < tokens.length && tokens[j].type !== TokenType.string && text(tokens[j]) !== ';') j++;
    const spec = tokens[j];
    const ok = checkSpecifier(spec);
    let end = spec ? spec.end : tokens[j - 1].end;
    // Import attributes (`with { ... }`) and the semicolon belong to the statement.
    let k = j + 1;
    if (text(tokens[k]) === 'with' || text(tokens[k]) === 'assert') {
      while (k < tokens.length && text(tokens[k]) !== '}') k++;
      end = tokens[k]?.end ?? end;
      k++;
    }
    if (text(tokens[k]) === ';') end = tokens[k++].end;
    if (ok) bindings.push(...importBindings(i + 1, j));
    blank(start, end);
    return k - 1;
  }

  /** Declarations for the bindings of an import clause (tokens from..to, `from` excluded). */
  function importBindings(from: number, to: number): string[] {
    const out: string[] = [];
    const named: string[] = [];
    const req = `${REQUIRE_PARAM}(${JSON.stringify(API_SPECIFIER)})`;
    for (let j = from; j < to; j++) {
      const w = text(tokens[j]);
      if (w === '*' && text(tokens[j + 1]) === 'as') {
        out.push(`const ${text(tokens[j + 2])} = ${req};`);
        j += 2;
      } else if (w === '{') {
        for (j++; j < to && text(tokens[j]) !== '}'; j++) {
          const imported = text(tokens[j]);
          if (imported === ',') continue;
          let local = imported;
          if (text(tokens[j + 1]) === 'as') {
            local = text(tokens[j + 2]);
            j += 2;
          }
          const key = /^['"]/.test(imported) ? imported : JSON.stringify(imported);
          named.push(local === imported ? local : `${key}: ${local}`);
        }
      } else if (tokens[j].identifierRole === 9 && w !== 'from') {
        out.push(`const ${w} = ${req}.default;`);
      }
    }
    if (named.length > 0) out.unshift(`const { ${named.join(', ')} } = ${req};`);
    return out;
  }

  /** An export statement starting at token i; returns the index of the token after it. */
  function exportStatement(i: number): number {
    const t = tokens[i];
    const endIndex = t.rhsEndIndex!;
    const next = text(tokens[i + 1]);
    const stmtEnd = tokens[endIndex - 1]?.end ?? t.end;
    if (next === '{' || next === '*') {
      // export { a, b as c } [from 'x'];  export * [as ns] from 'x';
      const fromAt = tokens.slice(i, endIndex).findIndex((x) => text(x) === 'from');
      const source = fromAt >= 0 ? tokens[i + fromAt + 1] : undefined;
      if (source && !checkSpecifier(source)) {
        blank(t.start, stmtEnd);
        return endIndex;
      }
      const req = `${REQUIRE_PARAM}(${JSON.stringify(API_SPECIFIER)})`;
      if (next === '*') {
        if (text(tokens[i + 2]) === 'as') exported.push({ name: text(tokens[i + 3]), local: req });
        else bindings.push(`for (const k of Object.keys(${req})) if (!(k in ${EXPORTS_PARAM})) Object.defineProperty(${EXPORTS_PARAM}, k, { get: () => ${req}[k], enumerable: true });`);
      } else {
        for (let j = i + 2; j < endIndex && text(tokens[j]) !== '}'; j++) {
          const local = text(tokens[j]);
          if (local === ',') continue;
          let name = local;
          if (text(tokens[j + 1]) === 'as') {
            name = text(tokens[j + 2]).replace(/^['"]|['"]$/g, '');
            j += 2;
          }
          exported.push({ name, local: source ? `${req}[${JSON.stringify(local)}]` : local });
        }
      }
      blank(t.start, stmtEnd);
      return endIndex;
    }
    if (next === 'default') {
      const after = tokens[i + 2];
      const isDecl = text(after) === 'function' || text(after) === 'class' || (text(after) === 'async' && text(tokens[i + 3]) === 'function');
      const named = isDecl ? tokens.slice(i + 2, endIndex).find((x) => x.identifierRole === 2) : undefined;
      if (named) {
        // export default function f() {} -> a declaration (hoisted), exported as default.
        blank(t.start, tokens[i + 1].end);
        exported.push({ name: 'default', local: text(named) });
      } else {
        const local = '__kubelab_default';
        edits.push({ start: t.start, end: tokens[i + 1].end, text: `const ${local} =` });
        exported.push({ name: 'default', local });
      }
      return i + 2;
    }
    // export const|let|var ...: every name the declarators bind; export [async] function|class:
    // the declaration's own name.
    blank(t.start, t.end);
    const declared = tokens.slice(i + 1, endIndex).filter((x) => x.identifierRole === 2 || x.identifierRole === 5);
    for (const d of next === 'const' || next === 'let' || next === 'var' ? declared : declared.slice(0, 1)) {
      exported.push({ name: text(d), local: text(d) });
    }
    return i + 1;
  }
}

/** Escapes the first letter of anything SES would read as `import(`, `eval(` or an HTML comment. */
function escapeRefusedPatterns(literal: string): string {
  return literal
    .replace(/\bimport(?=\s*(?:\(|\/[/*]))/g, '\\x69mport')
    .replace(/\beval(?=\s*\()/g, '\\x65val')
    .replace(/<!--/g, '\\x3c!--')
    .replace(/-->/g, '--\\x3e');
}

function applyEdits(js: string, edits: Edit[]): string {
  // At one offset an insertion (a loop guard) goes before a replacement (a blanked comment).
  edits.sort((a, b) => a.start - b.start || (a.end - a.start) - (b.end - b.start));
  let out = '';
  let at = 0;
  for (const e of edits) {
    if (e.start < at) continue; // overlapping (a comment inside a blanked statement): the first wins
    out += js.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + js.slice(at);
}

/** The input offset of an output offset (of the body, before the head was added). */
function inputOffset(edits: Edit[], outOffset: number): number {
  let delta = 0;
  for (const e of edits) {
    const outStart = e.start + delta;
    if (outOffset < outStart) break;
    if (outOffset < outStart + e.text.length) return e.start;
    delta += e.text.length - (e.end - e.start);
  }
  return outOffset - delta;
}

/** Output column -> input column, per line, from the edits (which never span a line break). */
function columnMapper(js: string, edits: Edit[]): (line: number, column: number) => number {
  const lineStarts = [0];
  for (let i = 0; i < js.length; i++) if (js.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const byLine = new Map<number, Edit[]>();
  let at = 0;
  for (const e of edits) {
    if (e.start < at || e.text.length === e.end - e.start) {
      at = Math.max(at, e.end);
      continue;
    }
    at = e.end;
    let line = 0;
    while (line + 1 < lineStarts.length && lineStarts[line + 1] <= e.start) line++;
    const list = byLine.get(line + 1) ?? [];
    list.push(e);
    byLine.set(line + 1, list);
  }
  return (line, column) => {
    const list = byLine.get(line);
    if (!list) return column;
    const lineStart = lineStarts[line - 1];
    let delta = 0;
    for (const e of list) {
      const outStart = e.start - lineStart + delta + 1;
      if (column < outStart) break;
      if (column < outStart + e.text.length) return e.start - lineStart + 1;
      delta += e.text.length - (e.end - e.start);
    }
    return column - delta;
  };
}
