/**
 * xterm behind one small interface. The only file that imports `@xterm/*`; loaded lazily with
 * the editor.
 */
import { Terminal, type ITheme } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';

export interface LabTerminal {
  write(data: string): void;
  /** Columns the terminal shows (learner lines are wrapped to fit, each row with its gutter). */
  cols(): number;
  clear(): void;
  focus(): void;
  fit(): void;
  setDark(dark: boolean): void;
  onData(fn: (data: string) => void): void;
  /** Lines currently in the buffer (scrollback included), trailing spaces trimmed. */
  bufferText(): string;
  /** Which buffer is shown: 'normal', or 'alternate' (full-screen programs; never for learner output). */
  bufferType(): string;
  /** How many cells of the buffer are drawn invisible (SGR 8, conceal; never for learner output). */
  invisibleCells(): number;
  dispose(): void;
}

const LIGHT: ITheme = {
  background: '#ffffff',
  foreground: '#1f2328',
  cursor: '#1f2328',
  selectionBackground: '#b6d4fe',
  black: '#1f2328',
  red: '#cf222e',
  green: '#116329',
  yellow: '#7d4e00',
  blue: '#0550ae',
  magenta: '#8250df',
  cyan: '#1b7c83',
  white: '#6e7781',
  brightBlack: '#57606a',
  brightRed: '#a40e26',
  brightGreen: '#1a7f37',
  brightYellow: '#633c01',
  brightBlue: '#218bff',
  brightMagenta: '#a475f9',
  brightCyan: '#3192aa',
  brightWhite: '#8c959f',
};

const DARK: ITheme = {
  background: '#0d1117',
  foreground: '#e6edf3',
  cursor: '#e6edf3',
  selectionBackground: '#264f78',
  black: '#484f58',
  red: '#ff7b72',
  green: '#3fb950',
  yellow: '#d29922',
  blue: '#58a6ff',
  magenta: '#bc8cff',
  cyan: '#39c5cf',
  white: '#b1bac4',
  brightBlack: '#8b949e',
  brightRed: '#ffa198',
  brightGreen: '#56d364',
  brightYellow: '#e3b341',
  brightBlue: '#79c0ff',
  brightMagenta: '#d2a8ff',
  brightCyan: '#56d4dd',
  brightWhite: '#ffffff',
};

export function createLabTerminal(host: HTMLElement, opts: { dark: boolean; fontFamily: string }): LabTerminal {
  const term = new Terminal({
    convertEol: true,
    cursorBlink: true,
    fontFamily: opts.fontFamily,
    fontSize: 13,
    lineHeight: 1.2,
    scrollback: 5000,
    theme: opts.dark ? DARK : LIGHT,
    allowProposedApi: false,
    // Keep every color readable on the background (WCAG AA), whatever a program prints.
    minimumContrastRatio: 4.5,
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(host);
  term.textarea?.setAttribute('aria-label', 'Terminal input: type help and press Enter. Press Escape then Tab to leave.');

  // Keys xterm must not swallow: Ctrl/Cmd+Enter (Run / Check, handled by the page) and Tab right
  // after Escape (leaves the terminal, so keyboard users are never trapped).
  let escaped = false;
  term.attachCustomKeyEventHandler((e) => {
    if (e.type !== 'keydown') return !(e.key === 'Enter' && (e.ctrlKey || e.metaKey)) && !(e.key === 'Tab' && escaped);
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) return false;
    if (e.key === 'Escape') {
      escaped = true;
      return false;
    }
    if (e.key === 'Tab' && escaped) {
      escaped = false;
      return false;
    }
    if (!['Shift', 'Control', 'Alt', 'Meta'].includes(e.key)) escaped = false;
    return true;
  });

  const refit = () => {
    if (host.offsetWidth > 0 && host.offsetHeight > 0) {
      try {
        fit.fit();
      } catch {
        /* not laid out yet */
      }
    }
  };
  const ro = new ResizeObserver(() => refit());
  ro.observe(host);
  refit();

  return {
    write: (data) => term.write(data),
    cols: () => term.cols,
    clear: () => term.clear(),
    focus: () => term.focus(),
    fit: refit,
    setDark(dark) {
      term.options.theme = dark ? DARK : LIGHT;
    },
    onData(fn) {
      term.onData(fn);
    },
    bufferText() {
      const buf = term.buffer.active;
      const lines: string[] = [];
      for (let i = 0; i < buf.length; i++) lines.push(buf.getLine(i)?.translateToString(true) ?? '');
      return lines.join('\n').replace(/\n+$/, '');
    },
    bufferType: () => term.buffer.active.type,
    invisibleCells() {
      const buf = term.buffer.active;
      let n = 0;
      for (let i = 0; i < buf.length; i++) {
        const line = buf.getLine(i);
        for (let x = 0; line && x < line.length; x++) if (line.getCell(x)?.isInvisible()) n++;
      }
      return n;
    },
    dispose() {
      ro.disconnect();
      term.dispose();
    },
  };
}
