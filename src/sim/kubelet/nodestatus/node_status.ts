/**
 * The kubelet's node registration and status loop: pkg/kubelet/kubelet_node_status.go (v1.34:
 * `initialNode`, `registerWithAPIServer`, `tryRegisterWithAPIServer`, `updateDefaultLabels`,
 * `syncNodeStatus`, `updateNodeStatus`, `tryUpdateNodeStatus`, `updateNode`, `patchNodeStatus`,
 * `setNodeStatus`, `nodeStatusHasChanged`) and the status loop in kubelet.go (`Run`: every
 * nodeStatusUpdateFrequency with 4 % jitter). With the node lease as the heartbeat, the status is
 * sent only when it changed or nodeStatusReportFrequency (5 min) has passed.
 */
import { deepCopy } from '../../core/object';
import type { Node, NodeCondition, ResourceList } from '../../api/core/v1';
import { StrategicMergePatchType } from '../../apimachinery/patch';
import { rfc3339 } from '../../apiserver/registry/strategy';
import type { Clientset } from '../../client/clientset';
import type { EventRecorder } from '../../client/record';
import type { FakeClock } from '../../core/clock';
import { resolveEnv } from '../../core/env';
import { EventEmitter } from '../../core/events';
import type { Timer } from '../../core/loop';
import type { KubeObject } from '../../core/object';
import { rngFromSeed, type Rng } from '../../core/rng';
import type { TraceRecorder } from '../../core/trace';
import { nodeStatusEvents } from './events';
import { defaultNodeStatusFuncs, type NodeFacts } from './setters';

/** kubelet config defaults (KubeletConfiguration v1beta1). */
export const defaultNodeStatusUpdateFrequencyMs = 10_000;
export const defaultNodeStatusReportFrequencyMs = 5 * 60_000;
/** Go: nodeStatusUpdateRetry. */
export const nodeStatusUpdateRetry = 5;
export const kubeletVersion = 'v1.34.0';

export const defaultCapacity: ResourceList = { cpu: '2', 'ephemeral-storage': '100Gi', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '8Gi', pods: '110' };
/** The default hard eviction thresholds, taken off allocatable: memory.available<100Mi, nodefs.available<10%. */
export const defaultReserved: ResourceList = { memory: '100Mi', 'ephemeral-storage': '10Gi' };

export interface NodeStatusManagerOptions {
  client: Clientset;
  clock: FakeClock;
  nodeName: string;
  /** The errors that keep the node NotReady (runtime, network, PLEG, ...; see errors.ts); empty: Ready. */
  readiness: () => string[];
  capacity?: ResourceList;
  reserved?: ResourceList;
  /** The eviction manager's verdicts. */
  pressure?: () => { memory?: boolean; disk?: boolean; pid?: boolean };
  nodeIP?: string;
  /** Extra labels (`--node-labels`). */
  labels?: Record<string, string>;
  containerRuntimeVersion?: string;
  nodeStatusUpdateFrequencyMs?: number;
  nodeStatusReportFrequencyMs?: number;
  rng?: Rng;
  recorder?: EventRecorder;
  trace?: TraceRecorder;
}

export interface NodeStatusManager {
  /** Registers the Node (retrying from 100 ms, doubling to 7 s) and resolves once it exists. */
  registerWithAPIServer(): Promise<void>;
  /** One pass of the loop: register if needed, then update the status. */
  syncNodeStatus(): Promise<void>;
  /** Starts the loop (a sync now, then every nodeStatusUpdateFrequency + up to 4 % jitter). */
  run(): void;
  /** The kubelet is gone: no more syncs. */
  stop(): void;
  readonly registered: boolean;
  /** Virtual time of the last status patch (Go: lastStatusReportTime). */
  readonly lastStatusReportTimeMs: number;
  /** The Node as this kubelet would build it now (Go: initialNode). */
  initialNode(): Node;
}

/** The default labels the kubelet owns (Go: updateDefaultLabels' list). */
const defaultLabelKeys = ['kubernetes.io/hostname', 'kubernetes.io/os', 'kubernetes.io/arch', 'beta.kubernetes.io/os', 'beta.kubernetes.io/arch'];

// Upstream: kubelet.go (NewMainKubelet: the node status fields), kubelet_node_status.go
export function newNodeStatusManager(o: NodeStatusManagerOptions): NodeStatusManager {
  const { client, clock, nodeName } = o;
  const updateMs = o.nodeStatusUpdateFrequencyMs ?? defaultNodeStatusUpdateFrequencyMs;
  const reportMs = o.nodeStatusReportFrequencyMs ?? defaultNodeStatusReportFrequencyMs;
  const rng = o.rng ?? rngFromSeed(`kubelet/${nodeName}`);
  const events = new EventEmitter(nodeStatusEvents, resolveEnv({ clock, rng, trace: o.trace }), {});
  const nodes = () => client.coreV1().nodes();
  let registered = false;
  let lastStatusReportTimeMs = -Infinity;
  let stopped = false;
  let timer: Timer | undefined;
  let registering: Promise<void> | undefined;

  const nodeRef = { apiVersion: 'v1', kind: 'Node', metadata: { name: nodeName, uid: nodeName } } as KubeObject;
  // Upstream: kubelet_node_status.go (recordNodeStatusEvent)
  const recordEvent = (type: 'Normal' | 'Warning', reason: string) => void o.recorder?.event(nodeRef, type, reason, `Node ${nodeName} status is now: ${reason}`);

  const facts = (): NodeFacts => {
    const p = o.pressure?.() ?? {};
    return {
      nowRfc3339: rfc3339(clock.now()),
      hostname: nodeName,
      nodeIP: o.nodeIP ?? '10.0.0.10',
      capacity: o.capacity ?? defaultCapacity,
      reserved: o.reserved ?? defaultReserved,
      kubeletVersion,
      containerRuntimeVersion: o.containerRuntimeVersion ?? 'containerd://2.1.4',
      kernelVersion: '6.8.0-generic',
      osImage: 'Ubuntu 24.04.3 LTS',
      kubeletPort: 10250,
      memoryPressure: p.memory ?? false,
      diskPressure: p.disk ?? false,
      pidPressure: p.pid ?? false,
      readinessErrors: o.readiness(),
      recordEvent,
    };
  };

  // Upstream: kubelet_node_status.go (setNodeStatus)
  const setNodeStatus = (node: Node) => {
    const f = facts();
    for (const setter of defaultNodeStatusFuncs) setter(node, f);
  };

  // Upstream: kubelet_node_status.go (initialNode)
  function initialNode(): Node {
    const node: Node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: nodeName,
        labels: { ...o.labels, 'kubernetes.io/hostname': nodeName, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': 'amd64' },
        annotations: { 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
      },
      spec: {},
      status: {},
    };
    setNodeStatus(node);
    return node;
  }

  // Upstream: kubelet_node_status.go (tryRegisterWithAPIServer, updateDefaultLabels)
  async function tryRegisterWithAPIServer(node: Node): Promise<boolean> {
    try {
      await nodes().create(node as unknown as KubeObject);
      events.emit('nodestatus.register', { node: nodeName, result: 'created', error: '' });
      return true;
    } catch (e) {
      if ((e as { status?: { reason?: string } }).status?.reason !== 'AlreadyExists') {
        events.emit('nodestatus.register', { node: nodeName, result: 'error', error: (e as Error).message });
        return false;
      }
    }
    try {
      const existing = (await nodes().get(nodeName)) as unknown as Node;
      const labels = { ...(existing.metadata.labels ?? {}) };
      let requiresUpdate = false;
      for (const k of defaultLabelKeys) {
        const want = node.metadata.labels?.[k];
        if (want !== undefined && labels[k] !== want) {
          labels[k] = want;
          requiresUpdate = true;
        }
      }
      if (requiresUpdate) await nodes().patch(nodeName, StrategicMergePatchType, { metadata: { labels } });
      events.emit('nodestatus.register', { node: nodeName, result: 'exists', error: '' });
      return true;
    } catch (e) {
      events.emit('nodestatus.register', { node: nodeName, result: 'error', error: (e as Error).message });
      return false;
    }
  }

  // Upstream: kubelet_node_status.go (registerWithAPIServer): sleep 100 ms, doubling to 7 s, before each try
  function registerWithAPIServer(): Promise<void> {
    if (registered) return Promise.resolve();
    registering ??= (async () => {
      let stepMs = 100;
      for (;;) {
        await clock.sleep(stepMs);
        if (stopped) return;
        stepMs = Math.min(stepMs * 2, 7000);
        if (await tryRegisterWithAPIServer(initialNode())) {
          registered = true;
          return;
        }
      }
    })().finally(() => (registering = undefined));
    return registering;
  }

  // Upstream: kubelet_node_status.go (tryUpdateNodeStatus, updateNode, patchNodeStatus)
  async function tryUpdateNodeStatus(tryNumber: number): Promise<void> {
    // The first try reads from the API server's cache (resourceVersion "0").
    let original: Node;
    try {
      original = (await nodes().get(nodeName, tryNumber === 0 ? { resourceVersion: '0' } : undefined)) as unknown as Node;
    } catch (e) {
      throw new Error(`error getting node "${nodeName}": ${(e as Error).message}`);
    }
    const node = deepCopy(original);
    node.metadata.labels ??= {};
    let labelsMissing = false;
    for (const [k, v] of [['kubernetes.io/os', 'linux'], ['kubernetes.io/arch', 'amd64']]) {
      if (node.metadata.labels[k] !== v) {
        node.metadata.labels[k] = v;
        labelsMissing = true;
      }
    }
    setNodeStatus(node);
    const changed = labelsMissing || nodeStatusHasChanged(original.status, node.status);
    const ready = node.status?.conditions?.find((c: { type: string }) => c.type === 'Ready')?.status ?? 'Unknown';
    if (!changed && clock.now() - lastStatusReportTimeMs < reportMs) {
      events.emit('nodestatus.update', { node: nodeName, patched: false, changed, ready, error: '' });
      return;
    }
    // The whole status as a strategic merge patch: conditions and addresses merge by type, so the result is `node.status`.
    await nodes().patch(nodeName, StrategicMergePatchType, { status: node.status }, undefined, 'status');
    lastStatusReportTimeMs = clock.now();
    events.emit('nodestatus.update', { node: nodeName, patched: true, changed, ready, error: '' });
  }

  // Upstream: kubelet_node_status.go (updateNodeStatus)
  async function updateNodeStatus(): Promise<void> {
    let last = '';
    for (let i = 0; i < nodeStatusUpdateRetry; i++) {
      try {
        await tryUpdateNodeStatus(i);
        return;
      } catch (e) {
        last = (e as Error).message;
      }
    }
    events.emit('nodestatus.update', { node: nodeName, patched: false, changed: false, ready: '', error: `update node status exceeds retry count: ${last}` });
  }

  // Upstream: kubelet_node_status.go (syncNodeStatus)
  async function syncNodeStatus(): Promise<void> {
    if (stopped) return;
    if (!registered) await registerWithAPIServer();
    if (stopped || !registered) return;
    await updateNodeStatus();
  }

  // Upstream: kubelet.go (Run: wait.JitterUntil(kl.syncNodeStatus, nodeStatusUpdateFrequency, 0.04, true))
  function loop(): void {
    if (stopped) return;
    void syncNodeStatus().then(() => {
      if (stopped) return;
      const jitterMs = Math.floor(rng.float() * 0.04 * updateMs);
      timer = clock.afterFunc(updateMs + jitterMs, loop);
    });
  }

  return {
    registerWithAPIServer,
    syncNodeStatus,
    run: loop,
    stop() {
      stopped = true;
      timer?.stop();
    },
    get registered() {
      return registered;
    },
    get lastStatusReportTimeMs() {
      return lastStatusReportTimeMs;
    },
    initialNode,
  };
}

type Cond = NodeCondition & Record<string, unknown>;

/** Whether a status changed, ignoring the conditions' heartbeat times. */
// Upstream: kubelet_node_status.go (nodeStatusHasChanged, nodeConditionsHaveChanged)
export function nodeStatusHasChanged(original: Node['status'], status: Node['status']): boolean {
  if (original === undefined && status === undefined) return false;
  if (original === undefined || status === undefined) return true;
  const a = (original.conditions ?? []) as Cond[];
  const b = (status.conditions ?? []) as Cond[];
  if (a.length !== b.length) return true;
  const norm = (cs: Cond[]) => [...cs].sort((x, y) => (x.type < y.type ? -1 : x.type > y.type ? 1 : 0)).map((c) => canonical({ ...c, lastHeartbeatTime: undefined }));
  const na = norm(a);
  const nb = norm(b);
  if (na.some((c, i) => c !== nb[i])) return true;
  return canonical({ ...original, conditions: undefined }) !== canonical({ ...status, conditions: undefined });
}

/** JSON with sorted keys and undefined fields dropped (Go's Semantic.DeepEqual on these plain values). */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}
