import { describe, expect, it } from 'vitest';
import type { Endpoint, EndpointSlice } from '../../api/discovery/v1';
import { reconcileHints } from './trafficdist';

/** An endpoint `10.0.0.<n>` on `node-<n>` in `zone`, ready unless said; `hz`/`hn` its zone and node hints. */
function e(n: number, zone: string | undefined, o: { ready?: boolean; hz?: string; hn?: string; node?: boolean } = {}): Endpoint {
  const ep: Endpoint = { addresses: [`10.0.0.${n}`], conditions: { ready: o.ready ?? true } };
  if (zone) ep.zone = zone;
  if (o.node !== false) ep.nodeName = `node-${n}`;
  if (o.hz || o.hn) ep.hints = { ...(o.hz ? { forZones: [{ name: o.hz }] } : {}), ...(o.hn ? { forNodes: [{ name: o.hn }] } : {}) };
  return ep;
}
const s = (...endpoints: Endpoint[]) => ({ metadata: {}, addressType: 'IPv4', endpoints }) as EndpointSlice;

describe('trafficdist.ReconcileHints (k8s.io/endpointslice)', () => {
  const cases: { ref: string; td?: string; create?: EndpointSlice[]; update?: EndpointSlice[]; unchanged?: EndpointSlice[]; want: [EndpointSlice[], EndpointSlice[], EndpointSlice[]] }[] = [
    {
      ref: 'TestReconcileHints/should set zone hints with PreferClose',
      td: 'PreferClose',
      create: [s(e(1, 'zone-a'), e(2, 'zone-b')), s(e(3, 'zone-a'), e(4, 'zone-b'))],
      update: [s(e(5, 'zone-a'), e(6, 'zone-a')), s(e(7, 'zone-b'), e(8, 'zone-c'))],
      want: [
        [s(e(1, 'zone-a', { hz: 'zone-a' }), e(2, 'zone-b', { hz: 'zone-b' })), s(e(3, 'zone-a', { hz: 'zone-a' }), e(4, 'zone-b', { hz: 'zone-b' }))],
        [s(e(5, 'zone-a', { hz: 'zone-a' }), e(6, 'zone-a', { hz: 'zone-a' })), s(e(7, 'zone-b', { hz: 'zone-b' }), e(8, 'zone-c', { hz: 'zone-c' }))],
        [],
      ],
    },
    {
      ref: 'TestReconcileHints/should set zone and node hints with PreferSameNode',
      td: 'PreferSameNode',
      create: [s(e(1, 'zone-a'), e(2, 'zone-b'))],
      update: [s(e(8, 'zone-c'))],
      want: [[s(e(1, 'zone-a', { hz: 'zone-a', hn: 'node-1' }), e(2, 'zone-b', { hz: 'zone-b', hn: 'node-2' }))], [s(e(8, 'zone-c', { hz: 'zone-c', hn: 'node-8' }))], []],
    },
    {
      ref: 'TestReconcileHints/should correct incorrect hints with PreferClose',
      td: 'PreferClose',
      update: [s(e(1, 'zone-a', { hz: 'zone-b' }))],
      unchanged: [s(e(2, 'zone-b', { hz: 'zone-c' })), s(e(3, 'zone-c'))],
      want: [[], [s(e(1, 'zone-a', { hz: 'zone-a' })), s(e(2, 'zone-b', { hz: 'zone-b' })), s(e(3, 'zone-c', { hz: 'zone-c' }))], []],
    },
    {
      ref: 'TestReconcileHints/should not create hints with PreferClose if there are no zones',
      td: 'PreferClose',
      create: [s(e(1, undefined), e(2, undefined))],
      want: [[s(e(1, undefined), e(2, undefined))], [], []],
    },
    {
      ref: 'TestReconcileHints/should create only node hints with PreferSameNode if there are no zones',
      td: 'PreferSameNode',
      create: [s(e(1, undefined), e(2, undefined))],
      want: [[s(e(1, undefined, { hn: 'node-1' }), e(2, undefined, { hn: 'node-2' }))], [], []],
    },
    {
      ref: 'TestReconcileHints/unready endpoints should not trigger updates',
      td: 'PreferClose',
      unchanged: [s(e(2, 'zone-b', { ready: false }))],
      want: [[], [], [s(e(2, 'zone-b', { ready: false }))]],
    },
    {
      ref: 'TestReconcileHints/should remove hints when trafficDistribution is unrecognized',
      td: 'Unknown',
      create: [s(e(1, 'zone-a', { hz: 'zone-a' }), e(2, 'zone-b', { hz: 'zone-b' })), s(e(3, 'zone-a', { hz: 'zone-a' }))],
      update: [s(e(5, 'zone-a', { hz: 'zone-a' }))],
      want: [[s(e(1, 'zone-a'), e(2, 'zone-b')), s(e(3, 'zone-a'))], [s(e(5, 'zone-a'))], []],
    },
    {
      ref: 'TestReconcileHints/should remove hints when trafficDistribution is unset',
      update: [s(e(5, 'zone-a', { hz: 'zone-a' }))],
      unchanged: [s(e(6, 'zone-b', { hz: 'zone-b' }))],
      want: [[], [s(e(5, 'zone-a')), s(e(6, 'zone-b'))], []],
    },
  ];
  for (const c of cases) {
    it(c.ref, () => {
      const got = reconcileHints(c.td, c.create ?? [], c.update ?? [], c.unchanged ?? []);
      expect(got.map((list) => list.map((x) => x.endpoints))).toEqual(c.want.map((list) => list.map((x) => x.endpoints)));
    });
  }

  it('TestReconcileHints_doesNotMutateUnchangedSlices', () => {
    const original = s(e(1, 'zone-a'));
    const before = JSON.stringify(original);
    reconcileHints('PreferClose', [], [], [original]);
    expect(JSON.stringify(original)).toBe(before);
  });
});
