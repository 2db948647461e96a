import { describe, expect, it } from 'vitest';
import type { Node, Pod } from '../../../api/core/v1';
import { ActionType } from '../../framework/events';
import { makePod } from '../../testing/wrappers';
import { barSelector, fooSelector, node, setup } from './testing';

const pl = () => setup({}).pl;
// The pod waiting to be scheduled carries a UID, as every stored pod does; the others get none.
const target = () => makePod().name('p').uid('p').label('foo', '');
const zone = () => target().spreadConstraint(1, 'zone', 'DoNotSchedule', fooSelector).obj();
const zoneNode = () => makePod().name('p').uid('p').spreadConstraint(1, 'zone', 'DoNotSchedule', fooSelector).spreadConstraint(1, 'node', 'DoNotSchedule', fooSelector).obj();
const zoneFooNodeBar = () => target().spreadConstraint(1, 'zone', 'DoNotSchedule', fooSelector).spreadConstraint(1, 'node', 'DoNotSchedule', barSelector).obj();
const on = (labels: Record<string, string> = {}) => makePod().uid('p2').node('fake-node').labels(labels).obj();
const off = (labels: Record<string, string> = {}) => makePod().uid('p2').labels(labels).obj();
const taint = (key: string) => ({ key, value: 'bbb', effect: 'NoSchedule' as const });
/** The target pod with a zone constraint (taints policy as given) and a node constraint on bar. */
const selfCase = (taints: 'Honor' | 'Ignore') => target().spreadConstraint(1, 'zone', 'DoNotSchedule', fooSelector, undefined, undefined, taints).spreadConstraint(1, 'node', 'DoNotSchedule', barSelector).obj();
const self = (labels: Record<string, string>, tolerate = false) => {
  const w = makePod().uid('p').name('p').labels(labels);
  return (tolerate ? w.toleration('node.kubernetes.io/unschedulable') : w).obj();
};

describe('PodTopologySpread queueing hints', () => {
  const nodeCases: { ref: string; pod: Pod; oldNode?: Node; newNode?: Node; want: string }[] = [
    { ref: 'Test_isSchedulableAfterNodeChange/node updates label which matches topologyKey', pod: zone(), oldNode: node('node-a', { zone: 'zone1' }), newNode: node('node-a', { zone: 'zone2' }), want: 'Queue' },
    { ref: "Test_isSchedulableAfterNodeChange/node that doesn't match topologySpreadConstraints updates non-related label", pod: zone(), oldNode: node('node-a', { foo: 'bar1' }), newNode: node('node-a', { foo: 'bar2' }), want: 'QueueSkip' },
    {
      ref: 'Test_isSchedulableAfterNodeChange/node that match topologySpreadConstraints adds non-related label', pod: zoneNode(),
      oldNode: node('node-a', { zone: 'zone1', node: 'node1', foo: 'bar' }), newNode: node('node-a', { zone: 'zone1', node: 'node1' }), want: 'QueueSkip',
    },
    { ref: 'Test_isSchedulableAfterNodeChange/create node with non-related labels', pod: zone(), newNode: node('node-a', { foo: 'bar' }), want: 'QueueSkip' },
    { ref: 'Test_isSchedulableAfterNodeChange/create node with related labels', pod: zone(), newNode: node('node-a', { zone: 'zone1' }), want: 'Queue' },
    { ref: 'Test_isSchedulableAfterNodeChange/delete node with non-related labels', pod: zone(), oldNode: node('node-a', { foo: 'bar' }), want: 'QueueSkip' },
    { ref: 'Test_isSchedulableAfterNodeChange/delete node with related labels', pod: zone(), oldNode: node('node-a', { zone: 'zone1' }), want: 'Queue' },
    { ref: 'Test_isSchedulableAfterNodeChange/add node with related labels that only match one of topologySpreadConstraints', pod: zoneNode(), newNode: node('node-a', { zone: 'zone1' }), want: 'QueueSkip' },
    { ref: 'Test_isSchedulableAfterNodeChange/add node with related labels that match all topologySpreadConstraints', pod: zoneNode(), newNode: node('node-a', { zone: 'zone1', node: 'node1' }), want: 'Queue' },
    { ref: 'Test_isSchedulableAfterNodeChange/update node with related labels that only match one of topologySpreadConstraints', pod: zoneNode(), oldNode: node('node-a', { zone: 'zone1' }), newNode: node('node-a', { zone: 'zone1' }), want: 'QueueSkip' },
    {
      ref: 'Test_isSchedulableAfterNodeChange/update node with related labels that match all topologySpreadConstraints', pod: zoneNode(),
      oldNode: node('node-a', { zone: 'zone1', node: 'node1' }), newNode: node('node-a', { zone: 'zone1', node: 'node2' }), want: 'Queue',
    },
    {
      ref: 'Test_isSchedulableAfterNodeChange/update node with different taints that match all topologySpreadConstraints', pod: zoneNode(),
      oldNode: node('node-a', { zone: 'zone1', node: 'node1' }, [taint('aaa')]), newNode: node('node-a', { zone: 'zone1', node: 'node1' }, [taint('ccc')]), want: 'Queue',
    },
    {
      ref: 'Test_isSchedulableAfterNodeChange/update node with different taints that only match one of topologySpreadConstraints', pod: zoneNode(),
      oldNode: node('node-a', { node: 'node1' }, [taint('aaa')]), newNode: node('node-a', { node: 'node1' }, [taint('ccc')]), want: 'QueueSkip',
    },
  ];
  for (const c of nodeCases) it(c.ref, () => expect(pl().isSchedulableAfterNodeChange(c.pod, c.oldNode, c.newNode)).toBe(c.want));

  const podCases: { ref: string; pod: Pod; oldPod?: Pod; newPod?: Pod; want: string }[] = [
    { ref: 'Test_isSchedulableAfterPodChange/add pod with labels match topologySpreadConstraints selector', pod: zone(), newPod: on({ foo: '' }), want: 'Queue' },
    { ref: 'Test_isSchedulableAfterPodChange/add un-scheduled pod', pod: zone(), newPod: off({ foo: '' }), want: 'QueueSkip' },
    { ref: 'Test_isSchedulableAfterPodChange/update un-scheduled pod', pod: zone(), newPod: off({ foo: '' }), oldPod: off({ bar: '' }), want: 'QueueSkip' },
    { ref: 'Test_isSchedulableAfterPodChange/delete un-scheduled pod', pod: zone(), oldPod: off({ foo: '' }), want: 'QueueSkip' },
    { ref: 'Test_isSchedulableAfterPodChange/add pod with different namespace', pod: zone(), newPod: makePod().node('fake-node').namespace('fake-namespace').label('foo', '').obj(), want: 'QueueSkip' },
    { ref: "Test_isSchedulableAfterPodChange/add pod with labels don't match topologySpreadConstraints selector", pod: zone(), newPod: on({ bar: '' }), want: 'QueueSkip' },
    { ref: 'Test_isSchedulableAfterPodChange/delete pod with labels that match topologySpreadConstraints selector', pod: zone(), oldPod: on({ foo: '' }), want: 'Queue' },
    { ref: "Test_isSchedulableAfterPodChange/delete pod with labels that don't match topologySpreadConstraints selector", pod: zone(), oldPod: on({ bar: '' }), want: 'QueueSkip' },
    { ref: "Test_isSchedulableAfterPodChange/update pod's non-related label", pod: zone(), oldPod: on({ foo: '', bar: 'bar1' }), newPod: on({ foo: '', bar: 'bar2' }), want: 'QueueSkip' },
    { ref: "Test_isSchedulableAfterPodChange/add pod's label that matches topologySpreadConstraints selector", pod: zone(), oldPod: on(), newPod: on({ foo: '' }), want: 'Queue' },
    { ref: 'Test_isSchedulableAfterPodChange/delete pod label that matches topologySpreadConstraints selector', pod: zone(), oldPod: on({ foo: '' }), newPod: on(), want: 'Queue' },
    { ref: "Test_isSchedulableAfterPodChange/change pod's label that matches topologySpreadConstraints selector", pod: zone(), oldPod: on({ foo: 'foo1' }), newPod: on({ foo: 'foo2' }), want: 'QueueSkip' },
    { ref: "Test_isSchedulableAfterPodChange/change pod's label that doesn't match topologySpreadConstraints selector", pod: zone(), oldPod: on({ foo: '', bar: 'bar1' }), newPod: on({ foo: '', bar: 'bar2' }), want: 'QueueSkip' },
    { ref: "Test_isSchedulableAfterPodChange/add pod's label that matches topologySpreadConstraints selector with multi topologySpreadConstraints", pod: zoneFooNodeBar(), oldPod: on({ foo: '' }), newPod: on({ foo: '', bar: 'bar2' }), want: 'Queue' },
    { ref: "Test_isSchedulableAfterPodChange/change pod's label that doesn't match topologySpreadConstraints selector with multi topologySpreadConstraints", pod: zoneFooNodeBar(), oldPod: on({ foo: '' }), newPod: on({ foo: '', baz: '' }), want: 'QueueSkip' },
    { ref: "Test_isSchedulableAfterPodChange/change pod's label that match topologySpreadConstraints selector with multi topologySpreadConstraints", pod: zoneFooNodeBar(), oldPod: on({ foo: '', bar: '' }), newPod: on({ foo: '', bar: 'bar2' }), want: 'QueueSkip' },
  ];
  podCases.push(
    {
      ref: 'Test_isSchedulableAfterPodChange/the unschedulable Pod has topologySpreadConstraint with NodeTaintsPolicy:Honor and has got a new toleration',
      pod: selfCase('Honor'), oldPod: self({ foo: '' }), newPod: self({ foo: '' }, true), want: 'Queue',
    },
    {
      ref: 'Test_isSchedulableAfterPodChange/the unschedulable Pod has topologySpreadConstraint without NodeTaintsPolicy:Honor and has got a new toleration',
      pod: selfCase('Ignore'), oldPod: self({ foo: '' }), newPod: self({ foo: '' }, true), want: 'QueueSkip',
    },
    {
      ref: 'Test_isSchedulableAfterPodChange/the unschedulable Pod has topologySpreadConstraint and has got a new label matching the selector of the constraint',
      pod: selfCase('Ignore'), oldPod: self({}), newPod: self({ foo: '' }), want: 'Queue',
    },
    {
      ref: 'Test_isSchedulableAfterPodChange/the unschedulable Pod has topologySpreadConstraint and has got a new unrelated label',
      pod: selfCase('Ignore'), oldPod: self({}), newPod: self({ unrelated: '' }), want: 'QueueSkip',
    },
  );
  for (const c of podCases) it(c.ref, () => expect(pl().isSchedulableAfterPodChange(c.pod, c.oldPod, c.newPod)).toBe(c.want));

  it('registers Pod Add|UpdatePodLabel|UpdatePodToleration|Delete and Node Add|Delete|UpdateNodeLabel|UpdateNodeTaint', () => {
    expect(pl().eventsToRegister().map((e) => [e.event.resource, e.event.actionType])).toEqual([
      ['Pod', ActionType.Add | ActionType.UpdatePodLabel | ActionType.UpdatePodToleration | ActionType.Delete],
      ['Node', ActionType.Add | ActionType.Delete | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint],
    ]);
  });
});
