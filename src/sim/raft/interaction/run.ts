/**
 * Runs a datadriven file through a fresh InteractionEnv (datadriven.RunTest with raft's
 * TestInteraction handler): every block's actual output, and the file rewritten with them.
 */
import { normalizeOutput, parseTestFile, rewrite, type TestData } from './datadriven';
import { InteractionEnv } from './env';
import { handle } from './handle';

export interface BlockResult {
  block: TestData;
  actual: string;
}

/** Each block of `text` with its actual output (normalized to end in a newline). */
export function runInteraction(text: string, opts: { seed?: number } = {}): { results: BlockResult[]; rewritten: string } {
  const env = new InteractionEnv(opts);
  const blocks = parseTestFile(text);
  const results = blocks.map((block) => ({ block, actual: normalizeOutput(handle(env, block)) }));
  return { results, rewritten: rewrite(text, blocks, results.map((r) => r.actual)) };
}

/** Raft's log lines (`INFO 1 became leader at term 1`), which the model does not print. */
const LOG_LINE = /^\s*(DEBUG|INFO|WARN|ERROR|FATAL) /;

/** An upstream output without raft's log lines; `ok` if nothing else is left (as Handle prints). */
export function withoutLogLines(expected: string): string {
  const kept = expected.split('\n').filter((l) => !LOG_LINE.test(l)).join('\n');
  return kept.trim() === '' ? 'ok\n' : kept;
}
