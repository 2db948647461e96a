// After plugin/pkg/admission/defaulttolerationseconds/admission_test.go (TestForgivenessAdmission).
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/object';
import { newLabCluster } from '../../cluster/cluster';
import { admitDefaultTolerationSeconds } from './default_toleration_seconds';

const notReady = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };
const unreachable = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };
const pod = (tolerations?: unknown[]): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [], ...(tolerations ? { tolerations } : {}) } });

describe('DefaultTolerationSeconds', () => {
  const cases: { description: string; requested?: unknown[]; expected: unknown[] }[] = [
    { description: 'pod has no tolerations, expect add tolerations for `not-ready:NoExecute` and `unreachable:NoExecute`', expected: [notReady, unreachable] },
    {
      description: 'pod has tolerations, but none is for taint `not-ready:NoExecute` or `unreachable:NoExecute`, expect add tolerations for `not-ready:NoExecute` and `unreachable:NoExecute`',
      requested: [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'NoSchedule', tolerationSeconds: 700 }],
      expected: [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'NoSchedule', tolerationSeconds: 700 }, notReady, unreachable],
    },
    {
      description: 'pod specified a toleration for taint `not-ready:NoExecute`, expect add toleration for `unreachable:NoExecute`',
      requested: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 700 }],
      expected: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 700 }, unreachable],
    },
    {
      description: 'pod specified a toleration for taint `unreachable:NoExecute`, expect add toleration for `not-ready:NoExecute`',
      requested: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 700 }],
      expected: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 700 }, notReady],
    },
    {
      description: 'pod specified tolerations for both `not-ready:NoExecute` and `unreachable:NoExecute`, expect no change',
      requested: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 700 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 700 },
      ],
      expected: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 700 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 700 },
      ],
    },
    {
      description: 'pod specified toleration for taint `unreachable`, expect add toleration for `not-ready:NoExecute`',
      requested: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 700 }],
      expected: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 700 }, notReady],
    },
    { description: 'pod has wildcard toleration for all kind of taints, expect no change', requested: [{ operator: 'Exists', tolerationSeconds: 700 }], expected: [{ operator: 'Exists', tolerationSeconds: 700 }] },
  ];
  for (const tc of cases) {
    it(`TestForgivenessAdmission: ${tc.description}`, () => {
      const p = pod(tc.requested && structuredClone(tc.requested));
      admitDefaultTolerationSeconds(p);
      expect((p.spec as { tolerations: unknown[] }).tolerations).toEqual(tc.expected);
    });
  }

  it('runs on pod create in the API server', async () => {
    const cs = (await newLabCluster()).clientset({ qps: -1 });
    const p = pod([{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }]);
    (p.spec as { containers: unknown[] }).containers = [{ name: 'c', image: 'nginx' }];
    const created = await cs.coreV1().pods('default').create(p);
    expect((created.spec as { tolerations: unknown[] }).tolerations).toEqual([{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }, notReady]);
  });
});
