/**
 * Learner-controlled text made safe for a terminal (xterm in the page, a TTY for the CLI).
 * A program's output may colour itself, but it may not drive the terminal: no cursor moves, no
 * clearing the screen, no alternate screen, no hidden (concealed) text, no title or hyperlink
 * (OSC), no device queries whose replies would be typed into the prompt, no carriage return
 * over the line before. And it must never pass for the workbench's own lines: every learner
 * line gets a gutter mark that learner text cannot produce (it is added outside the text, on
 * every row, also where a long line wraps) and ends with a style reset.
 */

/** What a learner line starts with: the mark, then one space. */
export const LEARNER_GUTTER = '│ ';
/** The gutter's width in columns. */
export const GUTTER_COLUMNS = 2;

// ESC [ params intermediates final | ESC ] ... BEL/ST | ESC P/X/^/_ ... ST | ESC intermediates final | a lone ESC
const ESCAPE = /\x1b\[([0-?]*)([ -/]*)([@-~])|\x1b[\]PX^_][\s\S]*?(?:\x07|\x1b\\|$)|\x1b[ -/]*[0-~]|\x1b/g;
// C0 controls but tab and newline, DEL, and the C1 controls (U+0080–U+009F: 8-bit CSI, OSC…).
const CONTROLS = /[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f-\x9f]/g;

/**
 * `text` with every escape sequence and control character removed except SGR styles (colours,
 * bold, italic, underline…), from which conceal (8) is dropped. Tabs and newlines stay.
 */
export function sanitizeTerminalText(text: string): string {
  return text
    .replace(ESCAPE, (whole, params: string | undefined, inter: string | undefined, final: string | undefined) => {
      if (final !== 'm' || inter || params === undefined || !/^[0-9;:]*$/.test(params)) return '';
      const kept = keepSgr(params);
      return kept === null ? '' : `\x1b[${kept}m`;
    })
    .replace(CONTROLS, '');
}

/** `text` with every escape sequence and control character removed (tabs and newlines stay). */
export function plainTerminalText(text: string): string {
  return text.replace(ESCAPE, '').replace(CONTROLS, '');
}

/** SGR parameters without conceal (8); null when nothing is left. Extended colours stay whole. */
function keepSgr(params: string): string | null {
  if (params === '') return '0';
  const parts = params.split(';');
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    const n = Number(p.split(':')[0]);
    if ((n === 38 || n === 48 || n === 58) && !p.includes(':')) {
      // 38;5;N or 38;2;R;G;B: the colour's own numbers are not attributes.
      const len = parts[i + 1] === '5' ? 3 : parts[i + 1] === '2' ? 5 : 1;
      out.push(parts.slice(i, i + len).join(';'));
      i += len - 1;
      continue;
    }
    if (n === 8) continue;
    out.push(p);
  }
  return out.length ? out.join(';') : null;
}

/**
 * Splits a learner line (already sanitized) into rows of at most `width` columns, so that each
 * row gets its own gutter instead of the terminal wrapping it. Widths are counted
 * conservatively: printable ASCII is 1 column, anything else 2, escape sequences 0; tabs become
 * spaces up to the next multiple of 8.
 */
export function wrapColumns(line: string, width: number): string[] {
  if (width < 1) return [line];
  const rows: string[] = [];
  let row = '';
  let col = 0;
  let i = 0;
  while (i < line.length) {
    if (line.charCodeAt(i) === 0x1b) {
      const end = line.indexOf('m', i);
      const seq = end < 0 ? line.slice(i) : line.slice(i, end + 1);
      row += seq;
      i += seq.length;
      continue;
    }
    const cp = line.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    let piece = ch;
    let w = cp >= 0x20 && cp < 0x7f ? 1 : 2;
    if (ch === '\t') {
      w = 8 - (col % 8);
      piece = ' '.repeat(w);
    }
    if (col + w > width && col > 0) {
      rows.push(row);
      row = '';
      col = 0;
      if (ch === '\t') {
        w = 8;
        piece = ' '.repeat(8);
      }
    }
    row += piece;
    col += w;
    i += ch.length;
  }
  rows.push(row);
  return rows;
}
