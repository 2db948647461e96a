/**
 * Go's text/tabwriter (with github.com/liggitt/tabwriter's RememberWidths), which lays out every
 * kubectl table and describe page: cells end with a tab; a column is as wide as its widest cell in
 * a block of consecutive lines that have that column, plus the padding; the last cell of a line
 * is not part of any column. A line without tabs ends every block.
 */

export interface TabWriterOptions {
  /** Minimal cell width including padding. */
  minwidth: number;
  /** Width of a tab character (only used with padchar '\t'; kept for fidelity). */
  tabwidth: number;
  /** Padding added to a cell's width. */
  padding: number;
  /** Remember column widths across flushes; they only grow (kubectl get -w keeps its columns). */
  rememberWidths?: boolean;
}

/** cli-runtime printers.GetNewTabWriter: minwidth 6, tabwidth 4, padding 3, RememberWidths. */
export const TABLE_TABWRITER: TabWriterOptions = { minwidth: 6, tabwidth: 4, padding: 3, rememberWidths: true };
/** kubectl describe's tabbedString: minwidth 0, tabwidth 8, padding 2. */
export const DESCRIBE_TABWRITER: TabWriterOptions = { minwidth: 0, tabwidth: 8, padding: 2 };

interface Cell {
  text: string;
  width: number;
  htab: boolean;
}

// Upstream: go src/text/tabwriter/tabwriter.go (Writer), github.com/liggitt/tabwriter (RememberWidths)
export class TabWriter {
  #lines: Cell[][] = [[]];
  #cell = '';
  #widths: number[] = [];
  #maxwidths: number[] = [];
  #out = '';

  constructor(private readonly opts: TabWriterOptions) {}

  /** Buffers text; complete blocks are laid out as soon as they end. */
  write(text: string): void {
    for (const ch of text) {
      if (ch === '\t' || ch === '\v') {
        this.#terminateCell(ch === '\t');
      } else if (ch === '\n' || ch === '\f') {
        const ncells = this.#terminateCell(false);
        this.#lines.push([]);
        // A line with a single cell does not affect the layout of later lines: flush.
        if (ch === '\f' || ncells === 1) this.#flushLines();
      } else {
        this.#cell += ch;
      }
    }
  }

  /** Lays out everything buffered and returns the text written since the last take. */
  flush(): string {
    if (this.#cell !== '') {
      // A last line without a newline is laid out with the others and written without one.
      this.#terminateCell(false);
      this.#lines.push([]);
      this.#flushLines();
      this.#out = this.#out.slice(0, -1);
    } else this.#flushLines();
    return this.take();
  }

  /** The laid-out text so far (complete blocks only), emptied. */
  take(): string {
    const out = this.#out;
    this.#out = '';
    return out;
  }

  /** Forgets remembered column widths (kubectl does this between resource kinds). */
  resetRememberedWidths(): void {
    this.#maxwidths = [];
  }

  #terminateCell(htab: boolean): number {
    const line = this.#lines[this.#lines.length - 1];
    line.push({ text: this.#cell, width: [...this.#cell].length, htab });
    this.#cell = '';
    return line.length;
  }

  #flushLines(): void {
    const partial = this.#lines[this.#lines.length - 1];
    const complete = partial.length === 0 ? this.#lines.slice(0, -1) : this.#lines;
    if (complete.length === 0) return;
    this.#lines = complete;
    this.#format(0, this.#lines.length);
    this.#lines = [[]];
  }

  #format(line0: number, line1: number): void {
    const column = this.#widths.length;
    for (let i = line0; i < line1; i++) {
      const line = this.#lines[i];
      if (column >= line.length - 1) continue;
      // A cell exists in this column: print the lines before the block, then lay out the block.
      this.#writeLines(line0, i);
      line0 = i;
      let width = this.opts.minwidth;
      for (; i < line1; i++) {
        const l = this.#lines[i];
        if (column >= l.length - 1) break;
        const w = l[column].width + this.opts.padding;
        if (w > width) width = w;
      }
      if (this.opts.rememberWidths) {
        const remembered = this.#maxwidths[column];
        if (remembered === undefined || remembered < width) this.#maxwidths[column] = width;
        else width = remembered;
      }
      this.#widths.push(width);
      this.#format(line0, i);
      this.#widths.pop();
      line0 = i;
      i--; // the for loop's i++ must not skip the line that ended the block
    }
    this.#writeLines(line0, line1);
  }

  #writeLines(line0: number, line1: number): void {
    for (let i = line0; i < line1; i++) {
      const line = this.#lines[i];
      let text = '';
      line.forEach((c, j) => {
        text += c.text;
        if (j < this.#widths.length) text += ' '.repeat(Math.max(0, this.#widths[j] - c.width));
      });
      this.#out += text + '\n';
    }
  }
}

/** Lays out `text` in one go. */
export function tabbed(text: string, opts: TabWriterOptions): string {
  const w = new TabWriter(opts);
  w.write(text);
  return w.flush();
}
