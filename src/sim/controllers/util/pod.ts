/**
 * Pod and Service helpers both endpoint controllers share: k8s.io/endpointslice util/
 * controller_utils.go at v0.34.0 (which copies pkg/api/v1/pod's readiness helpers) and
 * pkg/api/v1/pod/util.go (`FindPort`).
 */
import type { Pod, PodCondition, Service, ServicePort } from '../../api/core/v1';

/** Upstream: endpointslice util/controller_utils.go (getPodReadyCondition) */
export function getPodReadyCondition(pod: Pod): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

/** Upstream: endpointslice util/controller_utils.go (IsPodReady) */
export function isPodReady(pod: Pod): boolean {
  return getPodReadyCondition(pod)?.status === 'True';
}

/** Succeeded or Failed: its containers have stopped for good. Upstream: controller_utils.go (isPodTerminal) */
export function isPodTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/**
 * Whether a pod belongs in an Endpoints or EndpointSlice object: not terminal, has an IP, and,
 * unless `includeTerminating`, not being deleted.
 */
// Upstream: endpointslice util/controller_utils.go (ShouldPodBeInEndpoints)
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  if (isPodTerminal(pod)) return false;
  if (!pod.status?.podIP && !(pod.status?.podIPs ?? []).length) return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  return true;
}

/** A pod with a hostname whose subdomain names the Service gets a DNS record by hostname. */
// Upstream: endpointslice util/controller_utils.go (ShouldSetHostname)
export function shouldSetHostname(pod: Pod, svc: Service): boolean {
  return !!pod.spec.hostname && pod.spec.subdomain === svc.metadata.name && (svc.metadata.namespace ?? '') === (pod.metadata.namespace ?? '');
}

/** The error FindPort returns when no container port matches a named targetPort. */
export class NoSuitablePortError extends Error {}

/**
 * The container port a Service port targets on this pod: a number as is; a name looked up among
 * the containers' ports (then restartable init containers') with the same protocol.
 */
// Upstream: pkg/api/v1/pod/util.go (FindPort); endpointslice utils.go (FindPort)
export function findPort(pod: Pod, svcPort: ServicePort): number {
  const target = svcPort.targetPort ?? svcPort.port;
  if (typeof target === 'number') return target;
  const protocol = svcPort.protocol ?? 'TCP';
  for (const c of pod.spec.containers ?? []) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  }
  for (const c of pod.spec.initContainers ?? []) {
    if (c.restartPolicy !== 'Always') continue;
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  }
  throw new NoSuitablePortError(`no suitable port for manifest: ${pod.metadata.uid ?? ''}`);
}

/** Whether the Service's ClusterIP is set (not headless, not empty). Upstream: pkg/apis/core/v1/helper (IsServiceIPSet) */
export function isServiceIPSet(svc: Service): boolean {
  return svc.spec.clusterIP !== 'None' && !!svc.spec.clusterIP;
}


