/**
 * Ported from pkg/scheduler/framework/plugins/nodeports/node_ports_test.go (TestNodePorts,
 * TestPreFilterDisabled, Test_isSchedulableAfterPodDeleted).
 */
import { describe, it, expect } from 'vitest';
import type { Pod } from '../../../api/core/v1';
import { CycleState } from '../../framework/cycle_state';
import { NodeInfo } from '../../framework/types';
import { makePod } from '../../testing/wrappers';
import { ErrReason, NodePorts, newNodePorts } from '.';

/** Go: `newPod(host, "UDP/127.0.0.1/8080", ...)`. */
function newPod(host: string, ...infos: string[]): Pod {
  const w = makePod().node(host);
  for (const info of infos) {
    const [protocol, hostIP, port] = info.split('/');
    w.hostPort(Number(port), protocol as 'TCP' | 'UDP', hostIP);
  }
  return w.obj();
}
const unsched = { code: 'Unschedulable', reasons: [ErrReason], plugin: '' };

describe('TestNodePorts', () => {
  const cases: { ref: string; pod: Pod; nodeInfo: NodeInfo; wantPreFilter?: string; wantFilter?: typeof unsched }[] = [
    { ref: 'TestNodePorts/skip filter', pod: { metadata: {}, spec: { containers: [] } }, nodeInfo: new NodeInfo(), wantPreFilter: 'Skip' },
    { ref: 'TestNodePorts/other port', pod: newPod('m1', 'UDP/127.0.0.1/8080'), nodeInfo: new NodeInfo(newPod('m1', 'UDP/127.0.0.1/9090')) },
    { ref: 'TestNodePorts/same udp port', pod: newPod('m1', 'UDP/127.0.0.1/8080'), nodeInfo: new NodeInfo(newPod('m1', 'UDP/127.0.0.1/8080')), wantFilter: unsched },
    { ref: 'TestNodePorts/same tcp port', pod: newPod('m1', 'TCP/127.0.0.1/8080'), nodeInfo: new NodeInfo(newPod('m1', 'TCP/127.0.0.1/8080')), wantFilter: unsched },
    { ref: 'TestNodePorts/different host ip', pod: newPod('m1', 'TCP/127.0.0.1/8080'), nodeInfo: new NodeInfo(newPod('m1', 'TCP/127.0.0.2/8080')) },
    { ref: 'TestNodePorts/different protocol', pod: newPod('m1', 'UDP/127.0.0.1/8080'), nodeInfo: new NodeInfo(newPod('m1', 'TCP/127.0.0.1/8080')) },
    { ref: 'TestNodePorts/second udp port conflict', pod: newPod('m1', 'UDP/127.0.0.1/8000', 'UDP/127.0.0.1/8080'), nodeInfo: new NodeInfo(newPod('m1', 'UDP/127.0.0.1/8080')), wantFilter: unsched },
    { ref: 'TestNodePorts/first tcp port conflict', pod: newPod('m1', 'TCP/127.0.0.1/8001', 'UDP/127.0.0.1/8080'), nodeInfo: new NodeInfo(newPod('m1', 'TCP/127.0.0.1/8001', 'UDP/127.0.0.1/8081')), wantFilter: unsched },
    { ref: 'TestNodePorts/first tcp port conflict due to 0.0.0.0 hostIP', pod: newPod('m1', 'TCP/0.0.0.0/8001'), nodeInfo: new NodeInfo(newPod('m1', 'TCP/127.0.0.1/8001')), wantFilter: unsched },
    { ref: 'TestNodePorts/TCP hostPort conflict due to 0.0.0.0 hostIP', pod: newPod('m1', 'TCP/10.0.10.10/8001', 'TCP/0.0.0.0/8001'), nodeInfo: new NodeInfo(newPod('m1', 'TCP/127.0.0.1/8001')), wantFilter: unsched },
    { ref: 'TestNodePorts/second tcp port conflict to 0.0.0.0 hostIP', pod: newPod('m1', 'TCP/127.0.0.1/8001'), nodeInfo: new NodeInfo(newPod('m1', 'TCP/0.0.0.0/8001')), wantFilter: unsched },
    { ref: 'TestNodePorts/second different protocol', pod: newPod('m1', 'UDP/127.0.0.1/8001'), nodeInfo: new NodeInfo(newPod('m1', 'TCP/0.0.0.0/8001')) },
    { ref: 'TestNodePorts/UDP hostPort conflict due to 0.0.0.0 hostIP', pod: newPod('m1', 'UDP/127.0.0.1/8001'), nodeInfo: new NodeInfo(newPod('m1', 'TCP/0.0.0.0/8001', 'UDP/0.0.0.0/8001')), wantFilter: unsched },
  ];
  for (const c of cases) {
    it(c.ref, () => {
      const p = newNodePorts();
      const state = new CycleState();
      const [, pre] = p.preFilter!(state, c.pod, []);
      expect(pre ? pre.code : 'Success').toBe(c.wantPreFilter ?? 'Success');
      if (pre?.code === 'Skip') return;
      const got = p.filter!(state, c.pod, c.nodeInfo);
      expect(got ? got.toJSON() : null).toEqual(c.wantFilter ?? null);
    });
  }
});

it('TestPreFilterDisabled', () => {
  const ni = new NodeInfo();
  ni.setNode({ metadata: {} });
  const got = newNodePorts().filter!(new CycleState(), { metadata: {}, spec: { containers: [] } }, ni);
  expect(got?.code).toBe('Error');
  expect(got?.message()).toBe('reading "PreFilterNodePorts" from cycleState: not found');
});

describe('Test_isSchedulableAfterPodDeleted', () => {
  const pl = new NodePorts();
  const podWithHostPort = () => makePod().hostPort(8080).obj();
  const cases = [
    { ref: 'Test_isSchedulableAfterPodDeleted/backoff-wrong-old-object', oldObj: 'not-a-pod' as unknown, want: 'Queue' },
    { ref: 'Test_isSchedulableAfterPodDeleted/skip-queue-on-unscheduled', oldObj: makePod().obj(), want: 'QueueSkip' },
    { ref: 'Test_isSchedulableAfterPodDeleted/skip-queue-on-non-hostport', oldObj: makePod().node('fake-node').obj(), want: 'QueueSkip' },
    { ref: 'Test_isSchedulableAfterPodDeleted/skip-queue-on-unrelated-hostport', oldObj: makePod().node('fake-node').hostPort(8081).obj(), want: 'QueueSkip' },
    { ref: 'Test_isSchedulableAfterPodDeleted/queue-on-released-hostport', oldObj: makePod().node('fake-node').hostPort(8080).obj(), want: 'Queue' },
  ];
  for (const c of cases) it(c.ref, () => expect(pl.isSchedulableAfterPodDeleted(podWithHostPort(), c.oldObj, undefined)).toBe(c.want));
});

it('a sidecar (restartable init container) holds its host port; a plain init container does not', () => {
  const state = new CycleState();
  const sidecar: Pod = { metadata: {}, spec: { containers: [], initContainers: [{ name: 's', restartPolicy: 'Always', ports: [{ containerPort: 80, hostPort: 80 }] }] } };
  const [, pre] = newNodePorts().preFilter!(state, sidecar, []);
  expect(pre).toBeNull();
  expect(newNodePorts().filter!(state, sidecar, new NodeInfo(newPod('m1', 'TCP/0.0.0.0/80')))?.reasons).toEqual([ErrReason]);
  const plainInit: Pod = { metadata: {}, spec: { containers: [], initContainers: [{ name: 'i', ports: [{ containerPort: 80, hostPort: 80 }] }] } };
  expect(newNodePorts().preFilter!(new CycleState(), plainInit, [])[1]?.code).toBe('Skip');
});
