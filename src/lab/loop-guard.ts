/**
 * The loop guard: learner code that never returns ends with an error at its line instead of a
 * killed worker, and a learner's scheduler plugin that never returns fails its call the way
 * upstream reports a failing plugin (an Error status naming it) while the cycle goes on.
 *
 * module-script.ts instruments every loop with a call of LOOP_PARAM:
 *   while (c) / do … while (c)   ->  while (__kubelab_loop(LINE) && (c))
 *   for (i; c; u)                ->  for (i; __kubelab_loop(LINE) && (c); u)   (empty c: the call alone)
 *   for (x of xs) / for await    ->  for (x of __kubelab_loop(LINE, xs, "xs"))  (each step of the iterator)
 * `for … in` walks an object's own keys and always ends; recursion ends in a RangeError.
 *
 * The guard (newLoopGuard) reads a wall clock every few hundred calls. A loop trips it when
 *  - it runs inside a foreign call (src/sim/core/callscope.ts: a model calling a learner's plugin)
 *    for longer than `callLimitMs`: the call throws, and every loop throws until that call
 *    returns, so a `try`/`catch` inside the plugin cannot swallow it;
 *  - or, anywhere, the run has lasted `runLimitMs` (just short of the budget that kills the runner):
 *    from then on every loop throws, so the run ends with a located error and its output.
 * A loop that tripped once throws at its next step for the rest of the run: a plugin called on
 * every node fails fast after its first call ran away.
 */
import { TokenType } from 'sucrase/dist/esm/parser/tokenizer/types.js';
import type { SucraseToken } from 'sucrase/dist/esm/parser/index.js';

export const LOOP_PARAM = '__kubelab_loop';

export interface LoopEdit {
  start: number;
  end: number;
  text: string;
}

/** Insertions that guard every loop in `js` (tokens from sucrase's parser). */
export function loopGuardEdits(js: string, tokens: SucraseToken[]): LoopEdit[] {
  const edits: LoopEdit[] = [];
  const text = (t: SucraseToken | undefined) => (t ? js.slice(t.start, t.end) : '');
  const insert = (at: number, s: string) => edits.push({ start: at, end: at, text: s });
  let line = 1;
  let scanned = 0;
  const lineAt = (pos: number) => {
    for (; scanned < pos; scanned++) if (js.charCodeAt(scanned) === 10) line++;
    return line;
  };
  const opens = new Set([TokenType.parenL, TokenType.bracketL, TokenType.braceL, TokenType.dollarBraceL]);
  const closes = new Set([TokenType.parenR, TokenType.bracketR, TokenType.braceR]);
  /** Index of the `)` closing the `(` at index i. */
  const closing = (i: number): number => {
    let depth = 0;
    for (let j = i; j < tokens.length; j++) {
      if (opens.has(tokens[j].type)) depth++;
      else if (closes.has(tokens[j].type) && --depth === 0) return j;
    }
    return -1;
  };

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type !== TokenType._while && t.type !== TokenType._for) continue;
    const L = lineAt(t.start);
    const guard = `${LOOP_PARAM}(${L})`;
    let open = i + 1;
    if (t.type === TokenType._for && text(tokens[open]) === 'await') open++;
    if (tokens[open]?.type !== TokenType.parenL) continue;
    const close = closing(open);
    if (close < 0) continue;
    if (t.type === TokenType._while) {
      insert(tokens[open].end, `${guard} && (`);
      insert(tokens[close].start, ')');
      continue;
    }
    // for: the head's top-level `;`, `in` or `of`.
    const semis: number[] = [];
    let kind: 'in' | 'of' | undefined;
    let ofAt = -1;
    let depth = 0;
    for (let j = open + 1; j < close; j++) {
      const tj = tokens[j];
      if (opens.has(tj.type)) depth++;
      else if (closes.has(tj.type)) depth--;
      else if (depth === 0 && tj.type === TokenType.semi) semis.push(j);
      else if (depth === 0 && !kind && tj.type === TokenType._in) kind = 'in';
      else if (depth === 0 && !kind && text(tj) === 'of' && !['const', 'let', 'var', '('].includes(text(tokens[j - 1]))) {
        kind = 'of';
        ofAt = j;
      }
    }
    if (semis.length === 2) {
      const [a, b] = semis;
      if (b === a + 1) insert(tokens[a].end, ` ${guard}`);
      else {
        insert(tokens[a + 1].start, `${guard} && (`);
        insert(tokens[b].start, ')');
      }
    } else if (kind === 'of' && ofAt + 1 < close) {
      const expr = js.slice(tokens[ofAt + 1].start, tokens[close - 1].end);
      const label = expr.length <= 40 && !expr.includes('\n') ? expr : 'value';
      insert(tokens[ofAt + 1].start, `${LOOP_PARAM}(${L}, `);
      insert(tokens[close - 1].end, `, ${JSON.stringify(label)})`);
    }
  }
  return edits;
}

export interface LoopGuardOptions {
  /** The host's wall clock, in ms. */
  now: () => number;
  /** How long a loop may run inside one foreign call. */
  callLimitMs: number;
  /** From this wall time on (ms since the run started), every loop throws. */
  runLimitMs: number;
  /** The learner file, for messages. */
  file: string;
}

export interface LoopGuard {
  /** The function instrumented code calls (LOOP_PARAM). */
  check: (line: number, iterable?: unknown, label?: string) => unknown;
  /** The call-scope hook for src/sim/core/callscope.ts. */
  scope: { enter(): void; exit(): void };
}

/** How many guard calls pass between two readings of the clock. */
const CLOCK_EVERY = 256;

export function newLoopGuard(o: LoopGuardOptions): LoopGuard {
  const started = o.now();
  let calls = 0;
  let runTripped: string | undefined;
  const trippedLines = new Set<number>();
  // Open foreign calls, innermost last: when each started, and whether it tripped.
  const frames: { started: number; tripped?: string }[] = [];

  const fail = (message: string): never => {
    // defineProperty: under lockdown, assigning `name` over the frozen prototype's would throw.
    throw Object.defineProperty(new Error(message), 'name', { value: 'LoopGuardError' });
  };
  const tick = (line: number): void => {
    const frame = frames[frames.length - 1];
    if (frame?.tripped) fail(frame.tripped);
    if (runTripped) fail(runTripped);
    if (trippedLines.has(line)) fail(`the loop at ${o.file}:${line} already ran away once in this run (an infinite loop?)`);
    if (++calls % CLOCK_EVERY !== 0) return;
    const now = o.now();
    if (frame && now - frame.started > o.callLimitMs) {
      trippedLines.add(line);
      frame.tripped = `the loop at ${o.file}:${line} ran for more than ${o.callLimitMs} ms in one call (an infinite loop?)`;
      fail(frame.tripped);
    }
    if (now - started > o.runLimitMs) {
      trippedLines.add(line);
      runTripped = `the loop at ${o.file}:${line} was still running after ${(o.runLimitMs / 1000).toFixed(1)} s (an infinite loop?)`;
      fail(runTripped);
    }
  };

  const wrapIterator = (line: number, it: Iterator<unknown> | AsyncIterator<unknown>) => ({
    next: (v?: unknown) => {
      tick(line);
      return it.next(v as undefined);
    },
    return: typeof it.return === 'function' ? (v?: unknown) => it.return!(v) : undefined,
    throw: typeof it.throw === 'function' ? (e?: unknown) => it.throw!(e) : undefined,
  });

  const check = (line: number, iterable?: unknown, label?: string): unknown => {
    // A loop condition passes the line alone; a for-of passes its iterable and the text for messages.
    if (label === undefined) {
      tick(line);
      return true;
    }
    const src = iterable as { [Symbol.iterator]?: () => Iterator<unknown>; [Symbol.asyncIterator]?: () => AsyncIterator<unknown> } | null | undefined;
    const sync = src?.[Symbol.iterator];
    const async = src?.[Symbol.asyncIterator];
    if (typeof sync !== 'function' && typeof async !== 'function') throw new TypeError(`${label ?? 'value'} is not iterable`);
    const out: Record<symbol, unknown> = {};
    if (typeof sync === 'function') out[Symbol.iterator] = () => wrapIterator(line, sync.call(src));
    if (typeof async === 'function') out[Symbol.asyncIterator] = () => wrapIterator(line, async.call(src));
    return out;
  };

  return {
    check,
    scope: {
      enter: () => {
        frames.push({ started: o.now() });
      },
      exit: () => {
        frames.pop();
      },
    },
  };
}
