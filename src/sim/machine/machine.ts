/**
 * A machine: a Host (files, systemd, journal), containerd (the CRI runtime model, with the images
 * kubeadm pulls and the control-plane programs), and the real kubelet model, run by the host's
 * systemd kubelet unit. While /var/lib/kubelet/config.yaml is missing the unit crash-loops (the
 * host's built-in behaviour); once the unit's process stays up, the kubelet model starts with what
 * the disk says (config.yaml, kubeadm-flags.env, kubelet.conf), runs the static pods of
 * staticPodPath, and reaches the API server named in kubelet.conf over the machines' network —
 * refused until something listens there, so it runs standalone and keeps retrying. `systemctl
 * stop kubelet` stops the model (containers keep running, as containerd is its own unit);
 * `systemctl restart kubelet` builds a fresh one.
 *
 * Not an upstream component: the assembly a kubeadm node is (cmd/kubelet/app/server.go RunKubelet
 * for what starts in which order).
 */
import { newClientset } from '../client/clientset';
import type { RestRequest, RestResponse, RestTransport } from '../client/transport';
import { errorOf } from '../client/rest_client';
import type { FakeClock } from '../core/clock';
import { EventEmitter } from '../core/events';
import type { Rng } from '../core/rng';
import type { TraceRecorder } from '../core/trace';
import { newHost, type Host, type HostOptions } from '../host/host';
import { journalLine, type UnitState } from '../host/systemd';
import { kubeadmImageSpecs } from '../kubeadm/preflight/images';
import { IMAGE_CATALOG } from '../kubelet/cri/images';
import type { HttpHandler, NodeServices, Process } from '../kubelet/cri/process';
import { newFakeContainerRuntime, PAUSE_IMAGE, type FakeContainerRuntime } from '../kubelet/cri/runtime';
import { crictlPs } from '../kubelet/cri/crictl';
import { klogLine } from '../kubelet/journal';
import { newKubelet, type Kubelet } from '../kubelet/kubelet';
import { newNodeLeaseController, newNodeStatusManager, type NodeLeaseController, type NodeStatusManager } from '../kubelet/nodestatus/index';
import { networkPluginNotReady } from '../kubelet/nodestatus/errors';
import { newProberManager } from '../kubelet/prober/index';
import { createHostPathSources, MachineDisk } from './disk';
import { machineEvents, type MachineEventMap } from './events';
import { readKubeletFiles, KubeletConfigFile, type KubeletFiles } from './kubelet_files';
import type { Network, NetTarget } from './network';
import { newDialTransport } from './transport';

/** What a control-plane program's hook may hand back: the API it serves (kube-apiserver) and a stop. */
export interface ControlPlaneHookResult {
  /** kube-apiserver: the API server model answering at its secure port. */
  transport?: RestTransport;
  /** Called when the program's process exits. */
  stop?(): void;
}

export type ControlPlaneHook = (flags: Record<string, string>, machine: Machine, process: Process) => ControlPlaneHookResult | void;

/**
 * The seam to the control-plane models: each program calls its hook with its parsed flags once it
 * listens (kube-apiserver: `--advertise-address`, `--secure-port`, `--etcd-servers`...).
 */
export interface ControlPlaneHooks {
  kubeApiserver?: ControlPlaneHook;
  etcd?: ControlPlaneHook;
  kubeControllerManager?: ControlPlaneHook;
  kubeScheduler?: ControlPlaneHook;
}

export interface MachineOptions {
  name: string;
  /** The machine's address on the network (default 10.0.0.10). */
  ip?: string;
  cpus?: number;
  memoryMB?: number;
  swap?: boolean | number;
  clock: FakeClock;
  rng: Rng;
  trace?: TraceRecorder;
  network: Network;
  controlPlaneHooks?: ControlPlaneHooks;
  /** Anything else of the host (ipForward, containerd, images, listening...). */
  host?: Partial<Omit<HostOptions, 'name' | 'ip' | 'cpus' | 'memoryMB' | 'swap' | 'clock' | 'trace' | 'onUnitTransition' | 'programs'>>;
}

/** The kubelet process of one unit run: the model and its node status and lease loops. */
export interface KubeletProcess {
  pid: number;
  nodeName: string;
  files: KubeletFiles;
  kubelet: Kubelet;
  status: NodeStatusManager;
  lease: NodeLeaseController;
}

const KUBELET_QPS = 50;
const KUBELET_BURST = 100;
const MiB = 1024 * 1024;

interface Binding {
  port: number;
  target: NetTarget;
  close: () => void;
}

export class Machine {
  readonly name: string;
  readonly ip: string;
  readonly host: Host;
  readonly runtime: FakeContainerRuntime;
  readonly network: Network;
  /** The running kubelet, while the unit is active. */
  kubelet: KubeletProcess | undefined;
  readonly #o: MachineOptions;
  readonly #events: EventEmitter<MachineEventMap, { machine: string }>;
  readonly #bindings = new Map<string, Binding>();
  #unwatch: (() => void) | undefined;
  #built = false;
  #starts = 0;

  constructor(o: MachineOptions) {
    this.#o = o;
    this.name = o.name;
    this.ip = o.ip ?? '10.0.0.10';
    this.network = o.network;
    this.#events = new EventEmitter(machineEvents, { clock: o.clock, trace: o.trace }, { machine: o.name });
    this.host = newHost({ ...o.host, name: o.name, ip: this.ip, cpus: o.cpus, memoryMB: o.memoryMB, swap: o.swap, clock: o.clock, trace: o.trace, onUnitTransition: (unit, s) => this.#unitChanged(unit, s) });
    o.network.attach(this.ip);
    this.runtime = newFakeContainerRuntime({
      clock: o.clock,
      rng: o.rng.fork('containerd'),
      trace: o.trace,
      nodeName: o.name.toLowerCase(),
      nodeIp: this.ip,
      images: [...IMAGE_CATALOG, ...kubeadmImageSpecs({ kubernetesVersion: 'v1.34.0' })],
      memoryCapacityBytes: this.host.state.memoryMB * MiB,
      preloadedImages: [PAUSE_IMAGE, ...this.host.state.images],
      nodeServices: this.#nodeServices(),
      hostFs: new MachineDisk(this.host.fs),
    });
    this.#built = true;
    const unit = this.host.systemd.get('kubelet');
    if (unit?.activeState === 'active') this.#startKubelet(unit.mainPid);
  }

  // --- the kubelet unit ---------------------------------------------------------------------

  #unitChanged(unit: string, s: UnitState): void {
    if (!this.#built || unit !== 'kubelet.service') return;
    if (s.activeState === 'active' && s.subState === 'running' && !this.kubelet) this.#startKubelet(s.mainPid);
    else if (s.activeState !== 'active' && this.kubelet) this.#stopKubelet();
  }

  #log(pid: number, level: 'info' | 'error', source: string, msg: string, kv: Record<string, string | string[]> = {}): void {
    this.host.systemd.appendProcessLine('kubelet', 'kubelet', pid, klogLine(level, this.#o.clock.now(), pid, source, msg, kv));
  }

  // Upstream: cmd/kubelet/app/server.go (run, RunKubelet, createAndInitKubelet), pkg/kubelet/kubelet.go (makePodSourceConfig, Run)
  #startKubelet(pid: number): void {
    const o = this.#o;
    let files: KubeletFiles;
    try {
      files = readKubeletFiles(this.host.fs);
    } catch (e) {
      this.#log(pid, 'error', 'run.go:72', 'command failed', { err: `failed to load kubelet config file, path: ${KubeletConfigFile}, error: ${(e as Error).message}` });
      return;
    }
    const nodeName = (files.flags['hostname-override'] ?? this.name).toLowerCase();
    const nodeIP = files.flags['node-ip'] ?? this.ip;
    const run = `${this.name}/kubelet/${++this.#starts}`;
    this.#log(pid, 'info', 'server.go:529', 'Kubelet version', { kubeletVersion: 'v1.34.0' });
    this.#log(pid, 'info', 'server.go:531', 'Golang settings', { GOGC: '', GOMAXPROCS: '', GOTRACEBACK: '' });
    if (!files.server) this.#log(pid, 'info', 'server.go:686', 'Standalone mode, no API client');
    const transport = files.server ? this.#kubeletTransport(files.server, nodeName, pid) : neverAnswers;
    const client = newClientset(transport, { clock: o.clock, rng: o.rng.fork(`${run}/client`), host: files.server, userAgent: 'kubelet/v1.34.0 (linux/amd64) kubernetes/v1.34.0', qps: KUBELET_QPS, burst: KUBELET_BURST, name: `kubelet-${nodeName}` });
    if (files.staticPodPath) this.#log(pid, 'info', 'kubelet.go:392', 'Adding static pod path', { path: files.staticPodPath });
    if (files.server) this.#log(pid, 'info', 'kubelet.go:403', 'Adding apiserver pod source');
    const kubelet = newKubelet({
      client,
      clock: o.clock,
      rng: o.rng.fork(run),
      nodeName,
      runtime: this.runtime,
      trace: o.trace,
      proberFactory: newProberManager,
      config: {
        hostFs: this.runtime.hostFs,
        hostIP: nodeIP,
        pid,
        staticPodPath: files.staticPodPath,
        manifestFs: files.staticPodPath ? this.#manifestFs() : undefined,
        fileCheckFrequencyMs: files.fileCheckFrequencyMs,
        syncFrequencyMs: files.syncFrequencyMs,
      },
    });
    // journald keeps what the process writes: each klog line of the model goes to the unit's journal.
    kubelet.journal.onLine((line) => this.host.systemd.appendProcessLine('kubelet', 'kubelet', pid, line));
    const status = newNodeStatusManager({
      client,
      clock: o.clock,
      nodeName,
      nodeIP,
      capacity: { cpu: String(this.host.state.cpus), 'ephemeral-storage': '100Gi', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: `${this.host.state.memoryMB}Mi`, pods: '110' },
      rng: o.rng.fork(`${run}/node-status`),
      trace: o.trace,
      // Upstream: kubelet.go (runtimeState.runtimeErrors / networkErrors): no CNI config yet, no Ready.
      readiness: () => {
        const h = kubelet.pleg.healthy();
        return [...(h.ok ? [] : [h.error]), ...(this.cniConfigured() ? [] : [networkPluginNotReady])];
      },
    });
    const lease = newNodeLeaseController({ client, clock: o.clock, nodeName, rng: o.rng.fork(`${run}/lease`), trace: o.trace });
    this.kubelet = { pid, nodeName, files, kubelet, status, lease };
    kubelet.run();
    status.run();
    const self = this.kubelet;
    void status.registerWithAPIServer().then(() => {
      if (this.kubelet === self) lease.run();
    });
    if (files.staticPodPath) {
      const dir = files.staticPodPath.replace(/\/+$/, '');
      // inotify on the static pod path: a write or removal there reaches the file source at once.
      this.#unwatch = this.host.watchFiles((c) => {
        if (c.path === dir || c.path.startsWith(`${dir}/`)) kubelet.fileSource?.notify();
      });
    }
    this.#events.emit('machine.kubelet', { op: 'start', pid, staticPodPath: files.staticPodPath ?? '', server: files.server ?? '' });
  }

  #stopKubelet(): void {
    const k = this.kubelet;
    if (!k) return;
    this.kubelet = undefined;
    this.#unwatch?.();
    this.#unwatch = undefined;
    k.kubelet.stop();
    k.status.stop();
    k.lease.stop();
    this.#events.emit('machine.kubelet', { op: 'stop', pid: k.pid, staticPodPath: k.files.staticPodPath ?? '', server: k.files.server ?? '' });
  }

  /** The kubelet's connection to kubelet.conf's server, with the registration lines the kubelet logs around its Node POST. */
  // Upstream: pkg/kubelet/kubelet_node_status.go (registerWithAPIServer: "Attempting to register node"; tryRegisterWithAPIServer: "Unable to register node with API server", "Successfully registered node")
  #kubeletTransport(server: string, nodeName: string, pid: number): RestTransport {
    const inner = newDialTransport({ network: this.network, server, localIp: this.ip });
    const registering = (r: RestRequest) => r.verb === 'POST' && r.path === '/api/v1/nodes';
    return {
      request: async (req): Promise<RestResponse> => {
        if (!registering(req)) return inner.request(req);
        this.#log(pid, 'info', 'kubelet_node_status.go:75', 'Attempting to register node', { node: nodeName });
        let res: RestResponse;
        try {
          res = await inner.request(req);
        } catch (e) {
          this.#log(pid, 'error', 'kubelet_node_status.go:107', 'Unable to register node with API server', { err: (e as Error).message, node: nodeName });
          throw e;
        }
        if (res.code >= 200 && res.code < 300) this.#log(pid, 'info', 'kubelet_node_status.go:78', 'Successfully registered node', { node: nodeName });
        else if (res.code !== 409) this.#log(pid, 'error', 'kubelet_node_status.go:107', 'Unable to register node with API server', { err: errorOf(res, 'POST', 'nodes', '').message, node: nodeName });
        return res;
      },
      watch: (req) => inner.watch(req),
    };
  }

  /** The host's disk as the kubelet's file source reads it. */
  #manifestFs() {
    const fs = this.host.fs;
    return {
      stat: (p: string): 'file' | 'dir' | undefined => {
        try {
          return fs.stat(p).isDir ? 'dir' : 'file';
        } catch {
          return undefined;
        }
      },
      readDir: (p: string) => fs.readDir(p),
      readFile: (p: string) => {
        const text = fs.readFile(p);
        createHostPathSources(fs, text);
        return text;
      },
    };
  }

  /** Whether a CNI configuration is in /etc/cni/net.d (what containerd's CRI reports as NetworkReady). */
  cniConfigured(): boolean {
    const dir = '/etc/cni/net.d';
    if (!this.host.fs.exists(dir)) return false;
    return this.host.fs.readDir(dir).some((n) => /\.(conf|conflist|json)$/.test(n));
  }

  // --- hostNetwork processes ----------------------------------------------------------------

  #nodeServices(): NodeServices {
    const hook = (key: keyof ControlPlaneHooks, port?: (flags: Record<string, string>) => number) => (flags: Record<string, string>, p: Process) => {
      const r = this.#o.controlPlaneHooks?.[key]?.(flags, this, p) ?? undefined;
      if (r?.transport && port) {
        const b = [...this.#bindings.values()].find((x) => x.port === port(flags) && x.target.process === 'kube-apiserver');
        if (b) b.target.api = r.transport;
        this.#events.emit('machine.listen', { address: `${this.ip}:${port(flags)}`, process: 'kube-apiserver', op: 'listen', api: true });
      }
      return r;
    };
    return {
      onListen: (port: number, handler: HttpHandler, process: string, containerId: string) => {
        const target: NetTarget = { process, http: handler };
        let close = () => {};
        try {
          close = this.network.listen(this.ip, port, target);
          this.host.listen(port, process);
        } catch {
          // Already bound on the network by another machine's process with our address: the runtime already refused duplicates here.
        }
        this.#bindings.set(`${containerId}:${port}`, { port, target, close });
        this.#events.emit('machine.listen', { address: `${this.ip}:${port}`, process, op: 'listen', api: false });
      },
      onUnlisten: (port: number, containerId: string) => {
        const b = this.#bindings.get(`${containerId}:${port}`);
        if (!b) return;
        this.#bindings.delete(`${containerId}:${port}`);
        b.close();
        if (this.host.listener(port)?.process === b.target.process) this.host.close(port);
        this.#events.emit('machine.listen', { address: `${this.ip}:${port}`, process: b.target.process, op: 'close', api: !!b.target.api });
      },
      hooks: {
        'kube-apiserver': hook('kubeApiserver', (f) => Number(f['secure-port'] ?? 6443)),
        etcd: hook('etcd'),
        'kube-controller-manager': hook('kubeControllerManager'),
        'kube-scheduler': hook('kubeScheduler'),
      },
    };
  }

  // --- what an operator runs ----------------------------------------------------------------

  /** `crictl ps [-a]` on the machine. */
  async crictlPs(all = false): Promise<string> {
    return crictlPs(await this.runtime.listContainers(), { all, nowMs: this.#o.clock.now() });
  }

  /** `journalctl -u <unit>` lines (systemd's and the process's own), oldest first. */
  journal(unit = 'kubelet'): string[] {
    return this.host.systemd.entries(unit).map((e) => journalLine(e, this.name));
  }
}

/** Standalone (no kubeconfig): the API source waits forever, as a kubelet without a client never lists. */
const neverAnswers: RestTransport = {
  request: () => new Promise(() => {}),
  watch: () => new Promise(() => {}),
};

export function newMachine(o: MachineOptions): Machine {
  return new Machine(o);
}
