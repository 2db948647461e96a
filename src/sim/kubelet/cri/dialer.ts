/**
 * The pod network as the node sees it: what the kubelet's prober dials. A port a process listens
 * on answers; a known IP with nothing on the port refuses; an unknown IP times out. Errors are the
 * texts Go's net/http and net packages return.
 */
import type { FakeClock } from '../../core/clock';
import type { PodNetworkDialer } from './api';
import type { HttpHandler } from './process';

export interface Listener {
  handler: HttpHandler;
  containerId: string;
}

export interface DialerEnv {
  clock: FakeClock;
  /** `ip:port` -> the process listening there. */
  listeners: ReadonlyMap<string, Listener>;
  /** Whether `ip` belongs to the node or a ready sandbox (refusal rather than timeout). */
  knownIp(ip: string): boolean;
  nodeIp: string;
}

// Upstream: kubernetes pkg/probe/http/http.go (DoHTTPProbe), pkg/probe/tcp/tcp.go (DoTCPProbe); Go net/http client errors
export function newPodNetworkDialer(env: DialerEnv): PodNetworkDialer {
  const { clock } = env;
  const after = <T>(ms: number, fn: () => Promise<T>): Promise<T> => new Promise<void>((resolve) => clock.afterFunc(ms, resolve)).then(fn);
  // Probes come from the node: through the bridge, a pod sees its subnet's gateway (.1).
  const sourceIpFor = (ip: string) => (ip === env.nodeIp ? env.nodeIp : ip.replace(/\.\d+$/, '.1'));
  // The prober runs on the node: its loopback reaches what hostNetwork processes bind on all addresses.
  const local = (ip: string) => (ip === '127.0.0.1' || ip === 'localhost' ? env.nodeIp : ip);
  return {
    httpGet(dialIp, port, path, headers, timeoutMs) {
      const url = `http://${dialIp.includes(':') ? `[${dialIp}]` : dialIp}:${port}${path}`;
      const ip = local(dialIp);
      const timeout = () => Promise.reject(new Error(`Get ${JSON.stringify(url)}: context deadline exceeded (Client.Timeout exceeded while awaiting headers)`));
      const l = env.listeners.get(`${ip}:${port}`);
      if (!l) {
        if (env.knownIp(ip)) return Promise.reject(new Error(`Get ${JSON.stringify(url)}: dial tcp ${dialIp}:${port}: connect: connection refused`));
        return after(timeoutMs, timeout);
      }
      const resp = l.handler({ method: 'GET', path, headers, remoteIp: sourceIpFor(ip) });
      const delay = resp.delayMs ?? 0;
      if (delay > timeoutMs) return after(timeoutMs, timeout);
      return after(delay, () => Promise.resolve({ statusCode: resp.statusCode, body: resp.body }));
    },
    tcpConnect(dialIp, port, timeoutMs) {
      const ip = local(dialIp);
      if (env.listeners.has(`${ip}:${port}`)) return Promise.resolve();
      if (env.knownIp(ip)) return Promise.reject(new Error(`dial tcp ${dialIp}:${port}: connect: connection refused`));
      return after(timeoutMs, () => Promise.reject(new Error(`dial tcp ${dialIp}:${port}: i/o timeout`)));
    },
  };
}
