import { describe, expect, it } from 'vitest';
import { makePod } from '../../testing/wrappers';
import { defaultSelector, type Service, type SpreadListers } from './default_selector';

const listers: SpreadListers = {
  services: (ns): Service[] => (ns === 'default' ? [
    { metadata: { name: 's1', namespace: 'default' }, spec: { selector: { app: 'web' } } },
    { metadata: { name: 's2', namespace: 'default' }, spec: { selector: { tier: 'front' } } },
    { metadata: { name: 'nil', namespace: 'default' }, spec: {} },
    { metadata: { name: 'other', namespace: 'default' }, spec: { selector: { app: 'db' } } },
  ] : []),
  replicationControllers: () => [{ metadata: { name: 'rc', namespace: 'default' }, spec: { selector: { rc: 'yes' } } }],
  replicaSets: () => [{ metadata: { name: 'rs', namespace: 'default' }, spec: { selector: { matchExpressions: [{ key: 'pod-template-hash', operator: 'Exists' }] } } }],
  statefulSets: () => [{ metadata: { name: 'ss', namespace: 'default' }, spec: { selector: { matchLabels: { ss: 'db' } } } }],
};
const pod = () => makePod().name('p').labels({ app: 'web', tier: 'front', 'pod-template-hash': 'abc' });

describe('defaultSelector (helper.DefaultSelector)', () => {
  it('merges the selectors of the Services that select the pod; one with a nil selector selects nothing', () => {
    expect(defaultSelector(pod().obj(), listers).toString()).toBe('app=web,tier=front');
  });
  it('adds a ReplicaSet controller\'s requirements', () => {
    expect(defaultSelector(pod().ownerReference('rs').obj(), listers).toString()).toBe('app=web,pod-template-hash,tier=front');
  });
  it('merges a ReplicationController\'s (group "" / v1) selector as labels', () => {
    expect(defaultSelector(pod().ownerReference('rc', 'ReplicationController', 'v1').obj(), listers).toString()).toBe('app=web,rc=yes,tier=front');
  });
  it('adds a StatefulSet controller\'s requirements', () => {
    expect(defaultSelector(pod().ownerReference('ss', 'StatefulSet').obj(), listers).toString()).toBe('app=web,ss=db,tier=front');
  });
  it('ignores owners of other kinds or groups, missing controllers, and handles without the listers', () => {
    expect(defaultSelector(pod().ownerReference('rs', 'ReplicaSet', 'extensions/v1beta1').obj(), listers).toString()).toBe('app=web,tier=front');
    expect(defaultSelector(pod().ownerReference('gone').obj(), listers).toString()).toBe('app=web,tier=front');
    expect(defaultSelector(pod().ownerReference('rs').obj(), {}).empty()).toBe(true);
  });
});
