import { runGcWorkload, type GcWorkload } from 'kubelab';

const MiB = 2 ** 20;

/**
 * The heap goal GOGC sets for the next cycle (Go 1.18+): the live heap grows by GOGC percent of
 * everything the collector has to scan, which is the marked heap plus the goroutine stacks plus
 * the globals. Go floors the integer division, and never aims below heapMinimum: 4 MiB scaled by
 * GOGC/100 (setGCPercent). GOGC=off (negative) has no GOGC goal at all.
 */
export function heapGoal(liveHeap: number, stackBytes: number, globalsBytes: number, gogc: number): number {
  if (gogc < 0) return Infinity;
  const goal = liveHeap + Math.floor(((liveHeap + stackBytes + globalsBytes) * gogc) / 100);
  const heapMinimum = Math.floor((4 * MiB * gogc) / 100);
  return Math.max(goal, heapMinimum);
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

/**
 * One GODEBUG=gctrace=1 line, as gcMarkTermination prints it:
 *   gc 7 @0.312s 6%: 0.020+17+0.040 ms clock, ... ms cpu, 17->20->20 MB, 19 MB goal, ... 4 P (forced)
 * The three heap sizes are at the start of the cycle, at mark termination, and what was marked
 * (the live heap the next goal is computed from). " (forced)" only follows runtime.GC().
 */
export function parseGctrace(line: string): GctraceLine {
  const head = /^gc (\d+) @[\d.]+s (\d+)%:/.exec(line);
  const heap = /, (\d+)->(\d+)->(\d+) MB, (\d+) MB goal,/.exec(line);
  if (!head || !heap) throw new Error(`not a gctrace line: ${line}`);
  return {
    n: Number(head[1]),
    cpuPercent: Number(head[2]),
    heapStartMB: Number(heap[1]),
    heapEndMB: Number(heap[2]),
    liveMB: Number(heap[3]),
    goalMB: Number(heap[4]),
    forced: line.endsWith(' (forced)'),
  };
}

/**
 * The pod: a 128 MiB memory limit, 64 MiB live, 200 MiB/s of garbage. GOGC=100 aims at about
 * 128 MiB of heap and gets OOM-killed; GOGC=50 fits but collects twice as often. A memory limit
 * with headroom below the container's (the heap overshoots its goal while marking, and stacks and
 * runtime metadata count too) lets the heap use the memory the pod has, and GOGC=off keeps the
 * collector from starting early while there is room.
 */
export const settings: { GOGC?: string; GOMEMLIMIT?: string } = { GOGC: 'off', GOMEMLIMIT: '120MiB' };

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
