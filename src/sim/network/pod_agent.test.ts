// The pod network stand-in on the API server model: CNI on bind, the status the kubelet writes,
// readiness, teardown on delete, and the sandbox error when flanneld has not written subnet.env.
import { describe, expect, it } from 'vitest';
import { newEnv } from '../core/env';
import { runUntilIdle } from '../core/drive';
import { rngFromSeed } from '../core/rng';
import { newLabCluster } from '../cluster/cluster';
import type { KubeObject } from '../core/object';
import type { Pod } from '../api/core/v1';
import { PodNetworkAgent, sandboxRetryMs } from './pod_agent';

const subnetEnv = 'FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.1.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n';

async function setup(files: Map<string, string>) {
  const cluster = await newLabCluster({ env: newEnv({ seed: 1 }) });
  const cs = cluster.clientset({ qps: 50, burst: 100 });
  await cs.coreV1().nodes().create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-a' }, spec: { podCIDR: '10.244.1.0/24' } } as KubeObject);
  const n = (await cs.coreV1().nodes().get('node-a')) as KubeObject;
  await cs.coreV1().nodes().updateStatus({ ...n, status: { addresses: [{ type: 'InternalIP', address: '192.168.0.2' }, { type: 'Hostname', address: 'node-a' }] } } as KubeObject);
  const agent = new PodNetworkAgent({ client: cs, clock: cluster.clock, rng: rngFromSeed(4), nodeName: 'node-a', files });
  agent.start();
  const run = (ms = 1000) => runUntilIdle(cluster.clock, { forMs: ms });
  const pod = (name: string) => cs.coreV1().pods('default').create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'web' } }, spec: { nodeName: 'node-a', containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } as KubeObject);
  const get = async (name: string) => (await cs.coreV1().pods('default').get(name)) as unknown as Pod;
  await run();
  return { cluster, cs, agent, run, pod, get };
}

describe('PodNetworkAgent (until the kubelet model)', () => {
  it('gives a bound pod an address from the node subnet and writes a Running, Ready status', async () => {
    const h = await setup(new Map([['/run/flannel/subnet.env', subnetEnv]]));
    await h.pod('web-1');
    await h.pod('web-2');
    await h.run();
    const p = await h.get('web-1');
    expect(p.status).toMatchObject({ phase: 'Running', podIP: '10.244.1.2', podIPs: [{ ip: '10.244.1.2' }], hostIP: '192.168.0.2' });
    expect(p.status!.conditions!.map((c) => `${c.type}=${c.status}`)).toEqual(['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True']);
    expect((await h.get('web-2')).status?.podIP).toBe('10.244.1.3');
    expect(h.agent.bridges.get('cni0')?.addresses).toEqual(['10.244.1.1/24']);

    await h.agent.setReady('default', 'web-1', false);
    await h.run();
    const ready = (await h.get('web-1')).status!.conditions!.find((c) => c.type === 'Ready')!;
    expect(ready).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [nginx]' });
  });

  it('tears the network down when the pod is deleted and confirms the deletion; the address comes back only after the range wraps', async () => {
    const h = await setup(new Map([['/run/flannel/subnet.env', subnetEnv]]));
    await h.pod('web-1');
    await h.run();
    await h.cs.coreV1().pods('default').delete('web-1');
    await h.run(3000);
    await expect(h.get('web-1')).rejects.toMatchObject({ status: { reason: 'NotFound' } });
    expect(h.agent.ipam.files.has('/var/lib/cni/networks/cbr0/10.244.1.2')).toBe(false);
    await h.pod('web-2');
    await h.run();
    expect((await h.get('web-2')).status?.podIP).toBe('10.244.1.3');
  });

  it('without subnet.env the sandbox fails with the event kubectl describe pod shows, and is retried', async () => {
    const files = new Map<string, string>();
    const h = await setup(files);
    await h.pod('web-1');
    await h.run();
    expect((await h.get('web-1')).status?.podIP).toBeUndefined();
    const events = (await h.cs.coreV1().events('default').list()).items as unknown as Array<{ reason: string; message: string; source: { component: string; host: string } }>;
    expect(events[0]).toMatchObject({ reason: 'FailedCreatePodSandBox', source: { component: 'kubelet', host: 'node-a' } });
    expect(events[0].message).toMatch(/^Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "[0-9a-f]{64}": plugin type="flannel" failed \(add\): failed to load flannel 'subnet.env' file: open \/run\/flannel\/subnet.env: no such file or directory. Check the flannel pod log for this node.$/);
    files.set('/run/flannel/subnet.env', subnetEnv);
    await h.run(sandboxRetryMs + 1000);
    expect((await h.get('web-1')).status?.podIP).toBe('10.244.1.2');
  });
});
