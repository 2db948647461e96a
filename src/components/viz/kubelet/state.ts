/**
 * The kubelet's run, read once from a trace: a pure function of the kubelet's `kubelet.*` events
 * (src/sim/kubelet/events.ts) and the prober's `prober.*` (src/sim/kubelet/prober/events.ts). Per
 * pod and container: the states the status manager reported (waiting / running / terminated with a
 * reason), restarts, back-off timers and probe runs; for the node: each syncLoop iteration by
 * channel and each PLEG relist. The runtime's `cri.*` events (src/sim/kubelet/cri/events.ts) add
 * the exit code to a terminated state. Every event names its node: pods, fires and relists carry
 * it, `nodes` lists them, and `{ node }` keeps one kubelet. Everything keeps its event index, so the view at a cursor is the
 * part of this with `index < cursor` (see `nowOf`).
 */
import type { TraceEvent } from '../../../sim/index';

export type ContainerState = 'waiting' | 'running' | 'terminated';

/** One state a container was in, from `from` (ms) until the next state's `from`. */
export interface StateSpan {
  index: number;
  from: number;
  state: ContainerState;
  reason: string;
  restartCount: number;
  /** For a terminated state: the exit code the runtime reported for the process that ended it. */
  exitCode?: number;
}

/** A `kubelet.backoff`: the restart is held off until `restartAtMs`. Repeats of one timer are folded. */
export interface BackoffTimer {
  index: number;
  t: number;
  backoffMs: number;
  restartAtMs: number;
}

/** A restart: the restart count went up (at the state that showed it). */
export interface Restart {
  index: number;
  t: number;
  restartCount: number;
}

/** A probe run (`prober.run`): `result` is Success / Failure / Unknown, or `error` when the handler errored. */
export interface ProbeTick {
  index: number;
  t: number;
  probe: string;
  result: string;
  detail: string;
}

export interface ContainerLane {
  pod: string;
  container: string;
  spans: StateSpan[];
  restarts: Restart[];
  backoffs: BackoffTimer[];
  probes: ProbeTick[];
}

/** A pod worker moving the pod on (`kubelet.podWorker`): TerminatingPod, TerminatedPod, Finished. */
export interface WorkerStage {
  index: number;
  t: number;
  from: string;
  to: string;
}

export interface PodLanes {
  pod: string;
  /** The node whose kubelet ran the pod (its events' `node`; empty in traces from before events named it). */
  node: string;
  containers: ContainerLane[];
  /** The pod worker's stages after SyncPod (where every pod starts). */
  stages: WorkerStage[];
}

/** The syncLoop channels as the strip groups them: the three probe channels are one row. */
export const LOOP_CHANNELS = ['config', 'pleg', 'sync', 'housekeeping', 'probe'] as const;
export type LoopChannel = (typeof LOOP_CHANNELS)[number];

/** One syncLoopIteration: the channel that fired, what it carried, for which pods. */
export interface LoopFire {
  index: number;
  t: number;
  channel: LoopChannel;
  /** The channel as the kubelet named it (liveness / readiness / startup for `probe`). */
  source: string;
  op: string;
  pods: string[];
  /** The kubelet's node. */
  node: string;
}

export interface Relist {
  index: number;
  t: number;
  node: string;
  pods: number;
  events: number;
}

export interface KubeletRun {
  /** Virtual time of the first and last kubelet or prober event (the axis). */
  t0: number;
  t1: number;
  pods: PodLanes[];
  fires: LoopFire[];
  relists: Relist[];
  /** Every node whose kubelet appears in the trace, in order of appearance (before any filter). */
  nodes: string[];
}

export interface KubeletRunOptions {
  /** Only this node's kubelet (and runtime): a multi-node session shows one kubelet at a time. */
  node?: string;
}

export const isKubeletEvent = (e: TraceEvent) => e.component === 'kubelet' || e.component === 'prober';

const channelOf = (c: string): LoopChannel => (c === 'liveness' || c === 'readiness' || c === 'startup' ? 'probe' : (c as LoopChannel));

/** The run in `trace` (undefined when it has no kubelet or prober event, or none of `o.node`'s). */
export function kubeletRun(trace: readonly TraceEvent[], o: KubeletRunOptions = {}): KubeletRun | undefined {
  const pods = new Map<string, Map<string, ContainerLane>>();
  const stages = new Map<string, WorkerStage[]>();
  const lane = (pod: string, container: string): ContainerLane => {
    let byName = pods.get(pod);
    if (!byName) pods.set(pod, (byName = new Map()));
    let l = byName.get(container);
    if (!l) byName.set(container, (l = { pod, container, spans: [], restarts: [], backoffs: [], probes: [] }));
    return l;
  };
  const run: KubeletRun = { t0: Infinity, t1: -Infinity, pods: [], fires: [], relists: [], nodes: [] };
  const nodeOfPod = new Map<string, string>();
  const seen = new Set<string>();
  // The runtime names sandboxes by pod and containers by sandbox: enough to find a process's exit.
  const podOfSandbox = new Map<string, string>();
  const podOfContainer = new Map<string, string>();
  const exitCodes = new Map<string, number>();
  trace.forEach((e, index) => {
    const node = String(e.node ?? '');
    if ((e.component === 'containerd' || isKubeletEvent(e)) && node && !seen.has(node)) {
      seen.add(node);
      run.nodes.push(node);
    }
    if (o.node !== undefined && node !== o.node && (e.component === 'containerd' || isKubeletEvent(e))) return;
    if (e.component === 'containerd') {
      if (e.type === 'cri.sandboxReady') podOfSandbox.set(String(e.sandbox), String(e.pod));
      else if (e.type === 'cri.containerCreated') podOfContainer.set(String(e.container), podOfSandbox.get(String(e.sandbox)) ?? '');
      else if (e.type === 'cri.containerExited') exitCodes.set(`${podOfContainer.get(String(e.container)) ?? ''}/${String(e.name)}`, Number(e.exitCode));
      return;
    }
    if (!isKubeletEvent(e)) return;
    if (e.type === 'kubelet.log' || e.type === 'kubelet.event' || e.type === 'kubelet.action' || e.type === 'kubelet.status') return; // not drawn; they do not move the axis either
    run.t0 = Math.min(run.t0, e.t);
    run.t1 = Math.max(run.t1, e.t);
    const t = e.t;
    if (e.pod !== undefined && !nodeOfPod.has(String(e.pod))) nodeOfPod.set(String(e.pod), node);
    switch (e.type) {
      case 'kubelet.container': {
        const l = lane(String(e.pod), String(e.container));
        const restartCount = Number(e.restartCount);
        const prev = l.spans.at(-1);
        if (prev && restartCount > prev.restartCount) l.restarts.push({ index, t, restartCount });
        const span: StateSpan = { index, from: t, state: e.state as ContainerState, reason: String(e.reason ?? ''), restartCount };
        const exitCode = exitCodes.get(`${l.pod}/${l.container}`);
        if (span.state === 'terminated' && exitCode !== undefined) span.exitCode = exitCode;
        l.spans.push(span);
        break;
      }
      case 'kubelet.backoff': {
        const l = lane(String(e.pod), String(e.container));
        const restartAtMs = Number(e.restartAtMs);
        // The kubelet reports the same timer on every sync it holds the restart off: one timer.
        if (l.backoffs.at(-1)?.restartAtMs !== restartAtMs) l.backoffs.push({ index, t, backoffMs: Number(e.backoffMs), restartAtMs });
        run.t1 = Math.max(run.t1, restartAtMs);
        break;
      }
      case 'prober.run':
        lane(String(e.pod), String(e.container)).probes.push({ index, t, probe: String(e.probe), result: e.error ? 'error' : String(e.result), detail: String(e.error || e.output || '') });
        break;
      case 'kubelet.podWorker': {
        const pod = String(e.pod);
        if (!pods.has(pod)) pods.set(pod, new Map());
        stages.set(pod, [...(stages.get(pod) ?? []), { index, t, from: String(e.from), to: String(e.to) }]);
        break;
      }
      case 'kubelet.syncLoop':
        run.fires.push({ index, t, channel: channelOf(String(e.channel)), source: String(e.channel), op: String(e.op), pods: (e.pods as string[]) ?? [], node });
        break;
      case 'kubelet.relist':
        run.relists.push({ index, t, pods: Number(e.pods), events: Number(e.events), node });
        break;
    }
  });
  if (run.t0 === Infinity) return undefined;
  run.pods = [...pods].map(([pod, byName]) => ({ pod, node: nodeOfPod.get(pod) ?? '', containers: [...byName.values()], stages: stages.get(pod) ?? [] }));
  return run;
}

/** Virtual time at `cursor`: the time of the last applied event (the axis start before any). */
export function nowOf(trace: readonly TraceEvent[], run: KubeletRun, cursor: number): number {
  return cursor > 0 && cursor <= trace.length ? Math.max(run.t0, trace[cursor - 1].t) : run.t0;
}

/** What a container is at the cursor: its state, restarts, a pending back-off, its last probe result. */
export interface ContainerNow {
  span?: StateSpan;
  restarts: number;
  /** The back-off timer holding the next start, while it runs (`remainingMs` > 0) and nothing started since. */
  backoff?: BackoffTimer & { remainingMs: number };
  lastProbe?: ProbeTick;
}

/** The last of `items` (in trace order) applied at `cursor`. */
export function lastBefore<T extends { index: number }>(items: readonly T[], cursor: number): T | undefined {
  let found: T | undefined;
  for (const x of items) {
    if (x.index >= cursor) break;
    found = x;
  }
  return found;
}

/** The pod worker's stage at the cursor (SyncPod until it moves on). */
export const stageAt = (p: PodLanes, cursor: number) => lastBefore(p.stages, cursor)?.to ?? 'SyncPod';

export function containerAt(l: ContainerLane, cursor: number, now: number): ContainerNow {
  const span = lastBefore(l.spans, cursor);
  const b = lastBefore(l.backoffs, cursor);
  const startedSince = b && l.spans.some((s) => s.index > b.index && s.index < cursor && s.state === 'running');
  const backoff = b && !startedSince && b.restartAtMs > now ? { ...b, remainingMs: b.restartAtMs - now } : undefined;
  return { span, restarts: span?.restartCount ?? 0, backoff, lastProbe: lastBefore(l.probes, cursor) };
}
