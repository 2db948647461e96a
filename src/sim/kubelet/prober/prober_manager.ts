/**
 * The prober manager: pkg/kubelet/prober/prober_manager.go (v1.34: `NewManager`, `AddPod`,
 * `StopLivenessAndStartup`, `RemovePod`, `CleanupPods`, `UpdatePodStatus`). A worker per probe of
 * each container (and each sidecar, a restartable init container); the status the kubelet writes
 * takes `started` and `ready` from the three results managers.
 */
import type { Pod, PodStatus } from '../../api/core/v1';
import type { EventRecorder } from '../../client/record';
import type { FakeClock } from '../../core/clock';
import { resolveEnv } from '../../core/env';
import { EventEmitter } from '../../core/events';
import type { Rng } from '../../core/rng';
import type { TraceRecorder } from '../../core/trace';
import { containerStatuses, type ApiContainerStatus, type ProbedContainer } from './api';
import { proberEvents } from './events';
import type { GrpcProbeRunner } from './probe';
import { newProber } from './prober';
import type { PodStatusProvider, ProberManager, ProbeType, ResultsManager } from './types';
import { Worker, type WorkerHost } from './worker';

export interface ProberManagerOptions {
  clock: FakeClock;
  rng: Rng;
  runner: GrpcProbeRunner;
  statusProvider: PodStatusProvider;
  livenessManager: ResultsManager;
  readinessManager: ResultsManager;
  startupManager: ResultsManager;
  /** Where Unhealthy / ProbeWarning events go (involvedObject: the pod). */
  recorder?: EventRecorder;
  trace?: TraceRecorder;
  /** The kubelet's node, named in every trace event (empty when the prober runs alone). */
  nodeName?: string;
}

/** The manager with the worker table exposed for tests and views. */
export interface ProberManagerWithWorkers extends ProberManager {
  /** Go: StopLivenessAndStartup (a pod terminating keeps only its readiness probes). */
  stopLivenessAndStartup(pod: Pod): void;
  getWorker(podUid: string, containerName: string, probeType: ProbeType): Worker | undefined;
  workerCount(): number;
}

const key = (podUid: string, containerName: string, t: ProbeType) => `${podUid}/${containerName}/${t}`;

/** Containers that get workers: regular ones and sidecars (restartable init containers). */
function probedContainers(pod: Pod): ProbedContainer[] {
  const sidecars = (pod.spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  return [...(pod.spec.containers as ProbedContainer[]), ...(sidecars as ProbedContainer[])];
}

// Upstream: prober_manager.go (NewManager)
export function newProberManager(o: ProberManagerOptions): ProberManagerWithWorkers {
  const env = resolveEnv({ clock: o.clock, rng: o.rng, trace: o.trace });
  const workers = new Map<string, Worker>();
  const rng = o.rng.fork('prober');
  const host: WorkerHost = {
    clock: o.clock,
    rng,
    prober: newProber(o.clock, o.runner, o.recorder),
    statusProvider: o.statusProvider,
    startMs: o.clock.now(),
    events: new EventEmitter(proberEvents, env, { node: o.nodeName ?? '' }),
    resultsManagerFor: (t) => (t === 'Liveness' ? o.livenessManager : t === 'Readiness' ? o.readinessManager : o.startupManager),
    removeWorker(w) {
      const k = key(w.pod.metadata.uid ?? '', w.container.name, w.probeType);
      if (workers.get(k) === w) workers.delete(k);
    },
  };
  const getWorker = (podUid: string, name: string, t: ProbeType) => workers.get(key(podUid, name, t));

  // Upstream: prober_manager.go (manager.isContainerStarted)
  function isStarted(podUid: string, c: ApiContainerStatus): boolean {
    if (!c.state?.running) return false;
    const result = o.startupManager.get(c.containerID ?? '');
    if (result !== undefined) return result === 'Success';
    // No result yet: started only when there is no startup probe to wait for.
    return getWorker(podUid, c.name, 'Startup') === undefined;
  }

  // Upstream: prober_manager.go (manager.UpdatePodStatus, the readiness part)
  function isReady(podUid: string, c: ApiContainerStatus): boolean {
    if (!c.state?.running) return false;
    if (o.readinessManager.get(c.containerID ?? '') === 'Success') return true;
    const w = getWorker(podUid, c.name, 'Readiness');
    // Trigger a run at once so readiness does not wait a whole period.
    w?.trigger();
    return w === undefined; // no readiness probe: always ready
  }

  const stopTypes = (pod: Pod, types: ProbeType[]) => {
    for (const c of probedContainers(pod)) for (const t of types) getWorker(pod.metadata.uid ?? '', c.name, t)?.stop();
  };

  return {
    // Upstream: prober_manager.go (manager.AddPod)
    addPod(pod) {
      const uid = pod.metadata.uid ?? '';
      for (const c of probedContainers(pod)) {
        for (const [t, spec] of [['Startup', c.startupProbe], ['Readiness', c.readinessProbe], ['Liveness', c.livenessProbe]] as const) {
          if (!spec) continue;
          // A worker already there: upstream returns from AddPod altogether.
          if (workers.has(key(uid, c.name, t))) return;
          const w = new Worker(host, t, pod, c);
          workers.set(key(uid, c.name, t), w);
          w.run();
        }
      }
    },
    stopLivenessAndStartup: (pod) => stopTypes(pod, ['Liveness', 'Startup']),
    // Upstream: prober_manager.go (manager.RemovePod)
    removePod: (pod) => stopTypes(pod, ['Readiness', 'Liveness', 'Startup']),
    // Upstream: prober_manager.go (manager.CleanupPods)
    cleanupPods(desired) {
      for (const w of [...workers.values()]) if (!desired.has(w.pod.metadata.uid ?? '')) w.stop();
    },
    // Upstream: prober_manager.go (manager.UpdatePodStatus)
    updatePodStatus(pod: Pod, status: PodStatus) {
      const uid = pod.metadata.uid ?? '';
      for (const c of containerStatuses(status)) {
        const started = isStarted(uid, c);
        c.started = started;
        if (started) c.ready = isReady(uid, c);
      }
      // Init containers: ready once exited 0; a sidecar as a regular container once started.
      const inits = pod.spec.initContainers ?? [];
      for (const c of containerStatuses(status, 'initContainerStatuses')) {
        const spec = inits.find((i) => i.name === c.name);
        if (spec?.restartPolicy !== 'Always') {
          c.ready = c.state?.terminated?.exitCode === 0;
          continue;
        }
        const started = isStarted(uid, c);
        c.started = started;
        c.ready = started && isReady(uid, c);
      }
    },
    stop() {
      for (const w of [...workers.values()]) w.stop();
    },
    getWorker,
    workerCount: () => workers.size,
  };
}
