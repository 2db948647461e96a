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
