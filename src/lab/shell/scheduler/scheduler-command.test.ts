import { describe, expect, it } from 'vitest';
import { Shell } from '../registry';
import { stripAnsi, type ShellIO } from '../index';
import { mountLabCluster } from '../../lab-cluster';

// The session cluster with kube-scheduler (lab.yaml cluster.scheduler): kubectl creates pods, the
// scheduler binds them, and `scheduler explain` prints the cycle.
const NODES = `apiVersion: v1
kind: Node
metadata: { name: small, labels: { kubernetes.io/hostname: small } }
status: { allocatable: { cpu: "1", memory: 2Gi, pods: "110" } }
---
apiVersion: v1
kind: Node
metadata: { name: big, labels: { kubernetes.io/hostname: big } }
status: { allocatable: { cpu: "4", memory: 8Gi, pods: "110" } }
`;
const POD = `apiVersion: v1
kind: Pod
metadata: { name: web }
spec: { containers: [{ name: c, image: nginx, resources: { requests: { cpu: "2" } } }] }
`;

describe('scheduler in the lab session', () => {
  it('binds a pod kubectl creates, and explains why the small node was rejected', async () => {
    const shell = new Shell();
    const lines: string[] = [];
    const io: ShellIO = { print: (s) => lines.push(stripAnsi(s)), error: (s) => lines.push(stripAnsi(s)), clear: () => {} };
    await mountLabCluster({ shell, io, seed: 1, files: { 'nodes.yaml': NODES, 'pod.yaml': POD }, apply: ['nodes.yaml', 'pod.yaml'], scheduler: true });
    lines.length = 0;
    await shell.execute('kubectl get pod web -o wide', io);
    expect(lines.join('\n')).toMatch(/web\s+0\/1\s+Pending\s+0\s+\S+\s+<none>\s+big\s+<none>/);
    lines.length = 0;
    await shell.execute('scheduler explain web', io);
    const out = lines.join('\n');
    expect(out).toContain('pod default/web: scheduled to big (profile default-scheduler)');
    expect(out).toMatch(/small\s+NodeResourcesFit: Insufficient cpu \(unresolvable\)/);
    expect(out).toContain('only one node passed the filters: no scoring ran');
    lines.length = 0;
    await shell.execute('scheduler config', io);
    // VolumeBinding implements Score (StorageCapacityScoring) and, enabled by MultiPoint without a weight, gets 1.
    expect(lines.join('\n')).toContain('score: TaintToleration(3), NodeAffinity(2), NodeResourcesFit(1), VolumeBinding(1), PodTopologySpread(2), InterPodAffinity(2), NodeResourcesBalancedAllocation(1), ImageLocality(1)');
  });

  it('kubectl describe pod shows FailedScheduling from default-scheduler, describe node the allocated requests', async () => {
    const shell = new Shell();
    const lines: string[] = [];
    const io: ShellIO = { print: (s) => lines.push(stripAnsi(s)), error: (s) => lines.push(stripAnsi(s)), clear: () => {} };
    const huge = POD.replace('name: web', 'name: huge').replace('cpu: "2"', 'cpu: "16"');
    await mountLabCluster({ shell, io, seed: 1, files: { 'nodes.yaml': NODES, 'pod.yaml': POD, 'huge.yaml': huge }, apply: ['nodes.yaml', 'pod.yaml', 'huge.yaml'], scheduler: true });
    lines.length = 0;
    await shell.execute('kubectl describe pod huge', io);
    const out = lines.join('\n');
    expect(out).toMatch(/Warning\s+FailedScheduling\s+\S+\s+default-scheduler\s+0\/2 nodes are available: 2 Insufficient cpu\. no new claims to deallocate, preemption: 0\/2 nodes are available: 2 Preemption is not helpful for scheduling\./);
    lines.length = 0;
    await shell.execute('kubectl describe node big', io);
    expect(lines.join('\n')).toMatch(/cpu\s+2 \(50%\)/);
  });
});
