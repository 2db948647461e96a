/**
 * The Go process's environment as this terminal keeps it: what `export` set, what a command's
 * `NAME=value` prefix adds, and how the runtime reads GODEBUG's gctrace setting out of it.
 */

/** Exported variables, by name (the shell's `export` table). */
export type GoEnvTable = Map<string, string>;

/** The environment a program started now sees: the exported table, then the line's prefix. */
export function processEnv(exported: GoEnvTable, prefix: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { ...Object.fromEntries(exported), ...prefix };
}

/**
 * GODEBUG's gctrace value as the runtime reads it at start-up: left to right, the last
 * `gctrace=N` wins, and a value strconv.ParseInt(v, 10, 32) rejects is skipped (the setting
 * keeps its default 0). gctrace is a plain (not atomic) debug variable, so a running process
 * does not see a later os.Setenv("GODEBUG", ...): only start-up reads it.
 */
// Upstream: src/runtime/runtime1.go (parsegodebug, reparsedebugvars, dbgvars)
export function gctraceLevel(godebug: string | undefined): number {
  let level = 0;
  for (const kv of (godebug ?? '').split(',')) {
    const eq = kv.indexOf('=');
    if (eq < 0 || kv.slice(0, eq) !== 'gctrace') continue;
    const v = kv.slice(eq + 1);
    if (/^[+-]?[0-9]+$/.test(v) && Math.abs(Number(v)) < 2 ** 31) level = Number(v);
  }
  return level;
}

/** GODEBUG with gctrace set to `level` (other settings kept in order); empty when nothing is left. */
export function withGctrace(godebug: string | undefined, level: number): string {
  const rest = (godebug ?? '').split(',').filter((kv) => kv !== '' && !kv.startsWith('gctrace='));
  return [...rest, `gctrace=${level}`].join(',');
}

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A Go duration ("10s", "1m30s", "1.5s", "250ms") in milliseconds, after time.ParseDuration; no
 * sign (a run cannot last a negative time). Undefined where Go reports a parse error.
 */
export function parseGoDuration(s: string): number | undefined {
  if (s === '0') return 0;
  const re = /([0-9]*\.?[0-9]+|[0-9]+\.)(ns|us|µs|μs|ms|s|m|h)/y;
  let ms = 0;
  let at = 0;
  while (at < s.length) {
    re.lastIndex = at;
    const m = re.exec(s);
    if (!m) return undefined;
    ms += Number(m[1]) * UNITS[m[2]];
    at = re.lastIndex;
  }
  return at === 0 ? undefined : ms;
}

/** Milliseconds as Go's time.Duration prints them, for the common cases ("2s", "1m30s", "250ms"). */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${+ms.toFixed(3)}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = +((ms % 60_000) / 1000).toFixed(3);
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}

/** Bytes as a person reads them: "512 B", "4.0 KiB", "64 MiB", "1.5 GiB". */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  if (i === 0) return `${n} B`;
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[i]}`;
}

/**
 * GOMAXPROCS as schedinit reads it: a positive number strconv.Atoi32 takes is the P count;
 * anything else (unset, 0, negative, "four") leaves the default, the machine's CPUs.
 */
// Upstream: src/runtime/proc.go (schedinit)
export function readGOMAXPROCS(value: string | undefined): number | undefined {
  if (value === undefined || !/^[+-]?[0-9]+$/.test(value)) return undefined;
  const n = Number(value);
  return n > 0 && n < 2 ** 31 ? n : undefined;
}
