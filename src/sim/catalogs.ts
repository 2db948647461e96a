/**
 * Every model's event catalog, in one list: what the terminal's `trace`, the views' captions
 * and source links and the widgets read to turn any trace event into words and an upstream link.
 * A model joins by adding its catalog here.
 */
import type { EventCatalog, EventMap, SourceLink } from './core/events';
import type { TraceEvent } from './core/trace';
import { deltaFIFOEvents, informerEvents, realFIFOEvents, reflectorEvents, sourceEvents } from './cache/events';
import { etcdEvents } from './etcd/events';
import { workqueueEvents } from './workqueue/events';
import { apiserverEvents, clientEvents } from './apiserver/events';
import { raftnetEvents } from './raftnet/events';
import { raftEvents } from './raft/events';
import { diskEvents } from './raftcluster/events';
import { etcdServerEvents } from './etcdserver/events';
import { raftcheckEvents } from './check/events';
import { schedulerEvents } from './scheduler/events';
import { corednsEvents, resolverEvents } from './dns/events';
import { netstackEvents } from './netstack/walk/events';
import { endpointControllersEvents } from './controllers/endpointslice/events';
import { gogcEvents } from './gogc/events';
import { goprocEvents } from './gogc/goproc_events';
import { pacerEvents } from './gogc/pacer/events';
import { garbageCollectorEvents } from './controllers/garbagecollector/events';
// Issue 13: the workload controllers, the HPA, metrics-server, the kubelet's prober and node status, node lifecycle.
import { replicaSetEvents } from './controllers/replicaset/events';
import { deploymentEvents } from './controllers/deployment/events';
import { statefulSetEvents } from './controllers/statefulset/events';
import { daemonSetEvents } from './controllers/daemon/events';
import { jobEvents } from './controllers/job/events';
import { hpaEvents } from './controllers/podautoscaler/events';
import { metricsServerEvents } from './metrics/events';
import { proberEvents } from './kubelet/prober/events';
import { nodeStatusEvents } from './kubelet/nodestatus/events';
import { nodeLifecycleEvents } from './controllers/nodelifecycle/events';
import { taintEvictionEvents } from './controllers/tainteviction/events';
import { containerRuntimeEvents } from './kubelet/cri/events';
import { kubeletEvents } from './kubelet/events';
// Issue 14: kubeadm's PKI.
import { kubeadmCertsEvents } from './kubeadm/certs/events';
// Issue 14: client-go leader election (kube-controller-manager, kube-scheduler).
import { leaderElectionEvents } from './client/leaderelection/events';
// Issue 14: the simulated Linux host (files, units, swap, ports) kubeadm runs on.
import { hostEvents } from './host/events';
// Issue 14 (wt-kubeadmcfg): bootstrap tokens, cluster-info signing and token discovery.
import { bootstrapTokenEvents } from './kubeadm/bootstraptoken/events';
// Issue 14 (wt-phases): kubeadm's workflow runner (each phase of kubeadm init).
import { kubeadmWorkflowEvents } from './kubeadm/workflow/events';
// R1 (wt-pv): the PV controller and the local-path provisioner.
import { persistentVolumeEvents } from './controllers/volume/persistentvolume/events';
import { localPathEvents } from './controllers/volume/localpath/events';
// Issue 14 (wt-machine): a machine's kubelet unit and its listeners on the machines' network.
import { machineEvents } from './machine/events';

export const eventCatalogs: ReadonlyArray<EventCatalog<EventMap>> = [
  workqueueEvents,
  deltaFIFOEvents,
  realFIFOEvents,
  sourceEvents,
  reflectorEvents,
  informerEvents,
  etcdEvents,
  apiserverEvents,
  clientEvents,
  raftnetEvents,
  raftEvents,
  diskEvents,
  etcdServerEvents,
  raftcheckEvents,
  schedulerEvents,
  endpointControllersEvents,
  netstackEvents,
  resolverEvents,
  corednsEvents,
  gogcEvents,
  goprocEvents,
  pacerEvents,
  garbageCollectorEvents,
  // Issue 13
  replicaSetEvents,
  deploymentEvents,
  statefulSetEvents,
  daemonSetEvents,
  jobEvents,
  hpaEvents,
  metricsServerEvents,
  proberEvents,
  nodeStatusEvents,
  nodeLifecycleEvents,
  taintEvictionEvents,
  containerRuntimeEvents,
  kubeletEvents,
  // Issue 14
  kubeadmCertsEvents,
  leaderElectionEvents,
  hostEvents,
  // Issue 14 (wt-kubeadmcfg)
  bootstrapTokenEvents,
  // Issue 14 (wt-phases)
  kubeadmWorkflowEvents,
  // R1 (wt-pv)
  persistentVolumeEvents,
  localPathEvents,
  // Issue 14 (wt-machine)
  machineEvents,
] as unknown as ReadonlyArray<EventCatalog<EventMap>>;

const byComponent = new Map(eventCatalogs.map((c) => [c.component, c]));

/** The catalog of `e`'s model, if `e` is a declared event of one. */
export function catalogOf(e: TraceEvent): EventCatalog<EventMap> | undefined {
  const c = byComponent.get(e.component);
  return c?.is(e) ? c : undefined;
}

/** What `e` says happened, in its model's words (undefined for an undeclared event). */
export function eventText(e: TraceEvent): string | undefined {
  return catalogOf(e)?.text(e);
}

/** The upstream function behind `e`, linked at its model's pinned tag. */
export function eventSource(e: TraceEvent): SourceLink | undefined {
  return catalogOf(e)?.source(e);
}

/** Every declared event type of `component` (empty for a component without a catalog). */
export function eventTypesOf(component: string): readonly string[] {
  return byComponent.get(component)?.types ?? [];
}
