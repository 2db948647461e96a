/**
 * The userspace proxier's load balancer: after pkg/proxy/userspace/roundrobin.go
 * (LoadBalancerRR) as it stood before the mode was removed in v1.26. Each service port keeps a
 * shuffled endpoint list and an index; with ClientIP affinity, a client IP sticks to the endpoint
 * it got last until ttlSeconds pass without use.
 */
import type { Endpoints } from '../../api/core/v1';
import type { FakeClock } from '../../core/clock';
import type { Rng } from '../../core/rng';
import { joinHostPort } from '../util/ip';

export type ServiceAffinity = 'None' | 'ClientIP' | '';

/** Upstream's errors from NextEndpoint. */
export const ErrMissingServiceEntry = 'missing service entry';
export const ErrMissingEndpoints = 'missing endpoints';

/** v1.DefaultClientIPServiceAffinitySeconds: 3 hours. */
export const defaultClientIPServiceAffinitySeconds = 10800;

interface AffinityState {
  clientIP: string;
  endpoint: string;
  lastUsedMs: number;
}

/** Invariant: 0 <= index < endpoints.length whenever endpoints is non-empty. */
interface BalancerState {
  endpoints: string[];
  index: number;
  affinityType: ServiceAffinity;
  /** Keyed by client IP; entries older than ttlSeconds are ignored, then cleaned up. */
  affinityMap: Map<string, AffinityState>;
  ttlSeconds: number;
}

export type NextEndpointResult = { endpoint: string; error?: undefined } | { endpoint?: undefined; error: string };

export interface LoadBalancerRR {
  newService(svcPort: string, affinityType: ServiceAffinity, ttlSeconds: number): void;
  deleteService(svcPort: string): void;
  serviceHasEndpoints(svcPort: string): boolean;
  nextEndpoint(svcPort: string, clientIP: string | undefined, sessionAffinityReset: boolean): NextEndpointResult;
  onEndpointsAdd(endpoints: Endpoints): void;
  onEndpointsUpdate(oldEndpoints: Endpoints, endpoints: Endpoints): void;
  onEndpointsDelete(endpoints: Endpoints): void;
  cleanupStaleStickySessions(svcPort: string): void;
  /** The shuffled list round-robin walks (upstream's tests read lb.services[svc].endpoints). */
  endpointsOf(svcPort: string): string[];
}

// Upstream: pkg/proxy/util/endpoints.go (BuildPortsToEndpointsMap): `ip:port` per port name,
// ready addresses only, skipping invalid ones (isValidEndpoint: host set and port > 0).
export function buildPortsToEndpointsMap(endpoints: Endpoints): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const subset of endpoints.subsets ?? []) {
    for (const port of subset.ports ?? []) {
      for (const addr of subset.addresses ?? []) {
        if (!addr.ip || !(port.port > 0)) continue;
        const name = port.name ?? '';
        if (!out.has(name)) out.set(name, []);
        out.get(name)!.push(joinHostPort(addr.ip, port.port));
      }
    }
  }
  return out;
}

const portKey = (endpoints: Endpoints, portName: string) =>
  `${endpoints.metadata.namespace ?? 'default'}/${endpoints.metadata.name ?? ''}${portName ? `:${portName}` : ''}`;

// Upstream: pkg/proxy/userspace/roundrobin.go (NewLoadBalancerRR). Time for affinity comes from
// the clock; the shuffle (upstream's util.ShuffleStrings, math/rand) from the rng.
export function newLoadBalancerRR(env: { clock: FakeClock; rng: Rng }): LoadBalancerRR {
  const services = new Map<string, BalancerState>();

  // Upstream: pkg/proxy/util/utils.go (ShuffleStrings): element i goes to position perm[i].
  const shuffle = (s: string[]) => {
    const perm = s.map((_, i) => i);
    for (let i = perm.length - 1; i > 0; i--) {
      const j = env.rng.int(i + 1);
      [perm[i], perm[j]] = [perm[j], perm[i]];
    }
    const out = new Array<string>(s.length);
    s.forEach((ep, i) => (out[perm[i]] = ep));
    return out;
  };

  function newServiceInternal(svcPort: string, affinityType: ServiceAffinity, ttlSeconds: number): BalancerState {
    if (ttlSeconds === 0) ttlSeconds = defaultClientIPServiceAffinitySeconds;
    let state = services.get(svcPort);
    if (!state) {
      state = { endpoints: [], index: 0, affinityType, affinityMap: new Map(), ttlSeconds };
      services.set(svcPort, state);
    } else if (affinityType !== '') state.affinityType = affinityType;
    return state;
  }

  const isSessionAffinity = (s: BalancerState) => s.affinityType !== '' && s.affinityType !== 'None';
  const ageSeconds = (a: AffinityState) => Math.floor((env.clock.now() - a.lastUsedMs) / 1000);

  // Upstream: roundrobin.go (removeStaleAffinity, removeSessionAffinityByEndpoint)
  function removeStaleAffinity(svcPort: string, newEndpoints: string[]) {
    const state = services.get(svcPort);
    if (!state) return;
    const keep = new Set(newEndpoints);
    for (const ep of state.endpoints) {
      if (keep.has(ep)) continue;
      for (const [ip, a] of state.affinityMap) if (a.endpoint === ep) state.affinityMap.delete(ip);
    }
  }

  // Upstream: roundrobin.go (resetService): keep the entry, forget endpoints and affinity.
  function resetService(svcPort: string) {
    const state = services.get(svcPort);
    if (!state) return;
    state.endpoints = [];
    state.index = 0;
    state.affinityMap = new Map();
  }

  const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

  return {
    newService: (svcPort, affinityType, ttlSeconds) => void newServiceInternal(svcPort, affinityType, ttlSeconds),
    deleteService: (svcPort) => void services.delete(svcPort),
    serviceHasEndpoints: (svcPort) => (services.get(svcPort)?.endpoints.length ?? 0) > 0,

    // Upstream: roundrobin.go (LoadBalancerRR.NextEndpoint)
    nextEndpoint(svcPort, clientIP, sessionAffinityReset) {
      const state = services.get(svcPort);
      if (!state) return { error: ErrMissingServiceEntry };
      if (state.endpoints.length === 0) return { error: ErrMissingEndpoints };
      const sticky = isSessionAffinity(state) && clientIP !== undefined;
      if (sticky && !sessionAffinityReset) {
        const a = state.affinityMap.get(clientIP);
        if (a && ageSeconds(a) < state.ttlSeconds) {
          a.lastUsedMs = env.clock.now();
          return { endpoint: a.endpoint };
        }
      }
      const endpoint = state.endpoints[state.index];
      state.index = (state.index + 1) % state.endpoints.length;
      if (sticky) state.affinityMap.set(clientIP, { clientIP, endpoint, lastUsedMs: env.clock.now() });
      return { endpoint };
    },

    // Upstream: roundrobin.go (OnEndpointsAdd): an empty list never clears an existing entry.
    onEndpointsAdd(endpoints) {
      for (const [name, eps] of buildPortsToEndpointsMap(endpoints)) {
        const svcPort = portKey(endpoints, name);
        if (services.has(svcPort) && eps.length === 0) continue;
        const state = newServiceInternal(svcPort, '', 0);
        state.endpoints = shuffle(eps);
        state.index = 0;
      }
    },

    // Upstream: roundrobin.go (OnEndpointsUpdate): a changed set is reshuffled and the index
    // reset; ports gone from the update are reset.
    onEndpointsUpdate(oldEndpoints, endpoints) {
      const registered = new Set<string>();
      for (const [name, eps] of buildPortsToEndpointsMap(endpoints)) {
        const svcPort = portKey(endpoints, name);
        const state = services.get(svcPort);
        if (!state || !sameSet(state.endpoints, eps)) {
          removeStaleAffinity(svcPort, eps);
          const s = newServiceInternal(svcPort, '', 0);
          s.endpoints = shuffle(eps);
          s.index = 0;
        }
        registered.add(svcPort);
      }
      for (const name of buildPortsToEndpointsMap(oldEndpoints).keys()) {
        const svcPort = portKey(oldEndpoints, name);
        if (!registered.has(svcPort)) resetService(svcPort);
      }
    },

    onEndpointsDelete(endpoints) {
      for (const name of buildPortsToEndpointsMap(endpoints).keys()) resetService(portKey(endpoints, name));
    },

    // Upstream: roundrobin.go (CleanupStaleStickySessions), run at the end of every sync.
    cleanupStaleStickySessions(svcPort) {
      const state = services.get(svcPort);
      if (!state) return;
      for (const [ip, a] of state.affinityMap) if (ageSeconds(a) >= state.ttlSeconds) state.affinityMap.delete(ip);
    },

    endpointsOf: (svcPort) => [...(services.get(svcPort)?.endpoints ?? [])],
  };
}
