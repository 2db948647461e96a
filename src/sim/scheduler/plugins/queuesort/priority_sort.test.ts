/** Ported from pkg/scheduler/framework/plugins/queuesort/priority_sort_test.go (TestLess). */
import { describe, it, expect } from 'vitest';
import type { QueuedPodInfo } from '../../framework/interface';
import { PodInfo } from '../../framework/types';
import { makePod } from '../../testing/wrappers';
import { Name, newPrioritySort, podPriority } from '.';

const lowPriority = 10;
const highPriority = 100;
const t1 = 1_000;
const t2 = t1 + 1_000;

function queued(priority: number, timestamp: number, name: string): QueuedPodInfo {
  return {
    podInfo: new PodInfo(makePod().name(name).namespace('namespace1').priority(priority).obj()),
    timestamp, attempts: 0, unschedulableCount: 0, consecutiveErrorsCount: 0, initialAttemptTimestamp: null,
    backoffExpiration: 0, unschedulablePlugins: new Set(), pendingPlugins: new Set(), gatingPlugin: '',
  };
}

describe('TestLess', () => {
  const pl = newPrioritySort();
  const cases = [
    { ref: 'TestLess/p1.priority less than p2.priority', p1: queued(lowPriority, t1, 'pod1'), p2: queued(highPriority, t2, 'pod2'), expected: false },
    { ref: 'TestLess/p1.priority greater than p2.priority', p1: queued(highPriority, t1, 'pod1'), p2: queued(lowPriority, t2, 'pod2'), expected: true },
    { ref: 'TestLess/equal priority. p1 is added to schedulingQ earlier than p2', p1: queued(highPriority, t1, 'pod1'), p2: queued(highPriority, t2, 'pod2'), expected: true },
    { ref: 'TestLess/equal priority. p2 is added to schedulingQ earlier than p1', p1: queued(highPriority, t2, 'pod1'), p2: queued(highPriority, t1, 'pod2'), expected: false },
  ];
  for (const c of cases) it(c.ref, () => expect(pl.less!(c.p1, c.p2)).toBe(c.expected));
  it('a pod without spec.priority counts as priority 0', () => {
    const noPrio = queued(0, t2, 'p');
    delete noPrio.podInfo.pod.spec.priority;
    expect(pl.less!(noPrio, queued(-1, t1, 'q'))).toBe(true);
    expect(pl.less!(noPrio, queued(1, t1, 'q'))).toBe(false);
  });
  it('is named PrioritySort', () => expect(pl.name).toBe(Name));
});

describe('TestPodPriority (component-helpers corev1.PodPriority)', () => {
  it('TestPodPriority/no priority pod resolves to static default priority', () => expect(podPriority({ metadata: {}, spec: { containers: [{ name: 'container', image: 'image' }] } })).toBe(0));
  it('TestPodPriority/pod with priority resolves correctly', () => expect(podPriority({ metadata: {}, spec: { containers: [{ name: 'container', image: 'image' }], priority: 20 } })).toBe(20));
});
