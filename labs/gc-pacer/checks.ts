/**
 * Checks of the gc-pacer lab. The learner's heap goal is compared with the pacer model's
 * (GcControllerState.commit, after mgcpacer.go at go1.26); their gctrace reader with the cycles
 * runGcWorkload recorded for the lines it printed; their GOGC/GOMEMLIMIT go through the
 * runtime's own parsing (readGOGC, readGOMEMLIMIT) into runGcWorkload, over allocation rates
 * around the pod's.
 */
import { check, exportedFunction } from '../../src/lab/checks';
import {
  GcControllerState, MalformedGOMEMLIMITError, maxInt64, rngFromSeed, runGcWorkload, type GcRun, type GcWorkload,
} from '../../src/sim/index';

const MiB = 2 ** 20;
type HeapGoal = (liveHeap: number, stackBytes: number, globalsBytes: number, gogc: number) => number;
interface GctraceLine { n: number; cpuPercent: number; heapStartMB: number; heapEndMB: number; liveMB: number; goalMB: number; forced: boolean }
type ParseGctrace = (line: string) => GctraceLine;
type Settings = { GOGC?: string; GOMEMLIMIT?: string };

/** The pod of the lab: what the cgroup limit is, and what the target asks. */
export const POD = { memoryLimitBytes: 128 * MiB, maxCycles: 14, liveHeapBytes: 64 * MiB, gomaxprocs: 4, durationMs: 3000 };
/** Memory the process maps besides heap objects: runGcWorkload's default (stacks + 2 MiB of runtime metadata). */
const nonHeapBytes = (64 << 10) + (2 << 20);

/** The pacer's GOGC goal after a cycle that marked `live` bytes with these roots (sweep done, no limit). */
export function pacerGoal(live: number, stacks: number, globals: number, gogc: number): number {
  const c = new GcControllerState();
  c.init(gogc, maxInt64);
  c.heapMarked = live;
  c.heapLive = live;
  c.lastStackScan = stacks;
  c.globalsScan = globals;
  c.commit(true);
  return gogc < 0 ? Infinity : c.gcPercentHeapGoal;
}

export const computesHeapGoal = check(
  'heapGoal() is the goal GOGC gives the pacer (Go 1.18+: roots included, never below heapMinimum)',
  ({ learner, seeds, expect }) => {
    const heapGoal = exportedFunction<HeapGoal>(learner, 'heapGoal');
    const cases: [number, number, number, number][] = [
      [64 * MiB, 64 << 10, 32 << 10, 100],
      [1 << 20, 8 << 10, 4 << 10, 100], // a tiny heap: heapMinimum
      [512 * MiB, 40 * MiB, 2 * MiB, 50],
      [1 << 20, 0, 0, 50], // heapMinimum at GOGC=50: 2 MiB
      [100 * MiB, 0, 0, -1], // GOGC=off
    ];
    for (const seed of seeds) {
      const rng = rngFromSeed(seed);
      cases.push([rng.int(300 * MiB), rng.int(50 * MiB), rng.int(4 * MiB), [25, 50, 100, 200, 400, 1000][rng.int(6)]]);
    }
    for (const [live, stacks, globals, gogc] of cases) {
      expect(heapGoal(live, stacks, globals, gogc), `heapGoal(${live}, ${stacks}, ${globals}, ${gogc}) (live, stacks, globals, GOGC)`).to.equal(pacerGoal(live, stacks, globals, gogc));
    }
  },
  { hint: 'Since Go 1.18 GOGC applies to all the collector scans: the live heap plus goroutine stacks plus globals. And setGCPercent scales a 4 MiB minimum by GOGC/100. Go divides integers: floor.' },
);

/** Workloads whose gctrace lines have every kind of cycle: heap-triggered, runtime.GC(), and sysmon's 2-minute one. */
function traceRuns(seed: number): GcRun[] {
  const rng = rngFromSeed(`${seed}/gctrace`);
  const busy: GcWorkload = { allocBytesPerSec: (50 + rng.int(250)) * MiB, liveHeapBytes: (8 + rng.int(120)) * MiB, gomaxprocs: 1 + rng.int(8), durationMs: 1500, runtimeGCAtMs: [300 + rng.int(900)] };
  const idle: GcWorkload = { allocBytesPerSec: 8 << 10, liveHeapBytes: 3 * MiB, gomaxprocs: 2, durationMs: 300_000, runtimeGCAtMs: [1] };
  return [runGcWorkload(busy), runGcWorkload({ ...busy, GOMEMLIMIT: `${80 + rng.int(100)}MiB` }), runGcWorkload(idle)];
}

export const readsGctrace = check(
  'parseGctrace() reads the cycle number, GC CPU %, the three heap sizes, the goal and "(forced)"',
  ({ learner, seeds, expect }) => {
    const parse = exportedFunction<ParseGctrace>(learner, 'parseGctrace');
    const kinds = new Set<string>();
    for (const seed of seeds.slice(0, 3)) {
      for (const run of traceRuns(seed)) {
        for (const c of run.cycles) {
          kinds.add(c.kind);
          const got = parse(c.gctrace);
          const mb = (b: number) => Math.floor(b / MiB);
          const want: GctraceLine = {
            n: c.n,
            cpuPercent: Number(/ (\d+)%:/.exec(c.gctrace)![1]),
            heapStartMB: mb(c.heap0),
            heapEndMB: mb(c.heap1),
            liveMB: mb(c.heap2),
            goalMB: Number(/ (\d+) MB goal/.exec(c.gctrace)![1]),
            forced: c.kind === 'gcTriggerCycle',
          };
          expect(got, `parseGctrace("${c.gctrace}")`).to.deep.equal(want);
        }
      }
    }
    // The lines above had every kind of cycle: a heap trigger, runtime.GC() and sysmon's.
    expect([...kinds].sort(), 'the kinds of cycle read').to.deep.equal(['gcTriggerCycle', 'gcTriggerHeap', 'gcTriggerTime']);
  },
  { hint: 'H0->H1->H2 MB: the heap when the cycle started, when marking ended, and what marking found live. The % is GC CPU since the program started. Only runtime.GC() prints "(forced)"; sysmon\'s 2-minute cycle prints nothing.' },
);

export const hitsTarget = check(
  'the pod stays under its 128 MiB limit with at most 14 GC cycles in 3 s, at 180-220 MiB/s of allocation',
  ({ learner, seeds, expect }) => {
    const settings = (learner.settings ?? {}) as Settings;
    for (const seed of seeds) {
      const rate = 180 + rngFromSeed(`${seed}/rate`).int(41);
      const workload: GcWorkload = { allocBytesPerSec: rate * MiB, liveHeapBytes: POD.liveHeapBytes, gomaxprocs: POD.gomaxprocs, durationMs: POD.durationMs };
      let run: GcRun;
      try {
        run = runGcWorkload({ ...workload, GOGC: settings.GOGC, GOMEMLIMIT: settings.GOMEMLIMIT });
      } catch (e) {
        if (e instanceof MalformedGOMEMLIMITError) expect.fail(`the process died at start-up:\n${e.stderr.join('\n')}`);
        throw e;
      }
      const settingsText = `GOGC=${settings.GOGC ?? '(unset)'} GOMEMLIMIT=${settings.GOMEMLIMIT ?? '(unset)'}`;
      const peak = run.peakHeapLive + nonHeapBytes;
      expect(peak, `${settingsText} at ${rate} MiB/s: peak memory (heap + ${nonHeapBytes} bytes of stacks and metadata) against the pod's limit of ${POD.memoryLimitBytes} bytes: ${(peak / MiB).toFixed(1)} MiB, the container is OOM-killed`).to.be.below(POD.memoryLimitBytes);
      const cpu = / (\d+%):/.exec(run.gctrace[run.gctrace.length - 1])![1];
      expect(run.cycles.length, `${settingsText} at ${rate} MiB/s: GC cycles in ${POD.durationMs} ms (GC CPU ${cpu} on the last gctrace line, peak ${(peak / MiB).toFixed(1)} MiB)`).to.be.at.most(POD.maxCycles);
    }
  },
  { hint: 'GOGC alone trades memory for cycles in proportion to the live heap: at GOGC=50 the heap fits, but the collector runs twice as often. GOMEMLIMIT lets the heap use the room the pod has; leave headroom under the container limit, since the heap overshoots its goal while marking.' },
);
