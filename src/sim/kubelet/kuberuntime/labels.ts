/**
 * The labels and annotations the kubelet puts on sandboxes and containers so it can find its pods
 * again from the runtime alone (after a restart it has nothing else): pkg/kubelet/kuberuntime/labels.go.
 */
import type { Container, Pod } from '../../api/core/v1';
import { canonicalJSON } from '../canonical';

export const podNameLabel = 'io.kubernetes.pod.name';
export const podNamespaceLabel = 'io.kubernetes.pod.namespace';
export const podUIDLabel = 'io.kubernetes.pod.uid';
export const containerNameLabel = 'io.kubernetes.container.name';
export const containerHashLabel = 'io.kubernetes.container.hash';
export const containerRestartCountLabel = 'io.kubernetes.container.restartCount';
export const containerTerminationMessagePathLabel = 'io.kubernetes.container.terminationMessagePath';
/** The name of a pod's sandbox in the PLEG's and crictl's listings. */
export const podInfraContainerName = 'POD';

// Upstream: labels.go (newPodLabels)
export function newPodLabels(pod: Pod): Record<string, string> {
  return {
    ...(pod.metadata.labels ?? {}),
    [podNameLabel]: pod.metadata.name ?? '',
    [podNamespaceLabel]: pod.metadata.namespace ?? '',
    [podUIDLabel]: pod.metadata.uid ?? '',
  };
}

// Upstream: labels.go (newContainerLabels)
export function newContainerLabels(container: Container, pod: Pod): Record<string, string> {
  return {
    [podNameLabel]: pod.metadata.name ?? '',
    [podNamespaceLabel]: pod.metadata.namespace ?? '',
    [podUIDLabel]: pod.metadata.uid ?? '',
    [containerNameLabel]: container.name,
  };
}

// Upstream: labels.go (newContainerAnnotations)
export function newContainerAnnotations(container: Container, restartCount: number): Record<string, string> {
  return {
    [containerHashLabel]: hashContainer(container),
    [containerRestartCountLabel]: String(restartCount),
    [containerTerminationMessagePathLabel]: (container.terminationMessagePath as string | undefined) ?? '/dev/termination-log',
  };
}

/**
 * A fingerprint of the container spec (Go: kubecontainer.HashContainer, FNV-32a over the JSON of
 * the spec). A changed spec gives another hash: the kubelet restarts the container and starts a
 * fresh crash-loop backoff.
 */
// Upstream: pkg/kubelet/container/helpers.go (HashContainer)
export function hashContainer(container: Container): string {
  const text = canonicalJSON(container);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i) & 0xff;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16);
}
