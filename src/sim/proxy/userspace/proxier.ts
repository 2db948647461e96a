/**
 * The userspace proxier (kube-proxy's first mode, removed in v1.26): after
 * pkg/proxy/userspace/proxier.go (Proxier.mergeService, openPortal, openOnePortal, openNodePort,
 * claimNodePort), proxysocket.go (TryConnectEndpoints, ProxyTCP) and port_allocator.go.
 * kube-proxy listens on one port per service port; iptables only steers the Service's address
 * to that port; kube-proxy accepts the connection, dials an endpoint itself and copies the bytes
 * both ways. The model computes what one connection costs: which endpoint answered, how many
 * dials failed first, and how many bytes passed through kube-proxy.
 */
import type { Endpoints, Protocol, Service } from '../../api/core/v1';
import { LabelServiceName, type EndpointSlice } from '../../api/discovery/v1';
import type { FakeClock } from '../../core/clock';
import type { Rng } from '../../core/rng';
import { servicePortNameString, shouldSkipService } from '../serviceport';
import { newLoadBalancerRR, type LoadBalancerRR, type ServiceAffinity } from './roundrobin';
import {
  containerPortalArgs,
  hostPortalArgs,
  iptablesContainerNodePortChain,
  iptablesContainerPortalChain,
  iptablesHostNodePortChain,
  iptablesHostPortalChain,
  iptablesInitRules,
  iptablesNonLocalNodePortChain,
  nonLocalNodePortArgs,
  userspaceIPTablesSave,
  type PortalMatch,
  type UserspaceRule,
} from './rules';

/** Upstream's EndpointDialTimeouts: one dial per entry, each to the next endpoint round-robin gives. */
export const endpointDialTimeoutsMs = [250, 500, 1000, 2000];

/** Linux's default net.ipv4.ip_local_port_range, where the kernel picks a port for bind(port 0). */
const ephemeralPortRange = { base: 32768, size: 60999 - 32768 + 1 };

export interface UserspaceProxierOptions {
  services: Service[];
  /** The userspace proxier watched Endpoints (it never learned EndpointSlices). */
  endpoints?: Endpoints[];
  /** Converted to Endpoints (ready addresses only), for callers that hold slices. */
  endpointSlices?: EndpointSlice[];
  /** `--bind-address`; 0.0.0.0 (the default) makes container portals REDIRECT. */
  listenIP?: string;
  /** The node IP host portals DNAT to (upstream: utilnet.ChooseHostInterface). */
  hostIP: string;
  /** The node's addresses: a portal on one of them is also held open as a socket. */
  localAddrs?: string[];
  /** `--proxy-port-range`; empty means the kernel's ephemeral ports. */
  proxyPortRange?: { base: number; size: number };
  clock: FakeClock;
  rng: Rng;
}

export interface ServiceInfo {
  service: string;
  protocol: Protocol;
  portalIP: string;
  portalPort: number;
  /** The port kube-proxy listens on for this service port. */
  proxyPort: number;
  nodePort: number;
  externalIPs: string[];
  loadBalancerIPs: string[];
  sessionAffinityType: ServiceAffinity;
  stickyMaxAgeSeconds: number;
}

/** A socket kube-proxy holds open: a proxy port it serves, or a port it only reserves. */
export interface ProxySocket {
  ip: string;
  port: number;
  protocol: Protocol;
  owner: string;
  purpose: 'proxy' | 'claim';
}

export interface ConnectRequest {
  destIP: string;
  destPort: number;
  protocol?: Protocol;
  clientIP: string;
  /** A pod's packet enters through PREROUTING, the node's own through OUTPUT. */
  from?: 'pod' | 'node';
  requestBytes?: number;
  responseBytes?: number;
}

export interface ConnectResult {
  /** The service port whose portal matched; undefined when the packet is no Service's. */
  service?: string;
  proxyPort?: number;
  /** The endpoint that answered. */
  endpoint?: string;
  /** Every endpoint dialled, in order; all but the last failed when one answered. */
  dialed: string[];
  failedDials: number;
  /** Time spent in failed dials: each waits out its timeout. */
  dialWaitMs: number;
  /** Bytes io.Copy moved through kube-proxy, both directions. */
  bytesCopied: number;
  /** iptables rules the packet was checked against before reaching the proxy port. */
  rulesEvaluated: number;
  /** Upstream's error text; the client sees its accepted connection closed. */
  error?: string;
}

export interface UserspaceProxier {
  readonly serviceMap: ReadonlyMap<string, ServiceInfo>;
  readonly rules: readonly UserspaceRule[];
  readonly sockets: readonly ProxySocket[];
  readonly loadBalancer: LoadBalancerRR;
  /** `iptables-save -t nat` / `-t filter` after the sync, kube-proxy's argument order. */
  iptablesSave(table: 'nat' | 'filter'): string;
  /** Make an endpoint stop (or resume) answering dials: a dead pod not yet out of Endpoints. */
  setEndpointReachable(endpoint: string, reachable: boolean): void;
  connect(req: ConnectRequest): ConnectResult;
}

// Upstream: pkg/proxy/userspace/port_allocator.go (newPortAllocator, rangeAllocator.AllocateNext):
// a random free port of the range; with no range, port 0 and the kernel's choice.
function newPortAllocator(rng: Rng, range = ephemeralPortRange) {
  const used = new Set<number>();
  return () => {
    if (used.size >= range.size) throw new Error('port allocation failed; there are no remaining ports left to allocate in the accepted range');
    let port: number;
    do port = range.base + rng.int(range.size);
    while (used.has(port));
    used.add(port);
    return port;
  };
}

/** Ready addresses of each Service's slices, as the Endpoints controller would have written them. */
function endpointsFromSlices(slices: EndpointSlice[]): Endpoints[] {
  const bySvc = new Map<string, Endpoints>();
  for (const s of slices) {
    const name = s.metadata.labels?.[LabelServiceName];
    if (!name) continue;
    const ns = s.metadata.namespace ?? 'default';
    const key = `${ns}/${name}`;
    if (!bySvc.has(key)) bySvc.set(key, { metadata: { namespace: ns, name }, subsets: [] });
    bySvc.get(key)!.subsets!.push({
      addresses: (s.endpoints ?? []).filter((e) => e.conditions?.ready !== false).map((e) => ({ ip: e.addresses[0] })),
      ports: (s.ports ?? []).map((p) => ({ name: p.name ?? '', port: p.port ?? 0, protocol: p.protocol })),
    });
  }
  return [...bySvc.values()];
}

// Upstream: pkg/proxy/userspace/proxier.go (NewCustomProxier, then one syncProxyRules with every
// Service new): mergeService opens a socket and the portals for each service port.
export function newUserspaceProxier(opts: UserspaceProxierOptions): UserspaceProxier {
  const listenIP = opts.listenIP ?? '0.0.0.0';
  if (listenIP === '127.0.0.1' || listenIP === '::1') throw new Error('cannot proxy on localhost');
  const localAddrs = new Set(opts.localAddrs ?? [opts.hostIP]);
  const lb = newLoadBalancerRR({ clock: opts.clock, rng: opts.rng.fork('userspace-roundrobin') });
  const allocate = newPortAllocator(opts.rng.fork('userspace-ports'), opts.proxyPortRange?.size ? opts.proxyPortRange : undefined);
  const serviceMap = new Map<string, ServiceInfo>();
  const rules: UserspaceRule[] = iptablesInitRules();
  const sockets: ProxySocket[] = [];
  const unreachable = new Set<string>();

  const addRule = (table: 'nat' | 'filter', chain: string, args: string[], portal?: PortalMatch) => rules.push({ table, chain, args, portal });

  // Upstream: proxier.go (claimNodePort): hold the real port so nothing else takes it.
  const claim = (ip: string, port: number, protocol: Protocol, owner: string) => {
    const clash = sockets.find((s) => s.purpose === 'claim' && s.ip === ip && s.port === port && s.protocol === protocol);
    if (clash && clash.owner !== owner) throw new Error(`Port conflict detected on port ${ip}:${port}/${protocol}.  ${owner} vs ${clash.owner}`);
    if (!clash) sockets.push({ ip, port, protocol, owner, purpose: 'claim' });
  };

  // Upstream: proxier.go (openOnePortal)
  function openOnePortal(info: ServiceInfo, ip: string, isExternal: boolean) {
    const { protocol, portalPort: port, proxyPort, service } = info;
    if (localAddrs.has(ip)) claim(ip, port, protocol, service);
    const m = (notFromBridge: boolean, dstLocal: boolean): PortalMatch => ({ service, protocol, destIP: ip, destPort: port, notFromBridge, dstLocal, proxyPort });
    addRule('nat', iptablesContainerPortalChain, containerPortalArgs(ip, isExternal, false, port, protocol, listenIP, proxyPort, service), m(isExternal, false));
    if (isExternal) {
      // Traffic from the node or a local pod to an external IP that is this node's own.
      addRule('nat', iptablesContainerPortalChain, containerPortalArgs(ip, false, true, port, protocol, listenIP, proxyPort, service), m(false, true));
      addRule('nat', iptablesHostPortalChain, hostPortalArgs(ip, true, port, protocol, listenIP, proxyPort, opts.hostIP, service), m(false, true));
      return;
    }
    addRule('nat', iptablesHostPortalChain, hostPortalArgs(ip, false, port, protocol, listenIP, proxyPort, opts.hostIP, service), m(false, false));
  }

  // Upstream: proxier.go (openNodePort)
  function openNodePort(info: ServiceInfo) {
    const { protocol, nodePort, proxyPort, service } = info;
    claim('', nodePort, protocol, service);
    const m: PortalMatch = { service, protocol, destPort: nodePort, notFromBridge: false, dstLocal: false, proxyPort };
    addRule('nat', iptablesContainerNodePortChain, containerPortalArgs(undefined, false, false, nodePort, protocol, listenIP, proxyPort, service), m);
    addRule('nat', iptablesHostNodePortChain, hostPortalArgs(undefined, false, nodePort, protocol, listenIP, proxyPort, opts.hostIP, service), m);
    addRule('filter', iptablesNonLocalNodePortChain, nonLocalNodePortArgs(protocol, proxyPort, service));
  }

  // Upstream: proxier.go (Proxier.mergeService, openPortal)
  for (const svc of opts.services) {
    if (shouldSkipService(svc)) continue;
    for (const port of svc.spec.ports ?? []) {
      const service = servicePortNameString({ namespace: svc.metadata.namespace ?? 'default', name: svc.metadata.name ?? '', port: port.name ?? '' });
      const protocol = port.protocol ?? 'TCP';
      const proxyPort = allocate();
      sockets.push({ ip: listenIP, port: proxyPort, protocol, owner: service, purpose: 'proxy' });
      const affinity: ServiceAffinity = svc.spec.sessionAffinity === 'ClientIP' ? 'ClientIP' : 'None';
      const info: ServiceInfo = {
        service, protocol, proxyPort,
        portalIP: svc.spec.clusterIP ?? '',
        portalPort: port.port,
        nodePort: port.nodePort ?? 0,
        externalIPs: svc.spec.externalIPs ?? [],
        loadBalancerIPs: (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? '').filter((ip) => ip !== ''),
        sessionAffinityType: affinity,
        stickyMaxAgeSeconds: affinity === 'ClientIP' ? svc.spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800 : 0,
      };
      serviceMap.set(service, info);
      openOnePortal(info, info.portalIP, false);
      for (const ip of info.externalIPs) openOnePortal(info, ip, true);
      for (const ip of info.loadBalancerIPs) openOnePortal(info, ip, false);
      if (info.nodePort !== 0) openNodePort(info);
      lb.newService(service, info.sessionAffinityType, info.stickyMaxAgeSeconds);
    }
  }
  for (const eps of [...(opts.endpoints ?? []), ...endpointsFromSlices(opts.endpointSlices ?? [])]) lb.onEndpointsAdd(eps);

  // The packet's walk: PREROUTING (pods) or OUTPUT (the node) jumps to the portal chain, then,
  // for a local destination, to the NodePort chain. Rules are checked one by one.
  function findPortal(req: ConnectRequest, protocol: Protocol): { portal?: PortalMatch; evaluated: number } {
    const fromPod = (req.from ?? 'pod') === 'pod';
    const dstLocal = localAddrs.has(req.destIP);
    const chains = fromPod ? [iptablesContainerPortalChain, iptablesContainerNodePortChain] : [iptablesHostPortalChain, iptablesHostNodePortChain];
    let evaluated = 0;
    for (const chain of chains) {
      evaluated++; // the jump rule in PREROUTING / OUTPUT
      if (chain === chains[1] && !dstLocal) continue;
      for (const r of rules) {
        if (r.chain !== chain || !r.portal) continue;
        evaluated++;
        const p = r.portal;
        if (p.protocol !== protocol || p.destPort !== req.destPort) continue;
        if (p.destIP !== undefined && p.destIP !== req.destIP) continue;
        if (p.notFromBridge && fromPod) continue;
        if (p.dstLocal && !dstLocal) continue;
        return { portal: p, evaluated };
      }
    }
    return { evaluated };
  }

  return {
    serviceMap,
    rules,
    sockets,
    loadBalancer: lb,
    iptablesSave: (table) => userspaceIPTablesSave(rules, table),
    setEndpointReachable: (endpoint, reachable) => void (reachable ? unreachable.delete(endpoint) : unreachable.add(endpoint)),

    // Upstream: proxysocket.go (tcpProxySocket.ProxyLoop, TryConnectEndpoints, ProxyTCP)
    connect(req) {
      const protocol = req.protocol ?? 'TCP';
      const { portal, evaluated } = findPortal(req, protocol);
      const out: ConnectResult = { dialed: [], failedDials: 0, dialWaitMs: 0, bytesCopied: 0, rulesEvaluated: evaluated };
      if (!portal) return out;
      out.service = portal.service;
      out.proxyPort = portal.proxyPort;
      let sessionAffinityReset = false;
      for (const timeoutMs of endpointDialTimeoutsMs) {
        const next = lb.nextEndpoint(portal.service, req.clientIP, sessionAffinityReset);
        if (next.error !== undefined) return { ...out, error: next.error };
        out.dialed.push(next.endpoint);
        if (unreachable.has(next.endpoint)) {
          // A dead pod never answers the SYN: the dial waits out its timeout, then the next
          // endpoint gets the next (longer) timeout, and affinity no longer pins the client.
          out.failedDials++;
          out.dialWaitMs += timeoutMs;
          sessionAffinityReset = true;
          continue;
        }
        out.endpoint = next.endpoint;
        out.bytesCopied = (req.requestBytes ?? 0) + (req.responseBytes ?? 0);
        return out;
      }
      return { ...out, error: 'failed to connect to an endpoint.' };
    },
  };
}
