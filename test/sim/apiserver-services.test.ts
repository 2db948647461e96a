// Services on the API server model: validation after pkg/apis/core/validation (ValidateService),
// and the ClusterIP and NodePort allocators after pkg/registry/core/service (ipallocator,
// portallocator, storage/alloc.go), with the static and dynamic bands of KEP-3070 and KEP-3668.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/sim/index';
import { fixture, statusOf } from './apiserver-fixture';

const SVCS = '/api/v1/namespaces/default/services';
const body = (r: { body?: unknown }) => r.body as any;
const svc = (name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec } });
const toInt = (ip: string) => ip.split('.').reduce((n, x) => n * 256 + Number(x), 0);

describe('Service validation (ValidateService)', () => {
  const cases: Array<{ ref: string; spec: Record<string, unknown>; want: string }> = [
    { ref: 'TestValidateServiceCreate/invalid port', spec: { ports: [{ port: 70000 }] }, want: 'spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive' },
    { ref: 'TestValidateServiceCreate/invalid targetPort name', spec: { ports: [{ port: 80, targetPort: 'http_web' }] }, want: 'spec.ports[0].targetPort: Invalid value: "http_web": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)' },
    { ref: 'TestValidateServiceCreate/missing port name with multiple ports', spec: { ports: [{ port: 80 }, { port: 443 }] }, want: 'spec.ports[0].name: Required value' },
    { ref: 'TestValidateServiceCreate/invalid type', spec: { type: 'Headless' }, want: 'spec.type: Unsupported value: "Headless": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"' },
    { ref: 'TestValidateServiceCreate/invalid nodePort with clusterIP type', spec: { ports: [{ port: 80, nodePort: 30080 }] }, want: "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'" },
    { ref: 'TestValidateServiceCreate/invalid headless NodePort', spec: { type: 'NodePort', clusterIP: 'None' }, want: "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services" },
    { ref: 'TestValidateServiceCreate/invalid externalTrafficPolicy on ClusterIP', spec: { externalTrafficPolicy: 'Local' }, want: 'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services' },
    { ref: 'TestValidateServiceCreate/ExternalName without externalName', spec: { type: 'ExternalName', ports: [] }, want: 'spec.externalName: Required value' },
    { ref: 'TestValidateServiceCreate/invalid sessionAffinity timeout', spec: { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 100000 } } }, want: 'spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 100000: must be greater than 0 and less than 86400' },
    { ref: 'TestValidateServiceCreate/invalid clusterIP', spec: { clusterIP: 'abc' }, want: 'spec.clusterIPs[0]: Invalid value: "abc": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)' },
    { ref: 'TestValidateServiceCreate/duplicate ports', spec: { ports: [{ name: 'a', port: 80 }, { name: 'b', port: 80 }] }, want: 'spec.ports[1]: Duplicate value:' },
  ];
  it.each(cases)('$ref', async ({ spec, want }) => {
    const f = fixture();
    const r = await f.req({ verb: 'POST', path: SVCS, body: svc('web', spec) });
    expect(r.code).toBe(422);
    expect(statusOf(r.body).message).toContain(want);
  });

  it('accepts a headless Service without ports and an ExternalName Service', async () => {
    const f = fixture();
    expect((await f.req({ verb: 'POST', path: SVCS, body: svc('db', { clusterIP: 'None', ports: [] }) })).code).toBe(201);
    const ext = body(await f.req({ verb: 'POST', path: SVCS, body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: 'db.example.com' } } }));
    expect([ext.spec.clusterIP, ext.spec.clusterIPs, ext.spec.ipFamilies]).toEqual([undefined, undefined, undefined]);
  });
});

describe('ClusterIP and NodePort allocation', () => {
  it('hands out addresses from the dynamic band, above the first 256 of 10.96.0.0/12, and ports from 30086 up', async () => {
    const f = fixture();
    const ips: string[] = [];
    const ports: number[] = [];
    for (let i = 0; i < 20; i++) {
      const s = body(await f.req({ verb: 'POST', path: SVCS, body: svc(`s${i}`, { type: 'NodePort' }) }));
      ips.push(s.spec.clusterIP);
      ports.push(s.spec.ports[0].nodePort);
      expect(s.spec.clusterIPs).toEqual([s.spec.clusterIP]);
    }
    for (const ip of ips) {
      expect(toInt(ip)).toBeGreaterThan(toInt('10.96.1.0'));
      expect(toInt(ip)).toBeLessThan(toInt('10.111.255.255'));
    }
    for (const p of ports) expect(p).toBeGreaterThanOrEqual(30086);
    expect(new Set(ips).size).toBe(20);
  });

  it('an address or port chosen by hand: taken, out of range, released on delete', async () => {
    const f = fixture();
    expect(body(await f.req({ verb: 'POST', path: SVCS, body: svc('kube-dns', { clusterIP: '10.96.0.10' }) })).spec.clusterIP).toBe('10.96.0.10');
    const taken = await f.req({ verb: 'POST', path: SVCS, body: svc('dns2', { clusterIP: '10.96.0.10' }) });
    expect(statusOf(taken.body).message).toBe('Service "dns2" is invalid: spec.clusterIPs: Invalid value: ["10.96.0.10"]: failed to allocate IP 10.96.0.10: provided IP is already allocated');
    const kubernetes = await f.req({ verb: 'POST', path: SVCS, body: svc('k2', { clusterIP: '10.96.0.1' }) });
    expect(statusOf(kubernetes.body).message).toContain('provided IP is already allocated');
    const outside = await f.req({ verb: 'POST', path: SVCS, body: svc('far', { clusterIP: '10.0.0.10' }) });
    expect(statusOf(outside.body).message).toBe('Service "far" is invalid: spec.clusterIPs: Invalid value: ["10.0.0.10"]: failed to allocate IP 10.0.0.10: the provided IP (10.0.0.10) is not in the valid range. The range of valid IPs is 10.96.0.0/12');

    expect((await f.req({ verb: 'POST', path: SVCS, body: svc('np', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }) })).code).toBe(201);
    const dup = await f.req({ verb: 'POST', path: SVCS, body: svc('np2', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }) });
    expect(statusOf(dup.body).message).toBe('Service "np2" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated');
    const low = await f.req({ verb: 'POST', path: SVCS, body: svc('np3', { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] }) });
    expect(statusOf(low.body).message).toBe('Service "np3" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767');
    // A refused Service keeps nothing: its ClusterIP went back.
    await f.req({ verb: 'DELETE', path: `${SVCS}/kube-dns` });
    await f.req({ verb: 'DELETE', path: `${SVCS}/np` });
    expect((await f.req({ verb: 'POST', path: SVCS, body: svc('dns3', { clusterIP: '10.96.0.10' }) })).code).toBe(201);
    expect((await f.req({ verb: 'POST', path: SVCS, body: svc('np4', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }) })).code).toBe(201);
  });

  it('a dry run allocates nothing; a type change allocates and releases node ports', async () => {
    const f = fixture();
    const dry = await f.req({ verb: 'POST', path: SVCS, query: { dryRun: 'All' }, body: svc('web', { clusterIP: '10.96.0.20' }) });
    expect(dry.code).toBe(201);
    expect((await f.req({ verb: 'POST', path: SVCS, body: svc('web', { clusterIP: '10.96.0.20' }) })).code).toBe(201);
    const web = body(await f.req({ verb: 'GET', path: `${SVCS}/web` }));
    const np = body(await f.req({ verb: 'PUT', path: `${SVCS}/web`, body: { ...web, spec: { ...web.spec, type: 'NodePort' } } }));
    const nodePort = np.spec.ports[0].nodePort;
    expect(nodePort).toBeGreaterThanOrEqual(30086);
    expect([np.spec.clusterIP, np.spec.externalTrafficPolicy]).toEqual(['10.96.0.20', 'Cluster']);
    const back = body(await f.req({ verb: 'PUT', path: `${SVCS}/web`, body: np }));
    expect(back.spec.ports[0].nodePort).toBe(nodePort);
    const cip = body(await f.req({ verb: 'PUT', path: `${SVCS}/web`, body: { ...back, spec: { ...back.spec, type: 'ClusterIP' } } }));
    expect([cip.spec.ports[0].nodePort, cip.spec.externalTrafficPolicy]).toEqual([undefined, undefined]);
    // The node port went back: another Service may take it.
    expect((await f.req({ verb: 'POST', path: SVCS, body: svc('other', { type: 'NodePort', ports: [{ port: 80, nodePort }] }) })).code).toBe(201);
  });

  it('a LoadBalancer with externalTrafficPolicy Local gets a health-check node port', async () => {
    const f = fixture();
    const lb = body(await f.req({ verb: 'POST', path: SVCS, body: svc('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }) }));
    expect([lb.spec.allocateLoadBalancerNodePorts, typeof lb.spec.healthCheckNodePort, typeof lb.spec.ports[0].nodePort]).toEqual([true, 'number', 'number']);
    expect(lb.spec.healthCheckNodePort).not.toBe(lb.spec.ports[0].nodePort);
  });
});
