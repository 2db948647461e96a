/**
 * Caps on what one run may send to the page, so that no program (a 100 MB line, thousands of
 * 50 KB lines, a 50 MB error message) can stall the page: lines per stream, bytes per run, and
 * characters per line, each cut with a note saying how much was left out.
 */
import type { OutputStream } from './protocol';

export interface OutputLimits {
  /** Lines of learner output per stream (stdout and stderr counted apart). */
  maxLines: number;
  /** UTF-8 bytes of learner output per run, both streams together. */
  maxBytes: number;
  /** Characters of one line; the rest of the line is cut with a note. */
  maxLineChars: number;
}

export const DEFAULT_OUTPUT_LIMITS: OutputLimits = { maxLines: 2000, maxBytes: 1_000_000, maxLineChars: 10_000 };
/** Characters of an error message, a stack or a check's message / expected / received. */
export const MAX_MESSAGE_CHARS = 8_000;

export interface OutputLimiter {
  /** Sends what fits of `text` (one console call, ending with '\n'). */
  write(stream: 'stdout' | 'stderr', text: string): void;
  /** Sends the notes about what was not shown (call once at the end of the run). */
  finish(): void;
}

export function createOutputLimiter(limits: OutputLimits, send: (stream: OutputStream, text: string) => void): OutputLimiter {
  const sentLines: Record<string, number> = { stdout: 0, stderr: 0 };
  const droppedLines: Record<string, number> = { stdout: 0, stderr: 0 };
  let sentBytes = 0;
  let droppedBytes = 0;
  let bytesFull = false;

  return {
    write(stream, text) {
      const lines = text.replace(/\n$/, '').split('\n');
      const room = limits.maxLines - sentLines[stream];
      if (room <= 0 || bytesFull) {
        droppedLines[stream] += lines.length;
        if (bytesFull) droppedBytes += utf8Length(text);
        return;
      }
      const shown: string[] = [];
      for (const line of lines.slice(0, room)) {
        const cut = cutLine(line, limits.maxLineChars);
        const bytes = utf8Length(cut) + 1;
        if (sentBytes + bytes > limits.maxBytes) {
          bytesFull = true;
          break;
        }
        sentBytes += bytes;
        shown.push(cut);
      }
      const notShown = lines.length - shown.length;
      droppedLines[stream] += notShown;
      if (bytesFull) for (const line of lines.slice(shown.length)) droppedBytes += utf8Length(line) + 1;
      sentLines[stream] += shown.length;
      if (shown.length > 0) send(stream, shown.join('\n') + '\n');
      if (bytesFull) {
        send('info', `… output limit: this run shows the first ${formatBytes(limits.maxBytes)} of output; the rest is counted, not shown.\n`);
      } else if (sentLines[stream] === limits.maxLines) {
        send('info', `… output limit: this run shows the first ${limits.maxLines} lines of ${streamName(stream)}; the rest is counted, not shown.\n`);
      }
    },
    finish() {
      for (const stream of ['stdout', 'stderr'] as const) {
        const n = droppedLines[stream];
        if (n) send('info', `… ${n} more line${n === 1 ? '' : 's'} of ${streamName(stream)} not shown.\n`);
      }
      if (droppedBytes) send('info', `… ${formatBytes(droppedBytes)} of output not shown in all.\n`);
    },
  };
}

/** `line` cut to `max` characters with a note of how many were cut. */
export function cutLine(line: string, max: number): string {
  if (line.length <= max) return line;
  return `${line.slice(0, max)} … (${thousands(line.length - max)} more characters not shown)`;
}

/** `text` cut to MAX_MESSAGE_CHARS characters (messages, stacks, printed values) with a note. */
export function capText(text: string, max = MAX_MESSAGE_CHARS): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)} … (${thousands(text.length - max)} more characters not shown)`;
}

/** 1234567 -> '1,234,567' (toLocaleString is tamed to toString in a locked-down runner). */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}

export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) n += c >= 0x800 && (c < 0xd800 || c > 0xdbff) ? (c >= 0xdc00 && c <= 0xdfff ? 1 : 2) : 1;
  }
  return n;
}

function formatBytes(n: number): string {
  return n >= 1_000_000 ? `${(n / 1_000_000).toFixed(n % 1_000_000 === 0 ? 0 : 1)} MB` : n >= 1000 ? `${Math.round(n / 1000)} KB` : `${n} bytes`;
}

function streamName(stream: OutputStream): string {
  return stream === 'stderr' ? 'console.warn/error output' : 'output';
}
