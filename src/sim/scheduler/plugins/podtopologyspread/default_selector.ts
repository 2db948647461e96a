/**
 * The selector a pod without its own spread constraints is spread by: the union of its Services'
 * selectors and its controller's selector. The informer listers it reads are not in the
 * framework's ObjectListers yet, so they are optional here: a handle without them spreads
 * nothing by default, as a pod without Services or a controller would.
 * Upstream: pkg/scheduler/framework/plugins/helper/spread.go (DefaultSelector, GetPodServices)
 */
import type { Pod } from '../../../api/core/v1';
import type { ObjectMeta } from '../../../core/object';
import { labelSelectorAsSelector, selectorFromSet, type Selector } from '../../../apimachinery/labels';
import type { LabelSelector } from '../../../apimachinery/validation';
import type { ObjectListers } from '../../framework/interface';

export interface Service {
  metadata: ObjectMeta;
  spec?: { selector?: Record<string, string> | null };
}
export interface ReplicationController {
  metadata: ObjectMeta;
  spec?: { selector?: Record<string, string> | null };
}
export interface ReplicaSet {
  metadata: ObjectMeta;
  spec?: { selector?: LabelSelector | null };
}
export interface StatefulSet {
  metadata: ObjectMeta;
  spec?: { selector?: LabelSelector | null };
}

/** The listers this plugin reads besides the framework's (Go: the informer factory's). */
export interface SpreadListers {
  services?(namespace: string): Service[];
  replicationControllers?(namespace: string): ReplicationController[];
  replicaSets?(namespace: string): ReplicaSet[];
  statefulSets?(namespace: string): StatefulSet[];
}

export type ListersWithSpread = ObjectListers & SpreadListers;

/** Go: `GetPodServices`: a service with a nil selector matches nothing. */
export function getPodServices(listers: SpreadListers, pod: Pod): Service[] {
  const all = listers.services?.(pod.metadata.namespace ?? '') ?? [];
  return all.filter((s) => s.spec?.selector != null && selectorFromSet(s.spec.selector).matches(pod.metadata.labels ?? {}));
}

/** Go: `metav1.GetControllerOfNoCopy`. */
function controllerOf(pod: Pod) {
  return (pod.metadata.ownerReferences ?? []).find((r) => r.controller === true);
}

function byName<T extends { metadata: ObjectMeta }>(list: T[] | undefined, name: string): T | undefined {
  return (list ?? []).find((o) => o.metadata.name === name);
}

/** Adds the requirements of a LabelSelector, or nothing when it does not parse (Go ignores the error). */
function addRequirements(selector: Selector, ls: LabelSelector | null | undefined): Selector {
  try {
    const { requirements, selectable } = labelSelectorAsSelector(ls).requirements();
    return selectable ? selector.add(...requirements) : selector;
  } catch {
    return selector;
  }
}

/** Upstream: pkg/scheduler/framework/plugins/helper/spread.go (DefaultSelector) */
export function defaultSelector(pod: Pod, listers: SpreadListers): Selector {
  const labelSet: Record<string, string> = {};
  for (const s of getPodServices(listers, pod)) Object.assign(labelSet, s.spec?.selector ?? {});
  let selector = selectorFromSet(labelSet);
  const owner = controllerOf(pod);
  if (!owner) return selector;
  const ns = pod.metadata.namespace ?? '';
  // The group/version must be exact: "v1" for RCs, "apps/v1" for ReplicaSets and StatefulSets.
  const gvk = `${owner.apiVersion}/${owner.kind}`;
  if (gvk === 'v1/ReplicationController') {
    const rc = byName(listers.replicationControllers?.(ns), owner.name);
    if (rc) selector = selectorFromSet({ ...labelSet, ...(rc.spec?.selector ?? {}) });
  } else if (gvk === 'apps/v1/ReplicaSet') {
    const rs = byName(listers.replicaSets?.(ns), owner.name);
    if (rs) selector = addRequirements(selector, rs.spec?.selector);
  } else if (gvk === 'apps/v1/StatefulSet') {
    const ss = byName(listers.statefulSets?.(ns), owner.name);
    if (ss) selector = addRequirements(selector, ss.spec?.selector);
  }
  return selector;
}
