/**
 * Ported from pkg/scheduler/framework/plugins/volumebinding/volume_binding_test.go (TestVolumeBinding:
 * PreFilter, PreFilterResult and Filter statuses; the capacity scores are not modelled, StorageCapacityScoring
 * being off in v1.34) and validation_pluginargs_test.go (TestValidateVolumeBindingArgs, feature off),
 * plus cases for the matching rules of component-helpers FindMatchingVolume.
 */
import { describe, it, expect } from 'vitest';
import type { Node, PersistentVolume, PersistentVolumeClaim, Pod } from '../../../api/core/v1';
import type { StorageClass } from '../../../api/storage/v1';
import { CycleState } from '../../framework/cycle_state';
import { NodeInfo } from '../../framework/types';
import { newTestHandle } from '../../testing/handle';
import { AnnBindCompleted, ErrReasonBindConflict, ErrReasonNodeConflict, ErrReasonPVNotExist, VolumeBinding, newVolumeBinding, validateVolumeBindingArgs } from '.';

const immediateSC: StorageClass = { metadata: { name: 'immediate-sc' }, provisioner: '', volumeBindingMode: 'Immediate' };
const waitSC: StorageClass = { metadata: { name: 'wait-sc' }, provisioner: '', volumeBindingMode: 'WaitForFirstConsumer' };
const waitHDDSC: StorageClass = { metadata: { name: 'wait-hdd-sc' }, provisioner: '', volumeBindingMode: 'WaitForFirstConsumer' };
const provisioningSC: StorageClass = {
  metadata: { name: 'csi-sc' }, provisioner: 'csi.example.com', volumeBindingMode: 'WaitForFirstConsumer',
  allowedTopologies: [{ matchLabelExpressions: [{ key: 'topology.kubernetes.io/zone', values: ['zone-a'] }] }],
};
const classes = [immediateSC, waitSC, waitHDDSC, provisioningSC];
const hostname = 'kubernetes.io/hostname';
const zone = 'topology.kubernetes.io/zone';
const region = 'topology.kubernetes.io/region';

/** Builders after upstream's test_utils.go (makePod, makeNode, makePVC, makePV). */
function makePod(name: string, ...claims: string[]): Pod {
  return { metadata: { name, namespace: 'default', uid: name }, spec: { containers: [], volumes: claims.map((c, i) => ({ name: `vol${i}`, persistentVolumeClaim: { claimName: c } })) } };
}
function makeNode(name: string, labels: Record<string, string> = {}): Node {
  return { metadata: { name, labels: { [hostname]: name, ...labels } } };
}
function makePVC(name: string, sc: string, o: { boundPV?: string; phase?: string; storage?: string; accessModes?: string[] } = {}): PersistentVolumeClaim {
  return {
    metadata: { name, namespace: 'default', ...(o.boundPV ? { annotations: { [AnnBindCompleted]: 'true' } } : {}) },
    spec: { storageClassName: sc, ...(o.boundPV ? { volumeName: o.boundPV } : {}), ...(o.storage ? { resources: { requests: { storage: o.storage } } } : {}), ...(o.accessModes ? { accessModes: o.accessModes } : {}) },
    ...(o.phase ? { status: { phase: o.phase } } : {}),
  };
}
function makePV(name: string, sc: string, o: { phase?: string; capacity?: string; affinity?: Record<string, string[]>; accessModes?: string[]; claimRef?: string } = {}): PersistentVolume {
  return {
    metadata: { name },
    spec: {
      storageClassName: sc,
      ...(o.capacity ? { capacity: { storage: o.capacity } } : {}),
      ...(o.accessModes ? { accessModes: o.accessModes } : {}),
      ...(o.claimRef ? { claimRef: { namespace: 'default', name: o.claimRef } } : {}),
      ...(o.affinity ? { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: Object.entries(o.affinity).map(([key, values]) => ({ key, operator: 'In' as const, values })) }] } } } : {}),
    },
    ...(o.phase ? { status: { phase: o.phase } } : {}),
  };
}

type Want = null | { code: string; reasons: string[] };
const unres = (...r: string[]): Want => ({ code: 'UnschedulableAndUnresolvable', reasons: r });
interface Case { name: string; pod: Pod; nodes: Node[]; pvcs?: PersistentVolumeClaim[]; pvs?: PersistentVolume[]; wantPreFilter?: Want; wantResult?: string[]; wantFilter: Want[] }

function run(c: Case): void {
  const h = newTestHandle({ nodes: c.nodes, pvcs: c.pvcs ?? [], pvs: c.pvs ?? [], storageClasses: classes });
  const p = newVolumeBinding({ bindTimeoutSeconds: 300 }, h);
  const state = new CycleState();
  const [result, pre] = p.preFilter!(state, c.pod, []);
  expect(pre ? { code: pre.code, reasons: pre.reasons } : null).toEqual(c.wantPreFilter ?? null);
  expect(result ? [...(result.nodeNames ?? [])].sort() : null).toEqual(c.wantResult ?? null);
  if (pre) return;
  const got = c.nodes.map((n) => {
    const ni = new NodeInfo();
    ni.setNode(n);
    const st = p.filter!(state, c.pod, ni);
    return st ? { code: st.code, reasons: st.reasons } : null;
  });
  expect(got).toEqual(c.wantFilter);
}

describe('TestVolumeBinding', () => {
  const localPVs = (scName: string, suffixes: [string, string][], capacity: string) => suffixes.map(([pv, node]) => makePV(pv, scName, { phase: 'Available', capacity, affinity: { [hostname]: [node] } }));
  const zonal = (pv: string, r: string, z: string, capacity: string) => makePV(pv, waitSC.metadata.name!, { phase: 'Available', capacity, affinity: { [region]: [r], [zone]: [z] } });
  const zoneNodes = ['a', 'b', 'c'].flatMap((z) => ['a', 'b'].map((n) => makeNode(`zone-${z}-node-${n}`, { [region]: `region-${z}`, [zone]: `zone-${z}` })));
  const cases: Case[] = [
    { name: 'pod has not pvcs', pod: makePod('pod-a'), nodes: [makeNode('node-a')], wantPreFilter: { code: 'Skip', reasons: [] }, wantFilter: [] },
    {
      name: 'all bound', pod: makePod('pod-a', 'pvc-a'), nodes: [makeNode('node-a')],
      pvcs: [makePVC('pvc-a', 'wait-sc', { boundPV: 'pv-a' })], pvs: [makePV('pv-a', 'wait-sc', { phase: 'Available' })], wantFilter: [null],
    },
    {
      name: 'all bound with local volumes', pod: makePod('pod-a', 'pvc-a', 'pvc-b'), nodes: [makeNode('node-a')],
      pvcs: [makePVC('pvc-a', 'wait-sc', { boundPV: 'pv-a' }), makePVC('pvc-b', 'wait-sc', { boundPV: 'pv-b' })],
      pvs: [makePV('pv-a', 'wait-sc', { phase: 'Bound', affinity: { [hostname]: ['node-a'] } }), makePV('pv-b', 'wait-sc', { phase: 'Bound', affinity: { [hostname]: ['node-a'] } })],
      wantResult: ['node-a'], wantFilter: [null],
    },
    { name: 'PVC does not exist', pod: makePod('pod-a', 'pvc-a'), nodes: [makeNode('node-a')], pvcs: [], wantPreFilter: unres('persistentvolumeclaim "pvc-a" not found'), wantFilter: [] },
    {
      name: 'Part of PVCs do not exist', pod: makePod('pod-a', 'pvc-a', 'pvc-b'), nodes: [makeNode('node-a')], pvcs: [makePVC('pvc-a', 'wait-sc', { boundPV: 'pv-a' })],
      wantPreFilter: unres('persistentvolumeclaim "pvc-b" not found'), wantFilter: [],
    },
    {
      name: 'immediate claims not bound', pod: makePod('pod-a', 'pvc-a'), nodes: [makeNode('node-a')], pvcs: [makePVC('pvc-a', 'immediate-sc')],
      wantPreFilter: unres('pod has unbound immediate PersistentVolumeClaims'), wantFilter: [],
    },
    { name: 'unbound claims no matches', pod: makePod('pod-a', 'pvc-a'), nodes: [makeNode('node-a')], pvcs: [makePVC('pvc-a', 'wait-sc')], wantFilter: [unres(ErrReasonBindConflict)] },
    {
      name: 'bound and unbound unsatisfied', pod: makePod('pod-a', 'pvc-a', 'pvc-b'), nodes: [makeNode('node-a', { foo: 'barbar' })],
      pvcs: [makePVC('pvc-a', 'wait-sc', { boundPV: 'pv-a' }), makePVC('pvc-b', 'wait-sc')],
      pvs: [makePV('pv-a', 'wait-sc', { phase: 'Available', affinity: { foo: ['bar'] } })],
      wantFilter: [unres(ErrReasonNodeConflict, ErrReasonBindConflict)],
    },
    { name: 'pvc not found', pod: makePod('pod-a', 'pvc-a'), nodes: [makeNode('node-a')], wantPreFilter: unres('persistentvolumeclaim "pvc-a" not found'), wantFilter: [] },
    { name: 'pv not found', pod: makePod('pod-a', 'pvc-a'), nodes: [makeNode('node-a')], pvcs: [makePVC('pvc-a', 'wait-sc', { boundPV: 'pv-a' })], wantFilter: [unres(ErrReasonPVNotExist)] },
    {
      name: 'pv not found claim lost', pod: makePod('pod-a', 'pvc-a'), nodes: [makeNode('node-a')], pvcs: [makePVC('pvc-a', 'wait-sc', { boundPV: 'pv-a', phase: 'Lost' })],
      wantPreFilter: unres('persistentvolumeclaim "pvc-a" bound to non-existent persistentvolume "pv-a"'), wantFilter: [],
    },
    {
      name: 'local volumes with close capacity are preferred', pod: makePod('pod-a', 'pvc-a'), nodes: [makeNode('node-a'), makeNode('node-b'), makeNode('node-c')],
      pvcs: [makePVC('pvc-a', 'wait-sc', { storage: '50Gi' })],
      pvs: [...localPVs('wait-sc', [['pv-a-0', 'node-a'], ['pv-a-1', 'node-a']], '200Gi'), ...localPVs('wait-sc', [['pv-b-0', 'node-b'], ['pv-b-1', 'node-b']], '100Gi')],
      wantFilter: [null, null, unres(ErrReasonBindConflict)],
    },
    {
      name: 'local volumes with close capacity are preferred (multiple pvcs)', pod: makePod('pod-a', 'pvc-0', 'pvc-1'), nodes: [makeNode('node-a'), makeNode('node-b'), makeNode('node-c')],
      pvcs: [makePVC('pvc-0', 'wait-sc', { storage: '50Gi' }), makePVC('pvc-1', 'wait-hdd-sc', { storage: '100Gi' })],
      pvs: [
        ...localPVs('wait-sc', [['pv-a-0', 'node-a'], ['pv-a-1', 'node-a']], '200Gi'), ...localPVs('wait-hdd-sc', [['pv-a-2', 'node-a'], ['pv-a-3', 'node-a']], '200Gi'),
        ...localPVs('wait-sc', [['pv-b-0', 'node-b'], ['pv-b-1', 'node-b']], '100Gi'), ...localPVs('wait-hdd-sc', [['pv-b-2', 'node-b'], ['pv-b-3', 'node-b']], '100Gi'),
      ],
      wantFilter: [null, null, unres(ErrReasonBindConflict)],
    },
    {
      name: 'zonal volumes with close capacity are preferred', pod: makePod('pod-a', 'pvc-a'), nodes: zoneNodes, pvcs: [makePVC('pvc-a', 'wait-sc', { storage: '50Gi' })],
      pvs: [zonal('pv-a-0', 'region-a', 'zone-a', '200Gi'), zonal('pv-a-1', 'region-a', 'zone-a', '200Gi'), zonal('pv-b-0', 'region-b', 'zone-b', '100Gi'), zonal('pv-b-1', 'region-b', 'zone-b', '100Gi')],
      wantFilter: [null, null, null, null, unres(ErrReasonBindConflict), unres(ErrReasonBindConflict)],
    },
  ];
  for (const c of cases) it(`TestVolumeBinding/${c.name}`, () => run(c));
});

describe('WaitForFirstConsumer matching (component-helpers FindMatchingVolume)', () => {
  const node = makeNode('node-a', { [zone]: 'zone-a' });
  const cases: Case[] = [
    {
      name: 'a PV too small for the request does not match', pod: makePod('p', 'c'), nodes: [node],
      pvcs: [makePVC('c', 'wait-sc', { storage: '10Gi' })], pvs: [makePV('pv', 'wait-sc', { capacity: '5Gi' })], wantFilter: [unres(ErrReasonBindConflict)],
    },
    {
      name: 'the access modes must be offered', pod: makePod('p', 'c'), nodes: [node, makeNode('node-b')],
      pvcs: [makePVC('c', 'wait-sc', { accessModes: ['ReadWriteMany'] })],
      pvs: [makePV('rwo', 'wait-sc', { accessModes: ['ReadWriteOnce'], affinity: { [hostname]: ['node-a'] } }), makePV('rwx', 'wait-sc', { accessModes: ['ReadWriteMany', 'ReadWriteOnce'], affinity: { [hostname]: ['node-b'] } })],
      wantFilter: [unres(ErrReasonBindConflict), null],
    },
    {
      name: 'a PV of another class or already claimed by another PVC does not match', pod: makePod('p', 'c'), nodes: [node],
      pvcs: [makePVC('c', 'wait-sc')], pvs: [makePV('other-class', 'wait-hdd-sc'), makePV('taken', 'wait-sc', { claimRef: 'someone-else' })], wantFilter: [unres(ErrReasonBindConflict)],
    },
    {
      name: 'a PV pre-bound to the claim matches even when Released, but only where its node affinity allows', pod: makePod('p', 'c'), nodes: [makeNode('node-a'), makeNode('node-b')],
      pvcs: [makePVC('c', 'wait-sc')], pvs: [makePV('mine', 'wait-sc', { phase: 'Released', claimRef: 'c', affinity: { [hostname]: ['node-b'] } })],
      wantFilter: [unres(ErrReasonBindConflict), null],
    },
    {
      name: 'a PV in a non-Available phase does not match', pod: makePod('p', 'c'), nodes: [node],
      pvcs: [makePVC('c', 'wait-sc')], pvs: [makePV('pv', 'wait-sc', { phase: 'Released' })], wantFilter: [unres(ErrReasonBindConflict)],
    },
    {
      name: 'two claims cannot take the same PV', pod: makePod('p', 'c1', 'c2'), nodes: [node],
      pvcs: [makePVC('c1', 'wait-sc'), makePVC('c2', 'wait-sc')], pvs: [makePV('only', 'wait-sc', { phase: 'Available' })], wantFilter: [unres(ErrReasonBindConflict)],
    },
    {
      name: 'a class with a provisioner passes where its allowedTopologies allow (provisioning itself is not modelled)', pod: makePod('p', 'c'),
      nodes: [node, makeNode('node-b', { [zone]: 'zone-b' })], pvcs: [makePVC('c', 'csi-sc')], wantFilter: [null, unres(ErrReasonBindConflict)],
    },
    {
      name: 'a bound claim counts as bound by phase Bound without the annotation', pod: makePod('p', 'c'), nodes: [makeNode('node-a'), makeNode('node-b')],
      pvcs: [{ ...makePVC('c', 'immediate-sc'), spec: { storageClassName: 'immediate-sc', volumeName: 'pv' }, status: { phase: 'Bound' } }],
      pvs: [makePV('pv', 'immediate-sc', { affinity: { [hostname]: ['node-b'] } })], wantResult: ['node-b'], wantFilter: [unres(ErrReasonNodeConflict), null],
    },
    {
      name: 'a pre-bound claim not yet bound waits like an immediate one', pod: makePod('p', 'c'), nodes: [node],
      pvcs: [{ ...makePVC('c', 'wait-sc'), spec: { storageClassName: 'wait-sc', volumeName: 'pv' } }], pvs: [makePV('pv', 'wait-sc')],
      wantPreFilter: unres('pod has unbound immediate PersistentVolumeClaims'), wantFilter: [],
    },
    {
      name: 'the volumeAttributesClassName must be the same (VolumeAttributesClass is GA in v1.34)', pod: makePod('p', 'c'), nodes: [node],
      pvcs: [makePVC('c', 'wait-sc')], pvs: [{ ...makePV('pv', 'wait-sc'), spec: { storageClassName: 'wait-sc', volumeAttributesClassName: 'gold' } }], wantFilter: [unres(ErrReasonBindConflict)],
    },
    {
      name: 'a generic ephemeral volume waits for its claim, which the pod must own', nodes: [node],
      pod: { metadata: { name: 'p', namespace: 'default', uid: 'p-uid' }, spec: { containers: [], volumes: [{ name: 'scratch', ephemeral: {} }] } },
      wantPreFilter: unres('waiting for ephemeral volume controller to create the persistentvolumeclaim "p-scratch"'), wantFilter: [],
    },
    {
      name: 'an ephemeral volume claim not controlled by the pod is refused', nodes: [node],
      pod: { metadata: { name: 'p', namespace: 'default', uid: 'p-uid' }, spec: { containers: [], volumes: [{ name: 'scratch', ephemeral: {} }] } },
      pvcs: [makePVC('p-scratch', 'wait-sc')], wantPreFilter: unres('PVC default/p-scratch was not created for pod default/p (pod is not owner)'), wantFilter: [],
    },
    {
      name: 'an ephemeral volume claim owned by the pod is used like any claim', nodes: [node],
      pod: { metadata: { name: 'p', namespace: 'default', uid: 'p-uid' }, spec: { containers: [], volumes: [{ name: 'scratch', ephemeral: {} }] } },
      pvcs: [{ ...makePVC('p-scratch', 'wait-sc'), metadata: { name: 'p-scratch', namespace: 'default', ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'p-uid', controller: true }] } }],
      pvs: [makePV('pv', 'wait-sc')], wantFilter: [null],
    },
  ];
  for (const c of cases) it(c.name, () => run(c));
});

describe('queueing hints', () => {
  const h = newTestHandle({ storageClasses: classes });
  const pl = newVolumeBinding({}, h) as VolumeBinding;
  const pod = makePod('pod-a', 'pvc-a');
  it('a PVC the pod uses queues it; another PVC or namespace does not', () => {
    expect(pl.isSchedulableAfterPersistentVolumeClaimChange(pod, undefined, makePVC('pvc-a', 'wait-sc'))).toBe('Queue');
    expect(pl.isSchedulableAfterPersistentVolumeClaimChange(pod, undefined, makePVC('pvc-b', 'wait-sc'))).toBe('QueueSkip');
    expect(pl.isSchedulableAfterPersistentVolumeClaimChange(pod, undefined, { ...makePVC('pvc-a', 'wait-sc'), metadata: { name: 'pvc-a', namespace: 'other' } })).toBe('QueueSkip');
    expect(pl.isSchedulableAfterPersistentVolumeClaimChange(pod, undefined, 'not-a-pvc')).toBe('Queue');
  });
  it('a new class queues; an update queues only when allowedTopologies changed', () => {
    expect(pl.isSchedulableAfterStorageClassChange(pod, undefined, waitSC)).toBe('Queue');
    expect(pl.isSchedulableAfterStorageClassChange(pod, waitSC, { ...waitSC, parameters: { a: 'b' } })).toBe('QueueSkip');
    expect(pl.isSchedulableAfterStorageClassChange(pod, waitSC, { ...waitSC, allowedTopologies: [] })).toBe('Queue');
  });
  it('PreScore is Skip (StorageCapacityScoring off in v1.34)', () => {
    expect(pl.preScore!(new CycleState(), pod, [])?.code).toBe('Skip');
  });
});

describe('TestValidateVolumeBindingArgs', () => {
  it('TestValidateVolumeBindingArgs/zero is a valid config', () => expect(validateVolumeBindingArgs(null, { bindTimeoutSeconds: 0 })).toEqual([]));
  it('TestValidateVolumeBindingArgs/positive value is valid config', () => expect(validateVolumeBindingArgs(null, { bindTimeoutSeconds: 10 })).toEqual([]));
  it('TestValidateVolumeBindingArgs/negative value is invalid config ', () => {
    expect(validateVolumeBindingArgs(null, { bindTimeoutSeconds: -10 }).map((e) => e.message)).toEqual([
      'bindTimeoutSeconds: Invalid value: -10: invalid BindTimeoutSeconds, should not be a negative value',
    ]);
  });
  it('TestValidateVolumeBindingArgs/[StorageCapacityScoring=off] shape should be nil when the feature is off', () => expect(validateVolumeBindingArgs(null, { bindTimeoutSeconds: 10, shape: null })).toEqual([]));
  it('TestValidateVolumeBindingArgs/[StorageCapacityScoring=off] error if the shape is not nil when the feature is off', () => {
    const errs = validateVolumeBindingArgs(null, { bindTimeoutSeconds: 10, shape: [{ utilization: 1, score: 1 }, { utilization: 3, score: 3 }] });
    expect(errs.map((e) => ({ type: e.type, field: e.field }))).toEqual([{ type: 'FieldValueInvalid', field: 'shape' }]);
  });
  it('the factory refuses invalid args', () => expect(() => newVolumeBinding({ bindTimeoutSeconds: -1 }, newTestHandle())).toThrow(/bindTimeoutSeconds/));
});

// R1 (wt-pv): PreBind (volume_binding.go PreBind, binder.go BindPodVolumes / bindAPIUpdate / checkBindings).
describe('VolumeBinding PreBind', () => {
  const localSC: StorageClass = { metadata: { name: 'standard' }, provisioner: 'rancher.io/local-path', volumeBindingMode: 'WaitForFirstConsumer' };
  function setup(o: { pvcs: PersistentVolumeClaim[]; pvs?: PersistentVolumeClaim[] | PersistentVolume[]; bindAfterPolls?: number; timeoutSeconds?: number }) {
    const objects = { nodes: [makeNode('node-1')], pvcs: o.pvcs, pvs: (o.pvs ?? []) as PersistentVolume[], storageClasses: [...classes, localSC] };
    const writes: string[] = [];
    let polls = 0;
    const h = {
      ...newTestHandle(objects),
      updateVolumeObject: async <T extends PersistentVolume | PersistentVolumeClaim>(obj: T): Promise<T> => {
        const list = (obj.metadata.namespace ? objects.pvcs : objects.pvs) as T[];
        list.splice(list.findIndex((x) => x.metadata.name === obj.metadata.name), 1, obj);
        writes.push(obj.metadata.namespace ? `pvc ${obj.metadata.name} selected-node=${obj.metadata.annotations?.['volume.kubernetes.io/selected-node'] ?? ''}` : `pv ${obj.metadata.name} claimRef=${(obj as PersistentVolume).spec.claimRef?.name} ${Object.keys(obj.metadata.annotations ?? {}).join(',')}`);
        return obj;
      },
      // Each poll is a second; after bindAfterPolls the "PV controller" has bound every claim.
      sleep: async () => {
        if (++polls === (o.bindAfterPolls ?? Infinity)) {
          objects.pvcs = objects.pvcs.map((c) => ({ ...c, metadata: { ...c.metadata, annotations: { ...c.metadata.annotations, [AnnBindCompleted]: 'yes' } }, spec: { ...c.spec, volumeName: `pv-${c.metadata.name}` }, status: { phase: 'Bound' } }));
        }
      },
    };
    const p = newVolumeBinding({ bindTimeoutSeconds: o.timeoutSeconds ?? 600 }, h) as VolumeBinding;
    return { p, writes, polls: () => polls };
  }
  async function cycle(p: VolumeBinding, pod: Pod) {
    const state = new CycleState();
    const [, pre] = p.preFilter(state, pod);
    expect(pre).toBeNull();
    const ni = new NodeInfo();
    ni.setNode(makeNode('node-1'));
    expect(p.filter!(state, pod, ni)).toBeNull();
    return p.preBind(state, pod, 'node-1');
  }

  it('dynamic provisioning: the claim gets volume.kubernetes.io/selected-node, then PreBind waits until it is bound', async () => {
    const t = setup({ pvcs: [makePVC('data-web-0', 'standard')], bindAfterPolls: 3 });
    expect(await cycle(t.p, makePod('web-0', 'data-web-0'))).toBeNull();
    expect(t.writes).toEqual(['pvc data-web-0 selected-node=node-1']);
    expect(t.polls()).toBe(3);
  });

  it('static binding: the chosen PV gets the claimRef and bound-by-controller', async () => {
    const t = setup({ pvcs: [makePVC('pvc-a', waitSC.metadata.name!)], pvs: [makePV('pv-a', waitSC.metadata.name!, { phase: 'Available', affinity: { [hostname]: ['node-1'] } })], bindAfterPolls: 1 });
    expect(await cycle(t.p, makePod('pod-a', 'pvc-a'))).toBeNull();
    expect(t.writes).toEqual(['pv pv-a claimRef=pvc-a pv.kubernetes.io/bound-by-controller']);
  });

  it('nobody binds: "binding volumes: context deadline exceeded" after bindTimeoutSeconds', async () => {
    const t = setup({ pvcs: [makePVC('data-web-0', 'standard')], timeoutSeconds: 5 });
    const st = await cycle(t.p, makePod('web-0', 'data-web-0'));
    expect(st?.message()).toBe('binding volumes: context deadline exceeded');
    expect(t.polls()).toBe(5);
  });

  it('every claim already bound: nothing to write or wait for', async () => {
    const t = setup({ pvcs: [makePVC('pvc-b', waitSC.metadata.name!, { boundPV: 'pv-b', phase: 'Bound' })], pvs: [makePV('pv-b', waitSC.metadata.name!, { phase: 'Bound', claimRef: 'pvc-b' })] });
    expect(await cycle(t.p, makePod('pod-b', 'pvc-b'))).toBeNull();
    expect(t.writes).toEqual([]);
    expect(t.polls()).toBe(0);
  });
});
