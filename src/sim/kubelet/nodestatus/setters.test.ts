// After pkg/kubelet/nodestatus/setters_test.go (v1.34): TestReadyCondition,
// TestMemoryPressureCondition, TestDiskPressureCondition, TestPIDPressureCondition, TestMachineInfo,
// TestNodeAddress; and the error texts of runtime.go / pleg.
import { describe, expect, it } from 'vitest';
import type { Node } from '../../api/core/v1';
import { aggregateError, goDuration, networkPluginNotReady, plegNotHealthy, runtimeDown } from './errors';
import { diskPressureCondition, machineInfo, memoryPressureCondition, nodeAddress, pidPressureCondition, readyCondition, type NodeFacts } from './setters';

const before = '2026-01-01T00:00:00Z';
const now = '2026-01-01T00:01:00Z';

function facts(over: Partial<NodeFacts> = {}): NodeFacts & { events: string[] } {
  const events: string[] = [];
  return {
    events,
    nowRfc3339: now,
    hostname: 'node-1',
    nodeIP: '10.0.0.10',
    capacity: { cpu: '2', memory: '8Gi', pods: '110', 'ephemeral-storage': '100Gi' },
    reserved: { memory: '100Mi', 'ephemeral-storage': '10Gi' },
    kubeletVersion: 'v1.34.0',
    containerRuntimeVersion: 'containerd://2.1.4',
    kernelVersion: 'k',
    osImage: 'o',
    kubeletPort: 10250,
    memoryPressure: false,
    diskPressure: false,
    pidPressure: false,
    readinessErrors: [],
    recordEvent: (type, reason) => void events.push(`${type} ${reason}`),
    ...over,
  };
}

const withStatus = (conditions: Record<string, unknown>[] = [], capacity = { cpu: '2', memory: '8Gi', pods: '110', 'ephemeral-storage': '100Gi' }): Node =>
  ({ metadata: { name: 'node-1' }, status: { capacity, conditions } }) as unknown as Node;

describe('ReadyCondition', () => {
  const ready = { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now };
  const cases: { name: string; node: Node; f: Partial<NodeFacts>; want: Record<string, unknown>; events: string[] }[] = [
    { name: 'new, ready', node: withStatus(), f: {}, want: { ...ready, lastTransitionTime: now }, events: [] },
    {
      name: 'new, missing capacity',
      node: withStatus([], { cpu: '2' } as never),
      f: {},
      want: { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: 'missing node capacity for resources: memory, pods, ephemeral-storage', lastHeartbeatTime: now, lastTransitionTime: now },
      events: [],
    },
    { name: 'new, runtime down', node: withStatus(), f: { readinessErrors: [runtimeDown] }, want: { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: 'container runtime is down', lastHeartbeatTime: now, lastTransitionTime: now }, events: [] },
    {
      name: 'new, runtime and network not ready: an aggregate',
      node: withStatus(),
      f: { readinessErrors: [runtimeDown, networkPluginNotReady] },
      want: { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: `[container runtime is down, ${networkPluginNotReady}]`, lastHeartbeatTime: now, lastTransitionTime: now },
      events: [],
    },
    {
      name: 'transition to ready: NodeReady event, new transition time',
      node: withStatus([{ type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: 'x', lastHeartbeatTime: before, lastTransitionTime: before }]),
      f: {},
      want: { ...ready, lastTransitionTime: now },
      events: ['Normal NodeReady'],
    },
    {
      name: 'transition to not ready: NodeNotReady event',
      node: withStatus([{ ...ready, lastHeartbeatTime: before, lastTransitionTime: before }]),
      f: { readinessErrors: [plegNotHealthy(185_000)] },
      want: { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: 'PLEG is not healthy: pleg was last seen active 3m5s ago; threshold is 3m0s', lastHeartbeatTime: now, lastTransitionTime: now },
      events: ['Normal NodeNotReady'],
    },
    { name: 'ready stays ready: the transition time is kept', node: withStatus([{ ...ready, lastHeartbeatTime: before, lastTransitionTime: before }]), f: {}, want: { ...ready, lastTransitionTime: before }, events: [] },
  ];
  for (const tc of cases) {
    it(`TestReadyCondition: ${tc.name}`, () => {
      const f = facts(tc.f);
      readyCondition(tc.node, f);
      expect(tc.node.status?.conditions).toEqual([tc.want]);
      expect(f.events).toEqual(tc.events);
    });
  }
});

describe('pressure conditions', () => {
  const cases = [
    { ref: 'TestMemoryPressureCondition', setter: memoryPressureCondition, key: 'memoryPressure', type: 'MemoryPressure', t: ['KubeletHasInsufficientMemory', 'kubelet has insufficient memory available', 'NodeHasInsufficientMemory'], f: ['KubeletHasSufficientMemory', 'kubelet has sufficient memory available', 'NodeHasSufficientMemory'] },
    { ref: 'TestDiskPressureCondition', setter: diskPressureCondition, key: 'diskPressure', type: 'DiskPressure', t: ['KubeletHasDiskPressure', 'kubelet has disk pressure', 'NodeHasDiskPressure'], f: ['KubeletHasNoDiskPressure', 'kubelet has no disk pressure', 'NodeHasNoDiskPressure'] },
    { ref: 'TestPIDPressureCondition', setter: pidPressureCondition, key: 'pidPressure', type: 'PIDPressure', t: ['KubeletHasInsufficientPID', 'kubelet has insufficient PID available', 'NodeHasInsufficientPID'], f: ['KubeletHasSufficientPID', 'kubelet has sufficient PID available', 'NodeHasSufficientPID'] },
  ] as const;
  for (const tc of cases) {
    it(`${tc.ref}: new without pressure, then pressure, then a heartbeat without change`, () => {
      const node = withStatus();
      let f = facts();
      tc.setter(node, f);
      expect(node.status?.conditions).toEqual([{ type: tc.type, status: 'False', reason: tc.f[0], message: tc.f[1], lastHeartbeatTime: now, lastTransitionTime: now }]);
      expect(f.events).toEqual([`Normal ${tc.f[2]}`]);
      f = facts({ [tc.key]: true, nowRfc3339: '2026-01-01T00:02:00Z' });
      tc.setter(node, f);
      expect(node.status?.conditions).toEqual([{ type: tc.type, status: 'True', reason: tc.t[0], message: tc.t[1], lastHeartbeatTime: '2026-01-01T00:02:00Z', lastTransitionTime: '2026-01-01T00:02:00Z' }]);
      expect(f.events).toEqual([`Normal ${tc.t[2]}`]);
      f = facts({ [tc.key]: true, nowRfc3339: '2026-01-01T00:03:00Z' });
      tc.setter(node, f);
      expect((node.status?.conditions?.[0] as unknown as Record<string, unknown>).lastTransitionTime).toBe('2026-01-01T00:02:00Z');
      expect(f.events).toEqual([]);
    });
  }
});

describe('addresses and machine info', () => {
  it('TestNodeAddress: the InternalIP, then the Hostname', () => {
    const node = withStatus();
    nodeAddress(node, facts());
    expect(node.status?.addresses).toEqual([{ type: 'InternalIP', address: '10.0.0.10' }, { type: 'Hostname', address: 'node-1' }]);
  });
  it('TestMachineInfo: allocatable is capacity minus the reservations and eviction thresholds', () => {
    const node = withStatus();
    machineInfo(node, facts());
    expect(node.status?.capacity).toEqual({ cpu: '2', memory: '8Gi', pods: '110', 'ephemeral-storage': '100Gi' });
    expect(node.status?.allocatable).toEqual({ cpu: '2', memory: '8092Mi', pods: '110', 'ephemeral-storage': '90Gi' });
  });
});

describe('Go texts', () => {
  it('goDuration prints as time.Duration.String', () => {
    expect([0, 500, 1000, 1500, 60_000, 180_000, 185_100, 3_723_500].map(goDuration)).toEqual(['0s', '500ms', '1s', '1.5s', '1m0s', '3m0s', '3m5.1s', '1h2m3.5s']);
  });
  it('aggregateError: one as is, several deduplicated in brackets', () => {
    expect(aggregateError(['a'])).toBe('a');
    expect(aggregateError(['a', 'b', 'a'])).toBe('[a, b]');
    expect(aggregateError(['a', 'a'])).toBe('a');
  });
});
