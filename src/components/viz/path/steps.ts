/**
 * The eight steps of the start page (content/start/deployment-to-pods.mdx, "The path, in eight
 * steps"), each with the upstream functions that take it, linked at the pinned tags: kubectl and
 * k8s.io/apiserver v0.34.0, kubernetes v1.34.0. The page links the same functions.
 */
import type { SourceLink } from '../types';

export type StepNo = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

export interface PathStep {
  n: StepNo;
  /** The start page's title of the step. */
  title: string;
  /** Who acts, in a few words (the legend's second line). */
  who: string;
  links: SourceLink[];
}

const K8S = 'https://github.com/kubernetes/kubernetes/blob/v1.34.0/';
const KUBECTL = 'https://github.com/kubernetes/kubectl/blob/v0.34.0/';
const APISERVER = 'https://github.com/kubernetes/apiserver/blob/v0.34.0/';

const link = (base: string, repo: string, file: string, symbol: string): SourceLink => ({
  label: `${file.slice(file.lastIndexOf('/') + 1)} · ${symbol}`,
  href: `${base}${file}`,
  title: `${symbol} in ${repo} ${file}`,
});

export const STEPS: readonly PathStep[] = [
  { n: 1, title: 'kubectl sends the object.', who: 'kubectl → kube-apiserver', links: [link(KUBECTL, 'kubectl v0.34.0', 'pkg/cmd/apply/apply.go', 'ApplyOptions.applyOneObject')] },
  { n: 2, title: 'The API server admits and stores it.', who: 'kube-apiserver → etcd', links: [link(APISERVER, 'k8s.io/apiserver v0.34.0', 'pkg/registry/generic/registry/store.go', 'Store.Create')] },
  {
    n: 3,
    title: 'The Deployment controller creates a ReplicaSet.',
    who: 'Deployment controller',
    links: [link(K8S, 'kubernetes v1.34.0', 'pkg/controller/deployment/deployment_controller.go', 'syncDeployment'), link(K8S, 'kubernetes v1.34.0', 'pkg/controller/deployment/sync.go', 'getNewReplicaSet')],
  },
  {
    n: 4,
    title: 'The ReplicaSet controller creates Pods.',
    who: 'ReplicaSet controller',
    links: [link(K8S, 'kubernetes v1.34.0', 'pkg/controller/replicaset/replica_set.go', 'manageReplicas'), link(K8S, 'kubernetes v1.34.0', 'pkg/controller/replicaset/replica_set.go', 'slowStartBatch')],
  },
  { n: 5, title: 'The scheduler binds each Pod to a node.', who: 'kube-scheduler', links: [link(K8S, 'kubernetes v1.34.0', 'pkg/scheduler/schedule_one.go', 'ScheduleOne'), link(K8S, 'kubernetes v1.34.0', 'pkg/scheduler/schedule_one.go', 'bind')] },
  {
    n: 6,
    title: 'The kubelet on that node notices.',
    who: 'kube-apiserver → kubelet',
    links: [link(K8S, 'kubernetes v1.34.0', 'pkg/kubelet/config/apiserver.go', 'NewSourceApiserver'), link(K8S, 'kubernetes v1.34.0', 'pkg/kubelet/kubelet.go', 'syncLoopIteration')],
  },
  { n: 7, title: 'The kubelet starts the containers.', who: 'kubelet → containerd (CRI)', links: [link(K8S, 'kubernetes v1.34.0', 'pkg/kubelet/kuberuntime/kuberuntime_manager.go', 'SyncPod')] },
  { n: 8, title: 'Status flows back up.', who: 'kubelet, then the controllers', links: [link(K8S, 'kubernetes v1.34.0', 'pkg/kubelet/status/status_manager.go', 'syncPod')] },
];

export const stepOf = (n: StepNo): PathStep => STEPS[n - 1];

/** Closer links than a step's, for the messages state.ts names them for. */
export const UPSTREAM = {
  storeUpdate: link(APISERVER, 'k8s.io/apiserver v0.34.0', 'pkg/registry/generic/registry/store.go', 'Store.Update'),
  storeDelete: link(APISERVER, 'k8s.io/apiserver v0.34.0', 'pkg/registry/generic/registry/store.go', 'Store.Delete'),
  syncDeploymentStatus: link(K8S, 'kubernetes v1.34.0', 'pkg/controller/deployment/sync.go', 'syncDeploymentStatus'),
  scaleReplicaSet: link(K8S, 'kubernetes v1.34.0', 'pkg/controller/deployment/sync.go', 'scaleReplicaSet'),
  updateReplicaSetStatus: link(K8S, 'kubernetes v1.34.0', 'pkg/controller/replicaset/replica_set_utils.go', 'updateReplicaSetStatus'),
  relist: link(K8S, 'kubernetes v1.34.0', 'pkg/kubelet/pleg/generic.go', 'Relist'),
};
