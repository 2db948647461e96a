import { describe, expect, it } from 'vitest';
import type { EndpointSlice } from '../api/discovery/v1';
import { buildEndpointsMap } from './endpointslicecache';
import { buildServicePortMap, servicePortKey } from './serviceport';
import { makeTestEndpointSlice, makeTestService } from './testing';

const key = (ns: string, name: string, port: string, protocol: 'TCP' | 'UDP' = 'TCP') => servicePortKey({ namespace: ns, name, port, protocol });
const udp = (name: string, port: number) => ({ name, port, protocol: 'UDP' as const });
const view = (m: ReturnType<typeof buildEndpointsMap>) =>
  Object.fromEntries([...m].map(([k, eps]) => [k, eps.map((e) => ({ endpoint: e.endpoint, isLocal: e.isLocal }))]));

describe('buildEndpointsMap (pkg/proxy/endpointslicecache.go)', () => {
  it('TestUpdateEndpointsMap/complex add and remove (the final state)', () => {
    // The expected state of upstream's case (its input slices rebuilt from it): endpoints of a
    // port merge across slices and sort by text, so 10.1.1.11:11 comes before 10.1.1.1:11.
    const slices: EndpointSlice[] = [
      makeTestEndpointSlice('ns1', 'ep1', 1, (eps) => {
        eps.endpoints = [{ addresses: ['10.1.1.1'] }, { addresses: ['10.1.1.11'] }];
        eps.ports = [udp('p11', 11)];
      }),
      makeTestEndpointSlice('ns1', 'ep1', 2, (eps) => {
        eps.endpoints = [{ addresses: ['10.1.1.2'] }];
        eps.ports = [udp('p12', 12), udp('p122', 122)];
      }),
      makeTestEndpointSlice('ns3', 'ep3', 1, (eps) => {
        eps.endpoints = [{ addresses: ['10.3.3.3'] }];
        eps.ports = [udp('p33', 33)];
      }),
      makeTestEndpointSlice('ns4', 'ep4', 1, (eps) => {
        eps.endpoints = [{ addresses: ['10.4.4.4'], nodeName: 'test-node' }];
        eps.ports = [udp('p44', 44)];
      }),
    ];
    expect(view(buildEndpointsMap(slices, { nodeName: 'test-node' }))).toEqual({
      [key('ns1', 'ep1', 'p11', 'UDP')]: [{ endpoint: '10.1.1.11:11', isLocal: false }, { endpoint: '10.1.1.1:11', isLocal: false }],
      [key('ns1', 'ep1', 'p12', 'UDP')]: [{ endpoint: '10.1.1.2:12', isLocal: false }],
      [key('ns1', 'ep1', 'p122', 'UDP')]: [{ endpoint: '10.1.1.2:122', isLocal: false }],
      [key('ns3', 'ep3', 'p33', 'UDP')]: [{ endpoint: '10.3.3.3:33', isLocal: false }],
      [key('ns4', 'ep4', 'p44', 'UDP')]: [{ endpoint: '10.4.4.4:44', isLocal: true }],
    });
  });

  it('the same address in two slices counts once, local winning', () => {
    const a = makeTestEndpointSlice('ns', 'svc', 1, (eps) => {
      eps.endpoints = [{ addresses: ['10.0.0.1'] }];
      eps.ports = [{ name: 'p', port: 80, protocol: 'TCP' }];
    });
    const b = makeTestEndpointSlice('ns', 'svc', 2, (eps) => {
      eps.endpoints = [{ addresses: ['10.0.0.1'], nodeName: 'me' }];
      eps.ports = [{ name: 'p', port: 80, protocol: 'TCP' }];
    });
    expect(view(buildEndpointsMap([a, b], { nodeName: 'me' }))[key('ns', 'svc', 'p')]).toEqual([{ endpoint: '10.0.0.1:80', isLocal: true }]);
  });

  it('skips FQDN slices, slices without the service-name label, ports without a number, and the other IP family', () => {
    const fqdn = makeTestEndpointSlice('ns', 'svc', 1, (eps) => {
      eps.addressType = 'FQDN';
      eps.endpoints = [{ addresses: ['example.com'] }];
      eps.ports = [{ name: 'p', port: 80 }];
    });
    const unlabeled = makeTestEndpointSlice('ns', 'svc', 2, (eps) => {
      eps.metadata.labels = {};
      eps.endpoints = [{ addresses: ['10.0.0.2'] }];
      eps.ports = [{ name: 'p', port: 80 }];
    });
    const noPort = makeTestEndpointSlice('ns', 'svc', 3, (eps) => {
      eps.endpoints = [{ addresses: ['10.0.0.3'] }];
      eps.ports = [{ name: 'q' }];
    });
    const v6 = makeTestEndpointSlice('ns', 'svc', 4, (eps) => {
      eps.addressType = 'IPv6';
      eps.endpoints = [{ addresses: ['fd00::1'] }];
      eps.ports = [{ name: 'p', port: 80 }];
    });
    expect(buildEndpointsMap([fqdn, unlabeled, noPort, v6], { nodeName: 'n' }).size).toBe(0);
    expect(view(buildEndpointsMap([v6], { nodeName: 'n', ipFamily: 'IPv6' }))[key('ns', 'svc', 'p')]).toEqual([{ endpoint: '[fd00::1]:80', isLocal: false }]);
  });

  it('unset conditions read as ready and serving, not terminating (newEndpointSliceInfo)', () => {
    const s = makeTestEndpointSlice('ns', 'svc', 1, (eps) => {
      eps.endpoints = [{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.2'], conditions: { ready: false, terminating: true } }];
      eps.ports = [{ name: 'p', port: 80 }];
    });
    const [a, b] = buildEndpointsMap([s], { nodeName: 'n' }).get(key('ns', 'svc', 'p'))!;
    expect([a.ready, a.serving, a.terminating]).toEqual([true, true, false]);
    expect([b.ready, b.serving, b.terminating]).toEqual([false, true, true]);
  });
});

describe('buildServicePortMap (pkg/proxy/servicechangetracker.go)', () => {
  it('TestBuildServiceMapAddRemove: ten ports, health checks only for the Local load balancer', () => {
    const port = (name: string, protocol: 'TCP' | 'UDP' | 'SCTP', p: number, nodePort: number, targetPort: number) => ({ name, protocol, port: p, nodePort, targetPort });
    const services = [
      makeTestService('somewhere-else', 'cluster-ip', (s) => {
        s.spec.type = 'ClusterIP';
        s.spec.clusterIP = '172.30.55.4';
        s.spec.ports = [port('something', 'UDP', 1234, 4321, 0), port('somethingelse', 'UDP', 1235, 5321, 0), port('sctpport', 'SCTP', 1236, 6321, 0)];
      }),
      makeTestService('somewhere-else', 'node-port', (s) => {
        s.spec.type = 'NodePort';
        s.spec.clusterIP = '172.30.55.10';
        s.spec.ports = [port('blahblah', 'UDP', 345, 678, 0), port('moreblahblah', 'TCP', 344, 677, 0), port('muchmoreblah', 'SCTP', 343, 676, 0)];
      }),
      makeTestService('somewhere', 'load-balancer', (s) => {
        s.spec.type = 'LoadBalancer';
        s.spec.clusterIP = '172.30.55.11';
        s.spec.loadBalancerIP = '1.2.3.4';
        s.spec.ports = [port('foobar', 'UDP', 8675, 30061, 7000), port('baz', 'UDP', 8676, 30062, 7001)];
        s.status = { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } };
      }),
      makeTestService('somewhere', 'only-local-load-balancer', (s) => {
        s.spec.type = 'LoadBalancer';
        s.spec.clusterIP = '172.30.55.12';
        s.spec.loadBalancerIP = '5.6.7.8';
        s.spec.ports = [port('foobar2', 'UDP', 8677, 30063, 7002), port('baz', 'UDP', 8678, 30064, 7003)];
        s.status = { loadBalancer: { ingress: [{ ip: '5.6.7.8' }] } };
        s.spec.externalTrafficPolicy = 'Local';
        s.spec.healthCheckNodePort = 345;
      }),
    ];
    const map = buildServicePortMap(services);
    expect(map.size).toBe(10);
    const hc = [...map.values()].filter((i) => i.healthCheckNodePort !== 0).map((i) => [i.nameString, i.healthCheckNodePort]);
    expect(hc).toEqual([['somewhere/only-local-load-balancer:foobar2', 345], ['somewhere/only-local-load-balancer:baz', 345]]);
  });

  it('TestBuildServiceMapServiceHeadless / TestBuildServiceMapServiceTypeExternalName: nothing to proxy', () => {
    const headless = makeTestService('somewhere-else', 'headless', (s) => {
      s.spec.type = 'ClusterIP';
      s.spec.clusterIP = 'None';
      s.spec.ports = [{ name: 'rpc', protocol: 'UDP', port: 1234 }];
    });
    const external = makeTestService('somewhere-else', 'external-name', (s) => {
      s.spec.type = 'ExternalName';
      s.spec.clusterIP = '172.30.55.4';
      s.spec.externalName = 'foo2.bar.com';
      s.spec.ports = [{ name: 'blah', protocol: 'UDP', port: 1235 }];
    });
    expect(buildServicePortMap([headless, external]).size).toBe(0);
  });

  it('a load-balancer ingress in Proxy mode is not a VIP (LoadBalancerIPMode)', () => {
    const svc = makeTestService('ns', 'lb', (s) => {
      s.spec.type = 'LoadBalancer';
      s.spec.clusterIP = '172.30.0.1';
      s.spec.ports = [{ name: 'p', port: 80, protocol: 'TCP', nodePort: 30080 }];
      s.status = { loadBalancer: { ingress: [{ ip: '1.2.3.4', ipMode: 'Proxy' }, { ip: '5.6.7.8', ipMode: 'VIP' }, { hostname: 'lb.example.com' }] } };
    });
    expect([...buildServicePortMap([svc]).values()][0].loadBalancerVIPs).toEqual(['5.6.7.8']);
  });
});
