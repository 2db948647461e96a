/**
 * What the kubelet hands the runtime to create a sandbox and a container:
 * pkg/kubelet/kuberuntime/kuberuntime_sandbox.go (generatePodSandboxConfig),
 * kuberuntime_container.go (generateContainerConfig) and kubelet_pods.go
 * (makeEnvironmentVariables, reduced to value, fieldRef, configMapKeyRef and secretKeyRef).
 */
import type { Container, Pod } from '../../api/core/v1';
import type { ContainerConfig, KeyValue, Mount, PodSandboxConfig } from '../cri/api';
import { expand, expandContainerCommandAndArgs, mappingFuncFor } from './expansion';
import { newContainerAnnotations, newContainerLabels, newPodLabels } from './labels';

/** Reads ConfigMaps and Secrets for env (the kubelet's configMapManager / secretManager). */
export interface EnvSource {
  getConfigMap(namespace: string, name: string): Promise<{ data?: Record<string, string> } | undefined>;
  getSecret(namespace: string, name: string): Promise<{ data?: Record<string, string> } | undefined>;
}

/** A config error: CreateContainerConfigError with this message. */
export class ContainerConfigError extends Error {}

// Upstream: pkg/kubelet/kubelet_pods.go (getPodLogDir via BuildPodLogsDirectory)
export const podLogsDirectory = (pod: Pod) => `/var/log/pods/${pod.metadata.namespace}_${pod.metadata.name}_${pod.metadata.uid}`;

// Upstream: kuberuntime_sandbox.go (generatePodSandboxConfig)
export function generatePodSandboxConfig(pod: Pod, attempt: number): PodSandboxConfig {
  const ports = [...(pod.spec.initContainers ?? []), ...pod.spec.containers].flatMap((c) => c.ports ?? []).filter((p) => p.hostPort);
  return {
    metadata: { name: pod.metadata.name ?? '', namespace: pod.metadata.namespace ?? '', uid: pod.metadata.uid ?? '', attempt },
    hostname: pod.spec.hostname ?? pod.metadata.name,
    logDirectory: podLogsDirectory(pod),
    labels: newPodLabels(pod),
    annotations: { ...(pod.metadata.annotations ?? {}) },
    ...(ports.length ? { portMappings: ports.map((p) => ({ protocol: p.protocol ?? 'TCP', containerPort: p.containerPort, hostPort: p.hostPort, ...(p.hostIP ? { hostIp: p.hostIP } : {}) })) } : {}),
    linux: { hostNetwork: !!pod.spec.hostNetwork },
  };
}

type EnvVar = { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string }; configMapKeyRef?: { name: string; key: string; optional?: boolean }; secretKeyRef?: { name: string; key: string; optional?: boolean } } };

/**
 * The container's environment: each `value` expanded against the variables before it; fieldRef,
 * configMapKeyRef and secretKeyRef resolved (a missing object or key is CreateContainerConfigError,
 * unless optional).
 */
// Upstream: pkg/kubelet/kubelet_pods.go (makeEnvironmentVariables)
export async function makeEnvironmentVariables(pod: Pod, container: Container, podIP: string, nodeName: string, source: EnvSource | undefined): Promise<KeyValue[]> {
  const ns = pod.metadata.namespace ?? '';
  const tmp: Record<string, string> = {};
  const out: KeyValue[] = [];
  for (const env of (container.env as EnvVar[] | undefined) ?? []) {
    let value: string | undefined;
    if (env.value !== undefined) value = expand(env.value, mappingFuncFor(tmp));
    else if (env.valueFrom?.fieldRef) {
      const fields: Record<string, string | undefined> = {
        'metadata.name': pod.metadata.name,
        'metadata.namespace': ns,
        'metadata.uid': pod.metadata.uid,
        'spec.nodeName': nodeName,
        'spec.serviceAccountName': pod.spec.serviceAccountName as string | undefined,
        'status.podIP': podIP,
        'status.hostIP': '',
      };
      value = fields[env.valueFrom.fieldRef.fieldPath] ?? '';
    } else if (env.valueFrom?.configMapKeyRef || env.valueFrom?.secretKeyRef) {
      const isCm = !!env.valueFrom.configMapKeyRef;
      const ref = (env.valueFrom.configMapKeyRef ?? env.valueFrom.secretKeyRef)!;
      const obj = isCm ? await source?.getConfigMap(ns, ref.name) : await source?.getSecret(ns, ref.name);
      if (!obj) {
        if (ref.optional) continue;
        throw new ContainerConfigError(`${isCm ? 'configmap' : 'secret'} "${ref.name}" not found`);
      }
      const v = obj.data?.[ref.key];
      if (v === undefined) {
        if (ref.optional) continue;
        throw new ContainerConfigError(`couldn't find key ${ref.key} in ${isCm ? 'ConfigMap' : 'Secret'} ${ns}/${ref.name}`);
      }
      value = isCm ? v : v; // secret data arrives decoded in this model
    }
    if (value === undefined) continue;
    tmp[env.name] = value;
  }
  for (const [name, value] of Object.entries(tmp)) out.push({ key: name, value });
  return out;
}

/**
 * The CRI ContainerConfig: metadata with the attempt (the restart count), the image, command and
 * args after `$(VAR)` expansion (absent fields stay absent so the image's ENTRYPOINT / CMD apply),
 * env, mounts, the labels and annotations the kubelet finds it by, and the log path.
 */
// Upstream: kuberuntime_container.go (generateContainerConfig)
export function generateContainerConfig(pod: Pod, container: Container, restartCount: number, _imageRef: string, envs: KeyValue[], mounts: Mount[]): ContainerConfig {
  const { command, args } = expandContainerCommandAndArgs(container, envs.map((e) => ({ name: e.key, value: e.value })));
  return {
    metadata: { name: container.name, attempt: restartCount },
    // Upstream passes the resolved ref and the user's name; the runtime reports the name back.
    image: { image: container.image ?? '' },
    ...(command ? { command } : {}),
    ...(args ? { args } : {}),
    ...(container.workingDir ? { workingDir: container.workingDir as string } : {}),
    envs,
    mounts,
    labels: newContainerLabels(container, pod),
    annotations: newContainerAnnotations(container, restartCount),
    // Upstream: kuberuntime_container.go (BuildContainerLogsDirectory): <container>/<restartCount>.log
    logPath: `${container.name}/${restartCount}.log`,
  };
}
