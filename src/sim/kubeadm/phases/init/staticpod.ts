/**
 * The static Pods of a kubeadm control plane as plain JSON-shaped objects, and their YAML as
 * kubeadm writes it (sigs.k8s.io/yaml: keys sorted; no `creationTimestamp` since apimachinery
 * v0.34 marks it omitzero; `status: {}` stays).
 * Upstream: cmd/kubeadm/app/util/staticpod/utils.go (ComponentPod, ComponentResources, LivenessProbe,
 * ReadinessProbe, StartupProbe, NewVolume, NewVolumeMount, VolumeMapToSlice, WriteStaticPodToDisk)
 */
import { marshalYAML } from './yaml';
import type { Arg } from '../../apis/types';

/** system-node-critical's value. */
const SystemNodeCriticalPriority = 2000001000;
/** The named container port every probe targets (new in v1.34). */
export const ProbePort = 'probe-port';

export type Json = Record<string, unknown>;

export interface HostPathVolume {
  name: string;
  hostPath: { path: string; type: 'DirectoryOrCreate' | 'FileOrCreate' };
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
}

export function newVolume(name: string, path: string, type: HostPathVolume['hostPath']['type']): HostPathVolume {
  return { name, hostPath: { path, type } };
}

export function newVolumeMount(name: string, mountPath: string, readOnly: boolean): VolumeMount {
  return readOnly ? { name, mountPath, readOnly } : { name, mountPath };
}

/** Sorted by name: upstream ranges over a map and sorts. */
export const byName = <T extends { name: string }>(xs: T[]): T[] => [...xs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

function httpGet(host: string, path: string, scheme: 'HTTP' | 'HTTPS'): Json {
  return { httpGet: { host, path, port: ProbePort, scheme } };
}

// Upstream: staticpod/utils.go (LivenessProbe)
export function livenessProbe(host: string, path: string, scheme: 'HTTP' | 'HTTPS'): Json {
  return { ...httpGet(host, path, scheme), initialDelaySeconds: 10, timeoutSeconds: 15, periodSeconds: 10, failureThreshold: 8 };
}

// Upstream: staticpod/utils.go (ReadinessProbe): no initial delay, polled every second
export function readinessProbe(host: string, path: string, scheme: 'HTTP' | 'HTTPS'): Json {
  return { ...httpGet(host, path, scheme), timeoutSeconds: 15, periodSeconds: 1, failureThreshold: 3 };
}

/** failureThreshold = the component health-check timeout (4m0s) / period (10s) = 24. */
// Upstream: staticpod/utils.go (StartupProbe)
export function startupProbe(host: string, path: string, scheme: 'HTTP' | 'HTTPS', timeoutMs = 240_000): Json {
  return { ...httpGet(host, path, scheme), initialDelaySeconds: 10, timeoutSeconds: 15, periodSeconds: 10, failureThreshold: Math.ceil(timeoutMs / 10_000) };
}

/** --name=value for each argument, defaults overridden by name, sorted (v1.34 sorts everything). */
// Upstream: cmd/kubeadm/app/util/arguments.go (ArgumentsToCommand)
export function argumentsToCommand(base: Arg[], overrides: Arg[] = []): string[] {
  const overridden = new Set(overrides.map((a) => a.name));
  const all = [...base.filter((a) => !overridden.has(a.name)), ...overrides];
  return all
    .map((a, i) => ({ a, i }))
    .sort((x, y) => (x.a.name < y.a.name ? -1 : x.a.name > y.a.name ? 1 : x.i - y.i))
    .map(({ a }) => `--${a.name}=${a.value}`);
}

/** A control-plane Pod: kube-system, host network, system-node-critical, RuntimeDefault seccomp. */
// Upstream: staticpod/utils.go (ComponentPod)
export function componentPod(container: Json, volumes: HostPathVolume[], annotations?: Record<string, string>): Json {
  const name = container.name as string;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'kube-system', labels: { component: name, tier: 'control-plane' }, annotations },
    spec: {
      containers: [container],
      priority: SystemNodeCriticalPriority,
      priorityClassName: 'system-node-critical',
      hostNetwork: true,
      volumes: byName(volumes),
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
    },
    status: {},
  };
}

/** The manifest bytes (written 0600). */
export function marshalStaticPod(pod: Json): string {
  return marshalYAML(pod);
}

/** /etc/kubernetes/manifests/<component>.yaml */
// Upstream: constants.go (GetStaticPodFilepath)
export function getStaticPodFilepath(component: string, manifestsDir: string): string {
  return `${manifestsDir}/${component}.yaml`;
}
