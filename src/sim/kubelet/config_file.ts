/**
 * Static pods: the kubelet's file source, pkg/kubelet/config/file.go (sourceFile: listConfig,
 * extractFromDir, extractFromFile) and common.go (applyDefaults, tryDecodeSinglePod). The kubelet
 * reads every file of `staticPodPath` (kubeadm sets /etc/kubernetes/manifests) whose name does not
 * start with a dot, at start, every `fileCheckFrequency` (20 s) and on a file change (upstream's
 * inotify watch: here the host calls `notify()`), and hands the whole set to PodConfig as the
 * `file` source. It needs no API server: this is how kubeadm's control plane starts before there
 * is one.
 */
import { load } from 'js-yaml';
import type { Pod } from '../api/core/v1';
import { isDNS1123Subdomain } from '../apimachinery/validation';
import { field } from '../apimachinery/field';
import { defaultPod, defaultPodSpec, validatePodSpec } from '../apiserver/registry/kinds/common';
import type { FakeClock } from '../core/clock';
import { utf8Encode } from '../core/utf8';
import { FileSource, type PodConfig } from './config';

/** The annotations of static and mirror pods (pkg/kubelet/types/pod_update.go). */
export const ConfigMirrorAnnotationKey = 'kubernetes.io/config.mirror';
export const ConfigHashAnnotationKey = 'kubernetes.io/config.hash';

/** --file-check-frequency / fileCheckFrequency default. */
// Upstream: pkg/kubelet/apis/config/v1beta1/defaults.go (FileCheckFrequency 20 s)
export const FILE_CHECK_FREQUENCY_MS = 20_000;

/** Upstream: common.go (maxConfigLength, 10 MB): a larger manifest is not read. */
export const MAX_CONFIG_LENGTH = 10 * (1 << 20);

/** The part of the node's file system the file source reads. */
export interface ManifestFs {
  /** `file`, `dir`, or undefined when the path does not exist. */
  stat(path: string): 'file' | 'dir' | undefined;
  /** The names (not paths) in a directory. */
  readDir(path: string): string[];
  readFile(path: string): string;
}

export interface FileSourceOptions {
  fs: ManifestFs;
  /** staticPodPath: a directory or one file. */
  path: string;
  nodeName: string;
  clock: FakeClock;
  periodMs?: number;
  /** Where the source's errors go (the kubelet's journal). */
  log?: (msg: string, kv: Record<string, string>) => void;
}

/** FNV-1a, 128 bit (Go's hash/fnv New128a), as lower-case hex. */
// Upstream: Go hash/fnv (New128a)
export function fnv128a(bytes: Uint8Array): string {
  let h = 0x6c62272e07bb014262b821756295c58dn;
  const prime = 0x0000000001000000000000000000013bn;
  const mask = (1n << 128n) - 1n;
  for (const b of bytes) {
    h ^= BigInt(b);
    h = (h * prime) & mask;
  }
  return h.toString(16).padStart(32, '0');
}

/** A static pod's name is unique among nodes: the manifest's name, a dash, the node name in lower case. */
// Upstream: common.go (generatePodName)
export function generatePodName(name: string, nodeName: string): string {
  return `${name}-${nodeName.toLowerCase()}`;
}

/**
 * The defaults a static pod gets: a UID hashed from the pod and where it came from (so the same
 * file on the same node is the same pod across kubelet restarts), the node-suffixed name, the
 * `default` namespace, `spec.nodeName`, the config hash annotation, a toleration of every NoExecute
 * taint (a static pod is never evicted for a node condition) and phase Pending.
 *
 * The UID is FNV-128a like upstream's, but over the pod's JSON: upstream hashes Go's spew dump of
 * the struct (hash.DeepHashObject), which has no equivalent here, so the values differ.
 */
// Upstream: common.go (applyDefaults)
export function applyStaticPodDefaults(pod: Pod, source: string, nodeName: string): void {
  if (!pod.metadata.uid) {
    pod.metadata.uid = fnv128a(utf8Encode(`${JSON.stringify(pod)}host:${nodeName}file:${source}`));
  }
  pod.metadata.name = generatePodName(pod.metadata.name ?? '', nodeName);
  if (!pod.metadata.namespace) pod.metadata.namespace = 'default';
  pod.spec.nodeName = nodeName;
  pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), [ConfigHashAnnotationKey]: pod.metadata.uid };
  const tolerations = pod.spec.tolerations ?? [];
  if (!tolerations.some((t) => t.operator === 'Exists' && !t.key && t.effect === 'NoExecute')) {
    pod.spec.tolerations = [...tolerations, { operator: 'Exists', effect: 'NoExecute' }];
  }
  pod.status = { ...(pod.status ?? {}), phase: 'Pending' };
}

/** Go's `%v` of a field.ErrorList: the messages in brackets, separated by spaces. */
const errorList = (msgs: string[]) => `[${msgs.join(' ')}]`;

/**
 * Decodes one manifest into a static pod. `parsed` says whether the data was a Pod at all (an error
 * then is the pod's own: a missing name, a failed validation); an unparsed file gets the
 * "couldn't parse as pod" message.
 */
// Upstream: common.go (tryDecodeSinglePod), file.go (extractFromFile)
export function extractFromFile(data: string, filename: string, nodeName: string): Pod {
  let obj: unknown;
  try {
    obj = load(data);
  } catch (e) {
    throw new Error(`${filename}: couldn't parse as pod(${(e as Error).message.split('\n')[0]}), please check config file`);
  }
  const o = (obj ?? {}) as Record<string, unknown>;
  if (typeof o !== 'object' || o.kind !== 'Pod' || (o.apiVersion !== 'v1' && o.apiVersion !== undefined)) {
    const what = typeof o === 'object' && o.kind ? `Object 'Kind' is ${JSON.stringify(o.kind)}, not "Pod"` : "Object 'Kind' is missing";
    throw new Error(`${filename}: couldn't parse as pod(${what}), please check config file`);
  }
  const pod = { metadata: {}, spec: { containers: [] }, ...(o as object) } as Pod;
  if (!pod.metadata.name) throw new Error('invalid pod: name is needed for the pod');
  applyStaticPodDefaults(pod, filename, nodeName);
  const spec = pod.spec as unknown as Record<string, unknown>;
  defaultPodSpec(spec);
  defaultPod(spec);
  const errs = [
    ...isDNS1123Subdomain(pod.metadata.name ?? '').map((m) => field.invalid(field.newPath('metadata', 'name'), pod.metadata.name, m)),
    ...validatePodSpec(spec, field.newPath('spec')),
  ];
  if (errs.length) throw new Error(`invalid pod: ${errorList(errs.map((e) => e.message))}`);
  return pod;
}

/**
 * The file source: reads the path now, then every period and on `notify()`, and sends the whole
 * set of static pods to PodConfig. A missing path is an empty set (the source still counts as
 * seen); a bad file is logged and skipped, never fatal to the others.
 */
// Upstream: file.go (sourceFile, NewSourceFile, run, listConfig)
export class SourceFile {
  #timer: { stop(): void } | undefined;
  #stopped = false;

  constructor(
    private readonly o: FileSourceOptions,
    private readonly config: PodConfig,
  ) {
    config.addSource(FileSource);
  }

  run(): void {
    this.#list();
    const tick = () => {
      if (this.#stopped) return;
      this.#list();
      this.#timer = this.o.clock.afterFunc(this.o.periodMs ?? FILE_CHECK_FREQUENCY_MS, tick);
    };
    this.#timer = this.o.clock.afterFunc(this.o.periodMs ?? FILE_CHECK_FREQUENCY_MS, tick);
  }

  /** A file under the path changed (upstream's inotify event): read it all again now. */
  notify(): void {
    if (!this.#stopped) this.#list();
  }

  stop(): void {
    this.#stopped = true;
    this.#timer?.stop();
  }

  // Upstream: file.go (listConfig)
  #list(): void {
    const { fs, path, nodeName } = this.o;
    const kind = fs.stat(path);
    if (kind === undefined) {
      this.config.merge(FileSource, []);
      this.o.log?.('Unable to read config path', { path, err: 'path does not exist, ignoring' });
      return;
    }
    if (kind === 'file') {
      try {
        this.config.merge(FileSource, [extractFromFile(fs.readFile(path), path, nodeName)]);
      } catch (e) {
        this.o.log?.('Unable to read config path', { path, err: (e as Error).message });
      }
      return;
    }
    this.config.merge(FileSource, this.#extractFromDir(path));
  }

  // Upstream: file.go (extractFromDir): names not starting with a dot, sorted; no recursion.
  #extractFromDir(dir: string): Pod[] {
    const pods: Pod[] = [];
    for (const name of this.o.fs.readDir(dir).filter((n) => !n.startsWith('.')).sort()) {
      const path = `${dir.replace(/\/+$/, '')}/${name}`;
      const kind = this.o.fs.stat(path);
      if (kind === 'dir') {
        this.o.log?.('Provided manifest path is a directory, not recursing into manifest path', { path });
        continue;
      }
      if (kind !== 'file') continue;
      const data = this.o.fs.readFile(path);
      if (data.length > MAX_CONFIG_LENGTH) {
        this.o.log?.('Could not process manifest file', { path, err: `config file is larger than ${MAX_CONFIG_LENGTH} bytes` });
        continue;
      }
      try {
        pods.push(extractFromFile(data, path, this.o.nodeName));
      } catch (e) {
        this.o.log?.('Could not process manifest file', { path, err: (e as Error).message });
      }
    }
    return pods;
  }
}

/** Whether the kubelet's copy of a pod came from a source other than the API (a static pod). */
// Upstream: pkg/kubelet/types/pod_update.go (IsStaticPod)
export function isStaticPod(pod: Pod): boolean {
  const source = pod.metadata.annotations?.['kubernetes.io/config.source'];
  return source !== undefined && source !== 'api';
}

/** Whether an API pod is the mirror of a static pod. */
// Upstream: pod_update.go (IsMirrorPod)
export function isMirrorPod(pod: Pod): boolean {
  return pod.metadata.annotations?.[ConfigMirrorAnnotationKey] !== undefined;
}

/** The static pod a mirror pod stands for: same full name and the mirror's hash is the static pod's. */
// Upstream: pkg/kubelet/pod/pod_manager.go (IsMirrorPodOf)
export function isMirrorPodOf(mirror: Pod, pod: Pod): boolean {
  if (mirror.metadata.name !== pod.metadata.name || mirror.metadata.namespace !== pod.metadata.namespace) return false;
  const hash = pod.metadata.annotations?.[ConfigHashAnnotationKey];
  return hash !== undefined && mirror.metadata.annotations?.[ConfigMirrorAnnotationKey] === hash;
}
