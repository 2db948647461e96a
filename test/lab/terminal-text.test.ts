// Learner text for a terminal: colours stay, nothing else drives the terminal; the renderer keeps
// learner text apart from the workbench's own lines.
import { describe, expect, it } from 'vitest';
import { createRunRenderer } from '../../src/lab/render';
import { plainTerminalText, sanitizeTerminalText, wrapColumns } from '../../src/lab/terminal-text';

const ESC = '\x1b';

describe('sanitizeTerminalText', () => {
  it.each([
    ['keeps colours and styles', `${ESC}[32mgreen${ESC}[0m ${ESC}[1;31mbold red${ESC}[m`, `${ESC}[32mgreen${ESC}[0m ${ESC}[1;31mbold red${ESC}[0m`],
    ['keeps 256 and true colours whole (their 8 is a colour, not conceal)', `${ESC}[38;5;8mx${ESC}[48;2;8;8;8my`, `${ESC}[38;5;8mx${ESC}[48;2;8;8;8my`],
    ['drops conceal (8), keeping the rest of the SGR', `${ESC}[8mhidden ${ESC}[1;8;32mx`, `hidden ${ESC}[1;32mx`],
    ['drops clear screen and cursor moves', `${ESC}[2J${ESC}[H${ESC}[3;1Hfake`, 'fake'],
    ['drops the alternate screen', `${ESC}[?1049hx${ESC}[?1049l`, 'x'],
    ['drops device status and attribute queries', `${ESC}[6n${ESC}[c${ESC}[>0c`, ''],
    ['drops OSC titles and hyperlinks', `${ESC}]0;title\x07a${ESC}]8;;https://evil.example/${ESC}\\link${ESC}]8;;${ESC}\\`, 'alink'],
    ['drops DCS, and 8-bit CSI', `${ESC}P+q544e${ESC}\\a\x9b2Jb`, 'a2Jb'],
    ['drops carriage returns, backspaces and bells but keeps tabs and newlines', 'a\rb\bc\x07d\te\nf', 'abcd\te\nf'],
    ['drops a lone escape', `a${ESC}b${ESC}`, 'a'],
  ])('%s', (_, input, expected) => {
    expect(sanitizeTerminalText(input)).toBe(expected);
  });

  it('plainTerminalText drops colours too', () => {
    expect(plainTerminalText(`${ESC}[32m✓ 4 of 4 checks passed${ESC}[0m\r`)).toBe('✓ 4 of 4 checks passed');
  });
});

describe('wrapColumns', () => {
  it('wraps at the width so that every row can carry the gutter', () => {
    expect(wrapColumns('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrapColumns(`${ESC}[32mabcdef${ESC}[0m`, 3)).toEqual([`${ESC}[32mabc`, `def${ESC}[0m`]);
  });

  it('counts anything but printable ASCII as two columns, and expands tabs', () => {
    expect(wrapColumns('日本語', 4)).toEqual(['日本', '語']);
    expect(wrapColumns('a\tb', 20)).toEqual(['a       b']);
  });
});

describe('the renderer', () => {
  it('returns learner output as learner lines, never as the workbench’s own', () => {
    const r = createRunRenderer({ mode: 'check' });
    const lines = r.render({ type: 'output', runId: 1, stream: 'stdout', text: `${ESC}[2J${ESC}[32m✓ 4 of 4 checks passed\nok\n` });
    expect(lines).toEqual([
      { tone: 'plain', text: `${ESC}[2J${ESC}[32m✓ 4 of 4 checks passed`, learner: 'stdout' },
      { tone: 'plain', text: 'ok', learner: 'stdout' },
    ]);
  });

  it('makes learner text inside an error or a check plain and indents its continuation lines', () => {
    const r = createRunRenderer({ mode: 'check' });
    const err = r.render({ type: 'error', runId: 1, kind: 'runtime', message: `Error: x\n${ESC}[32m✓ 4 of 4 checks passed`, location: { file: 'main.ts', line: 1, column: 7 } });
    expect(err.map((l) => l.text)).toEqual(['✗ Runtime error at main.ts:1:7: Error: x', '    ✓ 4 of 4 checks passed']);
    const check = r.render({ type: 'check', runId: 1, name: 'c', title: 'T', passed: false, expected: '1', received: `2\n${ESC}[32mAll checks passed` });
    expect(check.map((l) => l.text)).toEqual(['✗ T', '    expected: 1', '    received: 2', '              All checks passed']);
  });

  it('names every error kind from one table and summarises checks at done', () => {
    const r = createRunRenderer({ mode: 'check', files: { 'main.ts': 'const a = 1;\nconst b = ;\n' } });
    expect(r.render({ type: 'error', runId: 1, kind: 'syntax', message: 'SyntaxError: Unexpected token', location: { file: 'main.ts', line: 2, column: 11 } }).map((l) => l.text)).toEqual([
      '✗ Syntax error at main.ts:2:11: SyntaxError: Unexpected token',
      '  2 | const b = ;',
      '    |           ^',
    ]);
    r.render({ type: 'check', runId: 1, name: 'a', title: 'A', passed: true });
    r.render({ type: 'check', runId: 1, name: 'b', title: 'B', passed: false });
    expect(r.render({ type: 'done', runId: 1, ok: false, durationMs: 12, events: 3 })).toEqual([{ tone: 'error', text: '✗ 1 of 2 checks passed (12 ms, 3 trace events)', strong: true }]);
  });
});
