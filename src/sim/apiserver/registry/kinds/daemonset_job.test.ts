import { describe, expect, it } from 'vitest';
import { newLabCluster } from '../../../cluster/cluster';
import { newEnv } from '../../../core/env';
import type { KubeObject } from '../../../core/object';
import { StatusError } from '../../../core/errors';
import { listerWatcherFor } from '../../../client/clientset';

async function setup() {
  const cluster = await newLabCluster({ env: newEnv({ seed: 3 }) });
  return { cluster, cs: cluster.clientset({ qps: -1 }) };
}

const podTemplate = (labels: Record<string, string>, restartPolicy?: string) => ({
  metadata: { labels },
  spec: { ...(restartPolicy ? { restartPolicy } : {}), containers: [{ name: 'c', image: 'busybox:1.36' }] },
});

const ds = (spec: Record<string, unknown> = {}): KubeObject =>
  ({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent' }, spec: { selector: { matchLabels: { app: 'agent' } }, template: podTemplate({ app: 'agent' }), ...spec } }) as unknown as KubeObject;
const job = (spec: Record<string, unknown> = {}, name = 'pi'): KubeObject =>
  ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name }, spec: { template: podTemplate({ app: 'pi' }, 'Never'), ...spec } }) as unknown as KubeObject;

async function invalid(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(StatusError);
    expect((e as StatusError).status.code).toBe(422);
    return (e as StatusError).status.message;
  }
  throw new Error('expected 422 Invalid');
}

describe('apps/v1 DaemonSet served (pkg/registry/apps/daemonset, apps/validation ValidateDaemonSet)', () => {
  it('defaults the RollingUpdate strategy and revisionHistoryLimit (SetDefaults_DaemonSet), generation 1, empty status', async () => {
    const { cs } = await setup();
    const got = (await cs.appsV1().daemonSets('default').create(ds())) as any;
    expect(got.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    expect(got.spec.revisionHistoryLimit).toBe(10);
    expect(got.spec.template.spec.restartPolicy).toBe('Always');
    expect(got.metadata.generation).toBe(1);
    expect(got.status).toEqual({});
  });

  it('bumps the generation on a spec change only, and keeps status on spec updates (daemonSetStrategy.PrepareForUpdate)', async () => {
    const { cs } = await setup();
    const c = cs.appsV1().daemonSets('default');
    const got = (await c.create(ds())) as any;
    got.metadata.labels = { a: 'b' };
    const l = (await c.update(got)) as any;
    expect(l.metadata.generation).toBe(1);
    l.spec.template.spec.containers[0].image = 'busybox:1.37';
    l.status = { desiredNumberScheduled: 9 };
    const u = (await c.update(l)) as any;
    expect(u.metadata.generation).toBe(2);
    expect(u.status).toEqual({});
  });

  it.each([
    ['a selector that does not match the template (TestValidateDaemonSet)', ds({ selector: { matchLabels: { app: 'other' } } }), 'spec.template.metadata.labels: Invalid value: {"app":"agent"}: `selector` does not match template `labels`'],
    ['an empty selector', ds({ selector: {} }), 'spec.selector: Invalid value: {}: empty selector is invalid for daemonset'],
    ['restartPolicy Never', ds({ template: podTemplate({ app: 'agent' }, 'Never') }), 'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    ['maxUnavailable and maxSurge both 0', ds({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } } }), 'spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0'],
    ['maxSurge beside a non-zero maxUnavailable (the default 1)', ds({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '10%' } } }), 'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: "10%": may not be set when maxUnavailable is non-zero'],
    ['an unknown update strategy', ds({ updateStrategy: { type: 'Sometimes' } }), 'spec.updateStrategy: Unsupported value: {"type":"Sometimes"}: supported values: "RollingUpdate", "OnDelete"'],
    ['activeDeadlineSeconds in the template', ds({ template: { ...podTemplate({ app: 'agent' }), spec: { activeDeadlineSeconds: 5, containers: [{ name: 'c', image: 'busybox:1.36' }] } } }), 'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported'],
  ])('rejects %s', async (_name, obj, message) => {
    const { cs } = await setup();
    expect(await invalid(cs.appsV1().daemonSets('default').create(obj))).toContain(message);
  });

  it('keeps the selector immutable (ValidateDaemonSetUpdate)', async () => {
    const { cs } = await setup();
    const c = cs.appsV1().daemonSets('default');
    const got = (await c.create(ds())) as any;
    got.spec.selector = { matchLabels: { app: 'agent', tier: 'x' } };
    got.spec.template.metadata.labels.tier = 'x';
    expect(await invalid(c.update(got))).toContain('spec.selector: Invalid value: {"matchLabels":{"app":"agent","tier":"x"}}: field is immutable');
  });
});

describe('batch/v1 Job served (pkg/registry/batch/job, batch/validation ValidateJob)', () => {
  it('generates the selector and template labels from the uid and defaults the spec (generateSelector, SetDefaults_Job)', async () => {
    const { cs } = await setup();
    const got = (await cs.batchV1().jobs('default').create(job())) as any;
    const uid = got.metadata.uid;
    expect(got.spec.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    expect(got.spec.template.metadata.labels).toEqual({ app: 'pi', 'job-name': 'pi', 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': uid, 'batch.kubernetes.io/controller-uid': uid });
    expect(got.metadata.labels).toEqual({ app: 'pi' });
    expect(got.spec).toMatchObject({ completions: 1, parallelism: 1, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false, manualSelector: false, podReplacementPolicy: 'TerminatingOrFailed' });
    expect(got.metadata.generation).toBe(1);
    expect(got.status).toEqual({});
  });

  it('leaves completions unset when only parallelism is given (a work queue)', async () => {
    const { cs } = await setup();
    const got = (await cs.batchV1().jobs('default').create(job({ parallelism: 3 }))) as any;
    expect(got.spec.completions).toBeUndefined();
    expect(got.spec.parallelism).toBe(3);
  });

  it.each([
    ['no restartPolicy (the pod default Always)', job({ template: podTemplate({ app: 'pi' }) }), 'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"'],
    ['restartPolicy Always', job({ template: podTemplate({ app: 'pi' }, 'Always') }), 'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"'],
    ['restartPolicy Sometimes', job({ template: podTemplate({ app: 'pi' }, 'Sometimes') }), 'spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "OnFailure", "Never"'],
    ['an Indexed Job whose last hostname is no DNS label', job({ completionMode: 'Indexed', completions: 3 }, 'x'.repeat(62)), `metadata.name: Invalid value: "${'x'.repeat(62)}": will not able to create pod with invalid DNS label: ${'x'.repeat(62)}-2`],
    ['a generated label changed by hand', job({ template: podTemplate({ app: 'pi', 'job-name': 'other' }, 'Never') }), "spec.template.metadata.labels[job-name]: Invalid value:"],
    ['negative parallelism', job({ parallelism: -1 }), 'spec.parallelism: Invalid value: -1: must be greater than or equal to 0'],
    ['Indexed without completions', job({ completionMode: 'Indexed', parallelism: 2 }), 'spec.completions: Required value: when completion mode is Indexed'],
    ['a manual selector that does not match', job({ manualSelector: true, selector: { matchLabels: { app: 'other' } } }), 'spec.template.metadata.labels: Invalid value: {"app":"pi"}: `selector` does not match template `labels`'],
  ])('rejects %s', async (_name, obj, message) => {
    const { cs } = await setup();
    expect(await invalid(cs.batchV1().jobs('default').create(obj))).toContain(message);
  });

  it('keeps the template immutable (ValidateJobSpecUpdate)', async () => {
    const { cs } = await setup();
    const c = cs.batchV1().jobs('default');
    const got = (await c.create(job())) as any;
    got.spec.template.spec.containers[0].image = 'perl:5';
    expect(await invalid(c.update(got))).toMatch(/spec\.template: Invalid value: .*: field is immutable/);
  });

  it('is in discovery under batch/v1, and daemonsets under apps/v1', async () => {
    const { cs } = await setup();
    const groups = (await cs.discovery().serverGroups()) as any;
    expect(groups.groups.map((g: any) => g.name)).toContain('batch');
    const batch = (await cs.discovery().serverResourcesForGroupVersion('batch/v1')) as any;
    expect(batch.resources.map((r: any) => r.name)).toEqual(['jobs', 'jobs/status']);
    const apps = (await cs.discovery().serverResourcesForGroupVersion('apps/v1')) as any;
    expect(apps.resources.find((r: any) => r.name === 'daemonsets')).toMatchObject({ kind: 'DaemonSet', shortNames: ['ds'], categories: ['all'] });
  });

  it('listerWatcherFor knows daemonsets and jobs by plural name (the informer factory\'s client)', async () => {
    const { cs } = await setup();
    await cs.batchV1().jobs('default').create(job());
    await cs.appsV1().daemonSets('default').create(ds());
    const lwFor = listerWatcherFor(cs);
    expect(((await lwFor('jobs', '')!.list({})).items as KubeObject[]).map((o) => o.metadata.name)).toEqual(['pi']);
    expect(((await lwFor('daemonsets.apps', 'default')!.list({})).items as KubeObject[]).map((o) => o.metadata.name)).toEqual(['agent']);
  });
});
