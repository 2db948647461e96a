/**
 * The network machines share: who listens at `ip:port`. A process binding a port on a machine (a
 * hostNetwork static pod, kube-apiserver on 6443) is published here; a client on any machine dials
 * `ip:port` and reaches it, or gets Go's dial errors: `connect: connection refused` from a machine
 * with nothing on the port, `i/o timeout` from an address no machine has. A listener answers HTTP
 * (`http`: the health endpoints) and, once an API server model is connected, the Kubernetes API
 * (`api`: a RestTransport).
 */
import { ConnectionRefusedError } from '../cache/reflector';
import type { RestTransport } from '../client/transport';
import type { HttpHandler } from '../kubelet/cri/process';

export interface NetTarget {
  /** The process name (`kube-apiserver`), for `ss -ltnp` and the trace. */
  process: string;
  http?: HttpHandler;
  /** The Kubernetes API served at this address (the API server model), when connected. */
  api?: RestTransport;
}

/** Go's dial error when no one is at the address (`net.OpError` with ETIMEDOUT). */
export class DialTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(message: string) {
    super(message);
    this.name = 'DialTimeoutError';
  }
}

export class Network {
  readonly #bound = new Map<string, NetTarget>();
  readonly #hosts = new Set<string>();

  /** A machine's address joins the network (dialing it refuses rather than times out). */
  attach(ip: string): void {
    this.#hosts.add(ip);
  }

  /** Binds `ip:port`; a taken address fails as Go's net.Listen does. Returns the close function. */
  listen(ip: string, port: number, target: NetTarget): () => void {
    const key = `${ip}:${port}`;
    if (this.#bound.has(key)) throw new Error(`listen tcp ${key}: bind: address already in use`);
    this.#bound.set(key, target);
    return () => this.close(ip, port, target);
  }

  /** Closes `ip:port` (only the given target's bind, when one is given). */
  close(ip: string, port: number, target?: NetTarget): void {
    const key = `${ip}:${port}`;
    if (!target || this.#bound.get(key) === target) this.#bound.delete(key);
  }

  /** What listens at `ip:port`, or Go's dial error (`dial tcp ip:port: connect: connection refused`). */
  // Upstream: Go net/dial.go (Dialer.DialContext) error texts, as client-go wraps them
  dial(ip: string, port: number): NetTarget {
    const target = this.#bound.get(`${ip}:${port}`);
    if (target) return target;
    if (this.#hosts.has(ip)) throw new ConnectionRefusedError(`dial tcp ${ip}:${port}: connect: connection refused`);
    throw new DialTimeoutError(`dial tcp ${ip}:${port}: i/o timeout`);
  }

  /** The bound addresses, sorted (`ip:port` -> process). */
  listeners(): Array<{ address: string; process: string; api: boolean }> {
    return [...this.#bound].map(([address, t]) => ({ address, process: t.process, api: !!t.api })).sort((a, b) => a.address.localeCompare(b.address, 'en', { numeric: true }));
  }
}

export function newNetwork(): Network {
  return new Network();
}
