/**
 * The slice of core/v1 the prober reads (k8s.io/api core/v1/types.go v0.34.0: Probe,
 * ProbeHandler, HTTPGetAction, TCPSocketAction, GRPCAction, ExecAction, ContainerStatus), in the
 * API's JSON shape. Defaults are the API's (periodSeconds 10, timeoutSeconds 1, successThreshold 1,
 * failureThreshold 3) and apply when a field is left out, as defaulting would fill it.
 */
import type { Container } from '../../api/core/v1';

export type IntOrString = number | string;

export interface HTTPHeader {
  name: string;
  value: string;
}

export interface Probe {
  exec?: { command?: string[] };
  httpGet?: { path?: string; port: IntOrString; host?: string; scheme?: 'HTTP' | 'HTTPS'; httpHeaders?: HTTPHeader[] };
  tcpSocket?: { port: IntOrString; host?: string };
  grpc?: { port: number; service?: string };
  initialDelaySeconds?: number;
  timeoutSeconds?: number;
  periodSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
  terminationGracePeriodSeconds?: number;
}

/** A container with its probes (the kubelet's view of `spec.containers[]`). */
export type ProbedContainer = Container & { livenessProbe?: Probe; readinessProbe?: Probe; startupProbe?: Probe };

/** `startedAt` may be RFC 3339 text (as the API stores it) or virtual milliseconds (as the kubelet's models keep it). */
export interface ApiContainerStatus {
  name: string;
  /** `containerd://<id>`; empty until the runtime created the container. */
  containerID?: string;
  state?: {
    waiting?: { reason?: string };
    running?: { startedAt?: string | number };
    terminated?: { exitCode: number; reason?: string };
  };
  ready?: boolean;
  started?: boolean;
  [field: string]: unknown;
}

// Upstream: pkg/apis/core/v1/defaults.go (SetDefaults_Probe)
export function probeDefaults(p: Probe): Required<Pick<Probe, 'initialDelaySeconds' | 'timeoutSeconds' | 'periodSeconds' | 'successThreshold' | 'failureThreshold'>> {
  return {
    initialDelaySeconds: p.initialDelaySeconds ?? 0,
    timeoutSeconds: p.timeoutSeconds || 1,
    periodSeconds: p.periodSeconds || 10,
    successThreshold: p.successThreshold || 1,
    failureThreshold: p.failureThreshold || 3,
  };
}

export function containerStatuses(status: object | undefined, field: 'containerStatuses' | 'initContainerStatuses' = 'containerStatuses'): ApiContainerStatus[] {
  const list = (status as Record<string, unknown> | undefined)?.[field];
  return Array.isArray(list) ? (list as ApiContainerStatus[]) : [];
}

/** Milliseconds of `startedAt` (RFC 3339 or a number). */
export function startedAtMs(startedAt: string | number | undefined): number {
  if (typeof startedAt === 'number') return startedAt;
  if (typeof startedAt === 'string') return Date.parse(startedAt);
  return 0;
}
