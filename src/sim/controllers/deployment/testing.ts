// Fixtures after deployment_util_test.go's generateDeployment / generateRS (deterministic uids).
import { deepCopy } from '../../core/object';
import type { Deployment, IntOrString, ReplicaSet } from './types';

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
