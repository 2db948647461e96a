/**
 * The node status setters: pkg/kubelet/nodestatus/setters.go (v1.34: NodeAddress, MachineInfo,
 * VersionInfo, DaemonEndpoints, GoRuntime, MemoryPressureCondition, DiskPressureCondition,
 * PIDPressureCondition, ReadyCondition). Each edits a Node in place, in the order
 * kubelet_node_status.go's defaultNodeStatusFuncs runs them.
 */
import type { Node, NodeCondition, ResourceList } from '../../api/core/v1';
import { parseQuantity } from '../../apimachinery/quantity';
import { aggregateError } from './errors';

/** What the kubelet knows about its machine and its health when it builds the status. */
export interface NodeFacts {
  nowRfc3339: string;
  hostname: string;
  nodeIP: string;
  capacity: ResourceList;
  /** Reserved for the system and kube daemons plus the hard eviction thresholds. */
  reserved: ResourceList;
  kubeletVersion: string;
  containerRuntimeVersion: string;
  kernelVersion: string;
  osImage: string;
  kubeletPort: number;
  memoryPressure: boolean;
  diskPressure: boolean;
  pidPressure: boolean;
  /** Runtime, network, storage and shutdown errors, each already a message (empty: ready). */
  readinessErrors: string[];
  /** Go: recordEventFunc (kl.recordNodeStatusEvent): a Normal event on the Node. */
  recordEvent(type: 'Normal' | 'Warning', reason: string): void;
}

export type Setter = (node: Node, f: NodeFacts) => void;

type Status = Record<string, unknown> & { conditions?: NodeCondition[] & Record<string, unknown>[] };
const statusOf = (node: Node): Status => (node.status ??= {}) as Status;

// Upstream: setters.go (NodeAddress): the InternalIP then the Hostname
export const nodeAddress: Setter = (node, f) => {
  statusOf(node).addresses = [
    { type: 'InternalIP', address: f.nodeIP },
    { type: 'Hostname', address: f.hostname },
  ];
};

/** Capacity from the machine; allocatable = capacity - reservations (never below zero). */
// Upstream: setters.go (MachineInfo), pkg/kubelet/cm/node_container_manager_linux.go (GetNodeAllocatableAbsolute)
export const machineInfo: Setter = (node, f) => {
  const st = statusOf(node);
  const capacity: ResourceList = {};
  for (const [k, v] of Object.entries(f.capacity)) capacity[k] = String(v);
  const allocatable: ResourceList = {};
  for (const [k, v] of Object.entries(capacity)) {
    const q = parseQuantity(String(v));
    const r = f.reserved[k];
    if (r !== undefined) q.sub(parseQuantity(String(r)));
    allocatable[k] = q.sign() < 0 ? '0' : q.toString();
  }
  st.capacity = capacity;
  st.allocatable = allocatable;
};

// Upstream: setters.go (VersionInfo, GoRuntime)
export const versionInfo: Setter = (node, f) => {
  const st = statusOf(node);
  const info = (st.nodeInfo ??= {}) as Record<string, unknown>;
  info.kernelVersion = f.kernelVersion;
  info.osImage = f.osImage;
  info.containerRuntimeVersion = f.containerRuntimeVersion;
  info.kubeletVersion = f.kubeletVersion;
  info.operatingSystem = 'linux';
  info.architecture = 'amd64';
};

// Upstream: setters.go (DaemonEndpoints)
export const daemonEndpoints: Setter = (node, f) => {
  statusOf(node).daemonEndpoints = { kubeletEndpoint: { Port: f.kubeletPort } };
};

interface PressureTexts {
  type: string;
  trueReason: string;
  trueMessage: string;
  trueEvent: string;
  falseReason: string;
  falseMessage: string;
  falseEvent: string;
}

/** A pressure condition: Unknown when new, True/False from the eviction manager, an event per transition. */
// Upstream: setters.go (MemoryPressureCondition, DiskPressureCondition, PIDPressureCondition)
function pressureCondition(t: PressureTexts, pressure: (f: NodeFacts) => boolean): Setter {
  return (node, f) => {
    const st = statusOf(node);
    const conditions = (st.conditions ??= []) as NodeCondition[];
    let c = conditions.find((x) => x.type === t.type) as (NodeCondition & Record<string, unknown>) | undefined;
    const isNew = c === undefined;
    c ??= { type: t.type, status: 'Unknown' };
    c.lastHeartbeatTime = f.nowRfc3339;
    if (pressure(f)) {
      if (c.status !== 'True') {
        Object.assign(c, { status: 'True', reason: t.trueReason, message: t.trueMessage, lastTransitionTime: f.nowRfc3339 });
        f.recordEvent('Normal', t.trueEvent);
      }
    } else if (c.status !== 'False') {
      Object.assign(c, { status: 'False', reason: t.falseReason, message: t.falseMessage, lastTransitionTime: f.nowRfc3339 });
      f.recordEvent('Normal', t.falseEvent);
    }
    if (isNew) conditions.push(c);
  };
}

export const memoryPressureCondition = pressureCondition(
  { type: 'MemoryPressure', trueReason: 'KubeletHasInsufficientMemory', trueMessage: 'kubelet has insufficient memory available', trueEvent: 'NodeHasInsufficientMemory', falseReason: 'KubeletHasSufficientMemory', falseMessage: 'kubelet has sufficient memory available', falseEvent: 'NodeHasSufficientMemory' },
  (f) => f.memoryPressure,
);
export const diskPressureCondition = pressureCondition(
  { type: 'DiskPressure', trueReason: 'KubeletHasDiskPressure', trueMessage: 'kubelet has disk pressure', trueEvent: 'NodeHasDiskPressure', falseReason: 'KubeletHasNoDiskPressure', falseMessage: 'kubelet has no disk pressure', falseEvent: 'NodeHasNoDiskPressure' },
  (f) => f.diskPressure,
);
export const pidPressureCondition = pressureCondition(
  { type: 'PIDPressure', trueReason: 'KubeletHasInsufficientPID', trueMessage: 'kubelet has insufficient PID available', trueEvent: 'NodeHasInsufficientPID', falseReason: 'KubeletHasSufficientPID', falseMessage: 'kubelet has sufficient PID available', falseEvent: 'NodeHasSufficientPID' },
  (f) => f.pidPressure,
);

/** The capacities a node must report to be Ready (ephemeral-storage: LocalStorageCapacityIsolation, on). */
const requiredCapacities = ['cpu', 'memory', 'pods', 'ephemeral-storage'];

/** Ready True (KubeletReady) unless a readiness error or a missing capacity makes it False (KubeletNotReady). */
// Upstream: setters.go (ReadyCondition)
export const readyCondition: Setter = (node, f) => {
  const st = statusOf(node);
  const now = f.nowRfc3339;
  const errs = [...f.readinessErrors];
  const capacity = (st.capacity ?? {}) as ResourceList;
  const missing = requiredCapacities.filter((r) => !(r in capacity));
  if (missing.length > 0) errs.push(`missing node capacity for resources: ${missing.join(', ')}`);
  const next: NodeCondition & Record<string, unknown> =
    errs.length === 0
      ? { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now }
      : { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: aggregateError(errs), lastHeartbeatTime: now };
  const conditions = (st.conditions ??= []) as (NodeCondition & Record<string, unknown>)[];
  const i = conditions.findIndex((c) => c.type === 'Ready');
  let transitioned = false;
  if (i >= 0) {
    if (conditions[i].status === next.status) next.lastTransitionTime = conditions[i].lastTransitionTime;
    else {
      next.lastTransitionTime = now;
      transitioned = true;
    }
    conditions[i] = next;
  } else {
    next.lastTransitionTime = now;
    conditions.push(next);
  }
  if (transitioned) f.recordEvent('Normal', next.status === 'True' ? 'NodeReady' : 'NodeNotReady');
};

/** Go: defaultNodeStatusFuncs, in order (volume setters and images left out). */
export const defaultNodeStatusFuncs: readonly Setter[] = [nodeAddress, machineInfo, versionInfo, daemonEndpoints, memoryPressureCondition, diskPressureCondition, pidPressureCondition, readyCondition];
