/**
 * kube-controller-manager as a lab cluster runs it: the controllers `--controllers` names, each
 * with a client of its own (as each upstream controller gets one from the ControllerContext's
 * ClientBuilder, named `kube-controller-manager/v1.34.0 (<controller>)`; `--kube-api-qps` 20,
 * `--kube-api-burst` 30), seeded from the cluster's seed, all recording into one trace.
 * Upstream: cmd/kube-controller-manager/app/controllermanager.go (NewControllerDescriptors,
 * StartControllers) and app/*.go (each controller's start function and its flags' defaults).
 * With `--leader-elect` (the default) the controllers start only once this instance holds the
 * Lease kube-system/kube-controller-manager, and the process exits (`leaderelection lost`) when
 * it stops holding it: app/controllermanager.go (Run, leaderElectAndRun).
 * Not modelled: the service-account token, cloud and certificate controllers, leader migration,
 * and the controllers no module teaches yet.
 */
import type { Clientset } from '../client/clientset';
import type { FakeClock } from '../core/clock';
import { rngFromSeed } from '../core/rng';
import type { TraceRecorder } from '../core/trace';
import { newDaemonSetsController } from '../controllers/daemon/index';
import { newDeploymentController } from '../controllers/deployment/index';
import { newEndpointSliceController } from '../controllers/endpointslice/index';
import { newGarbageCollector } from '../controllers/garbagecollector/index';
import { newJobController } from '../controllers/job/index';
import { newNamespaceController } from '../controllers/namespace/index';
import { newNodeLifecycleController } from '../controllers/nodelifecycle/index';
import { newHorizontalController } from '../controllers/podautoscaler/index';
import { newReplicaSetController } from '../controllers/replicaset/index';
import { newStatefulSetController } from '../controllers/statefulset/index';
import { newTaintEvictionController } from '../controllers/tainteviction/index';
import { UsageError } from '../core/errors';
import { Context, LeaseLock, leaderElectionIdentity, newLeaderElector, type ElectionClock, type LeaderElector } from '../client/leaderelection/index';
import { newEventRecorder } from '../client/record';
// R1 (wt-pv): the PV binder, v1.34's persistentvolume-binder-controller (alias persistentvolume-binder; one worker per queue).
import { newPersistentVolumeBinder } from '../controllers/volume/persistentvolume/index';

/** The controllers the model has, by their v1.34 names (`kube-controller-manager --controllers`). */
export const CONTROLLER_NAMES = [
  'deployment-controller',
  'replicaset-controller',
  'statefulset-controller',
  'daemonset-controller',
  'job-controller',
  'horizontal-pod-autoscaler-controller',
  'node-lifecycle-controller',
  'taint-eviction-controller',
  'garbage-collector-controller',
  'namespace-controller',
  'endpointslice-controller',
  'persistentvolume-binder-controller',
] as const;
export type ControllerName = (typeof CONTROLLER_NAMES)[number];

/** Upstream's aliases (the names before v1.28), which `--controllers` still accepts. */
// Upstream: cmd/kube-controller-manager/names/controller_names.go (the aliases)
const ALIASES: Record<string, ControllerName> = {
  deployment: 'deployment-controller',
  replicaset: 'replicaset-controller',
  statefulset: 'statefulset-controller',
  daemonset: 'daemonset-controller',
  job: 'job-controller',
  horizontalpodautoscaling: 'horizontal-pod-autoscaler-controller',
  nodelifecycle: 'node-lifecycle-controller',
  'taint-eviction': 'taint-eviction-controller',
  garbagecollector: 'garbage-collector-controller',
  namespace: 'namespace-controller',
  endpointslice: 'endpointslice-controller',
  'persistentvolume-binder': 'persistentvolume-binder-controller',
};

interface Runnable {
  run(): Promise<void>;
  stop(): void;
}

export interface ControllerManagerOptions {
  /** A clientset for a controller (the manager passes its user agent). */
  clientFor: (userAgent: string) => Clientset;
  clock: FakeClock;
  seed: number | string;
  trace?: TraceRecorder;
  /** `--controllers`: names or aliases, `*` for all, `-name` to leave one out. Default: all. */
  controllers?: readonly string[];
  /** `--leader-elect` (default true): run the controllers only while holding the Lease. */
  leaderElect?: boolean;
  /** The host the process runs on, the first half of its identity (default `kind-control-plane`). */
  hostname?: string;
  /** The lock identity (default `<hostname>_<uuid>`, the UUID drawn from the seed and hostname). */
  identity?: string;
  /** `--leader-elect-*` flags (component-base defaults: 15 s, 10 s, 2 s; kube-system/kube-controller-manager). */
  leaderElection?: LeaderElectionFlags;
  /** This process's own clock (default `clock`); a test skews it. */
  processClock?: ElectionClock;
}

/** component-base LeaderElectionConfiguration, as kube-controller-manager's flags set it. */
export interface LeaderElectionFlags {
  /** `--leader-elect-lease-duration` (15 s). */
  leaseDurationMs?: number;
  /** `--leader-elect-renew-deadline` (10 s). */
  renewDeadlineMs?: number;
  /** `--leader-elect-retry-period` (2 s). */
  retryPeriodMs?: number;
  /** `--leader-elect-resource-name` (kube-controller-manager). */
  resourceName?: string;
  /** `--leader-elect-resource-namespace` (kube-system). */
  resourceNamespace?: string;
}

/** Upstream: component-base config/v1alpha1/defaults.go (RecommendedDefaultLeaderElectionConfiguration). */
export const defaultLeaderElection = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 } as const;

/** The `--controllers` list as the set of controllers to start; throws on an unknown name. */
// Upstream: app/controllermanager.go (KnownControllers, IsControllerEnabled)
export function enabledControllers(list: readonly string[] = ['*']): ControllerName[] {
  const on = new Set<ControllerName>();
  const off = new Set<ControllerName>();
  for (const raw of list) {
    const negated = raw.startsWith('-');
    const name = negated ? raw.slice(1) : raw;
    if (name === '*') {
      for (const c of CONTROLLER_NAMES) on.add(c);
      continue;
    }
    const c = (CONTROLLER_NAMES as readonly string[]).includes(name) ? (name as ControllerName) : ALIASES[name];
    if (!c) throw new UsageError(`"${name}" is not in the list of known controllers`);
    (negated ? off : on).add(c);
  }
  return CONTROLLER_NAMES.filter((c) => on.has(c) && !off.has(c));
}

/**
 * The running controllers. `run` resolves once every informer has synced: at once with
 * `leaderElect: false`; otherwise once this instance leads (a lone instance creates the Lease on
 * its first try, with no delay), or once the process has exited.
 */
export class ControllerManager {
  /** The controllers, built up front; started only while leading. */
  readonly controllers = new Map<ControllerName, Runnable>();
  /** The lock identity, `<hostname>_<uuid>` (empty with `leaderElect: false`). */
  readonly identity: string;
  /** The elector (undefined with `leaderElect: false`). */
  elector: LeaderElector | undefined;
  /** True once the process exited after losing (or never winning) the election, or was stopped. */
  exited = false;
  readonly #o: ControllerManagerOptions;
  readonly #ctx = new Context();
  #started: Promise<void> | undefined;
  #running = false;

  constructor(o: ControllerManagerOptions) {
    this.#o = o;
    for (const name of enabledControllers(o.controllers)) {
      const client = o.clientFor(`kube-controller-manager/v1.34.0 (${name})`);
      const base = { client, clock: o.clock, rng: rngFromSeed(`${o.seed}/${name}`), trace: o.trace };
      this.controllers.set(name, build(name, base));
    }
    const hostname = o.hostname ?? 'kind-control-plane';
    this.identity = o.leaderElect === false ? '' : (o.identity ?? leaderElectionIdentity(hostname, rngFromSeed(`${o.seed}/${hostname}/leader-election`)));
  }

  /** Whether this instance's controllers are running (always, once run, with `leaderElect: false`). */
  get leading(): boolean {
    return this.#running;
  }

  // Upstream: app/controllermanager.go (Run: leader election or not, then run -> StartControllers)
  run(): Promise<void> {
    if (this.#o.leaderElect === false) return this.#startControllers();
    if (!this.elector) this.#started = this.#elect();
    return this.#started!;
  }

  async #startControllers(): Promise<void> {
    this.#running = true;
    for (const c of this.controllers.values()) await c.run();
  }

  // Upstream: app/controllermanager.go (leaderElectAndRun: NewFromKubeconfig with renewDeadline / 2 as the client timeout, RunOrDie)
  #elect(): Promise<void> {
    const o = this.#o;
    const f = { ...defaultLeaderElection, resourceName: 'kube-controller-manager', resourceNamespace: 'kube-system', ...o.leaderElection };
    const client = o.clientFor('kube-controller-manager/v1.34.0 (leader-election)');
    const clock = o.processClock ?? o.clock;
    const lock = new LeaseLock({
      namespace: f.resourceNamespace,
      name: f.resourceName,
      client,
      identity: this.identity,
      eventRecorder: newEventRecorder(client, o.clock, { component: 'kube-controller-manager' }),
      timeoutMs: Math.max(1000, f.renewDeadlineMs / 2),
      clock,
    });
    return new Promise<void>((resolve) => {
      const elector = newLeaderElector({
        lock,
        leaseDurationMs: f.leaseDurationMs,
        renewDeadlineMs: f.renewDeadlineMs,
        retryPeriodMs: f.retryPeriodMs,
        name: f.resourceName,
        clock,
        rng: rngFromSeed(`${o.seed}/${this.identity}/leader-election`),
        trace: o.trace,
        callbacks: {
          onStartedLeading: () => {
            void this.#startControllers().then(resolve);
          },
          // Upstream: the process logs and exits (klog.FlushAndExit), whatever the reason.
          onStoppedLeading: () => {
            elector.log('error', 'controllermanager.go', 'leaderelection lost');
            this.#exit();
            resolve();
          },
        },
      });
      this.elector = elector;
      void elector.run(this.#ctx);
    });
  }

  #exit(): void {
    this.exited = true;
    if (!this.#running) return;
    this.#running = false;
    for (const c of this.controllers.values()) c.stop();
  }

  /** The process is asked to stop: the election ends, and the controllers stop at once. */
  stop(): void {
    this.#ctx.cancel();
    if (this.#o.leaderElect === false) {
      this.#running = false;
      for (const c of this.controllers.values()) c.stop();
      return;
    }
    this.#exit();
  }
}

type Base = { client: Clientset; clock: FakeClock; rng: ReturnType<typeof rngFromSeed>; trace?: TraceRecorder };

// The flags' defaults: --concurrent-deployment-syncs 5, --concurrent-replicaset-syncs 5, --concurrent-statefulset-syncs 5,
// --concurrent-daemonset-syncs 2, --concurrent-job-syncs 5, --concurrent-gc-syncs 20, --concurrent-namespace-syncs 10,
// --concurrent-service-endpoint-syncs 5 (the EndpointSlice controller's own default).
function build(name: ControllerName, b: Base): Runnable {
  switch (name) {
    case 'deployment-controller':
      return newDeploymentController({ ...b, workers: 5 });
    case 'replicaset-controller':
      return newReplicaSetController({ ...b, workers: 5 });
    case 'statefulset-controller':
      return newStatefulSetController({ ...b, workers: 5 });
    case 'daemonset-controller':
      return newDaemonSetsController({ ...b, workers: 2 });
    case 'job-controller':
      return newJobController({ ...b, workers: 5 });
    case 'horizontal-pod-autoscaler-controller':
      return newHorizontalController(b);
    case 'node-lifecycle-controller':
      return newNodeLifecycleController(b);
    case 'taint-eviction-controller':
      return newTaintEvictionController(b);
    case 'garbage-collector-controller':
      return newGarbageCollector({ ...b, workers: 20 });
    case 'namespace-controller':
      return newNamespaceController(b);
    case 'endpointslice-controller':
      return newEndpointSliceController(b);
    case 'persistentvolume-binder-controller':
      return newPersistentVolumeBinder(b);
  }
}
