/**
 * The check each step of a lab.yaml names, without a YAML parser (the browser worker would
 * otherwise ship js-yaml just for this). Reads the block-style `steps:` list that every lab
 * uses; test/lab/labs.test.ts checks it against js-yaml for every lab.
 */
export function stepChecksFromYaml(text: string): Array<{ check?: string }> {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => /^steps:\s*$/.test(l));
  if (start < 0) return [];
  const steps: Array<{ check?: string }> = [];
  let itemIndent = -1;
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line)) break; // the next top-level key
    const item = /^(\s*)- /.exec(line);
    if (item && (itemIndent < 0 || item[1].length === itemIndent)) {
      itemIndent = item[1].length;
      steps.push({});
    }
    const key = /^\s*(?:- )?check:\s*['"]?([\w-]+)['"]?\s*$/.exec(line);
    if (key && steps.length && (itemIndent < 0 || leading(line) <= itemIndent + 2)) steps[steps.length - 1].check = key[1];
  }
  return steps;
}

function leading(line: string): number {
  return /^\s*/.exec(line)![0].length;
}
