import { describe, expect, it } from 'vitest';
import { newLabCluster } from '../../cluster/cluster';
import { newEnv } from '../../core/env';
import type { KubeObject } from '../../core/object';

const hpa = (spec: Record<string, unknown>, name = 'web'): KubeObject =>
  ({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name, namespace: 'default' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 10, ...spec } }) as KubeObject;

async function setup() {
  const cluster = await newLabCluster({ env: newEnv({ seed: 1 }) });
  const cs = cluster.clientset({ qps: -1 });
  return { cluster, cs, hpas: cs.autoscalingV2().horizontalPodAutoscalers('default') };
}

const invalid = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return (e as { status: { code: number; message: string; details: { causes: Array<{ field: string; message: string }> } } }).status;
  }
  throw new Error('expected a rejection');
};

describe('autoscaling/v2 HorizontalPodAutoscaler on the API server', () => {
  it('defaults minReplicas 1 and the 80 % CPU metric; clears status on create; no generation (autoscalerStrategy)', async () => {
    const { hpas } = await setup();
    const out = await hpas.create({ ...hpa({}), status: { currentReplicas: 7 } } as KubeObject);
    expect(out.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      maxReplicas: 10,
      minReplicas: 1,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
    });
    expect(out.status).toEqual({ desiredReplicas: 0, currentMetrics: null });
    expect(out.metadata.generation).toBeUndefined();
    // An update cannot set status; the status subresource cannot change spec.
    const upd = await hpas.update({ ...out, spec: { ...(out.spec as object), maxReplicas: 5 }, status: { desiredReplicas: 3 } } as KubeObject);
    expect((upd.spec as { maxReplicas: number }).maxReplicas).toBe(5);
    expect(upd.status).toEqual({ desiredReplicas: 0, currentMetrics: null });
    const st = await hpas.updateStatus({ ...upd, spec: { ...(upd.spec as object), maxReplicas: 9 }, status: { currentReplicas: 2, desiredReplicas: 3, currentMetrics: [] } } as KubeObject);
    expect((st.spec as { maxReplicas: number }).maxReplicas).toBe(5);
    expect(st.status).toEqual({ currentReplicas: 2, desiredReplicas: 3, currentMetrics: [] });
  });

  it('fills a given behavior with the default rules (SetDefaults_HorizontalPodAutoscalerBehavior)', async () => {
    const { hpas } = await setup();
    const out = await hpas.create(hpa({ behavior: { scaleDown: { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } } }));
    expect((out.spec as { behavior: unknown }).behavior).toEqual({
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
      scaleDown: { selectPolicy: 'Max', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] },
    });
  });

  it('drops a behavior rule\'s tolerance: HPAConfigurableTolerance is off (dropDisabledFields)', async () => {
    const { hpas } = await setup();
    const out = await hpas.create(hpa({ behavior: { scaleUp: { tolerance: '0.05', policies: [{ type: 'Pods', value: 1, periodSeconds: 15 }] } } }));
    expect((out.spec as { behavior: { scaleUp: Record<string, unknown> } }).behavior.scaleUp).not.toHaveProperty('tolerance');
  });

  it.each([
    ['minReplicas 0', { minReplicas: 0 }, 'spec.minReplicas', 'Invalid value: 0: must be greater than or equal to 1'],
    ['maxReplicas below minReplicas', { minReplicas: 3, maxReplicas: 2 }, 'spec.maxReplicas', 'Invalid value: 2: must be greater than or equal to `minReplicas`'],
    ['maxReplicas 0', { maxReplicas: 0 }, 'spec.maxReplicas', 'Invalid value: 0: must be greater than 0'],
    ['no target name', { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment' } }, 'spec.scaleTargetRef.name', 'Required value'],
    ['no target kind', { scaleTargetRef: { apiVersion: 'apps/v1', name: 'web' } }, 'spec.scaleTargetRef.kind', 'Required value'],
    ['unknown metric type', { metrics: [{ type: 'Bogus' }] }, 'spec.metrics[0].type', 'Unsupported value: "Bogus": supported values: "ContainerResource", "External", "Object", "Pods", "Resource"'],
    ['metric type without its source', { metrics: [{ type: 'Pods' }] }, 'spec.metrics[0].pods', 'Required value: must populate information for the given metric source'],
    ['utilization 0', { metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 0 } } }] }, 'spec.metrics[0].resource.target.averageUtilization', 'Invalid value: 0: must be greater than 0'],
    ['resource target with neither', { metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization' } } }] }, 'spec.metrics[0].resource.target.averageUtilization', 'Required value: must set either a target raw value or a target utilization'],
    ['policy value 0', { behavior: { scaleUp: { policies: [{ type: 'Pods', value: 0, periodSeconds: 15 }] } } }, 'spec.behavior.scaleUp.policies[0].value', 'Invalid value: 0: must be greater than zero'],
    ['policy period over 1800', { behavior: { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 1801 }] } } }, 'spec.behavior.scaleUp.policies[0].periodSeconds', 'Invalid value: 1801: must be less than or equal to 1800'],
    ['window over 3600', { behavior: { scaleDown: { stabilizationWindowSeconds: 3601 } } }, 'spec.behavior.scaleDown.stabilizationWindowSeconds', 'Invalid value: 3601: must be less than or equal to 3600'],
    ['bad selectPolicy', { behavior: { scaleDown: { selectPolicy: 'Avg' } } }, 'spec.behavior.scaleDown.selectPolicy', 'Unsupported value: "Avg": supported values: "Disabled", "Max", "Min"'],
  ])('rejects %s with 422 (TestValidateHorizontalPodAutoscaler)', async (_name, spec, path, detail) => {
    const { hpas } = await setup();
    const status = await invalid(hpas.create(hpa(spec)));
    expect(status.code).toBe(422);
    expect(status.message).toContain(`HorizontalPodAutoscaler.autoscaling "web" is invalid: `);
    expect(status.message).toContain(`${path}: ${detail}`);
  });

  it('is served in discovery as hpa in the all category', async () => {
    const { cs } = await setup();
    const list = await cs.discovery().serverResourcesForGroupVersion('autoscaling/v2');
    expect(list.resources.map((r) => r.name)).toEqual(['horizontalpodautoscalers', 'horizontalpodautoscalers/status']);
    expect(list.resources[0]).toMatchObject({ kind: 'HorizontalPodAutoscaler', shortNames: ['hpa'], categories: ['all'], namespaced: true });
  });
});

describe('autoscaling/v1 HorizontalPodAutoscaler, converted (pkg/apis/autoscaling/v1/conversion.go)', () => {
  const v1 = (spec: Record<string, unknown>, annotations?: Record<string, string>): KubeObject =>
    ({ apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', ...(annotations ? { annotations } : {}) }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 5, ...spec } }) as KubeObject;

  it('a v1 create (kubectl autoscale --cpu-percent) is a v2 CPU utilization metric; v1 defaults minReplicas', async () => {
    const { cs, hpas } = await setup();
    const out = await cs.autoscalingV1().horizontalPodAutoscalers('default').create(v1({ targetCPUUtilizationPercentage: 60 }));
    expect(out.apiVersion).toBe('autoscaling/v1');
    expect(out.spec).toEqual({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 60 });
    expect(out.status).toEqual({ currentReplicas: 0, desiredReplicas: 0 });
    const stored = await hpas.get('web');
    expect((stored.spec as { metrics: unknown }).metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }]);
    expect(stored.metadata.annotations).toBeUndefined();
  });

  it('without a target, v1 conversion applies the 80 % CPU default', async () => {
    const { cs, hpas } = await setup();
    await cs.autoscalingV1().horizontalPodAutoscalers('default').create(v1({}));
    expect((await hpas.get('web')).spec).toMatchObject({ metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] });
    expect((await cs.autoscalingV1().horizontalPodAutoscalers('default').get('web')).spec).toMatchObject({ targetCPUUtilizationPercentage: 80 });
  });

  it('v2-only fields travel in the autoscaling.alpha.kubernetes.io annotations and survive a v1 round trip', async () => {
    const { cs, hpas } = await setup();
    await hpas.create(hpa({
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
        { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } },
      ],
      behavior: { scaleDown: { stabilizationWindowSeconds: 60, policies: [{ type: 'Pods', value: 1, periodSeconds: 30 }] } },
    }));
    const stored = await hpas.get('web');
    await hpas.updateStatus({ ...stored, status: { currentReplicas: 2, desiredReplicas: 3, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 70, averageValue: '350m' } } }], conditions: [{ type: 'AbleToScale', status: 'True', reason: 'SucceededRescale' }] } } as KubeObject);
    const v1hpas = cs.autoscalingV1().horizontalPodAutoscalers('default');
    const got = await v1hpas.get('web');
    expect(got.spec).toEqual({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 10, targetCPUUtilizationPercentage: 50 });
    expect(got.status).toEqual({ currentReplicas: 2, desiredReplicas: 3, currentCPUUtilizationPercentage: 70 });
    expect(got.metadata.annotations).toEqual({
      'autoscaling.alpha.kubernetes.io/metrics': '[{"type":"Pods","pods":{"metricName":"qps","targetAverageValue":"10"}}]',
      'autoscaling.alpha.kubernetes.io/behavior': '{"ScaleUp":{"StabilizationWindowSeconds":0,"SelectPolicy":"Max","Policies":[{"Type":"Pods","Value":4,"PeriodSeconds":15},{"Type":"Percent","Value":100,"PeriodSeconds":15}]},"ScaleDown":{"StabilizationWindowSeconds":60,"SelectPolicy":"Max","Policies":[{"Type":"Pods","Value":1,"PeriodSeconds":30}]}}',
      'autoscaling.alpha.kubernetes.io/current-metrics': '[{"type":"Resource","resource":{"name":"cpu","currentAverageUtilization":70,"currentAverageValue":"350m"}}]',
      'autoscaling.alpha.kubernetes.io/conditions': '[{"type":"AbleToScale","status":"True","reason":"SucceededRescale"}]',
    });
    // A v1 client changes maxReplicas and writes the whole object back: the v2 metrics and behavior stay.
    await v1hpas.update({ ...got, spec: { ...(got.spec as object), maxReplicas: 7 } } as KubeObject);
    const after = await hpas.get('web');
    expect(after.spec).toMatchObject({ maxReplicas: 7, metrics: (stored.spec as { metrics: unknown }).metrics, behavior: (stored.spec as { behavior: unknown }).behavior });
    expect(after.metadata.annotations).toBeUndefined();
    // A merge patch on the v1 view.
    await v1hpas.patch('web', 'application/merge-patch+json', { spec: { targetCPUUtilizationPercentage: 65 } });
    expect(((await hpas.get('web')).spec as { metrics: Array<{ resource?: { target: { averageUtilization: number } } }> }).metrics[0].resource?.target.averageUtilization).toBe(65);
    const list = await v1hpas.list();
    expect(list).toMatchObject({ kind: 'HorizontalPodAutoscalerList', apiVersion: 'autoscaling/v1' });
    expect((list.items[0].spec as { targetCPUUtilizationPercentage: number }).targetCPUUtilizationPercentage).toBe(65);
  });

  it('discovery serves autoscaling v2 (preferred) and v1', async () => {
    const { cs } = await setup();
    const groups = await cs.discovery().serverGroups();
    expect(groups.groups.find((g) => g.name === 'autoscaling')).toMatchObject({ versions: [{ groupVersion: 'autoscaling/v2', version: 'v2' }, { groupVersion: 'autoscaling/v1', version: 'v1' }], preferredVersion: { version: 'v2' } });
    const v1list = await cs.discovery().serverResourcesForGroupVersion('autoscaling/v1');
    expect(v1list.resources.map((r) => r.name)).toEqual(['horizontalpodautoscalers', 'horizontalpodautoscalers/status']);
  });

  it('rejects an invalid v1 object with the API\'s 422', async () => {
    const { cs } = await setup();
    const status = await invalid(cs.autoscalingV1().horizontalPodAutoscalers('default').create(v1({ minReplicas: 0 })));
    expect(status.code).toBe(422);
    expect(status.message).toContain('spec.minReplicas: Invalid value: 0: must be greater than or equal to 1');
  });
});
