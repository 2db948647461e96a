/**
 * Where the kubelet learns which pods it should run: pkg/kubelet/config (apiserver.go
 * NewSourceApiserver, config.go PodConfig / podStorage.merge / checkAndUpdatePod). The API source
 * list-watches pods with the field selector `spec.nodeName=<node>` and hands over the whole set on
 * every change (upstream's UndeltaStore pushes a SET); PodConfig diffs it against the last set
 * and sends the sync loop incremental updates: REMOVE, ADD, UPDATE, DELETE (a graceful deletion
 * began), then RECONCILE (only the status changed).
 */
import { deepCopy } from '../core/object';
import type { Pod } from '../api/core/v1';
import { newSharedInformerFactory, type SharedInformerFactory } from '../cache/informer_factory';
import { listerWatcherFor, type Clientset } from '../client/clientset';
import type { FakeClock } from '../core/clock';
import type { Rng } from '../core/rng';

/** The sources a pod can come from (kubetypes.ApiserverSource, FileSource); the model has no HTTP source. */
export const ApiserverSource = 'api';
export const FileSource = 'file';

// Upstream: pkg/kubelet/types/pod_update.go (PodOperation)
export type PodOperation = 'SET' | 'ADD' | 'DELETE' | 'REMOVE' | 'UPDATE' | 'RECONCILE';

// Upstream: pod_update.go (PodUpdate)
export interface PodUpdate {
  pods: Pod[];
  op: PodOperation;
  source: string;
}

const differ = (a: Pod, b: Pod) =>
  JSON.stringify(a.spec) !== JSON.stringify(b.spec) ||
  JSON.stringify(a.metadata.labels ?? {}) !== JSON.stringify(b.metadata.labels ?? {}) ||
  JSON.stringify(a.metadata.annotations ?? {}) !== JSON.stringify(b.metadata.annotations ?? {}) ||
  a.metadata.deletionTimestamp !== b.metadata.deletionTimestamp ||
  a.metadata.deletionGracePeriodSeconds !== b.metadata.deletionGracePeriodSeconds ||
  a.metadata.generation !== b.metadata.generation;

/**
 * What changed between the pod as known and the pod as now seen: an update (spec, labels,
 * annotations, generation), a graceful delete (deletionTimestamp set), or only a status change
 * (reconcile: the kubelet is the source of truth for status and will write it back).
 */
// Upstream: config.go (checkAndUpdatePod, podsDifferSemantically)
export function checkAndUpdatePod(existing: Pod, ref: Pod): { needUpdate: boolean; needReconcile: boolean; needGracefulDelete: boolean } {
  if (!differ(existing, ref)) {
    const needReconcile = JSON.stringify(existing.status ?? {}) !== JSON.stringify(ref.status ?? {});
    if (needReconcile) existing.status = ref.status;
    return { needUpdate: false, needReconcile, needGracefulDelete: false };
  }
  existing.spec = ref.spec;
  existing.metadata = { ...existing.metadata, labels: ref.metadata.labels, annotations: ref.metadata.annotations, deletionTimestamp: ref.metadata.deletionTimestamp, deletionGracePeriodSeconds: ref.metadata.deletionGracePeriodSeconds, generation: ref.metadata.generation, resourceVersion: ref.metadata.resourceVersion };
  existing.status = ref.status;
  return ref.metadata.deletionTimestamp ? { needUpdate: false, needReconcile: false, needGracefulDelete: true } : { needUpdate: true, needReconcile: false, needGracefulDelete: false };
}

/** The annotations the kubelet puts on its copy of every pod (pkg/kubelet/types/pod_update.go). */
export const ConfigSourceAnnotationKey = 'kubernetes.io/config.source';
export const ConfigFirstSeenAnnotationKey = 'kubernetes.io/config.seen';

/**
 * The merged pod sets of the sources (the API server, the static pod directory) and the diffing
 * into incremental updates. Each source's set is kept apart: a SET from the file source never
 * removes the API's pods. The kubelet's copy of each pod is annotated with its source and the
 * time it was first seen.
 */
// Upstream: config.go (PodConfig, podStorage)
export class PodConfig {
  readonly #pods = new Map<string, Map<string, Pod>>();
  readonly #sources = new Set<string>();
  readonly #seen = new Set<string>();
  /**
   * Per source, per pod UID, the object the source handed in its last merge. An informer's store
   * replaces an object when it changes and never mutates it, so the same object again means the
   * same pod: merge skips its copy and comparison (the cost of a node's every event was all its
   * pods' copies and JSON comparisons). Callers must not mutate a pod after handing it to merge.
   */
  readonly #lastSeen = new Map<string, Map<string, Pod>>();

  constructor(
    private readonly send: (u: PodUpdate) => void,
    private readonly now: () => string = () => '',
  ) {}

  /** Declares a source the kubelet waits for before housekeeping (Channel in upstream). */
  // Upstream: config.go (PodConfig.Channel)
  addSource(source: string): void {
    this.#sources.add(source);
  }

  /** Whether every source has sent its first set (housekeeping waits for it). */
  // Upstream: config.go (SeenAllSources)
  seenAllSources(): boolean {
    if (this.#seen.size === 0) return false;
    for (const s of this.#sources) if (!this.#seen.has(s)) return false;
    return true;
  }

  /** The pods a source has now (the kubelet's annotated copies). */
  podsOf(source: string): Pod[] {
    return [...(this.#pods.get(source)?.values() ?? [])];
  }

  /** Takes the full set of the source's pods and sends what changed. */
  // Upstream: config.go (podStorage.Merge, merge with op SET, incremental mode)
  merge(source: string, pods: Pod[]): void {
    this.#sources.add(source);
    const firstSet = !this.#seen.has(source);
    this.#seen.add(source);
    const adds: Pod[] = [];
    const updates: Pod[] = [];
    const deletes: Pod[] = [];
    const reconciles: Pod[] = [];
    const old = this.#pods.get(source) ?? new Map<string, Pod>();
    const next = new Map<string, Pod>();
    this.#pods.set(source, next);
    const lastSeen = this.#lastSeen.get(source);
    const seen = new Map<string, Pod>();
    this.#lastSeen.set(source, seen);
    for (const p of pods) {
      const uid = p.metadata.uid ?? '';
      seen.set(uid, p);
      const unchanged = old.get(uid);
      if (unchanged && lastSeen?.get(uid) === p) {
        next.set(uid, unchanged);
        continue;
      }
      const ref = deepCopy(p);
      // Upstream: config.go (podStorage.merge, updatePodsFunc): the source annotation on every pod.
      ref.metadata.annotations = { ...(ref.metadata.annotations ?? {}), [ConfigSourceAnnotationKey]: source };
      const existing = old.get(uid);
      if (existing) {
        next.set(uid, existing);
        ref.metadata.annotations[ConfigFirstSeenAnnotationKey] = existing.metadata.annotations?.[ConfigFirstSeenAnnotationKey] ?? '';
        const r = checkAndUpdatePod(existing, ref);
        if (r.needUpdate) updates.push(existing);
        else if (r.needReconcile) reconciles.push(existing);
        else if (r.needGracefulDelete) deletes.push(existing);
        continue;
      }
      // Upstream: config.go (recordFirstSeenTime)
      ref.metadata.annotations[ConfigFirstSeenAnnotationKey] = this.now();
      next.set(uid, ref);
      adds.push(ref);
    }
    const removes = [...old].filter(([uid]) => !next.has(uid)).map(([, p]) => p);
    if (removes.length) this.send({ op: 'REMOVE', pods: removes, source });
    if (adds.length) this.send({ op: 'ADD', pods: adds, source });
    if (updates.length) this.send({ op: 'UPDATE', pods: updates, source });
    if (deletes.length) this.send({ op: 'DELETE', pods: deletes, source });
    // The first set, even empty, tells the kubelet the source is ready.
    if (firstSet && !adds.length && !updates.length && !deletes.length) this.send({ op: 'ADD', pods: [], source });
    if (reconciles.length) this.send({ op: 'RECONCILE', pods: reconciles, source });
  }
}

export interface ApiserverSourceOptions {
  client: Clientset;
  clock: FakeClock;
  rng: Rng;
  nodeName: string;
}

/**
 * Watches the node's pods through an informer and merges the full set into `config` on every
 * event (the UndeltaStore's PushFunc). Returns the factory, to stop it.
 */
// Upstream: pkg/kubelet/config/apiserver.go (NewSourceApiserver, newSourceApiserverFromLW)
export function newSourceApiserver(o: ApiserverSourceOptions, config: PodConfig): SharedInformerFactory {
  const factory = newSharedInformerFactory(listerWatcherFor(o.client), 0, {
    clock: o.clock,
    rng: o.rng,
    tweakListOptions: (opts) => {
      opts.fieldSelector = `spec.nodeName=${o.nodeName}`;
    },
  });
  const informer = factory.forResource('pods').informer();
  const push = () => {
    const pods = (informer.getStore().list() as unknown as Pod[]).slice().sort((a, b) => String(a.metadata.creationTimestamp ?? '').localeCompare(String(b.metadata.creationTimestamp ?? '')) || String(a.metadata.name).localeCompare(String(b.metadata.name)));
    config.merge(ApiserverSource, pods);
  };
  informer.addEventHandler({ onAdd: push, onUpdate: push, onDelete: push });
  factory.start();
  // An empty node still sends its first (empty) set once the list is done.
  void factory.waitForCacheSync().then(() => push());
  return factory;
}
