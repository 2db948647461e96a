/**
 * What a pod of the network sees of the API server: the projected volume at
 * /var/run/secrets/kubernetes.io/serviceaccount (`cat` token, ca.crt, namespace; `ls` of the
 * directory) and the Service environment variables (`env`, `printenv`), built by the
 * serviceaccount model from the objects in the API server.
 *
 * The API server model does not run the ServiceAccount admission plugin, so a pod read from it
 * has no `kube-api-access-*` volume: this file admits a copy the way the plugin would have
 * (the volume's name drawn from a stream forked per pod UID, so it reads the same every time),
 * with the namespace's `default` account (the serviceaccounts controller's) or the one the pod
 * names, given a UID drawn the same way. `ca.crt` comes from the namespace's `kube-root-ca.crt`
 * ConfigMap when it exists, else from what the root CA publisher writes there.
 */
import type { Pod, Service } from '../api/core/v1';
import type { KubeObject } from '../core/object';
import { admitServiceAccount, apiAccessVolume, DefaultAPITokenMountPath, RootCACertConfigMapName } from '../serviceaccount/admission';
import { podServiceEnv } from '../serviceaccount/envvars';
import { projectedFiles, uuid } from '../serviceaccount/projected';
import { placeholderCAPEM } from '../serviceaccount/root_ca_publisher';
import type { ClusterNetwork } from './cluster_network';
import type { NetCommandResult } from './commands';

const ok = (stdout: string): NetCommandResult => ({ stdout, stderr: '', code: 0 });
const fail = (stderr: string): NetCommandResult => ({ stdout: '', stderr: `${stderr}\n`, code: 1 });
const pathOf = (p: string) => p.replace(/\/+$/, '');
/** The image's own variables (a Debian-based image run as root). */
const imageEnv = [['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], ['HOME', '/root']] as const;

/**
 * Answers `cat` / `ls` under the token directory and `env` / `printenv`; undefined for any
 * other command or path (podCommand goes on with its own).
 */
export async function podFileCommand(net: ClusterNetwork, pod: Pod, argv: string[]): Promise<NetCommandResult | undefined> {
  const [cmd, ...args] = argv;
  const paths = args.filter((a) => !a.startsWith('-'));
  const underMount = (p: string) => p === DefaultAPITokenMountPath || p.startsWith(`${DefaultAPITokenMountPath}/`);
  switch (cmd) {
    case 'cat': {
      if (paths.length === 0 || !paths.some((p) => underMount(pathOf(p)))) return undefined;
      const files = await podAPIFiles(net, pod);
      let out = '';
      const errs: string[] = [];
      for (const p of paths) {
        const text = files.get(pathOf(p));
        if (text === undefined) errs.push(`cat: can't open '${p}': No such file or directory`);
        else out += text;
      }
      return { stdout: out, stderr: errs.length ? `${errs.join('\n')}\n` : '', code: errs.length ? 1 : 0 };
    }
    case 'ls': {
      const dir = pathOf(paths[0] ?? '');
      if (!underMount(dir) && !DefaultAPITokenMountPath.startsWith(`${dir}/`)) return undefined;
      const files = await podAPIFiles(net, pod);
      const names = [...new Set([...files.keys()].filter((p) => p.startsWith(`${dir}/`)).map((p) => p.slice(dir.length + 1).split('/')[0]))].sort();
      if (names.length === 0) return fail(`ls: ${dir}: No such file or directory`);
      return ok(`${names.join('\n')}\n`);
    }
    case 'env':
    case 'printenv': {
      const env = await podEnv(net, pod);
      if (cmd === 'printenv' && paths.length > 0) {
        const values = paths.map((n) => env.get(n)).filter((v): v is string => v !== undefined);
        return { stdout: values.map((v) => `${v}\n`).join(''), stderr: '', code: values.length === paths.length ? 0 : 1 };
      }
      return ok([...env].map(([k, v]) => `${k}=${v}\n`).join(''));
    }
  }
  return undefined;
}

/** A container's environment: HOSTNAME, the Service variables as at the pod's start, the image's. */
export async function podEnv(net: ClusterNetwork, pod: Pod): Promise<Map<string, string>> {
  const startMs = startOf(pod, net.o.cluster.clock.now());
  const services = ((await net.client.coreV1().services('').list()).items as unknown as Service[]).filter((s) => {
    // Variables are fixed when the container starts: a Service created later is not there.
    const created = s.metadata.creationTimestamp ? Date.parse(s.metadata.creationTimestamp) : 0;
    return created <= startMs;
  });
  const env = new Map<string, string>([['HOSTNAME', pod.metadata.name ?? '']]);
  for (const e of podServiceEnv(pod, services)) env.set(e.name, e.value ?? '');
  for (const [k, v] of imageEnv) env.set(k, v);
  return env;
}

/** Absolute path -> content for the pod's token directory (empty when the pod does not mount one). */
export async function podAPIFiles(net: ClusterNetwork, pod: Pod): Promise<Map<string, string>> {
  const ns = pod.metadata.namespace ?? 'default';
  const uid = pod.metadata.uid ?? `${ns}/${pod.metadata.name}`;
  const rng = net.rng.fork(`serviceaccount/${uid}`);
  const saName = (pod.spec.serviceAccountName as string | undefined) || 'default';
  const saUID = uuid(net.rng.fork(`serviceaccount/${ns}/${saName}`));
  let admitted = pod;
  if (!apiAccessVolume(pod)?.volume) {
    admitted = admitServiceAccount(pod, { namespace: ns, serviceAccounts: [{ metadata: { name: saName, namespace: ns, uid: saUID } }], rng: rng.fork('admission') });
  }
  let rootCA: string | undefined = placeholderCAPEM();
  try {
    const cm = (await net.client.coreV1().configMaps(ns).get(RootCACertConfigMapName)) as KubeObject;
    rootCA = (cm.data as Record<string, string> | undefined)?.['ca.crt'];
  } catch {
    // No ConfigMap in the API server: the publisher does not run in this network; use what it writes.
  }
  let nodeUID: string | undefined;
  if (admitted.spec.nodeName) {
    try {
      nodeUID = ((await net.client.coreV1().nodes().get(admitted.spec.nodeName)) as KubeObject).metadata.uid;
    } catch {
      nodeUID = undefined;
    }
  }
  const now = net.o.cluster.clock.now();
  const r = projectedFiles({ pod: admitted, serviceAccountUID: saUID, nodeUID, startMs: startOf(pod, now), nowMs: now, rootCA, rng: rng.fork('tokens') });
  const out = new Map<string, string>();
  if (!r || r.error) return out;
  for (const [name, text] of r.files) out.set(`${DefaultAPITokenMountPath}/${name}`, text);
  return out;
}

/** When the kubelet started the pod (status.startTime), else its creation, else now. */
function startOf(pod: Pod, nowMs: number): number {
  const t = pod.status?.startTime ?? pod.metadata.creationTimestamp;
  const ms = t ? Date.parse(t) : NaN;
  return Number.isFinite(ms) ? ms : nowMs;
}
