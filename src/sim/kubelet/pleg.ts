/**
 * The Pod Lifecycle Event Generator: pkg/kubelet/pleg/generic.go (GenericPLEG). Every second it
 * lists every pod and container in the runtime (one relist, not a poll per pod: the reason PLEG
 * exists), compares each container's state with the previous relist and turns the differences
 * into events for the sync loop: ContainerStarted, ContainerDied, ContainerRemoved,
 * ContainerChanged. For each pod with events it reads the full status into the pod cache first,
 * so the pod worker that wakes up sees it. Healthy() fails once a relist is 3 minutes old.
 */
import { formatGoDuration } from '../cache/go_strings';
import type { FakeClock } from '../core/clock';
import type { PodCache } from './pod_cache';
import type { RuntimeContainerState, RuntimePod, RuntimePodStatus } from './kuberuntime/types';

/** relistPeriod and relistThreshold of the generic PLEG. */
export const RELIST_PERIOD_MS = 1_000;
export const RELIST_THRESHOLD_MS = 3 * 60_000;
/** plegChannelCapacity: events beyond it in one relist are dropped. */
export const PLEG_CHANNEL_CAPACITY = 1000;

// Upstream: pkg/kubelet/pleg/pleg.go (PodLifeCycleEventType)
export type PodLifecycleEventType = 'ContainerStarted' | 'ContainerDied' | 'ContainerRemoved' | 'PodSync' | 'ContainerChanged';

// Upstream: pleg.go (PodLifecycleEvent)
export interface PodLifecycleEvent {
  /** The pod UID. */
  id: string;
  type: PodLifecycleEventType;
  /** The container ID (for ContainerDied, the sync loop reads its exit code from the cache). */
  data: string;
}

/** What the PLEG reads from the runtime (the runtime manager's GetPods and GetPodStatus). */
export interface PlegRuntime {
  getPods(all: boolean): Promise<RuntimePod[]>;
  getPodStatus(uid: string, name: string, namespace: string): Promise<RuntimePodStatus>;
}

/** plegContainerState: CRI's created counts as unknown; gone is non-existent. */
type PlegState = 'running' | 'exited' | 'unknown' | 'non-existent';
const plegState = (s: RuntimeContainerState | undefined): PlegState => (s === undefined ? 'non-existent' : s === 'running' ? 'running' : s === 'exited' ? 'exited' : 'unknown');

/** The events for one container whose state went from `oldState` to `newState`. */
// Upstream: generic.go (generateEvents)
export function generateEvents(podId: string, cid: string, oldState: PlegState, newState: PlegState): PodLifecycleEvent[] {
  if (newState === oldState) return [];
  switch (newState) {
    case 'running':
      return [{ id: podId, type: 'ContainerStarted', data: cid }];
    case 'exited':
      return [{ id: podId, type: 'ContainerDied', data: cid }];
    case 'unknown':
      return [{ id: podId, type: 'ContainerChanged', data: cid }];
    case 'non-existent':
      // A container seen exited before was already reported dead.
      return oldState === 'exited' ? [{ id: podId, type: 'ContainerRemoved', data: cid }] : [{ id: podId, type: 'ContainerDied', data: cid }, { id: podId, type: 'ContainerRemoved', data: cid }];
  }
}

export interface GenericPLEGOptions {
  clock: FakeClock;
  runtime: PlegRuntime;
  cache?: PodCache;
  /** Where events go (the sync loop's plegCh); false when the channel is full. */
  send: (e: PodLifecycleEvent) => boolean;
  /** Each relist's summary and each event sent (trace, journal). */
  onRelist?: (pods: number, events: PodLifecycleEvent[]) => void;
  onContainerDied?: (pod: RuntimePod, containerId: string, exitCode: number) => void;
  relistPeriodMs?: number;
}

// Upstream: generic.go (GenericPLEG)
export class GenericPLEG {
  /** The previous and current relist's pods, by UID (upstream's podRecords). */
  readonly #old = new Map<string, RuntimePod>();
  #current = new Map<string, RuntimePod>();
  /** Pods whose status read failed: read again at the next relist. */
  #podsToReinspect = new Map<string, RuntimePod>();
  #relistTimeMs: number | undefined;
  #timer: { stop(): void } | undefined;
  #running = false;
  #relisting: Promise<void> | undefined;

  constructor(readonly o: GenericPLEGOptions) {}

  /** Relists every period until stopped (Go: wait.Until(g.Relist, g.relistPeriod)). */
  // Upstream: generic.go (Start)
  start(): void {
    if (this.#running) return;
    this.#running = true;
    const tick = () => {
      if (!this.#running) return;
      this.#relisting = this.relist().finally(() => {
        if (this.#running) this.#timer = this.o.clock.afterFunc(this.o.relistPeriodMs ?? RELIST_PERIOD_MS, tick);
      });
    };
    tick();
  }

  stop(): void {
    this.#running = false;
    this.#timer?.stop();
  }

  /** Healthy while the last relist is at most 3 minutes old. */
  // Upstream: generic.go (Healthy)
  healthy(): { ok: true } | { ok: false; error: string } {
    if (this.#relistTimeMs === undefined) return { ok: false, error: 'pleg has yet to be successful' };
    const elapsed = this.o.clock.since(this.#relistTimeMs);
    if (elapsed > RELIST_THRESHOLD_MS) return { ok: false, error: `pleg was last seen active ${formatGoDuration(elapsed)} ago; threshold is ${formatGoDuration(RELIST_THRESHOLD_MS)}` };
    return { ok: true };
  }

  get relistTimeMs(): number | undefined {
    return this.#relistTimeMs;
  }

  /** One relist: list, compare, update the cache, send the events. */
  // Upstream: generic.go (Relist)
  async relist(): Promise<void> {
    const timestamp = this.o.clock.now();
    let pods: RuntimePod[];
    try {
      pods = await this.o.runtime.getPods(true);
    } catch {
      return; // "GenericPLEG: Unable to retrieve pods": the relist time is not updated.
    }
    this.#relistTimeMs = timestamp;
    this.#current = new Map(pods.map((p) => [p.id, p]));
    const eventsByPod = new Map<string, PodLifecycleEvent[]>();
    const uids = new Set([...this.#old.keys(), ...this.#current.keys()]);
    for (const uid of uids) {
      const oldPod = this.#old.get(uid);
      const pod = this.#current.get(uid);
      for (const cid of containerIds(oldPod, pod)) {
        const events = generateEvents(uid, cid, plegState(stateOf(oldPod, cid)), plegState(stateOf(pod, cid)));
        if (events.length) eventsByPod.set(uid, [...(eventsByPod.get(uid) ?? []), ...events]);
      }
    }
    const needsReinspection = new Map<string, RuntimePod>();
    const sent: PodLifecycleEvent[] = [];
    for (const [uid, events] of eventsByPod) {
      const pod = this.#current.get(uid) ?? this.#old.get(uid)!;
      if (this.o.cache) {
        const ok = await this.#updateCache(pod, uid);
        if (!ok) {
          needsReinspection.set(uid, pod);
          continue;
        }
        this.#podsToReinspect.delete(uid);
      }
      // podRecords.update: the current state becomes the old one for this pod only.
      if (this.#current.has(uid)) this.#old.set(uid, this.#current.get(uid)!);
      else this.#old.delete(uid);
      for (const e of events) {
        // ContainerChanged is not reliable enough for anyone to use yet.
        if (e.type === 'ContainerChanged') continue;
        if (!this.o.send(e)) continue; // "Event channel is full, discard this relist() cycle event"
        sent.push(e);
        if (e.type === 'ContainerDied') {
          const st = this.o.cache?.get(uid).status?.containerStatuses.find((c) => c.id === e.data);
          if (st) this.o.onContainerDied?.(pod, e.data, st.exitCode);
        }
      }
    }
    if (this.o.cache) {
      for (const [uid, pod] of this.#podsToReinspect) {
        if (eventsByPod.has(uid)) continue;
        if (!(await this.#updateCache(pod, uid))) needsReinspection.set(uid, pod);
      }
      this.o.cache.updateTime(timestamp);
    }
    this.#podsToReinspect = needsReinspection;
    this.o.onRelist?.(pods.length, sent);
  }

  // Upstream: generic.go (updateCache): a pod gone from the runtime is removed from the cache.
  async #updateCache(pod: RuntimePod, uid: string): Promise<boolean> {
    if (!this.#current.has(uid)) {
      this.o.cache!.delete(uid);
      return true;
    }
    const timestamp = this.o.clock.now();
    try {
      const status = await this.o.runtime.getPodStatus(pod.id, pod.name, pod.namespace);
      this.o.cache!.set(uid, status, undefined, timestamp);
      return true;
    } catch (e) {
      this.o.cache!.set(uid, undefined, e as Error, timestamp);
      return false;
    }
  }

  /** Waits for a relist in progress (tests). */
  async idle(): Promise<void> {
    await this.#relisting;
  }
}

function containerIds(a: RuntimePod | undefined, b: RuntimePod | undefined): string[] {
  const ids = new Set<string>();
  for (const p of [a, b]) if (p) for (const c of [...p.sandboxes, ...p.containers]) ids.add(c.id);
  return [...ids];
}

function stateOf(pod: RuntimePod | undefined, cid: string): RuntimeContainerState | undefined {
  return pod ? [...pod.sandboxes, ...pod.containers].find((c) => c.id === cid)?.state : undefined;
}
