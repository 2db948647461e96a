/**
 * The busybox ash grammar the shell model reads: tokens (words with their quoting, operators) and
 * a tree of lists, and-or chains, loops, ifs, groups and simple commands with assignments and
 * redirections. Syntax errors carry ash's wording (`syntax error: unexpected "("`).
 */

export type Word = Array<{ text: string; quote: 'none' | 'single' | 'double' }>;
export type Redirect = { fd: 1 | 2; op: '>' | '>>' | '>&'; target: Word };
export type Node =
  | { kind: 'simple'; words: Word[]; assigns: Array<{ name: string; value: Word }>; redirects: Redirect[] }
  | { kind: 'list'; items: Array<{ node: Node; op: ';' | '&&' | '||' }> }
  | { kind: 'not'; node: Node }
  | { kind: 'while'; until: boolean; cond: Node; body: Node }
  | { kind: 'if'; branches: Array<{ cond: Node; body: Node }>; otherwise?: Node }
  | { kind: 'for'; name: string; items: Word[]; body: Node }
  | { kind: 'group'; body: Node };

export type Token = { t: 'word'; word: Word; raw: string } | { t: 'op'; op: string };

export class ShellSyntaxError extends Error {}

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '\\' && src[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    const two = src.slice(i, i + 2);
    const four = src.slice(i, i + 4);
    if (four === '2>&1' || four === '1>&2') {
      out.push({ t: 'op', op: four });
      i += 4;
      continue;
    }
    const three = src.slice(i, i + 3);
    if (three === '>&2' || three === '>&1') {
      out.push({ t: 'op', op: three === '>&2' ? '1>&2' : '>&1' });
      i += 3;
      continue;
    }
    if (two === '&&' || two === '||' || two === '>>' || two === ';;') {
      out.push({ t: 'op', op: two });
      i += 2;
      continue;
    }
    if (two === '2>' && (i === 0 || /\s/.test(src[i - 1]))) {
      out.push({ t: 'op', op: '2>' });
      i += 2;
      continue;
    }
    if (';\n&|><()'.includes(c)) {
      out.push({ t: 'op', op: c });
      i++;
      continue;
    }
    const word: Word = [];
    let raw = '';
    while (i < src.length && !' \t\n;&|><()'.includes(src[i])) {
      const ch = src[i];
      if (ch === "'") {
        const end = src.indexOf("'", i + 1);
        if (end < 0) throw new ShellSyntaxError('unterminated quoted string');
        word.push({ text: src.slice(i + 1, end), quote: 'single' });
        raw += src.slice(i, end + 1);
        i = end + 1;
      } else if (ch === '"') {
        let j = i + 1;
        let text = '';
        while (j < src.length && src[j] !== '"') {
          if (src[j] === '\\' && '"$`\\'.includes(src[j + 1] ?? '')) {
            text += `\\${src[j + 1]}`;
            j += 2;
          } else if (src[j] === '$' && src[j + 1] === '(') {
            const end = matchParen(src, j + 1);
            text += src.slice(j, end + 1);
            j = end + 1;
          } else text += src[j++];
        }
        if (j >= src.length) throw new ShellSyntaxError('unterminated quoted string');
        word.push({ text, quote: 'double' });
        raw += src.slice(i, j + 1);
        i = j + 1;
      } else if (ch === '$' && src[i + 1] === '(') {
        const end = matchParen(src, i + 1);
        word.push({ text: src.slice(i, end + 1), quote: 'none' });
        raw += src.slice(i, end + 1);
        i = end + 1;
      } else if (ch === '\\' && i + 1 < src.length) {
        word.push({ text: src[i + 1], quote: 'single' });
        raw += src.slice(i, i + 2);
        i += 2;
      } else {
        const last = word[word.length - 1];
        if (last && last.quote === 'none') last.text += ch;
        else word.push({ text: ch, quote: 'none' });
        raw += ch;
        i++;
      }
    }
    out.push({ t: 'word', word, raw });
  }
  return out;
}

export function matchParen(src: string, open: number): number {
  let depth = 0;
  for (let j = open; j < src.length; j++) {
    if (src[j] === '(') depth++;
    else if (src[j] === ')' && --depth === 0) return j;
  }
  throw new ShellSyntaxError("unexpected end of file (expecting \")\")");
}

/** Parses a script into a list node; throws ShellSyntaxError with ash's wording. */
export function parse(src: string): Node {
  const toks = tokenize(src);
  let pos = 0;
  const peek = () => toks[pos];
  const isKw = (tok: Token | undefined, kw: string) => tok?.t === 'word' && tok.raw === kw;
  const isOp = (tok: Token | undefined, op: string) => tok?.t === 'op' && tok.op === op;
  const unexpected = (): never => {
    const tok = peek();
    const what = !tok ? 'end of file' : tok.t === 'op' ? (tok.op === '\n' ? 'newline' : `"${tok.op}"`) : `"${tok.raw}"`;
    throw new ShellSyntaxError(`syntax error: unexpected ${what}`);
  };
  const skipSeps = () => {
    while (isOp(peek(), '\n') || isOp(peek(), ';')) pos++;
  };
  const expectKw = (kw: string) => {
    skipSeps();
    if (!peek()) throw new ShellSyntaxError(`syntax error: unexpected end of file (expecting "${kw}")`);
    if (!isKw(peek(), kw)) unexpected();
    pos++;
  };

  function list(stop: string[]): Node {
    const items: Array<{ node: Node; op: ';' | '&&' | '||' }> = [];
    let op: ';' | '&&' | '||' = ';';
    for (;;) {
      if (op === ';') skipSeps();
      else while (isOp(peek(), '\n')) pos++;
      const tok = peek();
      if (!tok || (tok.t === 'word' && stop.includes(tok.raw) && op === ';')) break;
      items.push({ node: command(), op });
      const next = peek();
      if (isOp(next, '&&') || isOp(next, '||')) {
        op = (next as { op: '&&' | '||' }).op;
        pos++;
      } else if (isOp(next, ';') || isOp(next, '\n') || isOp(next, '&')) {
        op = ';';
        pos++;
      } else if (!next || (next.t === 'word' && stop.includes(next.raw))) op = ';';
      else unexpected();
    }
    return { kind: 'list', items };
  }

  function command(): Node {
    const tok = peek();
    if (isKw(tok, '!')) {
      pos++;
      return { kind: 'not', node: command() };
    }
    if (isKw(tok, 'while') || isKw(tok, 'until')) {
      pos++;
      const cond = list(['do']);
      expectKw('do');
      const body = list(['done']);
      expectKw('done');
      return { kind: 'while', until: (tok as { raw: string }).raw === 'until', cond, body };
    }
    if (isKw(tok, 'if')) {
      pos++;
      const branches: Array<{ cond: Node; body: Node }> = [];
      let otherwise: Node | undefined;
      for (;;) {
        const cond = list(['then']);
        expectKw('then');
        const body = list(['elif', 'else', 'fi']);
        branches.push({ cond, body });
        skipSeps();
        if (isKw(peek(), 'elif')) {
          pos++;
          continue;
        }
        if (isKw(peek(), 'else')) {
          pos++;
          otherwise = list(['fi']);
        }
        expectKw('fi');
        return { kind: 'if', branches, otherwise };
      }
    }
    if (isKw(tok, 'for')) {
      pos++;
      const name = peek();
      if (name?.t !== 'word') return unexpected();
      pos++;
      const items: Word[] = [];
      if (isKw(peek(), 'in')) {
        pos++;
        while (peek()?.t === 'word') items.push((toks[pos++] as { word: Word }).word);
      }
      expectKw('do');
      const body = list(['done']);
      expectKw('done');
      return { kind: 'for', name: name.raw, items, body };
    }
    if (isKw(tok, '{')) {
      pos++;
      const body = list(['}']);
      expectKw('}');
      return { kind: 'group', body };
    }
    return simple();
  }

  function simple(): Node {
    const words: Word[] = [];
    const assigns: Array<{ name: string; value: Word }> = [];
    const redirects: Redirect[] = [];
    for (;;) {
      const tok = peek();
      if (!tok) break;
      if (tok.t === 'op') {
        if (tok.op === '>' || tok.op === '>>' || tok.op === '2>') {
          pos++;
          const target = peek();
          if (target?.t !== 'word') return unexpected();
          pos++;
          redirects.push({ fd: tok.op === '2>' ? 2 : 1, op: tok.op === '>>' ? '>>' : '>', target: target.word });
          continue;
        }
        if (tok.op === '2>&1' || tok.op === '1>&2' || tok.op === '>&1') {
          pos++;
          if (tok.op !== '>&1') redirects.push({ fd: tok.op === '2>&1' ? 2 : 1, op: '>&', target: [{ text: tok.op === '2>&1' ? '1' : '2', quote: 'none' }] });
          continue;
        }
        if (tok.op === '(' || tok.op === ')') unexpected();
        if (tok.op === '|' || tok.op === '<') throw new ShellSyntaxError(`${tok.op === '|' ? 'pipes' : 'input redirection'} are not modelled by this shell`);
        break;
      }
      if (words.length === 0 && ['do', 'done', 'then', 'fi', 'elif', 'else', '}'].includes(tok.raw)) unexpected();
      const m = words.length === 0 ? /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(tok.raw) : null;
      if (m && tok.word[0]?.quote === 'none') {
        const first = tok.word[0];
        assigns.push({ name: m[1], value: [{ text: first.text.slice(m[0].length), quote: 'none' }, ...tok.word.slice(1)] });
      } else words.push(tok.word);
      pos++;
    }
    if (words.length === 0 && assigns.length === 0 && redirects.length === 0) unexpected();
    return { kind: 'simple', words, assigns, redirects };
  }

  const root = list([]);
  if (pos < toks.length) unexpected();
  return root;
}
