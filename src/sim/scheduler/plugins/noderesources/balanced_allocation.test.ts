import { describe, expect, it } from 'vitest';
import type { Node, Pod, PodSpec } from '../../../api/core/v1';
import { MaxNodeScore } from '../../framework/interface';
import { makePod } from '../../testing/wrappers';
import type { ResourceSpec } from './args';
import { balancedResourceScorer, BalancedAllocationName, newBalancedAllocation } from './balanced_allocation';
import { makeResourceNode, refd, runScore } from './test_helpers';

const container = (requests: Record<string, string>) => ({ name: 'c', resources: { requests } });
const cpuAndMemoryAndGPU: PodSpec = {
  containers: [container({ cpu: '1000m', memory: '2000' }), container({ cpu: '2000m', memory: '3000', 'nvidia.com/gpu': '3' })],
  nodeName: 'node1',
};
const cpuOnly: PodSpec = { nodeName: 'node1', containers: [container({ cpu: '1000m', memory: '0' }), container({ cpu: '2000m', memory: '0' })] };
const memoryOnly: PodSpec = { nodeName: 'node1', containers: [container({ cpu: '0', memory: '2000' }), container({ cpu: '0', memory: '3000' })] };
const cpuAndMemory: PodSpec = { nodeName: 'node2', containers: [container({ cpu: '1000m', memory: '2000' }), container({ cpu: '2000m', memory: '3000' })] };
const podOf = (spec: PodSpec): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'default' }, spec: structuredClone(spec) });

const defaultSet: ResourceSpec[] = [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }];
const withGPU: ResourceSpec[] = [...defaultSet, { name: 'nvidia.com/gpu', weight: 1 }];
const scalarResource = { 'nvidia.com/gpu': 8 };

interface Case {
  name: string;
  pod: Pod;
  pods?: Pod[];
  nodes: Node[];
  resources: ResourceSpec[];
  want?: [number, number];
  runPreScore: boolean;
  wantPreScoreCode?: 'Skip';
}

const cases: Case[] = [
  {
    name: 'nothing scheduled, nothing requested, skip in PreScore', pod: makePod().obj(),
    nodes: [makeResourceNode('node1', 4000, 10000), makeResourceNode('node2', 4000, 10000)], resources: defaultSet, runPreScore: true, wantPreScoreCode: 'Skip',
  },
  {
    name: 'nothing scheduled, resources requested, differently sized nodes', pod: podOf(cpuAndMemory),
    nodes: [makeResourceNode('node1', 4000, 10000), makeResourceNode('node2', 6000, 10000)], resources: defaultSet, want: [87, MaxNodeScore], runPreScore: true,
  },
  {
    name: 'resources requested, pods scheduled with resources', pod: podOf(cpuAndMemory), pods: [podOf(cpuOnly), podOf(cpuAndMemory)],
    nodes: [makeResourceNode('node1', 10000, 20000), makeResourceNode('node2', 10000, 20000)], resources: defaultSet, want: [82, 95], runPreScore: true,
  },
  {
    name: 'resources requested, pods scheduled with resources, differently sized nodes', pod: podOf(cpuAndMemory), pods: [podOf(cpuOnly), podOf(cpuAndMemory)],
    nodes: [makeResourceNode('node1', 10000, 20000), makeResourceNode('node2', 10000, 50000)], resources: defaultSet, want: [82, 80], runPreScore: true,
  },
  {
    name: 'requested resources at node capacity', pod: podOf(cpuOnly), pods: [podOf(cpuOnly), podOf(cpuAndMemory)],
    nodes: [makeResourceNode('node1', 6000, 10000), makeResourceNode('node2', 6000, 10000)], resources: defaultSet, want: [50, 75], runPreScore: true,
  },
  {
    name: 'include scalar resource on a node for balanced resource allocation', pod: makePod().req({ memory: '0', 'nvidia.com/gpu': '1' }).obj(),
    pods: [podOf(cpuAndMemory), podOf(cpuAndMemoryAndGPU)],
    nodes: [makeResourceNode('node1', 3500, 40000, scalarResource), makeResourceNode('node2', 3500, 40000, scalarResource)],
    resources: withGPU, want: [70, 65], runPreScore: true,
  },
  {
    name: 'node without the scalar resource should skip the scalar resource', pod: podOf(cpuAndMemory), pods: [],
    nodes: [makeResourceNode('node1', 3500, 40000, scalarResource), makeResourceNode('node2', 3500, 40000)], resources: withGPU, want: [63, 63], runPreScore: true,
  },
  {
    name: 'resources requested, pods scheduled with resources if PreScore not called', pod: podOf(cpuAndMemory), pods: [podOf(cpuOnly), podOf(cpuAndMemory)],
    nodes: [makeResourceNode('node1', 10000, 20000), makeResourceNode('node2', 10000, 20000)], resources: defaultSet, want: [82, 95], runPreScore: false,
  },
];

describe('NodeResourcesBalancedAllocation', () => {
  for (const c of refd('TestNodeResourcesBalancedAllocation', cases)) {
    it(c.ref, () => {
      const p = newBalancedAllocation({ resources: c.resources });
      expect(p.name).toBe(BalancedAllocationName);
      const r = runScore(p, c.pod, c.nodes, c.pods ?? [], c.runPreScore);
      expect(r.preScoreCode).toBe(c.wantPreScoreCode ?? 'Success');
      if (c.wantPreScoreCode) return;
      expect(r.codes).toEqual(['Success', 'Success']);
      expect(r.scores.map((s) => s.score)).toEqual(c.want);
    });
  }

  it('a best-effort pod scores 0 when PreScore did not run', () => {
    const r = runScore(newBalancedAllocation({}), makePod().obj(), [makeResourceNode('node1', 4000, 10000)], [], false);
    expect(r.scores).toEqual([{ name: 'node1', score: 0 }]);
  });

  it('one scored resource has no deviation: MaxNodeScore whatever its share', () => {
    expect(balancedResourceScorer([3, 0], [4, 0])).toBe(MaxNodeScore);
    expect(balancedResourceScorer([1, 3], [4, 4])).toBe(75);
  });
});
