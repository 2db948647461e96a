/**
 * What a node does for a pod's network until the kubelet module lands (issue 13): the part of
 * the kubelet and its container runtime that the networking lessons need. When a pod is bound to
 * the node, the runtime creates the sandbox and runs the CNI chain (flannel -> bridge ->
 * host-local, src/sim/cni) in its network namespace; the kubelet's status manager then writes the
 * pod's status: phase Running, podIP(s) and hostIP(s), the Ready condition. When a pod is deleted
 * the sandbox's network is torn down (CNI DEL) and the deletion confirmed with a zero grace period.
 *
 * Upstream, in outline: pkg/kubelet/kuberuntime/kuberuntime_sandbox.go (`createPodSandbox`),
 * containerd's CNI setup (the error text `failed to setup network for sandbox`), and
 * pkg/kubelet/status/status_manager.go. Containers do not run here: every container is reported
 * running once the sandbox has its address, and readiness is what `setReady` says (a failing
 * readiness probe, in the kubelet's terms). The kubelet module replaces this file.
 */
import type { Node, Pod, PodCondition } from '../api/core/v1';
import { newSharedInformerFactory, type SharedInformerFactory } from '../cache/informer_factory';
import { DeletedFinalStateUnknown } from '../cache/keys';
import { listerWatcherFor, type Clientset } from '../client/clientset';
import { newEventRecorder, type EventRecorder } from '../client/record';
import type { FakeClock } from '../core/clock';
import type { KubeObject } from '../core/object';
import type { Rng } from '../core/rng';
import { rfc3339 } from '../apiserver/registry/strategy';
import { flannelAdd, flannelDel, kubeFlannelConflist, type FlannelNetConf } from '../cni/flannel';
import { HostLocalStore } from '../cni/host_local';
import type { BridgeState } from '../cni/bridge';
import type { CniArgs, CniResult } from '../cni/types';

/** How long the kubelet waits before it tries a failed sandbox again (its pod worker backoff, roughly). */
export const sandboxRetryMs = 10_000;

export interface PodSandbox {
  pod: string;
  uid: string;
  args: CniArgs;
  result: CniResult;
  ip: string;
}

export interface PodNetworkAgentOptions {
  client: Clientset;
  clock: FakeClock;
  rng: Rng;
  nodeName: string;
  /** The node's files (`/run/flannel/subnet.env`, the CNI plugins' state); shared with flanneld's model. */
  files: Map<string, string>;
  /** The node's InternalIP (default: read from the Node's status.addresses). */
  nodeIP?: string;
}

function key(p: Pod): string {
  return `${p.metadata.namespace ?? 'default'}/${p.metadata.name ?? ''}`;
}

export class PodNetworkAgent {
  readonly sandboxes = new Map<string, PodSandbox>();
  readonly bridges = new Map<string, BridgeState>();
  readonly ipam = new HostLocalStore(kubeFlannelConflist.name);
  readonly #ready = new Map<string, boolean>();
  readonly #retries = new Map<string, { stop(): void }>();
  readonly #recorder: EventRecorder;
  #factory?: SharedInformerFactory;
  #stopped = false;

  constructor(readonly o: PodNetworkAgentOptions) {
    this.#recorder = newEventRecorder(o.client, o.clock, { component: 'kubelet', host: o.nodeName });
  }

  #netconf(): FlannelNetConf {
    const [flannel] = kubeFlannelConflist.plugins;
    return { name: kubeFlannelConflist.name, cniVersion: kubeFlannelConflist.cniVersion, type: 'flannel', delegate: { ...flannel.delegate } };
  }

  start(): void {
    const o = this.o;
    this.#factory = newSharedInformerFactory(listerWatcherFor(o.client), 0, { clock: o.clock, rng: o.rng.fork(`podnet/${o.nodeName}`) });
    const pods = this.#factory.forResource('pods').informer();
    this.#factory.forResource('nodes');
    const mine = (obj: unknown): Pod | undefined => {
      const p = (obj instanceof DeletedFinalStateUnknown ? obj.obj : obj) as Pod;
      return p.spec?.nodeName === o.nodeName ? p : undefined;
    };
    pods.addEventHandler({
      onAdd: (obj) => void this.#sync(mine(obj)),
      onUpdate: (_old, obj) => void this.#sync(mine(obj)),
      onDelete: (obj) => {
        const p = mine(obj);
        if (p) this.#teardown(p);
      },
    });
    this.#factory.start();
  }

  stop(): void {
    this.#stopped = true;
    for (const t of this.#retries.values()) t.stop();
    this.#factory?.shutdown();
  }

  #nodeIP(): string {
    if (this.o.nodeIP) return this.o.nodeIP;
    const node = this.#factory?.forResource('nodes').informer().getStore().getByKey(this.o.nodeName) as Node | undefined;
    const addrs = (node?.status?.addresses as Array<{ type: string; address: string }> | undefined) ?? [];
    return addrs.find((a) => a.type === 'InternalIP')?.address ?? '';
  }

  async #sync(pod: Pod | undefined): Promise<void> {
    if (!pod || this.#stopped) return;
    const k = key(pod);
    if (pod.metadata.deletionTimestamp) {
      await this.#terminate(pod);
      return;
    }
    if (this.sandboxes.has(k) || this.#retries.has(k)) {
      if (this.sandboxes.has(k)) await this.#writeStatus(pod);
      return;
    }
    if (pod.spec.hostNetwork) {
      this.sandboxes.set(k, { pod: k, uid: pod.metadata.uid ?? '', args: { containerID: '', netns: '', ifName: '' }, result: { cniVersion: '1.0.0', ips: [] }, ip: this.#nodeIP() });
      await this.#writeStatus(pod);
      return;
    }
    const args: CniArgs = { containerID: this.#hex(64), netns: `/var/run/netns/cni-${this.#uuid()}`, ifName: 'eth0' };
    try {
      const { result } = flannelAdd(this.#netconf(), args, { rng: this.o.rng, ipam: this.ipam, bridges: this.bridges, files: this.o.files });
      this.sandboxes.set(k, { pod: k, uid: pod.metadata.uid ?? '', args, result, ip: result.ips[0].address.split('/')[0] });
      await this.#writeStatus(pod);
    } catch (e) {
      // The message containerd gives the kubelet, which records it on the pod.
      const msg = `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${args.containerID}": plugin type="flannel" failed (add): ${(e as Error).message}`;
      await this.#recorder.event(pod as unknown as KubeObject, 'Warning', 'FailedCreatePodSandBox', msg);
      const retry = this.o.clock.afterFunc(sandboxRetryMs, () => {
        this.#retries.delete(k);
        const latest = this.#factory?.forResource('pods').informer().getStore().getByKey(k) as Pod | undefined;
        void this.#sync(latest);
      });
      this.#retries.set(k, retry);
    }
  }

  /** Sets a pod's readiness, as its readiness probe passing or failing would. */
  async setReady(namespace: string, name: string, ready: boolean): Promise<void> {
    this.#ready.set(`${namespace}/${name}`, ready);
    const pod = this.#factory?.forResource('pods').informer().getStore().getByKey(`${namespace}/${name}`) as Pod | undefined;
    if (pod && this.sandboxes.has(key(pod))) await this.#writeStatus(pod);
  }

  /** The status the kubelet's status manager writes for a running pod. */
  async #writeStatus(pod: Pod): Promise<void> {
    const sb = this.sandboxes.get(key(pod))!;
    const ready = this.#ready.get(key(pod)) ?? true;
    const now = rfc3339(this.o.clock.now());
    const old = pod.status ?? {};
    const cond = (type: string, status: boolean): PodCondition => {
      const prev = old.conditions?.find((c) => c.type === type);
      const s = status ? 'True' : 'False';
      return { type, status: s, lastProbeTime: null, lastTransitionTime: prev?.status === s ? prev.lastTransitionTime : now, ...(status || type === 'PodScheduled' ? {} : { reason: 'ContainersNotReady', message: `containers with unready status: [${pod.spec.containers.map((c) => c.name).join(' ')}]` }) };
    };
    const hostIP = this.#nodeIP();
    const status = {
      ...old,
      phase: 'Running' as const,
      conditions: [cond('PodReadyToStartContainers', true), cond('Initialized', true), cond('Ready', ready), cond('ContainersReady', ready), cond('PodScheduled', true)],
      hostIP,
      hostIPs: [{ ip: hostIP }],
      podIP: sb.ip,
      podIPs: [{ ip: sb.ip }],
      startTime: old.startTime ?? now,
      containerStatuses: pod.spec.containers.map((c) => ({
        name: c.name,
        image: c.image,
        ready,
        started: true,
        restartCount: 0,
        state: { running: { startedAt: (old.containerStatuses as Array<{ name: string; state?: { running?: { startedAt?: string } } }> | undefined)?.find((s) => s.name === c.name)?.state?.running?.startedAt ?? now } },
      })),
    };
    if (JSON.stringify(status) === JSON.stringify(old)) return;
    try {
      await this.o.client.coreV1().pods(pod.metadata.namespace ?? 'default').updateStatus({ ...pod, status } as unknown as KubeObject);
    } catch {
      // A conflict: the next informer event brings the newer pod and the status is written again.
    }
  }

  /** The kubelet's side of a graceful delete: stop the containers, tear the network down, confirm. */
  async #terminate(pod: Pod): Promise<void> {
    this.#teardown(pod);
    try {
      await this.o.client.coreV1().pods(pod.metadata.namespace ?? 'default').delete(pod.metadata.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
    } catch {
      // Already gone.
    }
  }

  #teardown(pod: Pod): void {
    const k = key(pod);
    this.#retries.get(k)?.stop();
    this.#retries.delete(k);
    const sb = this.sandboxes.get(k);
    if (!sb) return;
    this.sandboxes.delete(k);
    if (sb.args.containerID) flannelDel(this.#netconf(), sb.args, { rng: this.o.rng, ipam: this.ipam, bridges: this.bridges, files: this.o.files });
  }

  #hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += this.o.rng.int(16).toString(16);
    return s;
  }

  /** A version 4 UUID from the seeded rng (containerd names a sandbox's netns `cni-<uuid>`). */
  #uuid(): string {
    const h = this.#hex(32).split('');
    h[12] = '4';
    h[16] = ((parseInt(h[16], 16) & 3) | 8).toString(16);
    const s = h.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
}
