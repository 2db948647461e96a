/**
 * `./app [-for 10s]`: the lab's Go program, run on the pacer driver (runGcWorkload) for a stretch
 * of virtual time with the environment the shell gives it. GODEBUG=gctrace=1 makes the runtime
 * print one line per cycle to stderr; at exit the program prints what runtime.ReadMemStats says.
 * Flags follow Go's flag package (`-for 10s`, `--for=10s`, its error texts and exit status 2).
 */
import { MalformedGOMEMLIMITError, readGOGC, readGOMEMLIMIT, runGcWorkload, type GcRun } from '../../../sim/gogc/index';
import type { CommandContext } from '../registry';
import { formatBytes, formatGoDuration, gctraceLevel, parseGoDuration, processEnv, readGOMAXPROCS } from './env';
import { record, type GoSessionTarget } from './target';

/** The longest run the terminal takes (virtual time), and the cycles the driver may run. */
// Measured: 2,000 cycles take about 1 s to compute here (the page waits for them before the first line).
export const MAX_RUN_MS = 5 * 60_000;
export const MAX_CYCLES = 2000;
/** The most Ps a run may have (the runtime itself takes any positive GOMAXPROCS). */
export const MAX_PROCS = 256;
/** gctrace lines printed per run before the rest are counted only (the terminal stays bounded). */
export const MAX_GCTRACE_LINES = 500;
/** Cycles played between two turns given to the page (where Ctrl+C can land). */
export const CHUNK = 25;

export const APP_USAGE = `./app [-for duration]   (e.g. ./app -for 10s; GOGC=50 ./app; GODEBUG=gctrace=1 ./app; GOMAXPROCS=2 ./app)`;

/** Go's flag.PrintDefaults for the app's one flag. */
function flagUsage(target: GoSessionTarget): string {
  return `Usage of ./app:\n  -for duration\n    \thow long the program runs, in virtual time (default ${formatGoDuration(target.workload.durationMs)})`;
}

export async function runApp(target: GoSessionTarget, args: string[], ctx: CommandContext): Promise<number> {
  const { io } = ctx;
  let durationMs = target.workload.durationMs;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-h' || a === '-help' || a === '--help' || a === '--h') {
      io.error(flagUsage(target));
      return 0;
    }
    const m = /^--?for(?:=(.*))?$/.exec(a);
    if (!m) {
      io.error(a.startsWith('-') ? `flag provided but not defined: ${a.replace(/^--?/, '-').replace(/=.*/, '')}` : `./app: unexpected argument "${a}" (this program takes only -for)`);
      io.error(flagUsage(target));
      return 2;
    }
    const value = m[1] ?? args[++i];
    if (value === undefined) {
      io.error('flag needs an argument: -for');
      io.error(flagUsage(target));
      return 2;
    }
    const ms = parseGoDuration(value);
    if (ms === undefined) {
      io.error(`invalid value "${value}" for flag -for: parse error`);
      io.error(flagUsage(target));
      return 2;
    }
    if (ms > MAX_RUN_MS) {
      io.error(`./app: -for ${value} is longer than this terminal runs a program (at most ${formatGoDuration(MAX_RUN_MS)} of virtual time)`);
      return 2;
    }
    durationMs = ms;
  }

  const env = processEnv(target.exported, ctx.env);
  const run = target.nextRun();
  const t0 = target.clock.now();
  const trace = gctraceLevel(env.GODEBUG);
  let memoryLimit: number;
  try {
    memoryLimit = readGOMEMLIMIT(env.GOMEMLIMIT);
  } catch (err) {
    if (!(err instanceof MalformedGOMEMLIMITError)) throw err;
    // The runtime's own words, then its exit status for a fatal error.
    for (const line of err.stderr) io.error(line);
    record(target, t0, 'goproc.fatal', { run, stderr: err.stderr });
    target.changed();
    return 2;
  }
  const gcPercent = readGOGC(env.GOGC);
  const w = target.workload;
  // The machine has workload.gomaxprocs CPUs (the default GOMAXPROCS); the environment may ask for more or fewer Ps.
  const procs = readGOMAXPROCS(env.GOMAXPROCS) ?? w.gomaxprocs;
  if (procs > MAX_PROCS) {
    io.error(`./app: GOMAXPROCS=${env.GOMAXPROCS} is more Ps than this terminal runs a program with (at most ${MAX_PROCS})`);
    return 2;
  }
  record(target, t0, 'goproc.start', {
    run,
    GOGC: env.GOGC ?? null,
    GOMEMLIMIT: env.GOMEMLIMIT ?? null,
    gcPercent,
    memoryLimit,
    gomaxprocs: procs,
    allocBytesPerSec: w.allocBytesPerSec,
    liveHeapBytes: w.liveHeapBytes,
    durationMs,
    gctrace: trace,
  });
  const result: GcRun = runGcWorkload({ ...w, gomaxprocs: procs, ncpu: w.gomaxprocs, durationMs, GOGC: env.GOGC, GOMEMLIMIT: env.GOMEMLIMIT, maxCycles: MAX_CYCLES });

  let played = 0;
  let interrupted = false;
  for (const c of result.cycles) {
    if (played % CHUNK === 0 && played > 0) {
      await target.yieldToPage();
      if (ctx.signal?.aborted) {
        interrupted = true;
        break;
      }
    }
    const { n, kind, trigger, goal, heap0, heap1, heap2, tSweepTerm, tMark, tMarkTerm, tEnd, markUtilization, assistTime, limited, gctrace } = c;
    record(target, t0 + tEnd / 1e6, 'goproc.cycle', { run, n, kind, trigger, goal, heap0, heap1, heap2, tSweepTerm, tMark, tMarkTerm, tEnd, markUtilization, assistTime, limited, gctrace });
    if (trace > 0 && played < MAX_GCTRACE_LINES) io.error(gctrace);
    played++;
  }
  if (!interrupted && ctx.signal?.aborted) interrupted = true;
  const cycles = result.cycles.slice(0, played);
  // A run the cycle limit cut short ends with its last cycle, like one Ctrl+C stopped.
  const capped = result.cycles.length >= MAX_CYCLES;
  const endNs = interrupted || capped ? (cycles.at(-1)?.tEnd ?? 0) : Math.max(durationMs * 1e6, cycles.at(-1)?.tEnd ?? 0);
  if (trace > 0 && played > MAX_GCTRACE_LINES) io.error(`(${played - MAX_GCTRACE_LINES} more gctrace lines not shown: this terminal prints the first ${MAX_GCTRACE_LINES} of a run)`);
  const status = interrupted ? 130 : 0;
  const last = cycles.at(-1);
  const heapLive = interrupted ? (last?.heap2 ?? 0) : result.heapLive;
  const peak = Math.max(0, ...cycles.map((c) => c.heap1), interrupted ? 0 : result.peakHeapLive);
  record(target, t0 + endNs / 1e6, 'goproc.exit', { run, status, numgc: cycles.length, heapLive, peakHeapLive: peak });
  target.clock.setTime(t0 + endNs / 1e6);
  target.changed();
  if (interrupted) return status;
  if (capped) io.error(`(the run stopped after ${MAX_CYCLES} GC cycles, ${formatGoDuration(endNs / 1e6)} into it: this terminal's limit for one run)`);
  for (const line of summary(result, capped ? endNs / 1e6 : durationMs, endNs, env, gcPercent, procs)) io.print(line);
  return 0;
}

/** What the program prints at exit, from runtime.ReadMemStats (and how the runtime read GOGC). */
function summary(r: GcRun, ranMs: number, endNs: number, env: Record<string, string>, gcPercent: number, procs: number): string[] {
  const forced = r.cycles.filter((c) => c.kind === 'gcTriggerCycle').length;
  const pauseNs = r.cycles.reduce((n, c) => n + (c.tMark - c.tSweepTerm) + (c.tEnd - c.tMarkTerm), 0);
  const gcNs = r.cycles.reduce((n, c) => n + ((c.tMark - c.tSweepTerm) + (c.tEnd - c.tMarkTerm)) * procs + c.assistTime + c.dedicatedMarkTime + c.fractionalMarkTime, 0);
  const gogc = gogcText(env.GOGC, gcPercent);
  const limit = env.GOMEMLIMIT === undefined || env.GOMEMLIMIT === '' || env.GOMEMLIMIT === 'off' ? 'off' : env.GOMEMLIMIT;
  return [
    `app: ran ${formatGoDuration(ranMs)} with GOGC=${gogc}, GOMEMLIMIT=${limit}, GOMAXPROCS=${procs}`,
    `app: MemStats: NumGC=${r.cycles.length} NumForcedGC=${forced} HeapAlloc=${formatBytes(r.heapLive)} (peak ${formatBytes(r.peakHeapLive)}) PauseTotalNs=${pauseNs} GCCPUFraction=${(gcNs / (endNs * procs) || 0).toFixed(4)}`,
  ];
}

/** GOGC as typed, and what readGOGC made of it when that is not plain. */
function gogcText(v: string | undefined, pct: number): string {
  if (v === undefined) return 'unset (100)';
  if (v === 'off') return 'off';
  if (!/^[+-]?[0-9]+$/.test(v) || pct !== Number(v)) return `${v} (not a number the runtime takes: read as ${pct})`;
  if (pct < 0) return `${v} (negative: off)`;
  return String(pct) === v ? v : `${v} (${pct})`;
}
