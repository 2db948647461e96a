// What the Go session's commands act on (src/lab/gogc-session.ts builds it).
import type { FakeClock } from '../../../sim/core/clock';
import type { TraceRecorder } from '../../../sim/core/trace';
import type { GoEnvTable } from './env';
import type { GoprocEventMap } from '../../../sim/gogc/goproc_events';
import type { LiveProcess } from './process';

/** What `./app` does: the pacer driver's workload (sizes in bytes, times in ms). */
export interface AppWorkload {
  allocBytesPerSec: number;
  liveHeapBytes: number;
  gomaxprocs: number;
  /** How long a run lasts without `-for`. */
  durationMs: number;
  stackBytes?: number;
  globalsBytes?: number;
  /** When the program calls runtime.GC(), ms after it starts. */
  runtimeGCAtMs?: number[];
}

export interface GoSessionTarget {
  /** The shell's exported variables (`export`, `unset`, `gctrace on|off`). */
  readonly exported: GoEnvTable;
  readonly workload: AppWorkload;
  /** The live process `gc` and `heap` act on. */
  readonly live: LiveProcess;
  /** The session's virtual clock (ms): `./app` runs move it by the run's length. */
  readonly clock: FakeClock;
  readonly trace: TraceRecorder;
  /** The next `./app` run's number (1, 2, ... in the session). */
  nextRun(): number;
  /** Runs after each command (the view redraws). */
  changed(): void;
  /** Gives the page a turn between chunks of a long output, so that Ctrl+C can reach the command. */
  yieldToPage(): Promise<void>;
}

/** Records one of the session's own events at `t` (ms of the session clock). */
export function record<K extends keyof GoprocEventMap & string>(target: GoSessionTarget, t: number, type: K, fields: GoprocEventMap[K]): void {
  target.trace.emit(t, 'goproc', type, fields);
}
