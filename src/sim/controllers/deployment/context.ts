// What the sync, rolling, recreate, rollback and progress steps need from the controller (Go: the
// *DeploymentController receiver of their methods), and the writes they share.
import type { Clientset } from '../../client/clientset';
import type { EventRecorder } from '../../client/record';
import type { FakeClock } from '../../core/clock';
import type { EventEmitter } from '../../core/events';
import type { KubeObject } from '../../core/object';
import type { DeploymentEventMap } from './events';
import type { Deployment, DeploymentCondition, ReplicaSet } from './types';
import { fromWire, toWire } from './wire';

export interface DcContext {
  readonly client: Clientset;
  readonly clock: FakeClock;
  /** Kubernetes Events, component `deployment-controller`. */
  readonly recorder: EventRecorder;
  /** Trace events. */
  readonly events: EventEmitter<DeploymentEventMap, Record<string, never>>;
  /** The ReplicaSet in the informer's cache (Go: `dc.rsLister.ReplicaSets(ns).Get(name)`). */
  cachedReplicaSet(namespace: string, name: string): ReplicaSet | undefined;
  /** Go: `dc.enqueueRateLimited`. */
  enqueueRateLimited(d: Deployment): void;
  /** Go: `dc.enqueueAfter`. */
  enqueueAfter(d: Deployment, afterMs: number): void;
  /** The conditions last written per Deployment key, so the trace names only the changes. */
  readonly tracedConditions: Map<string, DeploymentCondition[]>;
}

export const dname = (d: Deployment | ReplicaSet): string => d.metadata.name ?? '';
export const dkey = (d: Deployment): string => `${d.metadata.namespace ?? ''}/${d.metadata.name ?? ''}`;

/** Go: `dc.eventRecorder.Eventf(d, type, reason, msg)`; written in the background, best effort. */
export function recordEvent(dc: DcContext, d: Deployment, type: 'Normal' | 'Warning', reason: string, message: string): void {
  void dc.recorder.event({ ...(d as unknown as KubeObject), apiVersion: 'apps/v1', kind: 'Deployment' }, type, reason, message);
}

/**
 * Go: `Deployments(ns).UpdateStatus(ctx, d)`: sends `d` (with its resourceVersion, so a stale copy
 * gets 409 Conflict and the sync retries) and traces the conditions that changed.
 */
export async function updateDeploymentStatus(dc: DcContext, d: Deployment): Promise<Deployment> {
  const out = await dc.client.appsV1().deployments(d.metadata.namespace ?? '').updateStatus(toWire(d) as unknown as KubeObject);
  // Only what the API server took is traced.
  traceConditions(dc, d);
  return fromWire(out as unknown as Deployment);
}

/** Go: `Deployments(ns).Update(ctx, d)`. */
export async function updateDeployment(dc: DcContext, d: Deployment): Promise<Deployment> {
  const out = await dc.client.appsV1().deployments(d.metadata.namespace ?? '').update(toWire(d) as unknown as KubeObject);
  return fromWire(out as unknown as Deployment);
}

/** Go: `ReplicaSets(ns).Update(ctx, rs)`. */
export async function updateReplicaSet(dc: DcContext, rs: ReplicaSet): Promise<ReplicaSet> {
  const out = await dc.client.appsV1().replicaSets(rs.metadata.namespace ?? '').update(toWire(rs) as unknown as KubeObject);
  return fromWire(out as unknown as ReplicaSet);
}

function traceConditions(dc: DcContext, d: Deployment): void {
  const before = dc.tracedConditions.get(dkey(d));
  const now = d.status?.conditions ?? [];
  dc.tracedConditions.set(dkey(d), now.map((c) => ({ ...c })));
  if (!dc.events.recording) return;
  for (const c of now) {
    const old = before?.find((x) => x.type === c.type);
    if (old && old.status === c.status && old.reason === c.reason && old.message === c.message) continue;
    dc.events.emit('deployment.condition', { deployment: dkey(d), conditionType: c.type, status: c.status, reason: c.reason ?? '', message: c.message ?? '' });
  }
}
