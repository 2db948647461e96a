/**
 * Turns an exception from learner code into what the learner needs: the message, and a stack
 * whose frames point at their own files (`main.ts:12:5`) with the runtime's frames removed.
 */
import { inspect } from './inspect';
import type { SourceLocation } from './protocol';

/** A learner module as loaded: its file name, the URL it ran under, and its column map. */
export interface LoadedModule {
  file: string;
  url: string;
  mapColumn: (line: number, column: number) => number;
}

export interface DescribedError {
  message: string;
  location?: SourceLocation;
  stack?: string;
}

interface Frame {
  fn: string;
  location: SourceLocation;
}

/** Message, first learner location and mapped stack of a thrown value. */
export function describeThrown(value: unknown, modules: LoadedModule[]): DescribedError {
  if (!isErrorLike(value)) {
    return { message: `Uncaught ${inspect(value)} (throw an Error to get a line number)` };
  }
  const message = `${value.name || 'Error'}: ${explainSandboxError(value.message)}`;
  const frames = typeof value.stack === 'string' ? learnerFrames(value.stack, modules) : [];
  if (frames.length === 0) return { message };
  const stack = [message, ...frames.map(frameText)].join('\n');
  return { message, location: frames[0].location, stack };
}

function isErrorLike(v: unknown): v is Error {
  return typeof v === 'object' && v !== null && typeof (v as Error).message === 'string' && 'stack' in v;
}

function frameText(f: Frame): string {
  const where = `${f.location.file}:${f.location.line}:${f.location.column}`;
  return f.fn ? `    at ${f.fn} (${where})` : `    at ${where}`;
}

/** The frames of `stack` that lie in learner modules, mapped to their lines and columns. */
export function learnerFrames(stack: string, modules: LoadedModule[]): Frame[] {
  const frames: Frame[] = [];
  for (const raw of stack.split('\n')) {
    const line = raw.trim();
    for (const mod of modules) {
      const frame = matchFrame(line, mod);
      if (frame) {
        frames.push(frame);
        break;
      }
    }
  }
  return frames;
}

function matchFrame(line: string, mod: LoadedModule): Frame | undefined {
  // The module shows up under its URL, or under its file name when the engine honours
  // `//# sourceURL=` (V8 does), possibly URI-decoded.
  const names = [mod.url, mod.file];
  try {
    const decoded = decodeURIComponent(mod.url);
    if (decoded !== mod.url) names.push(decoded);
  } catch {
    // not URI-encoded
  }
  for (const name of names) {
    let idx = line.lastIndexOf(`${name}:`);
    while (idx >= 0) {
      const before = idx === 0 ? '' : line[idx - 1];
      if (before === '' || before === '(' || before === ' ' || before === '@') {
        const m = /^:(\d+):(\d+)\)?$/.exec(line.slice(idx + name.length));
        if (m) {
          const lineNo = Number(m[1]);
          const column = mod.mapColumn(lineNo, Number(m[2]));
          return { fn: functionName(line.slice(0, idx)), location: { file: mod.file, line: lineNo, column } };
        }
      }
      idx = idx > 0 ? line.lastIndexOf(`${name}:`, idx - 1) : -1;
    }
  }
  return undefined;
}

/** `at async foo (` -> `async foo`; `foo@` -> `foo`; `at ` -> ''. */
function functionName(prefix: string): string {
  let s = prefix.trim();
  if (s.startsWith('at ')) s = s.slice(3);
  else if (s === 'at') s = '';
  s = s.replace(/\s*\($/, '').replace(/@$/, '');
  // Module-level code: V8 prints no name, Firefox an empty one; our module namespace shows
  // up as `Module.` in some hosts, which means nothing to a learner.
  // The learner's top level runs inside the compartment's evaluated function, which V8 names
  // `eval`: that is module-level code too.
  return s.replace(/^Module\./, '').replace(/^(async )?eval$/, '').trim();
}

/**
 * SES's words for what a compartment may not do, said the way a learner needs it: clock time and
 * randomness come from the models (runs are deterministic), not from Date.now / Math.random.
 */
function explainSandboxError(message: string): string {
  if (!message.startsWith('secure mode ')) return message;
  let what: string;
  if (/%SharedMath%\.random/.test(message)) what = 'Math.random()';
  else if (/%SharedDate%\.now/.test(message)) what = 'Date.now()';
  else if (/new %SharedDate%/.test(message)) what = 'new Date()';
  else return message;
  const instead = what === 'Math.random()' ? 'a seeded rng (rngFromSeed(seed))' : 'the model clock (new FakeClock(); clock.now())';
  return `${what} is not available in labs: every run is deterministic, so use ${instead}. (${message})`;
}
