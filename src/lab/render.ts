/**
 * The one renderer of runner messages, used by the workbench terminal and the CLI: output,
 * errors (one table of labels, the location, a code frame, the stack), check results (✓ / ✗
 * with expected / received / hint) and the summary at `done`. It returns lines with a tone;
 * each side paints them (ANSI colours for xterm and TTYs, none for pipes).
 *
 * Learner output comes back as `learner` lines, to be shown apart from the workbench's own lines
 * (terminal-text.ts: sanitized, with a gutter). Learner-controlled text inside the workbench's
 * own lines (an error message, a printed `received` value, a function name in a stack) is made
 * plain: no escape sequences, no control characters, continuation lines indented.
 */
import { formatDuration } from '../sim/core/format';
import type { RunnerMessage, SourceLocation } from './protocol';
import { plainTerminalText } from './terminal-text';

export type ErrorKind = Extract<RunnerMessage, { type: 'error' }>['kind'];

/** How every kind of error is named, everywhere. */
export const ERROR_LABELS: Record<ErrorKind, string> = {
  syntax: 'Syntax error',
  import: 'Import error',
  runtime: 'Runtime error',
  rejection: 'Unhandled promise rejection',
  check: 'Check crashed',
  timeout: 'Killed',
  stopped: 'Stopped',
  internal: 'Internal error (a KubeLab bug)',
};

/**
 * `plain` the workbench's own text; `muted` notes and frames; `error` / `ok` / `warn` results;
 * `accent` a location. `strong` lines are summaries.
 */
export type Tone = 'plain' | 'muted' | 'error' | 'ok' | 'warn' | 'accent';

export interface RenderedLine {
  tone: Tone;
  text: string;
  /** Learner output (raw: the painter sanitizes it and marks it as the learner's). */
  learner?: 'stdout' | 'stderr';
  strong?: boolean;
}

export interface RunRenderer {
  render(m: RunnerMessage): RenderedLine[];
  /** Checks seen so far. */
  readonly checks: { passed: number; failed: number };
}

export interface RenderOptions {
  mode: 'run' | 'check';
  /** The learner's files, to show the line an error points at. */
  files?: Record<string, string>;
  /** Stack frames shown under an error. */
  maxFrames?: number;
}

export function createRunRenderer(options: RenderOptions): RunRenderer {
  const checks = { passed: 0, failed: 0 };
  let ended = false;

  function render(m: RunnerMessage): RenderedLine[] {
    switch (m.type) {
      case 'ready':
      case 'trace':
      case 'cluster':
        return [];
      case 'output': {
        const lines = m.text.replace(/\n$/, '').split('\n');
        if (m.stream === 'info') return lines.map((text) => ({ tone: text.startsWith('…') ? 'warn' : 'muted', text: plainTerminalText(text) }));
        return lines.map((text) => ({ tone: 'plain', text, learner: m.stream as 'stdout' | 'stderr' }));
      }
      case 'error': {
        if (m.kind === 'timeout' || m.kind === 'stopped') {
          ended = true;
          return [{ tone: m.kind === 'timeout' ? 'error' : 'warn', text: `■ ${plainTerminalText(m.message)}`, strong: true }];
        }
        const where = m.location ? ` at ${where_(m.location)}` : '';
        const [first, ...rest] = plainTerminalText(m.message).split('\n');
        const out: RenderedLine[] = [{ tone: 'error', text: `✗ ${ERROR_LABELS[m.kind] ?? 'Error'}${where}: ${first}` }];
        for (const l of rest) out.push({ tone: 'error', text: `    ${l}` });
        if (m.location) out.push(...codeFrame(m.location));
        const frames = (m.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l));
        if (m.kind !== 'syntax' && (frames.length > 1 || (frames.length === 1 && !m.location))) {
          for (const f of frames.slice(0, options.maxFrames ?? 8)) out.push({ tone: 'muted', text: `    ${plainTerminalText(f.trim())}` });
        }
        return out;
      }
      case 'check': {
        const step = m.step !== undefined ? `step ${m.step + 1} · ` : '';
        if (m.passed) {
          checks.passed++;
          return [{ tone: 'ok', text: `✓ ${step}${plainTerminalText(m.title)}` }];
        }
        checks.failed++;
        const out: RenderedLine[] = [{ tone: 'error', text: `✗ ${step}${plainTerminalText(m.title)}` }];
        if (m.message) out.push(...indented('plain', '', m.message));
        if (m.expected !== undefined) out.push(...indented('plain', 'expected: ', m.expected));
        if (m.received !== undefined) out.push(...indented('plain', 'received: ', m.received));
        if (m.hint) out.push(...indented('warn', 'hint: ', m.hint));
        return out;
      }
      case 'done': {
        if (ended) return [];
        const time = wallTime(m.durationMs);
        if (options.mode === 'check') {
          const total = checks.passed + checks.failed;
          if (total === 0) return [{ tone: 'error', text: '✗ no checks ran (the code stopped before the checks started)', strong: true }];
          const all = checks.failed === 0;
          return [{ tone: all ? 'ok' : 'error', text: `${all ? '✓' : '✗'} ${checks.passed} of ${total} checks passed (${time}, ${events(m.events)})`, strong: true }];
        }
        return [m.ok ? { tone: 'ok', text: `✓ finished in ${time} · ${events(m.events)}`, strong: true } : { tone: 'error', text: `✗ finished with errors after ${time}`, strong: true }];
      }
    }
  }

  function codeFrame(loc: SourceLocation): RenderedLine[] {
    const source = options.files?.[loc.file];
    const text = source?.split('\n')[loc.line - 1];
    if (text === undefined) return [];
    const gutter = String(loc.line);
    return [
      { tone: 'muted', text: `  ${gutter} | ${plainTerminalText(text)}` },
      { tone: 'error', text: `  ${' '.repeat(gutter.length)} | ${' '.repeat(Math.max(0, loc.column - 1))}^` },
    ];
  }

  return { render, checks };
}

function where_(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}:${loc.column}`;
}

/** `label` then `text`, every line indented by 4 (continuation lines under the first). */
function indented(tone: Tone, label: string, text: string): RenderedLine[] {
  const pad = ' '.repeat(4 + label.length);
  return plainTerminalText(text)
    .split('\n')
    .map((l, i) => ({ tone: i === 0 ? tone : 'plain', text: i === 0 ? `    ${label}${l}` : `${pad}${l}` }));
}

function events(n: number): string {
  return `${n} trace event${n === 1 ? '' : 's'}`;
}

/** A wall-clock duration of the runner, in whole ms below a second (the one human formatter, core's). */
function wallTime(ms: number): string {
  return formatDuration(Math.round(ms));
}
