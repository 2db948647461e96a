/**
 * A small reader and writer of datadriven test files, the format of cockroachdb/datadriven that
 * etcd-io/raft's testdata/*.txt use: `# comments`, then blocks of
 *
 *     command arg key=val key=(v1,v2)
 *     optional input lines
 *     ----
 *     expected output (ends at a blank line)
 *
 * Output that holds blank lines sits between `----\n----` and `----\n----`. `rewrite` puts the
 * actual outputs in place of the expected ones (datadriven's `-rewrite`), keeping comments.
 */

/** One argument: `key` alone (vals empty), `key=val` or `key=(a,b)`. Upstream: datadriven.CmdArg */
export interface CmdArg {
  key: string;
  vals: string[];
}

/** One block of a file. Upstream: datadriven.TestData */
export interface TestData {
  /** 1-based line of the command, for messages. */
  line: number;
  cmd: string;
  cmdArgs: CmdArg[];
  /** The lines between the command and `----`, joined by newlines. */
  input: string;
  expected: string;
  /** Offsets of the expected output in the file's text (for rewrite). */
  start: number;
  end: number;
}

/** Splits a command line into command and arguments; `(...)` groups may hold spaces. */
export function parseCmdLine(line: string): { cmd: string; cmdArgs: CmdArg[] } {
  const toks: string[] = [];
  let cur = '';
  let depth = 0;
  for (const ch of line.trim()) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ' ' && depth === 0) {
      if (cur !== '') toks.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur !== '') toks.push(cur);
  const [cmd = '', ...rest] = toks;
  const cmdArgs = rest.map((tok): CmdArg => {
    const eq = tok.indexOf('=');
    if (eq < 0) return { key: tok, vals: [] };
    const key = tok.slice(0, eq);
    const v = tok.slice(eq + 1);
    if (v.startsWith('(') && v.endsWith(')')) {
      const inner = v.slice(1, -1).trim();
      return { key, vals: inner === '' ? [] : inner.split(/\s*,\s*|\s+/) };
    }
    return { key, vals: [v] };
  });
  return { cmd, cmdArgs };
}

/** Reads every block of a datadriven file. */
export function parseTestFile(text: string): TestData[] {
  const lines = text.split('\n');
  // Offsets of each line's start, so rewrite can splice outputs back.
  const at: number[] = [];
  let off = 0;
  for (const l of lines) {
    at.push(off);
    off += l.length + 1;
  }
  const offsetOf = (i: number) => (i < lines.length ? at[i] : text.length);
  const out: TestData[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.trim() === '' || line.startsWith('#')) {
      i++;
      continue;
    }
    const cmdLine = i;
    const input: string[] = [];
    i++;
    while (i < lines.length && lines[i] !== '----') input.push(lines[i++]);
    if (i >= lines.length) throw new Error(`line ${cmdLine + 1}: no ---- after ${JSON.stringify(line)}`);
    i++; // the ----
    const start = offsetOf(i);
    let expected: string[] = [];
    let end: number;
    if (lines[i] === '----') {
      // The long form: output (with blank lines) until ----\n----.
      i++;
      while (i < lines.length && !(lines[i] === '----' && lines[i + 1] === '----')) expected.push(lines[i++]);
      i += 2;
      end = offsetOf(i);
    } else {
      while (i < lines.length && lines[i].trim() !== '') expected.push(lines[i++]);
      end = offsetOf(i);
    }
    if (expected.length === 0) expected = [];
    out.push({ line: cmdLine + 1, ...parseCmdLine(line), input: input.join('\n'), expected: expected.map((l) => l + '\n').join(''), start, end });
  }
  return out;
}

/** How an actual output is written in a file: plain, or between ----\n---- when it holds a blank line. */
export function formatOutput(actual: string): string {
  const body = actual.endsWith('\n') ? actual : actual + '\n';
  return body.split('\n').slice(0, -1).some((l) => l.trim() === '') ? `----\n${body}----\n----\n` : body;
}

/** The actual output as datadriven compares it: with a trailing newline. */
export function normalizeOutput(actual: string): string {
  return actual.endsWith('\n') ? actual : actual + '\n';
}

/** The file with each block's expected output replaced by `actuals[i]`. */
export function rewrite(text: string, blocks: TestData[], actuals: string[]): string {
  let out = '';
  let pos = 0;
  blocks.forEach((b, i) => {
    out += text.slice(pos, b.start) + formatOutput(actuals[i]);
    pos = b.end;
  });
  return out + text.slice(pos);
}
