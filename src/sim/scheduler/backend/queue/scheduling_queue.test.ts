import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../core/clock';
import type { QueuedPodInfo } from '../../framework/interface';
import { newStatus } from '../../framework/status';
import { makePod } from '../../testing/wrappers';
import { PriorityQueue, type QueueingHintEntry } from './scheduling_queue';
import { ActionType } from '../../framework/events';
import type { Pod } from '../../../api/core/v1';

// PrioritySort's Less: higher priority first, then the earlier timestamp.
const less = (a: QueuedPodInfo, b: QueuedPodInfo) => {
  const pa = a.podInfo.pod.spec.priority ?? 0;
  const pb = b.podInfo.pod.spec.priority ?? 0;
  return pa > pb || (pa === pb && a.timestamp < b.timestamp);
};

function newQueue(hints: QueueingHintEntry[] = []) {
  const clock = new FakeClock(0);
  const q = new PriorityQueue({
    clock, lessFn: less,
    preEnqueue: (pod) => (pod.spec.schedulingGates?.length ? newStatus('UnschedulableAndUnresolvable', 'waiting for scheduling gates').withPlugin('SchedulingGates') : null),
    queueingHints: new Map([['default-scheduler', hints]]),
  });
  return { clock, q };
}

const pod = (name: string, priority = 0): Pod => makePod().name(name).uid(name).priority(priority).obj();

describe('PriorityQueue (pkg/scheduler/backend/queue)', () => {
  it('TestPriorityQueue_Add: pops by priority, then arrival', () => {
    const { clock, q } = newQueue();
    q.add(pod('low', 0));
    clock.step(1);
    q.add(pod('high', 100));
    clock.step(1);
    q.add(pod('low2', 0));
    expect([q.pop(), q.pop(), q.pop()].map((p) => p?.podInfo.pod.metadata.name)).toEqual(['high', 'low', 'low2']);
    expect(q.pop()).toBeUndefined();
  });

  it('TestBackoffPod / calculateBackoffDuration: 1 s doubling to the 10 s cap, per pod', () => {
    const { q } = newQueue();
    const p = q.newQueuedPodInfo(pod('a'));
    p.attempts = 1;
    const got: number[] = [];
    for (let n = 1; n <= 6; n++) {
      p.unschedulableCount = n;
      got.push(q.calculateBackoffDuration(p));
    }
    expect(got).toEqual([1000, 2000, 4000, 8000, 10000, 10000]);
    // Consecutive errors count instead of unschedulable attempts when there are any.
    p.consecutiveErrorsCount = 2;
    expect(q.calculateBackoffDuration(p)).toBe(2000);
  });

  it('a rejected pod waits in unschedulablePods until a matching event whose hint says Queue, then backs off', () => {
    const hints: QueueingHintEntry[] = [
      { event: { resource: 'Node', actionType: ActionType.Add }, pluginName: 'NodeResourcesFit', fn: () => 'Queue' },
      { event: { resource: 'Node', actionType: ActionType.UpdateNodeLabel }, pluginName: 'NodeAffinity', fn: () => 'QueueSkip' },
    ];
    const { clock, q } = newQueue(hints);
    q.add(pod('a'));
    const p = q.pop()!;
    p.unschedulablePlugins = new Set(['NodeResourcesFit']);
    expect(q.addUnschedulableIfNotPresent(p, false)).toBe('unschedulablePods');
    // An event no rejector registered for leaves it where it is.
    expect(q.moveAllToActiveOrBackoffQueue({ resource: 'Node', actionType: ActionType.UpdateNodeLabel }, undefined, {})).toBe(0);
    expect(q.where(p.podInfo.pod)).toBe('unschedulablePods');
    clock.step(200);
    expect(q.moveAllToActiveOrBackoffQueue({ resource: 'Node', actionType: ActionType.Add }, undefined, {})).toBe(1);
    // Still inside its 1 s backoff (truncated to the 1 s window): backoffQ.
    expect(q.where(p.podInfo.pod)).toBe('backoffQ');
    clock.step(800);
    q.flushBackoffQCompleted();
    expect(q.where(p.podInfo.pod)).toBe('activeQ');
  });

  it('flushUnschedulablePodsLeftover retries a pod after 5 minutes without an event', () => {
    const { clock, q } = newQueue();
    q.add(pod('a'));
    const p = q.pop()!;
    p.unschedulablePlugins = new Set(['TaintToleration']);
    q.addUnschedulableIfNotPresent(p, false);
    clock.step(5 * 60 * 1000);
    q.flushUnschedulablePodsLeftover();
    expect(q.where(p.podInfo.pod)).toBe('unschedulablePods');
    clock.step(1);
    q.flushUnschedulablePodsLeftover();
    expect(q.where(p.podInfo.pod)).toBe('activeQ');
  });

  it('a pod that failed with an Error (no rejector) goes straight to the error backoff queue', () => {
    const { clock, q } = newQueue();
    q.add(pod('a'));
    const p = q.pop()!;
    expect(q.addUnschedulableIfNotPresent(p, true)).toBe('errorBackoffQ');
    // Pop never takes from the error backoff queue early.
    expect(q.pop()).toBeUndefined();
    clock.step(1000);
    q.flushBackoffQCompleted();
    expect(q.pop()?.podInfo.pod.metadata.name).toBe('a');
  });

  it('SchedulerPopFromBackoffQ: with activeQ empty, Pop takes the head of backoffQ', () => {
    const { q } = newQueue([{ event: { resource: 'Node', actionType: ActionType.Add }, pluginName: 'X' }]);
    q.add(pod('a'));
    const p = q.pop()!;
    p.unschedulablePlugins = new Set(['X']);
    q.addUnschedulableIfNotPresent(p, false);
    q.moveAllToActiveOrBackoffQueue({ resource: 'Node', actionType: ActionType.Add }, undefined, {});
    expect(q.where(p.podInfo.pod)).toBe('backoffQ');
    expect(q.pop()?.podInfo.pod.metadata.name).toBe('a');
    expect(p.attempts).toBe(2);
  });

  it('a gated pod waits outside activeQ until its scheduling gates are removed', () => {
    const { q } = newQueue();
    const gated = makePod().name('g').uid('g').schedulingGates(['example.com/wait']).obj();
    q.add(gated);
    expect(q.where(gated)).toBe('gated');
    expect(q.pop()).toBeUndefined();
    q.update(gated, { ...gated, spec: { ...gated.spec, schedulingGates: [] } });
    expect(q.where(gated)).toBe('activeQ');
  });

  it('backoffQ orders by the 1 s window first, then by priority within a window', () => {
    const { clock, q } = newQueue([{ event: { resource: 'Node', actionType: ActionType.Add }, pluginName: 'X' }]);
    const fail = (name: string, prio: number) => {
      q.add(pod(name, prio));
      const p = q.pop()!;
      p.unschedulablePlugins = new Set(['X']);
      q.addUnschedulableIfNotPresent(p, false);
    };
    fail('early-low', 0);
    clock.step(300);
    fail('late-high', 10);
    q.moveAllToActiveOrBackoffQueue({ resource: 'Node', actionType: ActionType.Add }, undefined, {});
    // Both expire in the window starting at 1 s: the higher priority comes first.
    expect(q.pendingPods().backoffQ.map((p) => p.podInfo.pod.metadata.name)).toEqual(['late-high', 'early-low']);
  });
});
