import { describe, expect, it } from 'vitest';
import { LineEditor } from './line-editor';
import { createShell } from './registry';

/** A tiny terminal emulator: enough of \r, \x1b[K, \x1b[nD and \r\n to know what is on screen. */
function screen() {
  const lines: string[] = [''];
  let col = 0;
  const write = (data: string) => {
    let i = 0;
    while (i < data.length) {
      const m = /^\x1b\[(\d*)([A-Za-z])/.exec(data.slice(i));
      if (m) {
        if (m[2] === 'K') lines[lines.length - 1] = lines[lines.length - 1].slice(0, col);
        if (m[2] === 'D') col -= Number(m[1] || 1);
        i += m[0].length;
        continue;
      }
      const ch = data[i++];
      if (ch === '\r') col = 0;
      else if (ch === '\n') {
        lines.push('');
        col = 0;
      } else {
        const l = lines[lines.length - 1];
        lines[lines.length - 1] = l.slice(0, col) + ch + l.slice(col + 1);
        col++;
      }
    }
  };
  return { write, lines, col: () => col };
}

function setup() {
  const scr = screen();
  const submitted: string[] = [];
  let interrupts = 0;
  let clears = 0;
  const shell = createShell();
  shell.register('seed', { summary: '', run: () => {} });
  shell.register('search', { summary: '', run: () => {} });
  const le = new LineEditor({
    prompt: '\x1b[32m$\x1b[39m ',
    write: (d) => scr.write(d.replace(/\x1b\[\d*m/g, '')),
    onSubmit: (l) => submitted.push(l),
    onInterrupt: () => interrupts++,
    onClearScreen: () => clears++,
    complete: (l) => shell.complete(l),
  });
  le.prompt();
  return { le, scr, submitted, interrupts: () => interrupts, clears: () => clears };
}

const UP = '\x1b[A';
const DOWN = '\x1b[B';
const LEFT = '\x1b[D';

describe('LineEditor', () => {
  it('echoes typed text after the prompt and submits on Enter', () => {
    const { le, scr, submitted } = setup();
    le.feed('help');
    expect(scr.lines.at(-1)).toBe('$ help');
    le.feed('\r');
    expect(submitted).toEqual(['help']);
    expect(le.isBusy).toBe(true);
  });

  it('edits in the middle of the line with left arrow and backspace', () => {
    const { le, scr, submitted } = setup();
    le.feed('sed 4' + LEFT + LEFT + LEFT + 'e' + LEFT + '\x7f');
    expect(le.line).toBe('sed 4');
    le.feed('\x05\x7f2\x01x' + LEFT + '\x1b[3~');
    expect(le.line).toBe('sed 2');
    expect(scr.lines.at(-1)).toBe('$ sed 2');
    le.feed('\r');
    expect(submitted).toEqual(['sed 2']);
  });

  it('walks history with up/down and keeps the draft', () => {
    const { le, submitted } = setup();
    for (const cmd of ['run', 'check', 'check']) {
      le.feed(cmd + '\r');
      le.prompt();
    }
    expect(le.entries).toEqual(['run', 'check']); // consecutive duplicates are kept once
    le.feed('dra');
    le.feed(UP);
    expect(le.line).toBe('check');
    le.feed(UP + UP);
    expect(le.line).toBe('run');
    le.feed(DOWN);
    expect(le.line).toBe('check');
    le.feed(DOWN);
    expect(le.line).toBe('dra');
    le.feed(UP + '\r');
    expect(submitted.at(-1)).toBe('check');
  });

  it('completes a unique command name with a trailing space', () => {
    const { le } = setup();
    le.feed('he\t');
    expect(le.line).toBe('help ');
  });

  it('extends to the common prefix, then lists candidates', () => {
    const { le, scr } = setup();
    le.feed('s\t');
    expect(le.line).toBe('se');
    le.feed('\t');
    expect(le.line).toBe('se');
    expect(scr.lines).toContain('search  seed');
    expect(scr.lines.at(-1)).toBe('$ se');
  });

  it('lists the candidates once however often Tab is pressed, and again after an edit', () => {
    const { le, scr } = setup();
    le.feed('se\t\t\t');
    expect(scr.lines.filter((l) => l === 'search  seed')).toHaveLength(1);
    le.feed('\x7fe\t');
    expect(scr.lines.filter((l) => l === 'search  seed')).toHaveLength(2);
    expect(scr.lines.at(-1)).toBe('$ se');
  });

  it('Ctrl+C drops the line; while busy it only interrupts', () => {
    const { le, submitted, interrupts } = setup();
    le.feed('run\x03');
    expect(le.line).toBe('');
    expect(interrupts()).toBe(1);
    le.feed('run\r');
    le.feed('ignored while busy\x03');
    expect(interrupts()).toBe(2);
    expect(submitted).toEqual(['run']);
  });

  it('keeps lines pasted after Enter for the next prompt', () => {
    const { le, submitted } = setup();
    le.feed('seed 3\r\nrun\r');
    expect(submitted).toEqual(['seed 3']);
    le.prompt();
    expect(submitted).toEqual(['seed 3', 'run']);
  });

  it('Ctrl+U, Ctrl+K and Ctrl+W delete parts of the line', () => {
    const { le } = setup();
    le.feed('seed 12 34\x17');
    expect(le.line).toBe('seed 12 ');
    le.feed(LEFT + LEFT + LEFT + '\x0b');
    expect(le.line).toBe('seed ');
    le.feed('\x15');
    expect(le.line).toBe('');
  });

  it('suspend erases the prompt line and restore draws it back with the typed text', () => {
    const { le, scr } = setup();
    le.feed('che');
    le.suspend();
    expect(scr.lines.at(-1)).toBe('');
    scr.write('output\r\n');
    le.restore();
    expect(scr.lines.slice(-2)).toEqual(['output', '$ che']);
  });

  it('Ctrl+L asks for a clear screen', () => {
    const { le, clears } = setup();
    le.feed('\x0c');
    expect(clears()).toBe(1);
  });
});

describe('stripAnsi', () => {
  it('removes colors and cursor sequences, keeps text', async () => {
    const { stripAnsi } = await import('./ansi');
    expect(stripAnsi('\x1b[31mred\x1b[39m \x1b[2K\rplain\x1b[3D')).toBe('red \rplain');
  });
});
