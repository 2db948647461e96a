/**
 * `journalctl -u kubelet [-n N] [-f] [--since T] [--until T] [-r] [-o short|cat] [--no-pager]`:
 * the kubelet's klog lines in journalctl's default `short` format — `Dec 05 07:45:00 node-1
 * kubelet[1234]: ` then the line as klog wrote it (klog's header repeats the time with
 * microseconds and the pid). The time and pid of the prefix are read from the klog header.
 * Upstream: systemd v252 src/journal/journalctl.c (parse_argv: -n's optional argument, --since),
 * src/shared/logs-show.c (output_short: "%b %d %H:%M:%S" then hostname, identifier[pid]),
 * src/basic/time-util.c (parse_timestamp: the forms accepted).
 */
import type { ShellIO } from '../registry';
import { bool, OptError, parseOpts, str, type OptSpec } from './flags';

export interface JournalNode {
  /** The node's hostname (the journal's `_HOSTNAME`). */
  name: string;
  /** Virtual time now (ms since the epoch). */
  now(): number;
  /** The kubelet's journal, klog header included, oldest first. */
  journal(): readonly string[];
  /** Lets virtual time run while `-f` follows: until `done()` holds, `maxMs` passed or nothing is left to run. */
  passTime?: (done: () => boolean, maxMs: number) => Promise<void>;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const KLOG_HEADER = /^[IWEF](\d\d)(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{6})\s+(\d+) /;
const UNIT = 'kubelet';

export interface Entry {
  timeMs: number | undefined;
  pid: string;
  line: string;
}

/** The entry's time from the klog header (klog has no year: the year of `nowMs`). */
export function parseEntry(line: string, nowMs: number): Entry {
  const m = KLOG_HEADER.exec(line);
  if (!m) return { timeMs: undefined, pid: '', line };
  const year = new Date(nowMs).getUTCFullYear(); // allow-nondeterminism: a given virtual time, no clock read
  const timeMs = Date.UTC(year, Number(m[1]) - 1, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])) + Math.floor(Number(m[6]) / 1000);
  return { timeMs, pid: m[7], line };
}

/** `Dec 05 07:45:00 node-1 kubelet[1234]: <line>` (output_short, times in UTC on the lab's nodes). */
// Upstream: src/shared/logs-show.c (output_short, output_timestamp_realtime)
export function shortLine(e: Entry, hostname: string | undefined): string {
  const host = hostname === undefined ? '' : `${hostname} `;
  if (e.timeMs === undefined) return `${host}${UNIT}: ${e.line}`;
  const d = new Date(e.timeMs); // allow-nondeterminism: formats the entry's time
  const two = (n: number) => String(n).padStart(2, '0');
  const stamp = `${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return `${stamp} ${host}${UNIT}[${e.pid}]: ${e.line}`;
}

const UNITS_MS: Record<string, number> = { s: 1000, sec: 1000, second: 1000, seconds: 1000, m: 60_000, min: 60_000, minute: 60_000, minutes: 60_000, h: 3_600_000, hour: 3_600_000, hours: 3_600_000, d: 86_400_000, day: 86_400_000, days: 86_400_000 };

/**
 * The forms of parse_timestamp the labs use: `YYYY-MM-DD [HH:MM[:SS]]`, `HH:MM[:SS]` (today),
 * `now`, `today`, `yesterday`, `-5m` / `+1h`, `5 min ago`. Times are UTC (the nodes' zone).
 */
// Upstream: src/basic/time-util.c (parse_timestamp, parse_sec)
export function parseTimestamp(text: string, nowMs: number): number | undefined {
  const t = text.trim();
  const day = Math.floor(nowMs / 86_400_000) * 86_400_000;
  if (t === 'now') return nowMs;
  if (t === 'today') return day;
  if (t === 'yesterday') return day - 86_400_000;
  if (t === 'tomorrow') return day + 86_400_000;
  const rel = /^([+-])\s*(\d+)\s*([a-z]+)$/.exec(t) ?? (/^(\d+)\s*([a-z]+)\s+ago$/.test(t) ? ['', '-', ...(/^(\d+)\s*([a-z]+)/.exec(t) ?? []).slice(1)] : null);
  if (rel && UNITS_MS[rel[3]]) return nowMs + (rel[1] === '-' ? -1 : 1) * Number(rel[2]) * UNITS_MS[rel[3]];
  const abs = /^(?:(\d{4})-(\d\d)-(\d\d))?(?:[ T]?(\d\d):(\d\d)(?::(\d\d))?)?$/.exec(t);
  if (abs && (abs[1] || abs[4])) {
    const base = abs[1] ? Date.UTC(Number(abs[1]), Number(abs[2]) - 1, Number(abs[3])) : day;
    return base + (abs[4] ? Number(abs[4]) * 3_600_000 + Number(abs[5]) * 60_000 + Number(abs[6] ?? 0) * 1000 : 0);
  }
  return undefined;
}

const OPTS: OptSpec[] = [
  { name: 'unit', short: 'u', type: 'string' },
  { name: 'lines', short: 'n', type: 'string' },
  { name: 'follow', short: 'f', type: 'bool' },
  { name: 'since', short: 'S', type: 'string' },
  { name: 'until', short: 'U', type: 'string' },
  { name: 'reverse', short: 'r', type: 'bool' },
  { name: 'output', short: 'o', type: 'string' },
  { name: 'no-pager', type: 'bool' },
  { name: 'pager-end', short: 'e', type: 'bool' },
  { name: 'no-hostname', type: 'bool' },
  { name: 'quiet', short: 'q', type: 'bool' },
];

class JournalError extends Error {}

/** `-n` takes an optional argument: alone it means 10; a following word that is a number is its value. */
function normalizeLines(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if ((a === '-n' || a === '--lines') && !/^(\+?\d+|all)$/.test(argv[i + 1] ?? '')) out.push('--lines=10');
    else out.push(a);
  }
  return out;
}

/** Runs `journalctl <args>`; resolves to the exit status. */
// Upstream: journalctl.c (parse_argv, run), logs-show.c (show_journal)
export async function runJournalctl(node: JournalNode | undefined, argv: string[], io: ShellIO, signal?: AbortSignal): Promise<number> {
  try {
    const o = parseOpts(normalizeLines(argv), OPTS);
    const now = node?.now() ?? 0;
    // Positional words are journal matches (FIELD=value); the unit's is the one field the model has.
    let unit = str(o, 'unit');
    for (const a of o.args) {
      const m = /^([A-Z0-9_]+)=(.*)$/.exec(a);
      if (!m) throw new JournalError(`Failed to add match '${a}': Invalid argument`);
      if (m[1] === '_SYSTEMD_UNIT') unit = m[2];
      else if (m[1] !== '_HOSTNAME' || m[2] !== node?.name) unit = '-';
    }
    const linesArg = str(o, 'lines');
    let limit: number | undefined;
    if (linesArg !== undefined && linesArg !== 'all') {
      if (!/^\+?\d+$/.test(linesArg)) throw new JournalError(`Failed to parse lines '${linesArg}'`);
      limit = Number(linesArg);
    }
    const follow = bool(o, 'follow');
    if (limit === undefined && (follow || bool(o, 'pager-end'))) limit = follow ? 10 : 1000;
    const bound = (name: 'since' | 'until') => {
      const v = str(o, name);
      if (v === undefined) return undefined;
      const t = parseTimestamp(v, now);
      if (t === undefined) throw new JournalError(`Failed to parse timestamp: ${v}`);
      return t;
    };
    const since = bound('since');
    const until = bound('until');
    if (since !== undefined && until !== undefined && since > until) throw new JournalError('--since= must be before --until=.');
    const output = str(o, 'output') ?? 'short';
    if (output !== 'short' && output !== 'cat') throw new JournalError(`Unknown output format '${output}'.`);
    const ours = !unit || unit === UNIT || unit === `${UNIT}.service`;
    const hostname = node?.name ?? 'localhost';
    // -o cat: the MESSAGE field alone, which is the whole klog line.
    const render = (e: Entry) => (output === 'cat' ? e.line : shortLine(e, bool(o, 'no-hostname') ? undefined : hostname));
    const select = (from: number) => {
      const all = ours && node ? node.journal() : [];
      return all
        .slice(from)
        .map((l) => parseEntry(l, now))
        .filter((e) => e.timeMs === undefined || ((since === undefined || e.timeMs >= since) && (until === undefined || e.timeMs <= until)));
    };
    let entries = select(0);
    if (limit !== undefined) entries = entries.slice(Math.max(0, entries.length - limit));
    if (bool(o, 'reverse')) entries = entries.reverse();
    if (entries.length === 0 && !bool(o, 'quiet')) io.print('-- No entries --');
    else if (entries.length) io.print(entries.map(render).join('\n'));
    if (!follow || !node || !ours) return 0;
    // -f: new lines as they come, until Ctrl+C.
    let seen = node.journal().length;
    const aborted = () => signal?.aborted ?? false;
    while (!aborted() && node.passTime) {
      const before = node.now();
      await node.passTime(() => node.journal().length > seen || aborted(), 60_000);
      const fresh = select(seen);
      seen = node.journal().length;
      if (fresh.length) io.print(fresh.map(render).join('\n'));
      else if (node.now() === before) break; // nothing left to run: wait for Ctrl+C
    }
    if (signal && !signal.aborted) await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    return 0;
  } catch (err) {
    if (err instanceof OptError) {
      io.error(`journalctl: ${err.message}`);
      return 1;
    }
    io.error((err as Error).message);
    return 1;
  }
}
