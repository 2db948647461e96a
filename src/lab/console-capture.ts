/**
 * Redirects `console.*` to the run's output while a run is in progress: log / info / debug /
 * dir / table go to stdout, warn / error / trace to stderr, each call as one line.
 */
import { formatArgs, inspect } from './inspect';
import type { OutputStream } from './protocol';

type Method = 'log' | 'info' | 'debug' | 'warn' | 'error' | 'dir' | 'table' | 'trace';

const STREAMS: Record<Method, OutputStream> = {
  log: 'stdout',
  info: 'stdout',
  debug: 'stdout',
  dir: 'stdout',
  table: 'stdout',
  warn: 'stderr',
  error: 'stderr',
  trace: 'stderr',
};

/** Patches the global console; returns a function that puts the original methods back. */
export function captureConsole(write: (stream: OutputStream, text: string) => void): () => void {
  const target = console as unknown as Record<Method, (...args: unknown[]) => void>;
  const saved = new Map<Method, (...args: unknown[]) => void>();
  for (const method of Object.keys(STREAMS) as Method[]) {
    saved.set(method, target[method]);
    target[method] = (...args: unknown[]) => {
      let text: string;
      if (method === 'dir') text = inspect(args[0]);
      else if (method === 'trace') text = `Trace: ${formatArgs(args)}`;
      else text = formatArgs(args);
      write(STREAMS[method], `${text}\n`);
    };
  }
  return () => {
    for (const [method, fn] of saved) target[method] = fn;
  };
}
