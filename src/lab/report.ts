/**
 * Runner messages as text for the CLI (a TTY or a pipe): the shared renderer (render.ts),
 * painted with ANSI colours when `color` is set. Learner output is sanitized (a program's
 * output cannot drive the terminal) and marked with the learner gutter.
 */
import type { RunnerMessage } from './protocol';
import { createRunRenderer, type RenderedLine, type Tone } from './render';
import { LEARNER_GUTTER, sanitizeTerminalText, plainTerminalText } from './terminal-text';

export interface ReporterOptions {
  /** ANSI colours (TTYs). */
  color?: boolean;
  /** The learner's files, to print the line an error points at. */
  files?: Record<string, string>;
  /** `check` mode counts checks in the summary. */
  mode?: 'run' | 'check';
}

export interface Reporter {
  /** Text for one message ('' when it prints nothing). Ends with a newline when non-empty. */
  format(m: RunnerMessage): string;
  /** Checks seen so far. */
  readonly checks: { passed: number; failed: number };
}

const TONES: Record<Tone, number | undefined> = { plain: undefined, muted: 90, error: 31, ok: 32, warn: 33, accent: 36 };

export function createReporter(options: ReporterOptions = {}): Reporter {
  const renderer = createRunRenderer({ mode: options.mode ?? 'run', files: options.files });
  const paint = (line: RenderedLine): string => {
    if (line.learner) {
      const body = options.color ? `${sanitizeTerminalText(line.text)}\x1b[0m` : plainTerminalText(line.text);
      const gutter = options.color ? `\x1b[${line.learner === 'stderr' ? 31 : 90}m${LEARNER_GUTTER}\x1b[0m` : LEARNER_GUTTER;
      return gutter + body;
    }
    const code = TONES[line.tone];
    if (!options.color || code === undefined) return line.text;
    return `\x1b[${line.strong ? '1;' : ''}${code}m${line.text}\x1b[0m`;
  };
  return {
    format: (m) => renderer.render(m).map((l) => paint(l) + '\n').join(''),
    checks: renderer.checks,
  };
}
