/** The few ANSI styles the terminal uses, and a stripper for the plain-text mirror. */
const wrap = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`;

export const ansi = {
  red: wrap(31, 39),
  green: wrap(32, 39),
  yellow: wrap(33, 39),
  cyan: wrap(36, 39),
  /** Bright black: secondary text that still meets contrast (unlike SGR 2 "dim"). */
  gray: wrap(90, 39),
  dim: wrap(2, 22),
  bold: wrap(1, 22),
};

// CSI sequences (colors, cursor moves, erase) and OSC sequences (titles, links).
const ANSI_PATTERN = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

/** Removes ANSI escape sequences: what a screen reader or a test should read. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_PATTERN, '');
}
