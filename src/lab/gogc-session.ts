/**
 * A lab's Go session (lab.yaml `go`): the terminal behaves like a shell next to a Go program.
 * `./app` runs the lab's workload on the pacer driver (a fresh process each time, reading GOGC,
 * GOMEMLIMIT and GODEBUG from the environment at start-up, as the runtime does); a live process
 * with a small object heap (the marking model) is what `gc now`, `gc step` and `heap` act on.
 * Everything is seeded from the session seed, and every command's events go to one trace (the
 * marking model's `gogc.*`, the session's `goproc.*`), which the view shows after each command.
 */
import { FakeClock } from '../sim/core/clock';
import { rngFromSeed } from '../sim/core/rng';
import { TraceRecorder, type TraceEvent } from '../sim/core/trace';
import { parseByteCount, randomWorld, type BarrierKind, type MarkerKind } from '../sim/gogc/index';
import { parseGoDuration } from './shell/gogc/env';
import { LiveProcess, recordHeap, registerGoCommands, type AppWorkload, type GoSessionTarget } from './shell/gogc/index';
import type { Shell, ShellIO } from './shell/registry';

/** lab.yaml `go` (see schema.ts for what each field means). */
export interface GoSessionConfig {
  workload?: {
    allocRate?: number | string;
    live?: number | string;
    gomaxprocs?: number;
    duration?: string;
    stacks?: number | string;
    globals?: number | string;
    gcAt?: string[];
  };
  gogc?: number | 'off';
  gomemlimit?: string;
  gctrace?: boolean;
  heap?: {
    objects?: number;
    globals?: number;
    goroutines?: number;
    slots?: number;
    fields?: number;
    ops?: number;
    barrier?: BarrierKind;
    marker?: MarkerKind;
  };
}

export interface GoSession {
  /** Every event since the session began (it grows in place). */
  readonly events: readonly TraceEvent[];
  readonly target: GoSessionTarget;
}

/** The workload when lab.yaml says nothing: a 64 MiB live heap, 512 MiB/s of allocation on 4 Ps, 2 s. */
export const DEFAULT_WORKLOAD: AppWorkload = { allocBytesPerSec: 512 << 20, liveHeapBytes: 64 << 20, gomaxprocs: 4, durationMs: 2000 };

function bytes(v: number | string | undefined, field: string): number | undefined {
  if (v === undefined || typeof v === 'number') return v;
  const n = parseByteCount(v);
  if (n === undefined) throw new Error(`go.workload.${field}: "${v}" is not a byte count (e.g. 64MiB, 1GiB, 4096)`);
  return n;
}

function duration(v: string, field: string): number {
  const ms = parseGoDuration(v);
  if (ms === undefined) throw new Error(`go.workload.${field}: "${v}" is not a Go duration (e.g. 2s, 500ms, 1m30s)`);
  return ms;
}

/** The workload lab.yaml describes, in the driver's units. */
export function appWorkload(w: GoSessionConfig['workload'] = {}): AppWorkload {
  return {
    allocBytesPerSec: bytes(w.allocRate, 'allocRate') ?? DEFAULT_WORKLOAD.allocBytesPerSec,
    liveHeapBytes: bytes(w.live, 'live') ?? DEFAULT_WORKLOAD.liveHeapBytes,
    gomaxprocs: w.gomaxprocs ?? DEFAULT_WORKLOAD.gomaxprocs,
    durationMs: w.duration === undefined ? DEFAULT_WORKLOAD.durationMs : duration(w.duration, 'duration'),
    ...(w.stacks !== undefined ? { stackBytes: bytes(w.stacks, 'stacks') } : {}),
    ...(w.globals !== undefined ? { globalsBytes: bytes(w.globals, 'globals') } : {}),
    ...(w.gcAt ? { runtimeGCAtMs: w.gcAt.map((d, i) => duration(d, `gcAt[${i}]`)) } : {}),
  };
}

/** A macrotask turn: lets the page deliver Ctrl+C between chunks of a long run. */
const pageTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export function mountGoSession(opts: {
  shell: Shell;
  seed: number;
  config: GoSessionConfig;
  /** After each command: the view shows `events` with the cursor at the end. */
  onChange?(events: readonly TraceEvent[]): void;
  /** Between chunks of a long `./app` run (default: one macrotask; tests pass a microtask). */
  yieldToPage?(): Promise<void>;
}): GoSession {
  const { config } = opts;
  const trace = new TraceRecorder();
  const clock = new FakeClock();
  const rng = rngFromSeed(opts.seed);
  const exported = new Map<string, string>();
  if (config.gogc !== undefined) exported.set('GOGC', String(config.gogc));
  if (config.gomemlimit !== undefined) exported.set('GOMEMLIMIT', config.gomemlimit);
  if (config.gctrace) exported.set('GODEBUG', 'gctrace=1');
  const h = config.heap ?? {};
  const world = randomWorld(rng.fork('world'), { objects: h.objects, globals: h.globals, goroutines: h.goroutines, slots: h.slots, fields: h.fields, opsPerGoroutine: h.ops });
  const live = new LiveProcess({
    world,
    barrier: h.barrier ?? 'hybrid',
    marker: h.marker ?? 'classic',
    rng,
    env: { clock, trace },
    GOGC: exported.get('GOGC'),
    GOMEMLIMIT: exported.get('GOMEMLIMIT'),
  });
  let runs = 0;
  const target: GoSessionTarget = {
    exported,
    workload: appWorkload(config.workload),
    live,
    clock,
    trace,
    nextRun: () => ++runs,
    changed: () => opts.onChange?.(trace.events),
    yieldToPage: opts.yieldToPage ?? pageTurn,
  };
  registerGoCommands(opts.shell, target);
  recordHeap(target);
  return { events: trace.events, target };
}

/** The lines the terminal prints when the session mounts (what to type first). */
export function goSessionIntro(io: Pick<ShellIO, 'print'>, bold: (s: string) => string = (s) => s): void {
  io.print(
    `This lab has a Go program: ${bold('./app')} runs it (${bold('GOGC=50 ./app')}, ${bold('GODEBUG=gctrace=1 ./app -for 10s')}, ${bold('export GOMEMLIMIT=256MiB')}); ${bold('gctrace on')} turns the runtime's per-cycle line on. A live process with a small heap answers ${bold('heap')}, ${bold('gc step')} and ${bold('gc now')}. Reloading the page starts afresh.`,
  );
}
