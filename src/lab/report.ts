/**
 * Renders RunnerMessages as terminal text: output as is, errors with their location and a code
 * frame, checks as ✓ / ✗ with expected / received / hint, and a summary line at `done`. Used
 * by the node CLI; the workbench terminal can use it too (pass `color: true` for ANSI colours).
 */
import type { RunnerMessage, SourceLocation } from './protocol';

export interface ReporterOptions {
  /** ANSI colours (xterm and TTYs). */
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

const CODES = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1, cyan: 36 } as const;
type Style = keyof typeof CODES;

const ERROR_TITLES: Record<string, string> = {
  syntax: 'Syntax error',
  import: 'Import error',
  runtime: 'Runtime error',
  rejection: 'Unhandled promise rejection',
  check: 'Check error',
  timeout: 'Timeout',
  internal: 'Internal error',
};

export function createReporter(options: ReporterOptions = {}): Reporter {
  const paint = (style: Style, text: string) => (options.color ? `\x1b[${CODES[style]}m${text}\x1b[0m` : text);
  const checks = { passed: 0, failed: 0 };

  function codeFrame(loc: SourceLocation): string {
    const source = options.files?.[loc.file];
    if (source === undefined) return '';
    const lines = source.split('\n');
    const text = lines[loc.line - 1];
    if (text === undefined) return '';
    const gutter = String(loc.line).length;
    const caret = ' '.repeat(Math.max(0, loc.column - 1)) + '^';
    return `  ${paint('dim', `${loc.line} |`)} ${text}\n  ${' '.repeat(gutter)} ${paint('dim', '|')} ${paint('red', caret)}\n`;
  }

  function format(m: RunnerMessage): string {
    switch (m.type) {
      case 'ready':
      case 'trace':
        return '';
      case 'output': {
        if (m.stream === 'stderr') return paint('red', m.text);
        if (m.stream === 'info') return paint('dim', m.text);
        return m.text;
      }
      case 'error': {
        const where = m.location ? `${m.location.file}:${m.location.line}:${m.location.column} ` : '';
        let out = `${paint('red', `✗ ${ERROR_TITLES[m.kind] ?? m.kind}`)} ${paint('cyan', where)}${m.message}\n`;
        if (m.location) out += codeFrame(m.location);
        const frames = m.stack?.split('\n').filter((l) => /^\s+at /.test(l)) ?? [];
        if (frames.length > 1 || (frames.length === 1 && !m.location)) out += paint('dim', frames.join('\n')) + '\n';
        return out;
      }
      case 'check': {
        if (m.passed) {
          checks.passed++;
          return `${paint('green', '✓')} ${m.title}\n`;
        }
        checks.failed++;
        let out = `${paint('red', '✗')} ${m.title}\n`;
        if (m.message) out += indent(m.message) + '\n';
        if (m.expected !== undefined) out += indent(`${paint('green', 'expected:')} ${m.expected}`) + '\n';
        if (m.received !== undefined) out += indent(`${paint('red', 'received:')} ${m.received}`) + '\n';
        if (m.hint) out += indent(`${paint('yellow', 'hint:')} ${m.hint}`) + '\n';
        return out;
      }
      case 'done': {
        const time = `${formatMs(m.durationMs)}, ${m.events} trace event${m.events === 1 ? '' : 's'}`;
        if (options.mode === 'check') {
          const total = checks.passed + checks.failed;
          const line =
            total > 0 && checks.failed === 0
              ? `All ${total} checks passed (${time}).`
              : `${checks.passed} of ${total} checks passed (${time}).`;
          return paint('bold', paint(m.ok ? 'green' : 'red', line)) + '\n';
        }
        return paint(m.ok ? 'green' : 'red', m.ok ? `Done in ${time}.` : `Finished with errors (${time}).`) + '\n';
      }
    }
  }

  return { format, checks };
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}
