// The assembled network on the API server model: node IPAM -> flannel's subnet.env -> CNI
// addresses -> EndpointSlices -> kube-proxy rules -> a packet to a ClusterIP reaching a pod.
import { describe, expect, it } from 'vitest';
import { newEnv } from '../core/env';
import { runUntilIdle } from '../core/drive';
import { newLabCluster } from '../cluster/cluster';
import type { KubeObject } from '../core/object';
import type { Pod } from '../api/core/v1';
import type { EndpointSlice } from '../api/discovery/v1';
import { ClusterNetwork } from './cluster_network';
import { sandboxRetryMs } from './pod_agent';
import { walkPacket } from '../netstack/walk/walk';
import { runNetCommand } from '../netstack/walk/shell';

async function setup() {
  const cluster = await newLabCluster({ env: newEnv({ seed: 3 }) });
  const network = new ClusterNetwork({ cluster, seed: 3 });
  await network.start();
  const cs = cluster.clientset({ qps: 100, burst: 200 });
  const run = (ms = 2000) => runUntilIdle(cluster.clock, { forMs: ms });
  const pod = (name: string, node: string, labels: Record<string, string>, port?: number) =>
    cs.coreV1().pods('default').create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { nodeName: node, containers: [{ name: 'c', image: 'nginx', ...(port ? { ports: [{ containerPort: port }] } : {}) }] } } as KubeObject);
  // CoreDNS waits for flannel's subnet.env as on a fresh kubeadm cluster, then its sandbox retry succeeds.
  await run(sandboxRetryMs + 1000);
  return { cluster, network, cs, run, pod };
}

describe('ClusterNetwork', () => {
  it('gives nodes their ranges and pods their addresses, and sends a packet for a ClusterIP to a pod behind it', async () => {
    const h = await setup();
    await h.pod('web-1', 'node-a', { app: 'web' }, 8080);
    await h.pod('web-2', 'node-b', { app: 'web' }, 8080);
    await h.pod('client', 'node-a', { app: 'client' });
    await h.cs.coreV1().services('default').create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } } as KubeObject);
    await h.run();
    const pods = (await h.cs.coreV1().pods('').list()).items as unknown as Pod[];
    const ip = (name: string) => pods.find((p) => p.metadata.name === name)!.status!.podIP;
    // node-a holds 10.244.0.0/24 and node-b 10.244.1.0/24: coredns took .2 on each first.
    expect([ip('web-1'), ip('web-2'), ip('client')]).toEqual(['10.244.0.3', '10.244.1.3', '10.244.0.4']);
    const slices = (await h.cs.discoveryV1().endpointSlices('default').list({ labelSelector: 'kubernetes.io/service-name=web' })).items as unknown as EndpointSlice[];
    expect(slices[0].endpoints.map((e) => e.addresses[0]).sort()).toEqual(['10.244.0.3', '10.244.1.3']);
    const dns = (await h.cs.discoveryV1().endpointSlices('kube-system').list({ labelSelector: 'kubernetes.io/service-name=kube-dns' })).items as unknown as EndpointSlice[];
    expect(dns[0].endpoints.map((e) => e.addresses[0]).sort()).toEqual(['10.244.0.2', '10.244.1.2']);

    const net = await h.network.net();
    const svc = (await h.cs.coreV1().services('default').get('web')) as unknown as { spec: { clusterIP: string } };
    const w = walkPacket(net, { from: 'default/client', to: `${svc.spec.clusterIP}:80` });
    expect(w.outcome).toBe('delivered');
    expect(['pod/default/web-1', 'pod/default/web-2']).toContain(w.at);
    expect(w.received?.dport).toBe(8080);
    expect(runNetCommand(net, 'node-a', 'cat /run/flannel/subnet.env').stdout).toBe('FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.0.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n');
    expect(runNetCommand(net, 'node-b', 'iptables-save -t nat').stdout).toMatch(/-A KUBE-SERVICES -d 10\.\d+\.\d+\.\d+\/32 -p tcp -m comment --comment "default\/web cluster IP" -m tcp --dport 80 -j KUBE-SVC-/);
  });

  it('a Service with no ready endpoint is rejected; a ready one comes back', async () => {
    const h = await setup();
    await h.pod('web-1', 'node-b', { app: 'web' }, 8080);
    await h.pod('client', 'node-a', { app: 'client' });
    await h.cs.coreV1().services('default').create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } } as KubeObject);
    await h.run();
    const svc = (await h.cs.coreV1().services('default').get('web')) as unknown as { spec: { clusterIP: string } };
    await h.network.agents.get('node-b')!.setReady('default', 'web-1', false);
    await h.run();
    expect(walkPacket(await h.network.net(), { from: 'default/client', to: `${svc.spec.clusterIP}:80` }).outcome).toBe('rejected');
    await h.network.agents.get('node-b')!.setReady('default', 'web-1', true);
    await h.run();
    expect(walkPacket(await h.network.net(), { from: 'default/client', to: `${svc.spec.clusterIP}:80` }).at).toBe('pod/default/web-1');
  });
});

describe('commands on nodes and in pods', () => {
  it('curl by Service name resolves through CoreDNS and walks the packet to a pod; errors as curl prints them', async () => {
    const { podCommand, nodeCommand } = await import('./commands');
    const h = await setup();
    await h.pod('web-1', 'node-b', { app: 'web' }, 8080);
    await h.pod('client', 'node-a', { app: 'client' });
    await h.cs.coreV1().services('default').create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } } as KubeObject);
    await h.run();
    const client = (await h.cs.coreV1().pods('default').get('client')) as unknown as Pod;
    const r = await podCommand(h.network, client, ['curl', '-s', 'http://web']);
    expect(r).toMatchObject({ stdout: 'web-1', code: 0 });
    expect(r.walk?.outcome).toBe('delivered');
    expect(await podCommand(h.network, client, ['curl', 'http://nope'])).toMatchObject({ stderr: 'curl: (6) Could not resolve host: nope\n', code: 6 });
    // No rule matches a ClusterIP on a port the Service does not have: the SYN leaves by the default route and times out.
    expect(await podCommand(h.network, client, ['curl', '-m', '5', 'web:81'])).toMatchObject({ stderr: 'curl: (28) Connection timed out after 5001 milliseconds\n', code: 28 });
    expect(await podCommand(h.network, client, ['curl', 'http://web:99999'])).toMatchObject({ code: 3 });
    expect((await podCommand(h.network, client, ['cat', '/etc/resolv.conf'])).stdout).toBe('search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
    const ns = await podCommand(h.network, client, ['nslookup', 'web']);
    expect(ns.stdout).toContain('web.default.svc.cluster.local');
    // curl's lookup under ndots:5: A only (curl asks for IPv4 here), answered by the first search domain.
    // Each query is a UDP packet to kube-dns's ClusterIP, DNATed to a CoreDNS pod, before the SYN.
    const byName = await podCommand(h.network, client, ['curl', '-s', 'http://web']);
    expect(byName.walks?.map((w) => [w.outcome, w.at?.startsWith('pod/kube-system/coredns-')])).toEqual([['delivered', true], ['delivered', false]]);
    expect(byName.walks?.at(-1)).toBe(byName.walk);
    // An external name tries every search domain first: three NXDOMAINs, then the name itself.
    const ext = await podCommand(h.network, client, ['dig', '+search', 'example.com']);
    expect(ext.walks?.length).toBe(4);
    expect(new Set(ext.walks?.map((w) => w.outcome))).toEqual(new Set(['delivered']));
    expect((await nodeCommand(h.network, 'node-a', ['ls', '/var/lib/cni/networks/cbr0'])).stdout).toBe('10.244.0.2\n10.244.0.3\nlast_reserved_ip.0\n');
    expect((await nodeCommand(h.network, 'node-a', ['ip', 'route'])).stdout).toContain('10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink');
  });

  it('a pod reaches the API server: the kubernetes Service at the control-plane node, TLS, then anonymous or its token', async () => {
    const { podCommand } = await import('./commands');
    const h = await setup();
    await h.pod('client', 'node-b', { app: 'client' });
    await h.run();
    const client = (await h.cs.coreV1().pods('default').get('client')) as unknown as Pod;
    const sh = (line: string[]) => podCommand(h.network, client, line);
    const untrusted = await sh(['curl', 'https://kubernetes.default.svc/api']);
    expect([untrusted.code, untrusted.stderr.split('\n')[0]]).toEqual([60, 'curl: (60) SSL certificate problem: unable to get local issuer certificate']);
    // kube-proxy DNATs 10.96.0.1:443 to the API server on node-a (192.168.0.2:6443).
    expect([untrusted.walk?.outcome, untrusted.walk?.at, untrusted.walk?.received?.dst, untrusted.walk?.received?.dport]).toEqual(['delivered', 'node/node-a', '192.168.0.2', 6443]);
    expect((await sh(['curl', 'http://kubernetes.default:443/'])).stdout).toBe('Client sent an HTTP request to an HTTPS server.\n');
    const anonymous = JSON.parse((await sh(['curl', '-sk', 'https://kubernetes.default/api'])).stdout);
    expect(anonymous).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'forbidden: User "system:anonymous" cannot get path "/api"', reason: 'Forbidden', details: {}, code: 403 });
    expect(JSON.parse((await sh(['curl', '-k', 'https://10.96.0.1/version'])).stdout).gitVersion).toBe('v1.34.0');
    const ca = '--cacert=/var/run/secrets/kubernetes.io/serviceaccount/ca.crt'.split('=');
    const bearer = ['-H', 'Authorization: Bearer $(cat /var/run/secrets/kubernetes.io/serviceaccount/token)'];
    const api = JSON.parse((await sh(['curl', '-s', ...ca, ...bearer, 'https://$KUBERNETES_SERVICE_HOST/api'])).stdout);
    expect(api.kind).toBe('APIVersions');
    const pods = JSON.parse((await sh(['curl', '-s', ...ca, ...bearer, 'https://kubernetes.default.svc/api/v1/namespaces/default/pods'])).stdout);
    expect([pods.code, pods.message, pods.details]).toEqual([403, 'pods is forbidden: User "system:serviceaccount:default:default" cannot list resource "pods" in API group "" in the namespace "default"', { kind: 'pods' }]);
    const dep = JSON.parse((await sh(['curl', '-s', ...ca, ...bearer, 'https://kubernetes.default.svc/apis/apps/v1/namespaces/prod/deployments/web'])).stdout);
    expect([dep.message, dep.details]).toEqual(['deployments.apps "web" is forbidden: User "system:serviceaccount:default:default" cannot get resource "deployments" in API group "apps" in the namespace "prod"', { name: 'web', group: 'apps', kind: 'deployments' }]);
    const bad = JSON.parse((await sh(['curl', '-sk', '-H', 'Authorization: Bearer nope', 'https://kubernetes.default/api'])).stdout);
    expect([bad.code, bad.reason, 'details' in bad]).toEqual([401, 'Unauthorized', false]);
  });
});
