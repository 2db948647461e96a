/**
 * The control-plane binaries of kubeadm's static pods, as programs: they parse their flags, print
 * a few of their real startup lines, listen on their ports (health endpoints only) and keep
 * running until signalled. No API server or etcd runs inside yet: each program calls the
 * machine's hook of its name (`NodeServices.hooks`, what src/sim/machine's `controlPlaneHooks`
 * fills) with its parsed flags, which is where the API server and etcd models get connected.
 */
import { klogLine } from '../../journal';
import type { HttpHandler, Process } from '../process';

/** `--name=value` flags (a bare `--flag` is "true"), as pflag parses them. */
export function parseFlags(args: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of args) {
    const m = /^--?([^=]+)(?:=(.*))?$/.exec(a);
    if (m) out[m[1]] = m[2] ?? 'true';
  }
  return out;
}

/** What a hook may hand back: something to stop when the process exits. */
interface HookResult {
  stop?(): void;
}

/** Calls the machine's hook for `name` with the flags; its result is stopped with the process. */
function callHook(p: Process, name: string, flags: Record<string, string>): void {
  const r = p.host.services?.hooks?.[name]?.(flags, p) as HookResult | undefined;
  if (r?.stop) p.defer(() => r.stop?.());
}

const ok = (paths: string[]): HttpHandler => (req) => (paths.includes(req.path.split('?')[0]) ? { statusCode: 200, body: 'ok' } : { statusCode: 404, body: '404 page not found\n' });

/** A Go program with signal.NotifyContext: SIGTERM / SIGINT end it with status 0. */
function exitOnTerm(p: Process, onTerm: () => void): void {
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    p.onSignal(sig, () => {
      onTerm();
      p.exit(0);
    });
  }
}

/** Binds each port or exits 1 with Go's bind error, as the binaries do at startup. */
function listenAll(p: Process, ports: Array<[number, HttpHandler]>, fail: (port: number) => void): boolean {
  for (const [port, handler] of ports) {
    if (p.listen(port, handler)) {
      fail(port);
      p.exit(1);
      return false;
    }
  }
  return true;
}

/** klog to stderr with pid 1 (the container's PID 1). */
function klog(p: Process, level: 'info' | 'error', source: string, msg: string, kv: Record<string, string> = {}): void {
  p.stderr(klogLine(level, p.clock.now(), 1, source, msg, kv));
}

/** klog's unstructured form (`klog.Infof`): the text as is. */
function klogf(p: Process, source: string, text: string): void {
  const line = klogLine('info', p.clock.now(), 1, source, '');
  p.stderr(`${line.slice(0, line.length - 2)}${text}`);
}

// Upstream: cmd/kube-apiserver/app/server.go (NewAPIServerCommand, Run), options.go (Complete), staging/src/k8s.io/apiserver/pkg/server/secure_serving.go
export function kubeApiserverProgram(p: Process): void {
  const flags = parseFlags(p.argv.slice(1));
  const port = Number(flags['secure-port'] ?? 6443);
  klogf(p, 'options.go:249', `external host was not specified, using ${flags['advertise-address'] ?? p.host.ip}`);
  klog(p, 'info', 'server.go:175', 'Version: v1.34.0');
  klog(p, 'info', 'server.go:177', 'Golang settings', { GOGC: '', GOMAXPROCS: '', GOTRACEBACK: '' });
  if (!listenAll(p, [[port, ok(['/livez', '/readyz', '/healthz'])]], (pt) => klog(p, 'error', 'run.go:72', 'command failed', { err: `failed to listen on 0.0.0.0:${pt}: listen tcp 0.0.0.0:${pt}: bind: address already in use` }))) return;
  klog(p, 'info', 'secure_serving.go:211', 'Serving securely on [::]:' + port);
  callHook(p, 'kube-apiserver', flags);
  exitOnTerm(p, () => klog(p, 'info', 'controller.go:128', 'Shutting down kubernetes service endpoint reconciler'));
}

/** etcd logs JSON through zap, not klog. */
function zap(p: Process, caller: string, msg: string, extra: Record<string, unknown> = {}): void {
  const ts = new Date(p.clock.now()).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z'); // allow-nondeterminism: formats the virtual time
  p.stderr(JSON.stringify({ level: 'info', ts, caller, msg, ...extra }));
}

// Upstream: etcd server/etcdmain/etcd.go (startEtcdOrProxyV2), server/embed/etcd.go (serveClients, servePeers, serveMetrics)
export function etcdProgram(p: Process): void {
  const flags = parseFlags(p.argv.slice(1));
  const name = flags.name ?? 'default';
  const portOf = (urls: string | undefined, dflt: number) => Number(/:(\d+)(?:,|$)/.exec(urls ?? '')?.[1] ?? dflt);
  const client = portOf(flags['listen-client-urls'], 2379);
  const peer = portOf(flags['listen-peer-urls'], 2380);
  const metrics = portOf(flags['listen-metrics-urls'], 2381);
  zap(p, 'etcdmain/etcd.go:64', 'Running: ', { args: p.argv });
  zap(p, 'embed/etcd.go:138', 'configuring peer listeners', { 'listen-peer-urls': [flags['listen-peer-urls'] ?? ''] });
  zap(p, 'embed/etcd.go:146', 'configuring client listeners', { 'listen-client-urls': (flags['listen-client-urls'] ?? '').split(',') });
  const health: HttpHandler = (req) => {
    const path = req.path.split('?')[0];
    if (path === '/health') return { statusCode: 200, body: '{"health":"true","reason":""}' };
    if (path === '/livez' || path === '/readyz') return { statusCode: 200, body: 'ok' };
    return { statusCode: 404, body: '404 page not found\n' };
  };
  if (!listenAll(p, [[client, health], [peer, health], [metrics, health]], (pt) => zap(p, 'etcdmain/etcd.go:204', 'listener failed', { error: `listen tcp :${pt}: bind: address already in use` }))) return;
  zap(p, 'etcdserver/server.go:2061', 'published local member to cluster through raft', { 'local-member-attributes': `{Name:${name} ClientURLs:[${flags['advertise-client-urls'] ?? ''}]}` });
  zap(p, 'embed/serve.go:275', 'serving client traffic securely', { traffic: 'grpc+http', address: `${p.host.ip}:${client}` });
  zap(p, 'etcdmain/main.go:44', 'ready to serve client requests');
  callHook(p, 'etcd', flags);
  exitOnTerm(p, () => zap(p, 'osutil/interrupt_unix.go:65', 'received signal; shutting down', { signal: 'terminated' }));
}

/** kube-controller-manager and kube-scheduler: a secure port with /healthz, leader election to come. */
function componentProgram(name: 'kube-controller-manager' | 'kube-scheduler', defaultPort: number, serving: string): (p: Process) => void {
  // Upstream: cmd/kube-controller-manager/app/controllermanager.go (Run), cmd/kube-scheduler/app/server.go (Run)
  return (p) => {
    const flags = parseFlags(p.argv.slice(1));
    const port = Number(flags['secure-port'] ?? defaultPort);
    klog(p, 'info', serving, 'Starting', { version: 'v1.34.0' });
    klog(p, 'info', serving, 'Golang settings', { GOGC: '', GOMAXPROCS: '', GOTRACEBACK: '' });
    if (!listenAll(p, [[port, ok(['/healthz', '/livez', '/readyz'])]], (pt) => klog(p, 'error', 'run.go:72', 'command failed', { err: `failed to create listener: failed to listen on 127.0.0.1:${pt}: listen tcp 127.0.0.1:${pt}: bind: address already in use` }))) return;
    klog(p, 'info', 'secure_serving.go:211', `Serving securely on 127.0.0.1:${port}`);
    if (flags['leader-elect'] === 'true') klog(p, 'info', 'leaderelection.go:257', 'attempting to acquire leader lease kube-system/' + name + '...');
    callHook(p, name, flags);
    exitOnTerm(p, () => undefined);
  };
}

export const kubeControllerManagerProgram = componentProgram('kube-controller-manager', 10257, 'controllermanager.go:193');
export const kubeSchedulerProgram = componentProgram('kube-scheduler', 10259, 'server.go:169');
