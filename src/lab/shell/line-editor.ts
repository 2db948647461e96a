/**
 * A readline for the lab terminal, without a terminal: it takes what the terminal sends for
 * keystrokes (`feed(data)`, e.g. xterm's onData) and writes back the ANSI text that draws the
 * prompt line. History (up/down), cursor movement, tab completion, Ctrl+C/Ctrl+L/Ctrl+U/Ctrl+W.
 */
import { stripAnsi } from './ansi';
import type { Completion } from './registry';

export interface LineEditorOptions {
  /** The prompt, may contain ANSI styles; a function is asked each time (a nested shell changes it). */
  prompt: string | (() => string);
  /** Writes to the terminal. */
  write(data: string): void;
  /** A complete line was entered (Enter). The prompt stays hidden until `prompt()` is called. */
  onSubmit(line: string): void;
  /** Ctrl+C: while busy, the caller cancels what runs; otherwise the line is dropped. */
  onInterrupt?(): void;
  /** Ctrl+L: the caller clears the screen; the prompt line is redrawn after. */
  onClearScreen?(): void;
  /** Completion for the text before the cursor. */
  complete?(lineBeforeCursor: string): Completion;
  historyLimit?: number;
}

const ESCAPES: Array<[string, string]> = [
  ['\x1b[A', 'up'],
  ['\x1b[B', 'down'],
  ['\x1b[C', 'right'],
  ['\x1b[D', 'left'],
  ['\x1b[H', 'home'],
  ['\x1b[F', 'end'],
  ['\x1bOA', 'up'],
  ['\x1bOB', 'down'],
  ['\x1bOC', 'right'],
  ['\x1bOD', 'left'],
  ['\x1bOH', 'home'],
  ['\x1bOF', 'end'],
  ['\x1b[1~', 'home'],
  ['\x1b[4~', 'end'],
  ['\x1b[3~', 'delete'],
];

export class LineEditor {
  private buffer = '';
  private cursor = 0;
  private readonly history: string[] = [];
  private historyIndex = 0;
  private draft = '';
  /** Line and cursor the completion candidates were last listed for (cleared by any other key). */
  private listed: string | undefined;
  private shown = false;
  private busy = false;
  /** Input that arrived after Enter in the same chunk (a pasted script): fed at the next prompt. */
  private pending = '';

  constructor(private readonly opts: LineEditorOptions) {}

  /** The current line (what has been typed and not yet submitted). */
  get line(): string {
    return this.buffer;
  }

  get isBusy(): boolean {
    return this.busy;
  }

  /** Entered lines, oldest first. */
  get entries(): readonly string[] {
    return this.history;
  }

  /** Shows the prompt on a fresh line and accepts input again. */
  prompt(): void {
    this.busy = false;
    this.shown = true;
    this.opts.write(this.render());
    if (this.pending) {
      const rest = this.pending;
      this.pending = '';
      this.feed(rest);
    }
  }

  /** Erases the prompt line so other output can be printed; `restore()` draws it again. */
  suspend(): void {
    if (this.shown) this.opts.write('\r\x1b[K');
  }

  restore(): void {
    if (this.shown) this.opts.write(this.render());
  }

  /** Handles a chunk of terminal input. */
  feed(data: string): void {
    let i = 0;
    while (i < data.length) {
      if (!this.shown) {
        // A command is running: only Ctrl+C matters; other input waits for the prompt.
        const ctrlC = data.indexOf('\x03', i);
        if (ctrlC >= 0) {
          this.opts.onInterrupt?.();
          i = ctrlC + 1;
          continue;
        }
        if (this.busy) this.pending += data.slice(i);
        return;
      }
      const c = data[i];
      if (c !== '\t') this.listed = undefined;
      if (c === '\x1b') {
        const esc = ESCAPES.find(([seq]) => data.startsWith(seq, i));
        if (esc) {
          this.key(esc[1]);
          i += esc[0].length;
        } else {
          // Skip an unknown CSI sequence whole, or a lone ESC.
          const m = /^\x1b\[[0-9;]*[ -/]*[@-~]/.exec(data.slice(i));
          i += m ? m[0].length : 1;
        }
        continue;
      }
      i++;
      switch (c) {
        case '\r':
        case '\n':
          if (c === '\r' && data[i] === '\n') i++; // \r\n counts once
          this.submit();
          if (i < data.length) this.pending += data.slice(i);
          return;
        case '\x7f':
        case '\b':
          this.key('backspace');
          break;
        case '\t':
          this.completeWord();
          break;
        case '\x03':
          this.opts.write('^C\r\n');
          this.buffer = '';
          this.cursor = 0;
          this.historyIndex = this.history.length;
          this.opts.onInterrupt?.();
          this.opts.write(this.render());
          break;
        case '\x0c':
          this.opts.onClearScreen?.();
          this.opts.write(this.render());
          break;
        case '\x01':
          this.key('home');
          break;
        case '\x05':
          this.key('end');
          break;
        case '\x15':
          this.buffer = this.buffer.slice(this.cursor);
          this.cursor = 0;
          this.redraw();
          break;
        case '\x0b':
          this.buffer = this.buffer.slice(0, this.cursor);
          this.redraw();
          break;
        case '\x17': {
          const before = this.buffer.slice(0, this.cursor).replace(/\S+\s*$/, '');
          this.buffer = before + this.buffer.slice(this.cursor);
          this.cursor = before.length;
          this.redraw();
          break;
        }
        default:
          if (c >= ' ') this.insert(c);
      }
    }
  }

  private key(name: string): void {
    switch (name) {
      case 'left':
        if (this.cursor > 0) this.cursor--;
        break;
      case 'right':
        if (this.cursor < this.buffer.length) this.cursor++;
        break;
      case 'home':
        this.cursor = 0;
        break;
      case 'end':
        this.cursor = this.buffer.length;
        break;
      case 'backspace':
        if (this.cursor === 0) return;
        this.buffer = this.buffer.slice(0, this.cursor - 1) + this.buffer.slice(this.cursor);
        this.cursor--;
        break;
      case 'delete':
        this.buffer = this.buffer.slice(0, this.cursor) + this.buffer.slice(this.cursor + 1);
        break;
      case 'up':
        if (this.historyIndex === 0) return;
        if (this.historyIndex === this.history.length) this.draft = this.buffer;
        this.historyIndex--;
        this.setBuffer(this.history[this.historyIndex]);
        break;
      case 'down':
        if (this.historyIndex >= this.history.length) return;
        this.historyIndex++;
        this.setBuffer(this.historyIndex === this.history.length ? this.draft : this.history[this.historyIndex]);
        break;
    }
    this.redraw();
  }

  private setBuffer(text: string): void {
    this.buffer = text;
    this.cursor = text.length;
  }

  private insert(text: string): void {
    this.buffer = this.buffer.slice(0, this.cursor) + text + this.buffer.slice(this.cursor);
    this.cursor += text.length;
    this.redraw();
  }

  private submit(): void {
    const line = this.buffer;
    this.opts.write(this.render(line.length) + '\r\n');
    if (line.trim() && this.history[this.history.length - 1] !== line) {
      this.history.push(line);
      const limit = this.opts.historyLimit ?? 200;
      if (this.history.length > limit) this.history.splice(0, this.history.length - limit);
    }
    this.historyIndex = this.history.length;
    this.draft = '';
    this.buffer = '';
    this.cursor = 0;
    this.shown = false;
    this.busy = true;
    this.opts.onSubmit(line);
  }

  private completeWord(): void {
    if (!this.opts.complete) return;
    const before = this.buffer.slice(0, this.cursor);
    const { from, candidates, common } = this.opts.complete(before);
    if (candidates.length === 0) return;
    const typed = before.slice(from);
    if (candidates.length === 1) {
      this.replaceWord(from, candidates[0] + ' ');
      return;
    }
    if (common.length > typed.length) {
      this.replaceWord(from, common);
      return;
    }
    // The list is printed once: another Tab on the same line does not print it again.
    const key = `${this.cursor}:${this.buffer}`;
    if (this.listed === key) return;
    this.listed = key;
    this.opts.write('\r\n' + candidates.join('  ') + '\r\n');
    this.opts.write(this.render());
  }

  private replaceWord(from: number, text: string): void {
    this.buffer = this.buffer.slice(0, from) + text + this.buffer.slice(this.cursor);
    this.cursor = from + text.length;
    this.redraw();
  }

  private redraw(): void {
    this.opts.write(this.render());
  }

  #promptText(): string {
    const p = this.opts.prompt;
    return typeof p === 'function' ? p() : p;
  }

  /** The ANSI text that redraws the prompt line with the cursor at `cursor`. */
  private render(cursor = this.cursor): string {
    const back = this.buffer.length - cursor;
    return `\r\x1b[K${this.#promptText()}${this.buffer}${back > 0 ? `\x1b[${back}D` : ''}`;
  }

  /** Visible width of prompt + line (for callers that need it). */
  get width(): number {
    return stripAnsi(this.#promptText()).length + this.buffer.length;
  }
}
