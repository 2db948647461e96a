/**
 * What every kubeadm subcommand shares: the host it runs on, the optional API client, randomness,
 * the stdout / stderr writers over the shell's io, klog warning lines and kubeadm's error exit.
 * Upstream: cmd/kubeadm/app/util/errors/handle.go (HandleError), util/error.go (exit codes)
 */
import type { Clientset } from '../../../sim/client/clientset';
import type { Rng } from '../../../sim/core/rng';
import type { TraceRecorder } from '../../../sim/core/trace';
import type { Host } from '../../../sim/host/host';
import { klogHeader } from '../../../sim/host/host';
import type { ClusterPhase } from '../../../sim/kubeadm/phases/init/data';
import type { CriService } from '../../../sim/kubeadm/preflight/runtime';
import type { ShellIO } from '../registry';

/** What the commands may use besides the host. */
export interface KubeadmOptions {
  /** Randomness for certificates and tokens (forked per run); a seed from the host's name when absent. */
  rng?: Rng;
  trace?: TraceRecorder;
  /** The CRI runtime model preflight asks (else the host's image list). */
  cri?: CriService;
  /** A client of the cluster's API server as admin.conf reaches it; undefined while none answers. */
  client?: () => Clientset | undefined;
  /** The actions of init's phases after kubelet-start (the control-plane model's). */
  clusterPhases?: Partial<Record<string, ClusterPhase>>;
  /** kubeadm's pid in klog headers. */
  pid?: number;
}

/**
 * kubeadm's exit code for every error since v1.33 (util/errors replaced util/error.go's CheckErr,
 * which exited 2 for preflight and 3 for validation errors). Upstream: util/errors/errors.go
 */
export const DefaultErrorExitCode = 1;

/** One command run: the host, options and line-buffered writers. */
export interface Ctx {
  host: Host;
  o: KubeadmOptions;
  io: ShellIO;
  stdin?: string;
  rng: Rng;
  pid: number;
  /** Text for stdout / stderr; whole lines are printed as they complete. */
  out: (text: string) => void;
  err: (text: string) => void;
  /** Prints what is left without a newline. */
  flush: () => void;
  /** A klog warning line on stderr: `W1205 10:00:00.000000    4242 reset.go:141] msg`. */
  warn: (source: string, msg: string) => void;
}

function lineWriter(emit: (line: string) => void) {
  let buf = '';
  const write = (text: string) => {
    buf += text;
    let nl = buf.indexOf('\n');
    while (nl >= 0) {
      emit(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
      nl = buf.indexOf('\n');
    }
  };
  const flush = () => {
    if (buf) emit(buf);
    buf = '';
  };
  return { write, flush };
}

export function newCtx(host: Host, o: KubeadmOptions, io: ShellIO, rng: Rng, stdin?: string): Ctx {
  const out = lineWriter((l) => io.print(l));
  const err = lineWriter((l) => io.error(l));
  const pid = o.pid ?? 4242;
  return {
    host,
    o,
    io,
    stdin,
    rng,
    pid,
    out: (t) => {
      err.flush();
      out.write(t);
    },
    err: (t) => {
      out.flush();
      err.write(t);
    },
    flush: () => {
      out.flush();
      err.flush();
    },
    warn: (source, msg) => err.write(`${klogHeader('W', host.clock.now(), pid, source)} ${msg}\n`),
  };
}

/** kubeadm's last words for an error: `error: <msg>` and the --v=5 hint; returns the exit code (1). */
// Upstream: util/errors/errors.go (HandleError, handleError, exitWithCode)
export function fail(c: Ctx, err: Error | string): number {
  c.flush();
  const msg = typeof err === 'string' ? err : err.message;
  c.io.error(`error: ${msg}\nTo see the stack trace of this error execute with --v=5 or higher`);
  return DefaultErrorExitCode;
}

/**
 * Where a YAML syntax error is, under kubeadm's message (which names only the line within the
 * document): `  --> kubeadm.yaml:5:4`, the line, a caret. The lab adds this; kubeadm does not.
 */
export function yamlPointer(text: string, pos: { file: string; line: number; column: number }): string {
  const src = text.split('\n')[pos.line - 1] ?? '';
  return `  --> ${pos.file}:${pos.line}:${pos.column}\n   | ${src}\n   | ${' '.repeat(Math.max(0, pos.column - 1))}^`;
}

/** The API server address admin.conf names, for connection errors (`10.0.0.10:6443`). */
export function adminServer(host: Host, path = '/etc/kubernetes/admin.conf'): string | undefined {
  const text = host.fs.tryReadFile(path);
  const m = text?.match(/server:\s*https:\/\/(\S+)/);
  return m?.[1];
}

/** What a Get against an API server nobody listens on returns (Go's net/http error). */
export function connectionRefused(server: string, path: string, method = 'Get'): string {
  const url = `https://${server}${path}`;
  return `${method} "${url}${url.includes('?') ? '&' : '?'}timeout=10s": dial tcp ${server}: connect: connection refused`;
}
