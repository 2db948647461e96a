/**
 * The canonical layout of Endpoints subsets: pkg/api/v1/endpoints/util.go (kubernetes v1.34:
 * `RepackSubsets`, `SortSubsets`, `LessEndpointAddress`). Every (address, port) pair is expanded,
 * then addresses offering the same ports are grouped into one subset; an address not ready for a
 * port stays not ready. Addresses sort by IP bytes, then pod UID. Upstream orders ports and
 * subsets by the md5 of a spew dump; the model orders them by their JSON (same grouping, a
 * possibly different order).
 */
import type { EndpointAddress, EndpointPort, EndpointSubset } from '../../api/core/v1';

const portKey = (p: EndpointPort) => JSON.stringify([p.name ?? '', p.port, p.protocol ?? '', p.appProtocol ?? null]);
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Whether `a` sorts before `b`: by IP bytes, then by the pod's UID (no reference first). */
// Upstream: pkg/api/v1/endpoints/util.go (LessEndpointAddress)
export function lessEndpointAddress(a: EndpointAddress, b: EndpointAddress): boolean {
  const c = cmp(a.ip, b.ip);
  if (c !== 0) return c < 0;
  if (!b.targetRef) return false;
  if (!a.targetRef) return true;
  return (a.targetRef.uid ?? '') < (b.targetRef.uid ?? '');
}

const byAddress = (a: EndpointAddress, b: EndpointAddress) => (lessEndpointAddress(a, b) ? -1 : lessEndpointAddress(b, a) ? 1 : 0);

// Upstream: pkg/api/v1/endpoints/util.go (RepackSubsets)
export function repackSubsets(subsets: EndpointSubset[]): EndpointSubset[] {
  // Address (by IP and pod UID) -> the first copy seen; port -> address -> ready.
  const allAddrs = new Map<string, EndpointAddress>();
  const portToAddrReady = new Map<string, { port: EndpointPort; addrs: Map<EndpointAddress, boolean> }>();
  const mapAddressByPort = (addr: EndpointAddress, port: EndpointPort, ready: boolean) => {
    const key = JSON.stringify([addr.ip, addr.targetRef?.uid ?? '']);
    let existing = allAddrs.get(key);
    if (!existing) allAddrs.set(key, (existing = { ...addr }));
    const pk = portKey(port);
    if (!portToAddrReady.has(pk)) portToAddrReady.set(pk, { port, addrs: new Map() });
    const set = portToAddrReady.get(pk)!.addrs;
    const was = set.get(existing);
    if (was === undefined || was) set.set(existing, ready);
  };
  for (const ss of subsets) {
    for (const port of ss.ports ?? []) {
      for (const a of ss.addresses ?? []) mapAddressByPort(a, port, true);
      for (const a of ss.notReadyAddresses ?? []) mapAddressByPort(a, port, false);
    }
  }
  // Group ports by the exact set of (address, ready) pairs offering them.
  const groups = new Map<string, { addrs: Map<EndpointAddress, boolean>; ports: EndpointPort[] }>();
  for (const { port, addrs } of portToAddrReady.values()) {
    const key = JSON.stringify([...addrs].map(([a, r]) => [a.ip, a.targetRef?.uid ?? '', r]).sort());
    if (!groups.has(key)) groups.set(key, { addrs, ports: [] });
    groups.get(key)!.ports.push(port);
  }
  const out: EndpointSubset[] = [];
  for (const { addrs, ports } of groups.values()) {
    const ready: EndpointAddress[] = [];
    const notReady: EndpointAddress[] = [];
    for (const [a, r] of addrs) (r ? ready : notReady).push(a);
    const ss: EndpointSubset = {};
    if (ready.length) ss.addresses = ready;
    if (notReady.length) ss.notReadyAddresses = notReady;
    ss.ports = ports;
    out.push(ss);
  }
  return sortSubsets(out);
}

// Upstream: pkg/api/v1/endpoints/util.go (SortSubsets)
export function sortSubsets(subsets: EndpointSubset[]): EndpointSubset[] {
  for (const ss of subsets) {
    ss.addresses?.sort(byAddress);
    ss.notReadyAddresses?.sort(byAddress);
    ss.ports?.sort((a, b) => cmp(portKey(a), portKey(b)));
  }
  return subsets.sort((a, b) => cmp(JSON.stringify(a), JSON.stringify(b)));
}
