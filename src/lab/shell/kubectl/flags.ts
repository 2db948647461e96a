/**
 * Flags as cobra/pflag parse kubectl's: `--name value`, `--name=value`, `-n value`, `-nvalue`,
 * `-n=value`, grouped booleans (`-wA`), `--flag=false` for booleans, `--` ends the flags. Flags may
 * come before or after positional arguments. Errors carry pflag's wording.
 */

export type FlagType = 'bool' | 'string' | 'int' | 'stringArray';

export interface FlagSpec {
  name: string;
  short?: string;
  type: FlagType;
  /** Shown by `kubectl <cmd> --help`. */
  help: string;
  /** For completion: candidate values (e.g. output formats). */
  values?: readonly string[];
  /** Default shown in help (`'-1'`, `'background'`...). */
  def?: string;
}

export type FlagValue = string | number | boolean | string[];

export interface ParsedFlags {
  /** Values by long name, for the flags that were given. */
  values: Map<string, FlagValue>;
  positional: string[];
  /** How many positional arguments came before `--` (Go: cobra's `ArgsLenAtDash`); -1 without `--`. */
  argsLenAtDash: number;
}

/** A flag error as pflag words it; kubectl adds "See 'kubectl get --help' for usage." */
export class FlagError extends Error {}

/** pflag's flag name in messages: `-n, --namespace` when there is a shorthand. */
function shown(spec: FlagSpec): string {
  return spec.short ? `-${spec.short}, --${spec.name}` : `--${spec.name}`;
}

function convert(spec: FlagSpec, raw: string): FlagValue {
  switch (spec.type) {
    case 'bool': {
      const v = parseGoBool(raw);
      if (v === undefined) throw new FlagError(`invalid argument "${raw}" for "${shown(spec)}" flag: strconv.ParseBool: parsing "${raw}": invalid syntax`);
      return v;
    }
    case 'int': {
      if (!/^[-+]?\d+$/.test(raw)) throw new FlagError(`invalid argument "${raw}" for "${shown(spec)}" flag: strconv.ParseInt: parsing "${raw}": invalid syntax`);
      return Number(raw);
    }
    default:
      return raw;
  }
}

/** Go's strconv.ParseBool. */
export function parseGoBool(raw: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(raw)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(raw)) return false;
  return undefined;
}

/** Parses `args` against the specs; unknown flags and missing values throw a FlagError. */
// Upstream: github.com/spf13/pflag flag.go (parseLongArg, parseSingleShortArg)
export function parseFlags(args: readonly string[], specs: readonly FlagSpec[]): ParsedFlags {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const values = new Map<string, FlagValue>();
  const positional: string[] = [];
  let argsLenAtDash = -1;
  const set = (spec: FlagSpec, raw: string) => {
    const v = convert(spec, raw);
    if (spec.type === 'stringArray') {
      const prev = (values.get(spec.name) as string[] | undefined) ?? [];
      values.set(spec.name, [...prev, raw]);
    } else values.set(spec.name, v);
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      argsLenAtDash = positional.length;
      positional.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      const spec = byName.get(name);
      if (!spec) throw new FlagError(`unknown flag: --${name}`);
      if (eq >= 0) set(spec, a.slice(eq + 1));
      else if (spec.type === 'bool') set(spec, 'true');
      else if (i + 1 < args.length) set(spec, args[++i]);
      else throw new FlagError(`flag needs an argument: --${name}`);
      continue;
    }
    if (a.startsWith('-') && a.length > 1 && !/^-\d/.test(a)) {
      const shorts = a.slice(1);
      for (let j = 0; j < shorts.length; j++) {
        const c = shorts[j];
        const spec = byShort.get(c);
        if (!spec) throw new FlagError(`unknown shorthand flag: '${c}' in -${shorts}`);
        const rest = shorts.slice(j + 1);
        if (rest.startsWith('=')) {
          set(spec, rest.slice(1));
          break;
        }
        if (spec.type === 'bool') {
          set(spec, 'true');
          continue;
        }
        if (rest !== '') {
          set(spec, rest);
          break;
        }
        if (i + 1 < args.length) {
          set(spec, args[++i]);
          break;
        }
        throw new FlagError(`flag needs an argument: '${c}' in -${shorts}`);
      }
      continue;
    }
    positional.push(a);
  }
  return { values, positional, argsLenAtDash };
}

/** Typed access with defaults. */
export class Flags {
  constructor(readonly parsed: ParsedFlags) {}
  has(name: string): boolean {
    return this.parsed.values.has(name);
  }
  str(name: string, def = ''): string {
    const v = this.parsed.values.get(name);
    return typeof v === 'string' ? v : def;
  }
  bool(name: string, def = false): boolean {
    const v = this.parsed.values.get(name);
    return typeof v === 'boolean' ? v : def;
  }
  int(name: string, def: number): number {
    const v = this.parsed.values.get(name);
    return typeof v === 'number' ? v : def;
  }
  list(name: string): string[] {
    const v = this.parsed.values.get(name);
    return Array.isArray(v) ? v : [];
  }
}

/** The flags every kubectl command accepts (kubectl's persistent flags we model). */
export const GLOBAL_FLAGS: readonly FlagSpec[] = [
  { name: 'namespace', short: 'n', type: 'string', help: 'If present, the namespace scope for this CLI request' },
  { name: 'v', short: 'v', type: 'int', help: 'number for the log level verbosity (6: requests, 7: headers, 8: bodies, 9: curl)' },
  { name: 'context', type: 'string', help: 'The name of the kubeconfig context to use' },
  { name: 'request-timeout', type: 'string', help: 'The length of time to wait before giving up on a single server request' },
  { name: 'help', short: 'h', type: 'bool', help: 'help for this command' },
];

/** Renders flag help lines as cobra does (`  -n, --namespace='': ...`, simplified). */
export function flagHelp(specs: readonly FlagSpec[]): string {
  const rows = specs.map((s) => {
    const name = s.short ? `-${s.short}, --${s.name}` : `    --${s.name}`;
    const def = s.type === 'bool' ? `=${s.def ?? 'false'}` : s.type === 'int' ? `=${s.def ?? '0'}` : s.type === 'stringArray' ? '=[]' : `='${s.def ?? ''}'`;
    return `    ${name}${def}:\n\t${s.help}`;
  });
  return rows.join('\n\n');
}
