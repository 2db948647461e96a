/**
 * The records CoreDNS's kubernetes plugin serves, over plain Service, EndpointSlice and Pod
 * objects (upstream reads them through informers into the same shapes).
 * Upstream: coredns v1.12.1 plugin/kubernetes/kubernetes.go (Records, findPods, findServices,
 * endpointHostname, Services), reverse.go (serviceRecordForIP), ns.go (isDefaultNS),
 * object/service.go (ToService, Headless), object/endpoint.go (EndpointSliceToEndpoints).
 */
import type { Service as K8sService } from '../../api/core/v1';
import type { EndpointSlice } from '../../api/discovery/v1';
import { LabelServiceName } from '../../api/discovery/v1';
import { isIP, isIPv4, isIPv6, splitDomainName, type QType } from '../message';
import { errInvalidRequest, errNoItems, errNsNotExposed, parseRequest, Pod, Svc, trimZone, type RecordRequest } from './parse';

/** A record before it becomes an RR (Go: `msg.Service`): an IP, or a name for a CNAME. */
export interface BackendService {
  host: string;
  port: number;
  ttl: number;
  /** The owner name this entry stands for (Go: `msg.Domain(Key)`), used as the SRV target. */
  domain: string;
  text?: string;
}

/** Upstream: object/service.go (Service) */
interface SvcObj {
  name: string;
  namespace: string;
  clusterIPs: string[];
  type: string;
  externalName: string;
  ports: { name: string; port: number; protocol: string }[];
}

/** Upstream: object/endpoint.go (Endpoints, EndpointAddress, EndpointPort) */
interface EpObj {
  namespace: string;
  /** `<service>.<namespace>`. */
  index: string;
  addresses: { ip: string; hostname: string; targetRefName: string }[];
  ports: { name: string; port: number; protocol: string }[];
}

export interface KubernetesPluginOptions {
  services?: K8sService[];
  endpointSlices?: EndpointSlice[];
  /** Namespaces that exist; omitted: the namespaces of the objects plus the four kubeadm creates. */
  namespaces?: string[];
  /** `ttl` in the Corefile; kubeadm writes 30 (the plugin's default is 5). */
  ttl?: number;
  /** `pods disabled|insecure` (kubeadm: insecure). `verified` needs `pods` and is not modelled. */
  podMode?: 'disabled' | 'insecure';
  /** `endpoint_pod_names`: endpoints without a hostname are named after their pod. */
  endpointNameMode?: boolean;
  /**
   * The CoreDNS pod's own IPs (upstream: the addresses it binds). When a Service's endpoints hold
   * one (kube-dns), NS answers name that Service; otherwise `ns.dns.<zone>` with these IPs.
   */
  localIPs?: string[];
}

export const DNSSchemaVersion = '1.1.0';
const defaultNSName = 'ns.dns.';

/** Upstream: kubernetes.go (Kubernetes) — the lookups, without the handler. */
export class KubernetesBackend {
  readonly ttl: number;
  readonly podMode: 'disabled' | 'insecure';
  readonly endpointNameMode: boolean;
  readonly localIPs: string[];
  private readonly services: SvcObj[];
  private readonly endpoints: EpObj[];
  private readonly namespaces: Set<string>;

  constructor(opts: KubernetesPluginOptions = {}) {
    this.ttl = opts.ttl ?? 30;
    this.podMode = opts.podMode ?? 'insecure';
    this.endpointNameMode = opts.endpointNameMode ?? false;
    this.localIPs = opts.localIPs ?? [];
    this.services = (opts.services ?? []).map(toService);
    this.endpoints = (opts.endpointSlices ?? []).map(endpointSliceToEndpoints);
    this.namespaces = new Set(
      opts.namespaces ?? ['default', 'kube-system', 'kube-public', 'kube-node-lease', ...this.services.map((s) => s.namespace), ...this.endpoints.map((e) => e.namespace)],
    );
  }

  /** Upstream: namespace.go (namespaceExposed): no `namespaces` filter here, so it must exist. */
  namespaceExposed(namespace: string): boolean {
    return this.namespaces.has(namespace);
  }

  /** Upstream: kubernetes.go (Kubernetes.Records) */
  records(name: string, zone: string): BackendService[] {
    const r = parseRequest(name, zone);
    if (r.podOrSvc === '') return [];
    if (name.endsWith('.in-addr.arpa.') || name.endsWith('.ip6.arpa.')) throw errNoItems;
    if (!this.namespaceExposed(r.namespace)) throw errNsNotExposed;
    if (r.podOrSvc === Pod) return this.findPods(r, zone);
    return this.findServices(r, zone);
  }

  /** `pods insecure`: any `a-b-c-d` under an existing namespace answers that IP. Upstream: kubernetes.go (findPods) */
  findPods(r: RecordRequest, zone: string): BackendService[] {
    if (this.podMode === 'disabled') throw errNoItems;
    if (!this.namespaceExposed(r.namespace)) throw errNoItems;
    const podname = r.service;
    if (podname === '') return [];
    const dashes = podname.split('-').length - 1;
    const ip = dashes === 3 && !podname.includes('--') ? podname.replaceAll('-', '.') : podname.replaceAll('-', ':');
    if (!isIP(ip)) throw errNoItems;
    return [{ host: ip, port: 0, ttl: this.ttl, domain: `${podname}.${r.namespace}.${Pod}.${zone}` }];
  }

  /** Upstream: kubernetes.go (findServices) */
  findServices(r: RecordRequest, zone: string): BackendService[] {
    if (!this.namespaceExposed(r.namespace)) throw errNoItems;
    if (r.service === '') return [];
    let found = false;
    const out: BackendService[] = [];
    const idx = `${r.service}.${r.namespace}`;
    for (const svc of this.services) {
      if (`${svc.name}.${svc.namespace}` !== idx) continue;
      const svcDomain = `${svc.name}.${svc.namespace}.${Svc}.${zone}`;
      if (svc.type === 'ExternalName') {
        if (r.endpoint !== '' || r.port !== '' || r.protocol !== '') continue;
        // An IP in externalName is not a CNAME target, so the service answers nothing.
        if (!isIP(svc.externalName)) {
          out.push({ host: svc.externalName, port: 0, ttl: this.ttl, domain: svcDomain });
          found = true;
        }
        continue;
      }
      if (svc.clusterIPs[0] === 'None' || r.endpoint !== '') {
        for (const ep of this.endpoints) {
          if (ep.index !== `${svc.name}.${svc.namespace}`) continue;
          for (const addr of ep.addresses) {
            const host = endpointHostname(addr, this.endpointNameMode);
            if (r.endpoint !== '' && r.endpoint !== host.toLowerCase()) continue;
            for (const p of ep.ports) {
              if (!matchPortAndProtocol(r.port, p.name, r.protocol, p.protocol)) continue;
              out.push({ host: addr.ip, port: p.port, ttl: this.ttl, domain: `${host}.${svcDomain}` });
              found = true;
            }
          }
        }
        continue;
      }
      for (const p of svc.ports) {
        if (!matchPortAndProtocol(r.port, p.name, r.protocol, p.protocol)) continue;
        found = true;
        for (const ip of svc.clusterIPs) out.push({ host: ip, port: p.port, ttl: this.ttl, domain: svcDomain });
      }
    }
    if (!found) throw errNoItems;
    return out;
  }

  /**
   * The entries for a query of type `qtype`: `dns-version` TXT, `ns.dns.<zone>`, else Records
   * (SRV drops CNAME entries). Upstream: kubernetes.go (Kubernetes.Services)
   */
  lookup(name: string, zone: string, qtype: QType): BackendService[] {
    if (qtype === 'TXT') {
      const segs = splitDomainName(trimZone(name, zone));
      if (segs.length === 1 && segs[0] === 'dns-version') return [{ host: '', port: 0, ttl: 28800, domain: name, text: DNSSchemaVersion }];
      let services: BackendService[] = [];
      try {
        services = this.records(name, zone);
      } catch {
        services = [];
      }
      if (services.length > 0) return [];
      throw errNoItems;
    }
    if (qtype === 'NS') return this.nsAddrs(zone);
    if (name.startsWith(defaultNSName) && name.slice(defaultNSName.length) === zone) {
      return this.nsAddrs(zone)
        .filter((ns) => (qtype === 'A' ? isIPv4(ns.host) : qtype === 'AAAA' && isIPv6(ns.host)))
        .map((ns) => ({ ...ns, domain: name }));
    }
    const s = this.records(name, zone);
    if (qtype !== 'SRV') return s;
    return s.filter((x) => isIP(x.host));
  }

  /**
   * The name servers of the zone: the Service whose endpoints hold a local IP (its cluster IPs,
   * or each endpoint for a headless one), else `ns.dns.<zone>` at the local IPs.
   * Upstream: ns.go (Kubernetes.nsAddrs), internal names only
   */
  nsAddrs(zone: string): BackendService[] {
    const out: BackendService[] = [];
    let foundEndpoint = false;
    for (const localIP of this.localIPs) {
      for (const ep of this.endpoints.filter((e) => e.addresses.some((a) => a.ip === localIP))) {
        foundEndpoint = true;
        for (const svc of this.services.filter((x) => `${x.name}.${x.namespace}` === ep.index)) {
          const svcName = `${svc.name}.${svc.namespace}.${Svc}.${zone}`;
          if (svc.clusterIPs[0] === 'None') {
            for (const a of ep.addresses) out.push({ host: a.ip, port: 0, ttl: this.ttl, domain: `${endpointHostname(a, this.endpointNameMode)}.${svcName}` });
          } else {
            for (const ip of svc.clusterIPs) out.push({ host: ip, port: 0, ttl: this.ttl, domain: svcName });
          }
        }
      }
    }
    if (!foundEndpoint) return this.localIPs.map((ip) => ({ host: ip, port: 0, ttl: this.ttl, domain: `${defaultNSName}${zone}` }));
    return out;
  }

  /**
   * PTR: a Service's cluster IP names the service; an endpoint IP names
   * `<hostname>.<service>.<ns>.svc.<zone>`. Upstream: reverse.go (Reverse, serviceRecordForIP)
   */
  reverse(ip: string, primaryZone: string): BackendService[] {
    for (const svc of this.services) {
      if (svc.clusterIPs.includes(ip)) return [{ host: `${svc.name}.${svc.namespace}.${Svc}.${primaryZone}`, port: 0, ttl: this.ttl, domain: '' }];
    }
    const out: BackendService[] = [];
    for (const ep of this.endpoints) {
      for (const addr of ep.addresses) {
        if (addr.ip === ip) out.push({ host: `${endpointHostname(addr, this.endpointNameMode)}.${ep.index}.${Svc}.${primaryZone}`, port: 0, ttl: this.ttl, domain: '' });
      }
    }
    return out;
  }
}

/** Upstream: kubernetes.go (endpointHostname) */
export function endpointHostname(addr: { ip: string; hostname: string; targetRefName: string }, endpointNameMode: boolean): string {
  if (addr.hostname !== '') return addr.hostname;
  if (endpointNameMode && addr.targetRefName !== '') return addr.targetRefName;
  if (addr.ip.includes('.')) return addr.ip.replaceAll('.', '-');
  if (addr.ip.includes(':')) return addr.ip.replaceAll(':', '-');
  return '';
}

/** An empty request port or protocol matches any. Upstream: kubernetes.go (matchPortAndProtocol) */
function matchPortAndProtocol(aPort: string, bPort: string, aProtocol: string, bProtocol: string): boolean {
  return (aPort.toLowerCase() === bPort.toLowerCase() || aPort === '') && (aProtocol.toLowerCase() === bProtocol.toLowerCase() || aProtocol === '');
}

/** Upstream: object/service.go (ToService) */
function toService(svc: K8sService): SvcObj {
  const clusterIPs = svc.spec.clusterIPs && svc.spec.clusterIPs.length > 0 ? [...svc.spec.clusterIPs] : [svc.spec.clusterIP ?? ''];
  const ports = svc.spec.ports && svc.spec.ports.length > 0 ? svc.spec.ports.map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' })) : [{ name: '', port: -1, protocol: '' }];
  return { name: svc.metadata.name ?? '', namespace: svc.metadata.namespace ?? '', clusterIPs, type: svc.spec.type ?? 'ClusterIP', externalName: svc.spec.externalName ?? '', ports };
}

/**
 * Only ready endpoints (a missing `ready` counts as ready); a slice without ports gets port -1.
 * Upstream: object/endpoint.go (EndpointSliceToEndpoints, endpointsliceReady)
 */
function endpointSliceToEndpoints(slice: EndpointSlice): EpObj {
  const namespace = slice.metadata.namespace ?? '';
  const ports = slice.ports && slice.ports.length > 0 ? slice.ports.map((p) => ({ name: p.name ?? '', port: p.port ?? -1, protocol: p.protocol ?? 'TCP' })) : [{ name: '', port: -1, protocol: '' }];
  const addresses: EpObj['addresses'] = [];
  for (const end of slice.endpoints ?? []) {
    if (end.conditions?.ready === false) continue;
    const targetRefName = end.targetRef?.name && end.targetRef.name.length < 64 ? end.targetRef.name : '';
    for (const a of end.addresses) addresses.push({ ip: a, hostname: end.hostname ?? '', targetRefName });
  }
  return { namespace, index: `${slice.metadata.labels?.[LabelServiceName] ?? ''}.${namespace}`, addresses, ports };
}

export { errInvalidRequest };
