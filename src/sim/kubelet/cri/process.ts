/**
 * A process in a container: what a program (programs/*.ts) sees of the world. The runtime gives
 * it files, env, a clock, its output streams and the pod's network; the program reacts to time,
 * signals and HTTP requests and reports its CPU and memory use.
 *
 * Signals follow Linux for PID 1 of a PID namespace: a signal the process has no handler for is
 * not delivered (so `sleep 3600` as PID 1 ignores SIGTERM and dies only by SIGKILL after the
 * grace period); SIGKILL always kills. A process that is not PID 1 (an exec) dies of any signal it
 * does not handle, with exit code 128 + the signal number.
 */
import type { FakeClock } from '../../core/clock';
import type { Timer } from '../../core/loop';
import type { ContainerFs } from './fs';
import type { ImageSpec } from './images';

export type Signal = 'SIGHUP' | 'SIGINT' | 'SIGQUIT' | 'SIGKILL' | 'SIGUSR1' | 'SIGTERM' | 'SIGWINCH';

/** Linux signal numbers (x86-64). */
export const SIGNAL_NUMBERS: Record<Signal, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGUSR1: 10, SIGTERM: 15, SIGWINCH: 28 };

/** strsignal(3) texts, as programs print them. */
export const SIGNAL_TEXTS: Record<Signal, string> = { SIGHUP: 'Hangup', SIGINT: 'Interrupt', SIGQUIT: 'Quit', SIGKILL: 'Killed', SIGUSR1: 'User defined signal 1', SIGTERM: 'Terminated', SIGWINCH: 'Window changed' };

/** `SIGTERM`, `TERM` or `15` -> `SIGTERM` (undefined for a signal the model does not know). */
export function parseSignal(name: string): Signal | undefined {
  const upper = name.toUpperCase();
  const full = (upper.startsWith('SIG') ? upper : `SIG${upper}`) as Signal;
  if (full in SIGNAL_NUMBERS) return full;
  const byNumber = Object.entries(SIGNAL_NUMBERS).find(([, n]) => String(n) === name);
  return byNumber?.[0] as Signal | undefined;
}

export interface HttpRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  remoteIp: string;
}

export interface HttpResponse {
  statusCode: number;
  body: string;
  /** How long the server takes to answer (a probe with a shorter timeout fails). */
  delayMs?: number;
}

export type HttpHandler = (req: HttpRequest) => HttpResponse;

/**
 * What a machine (src/sim/machine) offers the processes of its hostNetwork pods beyond the
 * runtime: it hears their listening ports (a hostNetwork bind is a bind on the node, reachable from
 * other machines), and hooks by program name that a program calls with its parsed flags (the
 * control-plane programs' seam to the API server and etcd models).
 */
export interface NodeServices {
  onListen?(port: number, handler: HttpHandler, process: string, containerId: string): void;
  onUnlisten?(port: number, containerId: string): void;
  hooks?: Record<string, ((flags: Record<string, string>, p: Process) => unknown) | undefined>;
}

/** What the runtime provides to one process. */
export interface ProcessHost {
  readonly clock: FakeClock;
  readonly fs: ContainerFs;
  readonly env: Record<string, string>;
  readonly hostname: string;
  /** The pod's IP (the node's for a hostNetwork pod). */
  readonly ip: string;
  readonly image: ImageSpec;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Starts serving `port` on the pod IP; returns an error text when the port is taken. */
  listen(port: number, handler: HttpHandler): string | undefined;
  unlisten(port: number): void;
  /** The process's CPU or memory use changed (the runtime re-checks the memory limit). */
  usageChanged(): void;
  /** The machine's services, for a hostNetwork pod's process on a machine (undefined elsewhere). */
  readonly services?: NodeServices;
  /** Requests per second offered to the pod IP (`runtime.setOfferedLoad`). */
  offeredLoad(): number;
  /** Subscribes to changes of the offered load; returns an unsubscribe function. */
  onOfferedLoad(fn: (rps: number) => void): () => void;
}

export type Program = (p: Process) => void | Promise<void>;

/** How a process ended. */
export interface ProcessExit {
  exitCode: number;
  /** The signal that killed it, if one did. */
  signal?: Signal;
}

export class Process {
  argv: string[];
  cpuMilli = 0;
  memoryBytes = 0;
  #exit: ProcessExit | undefined;
  readonly #timers = new Set<Timer>();
  readonly #handlers = new Map<Signal, (sig: Signal) => void>();
  readonly #ports = new Set<number>();
  readonly #exitListeners: Array<(exit: ProcessExit) => void> = [];
  readonly #interrupts = new Set<() => void>();
  readonly #cleanups: Array<() => void> = [];

  constructor(
    readonly host: ProcessHost,
    argv: string[],
    /** PID 1 of the container (the main process), or an exec'd process. */
    readonly pid1: boolean,
  ) {
    this.argv = argv;
  }

  get clock(): FakeClock {
    return this.host.clock;
  }
  get exited(): ProcessExit | undefined {
    return this.#exit;
  }

  stdout(line: string): void {
    if (!this.#exit) this.host.stdout(`${line}\n`);
  }
  stderr(line: string): void {
    if (!this.#exit) this.host.stderr(`${line}\n`);
  }

  /** Runs `fn` after `ms` unless the process has exited by then. */
  after(ms: number, fn: () => void): Timer {
    const timer = this.host.clock.afterFunc(ms, () => {
      this.#timers.delete(timer);
      if (!this.#exit) fn();
    });
    this.#timers.add(timer);
    return timer;
  }

  /**
   * Waits `ms` of virtual time. Resolves `true` when the time passed, `false` when a handled
   * signal interrupted the wait (EINTR); never resolves once the process is dead.
   */
  sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const interrupt = () => {
        timer.stop();
        this.#timers.delete(timer);
        this.#interrupts.delete(interrupt);
        resolve(false);
      };
      const timer = this.after(ms, () => {
        this.#interrupts.delete(interrupt);
        resolve(true);
      });
      this.#interrupts.add(interrupt);
    });
  }

  /** Installs (or with undefined removes) a handler for `sig`; SIGKILL cannot be handled. */
  onSignal(sig: Signal, handler: ((sig: Signal) => void) | undefined): void {
    if (sig === 'SIGKILL') return;
    if (handler) this.#handlers.set(sig, handler);
    else this.#handlers.delete(sig);
  }

  /** Delivers a signal, as kill(2) from outside the container's PID namespace. */
  signal(sig: Signal): void {
    if (this.#exit) return;
    const handler = this.#handlers.get(sig);
    if (sig === 'SIGKILL' || (!handler && !this.pid1)) {
      this.#finish({ exitCode: 128 + SIGNAL_NUMBERS[sig], signal: sig });
      return;
    }
    if (!handler) return; // PID 1 without a handler: the kernel drops the signal.
    for (const interrupt of [...this.#interrupts]) interrupt();
    handler(sig);
  }

  exit(code: number): void {
    if (!this.#exit) this.#finish({ exitCode: code & 0xff });
  }

  /** Ends the process as a kill by `sig` (the OOM killer, SIGKILL). */
  kill(sig: Signal): void {
    if (!this.#exit) this.#finish({ exitCode: 128 + SIGNAL_NUMBERS[sig], signal: sig });
  }

  onExit(fn: (exit: ProcessExit) => void): void {
    if (this.#exit) fn(this.#exit);
    else this.#exitListeners.push(fn);
  }

  /** Runs `fn` when the process exits (unsubscribe hooks and the like). */
  defer(fn: () => void): void {
    this.#cleanups.push(fn);
  }

  listen(port: number, handler: HttpHandler): string | undefined {
    const err = this.host.listen(port, handler);
    if (!err) this.#ports.add(port);
    return err;
  }

  setUsage(usage: { cpuMilli?: number; memoryBytes?: number }): void {
    if (this.#exit) return;
    if (usage.cpuMilli !== undefined) this.cpuMilli = usage.cpuMilli;
    if (usage.memoryBytes !== undefined) this.memoryBytes = usage.memoryBytes;
    this.host.usageChanged();
  }

  #finish(exit: ProcessExit): void {
    this.#exit = exit;
    for (const t of this.#timers) t.stop();
    this.#timers.clear();
    this.#interrupts.clear();
    for (const port of this.#ports) this.host.unlisten(port);
    this.#ports.clear();
    for (const fn of this.#cleanups.splice(0)) fn();
    this.cpuMilli = 0;
    this.memoryBytes = 0;
    for (const fn of this.#exitListeners.splice(0)) fn(exit);
  }
}

/** The path of `argv0` in the image: as given when it has a slash, else by name on the PATH. */
export function resolveBinary(image: ImageSpec, argv0: string): string | undefined {
  if (argv0.includes('/')) return image.binaries.includes(argv0) ? argv0 : undefined;
  return image.binaries.find((b) => b.slice(b.lastIndexOf('/') + 1) === argv0);
}

/**
 * runc's error when the executable is missing, wrapped as containerd's StartContainer returns it.
 */
// Upstream: containerd internal/cri/server/container_start.go (StartContainer: NewTask), runc libcontainer
export function startErrorMessage(argv0: string): string {
  const why = argv0.includes('/') ? `exec: ${JSON.stringify(argv0)}: stat ${argv0}: no such file or directory` : `exec: ${JSON.stringify(argv0)}: executable file not found in $PATH`;
  return `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ${why}: unknown`;
}

/** runc's error when a bind mount's source is missing (the kubelet did not create the volume directory). */
// Upstream: runc libcontainer/rootfs_linux.go (mountToRootfs), wording of runc 1.1 (approximate)
export function mountErrorMessage(hostPath: string, containerPath: string): string {
  return `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: error mounting ${JSON.stringify(hostPath)} to rootfs at ${JSON.stringify(containerPath)}: stat ${hostPath}: no such file or directory: unknown`;
}
