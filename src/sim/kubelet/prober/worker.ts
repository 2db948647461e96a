/**
 * A probe worker: pkg/kubelet/prober/worker.go (v1.34: `newWorker`, `run`, `stop`, `doProbe`).
 * One per probe of one container. It probes every `periodSeconds` on a ticker of virtual time
 * (after a random first delay while the kubelet is young), writes a result once
 * `failureThreshold` failures or `successThreshold` successes come in a row, and exits when the
 * pod terminates or the manager stops it.
 */
import type { Pod, PodStatus } from '../../api/core/v1';
import type { FakeClock } from '../../core/clock';
import type { EventEmitter } from '../../core/events';
import type { Timer } from '../../core/loop';
import type { Rng } from '../../core/rng';
import { containerStatuses, probeDefaults, startedAtMs, type ApiContainerStatus, type Probe, type ProbedContainer } from './api';
import type { ProberEventBase, ProberEventMap } from './events';
import type { Prober } from './prober';
import type { PodStatusProvider, ProbeResult, ProbeType, ResultsManager } from './types';

/** What a worker needs from its manager. */
export interface WorkerHost {
  clock: FakeClock;
  rng: Rng;
  prober: Prober;
  statusProvider: PodStatusProvider;
  /** When the manager was built (Go: manager.start): young kubelets spread their first probes. */
  startMs: number;
  events: EventEmitter<ProberEventMap, ProberEventBase>;
  resultsManagerFor(t: ProbeType): ResultsManager;
  removeWorker(w: Worker): void;
}

// Upstream: worker.go (worker)
export class Worker {
  readonly spec: Probe;
  /** The value a new container starts with: readiness Failure, liveness Success, startup Unknown. */
  readonly initialValue: ProbeResult;
  readonly resultsManager: ResultsManager;
  /** The last container ID seen ('' before the runtime made one). */
  containerId = '';
  lastResult: ProbeResult = 'Unknown';
  /** How many times in a row the probe returned `lastResult`. */
  resultRun = 0;
  /** Set after a liveness / startup failure: no probing until the container ID changes. */
  onHold = false;
  #stopped = false;
  #exited = false;
  #probing = false;
  /** Go's ticker channel (buffer 1) and manualTriggerCh (buffer 1). */
  #tickPending = false;
  #manualPending = false;
  #ticker?: Timer;
  #firstRun?: Timer;
  readonly #host: WorkerHost;

  // Upstream: worker.go (newWorker)
  constructor(host: WorkerHost, readonly probeType: ProbeType, readonly pod: Pod, readonly container: ProbedContainer) {
    this.#host = host;
    this.spec = (probeType === 'Liveness' ? container.livenessProbe : probeType === 'Readiness' ? container.readinessProbe : container.startupProbe) ?? {};
    this.resultsManager = host.resultsManagerFor(probeType);
    this.initialValue = probeType === 'Readiness' ? 'Failure' : probeType === 'Liveness' ? 'Success' : 'Unknown';
  }

  get #fields() {
    return { pod: `${this.pod.metadata.namespace ?? ''}/${this.pod.metadata.name ?? ''}`, container: this.container.name, probe: this.probeType };
  }

  get periodMs(): number {
    return probeDefaults(this.spec).periodSeconds * 1000;
  }

  /** Starts the loop: a random first delay (only while the kubelet is younger than a period), then a probe per tick. */
  // Upstream: worker.go (worker.run)
  run(): void {
    const h = this.#host;
    const period = this.periodMs;
    const delayMs = period > h.clock.now() - h.startMs ? Math.floor(h.rng.float() * period) : 0;
    h.events.emit('prober.workerStart', { ...this.#fields, delayMs });
    this.#firstRun = h.clock.afterFunc(delayMs, () => {
      this.#firstRun = undefined;
      if (this.#stopped) return this.#exit();
      this.#scheduleTick(h.clock.now() + period);
      void this.#loop();
    });
  }

  #scheduleTick(atMs: number): void {
    this.#ticker = this.#host.clock.afterAt(atMs, () => {
      this.#tickPending = true;
      this.#scheduleTick(atMs + this.periodMs);
      if (!this.#probing) void this.#loop();
    });
  }

  /** Probes, then waits for the stop channel, a tick or a manual trigger (Go's select), until doProbe says stop. */
  async #loop(): Promise<void> {
    if (this.#probing || this.#exited) return;
    this.#probing = true;
    for (;;) {
      this.#tickPending = false;
      this.#manualPending = false;
      const keepGoing = await this.doProbe();
      if (!keepGoing || this.#stopped) break;
      if (!this.#tickPending && !this.#manualPending) {
        this.#probing = false;
        return;
      }
    }
    this.#probing = false;
    this.#exit();
  }

  /** Asks the worker to stop; it cleans up and removes itself (at once when idle, even before its first probe; else after the probe in flight). */
  // Upstream: worker.go (worker.stop)
  stop(): void {
    this.#stopped = true;
    if (!this.#probing) this.#exit();
  }

  /** Go: a non-blocking send on manualTriggerCh (readiness is re-probed when the status asks). */
  trigger(): void {
    this.#manualPending = true;
    if (!this.#probing && !this.#firstRun && !this.#exited) void this.#loop();
  }

  get exited(): boolean {
    return this.#exited;
  }

  // Upstream: worker.go (worker.run, the deferred clean-up)
  #exit(): void {
    if (this.#exited) return;
    this.#exited = true;
    this.#ticker?.stop();
    this.#firstRun?.stop();
    if (this.containerId !== '') this.resultsManager.remove(this.containerId);
    this.#host.removeWorker(this);
    this.#host.events.emit('prober.workerStop', this.#fields);
  }

  #set(result: ProbeResult): void {
    this.resultsManager.set(this.containerId, result, this.pod);
    this.#host.events.emit('prober.set', { ...this.#fields, containerId: this.containerId, result });
  }

  /** Probes the container once and records the result; false when the worker should exit. */
  // Upstream: worker.go (worker.doProbe)
  async doProbe(): Promise<boolean> {
    const h = this.#host;
    const status = h.statusProvider.getPodStatus(this.pod.metadata.uid ?? '');
    // Either the pod has not been created yet, or it was already deleted.
    if (!status) return true;
    if (status.phase === 'Failed' || status.phase === 'Succeeded') return false;
    let c = findStatus(containerStatuses(status), this.container.name);
    if (!c || !c.containerID) {
      c = findStatus(containerStatuses(status, 'initContainerStatuses'), this.container.name);
      if (!c || !c.containerID) return true; // wait for more information
    }
    if (this.containerId !== c.containerID) {
      if (this.containerId !== '') this.resultsManager.remove(this.containerId);
      this.containerId = c.containerID;
      this.#set(this.initialValue);
      // A new container: resume probing.
      this.onHold = false;
    }
    if (this.onHold) return true;
    const running = c.state?.running;
    if (!running) {
      if (this.containerId !== '') this.#set('Failure');
      // Exit if the container will not be restarted.
      return c.state?.terminated === undefined || this.pod.spec.restartPolicy !== 'Never';
    }
    // Graceful shutdown of the pod: a last Success keeps liveness and startup quiet.
    if (this.pod.metadata.deletionTimestamp && (this.probeType === 'Liveness' || this.probeType === 'Startup')) {
      this.#set('Success');
      return false;
    }
    // Probe disabled for initialDelaySeconds (whole seconds since the container started, as Go truncates).
    const sinceStartS = Math.trunc((h.clock.now() - startedAtMs(running.startedAt)) / 1000);
    if (sinceStartS < probeDefaults(this.spec).initialDelaySeconds) return true;
    if (c.started === true) {
      // The startup probe is done once the container started; it stays for a restarted container.
      if (this.probeType === 'Startup') return true;
    } else if (this.probeType !== 'Startup') {
      // The other probes wait for the container to start.
      return true;
    }
    const run = await h.prober.probe(this.probeType, this.pod, status as PodStatus, this.container, this.containerId);
    h.events.emit('prober.run', { ...this.#fields, result: run.result, output: run.output, error: run.error ?? '' });
    // A prober error: throw the result away.
    if (run.error !== undefined) return true;
    const result = run.result;
    if (this.lastResult === result) this.resultRun++;
    else {
      this.lastResult = result;
      this.resultRun = 1;
    }
    const { failureThreshold, successThreshold } = probeDefaults(this.spec);
    // Below its threshold a result leaves the state unchanged.
    if ((result === 'Failure' && this.resultRun < failureThreshold) || (result === 'Success' && this.resultRun < successThreshold)) return true;
    this.#set(result);
    if ((this.probeType === 'Liveness' || this.probeType === 'Startup') && result === 'Failure') {
      // The container will be restarted: stop probing until a new container ID shows up.
      this.onHold = true;
      this.resultRun = 0;
      h.events.emit('prober.onHold', { ...this.#fields, containerId: this.containerId });
    }
    return true;
  }
}

const findStatus = (list: ApiContainerStatus[], name: string) => list.find((s) => s.name === name);
