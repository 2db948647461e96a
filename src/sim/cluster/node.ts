/**
 * A worker node of a lab cluster, as a kubeadm or kind node runs one: containerd (the runtime
 * model behind the CRI), the kubelet (sync loop, PLEG, pod workers, prober) with its node status
 * updates and its Lease in kube-node-lease, and the kubelet's server the API server reaches for
 * `kubectl logs`. Its resource metrics feed metrics-server. Not an upstream component: the
 * assembly kubeadm's `kubelet-start` and the node's systemd units make.
 */
import type { ContainerLogRequest, KubeletConnection } from '../apiserver/apiserver';
import { newBadRequest } from '../apimachinery/errors';
import type { Pod } from '../api/core/v1';
import type { Clientset } from '../client/clientset';
import type { FakeClock } from '../core/clock';
import { rngFromSeed } from '../core/rng';
import type { TraceRecorder } from '../core/trace';
import { ContainerLogError, readLogs, validateContainerLogStatus } from '../kubelet/container_logs';
import { newFakeContainerRuntime, type FakeContainerRuntime } from '../kubelet/cri/index';
import { newKubelet, type Kubelet } from '../kubelet/index';
import { defaultCapacity, newNodeLeaseController, newNodeStatusManager, type NodeLeaseController, type NodeStatusManager } from '../kubelet/nodestatus/index';
import { newProberManager } from '../kubelet/prober/index';
import type { PodUsage } from '../metrics/index';

export interface SimNodeOptions {
  /** The kubelet's client (node credentials; `kubelet/v1.34.0` user agent). */
  client: Clientset;
  clock: FakeClock;
  seed: number | string;
  name: string;
  /** The node's InternalIP (default 172.18.0.<index + 2>, as kind numbers its nodes). */
  ip?: string;
  /** The pod CIDR containerd's default network hands addresses from. */
  podCidr?: string;
  /** Capacity (default: the node status model's defaultCapacity). */
  capacity?: { cpu?: string; memory?: string; pods?: string };
  trace?: TraceRecorder;
}

const GiB = 1024 ** 3;

/** Bytes of a memory quantity (`4Gi`, `512Mi`, a plain number). */
function bytesOf(q: string): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(q);
  if (!m) return 4 * GiB;
  const unit = { Ki: 1024, Mi: 1024 ** 2, Gi: GiB, Ti: 1024 ** 4, k: 1e3, M: 1e6, G: 1e9, T: 1e12 }[m[2] ?? ''] ?? 1;
  return Number(m[1]) * unit;
}

export class SimNode {
  readonly name: string;
  readonly ip: string;
  readonly runtime: FakeContainerRuntime;
  readonly kubelet: Kubelet;
  readonly status: NodeStatusManager;
  readonly lease: NodeLeaseController;
  readonly #clock: FakeClock;
  /** Per container (`<pod uid>/<container>`): the last CPU counter sample, for a usage rate. */
  readonly #cpu = new Map<string, { atMs: number; coreNs: number; milli: number; memoryBytes: number }>();
  #running = false;

  constructor(o: SimNodeOptions) {
    this.name = o.name;
    this.ip = o.ip ?? '172.18.0.2';
    this.#clock = o.clock;
    const capacity: Record<string, string> = { ...(defaultCapacity as Record<string, string>), ...o.capacity };
    this.runtime = newFakeContainerRuntime({ clock: o.clock, rng: rngFromSeed(`${o.seed}/${o.name}/containerd`), trace: o.trace, nodeName: o.name, nodeIp: this.ip, podCidr: o.podCidr, memoryCapacityBytes: bytesOf(String(capacity.memory ?? '4Gi')) });
    this.kubelet = newKubelet({
      client: o.client,
      clock: o.clock,
      rng: rngFromSeed(`${o.seed}/${o.name}/kubelet`),
      nodeName: o.name,
      runtime: this.runtime,
      trace: o.trace,
      proberFactory: newProberManager,
      config: { hostFs: this.runtime.hostFs, hostIP: this.ip },
    });
    this.status = newNodeStatusManager({
      client: o.client,
      clock: o.clock,
      nodeName: o.name,
      nodeIP: this.ip,
      capacity,
      rng: rngFromSeed(`${o.seed}/${o.name}/node-status`),
      trace: o.trace,
      // Upstream: kubelet.go (runtimeState.runtimeErrors / networkErrors) and the PLEG's healthy check.
      readiness: () => {
        const h = this.kubelet.pleg.healthy();
        return h.ok ? [] : [h.error];
      },
    });
    this.lease = newNodeLeaseController({ client: o.client, clock: o.clock, nodeName: o.name, rng: rngFromSeed(`${o.seed}/${o.name}/lease`), trace: o.trace });
  }

  /** Registers the Node, then starts the kubelet's loops and heartbeats. */
  async start(): Promise<void> {
    await this.status.registerWithAPIServer();
    this.status.run();
    this.lease.run();
    this.kubelet.run();
    this.#running = true;
  }

  /** The kubelet stops (a node gone silent): no syncs, no status, no Lease renewals. Containers keep running. */
  stop(): void {
    this.kubelet.stop();
    this.status.stop();
    this.lease.stop();
    this.#running = false;
  }

  get running(): boolean {
    return this.#running;
  }

  /** The kubelet's server as the API server reaches it (port 10250): `GET /containerLogs/...`. */
  // Upstream: pkg/kubelet/server/server.go (getContainerLogs), kubelet_pods.go (GetKubeletContainerLogs)
  connection(): KubeletConnection {
    return {
      containerLogs: async (req: ContainerLogRequest) => {
        if (!this.#running) throw newBadRequest(`Get "https://${this.ip}:10250/containerLogs/${req.namespace}/${req.podName}/${req.container}": dial tcp ${this.ip}:10250: connect: connection refused`);
        const pod = [...this.kubelet.podManager.values()].find((p) => p.metadata.namespace === req.namespace && p.metadata.name === req.podName);
        if (!pod) throw newBadRequest(`pod "${req.podName}" cannot be found - no logs available`);
        const status = this.kubelet.statusManager.getPodStatus(pod.metadata.uid ?? '') ?? pod.status;
        let id: string;
        try {
          id = validateContainerLogStatus(req.podName, status, req.container, req.previous);
        } catch (err) {
          if (err instanceof ContainerLogError) throw newBadRequest(err.message);
          throw err;
        }
        const lines = this.runtime.containerLog(id.replace(/^[a-z]+:\/\//, '')) ?? [];
        return readLogs(lines, req, this.#clock.now());
      },
    };
  }

  /**
   * Samples the runtime's container stats (the kubelet's cAdvisor housekeeping): CPU as the rate of
   * the cumulative counter since the previous sample, memory as the working set.
   */
  async sampleStats(): Promise<void> {
    const now = this.#clock.now();
    for (const s of await this.runtime.listContainerStats()) {
      const labels = s.attributes.labels;
      const key = `${labels['io.kubernetes.pod.uid']}/${labels['io.kubernetes.container.name']}`;
      const prev = this.#cpu.get(key);
      const milli = prev && now > prev.atMs ? ((s.cpu.usageCoreNanoSeconds - prev.coreNs) / ((now - prev.atMs) * 1e6)) * 1000 : 0;
      this.#cpu.set(key, { atMs: now, coreNs: s.cpu.usageCoreNanoSeconds, milli: Math.max(0, Math.round(milli)), memoryBytes: s.memory.workingSetBytes });
    }
  }

  /** A pod's usage as `/metrics/resource` reports it (undefined until its containers were sampled twice). */
  podUsage(pod: Pod): PodUsage | undefined {
    const containers = (pod.spec.containers ?? []).flatMap((c) => {
      const s = this.#cpu.get(`${pod.metadata.uid}/${c.name}`);
      return s ? [{ name: c.name, cpuMilli: s.milli, memoryBytes: s.memoryBytes }] : [];
    });
    return containers.length ? { containers } : undefined;
  }
}
