/**
 * The kubelet's node lease: component-helpers v0.34.0 apimachinery/lease/controller.go
 * (`NewController`, `Run`, `sync`, `backoffEnsureLease`, `ensureLease`, `retryUpdateLease`,
 * `newLease`) with the kubelet's settings (pkg/kubelet/kubelet.go: a Lease named after the node in
 * kube-node-lease, leaseDurationSeconds 40, renewed every 0.25 x 40 = 10 s) and its post-process
 * function pkg/kubelet/util/nodelease.go (`SetNodeOwnerFunc`: an ownerReference to the Node).
 */
import { deepCopy } from '../../core/object';
import type { Clientset } from '../../client/clientset';
import type { FakeClock } from '../../core/clock';
import { resolveEnv } from '../../core/env';
import { EventEmitter } from '../../core/events';
import type { Timer } from '../../core/loop';
import type { KubeObject } from '../../core/object';
import { rngFromSeed, type Rng } from '../../core/rng';
import type { TraceRecorder } from '../../core/trace';
import { nodeStatusEvents } from './events';

export const NamespaceNodeLease = 'kube-node-lease';
/** kubelet config default nodeLeaseDurationSeconds. */
export const defaultNodeLeaseDurationSeconds = 40;
/** Go: nodeLeaseRenewIntervalFraction. */
export const nodeLeaseRenewIntervalFraction = 0.25;
/** Go: maxUpdateRetries, maxBackoff. */
export const maxUpdateRetries = 5;
export const maxBackoffMs = 7000;

export interface NodeLeaseControllerOptions {
  client: Clientset;
  clock: FakeClock;
  nodeName: string;
  leaseDurationSeconds?: number;
  /** Default: leaseDurationSeconds x 0.25. */
  renewIntervalMs?: number;
  /** Called after the second failed update in a row (the kubelet closes its connections). */
  onRepeatedHeartbeatFailure?: () => void;
  rng?: Rng;
  trace?: TraceRecorder;
}

export interface NodeLeaseController {
  /** Renews now, then every renewInterval (+ up to 4 % jitter) after the previous renewal ended. */
  run(): void;
  stop(): void;
  /** One renewal (Go: sync). */
  sync(): Promise<void>;
  /** The lease as last written (Go: latestLease). */
  readonly latestLease: KubeObject | undefined;
}

/** metav1.MicroTime's JSON: RFC 3339 with six fractional digits. */
// Upstream: apimachinery pkg/apis/meta/v1/micro_time.go (RFC3339Micro)
export function microTime(ms: number): string {
  const d = new Date(Math.floor(ms)); // allow-nondeterminism: formats virtual time, reads no clock
  const micros = String(Math.round((ms - Math.floor(ms / 1000) * 1000) * 1000)).padStart(6, '0');
  return `${d.toISOString().slice(0, 19)}.${micros}Z`;
}

const isNotFound = (e: unknown) => (e as { status?: { reason?: string } }).status?.reason === 'NotFound';
const isConflict = (e: unknown) => (e as { status?: { reason?: string } }).status?.reason === 'Conflict';

// Upstream: component-helpers apimachinery/lease/controller.go (NewController), kubelet.go (the call)
export function newNodeLeaseController(o: NodeLeaseControllerOptions): NodeLeaseController {
  const { client, clock, nodeName } = o;
  const duration = o.leaseDurationSeconds ?? defaultNodeLeaseDurationSeconds;
  const renewMs = o.renewIntervalMs ?? duration * 1000 * nodeLeaseRenewIntervalFraction;
  const rng = o.rng ?? rngFromSeed(`nodelease/${nodeName}`);
  const events = new EventEmitter(nodeStatusEvents, resolveEnv({ clock, rng, trace: o.trace }), {});
  const leases = () => client.coordinationV1().leases(NamespaceNodeLease);
  let latestLease: KubeObject | undefined;
  let stopped = false;
  let timer: Timer | undefined;

  // Upstream: pkg/kubelet/util/nodelease.go (SetNodeOwnerFunc): until it succeeds, each renewal tries to set the owner
  async function setNodeOwner(lease: KubeObject): Promise<void> {
    if ((lease.metadata.ownerReferences ?? []).length > 0) return;
    const node = await client.coreV1().nodes().get(nodeName);
    lease.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: node.metadata.uid ?? '' }];
  }

  // Upstream: controller.go (controller.newLease)
  async function newLease(base: KubeObject | undefined): Promise<KubeObject> {
    const lease: KubeObject = base
      ? deepCopy(base)
      : { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: nodeName, namespace: NamespaceNodeLease }, spec: { holderIdentity: nodeName } };
    const spec = (lease.spec ??= {}) as Record<string, unknown>;
    spec.leaseDurationSeconds = duration;
    spec.renewTime = microTime(clock.now());
    await setNodeOwner(lease);
    return lease;
  }

  // Upstream: controller.go (controller.ensureLease): a missing Node means no lease yet, and no error
  async function ensureLease(): Promise<{ lease?: KubeObject; created: boolean }> {
    try {
      return { lease: await leases().get(nodeName), created: false };
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    let toCreate: KubeObject;
    try {
      toCreate = await newLease(undefined);
    } catch {
      return { created: false };
    }
    const lease = await leases().create(toCreate);
    events.emit('nodelease.renew', { node: nodeName, created: true, renewTime: String((lease.spec as Record<string, unknown>).renewTime), error: '' });
    return { lease, created: true };
  }

  // Upstream: controller.go (controller.backoffEnsureLease): 200 ms doubling to 7 s between failures
  async function backoffEnsureLease(): Promise<{ lease?: KubeObject; created: boolean }> {
    let sleepMs = 100;
    for (;;) {
      try {
        return await ensureLease();
      } catch (e) {
        sleepMs = Math.min(2 * sleepMs, maxBackoffMs);
        events.emit('nodelease.renew', { node: nodeName, created: false, renewTime: '', error: `failed to ensure lease exists, will retry in ${sleepMs / 1000}s: ${(e as Error).message}` });
        if (stopped) return { created: false };
        await clock.sleep(sleepMs);
      }
    }
  }

  // Upstream: controller.go (controller.retryUpdateLease)
  async function retryUpdateLease(base: KubeObject | undefined): Promise<boolean> {
    for (let i = 0; i < maxUpdateRetries; i++) {
      let err: unknown;
      try {
        if (!base) throw new Error('no lease to update');
        const lease = await leases().update(await newLease(base));
        latestLease = lease;
        events.emit('nodelease.renew', { node: nodeName, created: false, renewTime: String((lease.spec as Record<string, unknown>).renewTime), error: '' });
        return true;
      } catch (e) {
        err = e;
      }
      if (isConflict(err)) {
        base = (await backoffEnsureLease()).lease;
        continue;
      }
      if (i > 0) o.onRepeatedHeartbeatFailure?.();
    }
    events.emit('nodelease.renew', { node: nodeName, created: false, renewTime: '', error: `failed ${maxUpdateRetries} attempts to update lease` });
    return false;
  }

  // Upstream: controller.go (controller.sync)
  async function sync(): Promise<void> {
    if (latestLease && (await retryUpdateLease(latestLease))) return;
    const { lease, created } = await backoffEnsureLease();
    latestLease = lease;
    if (!created && lease) await retryUpdateLease(lease);
  }

  // Upstream: controller.go (controller.Run: wait.JitterUntilWithContext(sync, renewInterval, 0.04, sliding))
  function loop(): void {
    if (stopped) return;
    void sync().then(() => {
      if (stopped) return;
      timer = clock.afterFunc(renewMs + Math.floor(rng.float() * 0.04 * renewMs), loop);
    });
  }

  return {
    run: loop,
    stop() {
      stopped = true;
      timer?.stop();
    },
    sync,
    get latestLease() {
      return latestLease;
    },
  };
}
