/** Ported from pkg/scheduler/framework/plugins/nodename/node_name_test.go (TestNodeName). */
import { describe, it, expect } from 'vitest';
import type { Node, Pod } from '../../../api/core/v1';
import { CycleState } from '../../framework/cycle_state';
import { ActionType } from '../../framework/events';
import { NodeInfo } from '../../framework/types';
import { ErrReason, newNodeName } from '.';

const pod = (nodeName?: string): Pod => ({ metadata: {}, spec: { containers: [], ...(nodeName ? { nodeName } : {}) } });
const node = (name?: string): Node => ({ metadata: name ? { name } : {} });

describe('TestNodeName', () => {
  const cases = [
    { ref: 'TestNodeName/no host specified', pod: pod(), node: node(), want: null },
    { ref: 'TestNodeName/host matches', pod: pod('foo'), node: node('foo'), want: null },
    { ref: "TestNodeName/host doesn't match", pod: pod('bar'), node: node('foo'), want: { code: 'UnschedulableAndUnresolvable', reasons: [ErrReason], plugin: '' } },
  ];
  for (const c of cases) {
    it(c.ref, () => {
      const ni = new NodeInfo();
      ni.setNode(c.node);
      const got = newNodeName().filter!(new CycleState(), c.pod, ni);
      expect(got ? got.toJSON() : null).toEqual(c.want);
    });
  }
  it('registers Node/Add only (QueueingHints on in v1.34)', () => {
    expect(newNodeName().eventsToRegister!()).toEqual([{ event: { resource: 'Node', actionType: ActionType.Add } }]);
  });
  it('the reason is upstream\'s', () => expect(ErrReason).toBe("node(s) didn't match the requested node name"));
});
