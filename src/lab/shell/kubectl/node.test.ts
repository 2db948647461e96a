import { describe, expect, it } from 'vitest';
import { newEnv, newLabCluster, runUntilIdle } from '../../../sim/index';
import { createShell, stripAnsi, type ShellIO } from '../index';
import { VirtualFs } from '../vfs';
import { registerKubectl } from './index';

// kubectl cordon / uncordon / drain / taint against the API server model (kubectl v0.34.0
// pkg/cmd/drain, pkg/drain/filters.go, pkg/cmd/taint).
async function setup() {
  const cluster = await newLabCluster({ env: newEnv({ seed: 1 }) });
  const shell = createShell();
  registerKubectl(shell, { transport: cluster.apiServer, clock: cluster.clock, files: new VirtualFs({ files: {} }) });
  const run = async (line: string) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: ShellIO = { print: (s) => out.push(stripAnsi(s)), error: (s) => err.push(stripAnsi(s)), clear: () => {} };
    const p = shell.execute(line, io);
    await runUntilIdle(cluster.clock, { forMs: 5000 });
    const code = await p;
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  const cs = cluster.clientset();
  const node = (name: string) => cs.coreV1().nodes().create({ apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: {}, status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } } });
  const pod = (name: string, nodeName: string, owner?: string) =>
    cs.coreV1().pods('default').create({
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name, ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: owner, name: 'o', uid: 'u1', controller: true }] } : {}) },
      spec: { nodeName, containers: [{ name: 'c', image: 'nginx' }] },
    });
  return { cluster, cs, run, node, pod };
}

describe('kubectl cordon, uncordon, taint, drain', () => {
  it('cordon sets spec.unschedulable, twice says "already cordoned"; uncordon clears it', async () => {
    const h = await setup();
    const p = h.node('n1');
    await runUntilIdle(h.cluster.clock, { forMs: 100 });
    await p;
    expect((await h.run('kubectl cordon n1')).out).toBe('node/n1 cordoned');
    expect((await h.run('kubectl cordon n1')).out).toBe('node/n1 already cordoned');
    const n = await h.cs.coreV1().nodes().get('n1');
    expect((n.spec as { unschedulable?: boolean }).unschedulable).toBe(true);
    expect((await h.run('kubectl uncordon n1')).out).toBe('node/n1 uncordoned');
    expect(((await h.cs.coreV1().nodes().get('n1')).spec as { unschedulable?: boolean }).unschedulable).toBeUndefined();
  });

  it('taint adds, refuses to overwrite without --overwrite, and removes by key or key:effect', async () => {
    const h = await setup();
    await h.node('n1');
    expect((await h.run('kubectl taint nodes n1 dedicated=gpu:NoSchedule')).out).toBe('node/n1 tainted');
    const again = await h.run('kubectl taint nodes n1 dedicated=cpu:NoSchedule');
    expect(again.code).toBe(1);
    expect(again.err).toBe('error: node n1 already has dedicated taint(s) with same effect(s) and --overwrite is false');
    expect((await h.run('kubectl taint nodes n1 dedicated=cpu:NoSchedule --overwrite')).out).toBe('node/n1 modified');
    expect(((await h.cs.coreV1().nodes().get('n1')).spec as { taints?: unknown[] }).taints).toEqual([{ key: 'dedicated', value: 'cpu', effect: 'NoSchedule' }]);
    expect((await h.run('kubectl taint nodes n1 dedicated-')).out).toBe('node/n1 untainted');
    expect((await h.run('kubectl taint nodes n1 dedicated-')).err).toBe('error: taint "dedicated" not found');
    expect((await h.run('kubectl taint nodes n1 a=b:Sometimes')).err).toBe('error: invalid taint effect: Sometimes, unsupported taint effect');
  });

  it('drain refuses pods without a controller unless --force, then deletes them', async () => {
    const h = await setup();
    await h.node('n1');
    await h.pod('bare', 'n1');
    await h.pod('web-1', 'n1', 'ReplicaSet');
    const refused = await h.run('kubectl drain n1');
    expect(refused.code).toBe(1);
    expect(refused.out).toBe('node/n1 cordoned');
    expect(refused.err.split('\n')).toEqual([
      'error: unable to drain node "n1" due to error: cannot delete cannot delete Pods that declare no controller (use --force to override): default/bare, continuing command...',
      'There are pending nodes to be drained:',
      ' n1',
      'error: cannot delete cannot delete Pods that declare no controller (use --force to override): default/bare',
    ]);
    const forced = await h.run('kubectl drain n1 --force');
    expect(forced.out.split('\n')).toEqual(['node/n1 already cordoned', 'pod/bare deleted', 'pod/web-1 deleted', 'node/n1 drained']);
    expect(forced.err).toBe('Warning: deleting Pods that declare no controller: default/bare');
  });
});
