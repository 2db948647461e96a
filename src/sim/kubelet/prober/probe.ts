/**
 * The probe handlers: pkg/probe/{exec,http,tcp,grpc} and pkg/probe/util.go (v1.34). Each returns
 * upstream's triple (result, output, error): `output` is what the Unhealthy event quotes, `error`
 * a prober error (the worker throws such a result away). Timeouts race the runner against the
 * injected clock, so a probe that hangs fails after `timeoutSeconds` of virtual time.
 */
import type { FakeClock } from '../../core/clock';
import type { ProbeRunner } from './types';
import type { IntOrString, ProbedContainer, Probe } from './api';

// Upstream: pkg/probe/probe.go (Result)
export type ProbeOutcomeResult = 'Success' | 'Warning' | 'Failure' | 'Unknown';

export interface ProbeOutcome {
  result: ProbeOutcomeResult;
  output: string;
  /** A prober error (Go's non-nil `err`): not the container's fault. */
  error?: string;
}

/** Optional gRPC health checking; without it the health RPC is reported unimplemented. */
export interface GrpcProbeRunner extends ProbeRunner {
  grpcCheck?(ip: string, port: number, service: string, timeoutMs: number): Promise<'SERVING' | 'NOT_SERVING' | 'UNKNOWN' | 'SERVICE_UNKNOWN'>;
}

/** Output and response bodies beyond this are cut (Go: maxReadLength, maxRespBodyLength). */
export const maxReadLength = 10 * 1024;
/** The User-Agent of every HTTP probe (Go: `kube-probe/<major>.<minor>`). */
export const probeUserAgent = 'kube-probe/1.34';

const TIMED_OUT = Symbol('timed out');

/** Resolves with the runner's value, or TIMED_OUT once `ms` of virtual time passed first. */
function withTimeout<T>(clock: FakeClock, ms: number, work: Promise<T>): Promise<T | typeof TIMED_OUT> {
  return new Promise((resolve, reject) => {
    let done = false;
    const timer = clock.afterFunc(ms, () => {
      if (done) return;
      done = true;
      resolve(TIMED_OUT);
    });
    work.then(
      (v) => {
        if (done) return;
        done = true;
        timer.stop();
        resolve(v);
      },
      (e: unknown) => {
        if (done) return;
        done = true;
        timer.stop();
        reject(e);
      },
    );
  });
}

const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** A port by number or by the container's port name (a numeric string counts as a number). */
// Upstream: pkg/probe/util.go (ResolveContainerPort, findPortByName)
export function resolveContainerPort(param: IntOrString, container: ProbedContainer): { port: number; error?: string } {
  let port = -1;
  if (typeof param === 'number') port = param;
  else {
    const named = (container.ports ?? []).find((p) => p.name === param);
    if (named) port = named.containerPort;
    else if (/^[+-]?\d+$/.test(param)) port = Number(param);
    else return { port: 0, error: `strconv.Atoi: parsing ${JSON.stringify(param)}: invalid syntax` };
  }
  if (port > 0 && port < 65536) return { port };
  return { port, error: `invalid port number: ${port}` };
}

/** Go's net.JoinHostPort. */
const joinHostPort = (host: string, port: number): string => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/** The probe's URL as Go's url.URL prints it (a relative path gets its leading slash). */
// Upstream: pkg/probe/http/request.go (formatURL)
export function formatURL(scheme: string, host: string, port: number, path: string): string {
  const p = path !== '' && !path.startsWith('/') ? `/${path}` : path;
  return `${scheme}://${joinHostPort(host, port)}${p}`;
}

/** The URL and headers of an httpGet probe, or the error that keeps it from being built. */
// Upstream: pkg/probe/http/request.go (NewRequestForHTTPGetAction, newProbeRequest)
export function newRequestForHTTPGetAction(action: NonNullable<Probe['httpGet']>, container: ProbedContainer, podIP: string): { url: string; host: string; port: number; path: string; headers: Record<string, string> } | { error: string } {
  const scheme = (action.scheme ?? 'HTTP').toLowerCase() || 'http';
  const host = action.host || podIP;
  const { port, error } = resolveContainerPort(action.port, container);
  if (error) return { error };
  const path = action.path ?? '';
  const headers: Record<string, string> = {};
  for (const h of action.httpHeaders ?? []) headers[h.name] = h.value;
  if (!Object.keys(headers).some((k) => k.toLowerCase() === 'user-agent')) headers['User-Agent'] = probeUserAgent;
  if (!Object.keys(headers).some((k) => k.toLowerCase() === 'accept')) headers['Accept'] = '*/*';
  return { url: formatURL(scheme, host, port, path), host, port, path, headers };
}

/** 2xx succeeds, 3xx (a redirect the client did not follow) warns, anything else fails; transport errors fail. */
// Upstream: pkg/probe/http/http.go (DoHTTPProbe)
export async function doHTTPProbe(clock: FakeClock, runner: ProbeRunner, req: { url: string; host: string; port: number; path: string; headers: Record<string, string> }, timeoutMs: number): Promise<ProbeOutcome> {
  let res;
  try {
    res = await withTimeout(clock, timeoutMs, runner.httpGet(req.host, req.port, req.path, req.headers, timeoutMs));
  } catch (e) {
    // Go: client.Do's *url.Error prints the method and the quoted URL before the cause.
    return { result: 'Failure', output: `Get ${JSON.stringify(req.url)}: ${errText(e)}` };
  }
  if (res === TIMED_OUT) return { result: 'Failure', output: `Get ${JSON.stringify(req.url)}: context deadline exceeded (Client.Timeout exceeded while awaiting headers)` };
  const body = res.body.slice(0, maxReadLength);
  if (res.statusCode >= 200 && res.statusCode < 400) {
    if (res.statusCode >= 300) return { result: 'Warning', output: `Probe terminated redirects, Response body: ${body}` };
    return { result: 'Success', output: body };
  }
  // Upstream keeps the body out of this text on purpose (kubernetes#99425).
  return { result: 'Failure', output: `HTTP probe failed with statuscode: ${res.statusCode}` };
}

/** Success once a connection opens; the dial error is the output otherwise. */
// Upstream: pkg/probe/tcp/tcp.go (DoTCPProbe)
export async function doTCPProbe(clock: FakeClock, runner: ProbeRunner, host: string, port: number, timeoutMs: number): Promise<ProbeOutcome> {
  try {
    const r = await withTimeout(clock, timeoutMs, runner.tcpConnect(host, port, timeoutMs));
    if (r === TIMED_OUT) return { result: 'Failure', output: `dial tcp ${joinHostPort(host, port)}: i/o timeout` };
    return { result: 'Success', output: '' };
  } catch (e) {
    return { result: 'Failure', output: errText(e) };
  }
}

/** Exit code 0 succeeds; a timeout fails with `command "..." timed out` (ExecProbeTimeout, GA); a runtime error is Unknown. */
// Upstream: pkg/probe/exec/exec.go (Probe), pkg/kubelet/cri/remote/remote_runtime.go (ExecSync's timeout error)
export async function doExecProbe(clock: FakeClock, runner: ProbeRunner, containerId: string, command: string[], timeoutSeconds: number): Promise<ProbeOutcome> {
  let r;
  try {
    r = await withTimeout(clock, timeoutSeconds * 1000, runner.exec(containerId, command, timeoutSeconds));
  } catch (e) {
    return { result: 'Unknown', output: '', error: errText(e) };
  }
  if (r === TIMED_OUT) return { result: 'Failure', output: `command ${JSON.stringify(command.join(' '))} timed out` };
  const output = (r.stdout + r.stderr).slice(0, maxReadLength);
  return { result: r.exitCode === 0 ? 'Success' : 'Failure', output };
}

/** Connects, then asks grpc.health.v1.Health/Check; a runner without `grpcCheck` answers Unimplemented. */
// Upstream: pkg/probe/grpc/grpc.go (grpcProber.Probe)
export async function doGRPCProbe(clock: FakeClock, runner: GrpcProbeRunner, host: string, port: number, service: string, timeoutSeconds: number): Promise<ProbeOutcome> {
  const addr = joinHostPort(host, port);
  const timeoutMs = timeoutSeconds * 1000;
  // Go dials with WithBlock: a refused connection is retried until the deadline.
  let connected: unknown;
  try {
    connected = await withTimeout(clock, timeoutMs, runner.tcpConnect(host, port, timeoutMs));
  } catch {
    connected = TIMED_OUT;
  }
  if (connected === TIMED_OUT) return { result: 'Failure', output: `timeout: failed to connect service ${JSON.stringify(addr)} within ${timeoutSeconds}s: context deadline exceeded` };
  if (!runner.grpcCheck) return { result: 'Failure', output: 'this server does not implement the grpc health protocol (grpc.health.v1.Health): unknown service grpc.health.v1.Health' };
  const status = await withTimeout(clock, timeoutMs, runner.grpcCheck(host, port, service, timeoutMs));
  if (status === TIMED_OUT) return { result: 'Failure', output: `timeout: health rpc did not complete within ${timeoutSeconds}s` };
  if (status !== 'SERVING') return { result: 'Failure', output: `service unhealthy (responded with ${JSON.stringify(status)})` };
  return { result: 'Success', output: 'service healthy' };
}
