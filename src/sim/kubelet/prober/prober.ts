/**
 * One probe run: pkg/kubelet/prober/prober.go (v1.34: `prober.probe`, `runProbeWithRetries`,
 * `runProbe`, `recordContainerEvent`). Picks the handler, retries a prober error up to three
 * times, maps the handler's result to the results manager's, and records the Unhealthy /
 * ProbeWarning events with upstream's texts.
 */
import type { Pod, PodStatus } from '../../api/core/v1';
import type { EventRecorder } from '../../client/record';
import type { FakeClock } from '../../core/clock';
import type { KubeObject } from '../../core/object';
import type { ProbedContainer, Probe } from './api';
import { probeDefaults } from './api';
import { doExecProbe, doGRPCProbe, doHTTPProbe, doTCPProbe, newRequestForHTTPGetAction, resolveContainerPort, type GrpcProbeRunner, type ProbeOutcome } from './probe';
import type { ProbeResult, ProbeType } from './types';

/** A probe that errors is tried this many times in a row before the error counts. */
export const maxProbeRetries = 3;

// Upstream: pkg/kubelet/events/event.go (ContainerUnhealthy, ContainerProbeWarning)
export const ContainerUnhealthy = 'Unhealthy';
export const ContainerProbeWarning = 'ProbeWarning';

export interface ProbeRun {
  result: ProbeResult;
  /** The handler's output (what the event quotes). */
  output: string;
  /** A prober error: the worker throws the result away. */
  error?: string;
}

export interface Prober {
  probe(probeType: ProbeType, pod: Pod, status: PodStatus, container: ProbedContainer, containerId: string): Promise<ProbeRun>;
}

/** Go's format.Pod: `name_namespace(uid)`. */
const formatPod = (pod: Pod): string => `${pod.metadata.name ?? ''}_${pod.metadata.namespace ?? ''}(${pod.metadata.uid ?? ''})`;

const probeOf = (t: ProbeType, c: ProbedContainer): Probe | undefined => (t === 'Liveness' ? c.livenessProbe : t === 'Readiness' ? c.readinessProbe : c.startupProbe);

// Upstream: prober.go (newProber)
export function newProber(clock: FakeClock, runner: GrpcProbeRunner, recorder?: EventRecorder): Prober {
  const record = (pod: Pod, reason: string, message: string) => void recorder?.event(pod as unknown as KubeObject, 'Warning', reason, message);

  // Upstream: prober.go (prober.runProbe)
  async function runProbe(p: Probe, pod: Pod, status: PodStatus, container: ProbedContainer, containerId: string): Promise<ProbeOutcome> {
    const { timeoutSeconds } = probeDefaults(p);
    const podIP = status.podIP ?? '';
    if (p.exec) return doExecProbe(clock, runner, containerId, p.exec.command ?? [], timeoutSeconds);
    if (p.httpGet) {
      const req = newRequestForHTTPGetAction(p.httpGet, container, podIP);
      if ('error' in req) return { result: 'Unknown', output: '', error: req.error };
      return doHTTPProbe(clock, runner, req, timeoutSeconds * 1000);
    }
    if (p.tcpSocket) {
      const { port, error } = resolveContainerPort(p.tcpSocket.port, container);
      if (error) return { result: 'Unknown', output: '', error };
      return doTCPProbe(clock, runner, p.tcpSocket.host || podIP, port, timeoutSeconds * 1000);
    }
    if (p.grpc) return doGRPCProbe(clock, runner, podIP, p.grpc.port, p.grpc.service ?? '', timeoutSeconds);
    return { result: 'Unknown', output: '', error: `missing probe handler for ${formatPod(pod)}:${container.name}` };
  }

  // Upstream: prober.go (prober.runProbeWithRetries): only an error is retried, not a failure.
  async function runProbeWithRetries(p: Probe, pod: Pod, status: PodStatus, container: ProbedContainer, containerId: string): Promise<ProbeOutcome> {
    let out: ProbeOutcome = { result: 'Unknown', output: '' };
    for (let i = 0; i < maxProbeRetries; i++) {
      out = await runProbe(p, pod, status, container, containerId);
      if (out.error === undefined) return out;
    }
    return out;
  }

  return {
    // Upstream: prober.go (prober.probe)
    async probe(probeType, pod, status, container, containerId) {
      const spec = probeOf(probeType, container);
      if (!spec) return { result: 'Success', output: '' };
      const out = await runProbeWithRetries(spec, pod, status, container, containerId);
      if (out.error !== undefined) {
        // Go prints probe.Result's lowercase name: `errored and resulted in unknown state`.
        record(pod, ContainerUnhealthy, `${probeType} probe errored and resulted in ${out.result.toLowerCase()} state: ${out.error}`);
        return { result: 'Failure', output: out.output, error: out.error };
      }
      switch (out.result) {
        case 'Success':
          return { result: 'Success', output: out.output };
        case 'Warning':
          record(pod, ContainerProbeWarning, `${probeType} probe warning: ${out.output}`);
          return { result: 'Success', output: out.output };
        case 'Failure':
          record(pod, ContainerUnhealthy, `${probeType} probe failed: ${out.output}`);
          return { result: 'Failure', output: out.output };
        default:
          return { result: 'Failure', output: out.output };
      }
    },
  };
}
