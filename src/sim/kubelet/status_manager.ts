/**
 * The status manager: pkg/kubelet/status/status_manager.go. It caches the status each pod worker
 * computed, writes it to the API server only when it differs from what the server has (on each
 * change and every 10 s), and once a pod being deleted is terminal and its worker finished,
 * deletes it for good: grace period 0 with a UID precondition, so a new pod with the same name is
 * never hit.
 */
import { ConfigHashAnnotationKey, isMirrorPod } from './config_file';
import { deepCopy } from '../core/object';
import type { Pod, PodCondition, PodStatus } from '../api/core/v1';
import type { Clientset } from '../client/clientset';
import type { FakeClock } from '../core/clock';
import { canonicalEqual } from './canonical';
import { MergePatchType } from '../apimachinery/patch';

/** How often every cached status is compared with the server's (syncPeriod). */
export const STATUS_SYNC_PERIOD_MS = 10_000;

interface VersionedStatus {
  status: PodStatus;
  version: number;
  podName: string;
  podNamespace: string;
  /** The pod worker finished the pod (SyncTerminatedPod): it may be deleted from the API. */
  podIsFinished: boolean;
}

export interface StatusManagerOptions {
  client: Clientset;
  clock: FakeClock;
  onPatch?: (pod: Pod, status: PodStatus) => void;
  onDelete?: (pod: Pod) => void;
}

/** Compares two statuses the way the kubelet does: ignoring lastProbeTime and each condition's order. */
// Upstream: status_manager.go (isPodStatusByKubeletEqual, normalizeStatus)
export function isPodStatusByKubeletEqual(a: PodStatus | undefined, b: PodStatus | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return !a && !b;
  // A shallow copy is enough: only `conditions` is replaced, by new objects (no deepCopy on this hot path).
  const norm = (s: PodStatus): PodStatus => ({ ...s, conditions: (s.conditions ?? []).map((x: PodCondition) => ({ ...x, lastProbeTime: null })).sort((x: PodCondition, y: PodCondition) => (x.type < y.type ? -1 : 1)) });
  return canonicalEqual(norm(a), norm(b));
}

// Upstream: status_manager.go (manager)
export class StatusManager {
  readonly #statuses = new Map<string, VersionedStatus>();
  /** The version last written to the API server, by pod UID. */
  readonly #apiVersions = new Map<string, number>();
  #timer: { stop(): void } | undefined;
  #syncing = new Map<string, Promise<void>>();
  #again = new Set<string>();

  constructor(readonly o: StatusManagerOptions) {}

  // Upstream: status_manager.go (Start): a batch sync every syncPeriod
  start(): void {
    const tick = () => {
      this.syncBatch(true);
      this.#timer = this.o.clock.afterFunc(STATUS_SYNC_PERIOD_MS, tick);
    };
    this.#timer = this.o.clock.afterFunc(STATUS_SYNC_PERIOD_MS, tick);
  }

  stop(): void {
    this.#timer?.stop();
  }

  getPodStatus(uid: string): PodStatus | undefined {
    return this.#statuses.get(uid)?.status;
  }

  /** Caches `status` for the pod and schedules a write when it changed. */
  // Upstream: status_manager.go (SetPodStatus, updateStatusInternal)
  setPodStatus(pod: Pod, status: PodStatus): void {
    this.#update(pod, status, false);
  }

  /** The pod worker is done with the pod: mark its status final (it may now be deleted). */
  // Upstream: status_manager.go (TerminatePod)
  terminatePod(pod: Pod): void {
    const cached = this.#statuses.get(pod.metadata.uid ?? '');
    this.#update(pod, cached?.status ?? pod.status ?? {}, true);
  }

  #update(pod: Pod, status: PodStatus, podIsFinished: boolean): void {
    const uid = pod.metadata.uid ?? '';
    const cached = this.#statuses.get(uid);
    if (cached && isPodStatusByKubeletEqual(cached.status, status) && cached.podIsFinished === podIsFinished) return;
    this.#statuses.set(uid, {
      status: deepCopy(status),
      version: (cached?.version ?? 0) + 1,
      podName: pod.metadata.name ?? '',
      podNamespace: pod.metadata.namespace ?? '',
      podIsFinished: podIsFinished || (cached?.podIsFinished ?? false),
    });
    void this.syncPod(uid);
  }

  /** Forgets pods that are not in `desired` (housekeeping). */
  // Upstream: status_manager.go (RemoveOrphanedStatuses)
  removeOrphanedStatuses(desired: Set<string>): void {
    for (const uid of [...this.#statuses.keys()]) {
      if (!desired.has(uid)) {
        this.#statuses.delete(uid);
        this.#apiVersions.delete(uid);
      }
    }
  }

  // Upstream: status_manager.go (syncBatch)
  syncBatch(all: boolean): void {
    for (const [uid, s] of this.#statuses) if (all || this.#apiVersions.get(uid) !== s.version) void this.syncPod(uid);
  }

  /** Writes one pod's cached status if the server's differs; deletes the pod once it can be. One at a time per pod. */
  // Upstream: status_manager.go (syncPod)
  syncPod(uid: string): Promise<void> {
    const running = this.#syncing.get(uid);
    if (running) {
      this.#again.add(uid);
      return running;
    }
    const p = this.#syncPod(uid).finally(() => {
      this.#syncing.delete(uid);
      if (this.#again.delete(uid)) void this.syncPod(uid);
    });
    this.#syncing.set(uid, p);
    return p;
  }

  async #syncPod(uid: string): Promise<void> {
    const s = this.#statuses.get(uid);
    if (!s) return;
    const pods = this.o.client.coreV1().pods(s.podNamespace);
    let pod: Pod;
    try {
      pod = (await pods.get(s.podName)) as unknown as Pod;
    } catch {
      return; // "Pod does not exist on the server"
    }
    // A static pod's status goes to its mirror pod, whose own UID differs: translate it back.
    // Upstream: status_manager.go (syncPod, podManager.TranslatePodUID)
    const apiUid = pod.metadata.uid ?? '';
    const translated = isMirrorPod(pod) ? (pod.metadata.annotations?.[ConfigHashAnnotationKey] ?? '') : apiUid;
    // "Pod was deleted and then recreated, skipping status update"
    if (translated !== uid) return;
    const version = s.version;
    const merged = { ...(pod.status ?? {}), ...deepCopy(s.status) };
    if (!isPodStatusByKubeletEqual(pod.status, merged)) {
      try {
        // The UID in the patch is a precondition: a pod recreated under the name is not touched.
        const patch = { metadata: { uid: apiUid }, status: createMergePatch(pod.status ?? {}, merged) };
        pod = (await pods.patch(s.podName, MergePatchType, patch, undefined, 'status')) as unknown as Pod;
        this.o.onPatch?.(pod, merged);
      } catch {
        return; // the next sync tries again
      }
    }
    this.#apiVersions.set(uid, version);
    if (this.#canBeDeleted(pod, s.podIsFinished)) {
      try {
        await pods.delete(s.podName, { gracePeriodSeconds: 0, preconditions: { uid } });
        this.o.onDelete?.(pod);
        this.#statuses.delete(uid);
      } catch {
        // The pod is already gone, or another one took its name: nothing left to do.
      }
    }
  }

  // Upstream: status_manager.go (canBeDeleted)
  #canBeDeleted(pod: Pod, podIsFinished: boolean): boolean {
    if (!pod.metadata.deletionTimestamp || isMirrorPod(pod)) return false;
    const phase = pod.status?.phase;
    if (phase !== 'Failed' && phase !== 'Succeeded') return false;
    return podIsFinished;
  }
}

/**
 * A JSON merge patch (RFC 7386) from `from` to `to`: changed fields, `null` for removed ones,
 * lists whole. Upstream builds a strategic merge patch (statusutil.PatchPodStatus); for the
 * status the kubelet owns entirely the two say the same thing.
 */
// Upstream: pkg/util/pod/pod.go (PatchPodStatus, preparePatchBytesForPodStatus), reduced
export function createMergePatch(from: unknown, to: unknown): unknown {
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObj(from) || !isObj(to)) return to;
  const patch: Record<string, unknown> = {};
  for (const k of Object.keys(from)) if (!(k in to) || to[k] === undefined) patch[k] = null;
  for (const [k, v] of Object.entries(to)) {
    if (v === undefined) continue;
    if (canonicalEqual(from[k], v)) continue;
    patch[k] = isObj(from[k]) && isObj(v) ? createMergePatch(from[k], v) : v;
  }
  return patch;
}
