/**
 * The ServiceAccount admission plugin, as kube-apiserver v1.34 runs it on every pod create: it
 * names the pod's service account (`default` when none is given), refuses a pod whose account
 * does not exist, copies the account's imagePullSecrets, and — unless the pod or the account
 * opts out — mounts a projected volume `kube-api-access-<5 chars>` at
 * /var/run/secrets/kubernetes.io/serviceaccount in every container and init container: a bound
 * token, the cluster CA from the `kube-root-ca.crt` ConfigMap, and the namespace.
 * Upstream: plugin/pkg/admission/serviceaccount/admission.go (Plugin.Admit, Plugin.Validate,
 * shouldAutomount, mountServiceAccountToken, TokenVolumeSource)
 */
import type { Container, Pod, Volume } from '../api/core/v1';
import { newForbidden, newNotFound } from '../apimachinery/errors';
import { deepCopy } from '../core/object';
import type { Rng } from '../core/rng';
import { WarnOnlyBoundTokenExpirationSeconds } from './claims';
import type { ProjectedVolumeSource, ServiceAccount, VolumeMount } from './types';

/** The account a pod gets when it names none. */
export const DefaultServiceAccountName = 'default';
/** The prefix of the volume's name; the plugin adds 5 random characters after a dash. */
export const ServiceAccountVolumeName = 'kube-api-access';
/** Where every container finds token, ca.crt and namespace. */
export const DefaultAPITokenMountPath = '/var/run/secrets/kubernetes.io/serviceaccount';
export const EnforceMountableSecretsAnnotation = 'kubernetes.io/enforce-mountable-secrets';
export const PluginName = 'ServiceAccount';
/** The ConfigMap the root CA publisher keeps in every namespace (see root_ca_publisher.ts). */
export const RootCACertConfigMapName = 'kube-root-ca.crt';
/** k8s.io/api core/v1 `ProjectedVolumeSourceDefaultMode` (0644). */
export const ProjectedVolumeSourceDefaultMode = 0o644;
/** The annotation a static pod's mirror carries (kubelet types `ConfigMirrorAnnotationKey`). */
export const MirrorPodAnnotationKey = 'kubernetes.io/config.mirror';

const podsResource = { group: '', resource: 'pods' };
// The vowel-free alphabet of apimachinery util/rand, so generated names spell no words.
const alphanums = 'bcdfghjklmnpqrstvwxz2456789';

/** `names.SimpleNameGenerator.GenerateName` with the randomness injected. */
// Upstream: apiserver pkg/storage/names/generate.go (simpleNameGenerator.GenerateName)
export function generateName(base: string, rng: Rng): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += alphanums[rng.int(alphanums.length)];
  return (base.length > 58 ? base.slice(0, 58) : base) + suffix;
}

/** The volume the plugin adds: token (3607 s), ca.crt from kube-root-ca.crt, namespace from the downward API. */
// Upstream: admission.go (TokenVolumeSource)
export function tokenVolumeSource(): ProjectedVolumeSource {
  return {
    defaultMode: ProjectedVolumeSourceDefaultMode,
    sources: [
      { serviceAccountToken: { expirationSeconds: WarnOnlyBoundTokenExpirationSeconds, path: 'token' } },
      { configMap: { name: RootCACertConfigMapName, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
  };
}

/** The pod's `automountServiceAccountToken` wins, then the account's; unset on both means mount. */
// Upstream: admission.go (shouldAutomount)
export function shouldAutomount(sa: ServiceAccount, pod: Pod): boolean {
  const podPref = pod.spec.automountServiceAccountToken;
  if (typeof podPref === 'boolean') return podPref;
  if (typeof sa.automountServiceAccountToken === 'boolean') return sa.automountServiceAccountToken;
  return true;
}

export interface AdmitOptions {
  /** The request's namespace (the pod's). */
  namespace: string;
  /** The ServiceAccounts the plugin's lister holds (any namespace; matched by namespace and name). */
  serviceAccounts: readonly ServiceAccount[];
  /** Draws the volume's 5-character suffix. */
  rng: Rng;
  /** The plugin's `MountServiceAccountToken` (true in kube-apiserver). */
  mountServiceAccountToken?: boolean;
}

/**
 * Admits a pod create: returns the mutated copy, or throws 403 Forbidden with upstream's message
 * (`pods "web" is forbidden: error looking up service account shop/robot: serviceaccount "robot" not found`).
 */
// Upstream: admission.go (Plugin.Admit, then Plugin.Validate)
export function admitServiceAccount(input: Pod, o: AdmitOptions): Pod {
  const pod = deepCopy(input);
  const name = pod.metadata.name ?? '';
  if (pod.metadata.annotations?.[MirrorPodAnnotationKey] !== undefined) {
    validateMirrorPod(pod);
    return pod;
  }
  if (!pod.spec.serviceAccountName) pod.spec.serviceAccountName = DefaultServiceAccountName;
  const saName = pod.spec.serviceAccountName as string;
  const sa = o.serviceAccounts.find((s) => s.metadata.name === saName && (s.metadata.namespace ?? '') === o.namespace);
  if (!sa) {
    throw newForbidden(podsResource, name, new Error(`error looking up service account ${o.namespace}/${saName}: ${newNotFound('serviceaccount', saName).message}`));
  }
  if ((o.mountServiceAccountToken ?? true) && shouldAutomount(sa, pod)) mountServiceAccountToken(pod, o.rng);
  const pullSecrets = pod.spec.imagePullSecrets as unknown[] | undefined;
  if (!pullSecrets || pullSecrets.length === 0) pod.spec.imagePullSecrets = (sa.imagePullSecrets ?? []).map((s) => ({ name: s.name }));
  return pod;
}

/** A mirror pod (a static pod's copy in the API) may reference no account, no secret and no token. */
// Upstream: admission.go (Plugin.Validate, the mirror-pod branch)
function validateMirrorPod(pod: Pod): void {
  const forbid = (msg: string) => newForbidden(podsResource, pod.metadata.name ?? '', new Error(msg));
  if (pod.spec.serviceAccountName) throw forbid('a mirror pod may not reference service accounts');
  const volumes = pod.spec.volumes ?? [];
  if (volumes.some((v) => v.secret !== undefined)) throw forbid('a mirror pod may not reference secrets');
  if (volumes.some((v) => projectedOf(v)?.sources.some((s) => s.serviceAccountToken))) throw forbid('a mirror pod may not use ServiceAccountToken volume projections');
}

/**
 * Adds the mount to every container and init container that has nothing at the mount path yet,
 * and the volume if any container took the mount. A volume already named `kube-api-access-*`
 * is reused, so admitting twice adds nothing.
 */
// Upstream: admission.go (Plugin.mountServiceAccountToken)
function mountServiceAccountToken(pod: Pod, rng: Rng): void {
  const volumes = pod.spec.volumes ?? [];
  const existing = volumes.find((v) => v.name.startsWith(`${ServiceAccountVolumeName}-`));
  const volumeName = existing?.name ?? generateName(`${ServiceAccountVolumeName}-`, rng);
  const mount: VolumeMount = { name: volumeName, readOnly: true, mountPath: DefaultAPITokenMountPath };
  let needsTokenVolume = false;
  for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
    const mounts = (c.volumeMounts as VolumeMount[] | undefined) ?? [];
    if (mounts.some((m) => m.mountPath === DefaultAPITokenMountPath)) continue;
    (c as Container).volumeMounts = [...mounts, { ...mount }];
    needsTokenVolume = true;
  }
  if (!existing && needsTokenVolume) pod.spec.volumes = [...volumes, { name: volumeName, projected: tokenVolumeSource() }];
}

/** A volume's projected source, if it has one. */
export function projectedOf(v: Volume): ProjectedVolumeSource | undefined {
  return v.projected as ProjectedVolumeSource | undefined;
}

/** The volume a container mounts at the token path (the plugin's, or one the pod brought). */
export function apiAccessVolume(pod: Pod, container?: Container): { volume?: Volume; mount: VolumeMount } | undefined {
  const c = container ?? pod.spec.containers[0];
  const mount = ((c?.volumeMounts as VolumeMount[] | undefined) ?? []).find((m) => m.mountPath === DefaultAPITokenMountPath);
  if (!mount) return undefined;
  return { mount, volume: (pod.spec.volumes ?? []).find((v) => v.name === mount.name) };
}
