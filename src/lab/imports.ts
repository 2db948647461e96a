/**
 * Finds the module specifiers in transpiled learner code (`import ... from 'x'`, `import 'x'`,
 * `export ... from 'x'`, `import('x')`) with a small scanner that skips comments, strings,
 * template literals and regular expressions, and rewrites `kubelab` to the API shim's URL.
 * Learner code may import only `kubelab`.
 */

export const API_SPECIFIER = 'kubelab';

export interface ImportSite {
  specifier: string;
  /** Offsets of the string literal, quotes included. */
  start: number;
  end: number;
  dynamic: boolean;
}

export interface RewriteResult {
  code: string;
  /** Imports of anything but `kubelab`, with their offsets in the input. */
  disallowed: ImportSite[];
}

/** Replaces every `kubelab` specifier with `apiUrl`; lists the others. */
export function rewriteImports(code: string, apiUrl: string): RewriteResult {
  const sites = findImports(code);
  const disallowed: ImportSite[] = [];
  let out = '';
  let last = 0;
  for (const site of sites) {
    if (site.specifier !== API_SPECIFIER) {
      disallowed.push(site);
      continue;
    }
    out += code.slice(last, site.start) + JSON.stringify(apiUrl);
    last = site.end;
  }
  return { code: out + code.slice(last), disallowed };
}

/** The learner-facing text for an import we refuse. */
export function disallowedImportMessage(specifier: string): string {
  return `Cannot import '${specifier}': labs can import only '${API_SPECIFIER}'`;
}

const ID = /[\w$]/;

export function findImports(code: string): ImportSite[] {
  const sites: ImportSite[] = [];
  const n = code.length;
  let i = 0;
  // Whether a `/` here would start a regular expression (previous token is not a value).
  let regexAllowed = true;
  // Brace depth stack for `${ ... }` inside template literals.
  const templateDepths: number[] = [];
  let braceDepth = 0;

  const skipTrivia = (p: number): number => {
    for (;;) {
      while (p < n && /\s/.test(code[p])) p++;
      if (code.startsWith('//', p)) {
        while (p < n && code[p] !== '\n') p++;
      } else if (code.startsWith('/*', p)) {
        const e = code.indexOf('*/', p + 2);
        p = e < 0 ? n : e + 2;
      } else return p;
    }
  };
  const readString = (p: number): number => {
    const q = code[p];
    p++;
    while (p < n && code[p] !== q) {
      if (code[p] === '\\') p++;
      else if (code[p] === '\n') break;
      p++;
    }
    return p + 1;
  };
  const stringAt = (p: number, dynamic: boolean): number => {
    const end = readString(p);
    sites.push({ specifier: code.slice(p + 1, end - 1), start: p, end, dynamic });
    return end;
  };
  const isKeywordAt = (p: number, word: string) =>
    code.startsWith(word, p) && !ID.test(code[p + word.length] ?? '') && !(p > 0 && (ID.test(code[p - 1]) || code[p - 1] === '.'));

  while (i < n) {
    const c = code[i];
    if (c === '/' && code[i + 1] === '/') {
      while (i < n && code[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && code[i + 1] === '*') {
      const e = code.indexOf('*/', i + 2);
      i = e < 0 ? n : e + 2;
      continue;
    }
    if (c === "'" || c === '"') {
      i = readString(i);
      regexAllowed = false;
      continue;
    }
    if (c === '`') {
      i = skipTemplate(i + 1);
      regexAllowed = false;
      continue;
    }
    if (c === '/' && regexAllowed) {
      i = skipRegex(i);
      regexAllowed = false;
      continue;
    }
    if (c === '{') {
      braceDepth++;
      i++;
      regexAllowed = true;
      continue;
    }
    if (c === '}') {
      if (templateDepths.length && templateDepths[templateDepths.length - 1] === braceDepth) {
        templateDepths.pop();
        braceDepth--;
        i = skipTemplate(i + 1);
        regexAllowed = false;
        continue;
      }
      braceDepth--;
      i++;
      regexAllowed = true;
      continue;
    }
    if (isKeywordAt(i, 'import')) {
      let p = skipTrivia(i + 6);
      if (code[p] === '(') {
        p = skipTrivia(p + 1);
        if (code[p] === "'" || code[p] === '"') {
          i = stringAt(p, true);
          continue;
        }
        i = p;
        regexAllowed = true;
        continue;
      }
      if (code[p] === '.') {
        i = p;
        continue;
      }
      // Static import: the first string literal after the keyword is the specifier.
      while (p < n && code[p] !== "'" && code[p] !== '"' && code[p] !== ';') p = skipTrivia(p + 1);
      if (code[p] === "'" || code[p] === '"') i = stringAt(p, false);
      else i = p;
      regexAllowed = true;
      continue;
    }
    if (isKeywordAt(i, 'export')) {
      let p = skipTrivia(i + 6);
      if (code[p] === '*' || code[p] === '{') {
        if (code[p] === '{') {
          const close = code.indexOf('}', p);
          p = close < 0 ? n : close + 1;
        } else {
          p++;
          p = skipTrivia(p);
          if (isKeywordAt(p, 'as')) {
            p = skipTrivia(p + 2);
            while (p < n && ID.test(code[p])) p++;
          }
        }
        p = skipTrivia(p);
        if (isKeywordAt(p, 'from')) {
          p = skipTrivia(p + 4);
          if (code[p] === "'" || code[p] === '"') {
            i = stringAt(p, false);
            continue;
          }
        }
        i = p;
        regexAllowed = true;
        continue;
      }
      i = p;
      regexAllowed = true;
      continue;
    }
    if (ID.test(c)) {
      const start = i;
      while (i < n && ID.test(code[i])) i++;
      const word = code.slice(start, i);
      // After these keywords an expression starts, so `/` begins a regex.
      regexAllowed = /^(return|typeof|instanceof|in|of|new|delete|void|throw|case|do|else|yield|await)$/.test(word);
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    regexAllowed = !(c === ')' || c === ']');
    i++;
  }
  return sites;

  function skipTemplate(p: number): number {
    while (p < n) {
      if (code[p] === '\\') p += 2;
      else if (code[p] === '`') return p + 1;
      else if (code[p] === '$' && code[p + 1] === '{') {
        braceDepth++;
        templateDepths.push(braceDepth);
        return p + 2;
      } else p++;
    }
    return p;
  }

  function skipRegex(p: number): number {
    p++;
    let inClass = false;
    while (p < n && code[p] !== '\n') {
      if (code[p] === '\\') p += 2;
      else if (code[p] === '[') (inClass = true), p++;
      else if (code[p] === ']') (inClass = false), p++;
      else if (code[p] === '/' && !inClass) {
        p++;
        while (p < n && ID.test(code[p])) p++;
        return p;
      } else p++;
    }
    return p;
  }
}
