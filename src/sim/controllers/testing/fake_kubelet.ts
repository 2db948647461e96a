/**
 * A TEST FIXTURE standing in for the kubelet until the kubelet model drives pods (issue 13): it
 * is not a model of the kubelet and cites no upstream function. Like kubemark's hollow node or
 * envtest's missing kubelet, it only writes what controllers read:
 * - a pod bound to a node (spec.nodeName), after `readyAfterMs`, gets phase Running with the
 *   PodScheduled, Initialized, ContainersReady and Ready conditions True (lastTransitionTime =
 *   that moment) and a running status per container; with probability `failRate` it gets phase
 *   Failed instead (each container terminated with reason Error, exit code 1);
 * - with `nodeName`, a pod nobody scheduled is bound to that node (pods/binding) first;
 * - a bound pod being deleted gracefully is removed for good (gracePeriodSeconds 0) after
 *   `terminateAfterMs`, as the kubelet's status manager does once the containers have stopped.
 * No containers, probes, restarts, images, volumes or node status: use the kubelet model for those.
 */
import type { Pod } from '../../api/core/v1';
import { isNotFound } from '../../apimachinery/errors';
import { rfc3339 } from '../../apiserver/registry/strategy';
import { newSharedInformerFactory, type SharedInformerFactory } from '../../cache/informer_factory';
import { DeletedFinalStateUnknown } from '../../cache/keys';
import { listerWatcherFor, type Clientset } from '../../client/clientset';
import type { FakeClock } from '../../core/clock';
import type { KubeObject } from '../../core/object';
import type { Rng } from '../../core/rng';

export interface FakeKubeletOptions {
  client: Clientset;
  clock: FakeClock;
  rng: Rng;
  /** Virtual ms from seeing a bound pod to writing its status (default 1000). */
  readyAfterMs?: number;
  /** Probability in [0, 1] that a pod fails instead of running (default 0). */
  failRate?: number;
  /** Bind pods without spec.nodeName to this node (default: leave them to a scheduler). */
  nodeName?: string;
  /** Virtual ms from seeing a graceful delete to the final delete (default 1000). */
  terminateAfterMs?: number;
}

/** What the fixture did, for assertions. */
export interface FakeKubeletStats {
  bound: number;
  running: number;
  failed: number;
  terminated: number;
  /** Writes that failed for another reason than the pod being gone. */
  errors: string[];
}

export function newFakeKubelet(o: FakeKubeletOptions): FakeKubelet {
  return new FakeKubelet(o);
}

export class FakeKubelet {
  readonly stats: FakeKubeletStats = { bound: 0, running: 0, failed: 0, terminated: 0, errors: [] };
  /** Probability that the next pod started fails; tests may lower it to let a workload settle. */
  failRate: number;
  readonly #o: FakeKubeletOptions;
  readonly #rng: Rng;
  readonly #factory: SharedInformerFactory;
  /** Pod UIDs with a start, a bind or a final delete already scheduled: each happens once. */
  readonly #starting = new Set<string>();
  readonly #binding = new Set<string>();
  readonly #terminating = new Set<string>();
  #stopped = false;

  constructor(o: FakeKubeletOptions) {
    const failRate = o.failRate ?? 0;
    if (!(failRate >= 0 && failRate <= 1)) throw new RangeError(`newFakeKubelet: failRate must be in [0, 1], got ${failRate}`);
    this.#o = o;
    this.failRate = failRate;
    this.#rng = o.rng.fork('fake-kubelet');
    this.#factory = newSharedInformerFactory(listerWatcherFor(o.client), 0, { clock: o.clock, rng: o.rng.fork('fake-kubelet-informers') });
    this.#factory.forResource('pods').informer().addEventHandler({
      onAdd: (obj) => this.#see(obj as unknown as Pod),
      onUpdate: (_old, cur) => this.#see(cur as unknown as Pod),
      onDelete: (obj) => this.#forget((obj instanceof DeletedFinalStateUnknown ? obj.obj : obj) as unknown as Pod),
    });
  }

  /** Starts watching pods; resolves once the pod cache has synced. */
  async run(): Promise<void> {
    this.#factory.start();
    await this.#factory.waitForCacheSync();
  }

  stop(): void {
    this.#stopped = true;
    this.#factory.shutdown().catch(() => {});
  }

  #forget(pod: Pod): void {
    const uid = pod.metadata.uid ?? '';
    this.#starting.delete(uid);
    this.#binding.delete(uid);
    this.#terminating.delete(uid);
  }

  #see(pod: Pod): void {
    if (this.#stopped) return;
    const uid = pod.metadata.uid ?? '';
    const nodeName = pod.spec.nodeName;
    if (pod.metadata.deletionTimestamp) {
      if (nodeName && !this.#terminating.has(uid)) {
        this.#terminating.add(uid);
        this.#o.clock.afterFunc(this.#o.terminateAfterMs ?? 1000, () => void this.#finalDelete(pod));
      }
      return;
    }
    if (!nodeName) {
      if (this.#o.nodeName && !this.#binding.has(uid)) {
        this.#binding.add(uid);
        void this.#bind(pod, this.#o.nodeName);
      }
      return;
    }
    const phase = pod.status?.phase;
    if (phase === 'Running' || phase === 'Failed' || phase === 'Succeeded' || this.#starting.has(uid)) return;
    this.#starting.add(uid);
    this.#o.clock.afterFunc(this.#o.readyAfterMs ?? 1000, () => void this.#start(pod));
  }

  async #bind(pod: Pod, nodeName: string): Promise<void> {
    const ns = pod.metadata.namespace ?? '';
    try {
      await this.#o.client.coreV1().pods(ns).bind({ apiVersion: 'v1', kind: 'Binding', metadata: { name: pod.metadata.name, namespace: ns, uid: pod.metadata.uid }, target: { apiVersion: 'v1', kind: 'Node', name: nodeName } } as KubeObject);
      this.stats.bound++;
    } catch (e) {
      this.#error('bind', pod, e);
    }
  }

  async #start(pod: Pod): Promise<void> {
    if (this.#stopped) return;
    const ns = pod.metadata.namespace ?? '';
    const pods = this.#o.client.coreV1().pods(ns);
    // Draw before any await, so the outcome depends only on the order the timers fire in.
    const fail = this.#rng.chance(this.failRate);
    try {
      const fresh = (await pods.get(pod.metadata.name ?? '')) as unknown as Pod;
      if (fresh.metadata.uid !== pod.metadata.uid || fresh.metadata.deletionTimestamp) return;
      fresh.status = fail ? failedStatus(fresh, this.#o.clock.now()) : runningStatus(fresh, this.#o.clock.now());
      await pods.updateStatus(fresh as unknown as KubeObject);
      if (fail) this.stats.failed++;
      else this.stats.running++;
    } catch (e) {
      this.#error('start', pod, e);
    }
  }

  async #finalDelete(pod: Pod): Promise<void> {
    if (this.#stopped) return;
    try {
      await this.#o.client.coreV1().pods(pod.metadata.namespace ?? '').delete(pod.metadata.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
      this.stats.terminated++;
    } catch (e) {
      this.#error('delete', pod, e);
    }
  }

  #error(what: string, pod: Pod, e: unknown): void {
    if (isNotFound(e)) return;
    this.stats.errors.push(`${what} ${pod.metadata.namespace}/${pod.metadata.name}: ${(e as Error).message}`);
  }
}

type ContainerLike = { name: string; image?: string };
const containersOf = (pod: Pod) => (pod.spec.containers ?? []) as ContainerLike[];

/** Running and Ready since `nowMs`. */
export function runningStatus(pod: Pod, nowMs: number): Pod['status'] {
  const t = rfc3339(nowMs);
  const cond = (type: string) => ({ type, status: 'True' as const, lastProbeTime: null, lastTransitionTime: t });
  return {
    ...pod.status,
    phase: 'Running',
    conditions: [cond('PodReadyToStartContainers'), cond('Initialized'), cond('Ready'), cond('ContainersReady'), cond('PodScheduled')],
    startTime: pod.status?.startTime ?? t,
    containerStatuses: containersOf(pod).map((c) => ({ name: c.name, image: c.image ?? '', imageID: '', ready: true, started: true, restartCount: 0, state: { running: { startedAt: t } } })),
  };
}

/** Failed: every container exited 1 (reason Error). */
export function failedStatus(pod: Pod, nowMs: number): Pod['status'] {
  const t = rfc3339(nowMs);
  const cond = (type: string, status: 'True' | 'False', reason?: string) => ({ type, status, lastProbeTime: null, lastTransitionTime: t, ...(reason ? { reason } : {}) });
  return {
    ...pod.status,
    phase: 'Failed',
    conditions: [cond('Initialized', 'True'), cond('Ready', 'False', 'PodFailed'), cond('ContainersReady', 'False', 'PodFailed'), cond('PodScheduled', 'True')],
    startTime: pod.status?.startTime ?? t,
    containerStatuses: containersOf(pod).map((c) => ({ name: c.name, image: c.image ?? '', imageID: '', ready: false, started: false, restartCount: 0, state: { terminated: { exitCode: 1, reason: 'Error', startedAt: t, finishedAt: t } } })),
  };
}
