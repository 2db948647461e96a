import { describe, expect, it } from 'vitest';
import type { Node, Pod } from '../../../api/core/v1';
import { ActionType } from '../../framework/events';
import { makePod } from '../../testing/wrappers';
import { newTestHandle } from '../../testing/handle';
import { newInterPodAffinity } from './plugin';
import { node } from './testing';

const pl = () => newInterPodAffinity({}, newTestHandle());
const p = () => makePod().name('p');
const affIn = () => p().podAffinityIn('service', 'region', ['securityscan', 'value2']).obj();
const antiIn = () => p().podAntiAffinityIn('service', 'region', ['securityscan', 'value2']).obj();
const on = (labels: Record<string, string>) => makePod().node('fake-node').labels(labels).obj();
const off = (labels: Record<string, string>) => makePod().labels(labels).obj();

describe('InterPodAffinity queueing hints', () => {
  const podCases: { ref: string; pod: Pod; oldPod?: Pod; newPod?: Pod; want: string }[] = [
    { ref: 'Test_isSchedulableAfterPodChange/add a pod which matches the pod affinity', pod: affIn(), newPod: on({ service: 'securityscan' }), want: 'Queue' },
    { ref: 'Test_isSchedulableAfterPodChange/add an un-scheduled pod', pod: affIn(), newPod: off({ service: 'securityscan' }), want: 'QueueSkip' },
    { ref: "Test_isSchedulableAfterPodChange/add a pod which doesn't match the pod affinity", pod: affIn(), newPod: on({ aaa: 'a' }), want: 'QueueSkip' },
    { ref: 'Test_isSchedulableAfterPodChange/update a pod from non-match to match pod affinity', pod: affIn(), newPod: on({ service: 'securityscan' }), oldPod: on({ aaa: 'a' }), want: 'Queue' },
    { ref: "Test_isSchedulableAfterPodChange/the updating pod matches target pod's affinity both before and after label changes", pod: affIn(), newPod: on({ service: 'securityscan' }), oldPod: on({ service: 'value2' }), want: 'QueueSkip' },
    { ref: 'Test_isSchedulableAfterPodChange/update an un-scheduled pod', pod: affIn(), newPod: off({ service: 'securityscan' }), oldPod: off({ service: 'securityscan' }), want: 'QueueSkip' },
    { ref: 'Test_isSchedulableAfterPodChange/update a pod from match to non-match the pod affinity', pod: affIn(), newPod: on({ aaa: 'a' }), oldPod: on({ service: 'securityscan' }), want: 'QueueSkip' },
    {
      ref: "Test_isSchedulableAfterPodChange/update a pod from match to non-match pod's affinity - multiple terms case",
      pod: p().podAffinityExists('aaa', 'hostname').podAffinityExists('bbb', 'hostname').obj(), newPod: on({ service: 'securityscan' }), oldPod: on({ aaa: 'a' }), want: 'QueueSkip',
    },
    {
      ref: "Test_isSchedulableAfterPodChange/update a pod from non-match to match pod's affinity - multiple terms case",
      pod: p().podAffinityExists('aaa', 'hostname').podAffinityExists('bbb', 'hostname').obj(), newPod: on({ aaa: '', bbb: '' }), oldPod: on({ aaa: 'a' }), want: 'Queue',
    },
    { ref: 'Test_isSchedulableAfterPodChange/modify pod label to change it from satisfying pod anti-affinity to not satisfying anti-affinity', pod: antiIn(), newPod: on({ service: 'aaaa' }), oldPod: on({ service: 'securityscan' }), want: 'Queue' },
    { ref: 'Test_isSchedulableAfterPodChange/modify pod label to change it from not satisfying pod anti-affinity to satisfying anti-affinity', pod: antiIn(), newPod: on({ service: 'securityscan' }), oldPod: on({ service: 'bbb' }), want: 'QueueSkip' },
    { ref: "Test_isSchedulableAfterPodChange/delete a pod which doesn't match pod's anti-affinity", pod: antiIn(), oldPod: on({ aaa: 'a' }), want: 'QueueSkip' },
    { ref: "Test_isSchedulableAfterPodChange/delete a pod which matches pod's anti-affinity", pod: antiIn(), oldPod: on({ service: 'securityscan' }), want: 'Queue' },
  ];
  for (const c of podCases) it(c.ref, () => expect(pl().isSchedulableAfterPodChange(c.pod, c.oldPod ?? null, c.newPod ?? null)).toBe(c.want));

  const affZone = () => p().podAffinityIn('service', 'zone', ['securityscan', 'value2']).obj();
  const antiZone = () => {
    const w = p();
    w.pod.spec.affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { another: 'label' } }, topologyKey: 'zone' }] } };
    return w.obj();
  };
  const na = (labels: Record<string, string>) => node('node-a', labels);
  const nodeCases: { ref: string; pod: Pod; oldNode?: Node; newNode: Node; want: string }[] = [
    { ref: 'Test_isSchedulableAfterNodeChange/add a new node with matched pod affinity topologyKey', pod: affZone(), newNode: na({ zone: 'zone1' }), want: 'Queue' },
    { ref: 'Test_isSchedulableAfterNodeChange/add a new node without matched topologyKey', pod: p().podAffinityIn('service', 'region', ['securityscan', 'value2']).obj(), newNode: na({ zone: 'zone1' }), want: 'QueueSkip' },
    { ref: 'Test_isSchedulableAfterNodeChange/update node label but not topologyKey', pod: affZone(), oldNode: na({ aaa: 'a' }), newNode: na({ aaa: 'b' }), want: 'QueueSkip' },
    { ref: "Test_isSchedulableAfterNodeChange/update node label that isn't related to the pod affinity", pod: affZone(), oldNode: na({ zone: 'zone1' }), newNode: na({ zone: 'zone1', 'unrelated-label': 'unrelated' }), want: 'QueueSkip' },
    { ref: 'Test_isSchedulableAfterNodeChange/update node with different affinity topologyKey value', pod: affZone(), oldNode: na({ zone: 'zone1' }), newNode: na({ zone: 'zone2' }), want: 'Queue' },
    { ref: 'Test_isSchedulableAfterNodeChange/update node to have the affinity topology label', pod: affZone(), oldNode: na({ aaa: 'a' }), newNode: na({ zone: 'zone1' }), want: 'Queue' },
    { ref: 'Test_isSchedulableAfterNodeChange/add a new node with matched pod anti-affinity topologyKey', pod: antiZone(), newNode: na({ zone: 'zone1' }), want: 'Queue' },
    { ref: 'Test_isSchedulableAfterNodeChange/add a new node without matched pod anti-affinity topologyKey', pod: antiZone(), newNode: na({}), want: 'Queue' },
    { ref: "Test_isSchedulableAfterNodeChange/update node label that isn't related to the pod anti-affinity", pod: antiZone(), oldNode: na({ zone: 'zone1' }), newNode: na({ zone: 'zone1', 'unrelated-label': 'unrelated' }), want: 'QueueSkip' },
    { ref: 'Test_isSchedulableAfterNodeChange/update node with different anti-affinity topologyKey value', pod: antiZone(), oldNode: na({ zone: 'zone1' }), newNode: na({ zone: 'zone2' }), want: 'Queue' },
    { ref: 'Test_isSchedulableAfterNodeChange/update node to have the anti-affinity topology label', pod: antiZone(), oldNode: na({ aaa: 'a' }), newNode: na({ zone: 'zone1' }), want: 'QueueSkip' },
    { ref: 'Test_isSchedulableAfterNodeChange/update node label not to have anti-affinity topology label', pod: antiZone(), oldNode: na({ zone: 'zone1' }), newNode: na({ aaa: 'a' }), want: 'Queue' },
  ];
  for (const c of nodeCases) it(c.ref, () => expect(pl().isSchedulableAfterNodeChange(c.pod, c.oldNode ?? null, c.newNode)).toBe(c.want));

  it('registers Pod Add|UpdatePodLabel|Delete and Node Add|UpdateNodeLabel, each with its hint', () => {
    const evs = pl().eventsToRegister();
    expect(evs.map((e) => [e.event.resource, e.event.actionType])).toEqual([
      ['Pod', ActionType.Add | ActionType.UpdatePodLabel | ActionType.Delete],
      ['Node', ActionType.Add | ActionType.UpdateNodeLabel],
    ]);
    expect(evs[0].queueingHintFn!(affIn(), null, on({ service: 'securityscan' }))).toBe('Queue');
    expect(evs[1].queueingHintFn!(affZone(), null, na({ zone: 'z' }))).toBe('Queue');
  });
});
