import { describe, expect, it } from 'vitest';
import type { Container, Service } from '../../api/core/v1';
import type { EndpointSlice } from '../../api/discovery/v1';
import { findPort } from '../util/pod';
import { ipString } from '../../netaddr/ip';
import { formatRFC3339Nano } from '../util/trigger_time_tracker';
import { getAddressTypesForService, getEndpointSlicePrefix, getSliceToFill, hintsEnabled, podToEndpoint, serviceControllerKey } from './utils';
import type { Node, Pod } from '../../api/core/v1';
import { newPod, newServiceAndEndpointMeta } from './testing/fixtures';

describe('getSliceToFill (k8s.io/endpointslice utils.go)', () => {
  // Upstream has no table for it; these cases follow its comment: the slice closest to full once the endpoints are added.
  const s = (name: string, n: number) => ({ name, endpoints: Array.from({ length: n }) });
  const cases = [
    { ref: 'getSliceToFill/no slices', slices: [], num: 10, max: 100, want: undefined },
    { ref: 'getSliceToFill/one slice with room', slices: [s('a', 50)], num: 10, max: 100, want: 'a' },
    { ref: 'getSliceToFill/one slice without room', slices: [s('a', 95)], num: 10, max: 100, want: undefined },
    { ref: 'getSliceToFill/the one left closest to full', slices: [s('a', 20), s('b', 62), s('c', 61)], num: 27, max: 100, want: 'b' },
    { ref: 'getSliceToFill/an exact fit wins at once', slices: [s('a', 89), s('b', 90), s('c', 89)], num: 10, max: 100, want: 'b' },
    { ref: 'getSliceToFill/ties go to the first', slices: [s('a', 40), s('b', 40)], num: 10, max: 100, want: 'a' },
    { ref: 'getSliceToFill/an empty slice is closest when the endpoints fill it', slices: [s('a', 0), s('b', 1)], num: 100, max: 100, want: 'a' },
  ];
  for (const c of cases) it(c.ref, () => expect(getSliceToFill(c.slices, c.num, c.max)?.name).toBe(c.want));
});

describe('ServiceControllerKey', () => {
  it('TestServiceControllerKey/nil EndpointSlice', () => expect(() => serviceControllerKey(undefined)).toThrow('nil EndpointSlice passed to ServiceControllerKey()'));
  it('TestServiceControllerKey/empty EndpointSlice', () => expect(() => serviceControllerKey({ metadata: {} } as EndpointSlice)).toThrow('EndpointSlice missing kubernetes.io/service-name label'));
  it('TestServiceControllerKey/valid EndpointSlice', () => expect(serviceControllerKey({ metadata: { namespace: 'ns', labels: { 'kubernetes.io/service-name': 'svc' } } } as unknown as EndpointSlice)).toBe('ns/svc'));
});

describe('getAddressTypesForService', () => {
  const svc = (spec: Service['spec']): Service => ({ metadata: {}, spec });
  const cases = [
    { ref: 'TestSupportedServiceAddressType/v4 service with no ip families (cluster upgrade)', s: svc({ clusterIP: '10.0.0.10' }), want: ['IPv4'] },
    { ref: 'TestSupportedServiceAddressType/v6 service with no ip families (cluster upgrade)', s: svc({ clusterIP: '2000::1' }), want: ['IPv6'] },
    { ref: 'TestSupportedServiceAddressType/v4 service', s: svc({ ipFamilies: ['IPv4'] }), want: ['IPv4'] },
    { ref: 'TestSupportedServiceAddressType/v6 services', s: svc({ ipFamilies: ['IPv6'] }), want: ['IPv6'] },
    { ref: 'TestSupportedServiceAddressType/v4,v6 service', s: svc({ ipFamilies: ['IPv4', 'IPv6'] }), want: ['IPv4', 'IPv6'] },
    { ref: 'TestSupportedServiceAddressType/v6,v4 service', s: svc({ ipFamilies: ['IPv6', 'IPv4'] }), want: ['IPv4', 'IPv6'] },
    { ref: 'TestSupportedServiceAddressType/headless with no selector and no families (old api-server)', s: svc({ clusterIP: 'None' }), want: ['IPv4', 'IPv6'] },
    { ref: 'TestSupportedServiceAddressType/headless with selector and no families (old api-server)', s: svc({ clusterIP: 'None', selector: { foo: 'bar' } }), want: ['IPv4', 'IPv6'] },
    { ref: 'TestSupportedServiceAddressType/headless with no selector with families', s: svc({ clusterIP: 'None', ipFamilies: ['IPv4', 'IPv6'] }), want: ['IPv4', 'IPv6'] },
    { ref: 'TestSupportedServiceAddressType/headless with selector with families', s: svc({ clusterIP: 'None', selector: { foo: 'bar' }, ipFamilies: ['IPv4', 'IPv6'] }), want: ['IPv4', 'IPv6'] },
  ];
  for (const c of cases) it(c.ref, () => expect([...getAddressTypesForService(c.s)].sort()).toEqual(c.want));
});

describe('hintsEnabled', () => {
  const H = 'service.kubernetes.io/topology-aware-hints';
  const M = 'service.kubernetes.io/topology-mode';
  const cases: [string, Record<string, string> | undefined, boolean][] = [
    ['empty annotations', undefined, false],
    ['different annotations', { 'topology-hints': 'enabled' }, false],
    ['hints annotation == enabled', { [H]: 'enabled' }, false],
    ['hints annotation == aUto', { [H]: 'aUto' }, false],
    ['hints annotation == auto', { [H]: 'auto' }, true],
    ['hints annotation == Auto', { [H]: 'Auto' }, true],
    ['hints annotation == disabled', { [H]: 'disabled' }, false],
    ['mode annotation == enabled', { [M]: 'enabled' }, false],
    ['mode annotation == aUto', { [M]: 'aUto' }, false],
    ['mode annotation == auto', { [M]: 'auto' }, true],
    ['mode annotation == Auto', { [M]: 'Auto' }, true],
    ['mode annotation == disabled', { [M]: 'disabled' }, false],
    ['mode annotation == disabled, hints annotation == auto', { [M]: 'disabled', [H]: 'auto' }, true],
    ['mode annotation == auto, hints annotation == disabled', { [M]: 'auto', [H]: 'disabled' }, false],
  ];
  for (const [name, ann, want] of cases) it(`Test_hintsEnabled/${name}`, () => expect(hintsEnabled(ann)).toBe(want));
});

describe('FindPort', () => {
  const ports = (...p: [string, number, string][]) => ({ name: '', ports: p.map(([name, containerPort, protocol]) => ({ name, containerPort, protocol: protocol as 'TCP' })) }) as Container;
  const empty = { name: '' } as Container;
  const sidecar = (c: Container) => ({ ...c, restartPolicy: 'Always' as const });
  const cases: { ref: string; containers?: Container[]; init?: Container[]; port: number | string; want: number; pass: boolean }[] = [
    { ref: 'TestFindPort/valid int, no ports', containers: [empty], port: 93, want: 93, pass: true },
    { ref: 'TestFindPort/valid int, with ports', containers: [ports(['', 11, 'TCP'], ['p', 22, 'TCP'])], port: 93, want: 93, pass: true },
    { ref: 'TestFindPort/valid str, no ports', containers: [empty], port: 'p', want: 0, pass: false },
    { ref: 'TestFindPort/valid str, one ctr with ports', containers: [ports(['', 11, 'UDP'], ['p', 22, 'TCP'], ['q', 33, 'TCP'])], port: 'q', want: 33, pass: true },
    { ref: 'TestFindPort/valid str, two ctr with ports', containers: [empty, ports(['', 11, 'UDP'], ['p', 22, 'TCP'], ['q', 33, 'TCP'])], port: 'q', want: 33, pass: true },
    { ref: 'TestFindPort/Sidecar initContainer named port', init: [sidecar(ports(['a', 80, 'TCP']))], port: 'a', want: 80, pass: true },
    { ref: 'TestFindPort/Invalid(restartPolicy != Always) initContainer named port', init: [ports(['a', 80, 'TCP'])], port: 'a', want: 0, pass: false },
    { ref: 'TestFindPort/App and sidecar containers have the same named port, first app container port will be used', init: [sidecar(ports(['a', 80, 'TCP']))], containers: [ports(['a', 81, 'TCP']), ports(['a', 82, 'TCP'])], port: 'a', want: 81, pass: true },
  ];
  for (const c of cases) {
    it(c.ref, () => {
      const pod = { metadata: {}, spec: { containers: c.containers ?? [], initContainers: c.init } };
      const run = () => findPort(pod, { port: 1, protocol: 'TCP', targetPort: c.port });
      if (c.pass) expect(run()).toBe(c.want);
      else expect(run).toThrow('no suitable port for manifest: ');
    });
  }
});

describe('addresses and times as Go prints them', () => {
  const cases: [string, string][] = [
    ['1234::5678:0000:0000:9abc:def0', '1234::5678:0:0:9abc:def0'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:1:0:0:0:1', '2001:db8:0:1::1'],
    ['2001:DB8::0:1', '2001:db8::1'],
    ['::ffff:10.1.2.3', '10.1.2.3'],
    ['010.001.002.003', '10.1.2.3'],
    ['not-an-ip', ''],
  ];
  for (const [given, want] of cases) it(`net.IP.String(ParseIPSloppy(${given}))`, () => expect(ipString(given)).toBe(want));
  it('RFC3339Nano drops trailing zeros of the fraction', () => {
    expect(formatRFC3339Nano(Date.UTC(2026, 0, 2, 3, 4, 5))).toBe('2026-01-02T03:04:05Z');
    expect(formatRFC3339Nano(Date.UTC(2026, 0, 2, 3, 4, 5, 670))).toBe('2026-01-02T03:04:05.67Z');
  });
  it('a slice name prefix keeps the dash unless it would make an invalid name', () => {
    expect(getEndpointSlicePrefix('web')).toBe('web-');
    expect(getEndpointSlicePrefix('a'.repeat(252))).toBe(`${'a'.repeat(252)}-`);
    expect(getEndpointSlicePrefix('a'.repeat(253))).toBe('a'.repeat(253));
  });
});

describe('podToEndpoint', () => {
  const [svc] = newServiceAndEndpointMeta('foo', 'test');
  const [pnr] = newServiceAndEndpointMeta('publishnotready', 'test');
  pnr.spec.publishNotReadyAddresses = true;
  const withHostname = newPod(1, 'test', true);
  withHostname.spec.subdomain = 'foo';
  withHostname.spec.hostname = 'example-hostname';
  const multiIP = newPod(1, 'test', true);
  multiIP.status!.podIPs = [{ ip: '1.2.3.4' }, { ip: '1234::5678:0000:0000:9abc:def0' }];
  const node1: Node = { metadata: { name: 'node-1', labels: { 'topology.kubernetes.io/zone': 'us-central1-a', 'topology.kubernetes.io/region': 'us-central1' } }, spec: {} };
  const cond = (ready: boolean, serving: boolean, terminating: boolean) => ({ ready, serving, terminating });
  const cases: { ref: string; pod: Pod; node?: Node; svc: typeof svc; addr: string; conditions: ReturnType<typeof cond>; zone?: string; hostname?: string }[] = [
    { ref: 'TestPodToEndpoint/Ready pod', pod: newPod(1, 'test', true), svc, addr: '1.2.3.5', conditions: cond(true, true, false) },
    { ref: 'TestPodToEndpoint/Ready pod + publishNotReadyAddresses', pod: newPod(1, 'test', true), svc: pnr, addr: '1.2.3.5', conditions: cond(true, true, false) },
    { ref: 'TestPodToEndpoint/Unready pod', pod: newPod(1, 'test', false), svc, addr: '1.2.3.5', conditions: cond(false, false, false) },
    { ref: 'TestPodToEndpoint/Unready pod + publishNotReadyAddresses', pod: newPod(1, 'test', false), svc: pnr, addr: '1.2.3.5', conditions: cond(true, false, false) },
    { ref: 'TestPodToEndpoint/Ready pod + node labels', pod: newPod(1, 'test', true), node: node1, svc, addr: '1.2.3.5', conditions: cond(true, true, false), zone: 'us-central1-a' },
    { ref: 'TestPodToEndpoint/Multi IP Ready pod + node labels', pod: multiIP, node: node1, svc, addr: '1.2.3.4', conditions: cond(true, true, false), zone: 'us-central1-a' },
    { ref: 'TestPodToEndpoint/Ready pod + hostname', pod: withHostname, node: node1, svc, addr: '1.2.3.5', conditions: cond(true, true, false), zone: 'us-central1-a', hostname: 'example-hostname' },
    { ref: 'TestPodToEndpoint/Ready terminating pod', pod: newPod(1, 'test', true, true), svc, addr: '1.2.3.5', conditions: cond(false, true, true) },
    { ref: 'TestPodToEndpoint/Not ready terminating pod', pod: newPod(1, 'test', false, true), svc, addr: '1.2.3.5', conditions: cond(false, false, true) },
  ];
  for (const c of cases) {
    it(c.ref, () => {
      expect(podToEndpoint(c.pod, c.node, c.svc, 'IPv4')).toEqual({
        addresses: [c.addr],
        conditions: c.conditions,
        ...(c.hostname ? { hostname: c.hostname } : {}),
        targetRef: { kind: 'Pod', namespace: 'test', name: 'pod1' },
        nodeName: 'node-1',
        ...(c.zone ? { zone: c.zone } : {}),
      });
    });
  }
});
