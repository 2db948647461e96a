/**
 * The DaemonSet controller's helpers: the tolerations every daemon pod gets, the pod template it
 * creates pods from, the node-name affinity that pins a pod to its node, which node a pod is for,
 * whether a pod is of the current revision, surge / unavailable counts, pod availability.
 * Upstream: pkg/controller/daemon/util/daemonset_util.go (AddOrUpdateDaemonPodTolerations,
 * CreatePodTemplate, ReplaceDaemonSetPodNodeNameNodeAffinity, GetTargetNodeName, IsPodUpdated,
 * AllowsSurge, SurgeCount, UnavailableCount), pkg/api/v1/pod/util.go (IsPodAvailable).
 * The revision hash is the history's (`history.ts`, with `../deployment/hash.ts` ComputeHash).
 */
import type { Affinity, Pod, PodSpec, Toleration } from '../../api/core/v1';
import { deepCopy, type ObjectMeta } from '../../core/object';
import { parseRfc3339 } from '../../apiserver/registry/strategy';
import { getScaledValueFromIntOrPercent } from '../deployment/intstr';
import { getPodReadyCondition } from '../util/pod';
import type { DaemonSet } from './types';

/** The pod label holding the revision's hash (Go: `apps.DefaultDaemonSetUniqueLabelKey`, = ControllerRevisionHashLabelKey). */
export const DefaultDaemonSetUniqueLabelKey = 'controller-revision-hash';
/** The legacy label of templateGeneration (Go: `extensions.DaemonSetTemplateGenerationKey`). */
export const DaemonSetTemplateGenerationKey = 'pod-template-generation';

// Taint keys (k8s.io/api core/v1 well_known_taints.go).
export const TaintNodeNotReady = 'node.kubernetes.io/not-ready';
export const TaintNodeUnreachable = 'node.kubernetes.io/unreachable';
export const TaintNodeDiskPressure = 'node.kubernetes.io/disk-pressure';
export const TaintNodeMemoryPressure = 'node.kubernetes.io/memory-pressure';
export const TaintNodePIDPressure = 'node.kubernetes.io/pid-pressure';
export const TaintNodeUnschedulable = 'node.kubernetes.io/unschedulable';
export const TaintNodeNetworkUnavailable = 'node.kubernetes.io/network-unavailable';

const sameToleration = (a: Toleration, b: Toleration) => (a.key ?? '') === (b.key ?? '') && (a.operator ?? 'Equal') === (b.operator ?? 'Equal') && (a.value ?? '') === (b.value ?? '') && (a.effect ?? '') === (b.effect ?? '');

/** Adds `t` unless an equal toleration is there; one with the same key, operator, value and effect is replaced. */
// Upstream: pkg/apis/core/v1/helper (AddOrUpdateTolerationInPodSpec)
export function addOrUpdateTolerationInPodSpec(spec: PodSpec, t: Toleration): boolean {
  const list = spec.tolerations ?? [];
  const i = list.findIndex((x) => sameToleration(x, t));
  if (i >= 0) {
    if (JSON.stringify(list[i]) === JSON.stringify(t)) return false;
    list[i] = t;
  } else list.push(t);
  spec.tolerations = list;
  return true;
}

/**
 * The tolerations every daemon pod carries: a daemon keeps running on a node that is not ready or
 * unreachable (no eviction, no tolerationSeconds) and is placed on nodes under memory, disk or PID
 * pressure or cordoned; a hostNetwork daemon also on a node whose network is not set up yet
 * (the CNI plugin itself is often such a daemon).
 */
// Upstream: daemon/util/daemonset_util.go (AddOrUpdateDaemonPodTolerations)
export function addOrUpdateDaemonPodTolerations(spec: PodSpec): void {
  addOrUpdateTolerationInPodSpec(spec, { key: TaintNodeNotReady, operator: 'Exists', effect: 'NoExecute' });
  addOrUpdateTolerationInPodSpec(spec, { key: TaintNodeUnreachable, operator: 'Exists', effect: 'NoExecute' });
  addOrUpdateTolerationInPodSpec(spec, { key: TaintNodeDiskPressure, operator: 'Exists', effect: 'NoSchedule' });
  addOrUpdateTolerationInPodSpec(spec, { key: TaintNodeMemoryPressure, operator: 'Exists', effect: 'NoSchedule' });
  addOrUpdateTolerationInPodSpec(spec, { key: TaintNodePIDPressure, operator: 'Exists', effect: 'NoSchedule' });
  addOrUpdateTolerationInPodSpec(spec, { key: TaintNodeUnschedulable, operator: 'Exists', effect: 'NoSchedule' });
  if (spec.hostNetwork) addOrUpdateTolerationInPodSpec(spec, { key: TaintNodeNetworkUnavailable, operator: 'Exists', effect: 'NoSchedule' });
}

/** The template pods are created from: the daemon tolerations and the revision's hash label. */
// Upstream: daemon/util/daemonset_util.go (CreatePodTemplate)
export function createPodTemplate(template: DaemonSet['spec']['template'], generation: number | undefined, hash: string): { metadata: ObjectMeta; spec: PodSpec } {
  const t = deepCopy(template) as { metadata?: ObjectMeta; spec: PodSpec };
  addOrUpdateDaemonPodTolerations(t.spec);
  const metadata = t.metadata ?? {};
  if (generation !== undefined) metadata.labels = { ...(metadata.labels ?? {}), [DaemonSetTemplateGenerationKey]: String(generation) };
  if (hash) metadata.labels = { ...(metadata.labels ?? {}), [DefaultDaemonSetUniqueLabelKey]: hash };
  return { metadata, spec: t.spec };
}

/**
 * Pins a pod to `nodeName` through required node affinity on the `metadata.name` field, replacing
 * any required terms: the scheduler then binds it there (and checks resources, ports, ...), where
 * older releases set spec.nodeName themselves and bypassed the scheduler.
 */
// Upstream: daemon/util/daemonset_util.go (ReplaceDaemonSetPodNodeNameNodeAffinity)
export function replaceDaemonSetPodNodeNameNodeAffinity(affinity: Affinity | undefined, nodeName: string): Affinity {
  const terms = [{ matchFields: [{ key: 'metadata.name', operator: 'In' as const, values: [nodeName] }] }];
  const a = affinity ?? {};
  const na = a.nodeAffinity ?? {};
  na.requiredDuringSchedulingIgnoredDuringExecution = { ...(na.requiredDuringSchedulingIgnoredDuringExecution ?? {}), nodeSelectorTerms: terms };
  a.nodeAffinity = na;
  return a;
}

/** The node a daemon pod is for: spec.nodeName once bound, else its metadata.name affinity; undefined if neither. */
// Upstream: daemon/util/daemonset_util.go (GetTargetNodeName)
export function getTargetNodeName(pod: Pod): string | undefined {
  if (pod.spec.nodeName) return pod.spec.nodeName;
  const terms = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  if (terms.length !== 1) return undefined;
  for (const f of terms[0].matchFields ?? []) {
    if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
  }
  return undefined;
}

/** Whether a pod is of the current revision: its hash label, or the legacy template generation. */
// Upstream: daemon/util/daemonset_util.go (IsPodUpdated)
export function isPodUpdated(pod: Pod, hash: string, generation: number | undefined): boolean {
  const labels = pod.metadata.labels ?? {};
  const templateMatches = generation !== undefined && labels[DaemonSetTemplateGenerationKey] === String(generation);
  const hashMatches = hash.length > 0 && labels[DefaultDaemonSetUniqueLabelKey] === hash;
  return hashMatches || templateMatches;
}

/** The legacy `deprecated.daemonset.template.generation` annotation (undefined when absent or unparsable). */
// Upstream: daemon/util/daemonset_util.go (GetTemplateGeneration)
export function getTemplateGeneration(ds: DaemonSet): number | undefined {
  const v = ds.metadata.annotations?.['deprecated.daemonset.template.generation'];
  return v !== undefined && /^-?[0-9]+$/.test(v) ? Number(v) : undefined;
}

/** Whether a rolling update may surge (maxSurge > 0 against a large total). */
// Upstream: daemon/util/daemonset_util.go (AllowsSurge)
export function allowsSurge(ds: DaemonSet): boolean {
  return surgeCount(ds, 1) > 0;
}

/** maxSurge against `numberToSchedule`, rounded up (0 for OnDelete). */
// Upstream: daemon/util/daemonset_util.go (SurgeCount)
export function surgeCount(ds: DaemonSet, numberToSchedule: number): number {
  const ru = ds.spec.updateStrategy?.type === 'RollingUpdate' ? ds.spec.updateStrategy.rollingUpdate : undefined;
  if (!ru || ru.maxSurge === undefined) return 0;
  return getScaledValueFromIntOrPercent(ru.maxSurge, numberToSchedule, true);
}

/** maxUnavailable against `numberToSchedule`, rounded up (0 for OnDelete). */
// Upstream: daemon/util/daemonset_util.go (UnavailableCount)
export function unavailableCount(ds: DaemonSet, numberToSchedule: number): number {
  const ru = ds.spec.updateStrategy?.type === 'RollingUpdate' ? ds.spec.updateStrategy.rollingUpdate : undefined;
  if (!ru || ru.maxUnavailable === undefined) return 0;
  return getScaledValueFromIntOrPercent(ru.maxUnavailable, numberToSchedule, true);
}

/** Ready for at least minReadySeconds (strictly before now, as metav1.Time.Before). */
// Upstream: pkg/api/v1/pod/util.go (IsPodAvailable)
export function isPodAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  const c = getPodReadyCondition(pod);
  if (c?.status !== 'True') return false;
  if (minReadySeconds === 0) return true;
  if (!c.lastTransitionTime) return false;
  // metav1.Time has second precision on the wire.
  return parseRfc3339(c.lastTransitionTime) + minReadySeconds * 1000 < nowMs;
}
