// Fixtures after deployment_util_test.go's generateDeployment / generateRS (deterministic uids).
import type { Clientset } from '../../client/clientset';
import { rfc3339 } from '../../apiserver/registry/strategy';
import { FakeClock } from '../../core/clock';
import { EventEmitter } from '../../core/events';
import { deepCopy } from '../../core/object';
import type { DcContext } from './context';
import { deploymentEvents } from './events';
import type { Deployment, DeploymentCondition, IntOrString, ReplicaSet } from './types';

export function generateDeployment(image: string): Deployment {
  const labels = { name: image };
  return {
    metadata: { name: image, annotations: {} },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels: { ...labels } },
        spec: {
          containers: [{ name: image, image, imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log' }],
          dnsPolicy: 'ClusterFirst',
          terminationGracePeriodSeconds: 30,
          restartPolicy: 'Always',
          securityContext: {},
          enableServiceLinks: true,
        },
      },
    },
  };
}

let uidCounter = 0;

/** A ReplicaSet with the Deployment's template (labels shared, as upstream's fixture shares the map). */
export function generateRS(d: Deployment, name = `${d.metadata.name}-${++uidCounter}`): ReplicaSet {
  const template = deepCopy(d.spec.template);
  return {
    metadata: { name, uid: `uid-${name}`, labels: template.metadata?.labels },
    spec: { replicas: 0, template, selector: { matchLabels: template.metadata?.labels } },
  };
}

/** A rolling Deployment with the given replicas and fenceposts. */
export function rolling(replicas: number, maxSurge: IntOrString | undefined, maxUnavailable: IntOrString | undefined): Deployment {
  const d = generateDeployment('nginx');
  d.spec.replicas = replicas;
  d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } };
  return d;
}

// ---- Controller fixtures, after deployment_controller_test.go / sync_test.go / progress_test.go ----

/** upstream newDeployment: RollingUpdate with maxSurge and maxUnavailable 0 unless given (valid only for the pure steps). */
export function newDeployment(
  name: string,
  replicas: number,
  revisionHistoryLimit?: number,
  maxSurge?: IntOrString,
  maxUnavailable?: IntOrString,
  selector: Record<string, string> = { foo: 'bar' },
): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, annotations: {} },
    spec: {
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: maxSurge ?? 0, maxUnavailable: maxUnavailable ?? 0 } },
      replicas,
      selector: { matchLabels: { ...selector } },
      template: { metadata: { labels: { ...selector } }, spec: { containers: [{ name: 'foo', image: 'foo/bar' }] } },
      ...(revisionHistoryLimit === undefined ? {} : { revisionHistoryLimit }),
    },
  };
}

/** upstream newReplicaSet: controlled by `d`, with its selector and template. */
export function newReplicaSet(d: Deployment, name: string, replicas: number): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      labels: { ...(d.spec.selector?.matchLabels ?? {}) },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name ?? '', uid: d.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    spec: { selector: deepCopy(d.spec.selector), replicas, template: deepCopy(d.spec.template) },
  };
}

/** upstream sync_test.go rs(): a ReplicaSet of `size`, all available, created at `createdMs`. */
export function rsOf(name: string, size: number, selector: Record<string, string> | undefined, createdMs: number | undefined): ReplicaSet {
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}`, ...(createdMs === undefined ? {} : { creationTimestamp: rfc3339(createdMs) }) },
    spec: { replicas: size, selector: { matchLabels: selector }, template: { metadata: {}, spec: {} } },
    status: { availableReplicas: size },
  };
}

/** upstream newRSWithStatus. */
export function newRSWithStatus(name: string, specReplicas: number, statusReplicas: number, selector?: Record<string, string>): ReplicaSet {
  const rs = rsOf(name, specReplicas, selector, undefined);
  rs.status = { replicas: statusReplicas };
  return rs;
}

/** upstream progress_test.go newRSWithAvailable. */
export function newRSWithAvailable(name: string, specReplicas: number, statusReplicas: number, availableReplicas: number): ReplicaSet {
  const rs = rsOf(name, specReplicas, undefined, undefined);
  rs.status = { replicas: statusReplicas, availableReplicas };
  return rs;
}

/** upstream progress_test.go currentDeployment (Recreate, so no fenceposts). */
export function currentDeployment(
  pds: number | undefined,
  replicas: number,
  statusReplicas: number,
  updatedReplicas: number,
  availableReplicas: number,
  conditions: DeploymentCondition[] | undefined,
): Deployment {
  return {
    metadata: { name: 'progress-test', namespace: 'default' },
    spec: { ...(pds === undefined ? {} : { progressDeadlineSeconds: pds }), replicas, strategy: { type: 'Recreate' }, template: { metadata: {}, spec: {} } },
    status: { replicas: statusReplicas, updatedReplicas, availableReplicas, ...(conditions ? { conditions: conditions.map((c) => ({ ...c })) } : {}) },
  };
}

/** One call the fake client received (Go: the fake clientset's Actions()). */
export interface FakeAction {
  verb: 'create' | 'update' | 'updateStatus' | 'delete';
  resource: 'replicasets' | 'deployments';
  name: string;
  obj?: Record<string, unknown>;
}

/**
 * A DcContext over a fake client that records its calls (Go: fake.Clientset + record.FakeRecorder),
 * for the steps upstream tests without an API server. `failUpdate` names ReplicaSets whose update fails.
 */
export function fakeDcContext(o: { nowMs?: number; failUpdate?: Set<string> } = {}) {
  const actions: FakeAction[] = [];
  const recorded: string[] = [];
  const requeues: Array<{ key: string; afterMs: number | 'rateLimited' }> = [];
  const clock = new FakeClock(o.nowMs ?? 0);
  const resource = (r: FakeAction['resource']) => ({
    create: async (obj: Record<string, unknown>) => (actions.push({ verb: 'create', resource: r, name: (obj.metadata as { name: string }).name, obj: deepCopy(obj) }), deepCopy(obj)),
    update: async (obj: Record<string, unknown>) => {
      const name = (obj.metadata as { name: string }).name;
      if (r === 'replicasets' && o.failUpdate?.has(name)) throw new Error(`fake update of ${name} failed`);
      actions.push({ verb: 'update', resource: r, name, obj: deepCopy(obj) });
      return deepCopy(obj);
    },
    updateStatus: async (obj: Record<string, unknown>) => (actions.push({ verb: 'updateStatus', resource: r, name: (obj.metadata as { name: string }).name, obj: deepCopy(obj) }), deepCopy(obj)),
    delete: async (name: string) => void actions.push({ verb: 'delete', resource: r, name }),
  });
  const client = { appsV1: () => ({ replicaSets: () => resource('replicasets'), deployments: () => resource('deployments') }) } as unknown as Clientset;
  const dc: DcContext = {
    client,
    clock,
    recorder: { event: async (_obj, type, reason, message) => void recorded.push(`${type} ${reason} ${message}`) },
    events: new EventEmitter(deploymentEvents, { clock, trace: undefined }, {}),
    cachedReplicaSet: () => undefined,
    enqueueRateLimited: (d) => void requeues.push({ key: `${d.metadata.namespace}/${d.metadata.name}`, afterMs: 'rateLimited' }),
    enqueueAfter: (d, afterMs) => void requeues.push({ key: `${d.metadata.namespace}/${d.metadata.name}`, afterMs }),
    tracedConditions: new Map(),
  };
  return { dc, actions, recorded, requeues, clock };
}
