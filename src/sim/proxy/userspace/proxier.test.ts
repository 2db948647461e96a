import { describe, expect, it } from 'vitest';
import type { Endpoints } from '../../api/core/v1';
import { FakeClock } from '../../core/clock';
import { rngFromSeed } from '../../core/rng';
import { makeTestService } from '../testing';
import { ErrMissingEndpoints } from './roundrobin';
import { endpointDialTimeoutsMs, newUserspaceProxier, type UserspaceProxierOptions } from './proxier';

const web = makeTestService('default', 'web', (s) => {
  s.spec.type = 'NodePort';
  s.spec.clusterIP = '10.96.0.20';
  s.spec.ports = [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080, nodePort: 30080 }];
});
const webEndpoints: Endpoints = {
  metadata: { namespace: 'default', name: 'web' },
  subsets: [{ addresses: ['10.244.1.2', '10.244.1.3', '10.244.2.2'].map((ip) => ({ ip })), ports: [{ name: 'http', port: 8080 }] }],
};

const proxier = (extra: Partial<UserspaceProxierOptions> = {}) =>
  newUserspaceProxier({ services: [web], endpoints: [webEndpoints], hostIP: '192.168.0.2', clock: new FakeClock(), rng: rngFromSeed(7), ...extra });

describe('userspace proxier: portals', () => {
  it('opens one proxy socket per service port and holds the NodePort', () => {
    // ref: the model's own, after proxier.go (mergeService, claimNodePort)
    const p = proxier({ proxyPortRange: { base: 40000, size: 100 } });
    const info = p.serviceMap.get('default/web:http')!;
    expect(info.proxyPort).toBeGreaterThanOrEqual(40000);
    expect(info.proxyPort).toBeLessThan(40100);
    expect(p.sockets).toEqual([
      { ip: '0.0.0.0', port: info.proxyPort, protocol: 'TCP', owner: 'default/web:http', purpose: 'proxy' },
      { ip: '', port: 30080, protocol: 'TCP', owner: 'default/web:http', purpose: 'claim' },
    ]);
  });

  it('REDIRECTs pod traffic and DNATs the node traffic to the proxy port', () => {
    // ref: the model's own, after proxier.go (iptablesInit, iptablesContainerPortalArgs, iptablesHostPortalArgs)
    const p = proxier();
    const port = p.serviceMap.get('default/web:http')!.proxyPort;
    expect(p.iptablesSave('nat')).toBe(
      [
        '*nat',
        ':PREROUTING ACCEPT [0:0]',
        ':INPUT ACCEPT [0:0]',
        ':OUTPUT ACCEPT [0:0]',
        ':POSTROUTING ACCEPT [0:0]',
        ':KUBE-NODEPORT-CONTAINER - [0:0]',
        ':KUBE-NODEPORT-HOST - [0:0]',
        ':KUBE-PORTALS-CONTAINER - [0:0]',
        ':KUBE-PORTALS-HOST - [0:0]',
        '-A PREROUTING -m comment --comment "handle ClusterIPs; NOTE: this must be before the NodePort rules" -j KUBE-PORTALS-CONTAINER',
        '-A PREROUTING -m addrtype --dst-type LOCAL -m comment --comment "handle service NodePorts; NOTE: this must be the last rule in the chain" -j KUBE-NODEPORT-CONTAINER',
        '-A OUTPUT -m comment --comment "handle ClusterIPs; NOTE: this must be before the NodePort rules" -j KUBE-PORTALS-HOST',
        '-A OUTPUT -m addrtype --dst-type LOCAL -m comment --comment "handle service NodePorts; NOTE: this must be the last rule in the chain" -j KUBE-NODEPORT-HOST',
        `-A KUBE-NODEPORT-CONTAINER -m comment --comment default/web:http -p tcp -m tcp --dport 30080 -j REDIRECT --to-ports ${port}`,
        `-A KUBE-NODEPORT-HOST -m comment --comment default/web:http -p tcp -m tcp --dport 30080 -j DNAT --to-destination 192.168.0.2:${port}`,
        `-A KUBE-PORTALS-CONTAINER -m comment --comment default/web:http -p tcp -m tcp --dport 80 -d 10.96.0.20/32 -j REDIRECT --to-ports ${port}`,
        `-A KUBE-PORTALS-HOST -m comment --comment default/web:http -p tcp -m tcp --dport 80 -d 10.96.0.20/32 -j DNAT --to-destination 192.168.0.2:${port}`,
        'COMMIT',
        '',
      ].join('\n'),
    );
    expect(p.iptablesSave('filter')).toContain(
      `-A KUBE-NODEPORT-NON-LOCAL -m comment --comment default/web:http -p tcp -m tcp --dport ${port} -m state --state NEW -j ACCEPT`,
    );
  });

  it('DNATs container traffic too when bound to one address', () => {
    // ref: the model's own, after proxier.go (iptablesContainerPortalArgs, the DNAT branch)
    const p = proxier({ listenIP: '192.168.0.2' });
    const port = p.serviceMap.get('default/web:http')!.proxyPort;
    expect(p.iptablesSave('nat')).toContain(`-d 10.96.0.20/32 -j DNAT --to-destination 192.168.0.2:${port}`);
    expect(() => proxier({ listenIP: '127.0.0.1' })).toThrow('cannot proxy on localhost');
  });
});

describe('userspace proxier: connect (TryConnectEndpoints)', () => {
  it('round-robins new connections and copies every byte through kube-proxy', () => {
    // ref: the model's own, after proxysocket.go (TryConnectEndpoints, ProxyTCP)
    const p = proxier();
    const order = p.loadBalancer.endpointsOf('default/web:http');
    const rs = [0, 1, 2, 3].map(() => p.connect({ destIP: '10.96.0.20', destPort: 80, clientIP: '10.244.1.9', requestBytes: 100, responseBytes: 5000 }));
    expect(rs.map((r) => r.endpoint)).toEqual([order[0], order[1], order[2], order[0]]);
    expect(rs[0]).toMatchObject({ service: 'default/web:http', failedDials: 0, dialWaitMs: 0, bytesCopied: 5100 });
  });

  it('retries a dead endpoint on the next one, paying the dial timeout', () => {
    // ref: the model's own, after proxysocket.go (EndpointDialTimeouts 250ms, 500ms, 1s, 2s)
    const p = proxier();
    const order = p.loadBalancer.endpointsOf('default/web:http');
    p.setEndpointReachable(order[0], false);
    const r = p.connect({ destIP: '10.96.0.20', destPort: 80, clientIP: '10.244.1.9' });
    expect(r).toMatchObject({ endpoint: order[1], dialed: [order[0], order[1]], failedDials: 1, dialWaitMs: 250 });
  });

  it('gives up after four dials', () => {
    // ref: the model's own, after proxysocket.go (TryConnectEndpoints' error)
    const p = proxier();
    for (const ep of p.loadBalancer.endpointsOf('default/web:http')) p.setEndpointReachable(ep, false);
    const r = p.connect({ destIP: '10.96.0.20', destPort: 80, clientIP: '10.244.1.9' });
    expect(r).toMatchObject({ error: 'failed to connect to an endpoint.', failedDials: 4 });
    expect(r.dialWaitMs).toBe(endpointDialTimeoutsMs.reduce((a, b) => a + b, 0));
    expect(r.endpoint).toBeUndefined();
  });

  it('reaches the same proxy port through the NodePort, from outside or from the node', () => {
    // ref: the model's own, after proxier.go (openNodePort)
    const p = proxier({ localAddrs: ['192.168.0.2'] });
    const port = p.serviceMap.get('default/web:http')!.proxyPort;
    expect(p.connect({ destIP: '192.168.0.2', destPort: 30080, clientIP: '203.0.113.2' }).proxyPort).toBe(port);
    expect(p.connect({ destIP: '192.168.0.2', destPort: 30080, clientIP: '192.168.0.2', from: 'node' }).proxyPort).toBe(port);
    expect(p.connect({ destIP: '10.96.0.21', destPort: 80, clientIP: '10.244.1.9' }).service).toBeUndefined();
  });

  it('reports missing endpoints for a Service with none', () => {
    // ref: 'TestLoadBalanceFailsWithNoEndpoints' (through the proxier)
    const p = proxier({ endpoints: [] });
    expect(p.connect({ destIP: '10.96.0.20', destPort: 80, clientIP: '10.244.1.9' }).error).toBe(ErrMissingEndpoints);
  });

  it('is the same for the same seed', () => {
    // ref: the model's own (determinism)
    const a = proxier().loadBalancer.endpointsOf('default/web:http');
    const b = proxier().loadBalancer.endpointsOf('default/web:http');
    expect(a).toEqual(b);
    expect(proxier().serviceMap.get('default/web:http')!.proxyPort).toBe(proxier().serviceMap.get('default/web:http')!.proxyPort);
  });
});
