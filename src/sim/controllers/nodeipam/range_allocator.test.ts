// The range allocator on the API server model, after pkg/controller/nodeipam/ipam/range_allocator_test.go
// (TestAllocateOrOccupyCIDRSuccess, TestAllocateOrOccupyCIDRFailure, TestReleaseCIDRSuccess) in outline.
import { describe, expect, it } from 'vitest';
import { newEnv } from '../../core/env';
import { runUntilIdle } from '../../core/drive';
import { rngFromSeed } from '../../core/rng';
import { newLabCluster } from '../../cluster/cluster';
import type { KubeObject } from '../../core/object';
import type { Node } from '../../api/core/v1';
import { NodeIpamController, validateNodeIpamOptions, type NodeIpamOptions } from './range_allocator';

async function setup(opts: Partial<NodeIpamOptions>, existing: Array<{ name: string; podCIDR?: string }>) {
  const cluster = await newLabCluster({ env: newEnv({ seed: 1 }) });
  const cs = cluster.clientset({ qps: 50, burst: 100 });
  const node = (name: string, podCIDR?: string) =>
    cs.coreV1().nodes().create({ apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: podCIDR ? { podCIDR, podCIDRs: [podCIDR] } : {} } as KubeObject);
  for (const n of existing) await node(n.name, n.podCIDR);
  const ipam = new NodeIpamController({ client: cs, clock: cluster.clock, rng: rngFromSeed(2), ...opts });
  const started = ipam.start();
  const run = () => runUntilIdle(cluster.clock, { forMs: 3000 });
  await run();
  await started;
  const cidrs = async () => Object.fromEntries(((await cs.coreV1().nodes().list()).items as unknown as Node[]).map((n) => [n.metadata.name, n.spec?.podCIDRs ?? []]));
  return { cluster, cs, ipam, node, run, cidrs };
}

describe('NodeIpamController (range allocator)', () => {
  it('gives each node the next /24 of the cluster CIDR, occupying the blocks nodes already hold first', async () => {
    const h = await setup({ clusterCIDR: '10.244.0.0/16' }, [{ name: 'a' }, { name: 'b', podCIDR: '10.244.0.0/24' }, { name: 'c' }]);
    expect(await h.cidrs()).toEqual({ a: ['10.244.1.0/24'], b: ['10.244.0.0/24'], c: ['10.244.2.0/24'] });
    const n = await h.cs.coreV1().nodes().get('a') as unknown as Node;
    expect(n.spec?.podCIDR).toBe('10.244.1.0/24');
    await h.node('d');
    await h.run();
    expect((await h.cidrs()).d).toEqual(['10.244.3.0/24']);
  });

  it('TestAllocateOrOccupyCIDRSuccess/When there is no service range: and skips the Service range when the cluster CIDR holds it', async () => {
    const h = await setup({ clusterCIDR: '10.0.0.0/8', nodeCIDRMaskSize: 12, serviceCIDR: '10.96.0.0/12' }, [{ name: 'n0' }, { name: 'n1' }, { name: 'n2' }, { name: 'n3' }, { name: 'n4' }, { name: 'n5' }, { name: 'n6' }, { name: 'n7' }]);
    const got = Object.values(await h.cidrs()).flat();
    // Blocks of /12 in 10/8: 10.0, 10.16, ..., 10.96 is the Service range, so the seventh node gets 10.112.
    expect(got).toContain('10.112.0.0/12');
    expect(got).not.toContain('10.96.0.0/12');
  });

  it('TestAllocateOrOccupyCIDRFailure: a full range gives a CIDRNotAvailable event and leaves the node without a range', async () => {
    const h = await setup({ clusterCIDR: '10.244.0.0/23', nodeCIDRMaskSize: 24 }, [{ name: 'a' }, { name: 'b' }]);
    await h.node('c');
    await h.run();
    expect((await h.cidrs()).c).toEqual([]);
    const events = (await h.cs.coreV1().events('default').list()).items as unknown as Array<{ reason: string; message: string; type: string; source: { component: string }; involvedObject: { kind: string; name: string } }>;
    expect(events[0]).toMatchObject({ reason: 'CIDRNotAvailable', message: 'Node c status is now: CIDRNotAvailable', type: 'Warning', source: { component: 'cidrAllocator' }, involvedObject: { kind: 'Node', name: 'c' } });
  });

  it('TestReleaseCIDRSuccess: a deleted node gives its block back, handed out when the scan wraps around', async () => {
    const h = await setup({ clusterCIDR: '10.244.0.0/23', nodeCIDRMaskSize: 24 }, [{ name: 'a' }, { name: 'b' }]);
    expect(await h.cidrs()).toEqual({ a: ['10.244.0.0/24'], b: ['10.244.1.0/24'] });
    await h.cs.coreV1().nodes().delete('a');
    await h.run();
    await h.node('c');
    await h.run();
    expect((await h.cidrs()).c).toEqual(['10.244.0.0/24']);
    expect(h.ipam.cidrSet.allocatedCIDRs).toBe(2);
  });

  it("checks kube-controller-manager's flags", () => {
    // TestNewNodeIpamControllerWithCIDRMasks/invalid_CIDR_smaller_than_mask_other_allocators
    expect(validateNodeIpamOptions({ clusterCIDR: '10.0.0.0/26', nodeCIDRMaskSize: 24 })).toEqual(['Controller: Invalid --cluster-cidr, mask size of cluster CIDR must be less than or equal to --node-cidr-mask-size configured for CIDR family']);
    expect(validateNodeIpamOptions({ clusterCIDR: '10.244.0.0' })).toEqual(['invalid --cluster-cidr: invalid CIDR address: 10.244.0.0']);
  });
});
