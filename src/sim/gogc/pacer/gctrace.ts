// GODEBUG=gctrace=1 lines, after src/runtime/mgc.go (gcMarkTermination) and its number helpers.

/** Upstream: mgc.go (itoaDiv): val / 10**dec with exactly dec decimals. */
export function itoaDiv(val: number, dec: number): string {
  const digits = String(Math.floor(val)).padStart(dec + 1, '0');
  if (dec === 0) return digits;
  return `${digits.slice(0, digits.length - dec)}.${digits.slice(digits.length - dec)}`;
}

/**
 * Upstream: mgc.go (fmtNSAsMS): whole milliseconds from 10 ms up; below that two significant
 * digits with at most three decimals ("0.015", "0.36", "4.1"); "0" under a microsecond.
 */
export function fmtNSAsMS(ns: number): string {
  if (ns >= 10e6) return itoaDiv(Math.floor(ns / 1e6), 0);
  let x = Math.floor(ns / 1e3);
  if (x === 0) return '0';
  let dec = 3;
  while (x >= 100) {
    x = Math.floor(x / 10);
    dec--;
  }
  return itoaDiv(x, dec);
}

/** What gcMarkTermination prints, in upstream's names (times in ns, sizes in bytes). */
export interface GctraceRecord {
  /** memstats.numgc after the increment: 1 for the first cycle. */
  numgc: number;
  /** work.tSweepTerm - runtimeInitTime. */
  sinceStartNs: number;
  /** memstats.gc_cpu_fraction: GC CPU (idle marking excluded) over all CPU since start. */
  gcCpuFraction: number;
  tSweepTerm: number;
  tMark: number;
  tMarkTerm: number;
  tEnd: number;
  /** GOMAXPROCS capped at the CPU count: the STW phases' CPU is this times their wall time. */
  stwprocs: number;
  assistTime: number;
  /** dedicatedMarkTime + fractionalMarkTime. */
  backgroundMarkTime: number;
  idleMarkTime: number;
  heap0: number;
  heap1: number;
  heap2: number;
  lastHeapGoal: number;
  lastStackScan: number;
  globalsScan: number;
  maxprocs: number;
  userForced: boolean;
}

/** Upstream: mgc.go (gcMarkTermination, the debug.gctrace > 0 block). */
export function formatGctrace(r: GctraceRecord): string {
  const util = Math.trunc(r.gcCpuFraction * 100);
  const clock = [r.tMark - r.tSweepTerm, r.tMarkTerm - r.tMark, r.tEnd - r.tMarkTerm].map(fmtNSAsMS).join('+');
  const cpu = [
    r.stwprocs * (r.tMark - r.tSweepTerm),
    r.assistTime,
    r.backgroundMarkTime,
    r.idleMarkTime,
    r.stwprocs * (r.tEnd - r.tMarkTerm),
  ].map(fmtNSAsMS);
  const cpuText = `${cpu[0]}+${cpu[1]}/${cpu[2]}/${cpu[3]}+${cpu[4]}`;
  const mb = (b: number) => Math.floor(b / 2 ** 20);
  return (
    `gc ${r.numgc} @${itoaDiv(Math.floor(r.sinceStartNs / 1e6), 3)}s ${util}%: ` +
    `${clock} ms clock, ${cpuText} ms cpu, ` +
    `${mb(r.heap0)}->${mb(r.heap1)}->${mb(r.heap2)} MB, ${mb(r.lastHeapGoal)} MB goal, ` +
    `${mb(r.lastStackScan)} MB stacks, ${mb(r.globalsScan)} MB globals, ${r.maxprocs} P` +
    (r.userForced ? ' (forced)' : '')
  );
}
