import { describe, expect, it } from 'vitest';
import type { Pod, PodSpec } from '../../../api/core/v1';
import { DefaultMemoryRequest, DefaultMilliCPURequest } from '../../framework/resource';
import { NodeInfo } from '../../framework/types';
import { makeNode } from '../../testing/wrappers';
import { ResourceAllocationScorer } from './resource_allocation';
import { refd } from './test_helpers';

const oneMi = 1048576;
const pod = (spec: Partial<PodSpec>): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: { containers: [], ...spec } });
const c = (requests?: Record<string, string>) => ({ name: 'c', ...(requests ? { resources: { requests } } : {}) });
/** Go's zero `resourceAllocationScorer`: non-zero requests, pod-level resources off. */
const zeroScorer = () => new ResourceAllocationScorer('', () => 0, [], false, { enablePodLevelResources: false });

describe('resourceAllocationScorer', () => {
  const cases: { name: string; pod: Pod; expected: Record<string, number> }[] = [
    { name: 'overhead only', pod: pod({ overhead: { cpu: '1', memory: '1Mi' } }), expected: { cpu: 1000, memory: oneMi } },
    { name: '1x requestless container', pod: pod({ containers: [c()] }), expected: { cpu: DefaultMilliCPURequest, memory: DefaultMemoryRequest } },
    { name: '2x requestless container', pod: pod({ containers: [c(), c()] }), expected: { cpu: 2 * DefaultMilliCPURequest, memory: 2 * DefaultMemoryRequest } },
    {
      name: 'request container + requestless container', pod: pod({ containers: [c({ cpu: '1', memory: '1Mi' }), c()] }),
      expected: { cpu: 1000 + DefaultMilliCPURequest, memory: oneMi + DefaultMemoryRequest },
    },
    {
      name: 'container + requestless container + overhead', pod: pod({ overhead: { cpu: '1', memory: '1Mi' }, containers: [c({ cpu: '1', memory: '1Mi' }), c()] }),
      expected: { cpu: 2000 + DefaultMilliCPURequest, memory: 2 * oneMi + DefaultMemoryRequest },
    },
    {
      name: 'init container + container + requestless container + overhead',
      pod: pod({ overhead: { cpu: '1', memory: '1Mi' }, initContainers: [c({ cpu: '3' })], containers: [c({ cpu: '1', memory: '1Mi' }), c()] }),
      expected: { cpu: 4000, memory: 2 * oneMi + DefaultMemoryRequest },
    },
    {
      name: 'requestless init container + small init container + small container ',
      pod: pod({ initContainers: [c(), c({ cpu: '1m', memory: '1' })], containers: [c({ cpu: '3m', memory: '3' })] }),
      expected: { cpu: DefaultMilliCPURequest, memory: DefaultMemoryRequest },
    },
    {
      name: 'requestless init container + small init container + small container + requestless container ',
      pod: pod({ initContainers: [c(), c({ cpu: '1m', memory: '1' })], containers: [c({ cpu: '3m', memory: '3' }), c()] }),
      expected: { cpu: 3 + DefaultMilliCPURequest, memory: 3 + DefaultMemoryRequest },
    },
  ];
  for (const tc of refd('TestResourceAllocationScorerCalculateRequests', cases)) {
    it(tc.ref, () => {
      const s = zeroScorer();
      const got = Object.fromEntries(Object.keys(tc.expected).map((n) => [n, s.calculatePodResourceRequest(tc.pod, n)]));
      expect(got).toEqual(tc.expected);
    });
  }

  it('TestCalculateResourceAllocatableRequest/device-plugin-resource-feature-disabled', () => {
    const ni = new NodeInfo();
    ni.setNode(makeNode().name('resource-node').capacity({ 'extended.resource.dra.io/something': '4' }).obj());
    expect(zeroScorer().calculateResourceAllocatableRequest(ni, 'extended.resource.dra.io/something', 1)).toEqual([4, 1]);
  });

  it('an extended resource the pod does not request is left out: (0, 0)', () => {
    const ni = new NodeInfo();
    ni.setNode(makeNode().name('n').capacity({ 'example.com/gpu': '4' }).obj());
    expect(zeroScorer().calculateResourceAllocatableRequest(ni, 'example.com/gpu', 0)).toEqual([0, 0]);
  });
});
