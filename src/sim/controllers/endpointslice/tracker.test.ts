import { describe, expect, it } from 'vitest';
import type { Pod, Service } from '../../api/core/v1';
import type { EndpointSlice } from '../../api/discovery/v1';
import { TriggerTimeTracker } from '../util/trigger_time_tracker';
import { EndpointSliceTracker } from './tracker';

const slice = (generation: number): EndpointSlice => ({ metadata: { name: 'example-1', namespace: 'ns1', uid: 'original', generation, labels: { 'kubernetes.io/service-name': 'svc1' } }, addressType: 'IPv4', endpoints: [] });
const svc1: Service = { metadata: { name: 'svc1', namespace: 'ns1' }, spec: {} };

describe('EndpointSliceTracker (k8s.io/endpointslice util)', () => {
  const tracked = (gens: Record<string, number> | undefined) => {
    const t = new EndpointSliceTracker();
    if (gens) t.generationsByService.set('ns1/svc1', new Map(Object.entries(gens)));
    return t;
  };
  const cases = [
    { ref: 'TestEndpointSliceTrackerStaleSlices/empty tracker', t: tracked(undefined), slices: [], stale: false },
    { ref: 'TestEndpointSliceTrackerStaleSlices/empty slices', t: tracked({}), slices: [], stale: false },
    { ref: 'TestEndpointSliceTrackerStaleSlices/matching slices', t: tracked({ original: 1 }), slices: [slice(1)], stale: false },
    { ref: 'TestEndpointSliceTrackerStaleSlices/newer slice in tracker', t: tracked({ original: 2 }), slices: [slice(1)], stale: true },
    { ref: 'TestEndpointSliceTrackerStaleSlices/newer slice in params', t: tracked({ original: 1 }), slices: [slice(2)], stale: false },
    { ref: 'TestEndpointSliceTrackerStaleSlices/slice in params is expected to be deleted', t: tracked({ original: -1 }), slices: [slice(1)], stale: true },
    { ref: 'TestEndpointSliceTrackerStaleSlices/slice in tracker but not in params', t: tracked({ original: 1 }), slices: [], stale: true },
  ];
  for (const c of cases) it(c.ref, () => expect(c.t.staleSlices(svc1, c.slices)).toBe(c.stale));

  it('TestEndpointSliceTrackerUpdate: our own write does not call for a sync, a newer generation does', () => {
    const t = new EndpointSliceTracker();
    expect(t.shouldSync(slice(1))).toBe(true);
    t.update(slice(1));
    expect(t.has(slice(1))).toBe(true);
    expect(t.shouldSync(slice(1))).toBe(false);
    expect(t.shouldSync(slice(2))).toBe(true);
  });

  it('TestEndpointSliceTrackerDeletion: an expected deletion is ours, another is not', () => {
    const t = new EndpointSliceTracker();
    t.update(slice(1));
    expect(t.handleDeletion(slice(1))).toBe(false);
    t.update(slice(1));
    t.expectDeletion(slice(1));
    expect(t.staleSlices(svc1, [slice(1)])).toBe(true);
    expect(t.handleDeletion(slice(1))).toBe(true);
    expect(t.has(slice(1))).toBe(false);
  });

  it('TestEndpointSliceTrackerDeleteService', () => {
    const t = new EndpointSliceTracker();
    t.update(slice(1));
    t.deleteService('ns1', 'svc1');
    expect(t.has(slice(1))).toBe(false);
    expect(t.shouldSync(slice(1))).toBe(true);
  });
});

describe('TriggerTimeTracker (k8s.io/endpointslice util)', () => {
  const t = (s: number) => Date.UTC(2019, 0, 1, 0, 0, s);
  const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
  const service = (created: number): Service => ({ metadata: { namespace: 'ttNamespace1', name: 'my-service', creationTimestamp: iso(created) }, spec: {} });
  const pod = (name: string, ready: number): Pod => ({ metadata: { namespace: 'ttNamespace1', name }, spec: { containers: [] }, status: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: iso(ready) }] } });
  const when = (tr: TriggerTimeTracker, s: Service, ...pods: Pod[]) => tr.computeEndpointLastChangeTriggerTime('ttNamespace1', s, pods);

  it('TestNewServiceNoPods', () => expect(when(new TriggerTimeTracker(), service(t(2)))).toBe(t(2)));
  it('TestNewServiceExistingPods', () => expect(when(new TriggerTimeTracker(), service(t(3)), pod('pod1', t(0)), pod('pod2', t(1)), pod('pod3', t(5)))).toBe(t(3)));
  it('TestPodsAdded', () => {
    const tr = new TriggerTimeTracker();
    expect(when(tr, service(t(0)))).toBe(t(0));
    expect(when(tr, service(t(0)), pod('pod1', t(2)), pod('pod2', t(1)))).toBe(t(1));
  });
  it('TestPodsUpdated', () => {
    const tr = new TriggerTimeTracker();
    expect(when(tr, service(t(0)), pod('pod1', t(1)), pod('pod2', t(2)), pod('pod3', t(3)))).toBe(t(0));
    expect(when(tr, service(t(0)), pod('pod1', t(5)), pod('pod2', t(4)), pod('pod3', t(3)))).toBe(t(4));
  });
  it('TestPodsUpdatedNoOp', () => {
    const tr = new TriggerTimeTracker();
    const pods = [pod('pod1', t(1)), pod('pod2', t(2)), pod('pod3', t(3))];
    expect(when(tr, service(t(0)), ...pods)).toBe(t(0));
    expect(when(tr, service(t(0)), ...pods)).toBeUndefined();
  });
  it('TestPodDeletedThenAdded', () => {
    const tr = new TriggerTimeTracker();
    expect(when(tr, service(t(0)), pod('pod1', t(1)), pod('pod2', t(2)))).toBe(t(0));
    expect(when(tr, service(t(0)), pod('pod1', t(1)))).toBeUndefined();
    expect(when(tr, service(t(0)), pod('pod1', t(1)), pod('pod2', t(4)))).toBe(t(4));
  });
  it('TestServiceDeletedThenAdded', () => {
    const tr = new TriggerTimeTracker();
    expect(when(tr, service(t(0)), pod('pod1', t(1)), pod('pod2', t(2)))).toBe(t(0));
    tr.deleteService('ttNamespace1', 'my-service');
    expect(when(tr, service(t(3)), pod('pod1', t(1)), pod('pod2', t(2)))).toBe(t(3));
  });
  it('TestServiceUpdatedNoPodChange', () => {
    const tr = new TriggerTimeTracker();
    const s = service(t(0));
    expect(when(tr, s, pod('pod1', t(1)), pod('pod2', t(2)))).toBe(t(0));
    s.spec = { selector: {}, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] };
    expect(when(tr, s, pod('pod1', t(1)), pod('pod2', t(2)))).toBeUndefined();
  });
});
