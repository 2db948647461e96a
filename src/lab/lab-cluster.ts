/**
 * A lab's session cluster (lab.yaml `cluster`): etcd and the API server in the page, what the terminal's
 * `kubectl` and `etcdctl` talk to, with the lab's files in a virtual file system (`ls`, `cat`,
 * `kubectl apply -f`). A Run starts from its state (the request carries its log) and what the run
 * writes is replayed into it afterwards, so `kubectl get -w` sees it arrive. Time moves only with
 * runs, the `sleep` command, and while a kubectl request or `delete --wait` waits on the cluster.
 */
import { ControllerManager, SimNode, newMetricsServer, TraceRecorder, type TraceEvent, formatDuration, loadSchedulerConfig, newEnv, newGarbageCollector, newInTreeRegistry, newNamespaceController, newLabCluster, rngFromSeed, runUntilIdle, runUntilSettled, Scheduler, settle, type GarbageCollector, type ClusterLog, type RestTransport, type EtcdChange, type LabCluster } from '../sim/index';
import { registerSchedulerCommand } from './shell/scheduler/index';
import { ClusterNetwork, sandboxRetryMs } from '../sim/network/index';
import { podExecFor, registerNetworkCommands } from './shell/network/index';
import { ShellUsageError, VirtualFs, registerEtcdctl, registerFsCommands, registerKubectl, type ShellIO } from './shell/index';
import { Shell } from './shell/registry';
import { newLocalPathProvisioner } from '../sim/controllers/volume/localpath/index';
import { registerSsh } from './shell/ssh';
import { registerNodeCommands } from './shell/node/index';

export interface LabClusterSession {
  /** The session's state, for a RunRequest. */
  log(): ClusterLog;
  /** Replays a run's writes and moves the clock to the run's end. */
  apply(changes: EtcdChange[], clockMs: number): Promise<void>;
  /** Keeps the file system in step with the editor's tabs. */
  setFiles(files: Record<string, string>): void;
}

/** Parses `30s`, `2m`, `500ms`, `1h`, or a number of seconds, as a duration in ms. */
export function parseSleep(arg: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(arg);
  if (!m) throw new ShellUsageError(`invalid time interval '${arg}' (e.g. 30s, 2m, 500ms)`);
  const n = Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const)[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  if (n > 24 * 3_600_000) throw new ShellUsageError('at most 24h at a time');
  return n;
}

/** lab.yaml `cluster.scheduler`: run kube-scheduler on the session cluster, with an optional config file. */
export type SessionScheduler = boolean | { config?: string };

/** lab.yaml `cluster.network`: run the cluster network (flannel, CNI, EndpointSlices, kube-proxy, CoreDNS). */
export type SessionNetwork = boolean | { backend?: 'vxlan' | 'host-gw' | 'udp'; proxyMode?: 'iptables' | 'ipvs'; nodes?: Array<{ name: string; ip?: string; zone?: string }> };

/** How long the session lets the garbage collector's client refill its burst after start-up. */
const gcWarmUpMs = 3000;

/**
 * At most this much virtual time passes while kubectl waits (`delete --wait`): enough for the
 * collector's requeues; a wait that needs more (a finalizer nobody removes) then waits with the
 * clock still, until Ctrl+C, rather than marching the cluster's timers through kubectl's week.
 */
const kubectlWaitMs = 60_000;
/** A wait that bounds itself up to this long (`kubectl rollout status`) lets the cluster run that long. */
const boundedWaitMs = 15 * 60_000;

export interface LabClusterSetup {
  seed: number;
  scheduler?: SessionScheduler;
  /** The lab's files (the editor's tabs), what `ls`, `cat` and `kubectl apply -f` read. */
  files: Record<string, string>;
  /** Manifests applied when the session starts (`kubectl apply -f <file>`). */
  apply: string[];
  network?: SessionNetwork;
  garbageCollector?: boolean;
  controllers?: SessionControllers;
  nodes?: SessionNodes;
  metrics?: boolean;
}

/** lab.yaml `cluster.controllers`: kube-controller-manager with all its modelled controllers, or a `--controllers` list. */
export type SessionControllers = boolean | string[];
/** lab.yaml `cluster.nodes`: a count of worker nodes, or their names and sizes. */
export type SessionNodes = number | Array<{ name: string; cpu?: string; memory?: string }>;

/** How often a node's kubelet samples its containers' usage (cAdvisor's housekeeping, roughly). */
const statsSampleMs = 5000;

/**
 * The state a lab's session starts from, without a page: the lab's manifests applied by kubectl
 * on a new cluster seeded as the page seeds it (the same log the page's session starts with).
 * `npm run lab` and the lab tests run against it. Throws with kubectl's output if an apply fails.
 */
export async function initialClusterLog(setup: LabClusterSetup): Promise<ClusterLog> {
  const lines: string[] = [];
  let failed = false;
  const io: ShellIO = {
    print: (t) => lines.push(t),
    error: (t) => {
      failed = true;
      lines.push(t);
    },
    clear: () => {},
  };
  const session = await mountLabCluster({ shell: new Shell(), io, ...setup });
  if (failed) throw new Error(`the lab's cluster could not be set up:\n${lines.join('\n')}`);
  return session.log();
}

/**
 * The API server as the terminal's kubectl reaches it: while a request waits in the server on
 * virtual time (a consistent list waiting for the watch cache's progress notification, which is
 * requested at most every 100 ms), the session's clock runs until it answers, as a real
 * cluster's would. A request that needs no time answers with the clock where it was.
 */
function clockedTransport(cluster: LabCluster): RestTransport {
  return {
    async request(req) {
      let answered = false;
      const res = cluster.apiServer.request(req).finally(() => (answered = true));
      await runUntilIdle(cluster.clock, { forMs: 60_000, until: () => answered });
      return res;
    },
    watch: (req) => cluster.apiServer.watch(req),
  };
}

export async function mountLabCluster(opts: {
  shell: Shell;
  io: ShellIO;
  seed: number;
  files: Record<string, string>;
  /** Manifests applied when the session starts (`kubectl apply -f <file>`). */
  apply: string[];
  scheduler?: SessionScheduler;
  network?: SessionNetwork;
  /**
   * lab.yaml `cluster.garbageCollector`: run kube-controller-manager's garbage collector on the
   * session cluster, and its namespace controller (a deleted namespace is emptied and goes away).
   */
  garbageCollector?: boolean;
  /** Told of the network's trace after each terminal command that walked packets (curl). */
  onNetworkTrace?: (events: readonly TraceEvent[]) => void;
  /** Told of the garbage collector's trace after each kubectl command that moved it (the owner graph view). */
  onGcTrace?: (events: readonly TraceEvent[]) => void;
  /** lab.yaml `cluster.controllers`. */
  controllers?: SessionControllers;
  /** lab.yaml `cluster.nodes`. */
  nodes?: SessionNodes;
  /** lab.yaml `cluster.metrics`. */
  metrics?: boolean;
  /** Told of the controllers', kubelets' and metrics-server's trace after each command that let time pass (kubectl, sleep, watch). */
  onClusterTrace?: (events: readonly TraceEvent[]) => void;
}): Promise<LabClusterSession> {
  const clusterTrace = new TraceRecorder();
  // With workloads running, the API server's and etcd's part of the path joins the cluster trace (the `path` view).
  const cluster: LabCluster = await newLabCluster({ env: newEnv({ seed: opts.seed, trace: opts.controllers || opts.nodes ? workloadWrites(clusterTrace) : undefined }) });
  const fs = new VirtualFs({ files: opts.files });
  registerFsCommands(opts.shell, fs);
  let scheduler: Scheduler | undefined;
  if (opts.scheduler) {
    const file = typeof opts.scheduler === 'object' ? opts.scheduler.config : undefined;
    const config = file ? loadSchedulerConfig(fs.readFile(fs.resolve(file)), file) : undefined;
    // kube-scheduler's client: QPS 50, burst 100 (its clientConnection defaults).
    scheduler = new Scheduler({ client: cluster.clientset({ qps: 50, burst: 100, userAgent: 'kube-scheduler/v1.34.0' }), clock: cluster.clock, rng: rngFromSeed(`${opts.seed}/scheduler`), registry: newInTreeRegistry(), config, trace: clusterTrace });
    scheduler.start();
  }
  registerSchedulerCommand(opts.shell, { scheduler: () => scheduler, now: () => cluster.clock.now() });
  let network: ClusterNetwork | undefined;
  if (opts.network) {
    network = new ClusterNetwork({ cluster, seed: opts.seed, trace: new TraceRecorder(), ...(typeof opts.network === 'object' ? opts.network : {}) });
    await network.start();
    // CoreDNS's sandboxes wait for flannel's subnet.env, as on a fresh kubeadm cluster, then come up.
    await runUntilIdle(cluster.clock, { forMs: sandboxRetryMs + 1000 });
    registerNetworkCommands(opts.shell, network, opts.onNetworkTrace);
  }
  let manager: ControllerManager | undefined;
  if (opts.controllers) {
    // The garbage collector and namespace controller of `garbageCollector: true` run on their own (the owner graph view reads their trace).
    const list = [...(opts.controllers === true ? ['*'] : opts.controllers), ...(opts.garbageCollector ? ['-garbage-collector-controller', '-namespace-controller'] : [])];
    manager = new ControllerManager({ clientFor: (userAgent) => cluster.clientset({ qps: 20, burst: 30, userAgent }), clock: cluster.clock, seed: opts.seed, trace: clusterTrace, controllers: list });
    await runUntilSettled(cluster.clock, manager.run());
  }
  const nodes: SimNode[] = [];
  if (opts.nodes) {
    const specs = typeof opts.nodes === 'number' ? Array.from({ length: opts.nodes }, (_, i) => ({ name: `node-${i + 1}` } as { name: string; cpu?: string; memory?: string })) : opts.nodes;
    specs.forEach((spec, i) => {
      const capacity = { ...(spec.cpu ? { cpu: spec.cpu } : {}), ...(spec.memory ? { memory: spec.memory } : {}) };
      // The kubelet's client: --kube-api-qps 50, --kube-api-burst 100.
      const client = cluster.clientset({ qps: 50, burst: 100, userAgent: `kubelet/v1.34.0 (linux/amd64) ${spec.name}` });
      nodes.push(new SimNode({ client, clock: cluster.clock, seed: opts.seed, name: spec.name, ip: `172.18.0.${i + 2}`, podCidr: `10.244.${i + 1}.0/24`, capacity, trace: clusterTrace }));
    });
    for (const n of nodes) await runUntilSettled(cluster.clock, n.start());
    // R1 (wt-pv): kind's default storage on a cluster with nodes: the local-path provisioner and its default `standard` StorageClass.
    const storage = newLocalPathProvisioner({ client: cluster.clientset({ qps: -1, userAgent: 'local-path-provisioner/v0.0.31' }), clock: cluster.clock, rng: rngFromSeed(`${opts.seed}/local-path-provisioner`), trace: clusterTrace });
    await runUntilSettled(cluster.clock, storage.run());
    cluster.apiServer.setKubeletConnection((name) => nodes.find((n) => n.name === name)?.connection());
    // `ssh node-1` (or `ssh node-1 crictl ps`): the node's shell with crictl and journalctl -u kubelet.
    const nodeShells = new Map(
      nodes.map((n) => {
        const sh = new Shell();
        registerNodeCommands(sh, {
          name: n.name,
          now: () => cluster.clock.now(),
          runtime: n.runtime,
          journal: () => n.kubelet.journal.lines,
          passTime: async (done, maxMs) => void (await runUntilIdle(cluster.clock, { forMs: Math.min(maxMs, kubectlWaitMs), until: done })),
        });
        return [n.name, sh] as const;
      }),
    );
    registerSsh(opts.shell, { names: () => [...nodeShells.keys()], shell: (name) => nodeShells.get(name) });
    const sample = () => {
      cluster.clock.afterFunc(statsSampleMs, () => {
        for (const n of nodes) void n.sampleStats();
        sample();
      });
    };
    sample();
  }
  if (opts.metrics) {
    const metrics = newMetricsServer({ client: cluster.clientset({ qps: -1, userAgent: 'metrics-server/v0.8.0' }), clock: cluster.clock, source: (pod) => nodes.find((n) => n.name === pod.spec.nodeName)?.podUsage(pod), trace: clusterTrace });
    metrics.register(cluster.apiServer);
    await runUntilSettled(cluster.clock, metrics.start());
  }
  let gc: GarbageCollector | undefined;
  const gcTrace = new TraceRecorder();
  if (opts.garbageCollector) {
    // kube-controller-manager's client: --kube-api-qps 20, --kube-api-burst 30; --concurrent-gc-syncs 20.
    gc = newGarbageCollector({ client: cluster.clientset({ qps: 20, burst: 30, userAgent: 'kube-controller-manager/v1.34.0' }), clock: cluster.clock, rng: rngFromSeed(`${opts.seed}/garbage-collector`), trace: gcTrace });
    await runUntilSettled(cluster.clock, gc.run());
    // The same controller manager runs the namespace controller (--concurrent-namespace-syncs 10),
    // with a client of its own as each of its controllers has: without it, a deleted namespace
    // would stay Terminating for ever.
    const namespaces = newNamespaceController({ client: cluster.clientset({ qps: 20, burst: 30, userAgent: 'kube-controller-manager/v1.34.0 (namespace-controller)' }), clock: cluster.clock, rng: rngFromSeed(`${opts.seed}/namespace-controller`) });
    await runUntilSettled(cluster.clock, namespaces.run());
    // Its lists and watches spent the client's burst: let the token bucket fill again, as on a
    // cluster that has been up a while, so a cascade in the terminal runs at once.
    await runUntilIdle(cluster.clock, { forMs: gcWarmUpMs });
  }
  const kubectl = registerKubectl(opts.shell, { transport: clockedTransport(cluster), clock: cluster.clock, files: fs, podExec: () => (network ? podExecFor(network, opts.onNetworkTrace) : undefined),
    // With the collector, a cascade kubectl waits for needs its requeues: time runs while kubectl waits.
    // A command that names its own bound (rollout status: a progress deadline and then some) gets it; an open-ended wait gets kubectlWaitMs.
    passTime: gc || manager || nodes.length ? async (done, maxMs) => void (await runUntilIdle(cluster.clock, { forMs: maxMs <= boundedWaitMs ? maxMs : kubectlWaitMs, until: done })) : undefined,
  });
  if (gc && opts.onGcTrace) forwardAfter(opts.shell, 'kubectl', gcTrace, opts.onGcTrace);
  registerEtcdctl(opts.shell, { etcd: cluster.etcd });
  opts.shell.register('sleep', {
    summary: "let the lab cluster's virtual time pass (watch timeouts, bookmarks, ages)",
    usage: 'sleep <duration>   (e.g. 30s, 5m, 500ms)',
    async run(args, { io }) {
      if (args.length !== 1) throw new ShellUsageError('needs one duration');
      const end = cluster.clock.now() + parseSleep(args[0]);
      await runUntilIdle(cluster.clock, { forMs: end - cluster.clock.now() });
      // runUntilIdle stops at the last timer due: the clock still has to reach the end of the sleep.
      if (cluster.clock.now() < end) {
        cluster.clock.setTime(end);
        await settle();
      }
      io.print(`(virtual time is now ${formatDuration(end)} into the session)`);
    },
  });
  registerWatchCommand(opts.shell, cluster);
  if ((manager || nodes.length) && opts.onClusterTrace) for (const c of ['kubectl', 'sleep', 'watch']) forwardAfter(opts.shell, c, clusterTrace, opts.onClusterTrace);
  for (const file of opts.apply) await kubectl.run(['apply', '-f', file], opts.io);
  // Let the scheduler bind, the network address and the collector collect what the manifests created before the session's state is read.
  // The collector requeues with backoff (a dangling owner is looked up, then its dependent deleted): give it a second.
  // Nodes pull images and start containers: give them the time a fresh kind cluster takes.
  if (scheduler || network || gc || manager || nodes.length) await runUntilIdle(cluster.clock, { forMs: network ? 2000 : nodes.length ? 15_000 : gc || manager ? 1000 : 0 });
  return {
    log: () => cluster.log(),
    async apply(changes, clockMs) {
      await cluster.apply(changes, clockMs);
      await runUntilIdle(cluster.clock, { forMs: 0 });
    },
    setFiles(files) {
      for (const [name, text] of Object.entries(files)) {
        const path = fs.resolve(name);
        if (!fs.exists(path) || fs.readFile(path) !== text) fs.writeFile(path, text);
      }
    },
  };
}

/** Where the API server keeps Deployments, ReplicaSets and Pods, and the URIs that write them. */
const WORKLOAD_KEY = /^\/registry\/(deployments|replicasets|pods)\//;
const WORKLOAD_URI = /\/(deployments|replicasets|pods)(\/|\?|$)/;

/**
 * A recorder that keeps nothing and copies into `into` the API server's writes of Deployments,
 * ReplicaSets and Pods (`apiserver.request`) and etcd's puts of their keys (`etcd.put`): the steps
 * of the whole path that only the API server and etcd see. Reads, watches and the rest stay out.
 */
function workloadWrites(into: TraceRecorder): TraceRecorder {
  const sink = new TraceRecorder(0);
  sink.subscribe(({ t, seq: _seq, component, type, ...fields }) => {
    const write = type === 'apiserver.request' ? !['GET', 'LIST', 'WATCH'].includes(String(fields.verb)) && WORKLOAD_URI.test(String(fields.uri)) : type === 'etcd.put' && WORKLOAD_KEY.test(String(fields.key));
    if (write) into.emit(t, component, type, fields);
  });
  return sink;
}

/** After each run of `name` that added events to `trace`, hands the whole trace to `onTrace`. */
function forwardAfter(shell: Shell, name: string, trace: TraceRecorder, onTrace: (events: readonly TraceEvent[]) => void): void {
  const command = shell.get(name);
  if (!command) return;
  shell.unregister(name);
  shell.register(name, {
    ...command,
    async run(args, ctx) {
      const before = trace.events.length;
      try {
        return await command.run(args, ctx);
      } finally {
        if (trace.events.length !== before) onTrace(trace.events);
      }
    },
  });
}

/** A shell word as the shell would read it back (single-quoted when it holds anything special). */
const requote = (w: string) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`);

/** `watch` stops by itself after this much virtual time, so a forgotten one cannot run for ever. */
const watchLimitMs = 60 * 60_000;

/**
 * procps' `watch [-n SECONDS] COMMAND`: runs the command, lets the cluster's virtual time pass,
 * clears the screen and runs it again, until Ctrl+C. What engineers run to see a rollout move,
 * since `kubectl get -w` watches one resource type only.
 */
function registerWatchCommand(shell: Shell, cluster: LabCluster): void {
  shell.register('watch', {
    summary: 'run a command every 2 s of virtual time until Ctrl+C (e.g. watch kubectl get deploy,rs,pods)',
    usage: 'watch [-n SECONDS] <command...>',
    async run(args, { io, shell: sh, signal }) {
      let intervalMs = 2000;
      let i = 0;
      while (i < args.length && args[i].startsWith('-')) {
        const a = args[i];
        const value = a === '-n' || a === '--interval' ? args[++i] : /^(?:-n|--interval=)(.+)$/.exec(a)?.[1];
        if (value === undefined) throw new ShellUsageError(`unknown option ${a}`);
        const secs = Number(value);
        if (!Number.isFinite(secs) || secs < 0.1) throw new ShellUsageError(`failed to parse argument: '${value}'`);
        intervalMs = Math.round(secs * 1000);
        i++;
      }
      const command = args.slice(i).map(requote).join(' ');
      if (!command) throw new ShellUsageError('needs a command to run');
      const end = cluster.clock.now() + watchLimitMs;
      while (!signal?.aborted) {
        io.clear();
        io.print(`Every ${(intervalMs / 1000).toFixed(1)}s: ${command}    (virtual time ${formatDuration(cluster.clock.now())}; Ctrl+C stops)\n`);
        await sh.execute(command, io, { signal });
        if (signal?.aborted || cluster.clock.now() >= end) break;
        const next = cluster.clock.now() + intervalMs;
        await runUntilIdle(cluster.clock, { forMs: intervalMs, until: () => signal?.aborted ?? false });
        if (cluster.clock.now() < next) {
          cluster.clock.setTime(next);
          await settle();
        }
      }
      return signal?.aborted ? 130 : 0;
    },
  });
}
