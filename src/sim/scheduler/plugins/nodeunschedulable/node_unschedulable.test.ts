/**
 * Ported from pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable_test.go
 * (TestNodeUnschedulable, TestIsSchedulableAfterNodeChange, TestIsSchedulableAfterPodTolerationChange).
 */
import { describe, it, expect } from 'vitest';
import type { Node, Pod, Taint } from '../../../api/core/v1';
import { CycleState } from '../../framework/cycle_state';
import { ActionType } from '../../framework/events';
import { NodeInfo } from '../../framework/types';
import { makePod } from '../../testing/wrappers';
import { ErrReasonUnschedulable, NodeUnschedulable, TaintNodeUnschedulable, newNodeUnschedulable } from '.';

const emptyPod = (): Pod => ({ metadata: {}, spec: { containers: [] } });
const node = (unschedulable: boolean, taints?: Taint[]): Node => ({ metadata: {}, spec: { unschedulable, ...(taints ? { taints } : {}) } });

describe('TestNodeUnschedulable', () => {
  const cases = [
    { ref: 'TestNodeUnschedulable/Does not schedule pod to unschedulable node (node.Spec.Unschedulable==true)', pod: emptyPod(), node: node(true), want: { code: 'UnschedulableAndUnresolvable', reasons: [ErrReasonUnschedulable], plugin: '' } },
    { ref: 'TestNodeUnschedulable/Schedule pod to normal node', pod: emptyPod(), node: node(false), want: null },
    {
      ref: 'TestNodeUnschedulable/Schedule pod with toleration to unschedulable node (node.Spec.Unschedulable==true)',
      pod: { ...emptyPod(), spec: { containers: [], tolerations: [{ key: TaintNodeUnschedulable, effect: 'NoSchedule' as const }] } }, node: node(true), want: null,
    },
  ];
  for (const c of cases) {
    it(c.ref, () => {
      const ni = new NodeInfo();
      ni.setNode(c.node);
      const got = newNodeUnschedulable().filter!(new CycleState(), c.pod, ni);
      expect(got ? got.toJSON() : null).toEqual(c.want);
    });
  }
});

describe('TestIsSchedulableAfterNodeChange', () => {
  const pl = new NodeUnschedulable();
  const notReady = [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' as const }];
  const cases: { ref: string; oldObj?: unknown; newObj: unknown; want: string }[] = [
    { ref: 'TestIsSchedulableAfterNodeChange/error-wrong-new-object', newObj: 'not-a-node', want: 'Queue' },
    { ref: 'TestIsSchedulableAfterNodeChange/error-wrong-old-object', newObj: node(true), oldObj: 'not-a-node', want: 'Queue' },
    { ref: 'TestIsSchedulableAfterNodeChange/skip-queue-on-unschedulable-node-added', newObj: node(true), want: 'QueueSkip' },
    { ref: 'TestIsSchedulableAfterNodeChange/queue-on-schedulable-node-added', newObj: node(false), want: 'Queue' },
    { ref: 'TestIsSchedulableAfterNodeChange/skip-unrelated-change-unschedulable-true', newObj: node(true, notReady), oldObj: node(true), want: 'QueueSkip' },
    { ref: 'TestIsSchedulableAfterNodeChange/skip-unrelated-change-unschedulable-false', newObj: node(false, notReady), oldObj: node(false), want: 'QueueSkip' },
    { ref: 'TestIsSchedulableAfterNodeChange/queue-on-unschedulable-field-change', newObj: node(false), oldObj: node(true), want: 'Queue' },
  ];
  for (const c of cases) it(c.ref, () => expect(pl.isSchedulableAfterNodeChange(emptyPod(), c.oldObj, c.newObj)).toBe(c.want));
});

describe('TestIsSchedulableAfterPodTolerationChange', () => {
  const pl = new NodeUnschedulable();
  const cases: { ref: string; pod: Pod; oldObj?: unknown; newObj: unknown; want: string }[] = [
    { ref: 'TestIsSchedulableAfterPodTolerationChange/error-wrong-new-object', pod: emptyPod(), newObj: 'not-a-pod', want: 'Queue' },
    { ref: 'TestIsSchedulableAfterPodTolerationChange/error-wrong-old-object', pod: emptyPod(), newObj: emptyPod(), oldObj: 'not-a-pod', want: 'Queue' },
    {
      ref: 'TestIsSchedulableAfterPodTolerationChange/skip-different-pod-update', pod: makePod().uid('uid').obj(),
      newObj: makePod().uid('different-uid').toleration(TaintNodeUnschedulable).obj(), oldObj: makePod().uid('different-uid').obj(), want: 'QueueSkip',
    },
    {
      ref: 'TestIsSchedulableAfterPodTolerationChange/queue-when-the-unsched-pod-gets-toleration', pod: makePod().uid('uid').obj(),
      newObj: makePod().uid('uid').toleration(TaintNodeUnschedulable).obj(), oldObj: makePod().uid('uid').obj(), want: 'Queue',
    },
    {
      ref: 'TestIsSchedulableAfterPodTolerationChange/skip-when-the-unsched-pod-gets-unrelated-toleration', pod: makePod().uid('uid').obj(),
      newObj: makePod().uid('uid').toleration('unrelated-key').obj(), oldObj: makePod().uid('uid').obj(), want: 'QueueSkip',
    },
  ];
  for (const c of cases) it(c.ref, () => expect(pl.isSchedulableAfterPodTolerationChange(c.pod, c.oldObj, c.newObj)).toBe(c.want));
});

it('registers Node/Add|UpdateNodeTaint and Pod/UpdatePodToleration, each with its hint', () => {
  const evs = newNodeUnschedulable().eventsToRegister!();
  expect(evs.map((e) => e.event)).toEqual([
    { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeTaint },
    { resource: 'Pod', actionType: ActionType.UpdatePodToleration },
  ]);
  expect(evs[0].queueingHintFn!(emptyPod(), undefined, node(false))).toBe('Queue');
});
