/**
 * Sets of endpoints and groups of ports: k8s.io/endpointslice util/endpointset.go and
 * util/controller_utils.go at v0.34.0 (`EndpointSet`, `hashEndpoint`, `NewPortMapKey`,
 * `EndpointsEqualBeyondHash`).
 *
 * Upstream hashes with md5 over a spew dump and iterates Go maps (random order); the model keys
 * by the same fields in JSON and keeps insertion order, so `popAny` hands out endpoints in the
 * order the pods were listed: the same run gives the same slices.
 */
import type { Endpoint, EndpointPort } from '../../api/discovery/v1';

/**
 * An endpoint's identity: its sorted addresses, hostname and pod. Conditions, node and zone are
 * left out so a change to them updates the endpoint in place. Sorts `addresses` in place, as upstream.
 */
// Upstream: endpointslice util/endpointset.go (hashEndpoint)
export function hashEndpoint(ep: Endpoint): string {
  ep.addresses.sort();
  return JSON.stringify([ep.addresses, ep.hostname ?? '', ep.targetRef?.namespace ?? '', ep.targetRef?.name ?? '']);
}

/** The identity of an endpoint held in a cached object, which must not be changed. */
function hashOf(ep: Endpoint): string {
  return JSON.stringify([[...ep.addresses].sort(), ep.hostname ?? '', ep.targetRef?.namespace ?? '', ep.targetRef?.name ?? '']);
}

// Upstream: endpointslice util/endpointset.go (EndpointSet)
export class EndpointSet {
  readonly #m = new Map<string, Endpoint>();

  /** Adds the endpoint (sorting its addresses, as upstream's hash does). */
  insert(ep: Endpoint): this {
    this.#m.set(hashEndpoint(ep), ep);
    return this;
  }
  delete(ep: Endpoint): this {
    this.#m.delete(hashOf(ep));
    return this;
  }
  has(ep: Endpoint): boolean {
    return this.#m.has(hashOf(ep));
  }
  /** The member with the same identity as `ep`, if any. */
  get(ep: Endpoint): Endpoint | undefined {
    return this.#m.get(hashOf(ep));
  }
  /** Removes and returns one member: the earliest inserted (Go: any). */
  popAny(): Endpoint | undefined {
    const first = this.#m.entries().next();
    if (first.done) return undefined;
    this.#m.delete(first.value[0]);
    return first.value[1];
  }
  unsortedList(): Endpoint[] {
    return [...this.#m.values()];
  }
  len(): number {
    return this.#m.size;
  }
}

const portKey = (p: EndpointPort) => JSON.stringify([p.name ?? null, p.port ?? null, p.protocol ?? null, p.appProtocol ?? null]);

/**
 * The key of a group of ports (endpoints with the same ports share slices). Sorts `ports` in
 * place, as upstream; upstream sorts by each port's md5, the model by the port's fields.
 */
// Upstream: endpointslice util/controller_utils.go (NewPortMapKey, portsInOrder)
export function newPortMapKey(ports: EndpointPort[]): string {
  ports.sort((a, b) => (portKey(a) < portKey(b) ? -1 : portKey(a) > portKey(b) ? 1 : 0));
  return JSON.stringify(ports.map(portKey));
}

/** The key of ports held in a cached object, which must not be changed. */
export function portMapKeyOf(ports: EndpointPort[] | undefined): string {
  return newPortMapKey([...(ports ?? [])]);
}

/**
 * Whether two endpoints with the same identity agree on everything else the controller writes:
 * node, zone, the three conditions, and the pod reference (its resourceVersion aside).
 */
// Upstream: endpointslice util/controller_utils.go (EndpointsEqualBeyondHash)
export function endpointsEqualBeyondHash(a: Endpoint, b: Endpoint): boolean {
  if ((a.nodeName ?? null) !== (b.nodeName ?? null)) return false;
  if ((a.zone ?? null) !== (b.zone ?? null)) return false;
  const ca = a.conditions ?? {};
  const cb = b.conditions ?? {};
  if ((ca.ready ?? null) !== (cb.ready ?? null)) return false;
  if ((ca.serving ?? null) !== (cb.serving ?? null)) return false;
  if ((ca.terminating ?? null) !== (cb.terminating ?? null)) return false;
  const ref = (e: Endpoint) => (e.targetRef ? JSON.stringify([e.targetRef.kind ?? '', e.targetRef.namespace ?? '', e.targetRef.name ?? '', e.targetRef.uid ?? '', (e.targetRef as { apiVersion?: string }).apiVersion ?? '', (e.targetRef as { fieldPath?: string }).fieldPath ?? '']) : null);
  return ref(a) === ref(b);
}
