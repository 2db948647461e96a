import { describe, expect, it } from 'vitest';
import type { Node } from '../../../api/core/v1';
import type { Endpoint, EndpointSlice } from '../../../api/discovery/v1';
import { InsufficientNodeInfo, InsufficientNumberOfEndpoints, TopologyAwareHintsEnabled } from './event';
import { TopologyCache } from './topologycache';

/** An endpoint; `ready: 'unknown'` leaves its conditions out. */
const ep = (address: string, zone: string, ready: boolean | 'unknown' = true, hint?: string): Endpoint => ({
  addresses: [address],
  zone,
  ...(ready === 'unknown' ? {} : { conditions: { ready } }),
  ...(hint ? { hints: { forZones: [{ name: hint }] } } : {}),
});
const slice = (...endpoints: Endpoint[]) => ({ metadata: {}, addressType: 'IPv4', endpoints }) as EndpointSlice;

describe('TopologyCache.AddHints (k8s.io/endpointslice topologycache)', () => {
  const cases: {
    ref: string;
    ratios?: Record<string, number>;
    toCreate?: EndpointSlice[];
    toUpdate?: EndpointSlice[];
    wantByZone?: Record<string, number>;
    wantCreate: EndpointSlice[];
    wantUpdate: EndpointSlice[];
    wantEvents: [string, string, string][];
  }[] = [
    { ref: 'TestAddHints/empty', wantCreate: [], wantUpdate: [], wantEvents: [['Warning', 'TopologyAwareHintsDisabled', InsufficientNodeInfo]] },
    {
      ref: 'TestAddHints/slice to create, no zone ratios',
      toCreate: [slice(ep('10.1.2.3', 'zone-a'))],
      wantCreate: [slice(ep('10.1.2.3', 'zone-a'))], wantUpdate: [],
      wantEvents: [['Warning', 'TopologyAwareHintsDisabled', InsufficientNodeInfo]],
    },
    {
      ref: 'TestAddHints/slice to create with 2 endpoints, zone ratios require 3',
      ratios: { 'zone-a': 0.3, 'zone-b': 0.4, 'zone-c': 0.3 },
      toCreate: [slice(ep('10.1.2.3', 'zone-a'), ep('10.1.2.4', 'zone-b'))],
      wantCreate: [slice(ep('10.1.2.3', 'zone-a'), ep('10.1.2.4', 'zone-b'))], wantUpdate: [],
      wantEvents: [['Warning', 'TopologyAwareHintsDisabled', InsufficientNumberOfEndpoints]],
    },
    {
      ref: 'TestAddHints/slice to create with 2 endpoints, zone ratios only require 2',
      ratios: { 'zone-a': 0.45, 'zone-b': 0.55 },
      toCreate: [slice(ep('10.1.2.3', 'zone-a'), ep('10.1.2.4', 'zone-b'))],
      wantByZone: { 'zone-a': 1, 'zone-b': 1 },
      wantCreate: [slice(ep('10.1.2.3', 'zone-a', true, 'zone-a'), ep('10.1.2.4', 'zone-b', true, 'zone-b'))], wantUpdate: [],
      wantEvents: [['Normal', 'TopologyAwareHintsEnabled', TopologyAwareHintsEnabled]],
    },
    {
      ref: 'TestAddHints/slice to create with 2 ready, 1 unready, 1 unknown endpoints, zone ratios only require 2',
      ratios: { 'zone-a': 0.45, 'zone-b': 0.55 },
      toCreate: [slice(ep('10.1.2.3', 'zone-a'), ep('10.1.2.4', 'zone-b'), ep('10.1.2.5', 'zone-b', false), ep('10.1.2.6', 'zone-b', 'unknown'))],
      wantByZone: { 'zone-a': 1, 'zone-b': 1 },
      wantCreate: [slice(ep('10.1.2.3', 'zone-a', true, 'zone-a'), ep('10.1.2.4', 'zone-b', true, 'zone-b'), ep('10.1.2.5', 'zone-b', false), ep('10.1.2.6', 'zone-b', 'unknown'))], wantUpdate: [],
      wantEvents: [['Normal', 'TopologyAwareHintsEnabled', TopologyAwareHintsEnabled]],
    },
    {
      ref: 'TestAddHints/slices to create and update within 3 zone threshold',
      ratios: { 'zone-a': 0.35, 'zone-b': 0.35, 'zone-c': 0.3 },
      toCreate: [slice(ep('10.1.2.3', 'zone-a'), ep('10.1.2.4', 'zone-b')), slice(ep('10.1.3.3', 'zone-c'), ep('10.1.3.4', 'zone-c'), ep('10.1.3.4', 'zone-a'))],
      toUpdate: [slice(ep('10.2.2.3', 'zone-a'), ep('10.2.2.4', 'zone-a')), slice(ep('10.2.3.3', 'zone-b'), ep('10.2.3.4', 'zone-c'), ep('10.2.3.4', 'zone-a'))],
      wantByZone: { 'zone-a': 4, 'zone-b': 3, 'zone-c': 3 },
      wantCreate: [
        slice(ep('10.1.2.3', 'zone-a', true, 'zone-b'), ep('10.1.2.4', 'zone-b', true, 'zone-b')),
        slice(ep('10.1.3.3', 'zone-c', true, 'zone-c'), ep('10.1.3.4', 'zone-c', true, 'zone-c'), ep('10.1.3.4', 'zone-a', true, 'zone-a')),
      ],
      wantUpdate: [
        slice(ep('10.2.2.3', 'zone-a', true, 'zone-a'), ep('10.2.2.4', 'zone-a', true, 'zone-a')),
        slice(ep('10.2.3.3', 'zone-b', true, 'zone-b'), ep('10.2.3.4', 'zone-c', true, 'zone-c'), ep('10.2.3.4', 'zone-a', true, 'zone-a')),
      ],
      wantEvents: [['Normal', 'TopologyAwareHintsEnabled', TopologyAwareHintsEnabled]],
    },
  ];
  for (const c of cases) {
    it(c.ref, () => {
      const cache = new TopologyCache();
      cache.cpuRatiosByZone = c.ratios ? new Map(Object.entries(c.ratios)) : undefined;
      const [create, update, events] = cache.addHints({ serviceKey: 'ns/svc', addressType: 'IPv4', toCreate: c.toCreate ?? [], toUpdate: c.toUpdate ?? [], unchanged: [] });
      expect(create.map((s) => s.endpoints)).toEqual(c.wantCreate.map((s) => s.endpoints));
      expect(update.map((s) => s.endpoints)).toEqual(c.wantUpdate.map((s) => s.endpoints));
      expect(events.map((e) => [e.eventType, e.reason])).toEqual(c.wantEvents.map(([t, r]) => [t, r]));
      events.forEach((e, i) => expect(e.message.startsWith(c.wantEvents[i][2])).toBe(true));
      const byZone = cache.endpointsByService.get('ns/svc')?.get('IPv4');
      expect(byZone ? Object.fromEntries(byZone) : undefined).toEqual(c.wantByZone);
    });
  }
});

describe('TopologyCache.SetNodes', () => {
  type N = { zone: string; cpu: string; ready: boolean; labels?: Record<string, string> };
  const cases: { ref: string; nodes: N[]; sufficient: boolean; cpu?: Record<string, number>; ratios?: Record<string, number> }[] = [
    { ref: 'TestSetNodes/empty', nodes: [], sufficient: false },
    { ref: 'TestSetNodes/single node', nodes: [{ zone: 'zone-a', cpu: '1000m', ready: true }], sufficient: false },
    { ref: 'TestSetNodes/single zone', nodes: [{ zone: 'zone-a', cpu: '1000m', ready: true }, { zone: 'zone-a', cpu: '1000m', ready: true }], sufficient: false },
    { ref: 'TestSetNodes/2 zones', nodes: [{ zone: 'zone-a', cpu: '1000m', ready: true }, { zone: 'zone-b', cpu: '1000m', ready: true }], sufficient: true, cpu: { 'zone-a': 1000, 'zone-b': 1000 }, ratios: { 'zone-a': 0.5, 'zone-b': 0.5 } },
    { ref: 'TestSetNodes/2 zones, unready node in 1, ready node in 1', nodes: [{ zone: 'zone-a', cpu: '1000m', ready: false }, { zone: 'zone-b', cpu: '1000m', ready: true }], sufficient: false },
    { ref: 'TestSetNodes/2 zones, control plane node in 1, ready node in 1', nodes: [{ zone: 'zone-a', cpu: '1000m', ready: true }, { zone: 'zone-b', cpu: '1000m', ready: true, labels: { 'node-role.kubernetes.io/control-plane': '' } }], sufficient: false },
    { ref: 'TestSetNodes/2 zones, unready node in 1, ready node in 2', nodes: [{ zone: 'zone-a', cpu: '1000m', ready: true }, { zone: 'zone-b', cpu: '1000m', ready: true }, { zone: 'zone-b', cpu: '1000m', ready: false }], sufficient: true, cpu: { 'zone-a': 1000, 'zone-b': 1000 }, ratios: { 'zone-a': 0.5, 'zone-b': 0.5 } },
    { ref: 'TestSetNodes/2 zones, control plane node in 1, ready node in 2', nodes: [{ zone: 'zone-a', cpu: '1000m', ready: true }, { zone: 'zone-b', cpu: '1000m', ready: true }, { zone: 'zone-b', cpu: '1000m', ready: true, labels: { 'node-role.kubernetes.io/control-plane': '' } }], sufficient: true, cpu: { 'zone-a': 1000, 'zone-b': 1000 }, ratios: { 'zone-a': 0.5, 'zone-b': 0.5 } },
    {
      ref: 'TestSetNodes/3 zones, 4 nodes in 1, 2 nodes in 1, 1 node in 1',
      nodes: [
        { zone: 'zone-a', cpu: '1000m', ready: true }, { zone: 'zone-a', cpu: '1000m', ready: true }, { zone: 'zone-a', cpu: '1000m', ready: true }, { zone: 'zone-a', cpu: '2000m', ready: true },
        { zone: 'zone-b', cpu: '3000m', ready: true }, { zone: 'zone-b', cpu: '1500m', ready: true }, { zone: 'zone-c', cpu: '500m', ready: true },
      ],
      sufficient: true, cpu: { 'zone-a': 5000, 'zone-b': 4500, 'zone-c': 500 }, ratios: { 'zone-a': 0.5, 'zone-b': 0.45, 'zone-c': 0.05 },
    },
  ];
  for (const c of cases) {
    it(c.ref, () => {
      const cache = new TopologyCache();
      const nodes: Node[] = c.nodes.map((n, i) => ({ metadata: { name: `n${i}`, labels: { ...(n.labels ?? {}), 'topology.kubernetes.io/zone': n.zone } }, spec: {}, status: { allocatable: { cpu: n.cpu }, conditions: [{ type: 'Ready', status: n.ready ? 'True' : 'False' }] } }));
      cache.setNodes(nodes);
      expect(cache.sufficientNodeInfo).toBe(c.sufficient);
      expect(cache.cpuByZone ? Object.fromEntries(cache.cpuByZone) : undefined).toEqual(c.cpu);
      expect(cache.cpuRatiosByZone ? Object.fromEntries(cache.cpuRatiosByZone) : undefined).toEqual(c.ratios);
    });
  }
});
