/**
 * Splits a command line into words the way a small POSIX shell does: whitespace separates
 * words; 'single quotes' keep everything literally; "double quotes" keep spaces and allow
 * \" and \\ escapes; a backslash outside quotes escapes the next character.
 */
export interface ParsedLine {
  /** The words, quotes removed. Empty for a blank line. */
  argv: string[];
  /** Set when the line cannot be parsed (an unterminated quote or a trailing backslash). */
  error?: string;
  /**
   * Where the last word starts in the raw line, and whether the line ends inside a word
   * (no trailing whitespace). Tab completion replaces from `lastWordStart`.
   */
  lastWordStart: number;
  endsInWord: boolean;
}

export function parseLine(line: string): ParsedLine {
  const argv: string[] = [];
  let word = '';
  let inWord = false;
  let wordStart = line.length;
  let quote: '"' | "'" | undefined;
  let i = 0;
  const startWord = () => {
    if (!inWord) {
      inWord = true;
      wordStart = i;
    }
  };
  while (i < line.length) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
      i++;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) {
        word += line[i + 1];
        i++;
      } else word += c;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) {
        argv.push(word);
        word = '';
        inWord = false;
      }
      i++;
      continue;
    }
    startWord();
    if (c === "'" || c === '"') {
      quote = c;
    } else if (c === '\\') {
      if (i + 1 >= line.length) {
        return { argv, error: 'unexpected end of line after \\', lastWordStart: wordStart, endsInWord: true };
      }
      word += line[i + 1];
      i++;
    } else {
      word += c;
    }
    i++;
  }
  if (quote) {
    return {
      argv: [...argv, word],
      error: `unterminated ${quote === '"' ? 'double' : 'single'} quote`,
      lastWordStart: wordStart,
      endsInWord: true,
    };
  }
  if (inWord) argv.push(word);
  return { argv, lastWordStart: inWord ? wordStart : line.length, endsInWord: inWord };
}

/** Quotes a word so that parseLine gives it back unchanged (used by completion). */
export function quoteWord(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_.,:/=@%+-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
