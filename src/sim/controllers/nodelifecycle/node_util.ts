/**
 * Helpers the node lifecycle controller shares with upstream's other node code:
 * pkg/controller/util/node/controller_utils.go (MarkPodsNotReady, RecordNodeEvent,
 * RecordNodeStatusChange, SwapNodeControllerTaint, GetNodeCondition), pkg/controller/controller_utils.go
 * (AddOrUpdateTaintOnNode, RemoveTaintOffNode), pkg/util/taints (TaintExists, TaintSetDiff),
 * component-helpers node/topology (GetZoneKey), pkg/api/v1/pod (UpdatePodCondition).
 */
import { deepCopy } from '../../core/object';
import type { Node, NodeCondition, Pod, PodCondition, Taint } from '../../api/core/v1';
import { rfc3339 } from '../../apiserver/registry/strategy';
import type { Clientset } from '../../client/clientset';
import type { EventRecorder } from '../../client/record';
import type { FakeClock } from '../../core/clock';
import type { KubeObject } from '../../core/object';

export type Condition = NodeCondition & { lastHeartbeatTime?: string; lastTransitionTime?: string };

export const getNodeCondition = (node: Node, type: string): Condition | undefined => (node.status?.conditions ?? []).find((c) => c.type === type) as Condition | undefined;

/** Taints match on key and effect (Go: Taint.MatchTaint). */
export const matchTaint = (a: Taint, b: Taint) => a.key === b.key && a.effect === b.effect;
export const taintExists = (taints: readonly Taint[] | undefined, t: Taint) => (taints ?? []).some((x) => matchTaint(x, t));

// Upstream: pkg/util/taints/taints.go (TaintSetDiff)
export function taintSetDiff(target: readonly Taint[], current: readonly Taint[]): [Taint[], Taint[]] {
  const toAdd = target.filter((t) => !taintExists(current, t));
  const toRemove = current.filter((t) => !taintExists(target, t));
  return [toAdd, toRemove];
}

// Upstream: component-helpers node/topology/helpers.go (GetZoneKey): region ":\0:" zone, '' without either
export function getZoneKey(node: Node): string {
  const l = node.metadata.labels ?? {};
  const zone = l['topology.kubernetes.io/zone'] ?? l['failure-domain.beta.kubernetes.io/zone'] ?? '';
  const region = l['topology.kubernetes.io/region'] ?? l['failure-domain.beta.kubernetes.io/region'] ?? '';
  if (region === '' && zone === '') return '';
  return `${region}:\x00:${zone}`;
}

const nodeRef = (node: Node): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: node.metadata.name, uid: node.metadata.uid } });

// Upstream: controller_utils.go (RecordNodeEvent)
export const recordNodeEvent = (r: EventRecorder, node: Node, type: 'Normal' | 'Warning', reason: string, event: string) => void r.event(nodeRef(node), type, reason, `Node ${node.metadata.name ?? ''} event: ${event}`);
// Upstream: controller_utils.go (RecordNodeStatusChange)
export const recordNodeStatusChange = (r: EventRecorder, node: Node, newStatus: string) => void r.event(nodeRef(node), 'Normal', newStatus, `Node ${node.metadata.name ?? ''} status is now: ${newStatus}`);

const isConflict = (e: unknown) => (e as { status?: { reason?: string } }).status?.reason === 'Conflict';
const isNotFound = (e: unknown) => (e as { status?: { reason?: string } }).status?.reason === 'NotFound';
/** Go: UpdateTaintBackoff (retries on conflict). */
const updateTaintRetries = 5;

/**
 * Adds `add` (stamped with timeAdded now) and removes `remove` in one update, re-reading the Node
 * on a conflict. Returns false when the update failed.
 */
// Upstream: controller_utils.go (SwapNodeControllerTaint), pkg/controller/controller_utils.go (AddOrUpdateTaintOnNode, RemoveTaintOffNode)
export async function swapNodeControllerTaint(client: Clientset, clock: FakeClock, add: readonly Taint[], remove: readonly Taint[], node: Node): Promise<boolean> {
  const stamped = add.map((t) => ({ ...t, timeAdded: rfc3339(clock.now()) }));
  for (let i = 0; i < updateTaintRetries; i++) {
    let current: Node;
    try {
      // The first try reads the API server's cache, as upstream does.
      current = (await client.coreV1().nodes().get(node.metadata.name ?? '', i === 0 ? { resourceVersion: '0' } : undefined)) as unknown as Node;
    } catch (e) {
      if (isNotFound(e)) return false;
      continue;
    }
    const taints = (current.spec?.taints ?? []).filter((t) => !taintExists(remove, t) && !taintExists(stamped, t));
    const next = [...taints, ...stamped];
    const before = current.spec?.taints ?? [];
    if (before.length === next.length && stamped.every((t) => taintExists(before, t)) && !remove.some((t) => taintExists(before, t))) return true;
    current.spec = { ...(current.spec ?? {}), taints: next };
    if (next.length === 0) delete current.spec.taints;
    try {
      await client.coreV1().nodes().update(current as unknown as KubeObject);
      return true;
    } catch (e) {
      if (!isConflict(e)) return false;
    }
  }
  return false;
}

/** Sets a pod's condition; false when nothing changed. The transition time moves only with the status. */
// Upstream: pkg/api/v1/pod/util.go (UpdatePodCondition)
export function updatePodCondition(pod: Pod, condition: PodCondition, nowRfc3339: string): boolean {
  const conditions = (pod.status ??= {}).conditions ??= [];
  const i = conditions.findIndex((c) => c.type === condition.type);
  if (i < 0) {
    conditions.push({ ...condition, lastTransitionTime: nowRfc3339 });
    return true;
  }
  const old = conditions[i];
  const next = { ...condition, lastTransitionTime: condition.status === old.status ? old.lastTransitionTime : nowRfc3339 };
  const same = next.status === old.status && next.reason === old.reason && next.message === old.message && next.lastProbeTime === old.lastProbeTime && next.lastTransitionTime === old.lastTransitionTime;
  conditions[i] = next;
  return !same;
}

/** Sets Ready=False on each pod of the node and records NodeNotReady on it. Returns the errors' messages. */
// Upstream: controller_utils.go (MarkPodsNotReady)
export async function markPodsNotReady(client: Clientset, clock: FakeClock, recorder: EventRecorder, pods: readonly Pod[], nodeName: string): Promise<string[]> {
  const errs: string[] = [];
  for (const p of pods) {
    if (p.spec.nodeName !== nodeName) continue;
    const pod = deepCopy(p);
    const ready = (pod.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready');
    if (!ready) continue;
    if (!updatePodCondition(pod, { ...ready, status: 'False' }, rfc3339(clock.now()))) continue;
    try {
      await client.coreV1().pods(pod.metadata.namespace ?? '').updateStatus(pod as unknown as KubeObject);
    } catch (e) {
      if (isNotFound(e)) continue;
      errs.push((e as Error).message);
    }
    void recorder.event(pod as unknown as KubeObject, 'Warning', 'NodeNotReady', 'Node is not ready');
  }
  return errs;
}
