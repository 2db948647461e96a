/**
 * The Go session's own trace events (component `goproc`): each `./app` run of the pacer driver
 * (start, one event per GC cycle with the pacer's numbers, exit or fatal error) and each cycle the
 * live process finishes (`gc now`, `gc step`). The live heap's marking steps are the model's own
 * `gogc.*` events, recorded in the same trace.
 */
import { defineEvents, type AnyEventOf } from '../core/events';
import { GO_TAG } from './events';

export type GoprocEventMap = {
  /** `./app` started (run counts from 1 in the session); its environment as the runtime read it. */
  'goproc.start': {
    run: number;
    GOGC: string | null;
    GOMEMLIMIT: string | null;
    gcPercent: number;
    memoryLimit: number;
    gomaxprocs: number;
    allocBytesPerSec: number;
    liveHeapBytes: number;
    durationMs: number;
    gctrace: number;
  };
  /** One GC cycle of the run: the pacer's trigger and goal, the heap at start / mark termination / marked, times in ns since the process started. */
  'goproc.cycle': {
    run: number;
    n: number;
    kind: string;
    trigger: number;
    goal: number;
    heap0: number;
    heap1: number;
    heap2: number;
    tSweepTerm: number;
    tMark: number;
    tMarkTerm: number;
    tEnd: number;
    markUtilization: number;
    assistTime: number;
    limited: boolean;
    gctrace: string;
  };
  /** The run ended: status 0, or 130 when Ctrl+C stopped it. */
  'goproc.exit': { run: number; status: number; numgc: number; heapLive: number; peakHeapLive: number };
  /** The runtime died at start-up (a malformed GOMEMLIMIT): what it wrote to stderr. */
  'goproc.fatal': { run: number; stderr: string[] };
  /**
   * The live process's whole heap, when the session starts and after each `gc` command: what a
   * heap view draws from, with the `gogc.*` events of the steps in between.
   */
  'goproc.heap': {
    step: number;
    phase: string;
    objects: Array<{ id: number; sizeclass: number; spanId: number; objIndex: number; color: string; fields: Array<number | null> }>;
    globals: Array<number | null>;
    stacks: Array<{ g: number; slots: Array<number | null>; scanned: boolean; pc: number; ops: number }>;
    work: number[];
  };
  /** The live process finished a cycle (gc now, gc step): its gctrace line and what sweep freed. */
  'goproc.livegc': { numgc: number; heap0: number; heap1: number; heap2: number; goal: number; freed: number; gctrace: string };
};

export type GoprocEvent = AnyEventOf<GoprocEventMap>;

const go = (file: string, symbol: string) => ({ file: `src/runtime/${file}`, symbol });
const mb = (b: number) => `${Math.floor(b / 2 ** 20)} MB`;

export const goprocEvents = defineEvents<GoprocEventMap>(
  'goproc',
  { name: 'go', tag: GO_TAG, blobUrl: `https://github.com/golang/go/blob/${GO_TAG}/` },
  {
    'goproc.start': {
      text: (e) => `./app #${e.run} starts: GOGC=${e.GOGC ?? '(unset)'} (gcPercent ${e.gcPercent}), GOMEMLIMIT=${e.GOMEMLIMIT ?? '(unset)'}, GOMAXPROCS=${e.gomaxprocs}`,
      source: go('mgcpacer.go', 'readGOGC'),
    },
    'goproc.cycle': { text: (e) => `./app #${e.run}: ${e.gctrace}`, source: go('mgc.go', 'gcMarkTermination') },
    'goproc.exit': { text: (e) => `./app #${e.run} exits (status ${e.status}) after ${e.numgc} GCs, heap ${mb(e.heapLive)}, peak ${mb(e.peakHeapLive)}` },
    'goproc.fatal': { text: (e) => `./app #${e.run}: ${e.stderr.join(' / ')}`, source: go('mgcpacer.go', 'readGOMEMLIMIT') },
    'goproc.heap': { text: (e) => `live heap at step ${e.step} (${e.phase}): ${e.objects.length} objects` },
    'goproc.livegc': { text: (e) => `live process: ${e.gctrace} (freed ${e.freed} objects)`, source: go('mgc.go', 'GC') },
  },
);
