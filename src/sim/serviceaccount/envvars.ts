/**
 * The Service environment variables the kubelet gives every container: for each Service with a
 * ClusterIP, `<NAME>_SERVICE_HOST` / `_SERVICE_PORT` (and one per named port), and the Docker
 * links style `<NAME>_PORT`, `<NAME>_PORT_<port>_<PROTO>` with `_PROTO`, `_PORT`, `_ADDR`.
 * Which Services: the `kubernetes` Service of `default` always, and, when the pod's
 * `enableServiceLinks` is true (its default), every Service of the pod's namespace, taken
 * when the container starts (a Service created later is not in a running container's env).
 * Upstream: pkg/kubelet/envvars/envvars.go (FromServices, makeEnvVariableName,
 * makeLinkVariables); pkg/kubelet/kubelet_pods.go (Kubelet.getServiceEnvVarMap)
 */
import type { Pod, Service } from '../api/core/v1';
import type { EnvVar } from './types';

/** The namespace the kubelet takes master services from (`--master-service-namespace`, deprecated; default `default`). */
export const MasterServiceNamespace = 'default';
const masterServices = new Set(['kubernetes']);

const isServiceIPSet = (s: Service) => !!s.spec.clusterIP && s.spec.clusterIP !== 'None';
const envName = (s: string) => s.replace(/-/g, '_').toUpperCase();
// Go's net.JoinHostPort: brackets around an IPv6 address.
const joinHostPort = (host: string, port: number) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/** The variables for these Services, in upstream's order: per Service, host, ports, then the links. */
// Upstream: pkg/kubelet/envvars/envvars.go (FromServices)
export function fromServices(services: readonly Service[]): EnvVar[] {
  const out: EnvVar[] = [];
  for (const s of services) {
    if (!isServiceIPSet(s)) continue;
    const ports = s.spec.ports ?? [];
    const name = envName(s.metadata.name ?? '');
    out.push({ name: `${name}_SERVICE_HOST`, value: s.spec.clusterIP! });
    out.push({ name: `${name}_SERVICE_PORT`, value: String(ports[0]?.port ?? '') });
    for (const p of ports) if (p.name) out.push({ name: `${name}_SERVICE_PORT_${envName(p.name)}`, value: String(p.port) });
    out.push(...makeLinkVariables(s));
  }
  return out;
}

// Upstream: envvars.go (makeLinkVariables)
function makeLinkVariables(s: Service): EnvVar[] {
  const prefix = envName(s.metadata.name ?? '');
  const ip = s.spec.clusterIP!;
  const out: EnvVar[] = [];
  (s.spec.ports ?? []).forEach((p, i) => {
    const proto = (p.protocol ?? 'TCP').toLowerCase();
    const url = `${proto}://${joinHostPort(ip, p.port)}`;
    // Docker special-cases the first port.
    if (i === 0) out.push({ name: `${prefix}_PORT`, value: url });
    const portPrefix = `${prefix}_PORT_${p.port}_${proto.toUpperCase()}`;
    out.push({ name: portPrefix, value: url }, { name: `${portPrefix}_PROTO`, value: proto }, { name: `${portPrefix}_PORT`, value: String(p.port) }, { name: `${portPrefix}_ADDR`, value: ip });
  });
  return out;
}

/**
 * The Services a pod in `namespace` gets variables for: `kubernetes` from `default` always, the
 * namespace's own when `enableServiceLinks`; a namespace Service with a master service's name
 * wins over it.
 */
// Upstream: pkg/kubelet/kubelet_pods.go (Kubelet.getServiceEnvVarMap)
export function serviceEnvVarMap(services: readonly Service[], namespace: string, enableServiceLinks: boolean): Map<string, string> {
  const byName = new Map<string, Service>();
  for (const s of services) {
    if (!isServiceIPSet(s)) continue;
    const name = s.metadata.name ?? '';
    const ns = s.metadata.namespace ?? 'default';
    if (ns === MasterServiceNamespace && masterServices.has(name)) {
      if (!byName.has(name)) byName.set(name, s);
    } else if (ns === namespace && enableServiceLinks) byName.set(name, s);
  }
  const m = new Map<string, string>();
  for (const e of fromServices([...byName.values()])) m.set(e.name, e.value ?? '');
  return m;
}

/** The Service variables of a pod's containers (`enableServiceLinks` defaults to true), sorted by name. */
export function podServiceEnv(pod: Pod, services: readonly Service[]): EnvVar[] {
  const links = pod.spec.enableServiceLinks !== false;
  const m = serviceEnvVarMap(services, pod.metadata.namespace ?? 'default', links);
  return [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, value]) => ({ name, value }));
}
