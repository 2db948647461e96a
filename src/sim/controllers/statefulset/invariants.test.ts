import { describe, expect, it } from 'vitest';
import { checkStatefulSetInvariants } from './invariants';
import { makeSet } from './testing';
import type { Pod } from './types';
import { newRevision, newStatefulSetPod, setPodRevision } from './utils';

describe('StatefulSet invariants', () => {
  const set = makeSet({ replicas: 3 });
  const rev = newRevision(set, 1, 0);
  const pod = (o: number, ready = true): Pod => {
    const p = newStatefulSetPod(set, o);
    setPodRevision(p, rev.metadata.name!);
    p.status = { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] };
    return p;
  };
  it('hold for pods the controller made, in order', () => {
    expect(checkStatefulSetInvariants({ ...set, status: { replicas: 2, readyReplicas: 2, currentRevision: rev.metadata.name } }, [pod(0), pod(1, false)], [rev])).toEqual([]);
  });
  it('catch a gap, an unready pod below a higher one, a wrong hostname and a missing revision', () => {
    const p2 = pod(2);
    p2.spec.hostname = 'other';
    const broken = checkStatefulSetInvariants({ ...set, status: { replicas: 1, readyReplicas: 2, updateRevision: 'web-gone' } }, [pod(0, false), p2], [rev]);
    expect(broken).toEqual([
      'web-2 has hostname other',
      'readyReplicas > replicas',
      'status names missing revision web-gone',
      'web-0 is not Ready but a higher ordinal exists',
      'OrderedReady left a gap before web-2',
    ]);
  });
});
