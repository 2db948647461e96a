// kube-controller-manager on a lab cluster: the --controllers list, and a Deployment going all the
// way to Pods (with the fake kubelet fixture standing in for nodes), then a rollout to a new
// template and the revisions it leaves.
import { describe, expect, it } from 'vitest';
import { newClientset } from '../client/clientset';
import { newFakeKubelet } from '../controllers/testing/index';
import { runUntilIdle, runUntilSettled } from '../core/index';
import { rngFromSeed } from '../core/rng';
import type { KubeObject } from '../core/object';
import { ControllerManager, enabledControllers } from './controller_manager';
import { newLabCluster } from './cluster';

describe('enabledControllers (--controllers)', () => {
  it('* for all, names or their old aliases, -name to leave one out', () => {
    expect(enabledControllers()).toHaveLength(12);
    expect(enabledControllers(['*', '-job', '-horizontal-pod-autoscaler-controller'])).not.toContain('job-controller');
    expect(enabledControllers(['deployment', 'replicaset-controller'])).toEqual(['deployment-controller', 'replicaset-controller']);
    // R1 (wt-pv): the PV binder under its v1.34 name and its alias.
    expect(enabledControllers(['persistentvolume-binder'])).toEqual(['persistentvolume-binder-controller']);
    expect(() => enabledControllers(['bogus'])).toThrow('"bogus" is not in the list of known controllers');
  });
});

describe('ControllerManager', () => {
  it('a Deployment becomes a ReplicaSet named by its pod-template-hash and ready Pods; a new image rolls out as revision 2', async () => {
    const cluster = await newLabCluster();
    const cs = newClientset(cluster.apiServer, { qps: -1 });
    const cm = new ControllerManager({ clientFor: (userAgent) => cluster.clientset({ qps: 20, burst: 30, userAgent }), clock: cluster.clock, seed: 7, controllers: ['deployment', 'replicaset'] });
    await runUntilSettled(cluster.clock, cm.run());
    const kubelet = newFakeKubelet({ client: cs, clock: cluster.clock, rng: rngFromSeed('k'), nodeName: 'node-1', readyAfterMs: 500 });
    await runUntilSettled(cluster.clock, kubelet.run());
    const deploy = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.26' }] } } },
    } as unknown as KubeObject;
    await runUntilSettled(cluster.clock, cs.appsV1().deployments('default').create(deploy));
    await runUntilIdle(cluster.clock, { forMs: 20_000 });
    const get = async <T>(p: Promise<T>) => runUntilSettled(cluster.clock, p);
    let d = (await get(cs.appsV1().deployments('default').get('web'))) as KubeObject & { status: any };
    expect(d.status).toMatchObject({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    const rs1 = ((await get(cs.appsV1().replicaSets('default').list())).items as KubeObject[])[0];
    expect(rs1.metadata.name).toBe(`web-${(rs1.metadata.labels as Record<string, string>)['pod-template-hash']}`);

    await get(cs.appsV1().deployments('default').patch('web', 'application/merge-patch+json', { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } } }));
    await runUntilIdle(cluster.clock, { forMs: 30_000 });
    d = (await get(cs.appsV1().deployments('default').get('web'))) as KubeObject & { status: any };
    expect(d.status).toMatchObject({ replicas: 3, updatedReplicas: 3, availableReplicas: 3, observedGeneration: 2 });
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    const rss = (await get(cs.appsV1().replicaSets('default').list())).items as Array<KubeObject & { spec: { replicas: number } }>;
    expect(rss.map((r) => [r.metadata.annotations?.['deployment.kubernetes.io/revision'], r.spec.replicas]).sort()).toEqual([['1', 0], ['2', 3]]);
    const events = ((await get(cs.coreV1().events('default').list())).items as unknown as Array<{ reason: string; message: string; source: { component: string } }>).filter((e) => e.source.component === 'deployment-controller');
    expect(events.map((e) => e.message)).toContain(`Scaled up replica set ${rs1.metadata.name} from 0 to 3`);
    cm.stop();
    kubelet.stop();
  });
});
