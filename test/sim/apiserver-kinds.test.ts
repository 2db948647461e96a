// The storage, policy and scheduling kinds the scheduler needs (PersistentVolume,
// PersistentVolumeClaim, StorageClass, PodDisruptionBudget, PriorityClass) and the Priority
// admission plugin: validation tables after upstream's, admission cases after admission_test.go,
// and the API server's behaviour end to end.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/sim/index';
import { admitPodPriority, defaultPriorityClass, validatePriorityClassAdmission } from '../../src/sim/apiserver/admission/priority';
import { validatePodDisruptionBudgetSpec } from '../../src/sim/apiserver/registry/kinds/policy';
import { SystemCriticalPriority, validatePriorityClass, validatePriorityClassUpdate } from '../../src/sim/apiserver/registry/kinds/scheduling';
import { validatePersistentVolumeClaimSpec, validatePersistentVolumeSpec, validateStorageClass } from '../../src/sim/apiserver/registry/kinds/storage';
import { newPath } from '../../src/sim/apimachinery/field';
import { fixture, pod, statusOf } from './apiserver-fixture';

const pc = (name: string, value: number, extra: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value, ...extra });
const messages = (errs: { message: string }[]) => errs.map((e) => e.message);

// Upstream: plugin/pkg/admission/priority/admission_test.go (the shared classes)
const defaultClass1 = pc('default1', 1000, { globalDefault: true });
const defaultClass2 = pc('default2', 2000, { globalDefault: true });
const nondefaultClass1 = pc('nondefault1', 2000, { description: 'Just a test priority class' });
const systemClusterCritical = pc('system-cluster-critical', SystemCriticalPriority, { globalDefault: true });
const preemptionPolicyClass = pc('nopreemptionpolicy', 2000, { globalDefault: true, preemptionPolicy: 'PreemptLowerPriority' });

describe('ValidatePriorityClass', () => {
  const cases: Array<{ ref: string; obj: KubeObject; want: string[] }> = [
    { ref: 'TestValidatePriorityClass/no description', obj: pc('tier1', 100), want: [] },
    { ref: 'TestValidatePriorityClass/with description', obj: pc('tier1', 200, { globalDefault: false, description: 'Used for the highest priority pods.' }), want: [] },
    { ref: 'TestValidatePriorityClass/system node critical', obj: pc('system-node-critical', 2000001000, { description: 'system priority class 0' }), want: [] },
    {
      ref: 'TestValidatePriorityClass/incorrect system class name',
      obj: pc('system-node-critical', 0),
      want: ["metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: value of system-node-critical PriorityClass must be 2000001000"],
    },
    {
      ref: 'TestValidatePriorityClass/incorrect system class value',
      obj: pc('system-something', 2000001000),
      want: ["metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-something is not a known system priority class"],
    },
    { ref: 'ValidatePriorityClass/user value above HighestUserDefinablePriority', obj: pc('huge', 1000000001), want: ['value: Forbidden: maximum allowed value of a user defined priority is 1000000000'] },
    { ref: 'ValidatePriorityClass/HighestUserDefinablePriority itself', obj: pc('highest', 1000000000), want: [] },
    { ref: 'ValidatePriorityClass/globalDefault system class', obj: pc('system-cluster-critical', 2000000000, { globalDefault: true }), want: ["metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: globalDefault of system-cluster-critical PriorityClass must be false"] },
    { ref: 'ValidatePreemptionPolicy/unsupported', obj: pc('p', 1, { preemptionPolicy: 'Sometimes' }), want: ['preemptionPolicy: Unsupported value: "Sometimes": supported values: "PreemptLowerPriority", "Never"'] },
    { ref: 'ValidatePreemptionPolicy/empty', obj: pc('p', 1, { preemptionPolicy: '' }), want: ['preemptionPolicy: Required value'] },
  ];
  it.each(cases)('$ref', ({ obj, want }) => {
    expect(messages(validatePriorityClass(obj))).toEqual(want);
  });

  const old = pc('tier1', 100, { preemptionPolicy: 'PreemptLowerPriority' });
  const updates: Array<{ ref: string; obj: KubeObject; want: string[] }> = [
    { ref: 'TestValidatePriorityClassUpdate/change description', obj: pc('tier1', 100, { preemptionPolicy: 'PreemptLowerPriority', description: 'A different description.' }), want: [] },
    { ref: 'TestValidatePriorityClassUpdate/change globalDefault', obj: pc('tier1', 100, { preemptionPolicy: 'PreemptLowerPriority', globalDefault: true }), want: [] },
    { ref: 'TestValidatePriorityClassUpdate/remove value', obj: pc('tier1', 0, { preemptionPolicy: 'PreemptLowerPriority' }), want: ['value: Forbidden: may not be changed in an update.'] },
    { ref: 'TestValidatePriorityClassUpdate/change value', obj: pc('tier1', 101, { preemptionPolicy: 'PreemptLowerPriority' }), want: ['value: Forbidden: may not be changed in an update.'] },
    { ref: 'TestValidatePriorityClassUpdate/change preemptionPolicy', obj: pc('tier1', 100, { preemptionPolicy: 'Never' }), want: ['preemptionPolicy: Invalid value: "Never": field is immutable'] },
  ];
  it.each(updates)('$ref', ({ obj, want }) => {
    expect(messages(validatePriorityClassUpdate(obj, old))).toEqual(want);
  });
});

describe('Priority admission plugin', () => {
  const p = (name: string, spec: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'container' }], ...spec } });
  const cases: Array<{ ref: string; classes: KubeObject[]; pod: KubeObject; priority?: number; policy?: string; className?: string; error?: string }> = [
    { ref: 'TestPodAdmission/Pod with priority class', classes: [defaultClass1, nondefaultClass1], pod: p('pod-w-priorityclass', { priorityClassName: 'default1' }), priority: 1000 },
    { ref: 'TestPodAdmission/Pod without priority class', classes: [defaultClass1], pod: p('pod-wo-priorityclass'), priority: 1000, className: 'default1' },
    { ref: 'TestPodAdmission/pod without priority class and no existing priority class', classes: [], pod: p('pod-wo-priorityclass'), priority: 0, policy: 'PreemptLowerPriority' },
    { ref: 'TestPodAdmission/pod without priority class and no default class', classes: [nondefaultClass1], pod: p('pod-wo-priorityclass'), priority: 0 },
    { ref: 'TestPodAdmission/pod with a system priority class', classes: [systemClusterCritical], pod: p('pod-w-system-priority', { priorityClassName: 'system-cluster-critical' }), priority: SystemCriticalPriority },
    {
      ref: 'TestPodAdmission/Pod with non-existing priority class',
      classes: [defaultClass1, nondefaultClass1],
      pod: p('pod-w-non-existing-priorityclass', { priorityClassName: 'non-existing' }),
      error: 'pods "pod-w-non-existing-priorityclass" is forbidden: no PriorityClass with name non-existing was found',
    },
    { ref: 'TestPodAdmission/pod with integer priority', classes: [], pod: p('pod-w-integer-priority', { priorityClassName: 'default1', priority: 1000 }), error: 'pods "pod-w-integer-priority" is forbidden: no PriorityClass with name default1 was found' },
    { ref: 'TestPodAdmission/pod with priority that matches computed priority', classes: [nondefaultClass1], pod: p('pod-w-zero-priority-in-nonsystem-namespace', { priority: 0 }), priority: 0 },
    { ref: 'TestPodAdmission/pod with priority that matches default priority', classes: [defaultClass2], pod: p('pod-w-priority-matching-default-priority', { priority: 2000 }), priority: 2000 },
    {
      ref: 'TestPodAdmission/pod with priority that matches resolved priority',
      classes: [systemClusterCritical],
      pod: p('pod-w-priority-matching-resolved-default-priority', { priorityClassName: 'system-cluster-critical', priority: SystemCriticalPriority }),
      priority: SystemCriticalPriority,
    },
    {
      ref: 'TestPodAdmission/pod with preemtpion policy that matches resolved preemtpion policy',
      classes: [preemptionPolicyClass],
      pod: p('pod-preemption-policy-matching-resolved-preemption-policy', { priorityClassName: 'nopreemptionpolicy', priority: 2000, preemptionPolicy: 'PreemptLowerPriority' }),
      priority: 2000,
      policy: 'PreemptLowerPriority',
    },
    {
      ref: "TestPodAdmission/pod with preemtpion policy that does't matches resolved preemtpion policy",
      classes: [preemptionPolicyClass],
      pod: p('pod-preemption-policy-not-matching-resolved-preemption-policy', { priorityClassName: 'nopreemptionpolicy', priority: 2000, preemptionPolicy: 'Never' }),
      error:
        'pods "pod-preemption-policy-not-matching-resolved-preemption-policy" is forbidden: the string value of PreemptionPolicy (Never) must not be provided in pod spec; priority admission controller computed PreemptLowerPriority from the given PriorityClass name',
    },
    {
      ref: 'admitPod/priority differs from the class',
      classes: [nondefaultClass1],
      pod: p('x', { priorityClassName: 'nondefault1', priority: 5 }),
      error: 'pods "x" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 2000 from the given PriorityClass name',
    },
  ];
  it.each(cases)('$ref', ({ classes, pod: obj, priority, policy, className, error }) => {
    if (error) {
      expect(() => admitPodPriority(obj, classes)).toThrow(error);
      return;
    }
    admitPodPriority(obj, classes);
    const spec = obj.spec as Record<string, unknown>;
    expect(spec.priority).toBe(priority);
    if (policy) expect(spec.preemptionPolicy).toBe(policy);
    if (className) expect(spec.priorityClassName).toBe(className);
  });

  it('TestPriorityClassAdmission: one default class; more than one default classes', () => {
    expect(() => validatePriorityClassAdmission(defaultClass1, [], 'CREATE')).not.toThrow();
    expect(() => validatePriorityClassAdmission(defaultClass2, [defaultClass1], 'CREATE')).toThrow('priorityclasses.scheduling.k8s.io "default2" is forbidden: PriorityClass default1 is already marked as default. Only one default can exist');
    // updating the default class itself is fine; marking another one default is not
    expect(() => validatePriorityClassAdmission(defaultClass1, [defaultClass1], 'UPDATE')).not.toThrow();
    expect(() => validatePriorityClassAdmission(pc('nondefault1', 2000, { globalDefault: true }), [defaultClass1, nondefaultClass1], 'UPDATE')).toThrow('PriorityClass default1 is already marked as default');
  });

  it('TestDefaultPriority/multiple default classes resolves to the minimum value among them', () => {
    expect(defaultPriorityClass([defaultClass2, defaultClass1])?.metadata.name).toBe('default1');
    expect(defaultPriorityClass([nondefaultClass1])).toBeUndefined();
  });
});

describe('ValidatePodDisruptionBudgetSpec', () => {
  const sp = newPath('spec');
  const ok = ['0%', '1%', '100%', 0, 1, 100];
  it.each(ok)('TestValidateMinAvailablePodDisruptionBudgetSpec/success %s', (v) => {
    expect(validatePodDisruptionBudgetSpec({ minAvailable: v }, sp)).toEqual([]);
  });
  const bad: Array<[unknown, string]> = [
    ['1.1%', `spec.minAvailable: Invalid value: "1.1%": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`],
    ['nope', `spec.minAvailable: Invalid value: "nope": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`],
    ['-1%', `spec.minAvailable: Invalid value: "-1%": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`],
    ['101%', 'spec.minAvailable: Invalid value: "101%": must not be greater than 100%'],
    [-1, 'spec.minAvailable: Invalid value: -1: must be greater than or equal to 0'],
  ];
  it.each(bad)('TestValidateMinAvailablePodDisruptionBudgetSpec/failure %s', (v, want) => {
    expect(messages(validatePodDisruptionBudgetSpec({ minAvailable: v }, sp))).toEqual([want]);
  });
  it('TestValidateMinAvailablePodAndMaxUnavailableDisruptionBudgetSpec: both set', () => {
    expect(messages(validatePodDisruptionBudgetSpec({ minAvailable: 1, maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } }, sp))).toEqual([
      'spec: Invalid value: {"MinAvailable":1,"Selector":{"matchLabels":{"app":"web"}},"MaxUnavailable":1,"UnhealthyPodEvictionPolicy":null}: minAvailable and maxUnavailable cannot be both set',
    ]);
  });
  it.each([[undefined, 0], ['IfHealthyBudget', 0], ['AlwaysAllow', 0], ['Invalid', 1]] as const)('TestValidateUnhealthyPodEvictionPolicyDisruptionBudgetSpec %s', (policy, n) => {
    expect(validatePodDisruptionBudgetSpec({ minAvailable: 1, unhealthyPodEvictionPolicy: policy }, sp)).toHaveLength(n);
  });
});

describe('PersistentVolume, PersistentVolumeClaim and StorageClass validation', () => {
  const sp = newPath('spec');
  it('ValidatePersistentVolumeSpec: access modes, capacity and a volume source are required', () => {
    expect(messages(validatePersistentVolumeSpec({}, sp))).toEqual([
      'spec.accessModes: Required value',
      'spec.capacity: Required value',
      'spec.capacity: Unsupported value: {}: supported values: "storage"',
      'spec: Required value: must specify a volume type',
    ]);
    expect(validatePersistentVolumeSpec({ accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' }, hostPath: { path: '/data' } }, sp)).toEqual([]);
  });
  it('ValidatePersistentVolumeSpec: bad access mode, RWOP mixed, zero capacity, two sources (the later one in upstream order is refused)', () => {
    expect(messages(validatePersistentVolumeSpec({ accessModes: ['ReadWriteOncePod', 'ReadWriteMany', 'Everyone'], capacity: { storage: '0' }, local: { path: '/mnt' }, nfs: { server: 's', path: '/x' } }, sp))).toEqual([
      'spec.accessModes: Unsupported value: "Everyone": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
      'spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes',
      'spec.capacity[storage]: Invalid value: "0": must be greater than zero',
      'spec.local: Forbidden: may not specify more than 1 volume type',
    ]);
  });
  it('ValidatePersistentVolumeSpec: a local volume needs node affinity and a path', () => {
    expect(messages(validatePersistentVolumeSpec({ accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' }, local: {} }, sp))).toEqual(['spec.local.path: Required value', 'spec.nodeAffinity: Required value: Local volumes require node affinity']);
  });
  it('ValidatePersistentVolumeClaimSpec: access modes and requested storage', () => {
    expect(messages(validatePersistentVolumeClaimSpec({}, sp))).toEqual(['spec.accessModes: Required value: at least 1 access mode is required', 'spec.resources[storage]: Required value']);
    expect(validatePersistentVolumeClaimSpec({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } }, sp)).toEqual([]);
  });
  it('ValidateStorageClass: provisioner required, reclaim policy and binding mode supported values', () => {
    const sc = (extra: Record<string, unknown>): KubeObject => ({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast' }, volumeBindingMode: 'Immediate', ...extra });
    expect(messages(validateStorageClass(sc({})))).toEqual(['provisioner: Required value']);
    expect(messages(validateStorageClass(sc({ provisioner: 'kubernetes.io/no-provisioner', reclaimPolicy: 'Recycle', volumeBindingMode: 'Later' })))).toEqual([
      'reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"',
      'volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"',
    ]);
  });
});

describe('the API server serves them', () => {
  const PCS = '/apis/scheduling.k8s.io/v1/priorityclasses';
  const PODS = '/api/v1/namespaces/default/pods';
  const body = (r: { body: unknown }) => r.body as any;

  it('bootstraps the two system priority classes (AddSystemPriorityClasses) and refuses to delete them', async () => {
    const f = fixture();
    const list = body(await f.req({ verb: 'GET', path: PCS }));
    expect(list.items.map((i: any) => [i.metadata.name, i.value, i.description, i.preemptionPolicy, i.globalDefault])).toEqual([
      ['system-cluster-critical', 2000000000, 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.', 'PreemptLowerPriority', undefined],
      ['system-node-critical', 2000001000, 'Used for system critical pods that must not be moved from their current node.', 'PreemptLowerPriority', undefined],
    ]);
    const del = await f.req({ verb: 'DELETE', path: `${PCS}/system-node-critical` });
    expect(statusOf(del.body)).toMatchObject({ code: 403, reason: 'Forbidden', message: 'priorityclasses.scheduling.k8s.io "system-node-critical" is forbidden: this is a system priority class and cannot be deleted' });
  });

  it('resolves a pod priority from its class; a missing class is 403; the globalDefault class applies to pods without one', async () => {
    const f = fixture();
    expect((await f.req({ verb: 'POST', path: PCS, body: pc('high', 1000, { preemptionPolicy: 'Never' }) })).code).toBe(201);
    const created = body(await f.req({ verb: 'POST', path: PODS, body: pod('a', { spec: { priorityClassName: 'high' } }) }));
    expect([created.spec.priority, created.spec.preemptionPolicy]).toEqual([1000, 'Never']);
    const plain = body(await f.req({ verb: 'POST', path: PODS, body: pod('b') }));
    expect([plain.spec.priority, plain.spec.preemptionPolicy, plain.spec.priorityClassName]).toEqual([0, 'PreemptLowerPriority', undefined]);
    const missing = await f.req({ verb: 'POST', path: PODS, body: pod('x', { spec: { priorityClassName: 'foo' } }) });
    expect(statusOf(missing.body)).toMatchObject({ code: 403, reason: 'Forbidden', message: 'pods "x" is forbidden: no PriorityClass with name foo was found' });
    expect((await f.req({ verb: 'POST', path: PCS, body: pc('everyone', 7, { globalDefault: true }) })).code).toBe(201);
    const second = await f.req({ verb: 'POST', path: PCS, body: pc('another', 8, { globalDefault: true }) });
    expect(statusOf(second.body)).toMatchObject({ code: 403, message: 'priorityclasses.scheduling.k8s.io "another" is forbidden: PriorityClass everyone is already marked as default. Only one default can exist' });
    // Validating admission runs after the strategy's validation: an invalid second default is 422, not 403.
    const invalidDefault = await f.req({ verb: 'POST', path: PCS, body: pc('huge-default', 2000000000, { globalDefault: true }) });
    expect(statusOf(invalidDefault.body)).toMatchObject({ code: 422, message: 'PriorityClass.scheduling.k8s.io "huge-default" is invalid: value: Forbidden: maximum allowed value of a user defined priority is 1000000000' });
    const marked = await f.req({ verb: 'PATCH', path: `${PCS}/high`, contentType: 'application/merge-patch+json', body: { globalDefault: true } });
    expect(statusOf(marked.body).code).toBe(403);
    const defaulted = body(await f.req({ verb: 'POST', path: PODS, body: pod('c') }));
    expect([defaulted.spec.priority, defaulted.spec.priorityClassName]).toEqual([7, 'everyone']);
    // The plugin's update branch: a PUT that leaves priority and policy out keeps them (pod validation would refuse the change otherwise).
    const { spec: { priority: _p, preemptionPolicy: _pp, ...rest }, ...a } = created;
    const put = await f.req({ verb: 'PUT', path: `${PODS}/a`, body: { ...a, metadata: { ...a.metadata, labels: { x: '1' } }, spec: rest } });
    expect([put.code, body(put).spec.priority, body(put).spec.preemptionPolicy]).toEqual([200, 1000, 'Never']);
    const changed = await f.req({ verb: 'PATCH', path: `${PCS}/high`, contentType: 'application/merge-patch+json', body: { value: 5 } });
    expect(statusOf(changed.body).message).toBe('PriorityClass.scheduling.k8s.io "high" is invalid: value: Forbidden: may not be changed in an update.');
  });

  it('creates PVs and PVCs in phase Pending, defaults StorageClasses, and bumps a PDB generation on spec change only', async () => {
    const f = fixture();
    const pv = body(await f.req({ verb: 'POST', path: '/api/v1/persistentvolumes', body: { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv1' }, spec: { accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' }, hostPath: { path: '/data' } }, status: { phase: 'Bound' } } }));
    expect([pv.status.phase, typeof pv.status.lastPhaseTransitionTime, pv.spec.persistentVolumeReclaimPolicy, pv.spec.volumeMode]).toEqual(['Pending', 'string', 'Retain', 'Filesystem']);
    const pvc = body(await f.req({ verb: 'POST', path: '/api/v1/namespaces/default/persistentvolumeclaims', body: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } }));
    expect(pvc.status).toEqual({ phase: 'Pending' });
    const badPvc = await f.req({ verb: 'POST', path: '/api/v1/namespaces/default/persistentvolumeclaims', body: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'bad' }, spec: {} } });
    expect(statusOf(badPvc.body).message).toBe('PersistentVolumeClaim "bad" is invalid: [spec.accessModes: Required value: at least 1 access mode is required, spec.resources[storage]: Required value]');
    const moved = await f.req({ verb: 'PATCH', path: '/api/v1/persistentvolumes/pv1', contentType: 'application/merge-patch+json', body: { spec: { hostPath: { path: '/elsewhere' } } } });
    expect(statusOf(moved.body).message).toBe('PersistentVolume "pv1" is invalid: spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation');
    const regrown = await f.req({ verb: 'PATCH', path: '/api/v1/namespaces/default/persistentvolumeclaims/data', contentType: 'application/merge-patch+json', body: { spec: { accessModes: ['ReadWriteMany'] } } });
    expect(statusOf(regrown.body).message).toBe('PersistentVolumeClaim "data" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims');
    const sc = body(await f.req({ verb: 'POST', path: '/apis/storage.k8s.io/v1/storageclasses', body: { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'local' }, provisioner: 'kubernetes.io/no-provisioner' } }));
    expect([sc.reclaimPolicy, sc.volumeBindingMode]).toEqual(['Delete', 'Immediate']);
    const PDBS = '/apis/policy/v1/namespaces/default/poddisruptionbudgets';
    const pdb = body(await f.req({ verb: 'POST', path: PDBS, body: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } } } }));
    expect([pdb.metadata.generation, pdb.status]).toEqual([1, { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 }]);
    const labelled = body(await f.req({ verb: 'PATCH', path: `${PDBS}/web`, contentType: 'application/merge-patch+json', body: { metadata: { labels: { a: 'b' } } } }));
    expect(labelled.metadata.generation).toBe(1);
    const respec = body(await f.req({ verb: 'PATCH', path: `${PDBS}/web`, contentType: 'application/merge-patch+json', body: { spec: { minAvailable: 2 } } }));
    expect(respec.metadata.generation).toBe(2);
    const both = await f.req({ verb: 'PATCH', path: `${PDBS}/web`, contentType: 'application/merge-patch+json', body: { spec: { maxUnavailable: 1 } } });
    expect(statusOf(both.body).message).toContain('minAvailable and maxUnavailable cannot be both set');
  });
});
