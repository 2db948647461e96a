// A fixture for the API server tests: a clock, a trace, a server and a clientset, and `run`,
// which drives virtual time until a promise settles (throttled clients and consistent reads wait
// on the clock).
import { FakeClock, TraceRecorder, newApiServer, newClientset, rngFromSeed, runUntilSettled, type ApiServerConfig, type KubeObject, type RestRequest } from '../../src/sim/index';

export function fixture(cfg: Partial<ApiServerConfig> & { qps?: number; burst?: number } = {}) {
  const clock = cfg.clock ?? cfg.env?.clock ?? new FakeClock();
  const trace = cfg.trace ?? cfg.env?.trace ?? new TraceRecorder(1_000_000);
  const server = newApiServer({ clock, trace, rng: rngFromSeed(1), ...cfg });
  const client = newClientset(server, { trace, qps: cfg.qps ?? -1, burst: cfg.burst });
  /** Resolves `p` while moving the clock only when everything else waits. */
  const run = <T,>(p: Promise<T>, forMs = 60_000): Promise<T> => runUntilSettled(clock, p, { forMs });
  /** One request; resolves the response (errors included). */
  const req = (r: RestRequest) => run(server.request(r));
  return { clock, trace, server, client, run, req };
}

export const pod = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, ...((extra.metadata as object) ?? {}) },
  spec: { containers: [{ name: 'c', image: 'nginx:1.27' }], ...((extra.spec as object) ?? {}) },
});

export const deployment = (name: string, replicas = 1, labels: Record<string, string> = { app: name }): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } } },
});

export const statusOf = (body: unknown) => body as { kind: string; status: string; message: string; reason: string; code: number; details?: { causes?: Array<{ reason: string; message: string; field: string }>; name?: string; kind?: string; group?: string; retryAfterSeconds?: number }; metadata?: { continue?: string } };
