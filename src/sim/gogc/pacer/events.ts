/**
 * The pacer driver's trace events (`gogc.pacer.*`, component `gogc.pacer`): one when a workload
 * starts (its GOGC and GOMEMLIMIT), one per cycle with the heap, goal and trigger at its phases and
 * its GC CPU share, one at the end. Times are the driver's virtual ns as ms on the trace (the driver
 * keeps its own clock, so the events carry it rather than an env clock). For the `gcpacer` view.
 */
import { defineEvents, type AnyEventOf } from '../../core/events';
import type { TraceRecorder } from '../../core/trace';
import { GO_TAG } from '../events';
import type { GcCycle } from './driver';

export type PacerEventMap = {
  /** A workload starts: the parsed GOGC (-1: off) and GOMEMLIMIT (bytes; maxInt64: no limit). */
  'gogc.pacer.start': { gcPercent: number; memoryLimit: number; gomaxprocs: number; liveHeapBytes: number; allocBytesPerSec: number; durationMs: number };
  /**
   * One cycle ended. Times in ns since the start: sweep termination (`tSweepTerm`), mark, mark
   * termination, end; heap0/heap1/heap2 as gctrace prints them; `gcCpuFraction` since the start.
   */
  'gogc.pacer.cycle': Pick<
    GcCycle,
    'n' | 'kind' | 'tSweepTerm' | 'tMark' | 'tMarkTerm' | 'tEnd' | 'trigger' | 'goal' | 'heap0' | 'heap1' | 'heap2' | 'markUtilization' | 'assistTime' | 'limited' | 'gctrace'
  > & { gcCpuFraction: number };
  /** The workload's end: heapLive then, and the highest it reached. */
  'gogc.pacer.end': { heapLive: number; peakHeapLive: number; cycles: number };
};

export type PacerEvent = AnyEventOf<PacerEventMap>;

const go = (file: string, symbol: string) => ({ file: `src/runtime/${file}`, symbol });
const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;

export const pacerEvents = defineEvents<PacerEventMap>(
  'gogc.pacer',
  { name: 'go', tag: GO_TAG, blobUrl: `https://github.com/golang/go/blob/${GO_TAG}/` },
  {
    'gogc.pacer.start': {
      text: (e) => `workload: GOGC=${e.gcPercent < 0 ? 'off' : e.gcPercent} GOMEMLIMIT=${e.memoryLimit >= 2 ** 63 ? 'none' : mib(e.memoryLimit)} GOMAXPROCS=${e.gomaxprocs}`,
      source: go('mgcpacer.go', 'gcControllerState.init'),
    },
    'gogc.pacer.cycle': {
      text: (e) => `gc ${e.n} (${e.kind}): heap ${mib(e.heap0)} -> ${mib(e.heap1)} -> ${mib(e.heap2)}, trigger ${mib(e.trigger)}, goal ${mib(e.goal)}, GC CPU ${(e.gcCpuFraction * 100).toFixed(1)}%`,
      source: go('mgcpacer.go', 'gcControllerState.endCycle'),
    },
    'gogc.pacer.end': { text: (e) => `workload end: heap live ${mib(e.heapLive)}, peak ${mib(e.peakHeapLive)}, ${e.cycles} cycles` },
  },
);

/** Emits a pacer event at `ns` of the driver's clock (nothing without a trace). */
export function emitPacer<K extends keyof PacerEventMap>(trace: TraceRecorder | undefined, ns: number, type: K, fields: PacerEventMap[K]): void {
  trace?.emit(ns / 1e6, pacerEvents.component, type, fields);
}
