/**
 * kube-proxy's per-Service health check server: after pkg/proxy/healthcheck/service_health.go
 * (v1.34). For every LoadBalancer Service with externalTrafficPolicy Local, kube-proxy listens on
 * the Service's healthCheckNodePort on each node and answers how many ready endpoints of the
 * Service run on that node. Cloud load balancers probe that port to decide which nodes get traffic.
 *
 * Listening is modelled as a set of open ports; serving is a pure function of the state.
 */

/** `namespace/name` of a Service (upstream keys by types.NamespacedName). */
export type NamespacedName = string;

/** One HTTP answer of the health check handler. */
export interface ServiceHealthResponse {
  /** 200 with at least one local endpoint and a healthy proxy; 503 otherwise. */
  code: 200 | 503;
  headers: Record<string, string>;
  body: string;
}

interface HcInstance {
  port: number;
  /** Local ready endpoints of the Service on this node (distinct IPs). */
  endpoints: number;
}

/**
 * The service health server of one node. Invariant: `services` holds exactly the Services of
 * the last `syncServices`, each listening on its port; an instance's `endpoints` is the count of
 * the last `syncEndpoints` that named it, and 0 when the last one did not.
 */
export class ServiceHealthServer {
  readonly #services = new Map<NamespacedName, HcInstance>();

  /**
   * @param proxyHealthy the proxier's own health (`serviceProxyHealthy` in the answer): false once
   *   an update has waited longer than the health timeout (twice the sync period).
   */
  constructor(private proxyHealthy: () => boolean = () => true) {}

  // Upstream: service_health.go (server.SyncServices). A changed port closes and reopens; the
  // reopened instance starts again from 0 endpoints.
  syncServices(newServices: Map<NamespacedName, number> | undefined): void {
    const next = newServices ?? new Map<NamespacedName, number>();
    for (const [nsn, svc] of this.#services) {
      if (next.get(nsn) !== svc.port) this.#services.delete(nsn);
    }
    for (const [nsn, port] of next) {
      if (!this.#services.has(nsn)) this.#services.set(nsn, { port, endpoints: 0 });
    }
  }

  // Upstream: service_health.go (server.SyncEndpoints). Counts for unknown Services are dropped;
  // a Service the map leaves out has no local endpoints.
  syncEndpoints(newEndpoints: Map<NamespacedName, number> | undefined): void {
    const next = newEndpoints ?? new Map<NamespacedName, number>();
    for (const [nsn, hc] of this.#services) hc.endpoints = next.get(nsn) ?? 0;
  }

  /** The Services with a listening health check, and their ports. */
  services(): Map<NamespacedName, { port: number; endpoints: number }> {
    return new Map([...this.#services].map(([k, v]) => [k, { ...v }]));
  }

  /** The Service listening on `port`, if any. */
  serviceOnPort(port: number): NamespacedName | undefined {
    for (const [nsn, hc] of this.#services) if (hc.port === port) return nsn;
    return undefined;
  }

  // Upstream: service_health.go (hcHandler.ServeHTTP). Undefined for a closed health check
  // (upstream logs "Received request for closed healthcheck" and writes nothing).
  serve(nsn: NamespacedName): ServiceHealthResponse | undefined {
    const hc = this.#services.get(nsn);
    if (!hc) return undefined;
    const healthy = this.proxyHealthy();
    const [namespace, name] = splitName(nsn);
    return {
      code: hc.endpoints !== 0 && healthy ? 200 : 503,
      headers: { 'Content-Type': 'application/json', 'X-Content-Type-Options': 'nosniff', 'X-Load-Balancing-Endpoint-Weight': String(hc.endpoints) },
      body: serviceHealthBody(namespace, name, hc.endpoints, healthy),
    };
  }
}

/**
 * The JSON body, byte for byte: upstream dedents a tab-indented template and trims its newlines,
 * so the object is indented with tabs and has no trailing newline.
 */
export function serviceHealthBody(namespace: string, name: string, localEndpoints: number, serviceProxyHealthy: boolean): string {
  return [
    '{',
    '\t"service": {',
    `\t\t"namespace": ${JSON.stringify(namespace)},`,
    `\t\t"name": ${JSON.stringify(name)}`,
    '\t},',
    `\t"localEndpoints": ${localEndpoints},`,
    `\t"serviceProxyHealthy": ${serviceProxyHealthy}`,
    '}',
  ].join('\n');
}

function splitName(nsn: NamespacedName): [string, string] {
  const i = nsn.indexOf('/');
  return i < 0 ? ['', nsn] : [nsn.slice(0, i), nsn.slice(i + 1)];
}
