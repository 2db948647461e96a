/**
 * A Deployment whose pods follow its replicas, for end-to-end runs before the ReplicaSet
 * controller and kubelet are wired: `sync()` creates Running, Ready pods (or deletes the newest)
 * until there are `spec.replicas`. A stand-in, not an upstream component.
 */
import { rfc3339 } from '../../../apiserver/registry/strategy';
import type { Clientset } from '../../../client/clientset';
import type { FakeClock } from '../../../core/clock';
import type { KubeObject } from '../../../core/object';

export async function newWorkload(cs: Clientset, clock: FakeClock, o: { namespace: string; name: string; replicas: number; cpuRequestMilli: number }) {
  const labels = { app: o.name };
  const deps = cs.appsV1().deployments(o.namespace);
  const pods = cs.coreV1().pods(o.namespace);
  await deps.create({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: o.name },
    spec: { replicas: o.replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'app' }] } } },
  } as KubeObject);
  let next = 0;
  const names: string[] = [];
  async function sync(): Promise<number> {
    const want = ((await deps.get(o.name)).spec as { replicas: number }).replicas;
    while (names.length < want) {
      const name = `${o.name}-${next++}`;
      const now = rfc3339(clock.now());
      await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { containers: [{ name: 'app', image: 'app', resources: { requests: { cpu: `${o.cpuRequestMilli}m` } } }] } } as KubeObject);
      await pods.patch(name, 'application/merge-patch+json', { status: { phase: 'Running', startTime: now, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] } }, undefined, 'status');
      names.push(name);
    }
    while (names.length > want) await pods.delete(names.pop() as string, { gracePeriodSeconds: 0 });
    const dep = await deps.get(o.name);
    await deps.updateStatus({ ...dep, status: { replicas: names.length } } as KubeObject);
    return names.length;
  }
  await sync();
  return { sync, labels };
}
