/**
 * A stand-in for the ReplicaSet controller and the kubelet, for testing the Deployment controller
 * alone (the real ReplicaSet controller is built apart; re-run the tests with it once merged).
 * Not an upstream component, and deliberately small:
 * - it applies each change of a ReplicaSet's spec.replicas as it was when the watch delivered it,
 *   one at a time in delivery order (one worker), each after a seeded delay, creating or deleting
 *   pods until the ReplicaSet's pods number that value, deleting not-ready pods first (as the real
 *   one's getPodsToDelete does). The order matters: the real controller reads the latest state and
 *   runs several workers, so a scale-up of the new ReplicaSet can land before the scale-down of an
 *   old one it followed, and the pods can briefly exceed replicas + maxSurge; what the Deployment
 *   controller bounds is the sum of spec.replicas;
 * - its pods are its own data, never API objects; each new pod becomes ready (= available,
 *   minReadySeconds 0) after a seeded delay, unless it fails (a bad template, or a random failure):
 *   then it never becomes ready, like a pod in CrashLoopBackOff;
 * - it writes each ReplicaSet's status (replicas, ready, available, observedGeneration) with a
 *   merge patch of the status subresource whenever its pods change.
 */
import { newSharedInformerFactory, type SharedInformerFactory } from '../../cache/informer_factory';
import { listerWatcherFor, type Clientset } from '../../client/clientset';
import type { FakeClock } from '../../core/clock';
import type { Rng } from '../../core/rng';
import type { ReplicaSet } from './types';

export interface HarnessPod {
  name: string;
  ready: boolean;
  failed: boolean;
}

export interface ReplicaSetHarnessOptions {
  client: Clientset;
  clock: FakeClock;
  rng: Rng;
  /** Delay before the harness acts on a ReplicaSet change, ms: uniform in [0, max). Default 200. */
  maxSyncDelayMs?: number;
  /** Delay before a new pod becomes ready, ms: uniform in [1, max]. Default 2000. */
  maxReadyDelayMs?: number;
  /** Probability that a new pod of this ReplicaSet never becomes ready. Default 0. */
  failProbability?: (rs: ReplicaSet) => number;
  /** Called after every change of pods (created, deleted, ready) and of a ReplicaSet's spec.replicas. */
  onChange?: () => void;
}

export class ReplicaSetHarness {
  /** Pods by ReplicaSet uid. */
  readonly pods = new Map<string, HarnessPod[]>();
  readonly #latest = new Map<string, ReplicaSet>();
  readonly #queue: ReplicaSet[] = [];
  readonly #factory: SharedInformerFactory;
  #busy = false;
  #seq = 0;
  #stopped = false;

  constructor(readonly o: ReplicaSetHarnessOptions) {
    this.#factory = newSharedInformerFactory(listerWatcherFor(o.client), 0, { clock: o.clock, rng: o.rng.fork('harness-informers') });
    this.#factory.forResource('replicasets').informer().addEventHandler({
      onAdd: (obj) => this.#observe(obj as unknown as ReplicaSet),
      onUpdate: (_old, cur) => this.#observe(cur as unknown as ReplicaSet),
      onDelete: (obj) => void this.#latest.delete((obj as { metadata?: { uid?: string } }).metadata?.uid ?? ''),
    });
  }

  async start(): Promise<void> {
    this.#factory.start();
    await this.#factory.waitForCacheSync();
  }

  stop(): void {
    this.#stopped = true;
    this.#factory.shutdown();
  }

  /** Every pod, of every ReplicaSet. */
  allPods(): HarnessPod[] {
    return [...this.pods.values()].flat();
  }

  #observe(rs: ReplicaSet): void {
    const uid = rs.metadata.uid ?? '';
    const prev = this.#latest.get(uid);
    this.#latest.set(uid, rs);
    if (prev && prev.spec.replicas === rs.spec.replicas) return;
    this.o.onChange?.();
    this.#queue.push(rs);
    this.#next();
  }

  #next(): void {
    if (this.#busy || this.#stopped) return;
    const rs = this.#queue.shift();
    if (rs === undefined) return;
    this.#busy = true;
    this.o.clock.afterFunc(this.o.rng.int(this.o.maxSyncDelayMs ?? 200), () => {
      this.#reconcile(rs);
      this.#busy = false;
      this.#next();
    });
  }

  /** The sum of spec.replicas over the latest ReplicaSets seen: what the Deployment controller bounds. */
  specReplicas(): number {
    let n = 0;
    for (const rs of this.#latest.values()) n += rs.spec.replicas ?? 1;
    return n;
  }

  #reconcile(rs: ReplicaSet): void {
    const uid = rs.metadata.uid ?? '';
    if (this.#stopped) return;
    const pods = this.pods.get(uid) ?? [];
    this.pods.set(uid, pods);
    const want = rs.spec.replicas ?? 1;
    while (pods.length < want) {
      const pod: HarnessPod = { name: `${rs.metadata.name}-${++this.#seq}`, ready: false, failed: this.o.rng.chance(this.o.failProbability?.(rs) ?? 0) };
      pods.push(pod);
      if (!pod.failed) {
        this.o.clock.afterFunc(1 + this.o.rng.int(this.o.maxReadyDelayMs ?? 2000), () => {
          if (this.#stopped || !pods.includes(pod)) return;
          pod.ready = true;
          this.#changed(uid);
        });
      }
    }
    if (pods.length > want) {
      // Not-ready pods first, then the newest.
      const victims = [...pods].sort((a, b) => Number(a.ready) - Number(b.ready) || pods.indexOf(b) - pods.indexOf(a)).slice(0, pods.length - want);
      for (const v of victims) pods.splice(pods.indexOf(v), 1);
    }
    this.#changed(uid);
  }

  #changed(uid: string): void {
    const rs = this.#latest.get(uid);
    const pods = this.pods.get(uid) ?? [];
    this.o.onChange?.();
    if (!rs) return;
    const ready = pods.filter((p) => p.ready).length;
    const status = { replicas: pods.length, fullyLabeledReplicas: pods.length, readyReplicas: ready, availableReplicas: ready, observedGeneration: rs.metadata.generation ?? 1 };
    void this.o.client
      .appsV1()
      .replicaSets(rs.metadata.namespace ?? '')
      .patch(rs.metadata.name ?? '', 'application/merge-patch+json', { status }, undefined, 'status')
      .catch(() => undefined);
  }
}
