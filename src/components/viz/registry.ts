import type { ModelViewFactory } from './types';

/**
 * The model views the workbench can show, by lab.yaml `visualization` name. Each is a chunk of
 * its own, loaded with the lab's workbench (never on a lesson page); add a line here, and the
 * name to `VIEW_NAMES` (src/lab/schema.ts) and `VIEW_INFO` (./titles.ts), when a model gets a view.
 */
export const modelViews: Record<string, () => Promise<ModelViewFactory>> = {
  workqueue: () => import('./workqueue/view').then((m) => m.createWorkqueueView),
  informer: () => import('./informer/view').then((m) => m.createInformerView),
  watch: () => import('./watch/view').then((m) => m.createWatchView),
  etcd: () => import('./etcd/view').then((m) => m.createEtcdView),
  raft: () => import('./raft/view').then((m) => m.createRaftView),
  scheduler: () => import('./scheduler/view').then((m) => m.createSchedulerView),
  packet: () => import('./packet/view').then((m) => m.createPacketView),
  gcheap: () => import('./gogc/heap-view').then((m) => m.createHeapView),
  gcpacer: () => import('./gogc/pacer-view').then((m) => m.createPacerView),
  ownergraph: () => import('./ownergraph/view').then((m) => m.createOwnerGraphView),
  rollout: () => import('./rollout/view').then((m) => m.createRolloutView),
  hpa: () => import('./hpa/view').then((m) => m.createHpaView),
  kubelet: () => import('./kubelet/view').then((m) => m.createKubeletView),
  // Issue 13 scope 3: the whole path of a Deployment as a sequence diagram.
  path: () => import('./path/view').then((m) => m.createPathView),
  // Issue 14 scope 7: the cluster as machines, kubeadm's phases and the files they write.
  machines: () => import('./machines/view').then((m) => m.createMachinesView),
};
