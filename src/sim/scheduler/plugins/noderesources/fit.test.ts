import { describe, expect, it } from 'vitest';
import type { Node, Pod } from '../../../api/core/v1';
import { CycleState } from '../../framework/cycle_state';
import { ActionType } from '../../framework/events';
import { codeOf, type Code } from '../../framework/status';
import { NodeInfo } from '../../framework/types';
import { makeNode, makePod } from '../../testing/wrappers';
import type { NodeResourcesFitArgs } from './args';
import { defaultFeatures } from './features';
import { FitName, newFit } from './fit';
import { computePodResourceRequest, fitsRequest, haveAnyRequestedResourcesIncreased, isFit, type InsufficientResource } from './fits';
import {
  extendedResourceA, extendedResourceB, hugePageResourceA, kubernetesIOResourceA, kubernetesIOResourceB,
  makeAllocatableResources, newResourceInitPod, newResourcePod, refd, runScore,
} from './test_helpers';

const reason = (r: string): string => `Insufficient ${r}`;
const ir = (resourceName: string, requested: number, used: number, capacity: number, unresolvable = false): InsufficientResource => ({
  resourceName, reason: reason(resourceName), requested, used, capacity, unresolvable,
});
const withOverhead = (pod: Pod, overhead: Record<string, string>): Pod => {
  pod.spec.overhead = overhead;
  return pod;
};
const withPodLevel = (pod: Pod, requests: Record<string, string | number>): Pod => {
  pod.spec.resources = { requests };
  return pod;
};

function nodeWith(allocatable: Record<string, string | number>): Node {
  const n = makeNode().obj();
  n.status = { capacity: { ...allocatable }, allocatable: { ...allocatable } };
  return n;
}

describe('NodeResourcesFit Filter', () => {
  interface EnoughCase {
    name: string;
    pod: Pod;
    /** The pod already on the node; none for `framework.NewNodeInfo()`. */
    existing: Pod | undefined;
    args?: NodeResourcesFitArgs;
    want: InsufficientResource[];
    wantStatus?: { code: Code; reasons: string[] };
  }
  const cases: EnoughCase[] = [
    { name: 'no resources requested always fits', pod: makePod().obj(), existing: newResourcePod({ milliCPU: 10, memory: 20 }), want: [] },
    {
      name: 'too many resources fails', pod: newResourcePod({ milliCPU: 1, memory: 1 }), existing: newResourcePod({ milliCPU: 10, memory: 20 }),
      wantStatus: { code: 'Unschedulable', reasons: [reason('cpu'), reason('memory')] },
      want: [ir('cpu', 1, 10, 10), ir('memory', 1, 20, 20)],
    },
    {
      name: 'too many resources fails due to init container cpu',
      pod: newResourceInitPod(newResourcePod({ milliCPU: 1, memory: 1 }), { milliCPU: 3, memory: 1 }), existing: newResourcePod({ milliCPU: 8, memory: 19 }),
      wantStatus: { code: 'Unschedulable', reasons: [reason('cpu')] }, want: [ir('cpu', 3, 8, 10)],
    },
    {
      name: 'too many resources fails due to highest init container cpu',
      pod: newResourceInitPod(newResourcePod({ milliCPU: 1, memory: 1 }), { milliCPU: 3, memory: 1 }, { milliCPU: 2, memory: 1 }),
      existing: newResourcePod({ milliCPU: 8, memory: 19 }),
      wantStatus: { code: 'Unschedulable', reasons: [reason('cpu')] }, want: [ir('cpu', 3, 8, 10)],
    },
    {
      name: 'too many resources fails due to init container memory',
      pod: newResourceInitPod(newResourcePod({ milliCPU: 1, memory: 1 }), { milliCPU: 1, memory: 3 }), existing: newResourcePod({ milliCPU: 9, memory: 19 }),
      wantStatus: { code: 'Unschedulable', reasons: [reason('memory')] }, want: [ir('memory', 3, 19, 20)],
    },
    {
      name: 'too many resources fails due to highest init container memory',
      pod: newResourceInitPod(newResourcePod({ milliCPU: 1, memory: 1 }), { milliCPU: 1, memory: 3 }, { milliCPU: 1, memory: 2 }),
      existing: newResourcePod({ milliCPU: 9, memory: 19 }),
      wantStatus: { code: 'Unschedulable', reasons: [reason('memory')] }, want: [ir('memory', 3, 19, 20)],
    },
    {
      name: "init container fits because it's the max, not sum, of containers and init containers",
      pod: newResourceInitPod(newResourcePod({ milliCPU: 1, memory: 1 }), { milliCPU: 1, memory: 1 }), existing: newResourcePod({ milliCPU: 9, memory: 19 }), want: [],
    },
    {
      name: "multiple init containers fit because it's the max, not sum, of containers and init containers",
      pod: newResourceInitPod(newResourcePod({ milliCPU: 1, memory: 1 }), { milliCPU: 1, memory: 1 }, { milliCPU: 1, memory: 1 }),
      existing: newResourcePod({ milliCPU: 9, memory: 19 }), want: [],
    },
    { name: 'both resources fit', pod: newResourcePod({ milliCPU: 1, memory: 1 }), existing: newResourcePod({ milliCPU: 5, memory: 5 }), want: [] },
    {
      name: 'one resource memory fits', pod: newResourcePod({ milliCPU: 2, memory: 1 }), existing: newResourcePod({ milliCPU: 9, memory: 5 }),
      wantStatus: { code: 'Unschedulable', reasons: [reason('cpu')] }, want: [ir('cpu', 2, 9, 10)],
    },
    {
      name: 'one resource cpu fits', pod: newResourcePod({ milliCPU: 1, memory: 2 }), existing: newResourcePod({ milliCPU: 5, memory: 19 }),
      wantStatus: { code: 'Unschedulable', reasons: [reason('memory')] }, want: [ir('memory', 2, 19, 20)],
    },
    { name: 'equal edge case', pod: newResourcePod({ milliCPU: 5, memory: 1 }), existing: newResourcePod({ milliCPU: 5, memory: 19 }), want: [] },
    {
      name: 'equal edge case for init container', pod: newResourceInitPod(newResourcePod({ milliCPU: 4, memory: 1 }), { milliCPU: 5, memory: 1 }),
      existing: newResourcePod({ milliCPU: 5, memory: 19 }), want: [],
    },
    { name: 'extended resource fits', pod: newResourcePod({ scalar: { [extendedResourceA]: 1 } }), existing: newResourcePod({}), want: [] },
    {
      name: 'extended resource fits for init container', pod: newResourceInitPod(newResourcePod({}), { scalar: { [extendedResourceA]: 1 } }),
      existing: newResourcePod({}), want: [],
    },
    {
      name: 'extended resource capacity enforced', pod: newResourcePod({ milliCPU: 1, memory: 1, scalar: { [extendedResourceA]: 10 } }),
      existing: newResourcePod({ scalar: { [extendedResourceA]: 0 } }),
      wantStatus: { code: 'UnschedulableAndUnresolvable', reasons: [reason(extendedResourceA)] }, want: [ir(extendedResourceA, 10, 0, 5, true)],
    },
    {
      name: 'extended resource capacity enforced for init container',
      pod: newResourceInitPod(newResourcePod({}), { milliCPU: 1, memory: 1, scalar: { [extendedResourceA]: 10 } }),
      existing: newResourcePod({ scalar: { [extendedResourceA]: 0 } }),
      wantStatus: { code: 'UnschedulableAndUnresolvable', reasons: [reason(extendedResourceA)] }, want: [ir(extendedResourceA, 10, 0, 5, true)],
    },
    {
      name: 'extended resource allocatable enforced', pod: newResourcePod({ milliCPU: 1, memory: 1, scalar: { [extendedResourceA]: 1 } }),
      existing: newResourcePod({ scalar: { [extendedResourceA]: 5 } }),
      wantStatus: { code: 'Unschedulable', reasons: [reason(extendedResourceA)] }, want: [ir(extendedResourceA, 1, 5, 5)],
    },
    {
      name: 'extended resource allocatable enforced for init container',
      pod: newResourceInitPod(newResourcePod({}), { milliCPU: 1, memory: 1, scalar: { [extendedResourceA]: 1 } }),
      existing: newResourcePod({ scalar: { [extendedResourceA]: 5 } }),
      wantStatus: { code: 'Unschedulable', reasons: [reason(extendedResourceA)] }, want: [ir(extendedResourceA, 1, 5, 5)],
    },
    {
      name: 'extended resource allocatable enforced for multiple containers',
      pod: newResourcePod({ milliCPU: 1, memory: 1, scalar: { [extendedResourceA]: 3 } }, { milliCPU: 1, memory: 1, scalar: { [extendedResourceA]: 3 } }),
      existing: newResourcePod({ scalar: { [extendedResourceA]: 2 } }),
      wantStatus: { code: 'UnschedulableAndUnresolvable', reasons: [reason(extendedResourceA)] }, want: [ir(extendedResourceA, 6, 2, 5, true)],
    },
    {
      name: 'extended resource allocatable admits multiple init containers',
      pod: newResourceInitPod(newResourcePod({}), { milliCPU: 1, memory: 1, scalar: { [extendedResourceA]: 3 } }, { milliCPU: 1, memory: 1, scalar: { [extendedResourceA]: 3 } }),
      existing: newResourcePod({ scalar: { [extendedResourceA]: 2 } }), want: [],
    },
    {
      name: 'extended resource allocatable enforced for multiple init containers',
      pod: newResourceInitPod(newResourcePod({}), { milliCPU: 1, memory: 1, scalar: { [extendedResourceA]: 6 } }, { milliCPU: 1, memory: 1, scalar: { [extendedResourceA]: 3 } }),
      existing: newResourcePod({ scalar: { [extendedResourceA]: 2 } }),
      wantStatus: { code: 'UnschedulableAndUnresolvable', reasons: [reason(extendedResourceA)] }, want: [ir(extendedResourceA, 6, 2, 5, true)],
    },
    {
      name: 'extended resource allocatable enforced for unknown resource', pod: newResourcePod({ milliCPU: 1, memory: 1, scalar: { [extendedResourceB]: 1 } }),
      existing: newResourcePod({}),
      wantStatus: { code: 'UnschedulableAndUnresolvable', reasons: [reason(extendedResourceB)] }, want: [ir(extendedResourceB, 1, 0, 0, true)],
    },
    {
      name: 'extended resource allocatable enforced for unknown resource for init container',
      pod: newResourceInitPod(newResourcePod({}), { milliCPU: 1, memory: 1, scalar: { [extendedResourceB]: 1 } }), existing: newResourcePod({}),
      wantStatus: { code: 'UnschedulableAndUnresolvable', reasons: [reason(extendedResourceB)] }, want: [ir(extendedResourceB, 1, 0, 0, true)],
    },
    {
      name: 'kubernetes.io resource capacity enforced', pod: newResourcePod({ milliCPU: 1, memory: 1, scalar: { [kubernetesIOResourceA]: 10 } }),
      existing: newResourcePod({}),
      wantStatus: { code: 'UnschedulableAndUnresolvable', reasons: [reason(kubernetesIOResourceA)] }, want: [ir(kubernetesIOResourceA, 10, 0, 0, true)],
    },
    {
      name: 'kubernetes.io resource capacity enforced for init container',
      pod: newResourceInitPod(newResourcePod({}), { milliCPU: 1, memory: 1, scalar: { [kubernetesIOResourceB]: 10 } }), existing: newResourcePod({}),
      wantStatus: { code: 'UnschedulableAndUnresolvable', reasons: [reason(kubernetesIOResourceB)] }, want: [ir(kubernetesIOResourceB, 10, 0, 0, true)],
    },
    {
      name: 'hugepages resource capacity enforced', pod: newResourcePod({ milliCPU: 1, memory: 1, scalar: { [hugePageResourceA]: 10 } }),
      existing: newResourcePod({ scalar: { [hugePageResourceA]: 0 } }),
      wantStatus: { code: 'UnschedulableAndUnresolvable', reasons: [reason(hugePageResourceA)] }, want: [ir(hugePageResourceA, 10, 0, 5, true)],
    },
    {
      name: 'hugepages resource capacity enforced for init container',
      pod: newResourceInitPod(newResourcePod({}), { milliCPU: 1, memory: 1, scalar: { [hugePageResourceA]: 10 } }),
      existing: newResourcePod({ scalar: { [hugePageResourceA]: 0 } }),
      wantStatus: { code: 'UnschedulableAndUnresolvable', reasons: [reason(hugePageResourceA)] }, want: [ir(hugePageResourceA, 10, 0, 5, true)],
    },
    {
      name: 'hugepages resource allocatable enforced for multiple containers',
      pod: newResourcePod({ milliCPU: 1, memory: 1, scalar: { [hugePageResourceA]: 3 } }, { milliCPU: 1, memory: 1, scalar: { [hugePageResourceA]: 3 } }),
      existing: newResourcePod({ scalar: { [hugePageResourceA]: 2 } }),
      wantStatus: { code: 'UnschedulableAndUnresolvable', reasons: [reason(hugePageResourceA)] }, want: [ir(hugePageResourceA, 6, 2, 5, true)],
    },
    {
      name: 'skip checking ignored extended resource', pod: newResourcePod({ milliCPU: 1, memory: 1, scalar: { [extendedResourceB]: 1 } }),
      existing: newResourcePod({}), args: { ignoredResources: ['example.com/bbb'] }, want: [],
    },
    {
      name: 'resources + pod overhead fits', pod: withOverhead(newResourcePod({ milliCPU: 1, memory: 1 }), { cpu: '3m', memory: '13' }),
      existing: newResourcePod({ milliCPU: 5, memory: 5 }), want: [],
    },
    {
      name: 'requests + overhead does not fit for memory', pod: withOverhead(newResourcePod({ milliCPU: 1, memory: 1 }), { cpu: '1m', memory: '15' }),
      existing: newResourcePod({ milliCPU: 5, memory: 5 }),
      wantStatus: { code: 'Unschedulable', reasons: [reason('memory')] }, want: [ir('memory', 16, 5, 20)],
    },
    {
      name: 'skip checking ignored extended resource via resource groups',
      pod: newResourcePod({ milliCPU: 1, memory: 1, scalar: { [extendedResourceB]: 1, [kubernetesIOResourceA]: 1 } }),
      existing: newResourcePod({}), args: { ignoredResourceGroups: ['example.com'] },
      wantStatus: { code: 'UnschedulableAndUnresolvable', reasons: [reason(kubernetesIOResourceA)] }, want: [ir(kubernetesIOResourceA, 1, 0, 0, true)],
    },
    {
      name: 'skip checking extended resource request with quantity zero via resource groups',
      pod: newResourcePod({ milliCPU: 1, memory: 1, scalar: { [extendedResourceA]: 0 } }),
      existing: newResourcePod({ scalar: { [extendedResourceA]: 6 } }), want: [],
    },
    {
      name: 'skip checking resource request with quantity zero', pod: newResourcePod({ scalar: { [extendedResourceA]: 1 } }),
      existing: newResourcePod({ milliCPU: 20, memory: 30, scalar: { [extendedResourceA]: 1 } }), want: [],
    },
    {
      name: 'both pod-level and container-level resources fit', pod: withPodLevel(newResourcePod({ milliCPU: 1, memory: 1 }), { cpu: '1m', memory: '2' }),
      existing: newResourcePod({ milliCPU: 5, memory: 5 }), want: [],
    },
    {
      name: 'pod-level cpu resource not fit', pod: withPodLevel(newResourcePod({ milliCPU: 1, memory: 1 }), { cpu: '7m', memory: '2' }),
      existing: newResourcePod({ milliCPU: 5, memory: 5 }),
      wantStatus: { code: 'Unschedulable', reasons: [reason('cpu')] }, want: [ir('cpu', 7, 5, 10)],
    },
    {
      name: 'pod-level memory resource not fit', pod: withPodLevel(newResourcePod({ milliCPU: 1, memory: 1 }), { cpu: '3m', memory: '2' }),
      existing: newResourcePod({ milliCPU: 5, memory: 19 }),
      wantStatus: { code: 'Unschedulable', reasons: [reason('memory')] }, want: [ir('memory', 2, 19, 20)],
    },
    {
      name: 'pod-level hugepages resource fit', pod: withPodLevel(makePod().obj(), { cpu: '3m', memory: '2', [hugePageResourceA]: 5 }),
      existing: undefined, want: [],
    },
    {
      name: 'both pod-level and container-level hugepages resource fit',
      pod: withPodLevel(newResourcePod({ milliCPU: 1, memory: 1, scalar: { [hugePageResourceA]: 3 } }), { cpu: '3m', memory: '2', [hugePageResourceA]: 5 }),
      existing: undefined, want: [],
    },
    {
      name: 'pod-level hugepages resource not fit', pod: withPodLevel(makePod().obj(), { cpu: '3m', memory: '2', [hugePageResourceA]: 10 }),
      existing: undefined,
      wantStatus: { code: 'UnschedulableAndUnresolvable', reasons: [reason(hugePageResourceA)] }, want: [ir(hugePageResourceA, 10, 0, 5, true)],
    },
    {
      name: 'one pod-level cpu resource fits and all init and non-init containers resources fit',
      pod: newResourceInitPod(withPodLevel(newResourcePod({ milliCPU: 1, memory: 1 }), { cpu: '3m', memory: '2' }), { milliCPU: 1, memory: 1 }),
      existing: newResourcePod({ milliCPU: 5, memory: 19 }),
      wantStatus: { code: 'Unschedulable', reasons: [reason('memory')] }, want: [ir('memory', 2, 19, 20)],
    },
  ];

  for (const c of refd('TestEnoughRequests', cases)) {
    it(c.ref, () => {
      const nodeInfo = c.existing ? new NodeInfo(c.existing) : new NodeInfo();
      nodeInfo.setNode(nodeWith(makeAllocatableResources(10, 20, 32, 5, 20, 5)));
      const p = newFit(c.args ?? {});
      const state = new CycleState();
      const [, preStatus] = p.preFilter(state, c.pod);
      expect(codeOf(preStatus)).toBe('Success');
      const status = p.filter(state, c.pod, nodeInfo);
      if (c.wantStatus) expect({ code: status?.code, reasons: status?.reasons }).toEqual(c.wantStatus);
      else expect(status).toBeNull();
      const got = fitsRequest(computePodResourceRequest(c.pod).resource, nodeInfo, p.ignoredResources, p.ignoredResourceGroups);
      expect(got).toEqual(c.want);
    });
  }

  it('TestPreFilterDisabled: Filter without PreFilter is an Error naming the missing state', () => {
    const nodeInfo = new NodeInfo();
    nodeInfo.setNode(makeNode().obj());
    const status = newFit({}).filter(new CycleState(), makePod().obj(), nodeInfo);
    expect(status?.code).toBe('Error');
    expect(status?.message()).toBe('error reading "PreFilterNodeResourcesFit" from cycleState: not found');
  });

  const notEnough: { name: string; pod: Pod; existing: Pod }[] = [
    { name: "even without specified resources, predicate fails when there's no space for additional pod", pod: makePod().obj(), existing: newResourcePod({ milliCPU: 10, memory: 20 }) },
    { name: "even if both resources fit, predicate fails when there's no space for additional pod", pod: newResourcePod({ milliCPU: 1, memory: 1 }), existing: newResourcePod({ milliCPU: 5, memory: 5 }) },
    { name: "even for equal edge case, predicate fails when there's no space for additional pod", pod: newResourcePod({ milliCPU: 5, memory: 1 }), existing: newResourcePod({ milliCPU: 5, memory: 19 }) },
    {
      name: "even for equal edge case, predicate fails when there's no space for additional pod due to init container",
      pod: newResourceInitPod(newResourcePod({ milliCPU: 5, memory: 1 }), { milliCPU: 5, memory: 1 }), existing: newResourcePod({ milliCPU: 5, memory: 19 }),
    },
  ];
  for (const c of refd('TestNotEnoughRequests', notEnough)) {
    it(c.ref, () => {
      const nodeInfo = new NodeInfo(c.existing);
      nodeInfo.setNode(nodeWith(makeAllocatableResources(10, 20, 1, 0, 0, 0)));
      const p = newFit({});
      const state = new CycleState();
      p.preFilter(state, c.pod);
      const status = p.filter(state, c.pod, nodeInfo);
      expect({ code: status?.code, reasons: status?.reasons }).toEqual({ code: 'Unschedulable', reasons: ['Too many pods'] });
    });
  }

  const storage: { name: string; pod: Pod; existing: Pod; want?: { code: Code; reasons: string[] } }[] = [
    { name: 'empty storage requested, and pod fits', pod: newResourcePod({ milliCPU: 1, memory: 1 }), existing: newResourcePod({ milliCPU: 2, memory: 10 }) },
    {
      name: 'storage ephemeral local storage request exceeds allocatable', pod: newResourcePod({ ephemeralStorage: 25 }), existing: newResourcePod({ milliCPU: 2, memory: 2 }),
      want: { code: 'UnschedulableAndUnresolvable', reasons: [reason('ephemeral-storage')] },
    },
    { name: 'ephemeral local storage is sufficient', pod: newResourceInitPod(newResourcePod({ ephemeralStorage: 5 })), existing: newResourcePod({ milliCPU: 2, memory: 2, ephemeralStorage: 10 }) },
    { name: 'pod fits', pod: newResourcePod({ ephemeralStorage: 10 }), existing: newResourcePod({ milliCPU: 2, memory: 2 }) },
  ];
  for (const c of refd('TestStorageRequests', storage)) {
    it(c.ref, () => {
      const nodeInfo = new NodeInfo(c.existing);
      nodeInfo.setNode(nodeWith(makeAllocatableResources(10, 20, 32, 5, 20, 5)));
      const p = newFit({});
      const state = new CycleState();
      p.preFilter(state, c.pod);
      const status = p.filter(state, c.pod, nodeInfo);
      if (c.want) expect({ code: status?.code, reasons: status?.reasons }).toEqual(c.want);
      else expect(status).toBeNull();
    });
  }

  const sidecarPod = (request?: string, sidecarRequest?: string): Pod => {
    const pod = makePod().obj();
    pod.spec.containers = [{ name: 'regular', ...(request ? { resources: { requests: { cpu: request } } } : {}) }];
    pod.spec.initContainers = [{ name: 'restartable-init', restartPolicy: 'Always', ...(sidecarRequest ? { resources: { requests: { cpu: sidecarRequest } } } : {}) }];
    return pod;
  };
  const plainPod = (): Pod => {
    const pod = makePod().obj();
    pod.spec.containers = [{ name: 'regular' }];
    return pod;
  };
  const sidecarCases: { name: string; pod: Pod; enableSidecarContainers: boolean; wantPreFilter?: { code: Code; reasons: string[] }; wantFilter?: { code: Code; reasons: string[] } }[] = [
    { name: 'allow pod without restartable init containers if sidecar containers is disabled', pod: plainPod(), enableSidecarContainers: false },
    {
      name: 'not allow pod with restartable init containers if sidecar containers is disabled', pod: sidecarPod(), enableSidecarContainers: false,
      wantPreFilter: { code: 'UnschedulableAndUnresolvable', reasons: ['Pod has a restartable init container and the SidecarContainers feature is disabled'] },
    },
    { name: 'allow pod without restartable init containers if sidecar containers is enabled', pod: plainPod(), enableSidecarContainers: true },
    { name: 'allow pod with restartable init containers if sidecar containers is enabled', pod: sidecarPod(), enableSidecarContainers: true },
    { name: "allow pod if the total requested resources do not exceed the node's allocatable resources", pod: sidecarPod('1m', '1m'), enableSidecarContainers: true },
    {
      name: "not allow pod if the total requested resources do exceed the node's allocatable resources", pod: sidecarPod('1m', '2m'), enableSidecarContainers: true,
      wantFilter: { code: 'UnschedulableAndUnresolvable', reasons: [reason('cpu')] },
    },
  ];
  for (const c of refd('TestRestartableInitContainers', sidecarCases)) {
    it(c.ref, () => {
      const nodeInfo = new NodeInfo();
      nodeInfo.setNode(nodeWith(makeAllocatableResources(2, 0, 1, 0, 0, 0)));
      const p = newFit({}, undefined, { ...defaultFeatures(), enableSidecarContainers: c.enableSidecarContainers });
      const state = new CycleState();
      const [, pre] = p.preFilter(state, c.pod);
      if (c.wantPreFilter) {
        expect({ code: pre?.code, reasons: pre?.reasons }).toEqual(c.wantPreFilter);
        return;
      }
      expect(pre).toBeNull();
      const status = p.filter(state, c.pod, nodeInfo);
      if (c.wantFilter) expect({ code: status?.code, reasons: status?.reasons }).toEqual(c.wantFilter);
      else expect(status).toBeNull();
    });
  }
});

describe('NodeResourcesFit Score', () => {
  const defaultResources = [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }];
  const nodes = (cpu2: string) => [
    makeNode().name('node1').capacity({ cpu: '4000', memory: '10000' }).obj(),
    makeNode().name('node2').capacity({ cpu: cpu2, memory: '10000' }).obj(),
  ];
  const existing = () => [
    makePod().node('node1').req({ cpu: '2000', memory: '4000' }).obj(),
    makePod().node('node2').req({ cpu: '1000', memory: '2000' }).obj(),
  ];
  const sidecarExisting = () => [
    makePod().node('node1').req({ cpu: '1000', memory: '2000' }).initReq({ cpu: '1000', memory: '2000' }, 'Always').obj(),
    makePod().node('node2').req({ cpu: '1000', memory: '2000' }).obj(),
  ];
  const rtcr = (shape: { utilization: number; score: number }[]): NodeResourcesFitArgs => ({
    scoringStrategy: { type: 'RequestedToCapacityRatio', resources: defaultResources, requestedToCapacityRatio: { shape } },
  });
  const cases: { name: string; pod: Pod; nodes: Node[]; existing: Pod[]; args: NodeResourcesFitArgs; want: [number, number]; runPreScore: boolean }[] = [
    {
      name: 'test case for ScoringStrategy RequestedToCapacityRatio case1', pod: makePod().req({ cpu: '3000', memory: '5000' }).obj(),
      nodes: nodes('6000'), existing: existing(), args: rtcr([{ utilization: 0, score: 10 }, { utilization: 100, score: 0 }]), want: [10, 32], runPreScore: true,
    },
    {
      name: 'test case for ScoringStrategy RequestedToCapacityRatio case2', pod: makePod().req({ cpu: '3000', memory: '5000' }).obj(),
      nodes: nodes('6000'), existing: existing(), args: rtcr([{ utilization: 0, score: 0 }, { utilization: 100, score: 10 }]), want: [95, 68], runPreScore: true,
    },
    {
      name: 'test case for ScoringStrategy MostAllocated', pod: makePod().req({ cpu: '1000', memory: '2000' }).obj(),
      nodes: nodes('6000'), existing: existing(), args: { scoringStrategy: { type: 'MostAllocated', resources: defaultResources } }, want: [67, 36], runPreScore: true,
    },
    {
      name: 'test case for ScoringStrategy LeastAllocated', pod: makePod().req({ cpu: '1000', memory: '2000' }).obj(),
      nodes: nodes('6000'), existing: existing(), args: { scoringStrategy: { type: 'LeastAllocated', resources: defaultResources } }, want: [32, 63], runPreScore: true,
    },
    {
      name: 'test case for ScoringStrategy RequestedToCapacityRatio case1 if PreScore is not called', pod: makePod().req({ cpu: '3000', memory: '5000' }).obj(),
      nodes: nodes('6000'), existing: existing(), args: rtcr([{ utilization: 0, score: 10 }, { utilization: 100, score: 0 }]), want: [10, 32], runPreScore: false,
    },
    {
      name: 'test case for ScoringStrategy MostAllocated if PreScore is not called', pod: makePod().req({ cpu: '1000', memory: '2000' }).obj(),
      nodes: nodes('6000'), existing: existing(), args: { scoringStrategy: { type: 'MostAllocated', resources: defaultResources } }, want: [67, 36], runPreScore: false,
    },
    {
      name: 'test case for ScoringStrategy LeastAllocated if PreScore is not called', pod: makePod().req({ cpu: '1000', memory: '2000' }).obj(),
      nodes: nodes('6000'), existing: existing(), args: { scoringStrategy: { type: 'LeastAllocated', resources: defaultResources } }, want: [32, 63], runPreScore: false,
    },
    {
      name: 'test case for ScoringStrategy MostAllocated with sidecar container', pod: makePod().req({ cpu: '1000', memory: '2000' }).obj(),
      nodes: nodes('4000'), existing: sidecarExisting(), args: { scoringStrategy: { type: 'MostAllocated', resources: defaultResources } }, want: [67, 45], runPreScore: true,
    },
    {
      name: 'test case for ScoringStrategy LeastAllocated with sidecar container', pod: makePod().req({ cpu: '1000', memory: '2000' }).obj(),
      nodes: nodes('4000'), existing: sidecarExisting(), args: { scoringStrategy: { type: 'LeastAllocated', resources: defaultResources } }, want: [32, 55], runPreScore: true,
    },
  ];
  for (const c of refd('TestFitScore', cases)) {
    it(c.ref, () => {
      const r = runScore(newFit(c.args), c.pod, c.nodes, c.existing, c.runPreScore);
      expect(r.codes).toEqual(['Success', 'Success']);
      expect(r.scores).toEqual([{ name: 'node1', score: c.want[0] }, { name: 'node2', score: c.want[1] }]);
    });
  }
});

describe('NodeResourcesFit events and queueing hints', () => {
  const evs = (f: Partial<ReturnType<typeof defaultFeatures>>) =>
    newFit({}, undefined, { ...defaultFeatures(), enableSchedulingQueueHint: false, enableInPlacePodVerticalScaling: false, ...f })
      .eventsToRegister().map((e) => e.event);
  const nodeWithoutHint = ActionType.Add | ActionType.UpdateNodeAllocatable | ActionType.UpdateNodeTaint | ActionType.UpdateNodeLabel;

  it('TestEventsToRegister/Register events with InPlacePodVerticalScaling feature enabled', () => {
    expect(evs({ enableInPlacePodVerticalScaling: true })).toEqual([
      { resource: 'Pod', actionType: ActionType.UpdatePodScaleDown | ActionType.Delete },
      { resource: 'Node', actionType: nodeWithoutHint },
    ]);
  });
  it('TestEventsToRegister/Register events with SchedulingQueueHint feature enabled', () => {
    expect(evs({ enableSchedulingQueueHint: true })).toEqual([
      { resource: 'Pod', actionType: ActionType.Delete },
      { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeAllocatable },
    ]);
  });
  it('TestEventsToRegister/Register events with InPlacePodVerticalScaling feature disabled', () => {
    expect(evs({})).toEqual([
      { resource: 'Pod', actionType: ActionType.Delete },
      { resource: 'Node', actionType: nodeWithoutHint },
    ]);
  });
  it('v1.34 defaults (queueing hints GA, in-place resize beta) register Pod Delete|UpdatePodScaleDown and Node Add|UpdateNodeAllocatable', () => {
    const fit = newFit({});
    expect(fit.name).toBe(FitName);
    expect(fit.eventsToRegister().map((e) => e.event)).toEqual([
      { resource: 'Pod', actionType: ActionType.Delete | ActionType.UpdatePodScaleDown },
      { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeAllocatable },
    ]);
    expect(fit.eventsToRegister().every((e) => typeof e.queueingHintFn === 'function')).toBe(true);
  });

  const req = (name: string, uid: string | undefined, rl: Record<string, string>, node?: string): Pod => {
    const w = makePod().name(name).req(rl);
    if (uid) w.uid(uid);
    if (node) w.node(node);
    return w.obj();
  };
  const podLevel = (name: string, uid: string, rl: Record<string, string>, node?: string): Pod => {
    const p = makePod().name(name).uid(uid).obj();
    p.spec.resources = { requests: rl };
    if (node) p.spec.nodeName = node;
    return p;
  };
  const podCases: { name: string; pod: Pod; oldObj?: unknown; newObj?: unknown; ippvs: boolean; want: 'Queue' | 'QueueSkip' }[] = [
    { name: 'backoff-wrong-old-object', pod: makePod().obj(), oldObj: 'not-a-pod', ippvs: true, want: 'Queue' },
    { name: 'backoff-wrong-new-object', pod: makePod().obj(), newObj: 'not-a-pod', ippvs: true, want: 'Queue' },
    { name: 'queue-on-other-pod-deleted', pod: req('pod1', undefined, { cpu: '1' }), oldObj: req('pod2', undefined, { cpu: '1' }, 'fake'), ippvs: true, want: 'Queue' },
    { name: 'skip-queue-on-unscheduled-pod-deleted', pod: makePod().obj(), oldObj: makePod().obj(), ippvs: true, want: 'QueueSkip' },
    {
      name: 'skip-queue-on-disable-inplace-pod-vertical-scaling', pod: req('pod1', undefined, { cpu: '1' }),
      oldObj: req('pod2', undefined, { cpu: '2' }, 'fake'), newObj: req('pod2', undefined, { cpu: '1' }, 'fake'), ippvs: false, want: 'QueueSkip',
    },
    {
      name: 'skip-queue-on-other-unscheduled-pod', pod: req('pod1', 'uid0', { cpu: '1' }),
      oldObj: req('pod2', 'uid1', { cpu: '2' }), newObj: req('pod2', 'uid1', { cpu: '1' }), ippvs: true, want: 'QueueSkip',
    },
    {
      name: 'skip-queue-on-other-pod-unrelated-resource-scaled-down', pod: req('pod1', 'pod1', { cpu: '1' }),
      oldObj: req('pod2', 'pod2', { memory: '2' }, 'fake'), newObj: req('pod2', 'pod2', { memory: '1' }, 'fake'), ippvs: true, want: 'QueueSkip',
    },
    {
      name: 'skip-queue-on-other-pod-unrelated-pod-level-resource-scaled-down', pod: podLevel('pod1', 'pod1', { cpu: '1' }),
      oldObj: podLevel('pod2', 'pod2', { memory: '2' }, 'fake'), newObj: podLevel('pod2', 'pod2', { memory: '1' }, 'fake'), ippvs: true, want: 'QueueSkip',
    },
    {
      name: 'queue-on-other-pod-some-resource-scale-down', pod: req('pod1', 'pod1', { cpu: '1' }),
      oldObj: req('pod2', 'pod2', { cpu: '2' }, 'fake'), newObj: req('pod2', 'pod2', { cpu: '1' }, 'fake'), ippvs: true, want: 'Queue',
    },
    {
      name: 'queue-on-other-pod-some-pod-level-resource-scale-down', pod: podLevel('pod1', 'pod1', { cpu: '1' }),
      oldObj: podLevel('pod2', 'pod2', { cpu: '2' }, 'fake'), newObj: podLevel('pod2', 'pod2', { cpu: '1' }, 'fake'), ippvs: true, want: 'Queue',
    },
    {
      name: 'queue-on-target-pod-some-resource-scale-down', pod: req('pod1', 'pod1', { cpu: '1' }),
      oldObj: req('pod1', 'pod1', { cpu: '2' }), newObj: req('pod1', 'pod1', { cpu: '1' }), ippvs: true, want: 'Queue',
    },
    {
      name: 'queue-on-target-pod-some-pod-level-resource-scale-down', pod: podLevel('pod1', 'pod1', { cpu: '1' }),
      oldObj: podLevel('pod1', 'pod1', { cpu: '2' }), newObj: podLevel('pod1', 'pod1', { cpu: '1' }), ippvs: true, want: 'Queue',
    },
  ];
  for (const c of refd('Test_isSchedulableAfterPodChange', podCases)) {
    it(c.ref, () => {
      const p = newFit({}, undefined, { ...defaultFeatures(), enableInPlacePodVerticalScaling: c.ippvs });
      expect(p.isSchedulableAfterPodEvent(c.pod, c.oldObj, c.newObj)).toBe(c.want);
    });
  }

  const cap = (rl: Record<string, string>): Node => makeNode().capacity(rl).obj();
  const nodeCases: { name: string; pod: Pod; oldObj?: unknown; newObj?: unknown; want: 'Queue' | 'QueueSkip' }[] = [
    { name: 'backoff-wrong-new-object', pod: makePod().obj(), newObj: 'not-a-node', want: 'Queue' },
    { name: 'backoff-wrong-old-object', pod: makePod().obj(), oldObj: 'not-a-node', newObj: makeNode().obj(), want: 'Queue' },
    { name: 'skip-queue-on-node-add-without-sufficient-resources', pod: newResourcePod({ memory: 2 }), newObj: cap({ memory: '1' }), want: 'QueueSkip' },
    {
      name: 'skip-queue-on-node-add-without-required-resource-type', pod: newResourcePod({ scalar: { [extendedResourceA]: 1 } }),
      newObj: cap({ [extendedResourceB]: '1' }), want: 'QueueSkip',
    },
    {
      name: 'queue-on-node-add-with-sufficient-resources', pod: newResourcePod({ memory: 2, scalar: { [extendedResourceA]: 1 } }),
      newObj: cap({ memory: '4', [extendedResourceA]: '2' }), want: 'Queue',
    },
    {
      name: 'skip-queue-on-node-unrelated-changes', pod: newResourcePod({ memory: 2, scalar: { [extendedResourceA]: 1 } }),
      oldObj: cap({ memory: '2', [extendedResourceA]: '2' }), newObj: cap({ memory: '2', [extendedResourceA]: '1', [extendedResourceB]: '2' }), want: 'QueueSkip',
    },
    {
      name: 'queue-on-pod-requested-resources-increase', pod: newResourcePod({ memory: 2, scalar: { [extendedResourceA]: 1 } }),
      oldObj: cap({ memory: '2', [extendedResourceA]: '1' }), newObj: cap({ memory: '2', [extendedResourceA]: '2' }), want: 'Queue',
    },
    {
      name: 'skip-queue-on-node-changes-from-suitable-to-unsuitable', pod: newResourcePod({ memory: 2, scalar: { [extendedResourceA]: 1 } }),
      oldObj: cap({ memory: '4', [extendedResourceA]: '2' }), newObj: cap({ memory: '1', [extendedResourceA]: '2' }), want: 'QueueSkip',
    },
    {
      name: 'queue-on-node-changes-from-unsuitable-to-suitable', pod: newResourcePod({ memory: 2, scalar: { [extendedResourceA]: 1 } }),
      oldObj: cap({ memory: '1', [extendedResourceA]: '2' }), newObj: cap({ memory: '4', [extendedResourceA]: '2' }), want: 'Queue',
    },
  ];
  for (const c of refd('Test_isSchedulableAfterNodeChange', nodeCases)) {
    it(c.ref, () => {
      expect(newFit({}).isSchedulableAfterNodeChange(c.pod, c.oldObj, c.newObj)).toBe(c.want);
    });
  }

  const fitCases: { name: string; pod: Pod; node?: Node; want: boolean }[] = [
    { name: 'nil node', pod: makePod().obj(), want: false },
    { name: 'insufficient resource', pod: makePod().req({ cpu: '2' }).obj(), node: cap({ cpu: '1' }), want: false },
    { name: 'sufficient resource', pod: makePod().req({ cpu: '1' }).obj(), node: cap({ cpu: '2' }), want: true },
    { name: 'insufficient pod-level resource', pod: makePod().podLevelReq({ cpu: '2' }).obj(), node: cap({ cpu: '1' }), want: false },
    { name: 'sufficient pod-level resource', pod: makePod().podLevelReq({ cpu: '2' }).obj(), node: cap({ cpu: '2' }), want: true },
    { name: 'sufficient pod-level resource hugepages', pod: makePod().podLevelReq({ [hugePageResourceA]: '2Mi' }).obj(), node: cap({ [hugePageResourceA]: '2Mi' }), want: true },
    { name: 'insufficient pod-level resource hugepages', pod: makePod().podLevelReq({ [hugePageResourceA]: '4Mi' }).obj(), node: cap({ [hugePageResourceA]: '2Mi' }), want: false },
  ];
  for (const c of refd('TestIsFit', fitCases)) {
    it(c.ref, () => {
      expect(isFit(c.pod, c.node)).toBe(c.want);
    });
  }

  const all = (pods: string, cpu: string, memory: string, eph: string, a?: string): Node =>
    cap({ pods, cpu, memory, 'ephemeral-storage': eph, ...(a !== undefined ? { [extendedResourceA]: a } : {}) });
  const three = (cpu: string, memory: string, eph: string, a?: string): Node =>
    cap({ cpu, memory, 'ephemeral-storage': eph, ...(a !== undefined ? { [extendedResourceA]: a } : {}) });
  const full = { milliCPU: 2, memory: 2, ephemeralStorage: 2, scalar: { [extendedResourceA]: 2 } };
  const increasedCases: { name: string; pod: Pod; original: Node; modified: Node; want: boolean }[] = [
    { name: 'no-requested-resources', pod: newResourcePod({}), original: all('1', '1', '1', '1', '1'), modified: all('1', '2', '2', '2', '2'), want: false },
    { name: 'no-requested-resources-pods-increased', pod: newResourcePod({}), original: all('1', '1', '1', '1', '1'), modified: all('2', '1', '1', '1', '1'), want: true },
    { name: 'scalar-resources-not-in-node', pod: newResourcePod(full), original: three('1', '2', '3'), modified: three('1', '2', '1'), want: false },
    { name: 'requested-resources-decreased', pod: newResourcePod(full), original: three('1', '2', '3', '4'), modified: three('1', '2', '1', '1'), want: false },
    { name: 'requested-resources-increased', pod: newResourcePod(full), original: three('1', '2', '3', '4'), modified: three('3', '4', '3', '4'), want: true },
    {
      name: 'non-requested-resources-decreased', pod: newResourcePod({ milliCPU: 2, memory: 2 }),
      original: three('1', '2', '3', '4'), modified: three('1', '2', '1', '1'), want: false,
    },
    {
      name: 'non-requested-resources-increased', pod: newResourcePod({ milliCPU: 2, memory: 2 }),
      original: three('1', '2', '3', '4'), modified: three('1', '2', '5', '6'), want: false,
    },
  ];
  for (const c of refd('TestHaveAnyRequestedResourcesIncreased', increasedCases)) {
    it(c.ref, () => {
      expect(haveAnyRequestedResourcesIncreased(c.pod, c.original, c.modified)).toBe(c.want);
    });
  }
});
