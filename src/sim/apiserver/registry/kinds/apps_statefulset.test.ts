import { describe, expect, it } from 'vitest';
import { newLabCluster } from '../../../cluster/cluster';
import { newEnv } from '../../../core/env';
import type { KubeObject } from '../../../core/object';

async function setup() {
  const cluster = await newLabCluster({ env: newEnv({ seed: 3 }) });
  const cs = cluster.clientset({ qps: -1 });
  return { cs, sets: cs.appsV1().statefulSets('default'), revs: cs.appsV1().controllerRevisions('default') };
}

const sts = (spec: Record<string, unknown> = {}, name = 'web'): KubeObject =>
  ({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name },
    spec: { serviceName: 'nginx', selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }, ...spec },
  }) as KubeObject;

const message = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
};

describe('apps/v1 StatefulSet served (pkg/registry/apps/statefulset, pkg/apis/apps/validation)', () => {
  it('defaults as SetDefaults_StatefulSet: OrderedReady, RollingUpdate partition 0, 10 revisions, 1 replica, Retain/Retain (ref: TestSetDefaultStatefulSet)', async () => {
    const { sets } = await setup();
    const created = (await sets.create(sts({ volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] }))) as KubeObject & { spec: Record<string, unknown> };
    expect(created.spec).toMatchObject({
      replicas: 1,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      volumeClaimTemplates: [{ spec: { volumeMode: 'Filesystem' }, status: { phase: 'Pending' } }],
    });
    expect(created.metadata.generation).toBe(1);
    expect(created.status).toEqual({});
  });

  it.each([
    { name: 'a missing selector', spec: { selector: undefined }, msg: 'spec.selector: Required value' },
    { name: 'a selector that does not match the template', spec: { selector: { matchLabels: { app: 'db' } } }, msg: 'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`' },
    { name: 'an empty selector', spec: { selector: {} }, msg: 'spec.selector: Invalid value: {}: empty selector is invalid for statefulset' },
    { name: 'negative replicas', spec: { replicas: -1 }, msg: 'spec.replicas: Invalid value: -1: must be greater than or equal to 0' },
    { name: 'an unknown podManagementPolicy', spec: { podManagementPolicy: 'Burst' }, msg: `spec.podManagementPolicy: Invalid value: "Burst": must be 'OrderedReady' or 'Parallel'` },
    { name: 'a negative partition', spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: -1 } } }, msg: 'spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0' },
    { name: 'rollingUpdate under OnDelete', spec: { updateStrategy: { type: 'OnDelete', rollingUpdate: { partition: 1 } } }, msg: "only allowed for updateStrategy 'RollingUpdate'" },
    { name: 'an unknown retention policy', spec: { persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Keep' } }, msg: 'spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": supported values: "Retain", "Delete"' },
    { name: 'a negative ordinals.start', spec: { ordinals: { start: -2 } }, msg: 'spec.ordinals.start: Invalid value: -2: must be greater than or equal to 0' },
    { name: 'restartPolicy Never', spec: { template: { metadata: { labels: { app: 'web' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'nginx' }] } } }, msg: 'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"' },
  ])('refuses $name (ref: TestValidateStatefulSet)', async ({ spec, msg }) => {
    const { sets } = await setup();
    const m = await message(sets.create(sts(spec)));
    expect(m).toContain('StatefulSet.apps "web" is invalid');
    expect(m).toContain(msg);
  });

  it('allows replicas, template, updateStrategy, minReadySeconds changes; forbids the rest (ref: TestValidateStatefulSetUpdate)', async () => {
    const { sets } = await setup();
    const created = (await sets.create(sts())) as KubeObject & { spec: Record<string, unknown> };
    const scaled = (await sets.update({ ...created, spec: { ...created.spec, replicas: 5, minReadySeconds: 3 } } as KubeObject)) as KubeObject & { spec: Record<string, unknown> };
    expect(scaled.metadata.generation).toBe(2);
    const m = await message(sets.update({ ...scaled, spec: { ...scaled.spec, serviceName: 'other' } } as KubeObject));
    expect(m).toBe(`StatefulSet.apps "web" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden`);
  });

  it('a status write keeps the generation; the scale subresource reads and sets spec.replicas', async () => {
    const { sets } = await setup();
    const created = await sets.create(sts({ replicas: 2 }));
    const withStatus = await sets.updateStatus({ ...created, status: { replicas: 2, readyReplicas: 1, observedGeneration: 1 } } as KubeObject);
    expect(withStatus.metadata.generation).toBe(1);
    expect(await message(sets.updateStatus({ ...withStatus, status: { replicas: 1, readyReplicas: 2 } } as KubeObject))).toContain('status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas');
    const scale = (await sets.getScale('web')) as KubeObject & { spec: { replicas: number }; status: { selector: string } };
    expect(scale.spec.replicas).toBe(2);
    expect(scale.status.selector).toBe('app=web');
    await sets.updateScale('web', { ...scale, spec: { replicas: 4 } } as KubeObject);
    expect(((await sets.get('web')) as KubeObject & { spec: { replicas: number } }).spec.replicas).toBe(4);
  });
});

describe('apps/v1 ControllerRevision served (pkg/registry/apps/controllerrevision)', () => {
  it('requires data, and keeps data immutable while revision may change (ref: TestValidateControllerRevisionUpdate)', async () => {
    const { revs } = await setup();
    expect(await message(revs.create({ apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'r' }, revision: 1 } as KubeObject))).toContain('data: Required value: data is mandatory');
    const r = (await revs.create({ apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'web-1' }, data: { a: 1 }, revision: 1 } as KubeObject)) as KubeObject & { revision: number };
    const bumped = (await revs.update({ ...r, revision: 3 } as KubeObject)) as KubeObject & { revision: number };
    expect(bumped.revision).toBe(3);
    expect(await message(revs.update({ ...bumped, data: { a: 2 } } as KubeObject))).toContain('data: Invalid value');
    expect(await message(revs.update({ ...bumped, data: { a: 2 } } as KubeObject))).toContain('field is immutable');
  });
});
