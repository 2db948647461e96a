/**
 * Splits one iptables-restore line into words the way its parser does (iptables/xshared.c
 * add_param_to_argv): blanks separate words, double quotes group, a backslash escapes a quote.
 */
// Upstream: iptables iptables/xshared.c (add_param_to_argv)
export function tokenizeRuleLine(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '\\' && line[i + 1] === '"') {
      cur += '"';
      inWord = true;
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
      inWord = true;
    } else if (!quoted && (ch === ' ' || ch === '\t')) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (quoted) throw new SyntaxError('unterminated quoted string');
  if (inWord) words.push(cur);
  return words;
}
