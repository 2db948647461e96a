import { describe, expect, it } from 'vitest';
import type { Service } from '../../api/core/v1';
import type { EndpointSlice, Endpoint } from '../../api/discovery/v1';
import { makeTestEndpointSlice, makeTestService, testNodeName } from '../testing';
import { ServiceHealthServer, serviceHealthBody } from './service_health';
import { syncServiceHealth } from './sync';

const nsn = (ns: string, name: string) => `${ns}/${name}`;

/** Upstream's tHandler: status, the payload's count and health, and the three headers. */
function expectAnswer(hcs: ServiceHealthServer, name: string, code: number, endpoints: number, healthy = true) {
  const r = hcs.serve(name)!;
  expect(r.code, `${name} status`).toBe(code);
  const payload = JSON.parse(r.body);
  expect(payload).toEqual({ service: { namespace: name.split('/')[0], name: name.split('/')[1] }, localEndpoints: endpoints, serviceProxyHealthy: healthy });
  expect(r.headers).toEqual({ 'Content-Type': 'application/json', 'X-Content-Type-Options': 'nosniff', 'X-Load-Balancing-Endpoint-Weight': String(endpoints) });
}

describe('ServiceHealthServer (pkg/proxy/healthcheck/service_health.go)', () => {
  it('TestServer: services open and close, endpoint counts follow the last sync', () => {
    let healthy = true;
    const hcs = new ServiceHealthServer(() => healthy);
    hcs.syncServices(undefined);
    hcs.syncEndpoints(undefined);
    expect(hcs.services().size).toBe(0);
    // sync unknown endpoints, should be dropped
    hcs.syncEndpoints(new Map([[nsn('a', 'b'), 93]]));
    expect(hcs.services().size).toBe(0);

    const ab = nsn('a', 'b');
    hcs.syncServices(new Map([[ab, 9376]]));
    expect(hcs.services().get(ab)).toEqual({ port: 9376, endpoints: 0 });
    expect(hcs.serviceOnPort(9376)).toBe(ab);
    expectAnswer(hcs, ab, 503, 0);
    hcs.syncEndpoints(new Map([[ab, 18]]));
    expectAnswer(hcs, ab, 200, 18);
    hcs.syncEndpoints(new Map([[ab, 0]]));
    expectAnswer(hcs, ab, 503, 0);
    hcs.syncEndpoints(new Map([[ab, 11]]));
    hcs.syncEndpoints(undefined);
    expectAnswer(hcs, ab, 503, 0);
    hcs.syncEndpoints(new Map([[ab, 18]]));
    hcs.syncServices(undefined);
    expect(hcs.services().size).toBe(0);
    expect(hcs.serve(ab)).toBeUndefined();

    const [n1, n2, n3, n4] = [nsn('a', 'b'), nsn('c', 'd'), nsn('e', 'f'), nsn('g', 'h')];
    hcs.syncServices(new Map([[n1, 9376], [n2, 12909], [n3, 11113]]));
    for (const n of [n1, n2, n3]) expectAnswer(hcs, n, 503, 0);
    hcs.syncEndpoints(new Map([[n1, 9], [n2, 3], [n3, 7]]));
    expectAnswer(hcs, n1, 200, 9);
    expectAnswer(hcs, n2, 200, 3);
    expectAnswer(hcs, n3, 200, 7);
    // remove n1, leave n2, change n3's port, add n4
    hcs.syncServices(new Map([[n2, 12909], [n3, 11114], [n4, 11878]]));
    expect([...hcs.services().keys()].sort()).toEqual([n2, n3, n4]);
    expectAnswer(hcs, n2, 200, 3);
    expectAnswer(hcs, n3, 503, 0);
    expectAnswer(hcs, n4, 503, 0);
    hcs.syncEndpoints(new Map([[n1, 9], [n2, 3], [n3, 7], [n4, 6]]));
    expectAnswer(hcs, n3, 200, 7);
    expectAnswer(hcs, n4, 200, 6);
    // sync endpoints, missing n2
    hcs.syncEndpoints(new Map([[n3, 7], [n4, 6]]));
    expectAnswer(hcs, n2, 503, 0);
    // fake a temporary unhealthy proxy: 503 even with endpoints
    healthy = false;
    expectAnswer(hcs, n2, 503, 0, false);
    expectAnswer(hcs, n3, 503, 7, false);
    expectAnswer(hcs, n4, 503, 6, false);
    healthy = true;
    expectAnswer(hcs, n3, 200, 7);
  });

  it('the body is the dedented template: tab-indented, no trailing newline', () => {
    expect(serviceHealthBody('default', 'web', 2, true)).toBe('{\n\t"service": {\n\t\t"namespace": "default",\n\t\t"name": "web"\n\t},\n\t"localEndpoints": 2,\n\t"serviceProxyHealthy": true\n}');
  });
});

const lbLocal = (tweak: (s: Service) => void = () => {}) =>
  makeTestService('ns1', 'svc1', (s) => {
    s.spec = {
      clusterIP: '172.30.1.1', type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: 30000,
      ports: [{ name: 'p80', port: 80, protocol: 'TCP', targetPort: 80, nodePort: 30080 }, { name: 'p443', port: 443, protocol: 'TCP', targetPort: 443, nodePort: 30443 }],
    };
    s.status = { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } };
    tweak(s);
  });

const ep = (ip: string, node: string, ready: boolean, serving: boolean, terminating: boolean): Endpoint => ({ addresses: [ip], nodeName: node, conditions: { ready, serving, terminating } });
const slice = (n: number, ports: string[], endpoints: Endpoint[]): EndpointSlice =>
  makeTestEndpointSlice('ns1', 'svc1', n, (s) => {
    s.ports = ports.map((p) => ({ name: p, port: p === 'p80' ? 80 : 443, protocol: 'TCP' }));
    s.endpoints = endpoints;
  });

describe('syncServiceHealth: what the proxier hands the server', () => {
  const cases: { name: string; ref?: string; service?: Service; slices: EndpointSlice[]; want: { code: number; localEndpoints: number } | undefined }[] = [
    {
      name: 'ready local endpoints are counted once per IP across the ports of the Service',
      slices: [slice(1, ['p80', 'p443'], [ep('10.0.1.1', testNodeName, true, true, false), ep('10.0.1.2', testNodeName, true, true, false), ep('10.0.1.3', 'node-1', true, true, false)])],
      want: { code: 200, localEndpoints: 2 },
    },
    {
      name: 'one pod in two slices (one per port mapping) is one endpoint',
      slices: [slice(1, ['p80'], [ep('10.0.1.1', testNodeName, true, true, false)]), slice(2, ['p443'], [ep('10.0.1.1', testNodeName, true, true, false)])],
      want: { code: 200, localEndpoints: 1 },
    },
    {
      name: 'ready endpoints on other nodes only: 503',
      slices: [slice(1, ['p80'], [ep('10.0.1.5', 'node-1', true, true, false)])],
      want: { code: 503, localEndpoints: 0 },
    },
    {
      name: 'all local endpoints terminating (still serving): 503, the load balancer drains the node',
      ref: 'TestHealthCheckNodePortWhenTerminating',
      slices: [slice(1, ['p80'], [
        ep('10.0.1.1', testNodeName, false, true, false), ep('10.0.1.2', testNodeName, false, true, true),
        ep('10.0.1.3', testNodeName, false, true, true), ep('10.0.1.4', testNodeName, false, false, true),
      ])],
      want: { code: 503, localEndpoints: 0 },
    },
    {
      name: 'externalTrafficPolicy Cluster: no health check port is opened',
      service: lbLocal((s) => { s.spec.externalTrafficPolicy = 'Cluster'; }),
      slices: [slice(1, ['p80'], [ep('10.0.1.1', testNodeName, true, true, false)])],
      want: undefined,
    },
    {
      name: 'a NodePort Service with policy Local: no health check either (NeedsHealthCheck wants a LoadBalancer)',
      service: lbLocal((s) => { s.spec.type = 'NodePort'; }),
      slices: [slice(1, ['p80'], [ep('10.0.1.1', testNodeName, true, true, false)])],
      want: undefined,
    },
  ];
  for (const c of cases) {
    it(`${c.ref ? `${c.ref}: ` : ''}${c.name}`, () => {
      const hcs = syncServiceHealth({ services: [c.service ?? lbLocal()], endpointSlices: c.slices, nodeName: testNodeName });
      const r = hcs.serve('ns1/svc1');
      if (!c.want) {
        expect(r).toBeUndefined();
        expect(hcs.services().size).toBe(0);
        return;
      }
      expect(hcs.serviceOnPort(30000)).toBe('ns1/svc1');
      expect({ code: r!.code, localEndpoints: JSON.parse(r!.body).localEndpoints }).toEqual(c.want);
    });
  }

  it('an unhealthy proxier answers 503 with its local endpoints counted', () => {
    const hcs = syncServiceHealth({ services: [lbLocal()], endpointSlices: [slice(1, ['p80'], [ep('10.0.1.1', testNodeName, true, true, false)])], nodeName: testNodeName, proxyHealthy: false });
    expect(hcs.serve('ns1/svc1')).toMatchObject({ code: 503, headers: { 'X-Load-Balancing-Endpoint-Weight': '1' } });
  });
});
