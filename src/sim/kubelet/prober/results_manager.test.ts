// After pkg/kubelet/prober/results/results_manager_test.go (TestCacheOperations, TestUpdates).
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/core/v1';
import { newResultsManager } from './results_manager';
import type { ProbeUpdate } from './types';

const pod = { metadata: { name: 'p', uid: 'u1' }, spec: { containers: [] } } as Pod;

describe('results manager', () => {
  it('TestCacheOperations: set, get and remove by container ID', () => {
    const m = newResultsManager();
    expect(m.get('unset')).toBeUndefined();
    m.set('c1', 'Success', pod);
    m.set('c2', 'Failure', pod);
    expect(m.get('c1')).toBe('Success');
    expect(m.get('c2')).toBe('Failure');
    m.remove('c1');
    expect(m.get('c1')).toBeUndefined();
  });

  it('TestUpdates: only a changed result is sent to subscribers', () => {
    const m = newResultsManager();
    const seen: ProbeUpdate[] = [];
    const off = m.onUpdate((u) => seen.push(u));
    m.set('c1', 'Success', pod);
    m.set('c1', 'Success', pod);
    m.set('c1', 'Failure', pod);
    m.set('c2', 'Failure', pod);
    expect(seen).toEqual([
      { containerId: 'c1', result: 'Success', podUid: 'u1' },
      { containerId: 'c1', result: 'Failure', podUid: 'u1' },
      { containerId: 'c2', result: 'Failure', podUid: 'u1' },
    ]);
    off();
    m.set('c1', 'Success', pod);
    expect(seen).toHaveLength(3);
  });
});
