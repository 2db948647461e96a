import { describe, expect, it } from 'vitest';
import type { Endpoints } from '../../api/core/v1';
import { FakeClock } from '../../core/clock';
import { rngFromSeed } from '../../core/rng';
import { ErrMissingEndpoints, ErrMissingServiceEntry, buildPortsToEndpointsMap, defaultClientIPServiceAffinitySeconds, newLoadBalancerRR } from './roundrobin';

// Fixtures after pkg/proxy/userspace/roundrobin_test.go: namespace testnamespace, service foo.
const eps = (name: string, subsets: Endpoints['subsets']): Endpoints => ({ metadata: { namespace: 'testnamespace', name }, subsets });
const lbFor = (seed = 1) => {
  const clock = new FakeClock();
  return { clock, lb: newLoadBalancerRR({ clock, rng: rngFromSeed(seed) }) };
};
const next = (lb: ReturnType<typeof newLoadBalancerRR>, svc: string, client?: string, reset = false) => lb.nextEndpoint(svc, client, reset).endpoint;

describe('LoadBalancerRR (pkg/proxy/userspace/roundrobin_test.go)', () => {
  it('fails with no endpoints', () => {
    // ref: 'TestLoadBalanceFailsWithNoEndpoints'
    const { lb } = lbFor();
    expect(lb.nextEndpoint('testnamespace/foo:does-not-exist', undefined, false)).toEqual({ error: ErrMissingServiceEntry });
  });

  it('filters invalid endpoints', () => {
    // ref: 'TestFilterWorks'
    const m = buildPortsToEndpointsMap(eps('foo', [{ addresses: [{ ip: 'foobar' }], ports: [{ port: 1 }, { port: 2 }, { port: -1 }, { port: 3 }, { port: -2 }] }]));
    expect(m.get('')).toEqual(['foobar:1', 'foobar:2', 'foobar:3']);
  });

  it('works with a single endpoint', () => {
    // ref: 'TestLoadBalanceWorksWithSingleEndpoint'
    const { lb } = lbFor();
    lb.onEndpointsAdd(eps('foo', [{ addresses: [{ ip: 'endpoint1' }], ports: [{ name: 'p', port: 40 }] }]));
    for (let i = 0; i < 4; i++) expect(next(lb, 'testnamespace/foo:p')).toBe('endpoint1:40');
  });

  it('walks the shuffled endpoints in order, then wraps', () => {
    // ref: 'TestLoadBalanceWorksWithMultipleEndpoints'
    const { lb } = lbFor();
    lb.onEndpointsAdd(eps('foo', [{ addresses: [{ ip: 'endpoint' }], ports: [{ name: 'p', port: 1 }, { name: 'p', port: 2 }, { name: 'p', port: 3 }] }]));
    const s = lb.endpointsOf('testnamespace/foo:p');
    expect([...s].sort()).toEqual(['endpoint:1', 'endpoint:2', 'endpoint:3']);
    expect([0, 1, 2, 3].map(() => next(lb, 'testnamespace/foo:p'))).toEqual([s[0], s[1], s[2], s[0]]);
  });

  it('keeps one rotation per port', () => {
    // ref: 'TestLoadBalanceWorksWithMultipleEndpointsMultiplePorts'
    const { lb } = lbFor();
    lb.onEndpointsAdd(eps('foo', [
      { addresses: [{ ip: 'endpoint1' }, { ip: 'endpoint2' }], ports: [{ name: 'p', port: 1 }, { name: 'q', port: 2 }] },
      { addresses: [{ ip: 'endpoint3' }], ports: [{ name: 'p', port: 3 }, { name: 'q', port: 4 }] },
    ]));
    expect(lb.endpointsOf('testnamespace/foo:p').sort()).toEqual(['endpoint1:1', 'endpoint2:1', 'endpoint3:3']);
    expect(lb.endpointsOf('testnamespace/foo:q').sort()).toEqual(['endpoint1:2', 'endpoint2:2', 'endpoint3:4']);
  });

  it('starts from the beginning after an update, and fails once the endpoints are cleared', () => {
    // ref: 'TestLoadBalanceWorksWithMultipleEndpointsAndUpdates'
    const { lb } = lbFor();
    const v1 = eps('foo', [1, 2, 3].map((i) => ({ addresses: [{ ip: `endpoint${i}` }], ports: [{ name: 'p', port: i }, { name: 'q', port: i * 10 }] })));
    lb.onEndpointsAdd(v1);
    next(lb, 'testnamespace/foo:p');
    const v2 = eps('foo', [4, 5].map((i) => ({ addresses: [{ ip: `endpoint${i}` }], ports: [{ name: 'p', port: i }, { name: 'q', port: i * 10 }] })));
    lb.onEndpointsUpdate(v1, v2);
    const s = lb.endpointsOf('testnamespace/foo:p');
    expect([...s].sort()).toEqual(['endpoint4:4', 'endpoint5:5']);
    expect([0, 1, 2, 3].map(() => next(lb, 'testnamespace/foo:p'))).toEqual([s[0], s[1], s[0], s[1]]);
    lb.onEndpointsUpdate(v2, eps('foo', undefined));
    expect(lb.nextEndpoint('testnamespace/foo:p', undefined, false)).toEqual({ error: ErrMissingEndpoints });
  });

  it('continues the other service where it left off after one is removed', () => {
    // ref: 'TestLoadBalanceWorksWithServiceRemoval'
    const { lb } = lbFor();
    const foo = eps('foo', [{ addresses: [{ ip: 'endpoint1' }, { ip: 'endpoint2' }, { ip: 'endpoint3' }], ports: [{ name: 'p', port: 123 }] }]);
    lb.onEndpointsAdd(foo);
    lb.onEndpointsAdd(eps('bar', [{ addresses: [{ ip: 'endpoint4' }, { ip: 'endpoint5' }, { ip: 'endpoint6' }], ports: [{ name: 'p', port: 456 }] }]));
    const bar = lb.endpointsOf('testnamespace/bar:p');
    expect([0, 1, 2, 3, 4].map(() => next(lb, 'testnamespace/bar:p'))).toEqual([bar[0], bar[1], bar[2], bar[0], bar[1]]);
    lb.onEndpointsDelete(foo);
    expect(next(lb, 'testnamespace/foo:p')).toBeUndefined();
    expect([0, 1, 2, 3].map(() => next(lb, 'testnamespace/bar:p'))).toEqual([bar[2], bar[0], bar[1], bar[2]]);
  });

  for (const order of ['NewServiceCalledFirst', 'NewServiceCalledSecond'] as const) {
    it(`pins each client to its endpoint (${order})`, () => {
      // ref: 'TestStickyLoadBalanceWorksWith' + order
      const { lb } = lbFor();
      const e = eps('foo', [1, 2, 3].map((i) => ({ addresses: [{ ip: `endpoint${i}` }], ports: [{ port: i }] })));
      if (order === 'NewServiceCalledFirst') lb.newService('testnamespace/foo', 'ClientIP', defaultClientIPServiceAffinitySeconds);
      lb.onEndpointsAdd(e);
      if (order === 'NewServiceCalledSecond') lb.newService('testnamespace/foo', 'ClientIP', defaultClientIPServiceAffinitySeconds);
      const clients = ['127.0.0.1', '127.0.0.2', '127.0.0.3'];
      const got = clients.map((c) => next(lb, 'testnamespace/foo', c));
      expect(new Set(got).size).toBe(3);
      for (let round = 0; round < 3; round++) clients.forEach((c, i) => expect(next(lb, 'testnamespace/foo', c)).toBe(got[i]));
    });
  }

  it('moves a client on when the dial failed (sessionAffinityReset)', () => {
    // ref: 'TestStickyLoadBalanceWorksWithEndpointFails'
    const { lb } = lbFor();
    lb.newService('testnamespace/foo', 'ClientIP', defaultClientIPServiceAffinitySeconds);
    lb.onEndpointsAdd(eps('foo', [1, 2, 3].map((i) => ({ addresses: [{ ip: `endpoint${i}` }], ports: [{ port: i }] }))));
    const [c1, c2, c3] = ['127.0.0.1', '127.0.0.2', '127.0.0.3'];
    const ep1 = next(lb, 'testnamespace/foo', c1);
    const ep2 = next(lb, 'testnamespace/foo', c2);
    const ep3 = next(lb, 'testnamespace/foo', c3);
    expect(next(lb, 'testnamespace/foo', c1, true)).toBe(ep1);
    expect(next(lb, 'testnamespace/foo', c1, true)).toBe(ep2);
    expect(next(lb, 'testnamespace/foo', c1, true)).toBe(ep3);
    expect(next(lb, 'testnamespace/foo', c2)).toBe(ep2);
    expect(next(lb, 'testnamespace/foo', c2, true)).toBe(ep1);
  });

  it('lets affinity expire after ttlSeconds of disuse', () => {
    // ref: the model's own (NextEndpoint's ttl check, CleanupStaleStickySessions)
    const { lb, clock } = lbFor();
    lb.newService('testnamespace/foo', 'ClientIP', 10);
    lb.onEndpointsAdd(eps('foo', [1, 2].map((i) => ({ addresses: [{ ip: `endpoint${i}` }], ports: [{ port: i }] }))));
    const first = next(lb, 'testnamespace/foo', '10.0.0.9');
    clock.step(9_999);
    expect(next(lb, 'testnamespace/foo', '10.0.0.9')).toBe(first);
    clock.step(10_000);
    expect(next(lb, 'testnamespace/foo', '10.0.0.9')).not.toBe(first);
  });
});
