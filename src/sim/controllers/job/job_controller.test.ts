import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/core/v1';
import { newLabCluster } from '../../cluster/cluster';
import { runUntilIdle, runUntilSettled } from '../../core/drive';
import { newEnv } from '../../core/env';
import { eventText } from '../../catalogs';
import type { KubeObject } from '../../core/object';
import { rngFromSeed } from '../../core/rng';
import { TraceRecorder } from '../../core/trace';
import { newJobController } from './job_controller';
import type { Job } from './types';

async function setup(seed = 11) {
  const trace = new TraceRecorder();
  const cluster = await newLabCluster({ env: newEnv({ seed, trace }) });
  const cs = cluster.clientset({ qps: -1 });
  const ctrl = newJobController({ client: cs, clock: cluster.clock, rng: rngFromSeed(seed), trace });
  await runUntilSettled(cluster.clock, ctrl.run());
  const pods = cs.coreV1().pods('default');
  const jobs = cs.batchV1().jobs('default');
  const run = (forMs = 3000) => runUntilIdle(cluster.clock, { forMs });
  const listPods = async () => ((await pods.list()).items as unknown as Pod[]).sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1));
  const activePods = async () => (await listPods()).filter((p) => !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
  const stamp = () => new Date(cluster.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'); // allow-nondeterminism: formats virtual time
  /** The kubelet's part: the pod's one container ran and exited with `code`. */
  const finish = (name: string, code: number) =>
    pods.patch(name, 'application/merge-patch+json', {
      status: { phase: code === 0 ? 'Succeeded' : 'Failed', containerStatuses: [{ name: 'c', state: { terminated: { exitCode: code, finishedAt: stamp(), reason: code === 0 ? 'Completed' : 'Error' } } }] },
    }, undefined, 'status');
  const running = (name: string) => pods.patch(name, 'application/merge-patch+json', { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: stamp() }] } }, undefined, 'status');
  const getJob = async (name = 'pi') => (await jobs.get(name)) as unknown as Job;
  const events = async (reason?: string) => ((await cs.coreV1().events('default').list()).items as unknown as { reason: string; message: string; type: string }[]).filter((e) => !reason || e.reason === reason);
  return { cluster, cs, ctrl, pods, jobs, run, listPods, activePods, finish, running, getJob, events, trace };
}

const newJob = (spec: Partial<Job['spec']> = {}, name = 'pi'): KubeObject =>
  ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'default' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'perl:5' }] } }, ...spec } }) as unknown as KubeObject;

const condTypes = (j: Job) => (j.status?.conditions ?? []).map((c) => `${c.type}=${c.status}:${c.reason}`);

describe('Job controller on the API server (pkg/controller/job/job_controller_test.go)', () => {
  it('TestControllerSyncJob "job start" and "correct # of pods": parallelism 2, completions 3, through Complete', async () => {
    const h = await setup();
    await h.jobs.create(newJob({ parallelism: 2, completions: 3 }));
    await h.run();
    let pods = await h.activePods();
    expect(pods).toHaveLength(2);
    const job = await h.getJob();
    for (const p of pods) {
      expect(p.metadata.name).toMatch(/^pi-[a-z0-9]{5}$/);
      expect(p.metadata.finalizers).toEqual(['batch.kubernetes.io/job-tracking']);
      expect(p.metadata.labels?.['batch.kubernetes.io/job-name']).toBe('pi');
      expect(p.metadata.ownerReferences?.[0]).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid: job.metadata.uid, controller: true, blockOwnerDeletion: true });
    }
    expect(job.status).toMatchObject({ active: 2, ready: 0, terminating: 0, startTime: '1970-01-01T00:00:00Z', uncountedTerminatedPods: {} });
    expect((await h.events('SuccessfulCreate')).map((e) => e.message).sort()).toEqual(pods.map((p) => `Created pod: ${p.metadata.name}`).sort());
    // Both run and become ready.
    for (const p of pods) await h.running(p.metadata.name ?? '');
    await h.run();
    expect((await h.getJob()).status).toMatchObject({ active: 2, ready: 2 });
    // One succeeds: counted, its finalizer removed, one more pod started (3 - 1 = 2 wanted).
    await h.finish(pods[0].metadata.name ?? '', 0);
    await h.run();
    expect((await h.getJob()).status).toMatchObject({ succeeded: 1, active: 2, uncountedTerminatedPods: {} });
    expect((await h.pods.get(pods[0].metadata.name ?? '')).metadata.finalizers ?? []).toEqual([]);
    pods = await h.activePods();
    expect(pods).toHaveLength(2);
    for (const p of pods) await h.finish(p.metadata.name ?? '', 0);
    await h.run();
    const done = await h.getJob();
    expect(done.status).toMatchObject({ succeeded: 3, ready: 0, terminating: 0, completionTime: expect.any(String) });
    // Go's omitempty: zero counters are not written.
    expect(done.status?.failed).toBeUndefined();
    expect(done.status?.active).toBeUndefined();
    expect(condTypes(done)).toEqual(['SuccessCriteriaMet=True:CompletionsReached', 'Complete=True:CompletionsReached']);
    expect(done.status?.conditions?.[1].message).toBe('Reached expected number of succeeded pods');
    expect((await h.events('Completed')).map((e) => [e.type, e.message])).toEqual([['Normal', 'Job completed']]);
    expect((await h.listPods()).every((p) => (p.metadata.finalizers ?? []).length === 0)).toBe(true);
  });

  it('TestControllerSyncJob "WQ job: only parallelism": the first success stops new pods; complete when the others end', async () => {
    const h = await setup();
    await h.jobs.create(newJob({ parallelism: 2 }));
    await h.run();
    const [a, b] = await h.activePods();
    await h.finish(a.metadata.name ?? '', 0);
    await h.run();
    expect(await h.activePods()).toHaveLength(1);
    expect(condTypes(await h.getJob())).toEqual([]);
    await h.finish(b.metadata.name ?? '', 0);
    await h.run();
    expect(condTypes(await h.getJob())).toEqual(['SuccessCriteriaMet=True:CompletionsReached', 'Complete=True:CompletionsReached']);
  });

  it('TestJobBackoff / TestJobBackoffForOnFailure-style: a failed pod is replaced after 10 s, the next after 20 s; backoffLimit 2 then fails the Job', async () => {
    const h = await setup();
    await h.jobs.create(newJob({ backoffLimit: 2 }));
    await h.run();
    const createdAt: number[] = [h.cluster.clock.now()];
    for (let i = 0; i < 3; i++) {
      const [p] = await h.activePods();
      const failedAt = h.cluster.clock.now();
      await h.finish(p.metadata.name ?? '', 1);
      // Until the backoff has passed no new pod appears.
      const waitMs = 10_000 * 2 ** i;
      if (i < 2) {
        await h.run(waitMs - 1500);
        expect(await h.activePods()).toHaveLength(0);
        await h.run(3000);
        expect(await h.activePods()).toHaveLength(1);
        createdAt.push(h.cluster.clock.now() - failedAt);
      } else await h.run();
    }
    const job = await h.getJob();
    expect(job.status).toMatchObject({ failed: 3, ready: 0 });
    expect(job.status?.succeeded).toBeUndefined();
    expect(condTypes(job)).toEqual(['FailureTarget=True:BackoffLimitExceeded', 'Failed=True:BackoffLimitExceeded']);
    expect(job.status?.conditions?.[1].message).toBe('Job has reached the specified backoff limit');
    expect((await h.events('BackoffLimitExceeded')).map((e) => [e.type, e.message])).toEqual([['Warning', 'Job has reached the specified backoff limit']]);
    const backoff = h.trace.events.filter((e) => e.type === 'job.backoff');
    expect(backoff.length).toBeGreaterThan(0);
    expect(eventText(backoff[0])).toMatch(/^default\/pi: 1 failure\(s\) since the last success, new pods wait \d+ ms$/);
  });

  it('TestControllerSyncJob "activeDeadlineSeconds": running pods are deleted and the Job fails with DeadlineExceeded', async () => {
    const h = await setup();
    await h.jobs.create(newJob({ parallelism: 2, completions: 4, activeDeadlineSeconds: 30 }));
    await h.run();
    for (const p of await h.activePods()) await h.running(p.metadata.name ?? '');
    const startMs = Date.parse((await h.getJob()).status?.startTime ?? ''); // allow-nondeterminism: parses a timestamp
    await h.run(startMs + 29_000 - h.cluster.clock.now());
    expect(condTypes(await h.getJob())).toEqual([]);
    await h.run(5000);
    const job = await h.getJob();
    expect(condTypes(job)).toEqual(['FailureTarget=True:DeadlineExceeded', 'Failed=True:DeadlineExceeded']);
    expect(job.status?.conditions?.[1].message).toBe('Job was active longer than specified deadline');
    expect(job.status).toMatchObject({ failed: 2, terminating: 0, ready: 0 });
    expect((await h.events('DeadlineExceeded')).map((e) => e.type)).toEqual(['Warning']);
    expect(await h.activePods()).toHaveLength(0);
  });

  it('TestControllerSyncJob "indexed job": index annotation and label, hostname, env, completedIndexes', async () => {
    const h = await setup();
    await h.jobs.create(newJob({ completionMode: 'Indexed', completions: 3, parallelism: 2 }));
    await h.run();
    let pods = await h.activePods();
    expect(pods.map((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'])).toEqual(['0', '1']);
    expect(pods[0].metadata.name).toMatch(/^pi-0-[a-z0-9]{5}$/);
    expect(pods[0].metadata.labels?.['batch.kubernetes.io/job-completion-index']).toBe('0');
    expect(pods[1].spec.hostname).toBe('pi-1');
    expect(pods[0].spec.containers[0].env).toEqual([{ name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } }]);
    await h.finish(pods[1].metadata.name ?? '', 0);
    await h.run();
    expect((await h.getJob()).status).toMatchObject({ completedIndexes: '1', succeeded: 1 });
    pods = await h.activePods();
    expect(pods.map((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index']).sort()).toEqual(['0', '2']);
    for (const p of pods) await h.finish(p.metadata.name ?? '', 0);
    await h.run();
    const job = await h.getJob();
    expect(job.status).toMatchObject({ completedIndexes: '0-2', succeeded: 3 });
    expect(condTypes(job)).toContain('Complete=True:CompletionsReached');
  });

  it('TestControllerSyncJob "suspending a job" / "resuming a suspended job": no pods while suspended, Suspended condition and events', async () => {
    const h = await setup();
    await h.jobs.create(newJob({ parallelism: 2, completions: 2, suspend: true }));
    await h.run();
    expect(await h.activePods()).toHaveLength(0);
    let job = await h.getJob();
    expect(condTypes(job)).toEqual(['Suspended=True:JobSuspended']);
    expect(job.status?.startTime).toBeUndefined();
    job.spec.suspend = false;
    await h.jobs.update(job as unknown as KubeObject);
    await h.run();
    job = await h.getJob();
    expect(await h.activePods()).toHaveLength(2);
    expect(condTypes(job)).toEqual(['Suspended=False:JobResumed']);
    expect((await h.events()).map((e) => e.reason).filter((r) => r === 'Suspended' || r === 'Resumed')).toEqual(['Suspended', 'Resumed']);
  });
  it('TestFinalizerCleanup: a deleted Job\'s pods lose the tracking finalizer (the orphan cleanup)', async () => {
    const h = await setup();
    await h.jobs.create(newJob({ parallelism: 2, completions: 2 }));
    await h.run();
    expect((await h.listPods()).map((p) => p.metadata.finalizers)).toEqual([['batch.kubernetes.io/job-tracking'], ['batch.kubernetes.io/job-tracking']]);
    await h.jobs.delete('pi', { propagationPolicy: 'Background' });
    await h.run();
    expect((await h.listPods()).map((p) => p.metadata.finalizers ?? [])).toEqual([[], []]);
  });

  it('TestControllerSyncJob "too many active pods": parallelism lowered, the excess pods leave uncounted (finalizer removed first)', async () => {
    const h = await setup();
    await h.jobs.create(newJob({ parallelism: 3, completions: 5 }));
    await h.run();
    expect(await h.activePods()).toHaveLength(3);
    const job = await h.getJob();
    job.spec.parallelism = 1;
    await h.jobs.update(job as unknown as KubeObject);
    await h.run();
    expect(await h.activePods()).toHaveLength(1);
    expect((await h.events('SuccessfulDelete'))).toHaveLength(2);
    const after = await h.getJob();
    expect(after.status?.failed).toBeUndefined();
    expect(after.status).toMatchObject({ active: 1 });
  });
});

