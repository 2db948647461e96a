// A pod of the assembled network reads its service account directory and its environment:
// what the admission plugin, the kubelet and the root CA publisher put there, through podCommand.
import { describe, expect, it } from 'vitest';
import { newEnv } from '../core/env';
import { runUntilIdle } from '../core/drive';
import { newLabCluster } from '../cluster/cluster';
import type { KubeObject } from '../core/object';
import type { Pod } from '../api/core/v1';
import { ClusterNetwork } from './cluster_network';
import { sandboxRetryMs } from './pod_agent';
import { podCommand } from './commands';
import { decodeToken } from '../serviceaccount/jwt';
import { inClusterConfig } from '../serviceaccount/in_cluster_config';
import { podAPIFiles, podEnv } from './pod_files';

async function setup() {
  const cluster = await newLabCluster({ env: newEnv({ seed: 5 }) });
  const network = new ClusterNetwork({ cluster, seed: 5 });
  await network.start();
  const cs = cluster.clientset({ qps: 100, burst: 200 });
  const run = (ms = 2000) => runUntilIdle(cluster.clock, { forMs: ms });
  await run(sandboxRetryMs + 1000);
  const pod = async (name: string, spec: Record<string, unknown> = {}, namespace = 'default') => {
    await cs.coreV1().pods(namespace).create({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName: 'node-a', containers: [{ name: 'c', image: 'busybox' }], ...spec } } as KubeObject);
    await run();
    return (await cs.coreV1().pods(namespace).get(name)) as unknown as Pod;
  };
  return { cluster, network, cs, run, pod };
}

const dir = '/var/run/secrets/kubernetes.io/serviceaccount';

describe('the service account directory and env in a pod (pod_files.ts)', () => {
  it('ls, cat namespace / ca.crt / token, and env, as the pod sees them', async () => {
    const h = await setup();
    const p = await h.pod('client');
    expect(await podCommand(h.network, p, ['ls', dir])).toEqual({ stdout: 'ca.crt\nnamespace\ntoken\n', stderr: '', code: 0 });
    expect((await podCommand(h.network, p, ['cat', `${dir}/namespace`])).stdout).toBe('default');
    expect((await podCommand(h.network, p, ['cat', `${dir}/ca.crt`])).stdout).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/);
    const token = (await podCommand(h.network, p, ['cat', `${dir}/token`])).stdout;
    const { claims } = decodeToken(token);
    const node = (await h.cs.coreV1().nodes().get('node-a')) as KubeObject;
    expect(claims.sub).toBe('system:serviceaccount:default:default');
    expect(claims['kubernetes.io'].pod).toEqual({ name: 'client', uid: p.metadata.uid });
    expect(claims['kubernetes.io'].node).toEqual({ name: 'node-a', uid: node.metadata.uid });
    expect(claims.exp - claims.iat).toBe(31536000);
    expect(claims['kubernetes.io'].warnafter! - claims.iat).toBe(3607);
    // The same file read twice is the same token; the file is rewritten after 2887 s.
    expect((await podCommand(h.network, p, ['cat', `${dir}/token`])).stdout).toBe(token);
    h.cluster.clock.step(2888_000);
    expect((await podCommand(h.network, p, ['cat', `${dir}/token`])).stdout).not.toBe(token);

    const env = (await podCommand(h.network, p, ['env'])).stdout;
    expect(env).toContain('KUBERNETES_SERVICE_HOST=10.96.0.1\nKUBERNETES_SERVICE_PORT=443\nKUBERNETES_SERVICE_PORT_HTTPS=443\n');
    expect(env).toContain('KUBERNETES_PORT_443_TCP=tcp://10.96.0.1:443\n');
    expect((await podCommand(h.network, p, ['printenv', 'KUBERNETES_SERVICE_HOST'])).stdout).toBe('10.96.0.1\n');
    // What client-go makes of it.
    const cfg = inClusterConfig({ env: await podEnv(h.network, p), files: await podAPIFiles(h.network, p) });
    expect(cfg instanceof Error ? cfg.message : cfg.config.host).toBe('https://10.96.0.1:443');
  });

  it('a Service of the namespace made before the pod is in its env, one made after is not; other namespaces never', async () => {
    const h = await setup();
    await h.cs.coreV1().services('default').create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-api' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }] } } as KubeObject);
    await h.run();
    const p = await h.pod('client');
    await h.cs.coreV1().services('default').create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'late' }, spec: { selector: { app: 'x' }, ports: [{ port: 80 }] } } as KubeObject);
    const env = (await podCommand(h.network, p, ['env'])).stdout;
    expect(env).toMatch(/^WEB_API_SERVICE_PORT_HTTP=80$/m);
    expect(env).not.toMatch(/LATE_/);
    expect(env).not.toMatch(/KUBE_DNS_/);
    const noLinks = await h.pod('nolinks', { enableServiceLinks: false });
    const env2 = (await podCommand(h.network, noLinks, ['env'])).stdout;
    expect(env2).not.toMatch(/WEB_API_/);
    expect(env2).toMatch(/^KUBERNETES_SERVICE_HOST=10\.96\.0\.1$/m);
  });

  it('automountServiceAccountToken: false leaves no directory; other files fall through to podCommand', async () => {
    const h = await setup();
    const p = await h.pod('quiet', { automountServiceAccountToken: false });
    expect(await podCommand(h.network, p, ['cat', `${dir}/token`])).toEqual({ stdout: '', stderr: `cat: can't open '${dir}/token': No such file or directory\n`, code: 1 });
    expect(await podCommand(h.network, p, ['ls', dir])).toEqual({ stdout: '', stderr: `ls: ${dir}: No such file or directory\n`, code: 1 });
    const cfg = inClusterConfig({ env: await podEnv(h.network, p), files: await podAPIFiles(h.network, p) });
    expect((cfg as Error).message).toBe(`open ${dir}/token: no such file or directory`);
    expect((await podCommand(h.network, p, ['cat', '/etc/resolv.conf'])).stdout).toContain('nameserver 10.96.0.10');
  });
});
