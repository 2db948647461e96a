// Which ReplicaSet is the Deployment's "new" one and which are old: template equality minus the hash.
// Upstream: pkg/controller/deployment/util/deployment_util.go
import { type PodTemplateSpec, type ReplicaSet, type Deployment, DefaultDeploymentUniqueLabelKey } from './types';

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v).length === 0;
}

/**
 * apimachinery's semantic deep equality on plain data: like Go's forked reflect.DeepEqual, an empty
 * map or list equals an absent one. Upstream: apimachinery pkg/api/equality (Semantic.DeepEqual)
 */
export function semanticDeepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isEmpty(a) && isEmpty(b) && (a == null || b == null || Array.isArray(a) === Array.isArray(b))) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => semanticDeepEqual(x, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) if (!semanticDeepEqual(ao[k], bo[k])) return false;
  return true;
}

function withoutHash(t: PodTemplateSpec): PodTemplateSpec {
  const labels = { ...(t.metadata?.labels ?? {}) };
  delete labels[DefaultDeploymentUniqueLabelKey];
  return { ...t, metadata: { ...(t.metadata ?? {}), labels } };
}

/**
 * Two pod templates are the same apart from the pod-template-hash label (the Deployment's template
 * has none; the hash also changes when the API adds fields). Neither input is changed.
 * Upstream: deployment_util.go (EqualIgnoreHash)
 */
export function equalIgnoreHash(t1: PodTemplateSpec, t2: PodTemplateSpec): boolean {
  return semanticDeepEqual(withoutHash(t1), withoutHash(t2));
}

function creationMs(rs: ReplicaSet): number {
  const t = rs.metadata.creationTimestamp;
  return t === undefined ? Number.NEGATIVE_INFINITY : Date.parse(t);
}

/**
 * Oldest first, ties by name. Returns a sorted copy (upstream sorts the caller's slice in place).
 * Upstream: pkg/controller/controller_utils.go (ReplicaSetsByCreationTimestamp)
 */
export function sortReplicaSetsByCreationTimestamp(rss: readonly ReplicaSet[]): ReplicaSet[] {
  return [...rss].sort((a, b) => {
    const ta = creationMs(a);
    const tb = creationMs(b);
    if (ta === tb) return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : (a.metadata.name ?? '') > (b.metadata.name ?? '') ? 1 : 0;
    return ta < tb ? -1 : 1;
  });
}

/**
 * The ReplicaSet whose template is the Deployment's (ignoring the hash); the oldest one if several
 * match (possible after upgrades, kubernetes#40415); undefined when there is none yet.
 * Upstream: deployment_util.go (FindNewReplicaSet)
 */
export function findNewReplicaSet(d: Deployment, rsList: readonly ReplicaSet[]): ReplicaSet | undefined {
  return sortReplicaSetsByCreationTimestamp(rsList).find((rs) => equalIgnoreHash(rs.spec.template, d.spec.template));
}

/**
 * Every ReplicaSet but the new one (`allOldRSs`), and those of them with spec.replicas > 0
 * (`oldRSs`, the ones that still need scaling down), in creation order.
 * Upstream: deployment_util.go (FindOldReplicaSets)
 */
export function findOldReplicaSets(d: Deployment, rsList: readonly ReplicaSet[]): { oldRSs: ReplicaSet[]; allOldRSs: ReplicaSet[] } {
  const newRS = findNewReplicaSet(d, rsList);
  const allOldRSs = sortReplicaSetsByCreationTimestamp(rsList).filter((rs) => !(newRS && rs.metadata.uid === newRS.metadata.uid));
  return { oldRSs: allOldRSs.filter((rs) => (rs.spec.replicas ?? 1) !== 0), allOldRSs };
}

/**
 * The one ReplicaSet to scale when at most one is active (spec.replicas > 0): that one, or with none
 * active the new one, else the newest old one. Undefined when several are active (scale them
 * proportionally) or there are none. Upstream: deployment_util.go (FindActiveOrLatest)
 */
export function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const newestFirst = sortReplicaSetsByCreationTimestamp(oldRSs).reverse();
  // Upstream: controller_utils.go (FilterActiveReplicaSets)
  const active = [...newestFirst, newRS].filter((rs): rs is ReplicaSet => rs !== undefined && (rs.spec.replicas ?? 1) > 0);
  if (active.length === 0) return newRS ?? newestFirst[0];
  return active.length === 1 ? active[0] : undefined;
}
