import { describe, expect, it } from 'vitest';
import { parseLine, quoteWord } from './parse';

describe('parseLine', () => {
  const cases: Array<{ name: string; line: string; argv: string[]; error?: RegExp }> = [
    { name: 'a blank line has no words', line: '   ', argv: [] },
    { name: 'words split on runs of spaces and tabs', line: ' seed\t  42 ', argv: ['seed', '42'] },
    { name: 'single quotes keep spaces and backslashes literally', line: `echo 'a  b\\n'`, argv: ['echo', 'a  b\\n'] },
    { name: 'double quotes keep spaces and allow \\" escapes', line: 'echo "say \\"hi\\" now"', argv: ['echo', 'say "hi" now'] },
    { name: 'quotes join with adjacent text into one word', line: `get pod/'my pod'x`, argv: ['get', 'pod/my podx'] },
    { name: 'a backslash escapes a space outside quotes', line: 'cat my\\ file', argv: ['cat', 'my file'] },
    { name: 'an empty quoted string is a word', line: `label ''`, argv: ['label', ''] },
    { name: 'an unterminated double quote is an error', line: 'echo "abc', argv: ['echo', 'abc'], error: /unterminated double quote/ },
    { name: 'an unterminated single quote is an error', line: "echo 'abc", argv: ['echo', 'abc'], error: /unterminated single quote/ },
    { name: 'a trailing backslash is an error', line: 'echo abc\\', argv: ['echo'], error: /after \\/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = parseLine(c.line);
      expect(r.argv).toEqual(c.argv);
      if (c.error) expect(r.error).toMatch(c.error);
      else expect(r.error).toBeUndefined();
    });
  }

  it('reports where the last word starts, for completion', () => {
    expect(parseLine('help se')).toMatchObject({ lastWordStart: 5, endsInWord: true });
    expect(parseLine('help ')).toMatchObject({ lastWordStart: 5, endsInWord: false });
    expect(parseLine(`x 'a b`)).toMatchObject({ lastWordStart: 2, endsInWord: true });
  });
});

describe('quoteWord', () => {
  for (const w of ['plain', 'with space', "it's", '', 'a"b', 'ns/name=1']) {
    it(`round-trips ${JSON.stringify(w)} through parseLine`, () => {
      expect(parseLine(`cmd ${quoteWord(w)}`).argv).toEqual(['cmd', w]);
    });
  }
});
