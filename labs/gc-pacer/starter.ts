import { runGcWorkload, type GcWorkload } from 'kubelab';

const MiB = 2 ** 20;

/**
 * The heap goal GOGC sets for the next cycle, in bytes. This is the formula from before Go 1.18:
 * what did 1.18 add to it, and what is the smallest goal Go ever sets? GOGC=off is negative.
 */
export function heapGoal(liveHeap: number, stackBytes: number, globalsBytes: number, gogc: number): number {
  void stackBytes;
  void globalsBytes;
  return liveHeap * (1 + gogc / 100);
}

export interface GctraceLine {
  n: number;
  cpuPercent: number;
  heapStartMB: number;
  heapEndMB: number;
  liveMB: number;
  goalMB: number;
  forced: boolean;
}

/** One GODEBUG=gctrace=1 line, read field by field. */
export function parseGctrace(line: string): GctraceLine {
  const n = Number(/^gc (\d+)/.exec(line)?.[1] ?? 0);
  return { n, cpuPercent: 0, heapStartMB: 0, heapEndMB: 0, liveMB: 0, goalMB: 0, forced: false };
}

/** GOGC and GOMEMLIMIT for the pod (unset: the runtime's defaults, GOGC=100 and no limit). */
export const settings: { GOGC?: string; GOMEMLIMIT?: string } = {};

// ---- Run me: the pod's workload with your settings, then the same process with a bigger live heap ----
export const workload: GcWorkload = { allocBytesPerSec: 200 * MiB, liveHeapBytes: 64 * MiB, gomaxprocs: 4, durationMs: 3000 };
console.log(`goal at 64 MiB live, 64 KiB stacks, 32 KiB globals, GOGC=100: ${heapGoal(64 * MiB, 64 << 10, 32 << 10, 100)} bytes`);
const run = runGcWorkload({ ...workload, ...settings });
console.log(run.gctrace.join('\n'));
const last = parseGctrace(run.gctrace[run.gctrace.length - 1]);
console.log(`${run.cycles.length} cycles, peak heap ${(run.peakHeapLive / MiB).toFixed(1)} MiB, GC CPU ${last.cpuPercent}%`);
// The watch cache grows: 130 MiB live under the same limit. Read the % column and the goal.
const grown = runGcWorkload({ ...workload, ...settings, liveHeapBytes: 130 * MiB, durationMs: 4000 });
console.log(grown.gctrace.slice(-3).join('\n'));
