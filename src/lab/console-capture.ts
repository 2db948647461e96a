/**
 * The `console` learner code gets: a fresh object per run (hardened in a runner) whose methods
 * write to the run's output. log / info / debug / dir / table go to stdout, warn / error / trace
 * to stderr, each call as one line. Nothing else of the runner's console is reachable.
 */
import { formatArgs, inspect } from './inspect';
import { hardenForLearner } from './sandbox';

type Method = 'log' | 'info' | 'debug' | 'warn' | 'error' | 'dir' | 'table' | 'trace';

const STREAMS: Record<Method, 'stdout' | 'stderr'> = {
  log: 'stdout',
  info: 'stdout',
  debug: 'stdout',
  dir: 'stdout',
  table: 'stdout',
  warn: 'stderr',
  error: 'stderr',
  trace: 'stderr',
};

/** A console whose every method writes one line through `write`. */
export function makeLearnerConsole(write: (stream: 'stdout' | 'stderr', text: string) => void): object {
  const target: Record<string, (...args: unknown[]) => void> = {};
  for (const method of Object.keys(STREAMS) as Method[]) {
    target[method] = (...args: unknown[]) => {
      let text: string;
      try {
        if (method === 'dir') text = inspect(args[0]);
        else if (method === 'trace') text = `Trace: ${formatArgs(args)}`;
        else text = formatArgs(args);
      } catch (e) {
        // A getter or proxy of the learner's threw while being printed.
        text = `[console.${method}: the value could not be printed: ${e instanceof Error ? e.message : String(e)}]`;
      }
      write(STREAMS[method], `${text}\n`);
    };
  }
  return hardenForLearner(target);
}
