/**
 * The scheduler's volume binder, reduced to the decisions Filter makes: pkg/scheduler/framework/plugins/
 * volumebinding/binder.go (GetPodVolumeClaims, GetEligibleNodes, FindPodVolumes, checkBoundClaims,
 * findMatchingVolumes, checkVolumeProvisions) and k8s.io/component-helpers storage/volume
 * (FindMatchingVolume, CheckNodeAffinity, IsVolumeBoundToClaim, CheckAccessModes, GetPersistentVolumeClaimClass)
 * at v1.34. Objects come from the informer listers (`handle.listers()`), as upstream's caches do.
 */
import type { Node, PersistentVolume, PersistentVolumeClaim, Pod } from '../../../api/core/v1';
import type { StorageClass } from '../../../api/storage/v1';
import { parseQuantity } from '../../../apimachinery/quantity';
import { labelSelectorAsSelector } from '../../../apimachinery/labels';
import type { LabelSelector } from '../../../apimachinery/validation';
import type { ObjectListers } from '../../framework/interface';
import { matchNodeSelectorTerms } from '../helper';

export const ErrReasonBindConflict = "node(s) didn't find available persistent volumes to bind";
export const ErrReasonNodeConflict = 'node(s) had volume node affinity conflict';
export const ErrReasonNotEnoughSpace = 'node(s) did not have enough free storage';
export const ErrReasonPVNotExist = 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)';

/** Well-known annotations (k8s.io/component-helpers storage/volume). */
export const AnnBindCompleted = 'pv.kubernetes.io/bind-completed';
export const AnnSelectedNode = 'volume.kubernetes.io/selected-node';
const AnnStorageClass = 'volume.beta.kubernetes.io/storage-class';
/** Go: `volume.NotSupportedProvisioner`: a class for statically provisioned volumes only. */
export const NotSupportedProvisioner = 'kubernetes.io/no-provisioner';
const LabelHostname = 'kubernetes.io/hostname';

/** Go: `PodVolumeClaims`. */
export interface PodVolumeClaims {
  boundClaims: PersistentVolumeClaim[];
  unboundClaimsDelayBinding: PersistentVolumeClaim[];
  unboundClaimsImmediate: PersistentVolumeClaim[];
  /** Storage class name -> the PVs of that class. */
  unboundVolumesDelayBinding: Map<string, PersistentVolume[]>;
}

/** Go: `PodVolumes`: what Filter found for one node. */
export interface PodVolumes {
  staticBindings: { pv: PersistentVolume; pvc: PersistentVolumeClaim }[];
  dynamicProvisions: PersistentVolumeClaim[];
}

/** Go: `GetPersistentVolumeClaimClass`: the beta annotation wins over spec.storageClassName. */
export function claimClass(pvc: PersistentVolumeClaim): string {
  return pvc.metadata.annotations?.[AnnStorageClass] ?? pvc.spec.storageClassName ?? '';
}
/** Go: `GetPersistentVolumeClass`. */
export function volumeClass(pv: PersistentVolume): string {
  return pv.metadata.annotations?.[AnnStorageClass] ?? pv.spec.storageClassName ?? '';
}

function storageOf(rl: Record<string, string | number> | undefined): number {
  const q = rl?.storage;
  return q === undefined ? 0 : parseQuantity(String(q)).value();
}

/**
 * Go: `isPVCFullyBound`: volumeName set and the bind-completed annotation. The model also takes
 * phase Bound as bound, for clusters that run no PV controller to set the annotation.
 */
export function isPVCFullyBound(pvc: PersistentVolumeClaim): boolean {
  if (!pvc.spec.volumeName) return false;
  return pvc.metadata.annotations?.[AnnBindCompleted] !== undefined || pvc.status?.phase === 'Bound';
}

/** Go: `IsDelayBindingMode`: a missing class means Immediate; an omitted mode is Immediate (API default). */
function isDelayBindingMode(pvc: PersistentVolumeClaim, classes: StorageClass[]): boolean {
  const name = claimClass(pvc);
  if (!name) return false;
  const sc = classes.find((c) => c.metadata.name === name);
  return sc?.volumeBindingMode === 'WaitForFirstConsumer';
}

/** The claim names a pod's volumes refer to, generic ephemeral volumes as `<pod>-<volume>`. */
export function podClaimNames(pod: Pod): { name: string; ephemeral: boolean }[] {
  const out: { name: string; ephemeral: boolean }[] = [];
  for (const v of pod.spec.volumes ?? []) {
    if (v.persistentVolumeClaim) out.push({ name: v.persistentVolumeClaim.claimName, ephemeral: false });
    else if (v.ephemeral) out.push({ name: `${pod.metadata.name ?? ''}-${v.name}`, ephemeral: true });
  }
  return out;
}

/** Go: `GetPodVolumeClaims`. Claims are known to exist (PreFilter checked them first). */
export function getPodVolumeClaims(pod: Pod, listers: ObjectListers): PodVolumeClaims {
  const ns = pod.metadata.namespace ?? 'default';
  const classes = listers.storageClasses();
  const c: PodVolumeClaims = { boundClaims: [], unboundClaimsDelayBinding: [], unboundClaimsImmediate: [], unboundVolumesDelayBinding: new Map() };
  for (const { name } of podClaimNames(pod)) {
    const pvc = listers.getPersistentVolumeClaim(ns, name);
    if (!pvc) throw new Error(`error getting PVC "${ns}/${name}": persistentvolumeclaim "${name}" not found`);
    if (isPVCFullyBound(pvc)) c.boundClaims.push(pvc);
    // A pre-bound claim (volumeName set, not yet bound) waits for the PV controller like an immediate one.
    else if (isDelayBindingMode(pvc, classes) && !pvc.spec.volumeName) c.unboundClaimsDelayBinding.push(pvc);
    else c.unboundClaimsImmediate.push(pvc);
  }
  for (const pvc of c.unboundClaimsDelayBinding) {
    const cls = claimClass(pvc);
    c.unboundVolumesDelayBinding.set(cls, listers.persistentVolumes().filter((pv) => volumeClass(pv) === cls));
  }
  return c;
}

/** Go: util `GetLocalPersistentVolumeNodeNames`: the hostnames a PV's `kubernetes.io/hostname In` terms pin it to. */
function localVolumeNodeNames(pv: PersistentVolume): Set<string> {
  const result = new Set<string>();
  for (const term of pv.spec.nodeAffinity?.required?.nodeSelectorTerms ?? []) {
    let nodes = null as Set<string> | null;
    for (const e of term.matchExpressions ?? []) {
      if (e.key !== LabelHostname || e.operator !== 'In') continue;
      const s = new Set<string>(e.values ?? []);
      nodes = nodes ? new Set([...nodes].filter((n) => s.has(n))) : s;
    }
    for (const n of nodes ?? []) result.add(n);
  }
  return result;
}

/** Go: `GetEligibleNodes`: the nodes every bound local PV allows, or null for no narrowing. */
export function getEligibleNodes(boundClaims: PersistentVolumeClaim[], pvs: PersistentVolume[]): Set<string> | null {
  let eligible = null as Set<string> | null;
  for (const pvc of boundClaims) {
    const pv = pvs.find((p) => p.metadata.name === pvc.spec.volumeName);
    if (!pv) return null;
    const names = localVolumeNodeNames(pv);
    if (names.size === 0) continue;
    eligible = eligible ? new Set([...eligible].filter((n) => names.has(n))) : names;
  }
  return eligible;
}

/** Go: `CheckNodeAffinity`: matched against the node's labels only (no name, so matchFields are skipped). */
export function checkNodeAffinity(pv: PersistentVolume, nodeLabels: Record<string, string>): string | null {
  const req = pv.spec.nodeAffinity?.required;
  if (!req) return null;
  const [ok, err] = matchNodeSelectorTerms({ metadata: { labels: nodeLabels } }, req);
  if (err) return err;
  return ok ? null : 'no matching NodeSelectorTerms';
}

/** Go: `IsVolumeBoundToClaim`. */
function isVolumeBoundToClaim(pv: PersistentVolume, pvc: PersistentVolumeClaim): boolean {
  const ref = pv.spec.claimRef;
  if (!ref) return false;
  if (ref.name !== pvc.metadata.name || (ref.namespace ?? '') !== (pvc.metadata.namespace ?? 'default')) return false;
  return !ref.uid || ref.uid === pvc.metadata.uid;
}

/** Go: `CheckAccessModes`: the PV offers every mode the claim asks for. */
function checkAccessModes(pvc: PersistentVolumeClaim, pv: PersistentVolume): boolean {
  const have = new Set(pv.spec.accessModes ?? []);
  return (pvc.spec.accessModes ?? []).every((m) => have.has(m));
}

/** Go: `CheckVolumeModeMismatches`: Filesystem unless set. */
function volumeModeMismatch(pvc: PersistentVolumeClaim, pv: PersistentVolume): boolean {
  return ((pvc.spec.volumeMode as string | undefined) ?? 'Filesystem') !== ((pv.spec.volumeMode as string | undefined) ?? 'Filesystem');
}

/**
 * Go: `FindMatchingVolume` on the scheduler path: a PV pre-bound to the claim wins (if its node
 * affinity allows the node), else the smallest Available PV of the claim's class that is big enough,
 * selected by the claim's selector, allowed on the node, with the access modes and the same
 * volumeAttributesClassName. A PV without a status counts as Available: the model runs no PV
 * controller to set the phase.
 */
export function findMatchingVolume(pvc: PersistentVolumeClaim, volumes: PersistentVolume[], node: Node, excluded: Set<string>): PersistentVolume | null {
  const requested = storageOf(pvc.spec.resources?.requests);
  const requestedClass = claimClass(pvc);
  const sel = pvc.spec.selector ? labelSelectorAsSelector(pvc.spec.selector as LabelSelector) : null;
  let smallest: PersistentVolume | null = null;
  let smallestQty = 0;
  for (const pv of volumes) {
    if (excluded.has(pv.metadata.name ?? '')) continue;
    if (pv.spec.claimRef && !isVolumeBoundToClaim(pv, pvc)) continue;
    const qty = storageOf(pv.spec.capacity);
    if (qty < requested) continue;
    if (volumeModeMismatch(pvc, pv)) continue;
    // VolumeAttributesClass is GA (on) in v1.34: the classes must be equal, unset counting as "".
    if ((pvc.spec.volumeAttributesClassName ?? '') !== (pv.spec.volumeAttributesClassName ?? '')) continue;
    if (pv.metadata.deletionTimestamp) continue;
    const affinityOK = checkNodeAffinity(pv, node.metadata.labels ?? {}) === null;
    if (isVolumeBoundToClaim(pv, pvc)) return affinityOK ? pv : null;
    if ((pv.status?.phase ?? 'Available') !== 'Available') continue;
    if (sel && !sel.matches(pv.metadata.labels ?? {})) continue;
    if (volumeClass(pv) !== requestedClass) continue;
    if (!affinityOK) continue;
    if (!checkAccessModes(pvc, pv)) continue;
    if (!smallest || smallestQty > qty) {
      smallest = pv;
      smallestQty = qty;
    }
  }
  return smallest;
}

/** Go: `MatchTopologySelectorTerms`: no terms allow every node; terms are ORed, expressions ANDed. */
function matchTopology(terms: { matchLabelExpressions?: { key: string; values: string[] }[] }[] | undefined, labels: Record<string, string>): boolean {
  if (!terms || terms.length === 0) return true;
  return terms.some((t) => (t.matchLabelExpressions ?? []).every((e) => labels[e.key] !== undefined && e.values.includes(labels[e.key])));
}

/** Go: `FindPodVolumes`: the conflict reasons for one node, or throws an error for a broken object. */
export function findPodVolumes(claims: PodVolumeClaims, node: Node, listers: ObjectListers): { podVolumes: PodVolumes; reasons: string[] } {
  let boundSatisfied = true;
  let boundPVsFound = true;
  let unboundSatisfied = true;
  const sufficientStorage = true;
  const podVolumes: PodVolumes = { staticBindings: [], dynamicProvisions: [] };
  const pvs = listers.persistentVolumes();
  const labels = node.metadata.labels ?? {};
  const reasons = () => [
    ...(boundSatisfied ? [] : [ErrReasonNodeConflict]),
    ...(unboundSatisfied ? [] : [ErrReasonBindConflict]),
    ...(boundPVsFound ? [] : [ErrReasonPVNotExist]),
    ...(sufficientStorage ? [] : [ErrReasonNotEnoughSpace]),
  ];

  for (const pvc of claims.boundClaims) {
    const pv = pvs.find((p) => p.metadata.name === pvc.spec.volumeName);
    if (!pv) {
      boundPVsFound = false;
      break;
    }
    if (checkNodeAffinity(pv, labels) !== null) {
      boundSatisfied = false;
      break;
    }
  }

  if (claims.unboundClaimsDelayBinding.length === 0) return { podVolumes, reasons: reasons() };
  const toMatch: PersistentVolumeClaim[] = [];
  const toProvision: PersistentVolumeClaim[] = [];
  for (const pvc of claims.unboundClaimsDelayBinding) {
    const selected = pvc.metadata.annotations?.[AnnSelectedNode];
    if (selected === undefined) toMatch.push(pvc);
    else if (selected !== node.metadata.name) {
      unboundSatisfied = false;
      return { podVolumes, reasons: reasons() };
    } else toProvision.push(pvc);
  }
  if (toMatch.length) {
    // The smallest claims pick first, so each gets the smallest PV that fits.
    const sorted = [...toMatch].sort((a, b) => storageOf(a.spec.resources?.requests) - storageOf(b.spec.resources?.requests));
    const chosen = new Set<string>();
    for (const pvc of sorted) {
      const pv = findMatchingVolume(pvc, claims.unboundVolumesDelayBinding.get(claimClass(pvc)) ?? [], node, chosen);
      if (!pv) {
        toProvision.push(pvc);
        unboundSatisfied = false;
        continue;
      }
      chosen.add(pv.metadata.name ?? '');
      podVolumes.staticBindings.push({ pv, pvc });
    }
  }
  if (toProvision.length) {
    unboundSatisfied = true;
    const classes = listers.storageClasses();
    for (const pvc of toProvision) {
      const name = claimClass(pvc);
      if (!name) throw new Error(`no class for claim "${pvc.metadata.namespace ?? 'default'}/${pvc.metadata.name}"`);
      const sc = classes.find((c) => c.metadata.name === name);
      if (!sc) throw new Error(`failed to find storage class "${name}"`);
      const allowed = sc.allowedTopologies as Parameters<typeof matchTopology>[0];
      if (!sc.provisioner || sc.provisioner === NotSupportedProvisioner || !matchTopology(allowed, labels)) {
        unboundSatisfied = false;
        podVolumes.dynamicProvisions = [];
        break;
      }
      podVolumes.dynamicProvisions.push(pvc);
    }
  }
  return { podVolumes, reasons: reasons() };
}
