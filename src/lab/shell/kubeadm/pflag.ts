/**
 * The flag parsing of a cobra command (spf13/pflag): `--name value`, `--name=value`, `-f`,
 * string slices split on commas and repeatable, flags anywhere among the arguments, `--` ends
 * them. Errors are pflag's texts, which kubeadm prints through its error handler.
 * Upstream: spf13/pflag flag.go (parseLongArg, parseSingleShortArg, failf), string_slice.go,
 * bool.go; spf13/cobra command.go (stripFlags)
 */

export type FlagType = 'bool' | 'string' | 'stringSlice' | 'int' | 'duration';

export interface FlagSpec {
  name: string;
  short?: string;
  type: FlagType;
}

export interface ParsedFlags {
  /** Values by flag name; slices accumulate. */
  values: Map<string, string | boolean | number | string[]>;
  /** The flags given on the command line, in order, once each (pflag's `Changed`). */
  changed: string[];
  args: string[];
}

/** A bad command line: pflag's message (kubeadm exits 1 with it). */
export class FlagError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlagError';
  }
}

/** Flags every kubeadm command takes (klog's and the root's persistent flags). */
export const GlobalFlags: FlagSpec[] = [
  { name: 'v', short: 'v', type: 'int' },
  { name: 'add-dir-header', type: 'bool' },
  { name: 'log-file', type: 'string' },
  { name: 'rootfs', type: 'string' },
  { name: 'skip-headers', type: 'bool' },
  { name: 'help', short: 'h', type: 'bool' },
];

// Upstream: pflag bool.go (strconv.ParseBool's accepted words)
const BOOL_WORDS: Record<string, boolean> = { '1': true, t: true, T: true, TRUE: true, true: true, True: true, '0': false, f: false, F: false, FALSE: false, false: false, False: false };

function setValue(out: ParsedFlags, spec: FlagSpec, raw: string, flagText: string): void {
  if (!out.changed.includes(spec.name)) out.changed.push(spec.name);
  switch (spec.type) {
    case 'bool': {
      const b = BOOL_WORDS[raw];
      if (b === undefined) throw new FlagError(`invalid argument "${raw}" for "${flagText}" flag: strconv.ParseBool: parsing "${raw}": invalid syntax`);
      out.values.set(spec.name, b);
      return;
    }
    case 'int': {
      if (!/^[+-]?\d+$/.test(raw)) throw new FlagError(`invalid argument "${raw}" for "${flagText}" flag: strconv.ParseInt: parsing "${raw}": invalid syntax`);
      out.values.set(spec.name, Number(raw));
      return;
    }
    case 'stringSlice': {
      const prev = out.values.get(spec.name);
      const items = raw === '' ? [] : raw.split(',');
      out.values.set(spec.name, [...(Array.isArray(prev) ? prev : []), ...items]);
      return;
    }
    default:
      out.values.set(spec.name, raw);
  }
}

/** Parses argv against the command's flags plus the global ones. */
// Upstream: pflag flag.go (FlagSet.parseArgs, parseLongArg, parseShortArg)
export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[]): ParsedFlags {
  const all = [...specs, ...GlobalFlags];
  const out: ParsedFlags = { values: new Map(), changed: [], args: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.args.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const spec = all.find((s) => s.name === name);
      if (!spec) throw new FlagError(`unknown flag: --${name}`);
      if (eq >= 0) setValue(out, spec, a.slice(eq + 1), `--${name}`);
      else if (spec.type === 'bool') setValue(out, spec, 'true', `--${name}`);
      else if (i + 1 < argv.length) setValue(out, spec, argv[++i], `--${name}`);
      else throw new FlagError(`flag needs an argument: ${a}`);
      continue;
    }
    if (a.startsWith('-') && a.length > 1 && a !== '-') {
      const shorts = a.slice(1);
      for (let k = 0; k < shorts.length; k++) {
        const c = shorts[k];
        const spec = all.find((s) => s.short === c);
        if (!spec) throw new FlagError(`unknown shorthand flag: '${c}' in ${a}`);
        const flagText = `-${c}, --${spec.name}`;
        if (shorts[k + 1] === '=') {
          setValue(out, spec, shorts.slice(k + 2), flagText);
          break;
        }
        if (spec.type === 'bool') {
          setValue(out, spec, 'true', flagText);
          continue;
        }
        if (k + 1 < shorts.length) setValue(out, spec, shorts.slice(k + 1), flagText);
        else if (i + 1 < argv.length) setValue(out, spec, argv[++i], flagText);
        else throw new FlagError(`flag needs an argument: '${c}' in -${c}`);
        break;
      }
      continue;
    }
    out.args.push(a);
  }
  return out;
}

export const flagString = (p: ParsedFlags, name: string): string | undefined => {
  const v = p.values.get(name);
  return typeof v === 'string' ? v : undefined;
};
export const flagBool = (p: ParsedFlags, name: string): boolean => p.values.get(name) === true;
export const flagSlice = (p: ParsedFlags, name: string): string[] => {
  const v = p.values.get(name);
  return Array.isArray(v) ? v : [];
};
