// kube-scheduler under leader election (cmd/kube-scheduler/app/server.go Run, options.go
// makeLeaderElectionConfig: ReleaseOnCancel, the kube-system/kube-scheduler Lease): only the
// leader binds pods; a scheduler asked to stop hands the Lease back, so a standby takes over
// within a retry instead of waiting out the 15 s lease.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/clock';
import { runUntilIdle, runUntilSettled } from '../../core/drive';
import type { KubeObject } from '../../core/object';
import { rngFromSeed } from '../../core/rng';
import { TraceRecorder } from '../../core/trace';
import { newLabCluster } from '../../cluster/cluster';
import { Scheduler, newInTreeRegistry } from '../../scheduler/index';
import { newClientset } from '../clientset';
import { leaderElectionEvents } from './events';
import { JitterFactor } from './leaderelection';

const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '100m' } } }] } }) as unknown as KubeObject;
const node = (name: string) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } }, spec: {}, status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' }, capacity: { cpu: '4', memory: '8Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] } }) as unknown as KubeObject;

describe('kube-scheduler with leaderElection.leaderElect', () => {
  it('only the leader binds; stopped, it releases the Lease and the standby takes over within a retry', async () => {
    const cluster = await newLabCluster({ clock: new FakeClock(Date.UTC(2026, 11, 5, 10, 0, 0)) });
    const clock = cluster.clock;
    const admin = newClientset(cluster.apiServer, { clock, qps: -1 });
    await runUntilSettled(clock, admin.coreV1().nodes().create(node('node-1')));
    const traces = [new TraceRecorder(), new TraceRecorder()];
    const schedulers = [0, 1].map(
      (i) => new Scheduler({ client: newClientset(cluster.apiServer, { clock, qps: 50, burst: 100, userAgent: `kube-scheduler/v1.34.0 cp-${i + 1}` }), clock, rng: rngFromSeed(`5/scheduler/${i}`), registry: newInTreeRegistry(), trace: traces[i], leaderElection: { leaderElect: true, hostname: `cp-${i + 1}`, seed: 5 } }),
    );
    schedulers[0].start();
    await runUntilIdle(clock, { forMs: 1000 });
    schedulers[1].start();
    await runUntilIdle(clock, { forMs: 10_000 });
    expect(schedulers.map((s) => s.election!.elector.leading)).toEqual([true, false]);

    await runUntilSettled(clock, admin.coreV1().pods('default').create(pod('p1')));
    await runUntilIdle(clock, { forMs: 3000 });
    const boundBy = (i: number) => traces[i].events.filter((e) => e.type === 'scheduler.cycle' || e.type === 'scheduler.bind').length;
    expect(boundBy(0)).toBeGreaterThan(0);
    expect(boundBy(1)).toBe(0);

    const stopAt = clock.now();
    schedulers[0].stop();
    await runUntilIdle(clock, { forMs: 100 });
    const lease = await runUntilSettled(clock, admin.coordinationV1().leases('kube-system').get('kube-scheduler'));
    expect(lease.spec).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1, leaseTransitions: 0 });
    const lines = traces[0].events.filter((e) => e.type === 'leaderelection.log' && (e.v as number) <= 2).map((e) => leaderElectionEvents.text(e));
    // Stopped between two renewals: wait.Until returns without another try, so no "failed to renew" line.
    expect(lines.slice(-2)).toEqual(['I successfully acquired lease kube-system/kube-scheduler', 'I Requested to terminate, exiting']);

    await runUntilIdle(clock, { forMs: 10_000, until: () => schedulers[1].election!.elector.leading });
    expect(schedulers[1].election!.elector.leading).toBe(true);
    // The released record has a 1 s lease: the standby takes it at its next try.
    expect(clock.now() - stopAt).toBeLessThanOrEqual(2000 * (1 + JitterFactor));
    await runUntilSettled(clock, admin.coreV1().pods('default').create(pod('p2')));
    await runUntilIdle(clock, { forMs: 3000 });
    const p2 = await runUntilSettled(clock, admin.coreV1().pods('default').get('p2'));
    expect((p2.spec as { nodeName?: string }).nodeName).toBe('node-1');
    const events = (await runUntilSettled(clock, admin.coreV1().events('kube-system').list())).items as unknown as Array<{ reason: string; message: string; source: { component: string } }>;
    expect(events.map((e) => `${e.source.component}: ${e.message}`)).toEqual([
      `default-scheduler: ${schedulers[0].election!.identity} became leader`,
      `default-scheduler: ${schedulers[0].election!.identity} stopped leading`,
      `default-scheduler: ${schedulers[1].election!.identity} became leader`,
    ]);
    schedulers[1].stop();
  });
});
