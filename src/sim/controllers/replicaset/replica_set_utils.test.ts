import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/core/v1';
import { rfc3339 } from '../../apiserver/registry/strategy';
import type { KubeObject } from '../../core/object';
import { calculateStatus } from './replica_set_utils';
import { getPodFromTemplate, getPodsPrefix, isPodAvailable, newControllerRef } from './pod_control';
import { replicaSetKind } from './replica_set';
import { newReplicaSet } from './testing';
import type { ReplicaSet, ReplicaSetStatus } from './types';

const NOW = 10_000_000;

/** Upstream's newPod(name, rs, phase, lastTransitionTime, properlyReady) with the RS's selector labels. */
function pod(name: string, labels: Record<string, string>, ready: boolean, readySinceMs = NOW - 1000): Pod {
  return {
    metadata: { name, namespace: 'default', labels },
    spec: { containers: [] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: rfc3339(readySinceMs) }] },
  };
}

function rsWith(replicas: number, templateLabels: Record<string, string>, extra: Partial<ReplicaSet['spec']> = {}, status?: ReplicaSetStatus): ReplicaSet {
  const rs = newReplicaSet('rs', replicas, { foo: 'bar' }, extra);
  rs.spec.template.metadata = { labels: templateLabels };
  if (status) rs.status = status;
  return rs;
}

const fully = { foo: 'bar' };
const notFully = { foo: 'bar', baz: 'quux' };

describe('calculateStatus (replica_set_utils_test.go)', () => {
  // Upstream: TestCalculateStatus
  const cases: { name: string; rs: ReplicaSet; pods: Pod[]; want: ReplicaSetStatus }[] = [
    { name: '1 fully labelled pod', rs: rsWith(1, fully), pods: [pod('pod1', fully, true)], want: { replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1, availableReplicas: 1 } },
    { name: '1 not fully labelled pod', rs: rsWith(1, notFully), pods: [pod('pod1', fully, true)], want: { replicas: 1, fullyLabeledReplicas: 0, readyReplicas: 1, availableReplicas: 1 } },
    { name: '2 fully labelled pods', rs: rsWith(2, fully), pods: [pod('pod1', fully, true), pod('pod2', fully, true)], want: { replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 2 } },
    { name: '2 not fully labelled pods', rs: rsWith(2, notFully), pods: [pod('pod1', fully, true), pod('pod2', fully, true)], want: { replicas: 2, fullyLabeledReplicas: 0, readyReplicas: 2, availableReplicas: 2 } },
    { name: '1 fully labelled pod, 1 not fully labelled pod', rs: rsWith(2, notFully), pods: [pod('pod1', fully, true), pod('pod2', notFully, true)], want: { replicas: 2, fullyLabeledReplicas: 1, readyReplicas: 2, availableReplicas: 2 } },
    { name: '1 non-ready pod', rs: rsWith(1, fully), pods: [pod('pod1', fully, false)], want: { replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 0, availableReplicas: 0 } },
    { name: '1 ready but non-available pod', rs: rsWith(1, fully, { minReadySeconds: 3600 }), pods: [pod('pod1', fully, true)], want: { replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1, availableReplicas: 0 } },
    { name: 'ready exactly minReadySeconds ago: not yet available (Before is strict)', rs: rsWith(1, fully, { minReadySeconds: 1 }), pods: [pod('pod1', fully, true, NOW - 1000)], want: { replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1, availableReplicas: 0 } },
  ];
  for (const c of cases) {
    it(`TestCalculateStatus: ${c.name}`, () => {
      expect(calculateStatus(c.rs, c.pods, undefined, NOW)).toEqual(c.want);
    });
  }

  // Upstream: TestCalculateStatusConditions
  const failed = { type: 'ReplicaFailure', status: 'True' as const, reason: 'FailedCreate', message: 'fake manageReplicasErr', lastTransitionTime: rfc3339(0) };
  const condCases: { name: string; rs: ReplicaSet; pods: Pod[]; err?: Error; want: ReplicaSetStatus['conditions'] }[] = [
    {
      name: 'manageReplicasErr != nil && failureCond == nil, diff < 0',
      rs: rsWith(2, fully),
      pods: [pod('pod1', fully, true)],
      err: new Error('fake manageReplicasErr'),
      want: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'fake manageReplicasErr', lastTransitionTime: rfc3339(NOW) }],
    },
    {
      name: 'manageReplicasErr != nil && failureCond == nil, diff > 0',
      rs: rsWith(1, fully),
      pods: [pod('pod1', fully, true), pod('pod2', fully, true)],
      err: new Error('fake manageReplicasErr'),
      want: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedDelete', message: 'fake manageReplicasErr', lastTransitionTime: rfc3339(NOW) }],
    },
    { name: 'manageReplicasErr == nil && failureCond != nil', rs: rsWith(1, fully, {}, { conditions: [failed] }), pods: [pod('pod1', fully, true)], want: undefined },
    { name: 'manageReplicasErr != nil && failureCond != nil', rs: rsWith(1, fully, {}, { conditions: [failed] }), pods: [pod('pod1', fully, true)], err: new Error('another error'), want: [failed] },
    { name: 'manageReplicasErr == nil && failureCond == nil', rs: rsWith(1, fully), pods: [pod('pod1', fully, true)], want: undefined },
  ];
  for (const c of condCases) {
    it(`TestCalculateStatusConditions: ${c.name}`, () => {
      expect(calculateStatus(c.rs, c.pods, c.err, NOW).conditions).toEqual(c.want);
    });
  }
});

describe('pod writes (controller_utils.go, pkg/api/v1/pod)', () => {
  it('getPodsPrefix: `<name>-`, or the bare name when the dash would not make a valid generateName', () => {
    expect(getPodsPrefix('web-7d4b9')).toBe('web-7d4b9-');
    expect(getPodsPrefix('Bad_Name')).toBe('Bad_Name');
  });

  it('getPodFromTemplate: labels, annotations, finalizers and spec from the template; generateName and the controller ref from the parent', () => {
    const rs = { ...newReplicaSet('web', 1), metadata: { name: 'web', namespace: 'default', uid: 'u-1' } } as ReplicaSet;
    rs.spec.template.metadata = { labels: { app: 'web' }, annotations: { a: 'b' }, finalizers: ['f'], name: 'ignored' };
    const ref = newControllerRef(rs as unknown as KubeObject, replicaSetKind);
    expect(ref).toEqual({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'u-1', blockOwnerDeletion: true, controller: true });
    const p = getPodFromTemplate(rs.spec.template, rs as unknown as KubeObject, ref);
    expect(p.metadata).toEqual({ labels: { app: 'web' }, annotations: { a: 'b' }, generateName: 'web-', finalizers: ['f'], ownerReferences: [ref] });
    expect(p.spec).toEqual(rs.spec.template.spec);
    expect(p.spec).not.toBe(rs.spec.template.spec);
  });

  it('isPodAvailable: ready, and ready for strictly more than minReadySeconds', () => {
    const p = pod('p', fully, true, 0);
    expect(isPodAvailable(p, 0, 0)).toBe(true);
    expect(isPodAvailable(p, 10, 10_000)).toBe(false);
    expect(isPodAvailable(p, 10, 10_001)).toBe(true);
    expect(isPodAvailable(pod('p', fully, false, 0), 0, 99_999)).toBe(false);
    expect(isPodAvailable({ ...p, status: { conditions: [{ type: 'Ready', status: 'True' }] } }, 10, 99_999)).toBe(false);
  });
});
