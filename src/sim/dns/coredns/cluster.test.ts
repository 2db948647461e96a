// CoreDNS built from a lab cluster's API server: the `kubernetes` Service the API server makes at
// start answers, a namespace that does not exist is NXDOMAIN.
import { expect, it } from 'vitest';
import { newEnv } from '../../core/env';
import { newLabCluster } from '../../cluster/cluster';
import type { KubeObject } from '../../core/object';
import { coreDNSFromClientset } from './cluster';

it('answers from the objects in the API server', async () => {
  const cluster = await newLabCluster({ env: newEnv({ seed: 1 }) });
  const cs = cluster.clientset({ qps: 50, burst: 100 });
  await cs.coreV1().services('default').create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }] } } as KubeObject);
  const dns = await coreDNSFromClientset(cs, { clock: cluster.clock });
  expect(dns.resolve('kubernetes.default.svc.cluster.local', 'A').answer.map((r) => (r.type === 'A' ? r.a : ''))).toEqual(['10.96.0.1']);
  const web = dns.resolve('web.default.svc.cluster.local', 'A');
  expect(web.rcode).toBe('NOERROR');
  expect(web.answer).toHaveLength(1);
  expect(dns.resolve('_http._tcp.web.default.svc.cluster.local', 'SRV').answer.map((r) => (r.type === 'SRV' ? r.port : 0))).toEqual([80]);
  expect(dns.resolve('web.nowhere.svc.cluster.local', 'A').rcode).toBe('NXDOMAIN');
});
