/** Deployment strategy validation after apps/validation's TestValidateDeployment rolling-update cases (ValidateRollingUpdateDeployment). */
import { describe, expect, it } from 'vitest';
import { newLabCluster } from '../../../cluster/cluster';
import { newEnv } from '../../../core/env';
import type { KubeObject } from '../../../core/object';
import { StatusError } from '../../../core/errors';

const deployment = (rollingUpdate: Record<string, unknown>): KubeObject =>
  ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, strategy: { type: 'RollingUpdate', rollingUpdate }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } } },
  }) as unknown as KubeObject;

async function create(obj: KubeObject): Promise<string> {
  const cluster = await newLabCluster({ env: newEnv({ seed: 5 }) });
  try {
    await cluster.clientset({ qps: -1 }).appsV1().deployments('default').create(obj);
    return 'created';
  } catch (e) {
    expect(e).toBeInstanceOf(StatusError);
    return (e as StatusError).status.message;
  }
}

describe('Deployment rollingUpdate validation (ValidateRollingUpdateDeployment)', () => {
  it.each([
    ['maxSurge above 100% is fine (more pods during the rollout)', { maxSurge: '150%', maxUnavailable: '25%' }, 'created'],
    ['maxUnavailable above 100%', { maxSurge: 1, maxUnavailable: '150%' }, 'Deployment.apps "web" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%'],
    ['a negative maxSurge', { maxSurge: -1, maxUnavailable: 1 }, 'Deployment.apps "web" is invalid: spec.strategy.rollingUpdate.maxSurge: Invalid value: -1: must be greater than or equal to 0'],
    ['both zero', { maxSurge: '0%', maxUnavailable: 0 }, 'Deployment.apps "web" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0'],
  ])('%s', async (_name, ru, want) => {
    expect(await create(deployment(ru))).toBe(want);
  });

  it('a percent that is not one', async () => {
    expect(await create(deployment({ maxSurge: 'abc%', maxUnavailable: 1 }))).toMatch(/^Deployment\.apps "web" is invalid: spec\.strategy\.rollingUpdate\.maxSurge: Invalid value: "abc%": a valid percent string must be/);
  });
});
