/**
 * A small option parser for the node tools: `--name value`, `--name=value`, `-n value`, `-n5`
 * (single-letter options with a value), grouped boolean letters (`-af`), `--` ends the options.
 * Options may follow the arguments (urfave/cli stops at the first argument; getopt does not).
 */

export interface OptSpec {
  name: string;
  short?: string;
  /** Other long names (`--lines` for `-n`). */
  aliases?: readonly string[];
  type: 'bool' | 'string';
}

/** getopt's wording in `message`; `flag` is the option as typed (`--foo`, `-x`) for other wordings. */
export class OptError extends Error {
  constructor(message: string, readonly flag: string) {
    super(message);
  }
}

export interface ParsedOpts {
  values: Map<string, string | boolean>;
  args: string[];
}

export function parseOpts(argv: readonly string[], specs: readonly OptSpec[]): ParsedOpts {
  const values = new Map<string, string | boolean>();
  const args: string[] = [];
  const long = (n: string) => specs.find((s) => s.name === n || s.aliases?.includes(n));
  const short = (c: string) => specs.find((s) => s.short === c);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const spec = long(name);
      if (!spec) throw new OptError(`unrecognized option '--${name}'`, `--${name}`);
      if (spec.type === 'bool') values.set(spec.name, eq < 0 ? true : !/^(false|0|no)$/i.test(a.slice(eq + 1)));
      else if (eq >= 0) values.set(spec.name, a.slice(eq + 1));
      else if (i + 1 < argv.length) values.set(spec.name, argv[++i]);
      else throw new OptError(`option '--${name}' requires an argument`, `--${name}`);
      continue;
    }
    if (a.startsWith('-') && a.length > 1 && !/^-\d/.test(a)) {
      for (let k = 1; k < a.length; k++) {
        const spec = short(a[k]);
        if (!spec) throw new OptError(`invalid option -- '${a[k]}'`, `-${a[k]}`);
        if (spec.type === 'bool') {
          values.set(spec.name, true);
          continue;
        }
        const rest = a.slice(k + 1).replace(/^=/, '');
        if (rest) values.set(spec.name, rest);
        else if (i + 1 < argv.length) values.set(spec.name, argv[++i]);
        else throw new OptError(`option requires an argument -- '${a[k]}'`, `-${a[k]}`);
        break;
      }
      continue;
    }
    args.push(a);
  }
  return { values, args };
}

export const str = (p: ParsedOpts, name: string): string | undefined => {
  const v = p.values.get(name);
  return typeof v === 'string' ? v : undefined;
};
export const bool = (p: ParsedOpts, name: string): boolean => p.values.get(name) === true;
