/**
 * Upstream: pkg/scheduler/framework/plugins/volumebinding/volume_binding.go (VolumeBinding.PreFilter,
 * podHasPVCs, Filter, PreScore, EventsToRegister and its queueing hints) at v1.34, with binder.go's
 * decisions in ./binder.ts. A pod's claims must exist and not be lost or deleting; unbound claims of
 * an Immediate class stop it at PreFilter; bound claims' PVs must allow the node (node affinity);
 * WaitForFirstConsumer claims need an Available PV that fits on the node, or a class that could
 * provision one there.
 *
 * Divergences from upstream (the model is reduced to the filtering the lessons need):
 * - No Reserve or Unreserve (no assume cache). PreBind (R1) writes Filter's choice for the node — a
 *   PV's claimRef, a claim's selected-node annotation — and waits for the PV controller and the
 *   provisioner to bind every claim (bindTimeoutSeconds); without them the pod waits that long.
 * - No CSI: no in-tree-to-CSI translation, no CSINode/CSIDriver/CSIStorageCapacity objects, so storage
 *   capacity always suffices ("node(s) did not have enough free storage" never appears).
 * - Score is off, as StorageCapacityScoring is in v1.34: PreScore returns Skip.
 * - No PV controller: a claim counts as bound with volumeName and either the bind-completed annotation
 *   or phase Bound; a PV without status.phase counts as Available.
 * - The StorageClass/PVC hints are upstream's; CSI events are registered without hints (always Queue).
 * - Modelled with SchedulerQueueingHints on (GA and locked on in v1.34).
 */
import { Aggregate } from '../../../apimachinery/field';
import type { PersistentVolumeClaim, Pod } from '../../../api/core/v1';
import type { StorageClass } from '../../../api/storage/v1';
import type { CycleState } from '../../framework/cycle_state';
import { ActionType, Update, type ClusterEventWithHint, type QueueingHint } from '../../framework/events';
import type { Handle, Plugin, PreFilterResult } from '../../framework/interface';
import { asStatus, newStatus, type MaybeStatus } from '../../framework/status';
import type { NodeInfo } from '../../framework/types';
import { AnnBindCompleted, AnnSelectedNode, findPodVolumes, getEligibleNodes, getPodVolumeClaims, isPVCFullyBound, podClaimNames, type PodVolumeClaims, type PodVolumes } from './binder';

const AnnBoundByController = 'pv.kubernetes.io/bound-by-controller';
import { validateVolumeBindingArgs, type VolumeBindingArgs } from './args';

export const Name = 'VolumeBinding';
const stateKey = Name;

/** Go: `stateData`. */
export interface StateData {
  podVolumeClaims: PodVolumeClaims | null;
  podVolumesByNode: Map<string, PodVolumes>;
}

export class VolumeBinding implements Plugin {
  readonly name = Name;
  constructor(private readonly handle: Handle, readonly args: VolumeBindingArgs) {}

  /** Go: `podHasPVCs`: whether the pod uses claims, or the error that makes it unschedulable. */
  podHasPVCs(pod: Pod): [boolean, string | null] {
    const ns = pod.metadata.namespace ?? 'default';
    let has = false;
    for (const { name, ephemeral } of podClaimNames(pod)) {
      has = true;
      const pvc = this.handle.listers().getPersistentVolumeClaim(ns, name);
      if (!pvc) {
        return [true, ephemeral ? `waiting for ephemeral volume controller to create the persistentvolumeclaim "${name}"` : `persistentvolumeclaim "${name}" not found`];
      }
      if (pvc.status?.phase === 'Lost') return [true, `persistentvolumeclaim "${name}" bound to non-existent persistentvolume "${pvc.spec.volumeName ?? ''}"`];
      if (pvc.metadata.deletionTimestamp) return [true, `persistentvolumeclaim "${name}" is being deleted`];
      if (ephemeral && !ownedByPod(pvc, pod)) {
        return [true, `PVC ${ns}/${name} was not created for pod ${ns}/${pod.metadata.name ?? ''} (pod is not owner)`];
      }
    }
    return [has, null];
  }

  preFilter(state: CycleState, pod: Pod): [PreFilterResult | null, MaybeStatus] {
    const [has, err] = this.podHasPVCs(pod);
    if (err) return [null, newStatus('UnschedulableAndUnresolvable', err)];
    if (!has) {
      state.write(stateKey, { podVolumeClaims: null, podVolumesByNode: new Map() } satisfies StateData);
      return [null, newStatus('Skip')];
    }
    let claims: PodVolumeClaims;
    try {
      claims = getPodVolumeClaims(pod, this.handle.listers());
    } catch (e) {
      return [null, asStatus(e)];
    }
    if (claims.unboundClaimsImmediate.length > 0) {
      // The PV controller binds these; the PVC events requeue the pod.
      return [null, newStatus('UnschedulableAndUnresolvable', 'pod has unbound immediate PersistentVolumeClaims')];
    }
    const eligible = getEligibleNodes(claims.boundClaims, this.handle.listers().persistentVolumes());
    state.write(stateKey, { podVolumeClaims: claims, podVolumesByNode: new Map() } satisfies StateData);
    return [eligible ? { nodeNames: eligible } : null, null];
  }

  preFilterExtensions(): null {
    return null;
  }

  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): MaybeStatus {
    const s = state.tryRead<StateData>(stateKey);
    if (!s) return asStatus(new Error(`reading "${stateKey}" from cycleState: not found`));
    if (!s.podVolumeClaims) return null;
    const node = nodeInfo.node;
    if (!node) return asStatus(new Error('node not found'));
    try {
      const { podVolumes, reasons } = findPodVolumes(s.podVolumeClaims, node, this.handle.listers());
      if (reasons.length) return newStatus('UnschedulableAndUnresolvable', ...reasons);
      s.podVolumesByNode.set(node.metadata.name ?? '', podVolumes);
      return null;
    } catch (e) {
      return asStatus(e);
    }
  }

  /**
   * Go: `PreBind` + `BindPodVolumes` (R1, wt-pv): writes what Filter chose for the node — each
   * static binding's PV gets its claimRef, each claim to provision gets the selected-node
   * annotation — then checks every second, up to bindTimeoutSeconds, that the PV controller (and
   * the provisioner) have bound every claim, as the pod waits in its binding cycle.
   */
  // Upstream: volume_binding.go (PreBind), binder.go (AssumePodVolumes, BindPodVolumes, bindAPIUpdate, checkBindings)
  async preBind(state: CycleState, pod: Pod, nodeName: string): Promise<MaybeStatus> {
    const s = state.tryRead<StateData>(stateKey);
    if (!s) return asStatus(new Error(`reading "${stateKey}" from cycleState: not found`));
    const claims = s.podVolumeClaims;
    if (!claims || (claims.unboundClaimsDelayBinding.length === 0 && claims.unboundClaimsImmediate.length === 0)) return null;
    const podVolumes = s.podVolumesByNode.get(nodeName);
    if (!podVolumes) return asStatus(new Error(`no pod volumes found for node "${nodeName}"`));
    const update = this.handle.updateVolumeObject;
    const sleep = this.handle.sleep;
    if (!update || !sleep) return null;
    try {
      for (const { pv, pvc } of podVolumes.staticBindings) {
        const ann = { ...(pv.metadata.annotations ?? {}), [AnnBoundByController]: 'yes' };
        const claimRef = { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: pvc.metadata.namespace ?? '', name: pvc.metadata.name ?? '', uid: pvc.metadata.uid ?? '' };
        await update({ ...pv, metadata: { ...pv.metadata, annotations: ann }, spec: { ...pv.spec, claimRef } });
      }
      for (const pvc of podVolumes.dynamicProvisions) {
        await update({ ...pvc, metadata: { ...pvc.metadata, annotations: { ...(pvc.metadata.annotations ?? {}), [AnnSelectedNode]: nodeName } } });
      }
      const names = [...podVolumes.staticBindings.map((b) => b.pvc), ...podVolumes.dynamicProvisions].map((c) => ({ ns: c.metadata.namespace ?? '', name: c.metadata.name ?? '' }));
      const timeoutMs = (this.args.bindTimeoutSeconds ?? 600) * 1000;
      for (let waited = 0; ; ) {
        await sleep(1000);
        waited += 1000;
        if (this.#checkBindings(names, nodeName)) return null;
        if (waited >= timeoutMs) throw new Error('binding volumes: context deadline exceeded');
      }
    } catch (e) {
      return asStatus(e);
    }
  }

  /** Go: `checkBindings`: every claim fully bound; a claim whose selected node was reset is an error. */
  #checkBindings(claims: { ns: string; name: string }[], nodeName: string): boolean {
    const l = this.handle.listers();
    return claims.every(({ ns, name }) => {
      const pvc = l.getPersistentVolumeClaim(ns, name);
      if (!pvc) throw new Error(`failed to get pvc "${ns}/${name}": persistentvolumeclaim "${name}" not found`);
      if (!pvc.spec.volumeName && pvc.metadata.annotations?.[AnnSelectedNode] === undefined) throw new Error(`selectedNode annotation reset for PVC "${name}"`);
      if (!pvc.spec.volumeName && pvc.metadata.annotations?.[AnnSelectedNode] !== nodeName) throw new Error(`selectedNode annotation value "${pvc.metadata.annotations?.[AnnSelectedNode]}" not set to scheduled node "${nodeName}"`);
      return isPVCFullyBound(pvc) && pvc.metadata.annotations?.[AnnBindCompleted] !== undefined;
    });
  }

  /** StorageCapacityScoring is off in v1.34, so there is no scorer. */
  preScore(_state: CycleState, _pod: Pod, _nodes: NodeInfo[]): MaybeStatus {
    return newStatus('Skip');
  }

  score(): [number, MaybeStatus] {
    return [0, null];
  }

  scoreExtensions(): null {
    return null;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      { event: { resource: 'storage.k8s.io/StorageClass', actionType: ActionType.Add | Update }, queueingHintFn: (p, o, n) => this.isSchedulableAfterStorageClassChange(p, o, n) },
      { event: { resource: 'PersistentVolumeClaim', actionType: ActionType.Add | Update }, queueingHintFn: (p, o, n) => this.isSchedulableAfterPersistentVolumeClaimChange(p, o, n) },
      { event: { resource: 'PersistentVolume', actionType: ActionType.Add | Update } },
      { event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel } },
      { event: { resource: 'storage.k8s.io/CSINode', actionType: ActionType.Add | Update } },
      { event: { resource: 'storage.k8s.io/CSIDriver', actionType: Update } },
      { event: { resource: 'storage.k8s.io/CSIStorageCapacity', actionType: ActionType.Add | Update } },
    ];
  }

  /** Queue for a new class, or a class whose allowedTopologies changed. */
  isSchedulableAfterStorageClassChange(_pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint {
    if (!isObject<StorageClass>(newObj) || (oldObj != null && !isObject<StorageClass>(oldObj))) return 'Queue';
    if (oldObj == null) return 'Queue';
    return JSON.stringify(newObj.allowedTopologies ?? null) !== JSON.stringify((oldObj as StorageClass).allowedTopologies ?? null) ? 'Queue' : 'QueueSkip';
  }

  /** Queue when the claim is one the pod uses. */
  isSchedulableAfterPersistentVolumeClaimChange(pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint {
    if (!isObject<PersistentVolumeClaim>(newObj) || (oldObj != null && !isObject<PersistentVolumeClaim>(oldObj))) return 'Queue';
    if ((pod.metadata.namespace ?? 'default') !== (newObj.metadata.namespace ?? 'default')) return 'QueueSkip';
    return podClaimNames(pod).some((c) => c.name === newObj.metadata.name) ? 'Queue' : 'QueueSkip';
  }
}

function isObject<T>(o: unknown): o is T {
  return typeof o === 'object' && o !== null && 'metadata' in o;
}

/** Go: ephemeral `VolumeIsForPod`: the claim's controller owner is the pod. */
function ownedByPod(pvc: PersistentVolumeClaim, pod: Pod): boolean {
  return (pvc.metadata.ownerReferences ?? []).some((r) => r.controller && r.uid === pod.metadata.uid);
}

/** Go: `New`: validates the args (the config layer passes them defaulted). */
export function newVolumeBinding(args: unknown, handle: Handle): Plugin {
  const a = { bindTimeoutSeconds: 600, ...((args ?? {}) as VolumeBindingArgs) };
  const errs = validateVolumeBindingArgs(null, a);
  if (errs.length) throw new Aggregate(errs);
  return new VolumeBinding(handle, a);
}
