/**
 * A deterministic Linux machine a kubeadm and a kubelet can run on: a file system, systemd units,
 * the machine facts kubeadm's preflight reads (CPUs, memory as sysinfo reports it, swap, kernel
 * release, cgroup version, listening TCP ports, sysctls, loaded modules, executables in $PATH),
 * containerd's image store, and a journal. Everything is plain data under `state`; time is the
 * injected clock (the kubelet's crash loop restarts on it), and events go to the environment's
 * trace.
 *
 * A fresh host is a Debian 12 node right after the container runtime and the Kubernetes packages
 * were installed: containerd runs, the kubelet is enabled and restarts every 10 s because
 * /var/lib/kubelet/config.yaml does not exist yet, /etc/kubernetes/manifests is empty, swap is as
 * asked, and net.ipv4.ip_forward is 0 unless asked otherwise (Debian's default).
 */
import type { FakeClock } from '../core/clock';
import { EventEmitter } from '../core/events';
import { resolveEnv, type EnvConfig } from '../core/env';
import type { TraceRecorder } from '../core/trace';
import { PathError } from './errors';
import { hostEvents, type HostEventMap } from './events';
import { HostFS, type FsChange, type FsState } from './fs';
import { containerdConfig, DIRS, etcHosts, EXECUTABLES, KUBEADM_DROPIN, LINKS, OS_RELEASE, PATH, procSwaps, UNIT_FILES, UNIT_PATHS } from './seed';
import { Systemd, type JournalEntry, type UnitProgram, type UnitState } from './systemd';

export interface HostOptions extends EnvConfig {
  /** Hostname (and the node name kubeadm registers). */
  name: string;
  /** runtime.NumCPU(); default 2. */
  cpus?: number;
  /** Total RAM as sysinfo reports it (a "2 GB" VM reports about 1960), MB; default 3911. */
  memoryMB?: number;
  /** A swap partition, active at boot: `true` (1 GiB) or its size in MB; default none. */
  swap?: boolean | number;
  /** `uname -r`; default Debian 12's 6.1.0-27-amd64. */
  kernel?: string;
  /** cgroup v2 (unified, the default on Debian 12) or v1. */
  cgroupVersion?: 1 | 2;
  /** The node's address on its network; default 10.0.0.10. */
  ip?: string;
  /** The DNS server in /etc/resolv.conf; default 10.0.0.2. */
  nameserver?: string;
  /** net.ipv4.ip_forward at boot; default false (Debian's 0). */
  ipForward?: boolean;
  /** br_netfilter loaded at boot; default false. */
  brNetfilter?: boolean;
  /** firewalld: not installed (default), installed and stopped, or running. */
  firewalld?: 'absent' | 'inactive' | 'active';
  /** containerd: running (default), installed but stopped, or not installed. */
  containerd?: 'running' | 'stopped' | 'absent';
  /** containerd's CRI plugin disabled (Docker's containerd.io config): the socket answers but the CRI is unimplemented. */
  criDisabled?: boolean;
  /** containerd's sandbox image; default containerd 1.7's registry.k8s.io/pause:3.8. */
  sandboxImage?: string;
  /** The installed kubelet's version (`kubelet --version`); default v1.34.0; null: not installed. */
  kubeletVersion?: string | null;
  /** Executables left out of $PATH (e.g. ['socat', 'conntrack']). */
  missingExecutables?: string[];
  /** /etc/hosts maps the hostname (Debian's installer does); default true. */
  hostnameResolvable?: boolean;
  /** Images already in containerd's store (full references). */
  images?: string[];
  /** The user kubeadm runs as; default root (uid 0). */
  uid?: number;
  /** The environment kubeadm runs with (os.Environ: HTTP_PROXY, HTTPS_PROXY, NO_PROXY...); default empty. */
  environ?: Record<string, string>;
  /** Processes already listening, e.g. `{ 6443: 'haproxy' }`. */
  listening?: Record<number, string>;
  /** What a unit's main process does, replacing the built-in behaviour (the lead wires the real kubelet here). */
  programs?: Record<string, UnitProgram>;
  /** Hears every unit state change. */
  onUnitTransition?: (unit: string, state: UnitState) => void;
}

export interface Listener {
  port: number;
  address: string;
  process: string;
  pid: number;
}

/** Everything that makes the machine, as plain data. */
export interface HostState {
  name: string;
  cpus: number;
  memoryMB: number;
  kernel: string;
  cgroupVersion: 1 | 2;
  ip: string;
  uid: number;
  /** The login environment (what `sudo -E kubeadm` passes on). */
  environ: Record<string, string>;
  swap: { device: string; sizeMB: number; active: boolean } | null;
  modules: string[];
  listeners: Record<string, Listener>;
  images: string[];
  versions: Record<string, string>;
  nextPid: number;
  fs: FsState;
  units: Record<string, UnitState>;
  journal: JournalEntry[];
}

const CRI_SOCKET = '/run/containerd/containerd.sock';

export class Host {
  readonly clock: FakeClock;
  readonly fs: HostFS;
  readonly systemd: Systemd;
  readonly state: HostState;
  readonly #events: EventEmitter<HostEventMap, { host: string }>;
  readonly #programs: Record<string, UnitProgram>;
  readonly #onUnit: HostOptions['onUnitTransition'];
  readonly trace: TraceRecorder | undefined;
  readonly #watchers = new Set<(c: FsChange) => void>();

  constructor(opts: HostOptions) {
    const env = resolveEnv(opts);
    this.clock = env.clock;
    this.trace = env.trace;
    this.#events = new EventEmitter(hostEvents, env, { host: opts.name });
    this.#programs = { ...opts.programs };
    this.#onUnit = opts.onUnitTransition;
    this.fs = new HostFS({ now: () => this.clock.now() });
    this.systemd = new Systemd({
      clock: this.clock,
      hostname: () => this.state.name,
      nextPid: () => this.state.nextPid++,
      program: (unit) => this.#programs[unit] ?? this.#builtin(unit),
      onTransition: (unit, s) => this.#unitChanged(unit, s),
    });
    const swapMB = opts.swap === true ? 1023 : typeof opts.swap === 'number' ? opts.swap : 0;
    this.state = {
      name: opts.name,
      cpus: opts.cpus ?? 2,
      memoryMB: opts.memoryMB ?? 3911,
      kernel: opts.kernel ?? '6.1.0-27-amd64',
      cgroupVersion: opts.cgroupVersion ?? 2,
      ip: opts.ip ?? '10.0.0.10',
      uid: opts.uid ?? 0,
      environ: { ...opts.environ },
      swap: swapMB > 0 ? { device: '/dev/vda3', sizeMB: swapMB, active: true } : null,
      modules: ['overlay', ...(opts.brNetfilter ? ['br_netfilter'] : [])],
      listeners: {},
      images: [...(opts.images ?? [])],
      versions: {},
      nextPid: 400,
      fs: this.fs.state,
      units: this.systemd.units,
      journal: this.systemd.journal,
    };
    this.#seed(opts, swapMB);
    this.fs.setOnChange((c) => {
      if (!c.path.startsWith('/proc/')) this.#events.emit('host.file', { op: c.op, path: c.path });
      for (const w of [...this.#watchers]) w(c);
    });
    this.#boot(opts);
  }

  get name(): string {
    return this.state.name;
  }

  #seed(opts: HostOptions, swapMB: number): void {
    const fs = this.fs;
    for (const d of ['/usr', '/var']) fs.mkdirAll(d);
    for (const [link, target] of LINKS) fs.symlink(target, link);
    for (const d of DIRS) fs.mkdirAll(d);
    fs.chmod('/tmp', 0o1777);
    fs.chmod('/root', 0o700);
    fs.writeFile('/etc/hostname', `${opts.name}\n`);
    fs.writeFile('/etc/hosts', etcHosts(opts.name, opts.hostnameResolvable ?? true));
    fs.writeFile('/etc/resolv.conf', `nameserver ${opts.nameserver ?? '10.0.0.2'}\n`);
    fs.writeFile('/etc/os-release', OS_RELEASE);
    fs.writeFile('/etc/fstab', `/dev/vda1 / ext4 errors=remount-ro 0 1\n${swapMB ? '/dev/vda3 none swap sw 0 0\n' : ''}`);
    fs.writeFile('/proc/sys/net/ipv4/ip_forward', opts.ipForward ? '1\n' : '0\n');
    fs.writeFile('/proc/sys/net/ipv6/conf/default/forwarding', '0\n');
    fs.writeFile('/proc/version', `Linux version ${this.state.kernel} (debian-kernel@lists.debian.org) #1 SMP PREEMPT_DYNAMIC Debian\n`);
    if (opts.brNetfilter) this.#bridgeSysctls();
    this.#refreshProc();
    const missing = new Set(opts.missingExecutables ?? []);
    const kubeletVersion = opts.kubeletVersion === undefined ? 'v1.34.0' : opts.kubeletVersion;
    if (kubeletVersion === null) missing.add('kubelet');
    else this.state.versions.kubelet = kubeletVersion;
    this.state.versions.kubeadm = 'v1.34.0';
    if ((opts.containerd ?? 'running') === 'absent') missing.add('containerd');
    for (const [name, path] of Object.entries(EXECUTABLES)) if (!missing.has(name)) fs.writeFile(path, '', 0o755);
    const installed = (unit: string) =>
      unit === 'kubelet.service' ? kubeletVersion !== null : unit === 'containerd.service' ? (opts.containerd ?? 'running') !== 'absent' : (opts.firewalld ?? 'absent') !== 'absent';
    for (const [unit, file] of Object.entries(UNIT_FILES)) {
      if (!installed(unit)) continue;
      fs.writeFile(UNIT_PATHS[unit].path, UNIT_PATHS[unit].text);
      this.systemd.install(file);
    }
    if (installed('kubelet.service')) fs.writeFile('/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf', KUBEADM_DROPIN);
    if (installed('containerd.service')) fs.writeFile('/etc/containerd/config.toml', containerdConfig(opts.sandboxImage ?? 'registry.k8s.io/pause:3.8', opts.criDisabled));
    if (installed('kubelet.service')) fs.writeFile('/etc/default/kubelet', 'KUBELET_EXTRA_ARGS=\n');
  }

  /** Boot: enabled units start (containerd first, as its ordering says), then the listeners given. */
  #boot(opts: HostOptions): void {
    this.#listen(22, 'sshd', '0.0.0.0');
    for (const [port, process] of Object.entries(opts.listening ?? {})) this.#listen(Number(port), process, '0.0.0.0');
    if (this.systemd.exists('containerd')) {
      this.systemd.enable('containerd');
      if ((opts.containerd ?? 'running') === 'running') this.systemd.start('containerd');
    }
    if (this.systemd.exists('firewalld')) {
      this.systemd.enable('firewalld');
      if (opts.firewalld === 'active') this.systemd.start('firewalld');
    }
    if (this.systemd.exists('kubelet')) {
      this.systemd.enable('kubelet');
      this.systemd.start('kubelet');
    }
  }

  /** The built-in behaviour of the packaged units. */
  #builtin(unit: string): UnitProgram | undefined {
    if (unit === 'kubelet.service') {
      return (pid) => {
        const config = '/var/lib/kubelet/config.yaml';
        if (this.fs.exists(config)) return 'running';
        // Upstream: cmd/kubelet/app/server.go (NewKubeletCommand: loadConfigFile), cmd/kubelet/kubelet.go (run.go: "command failed")
        const err = `failed to load kubelet config file, path: ${config}, error: failed to load Kubelet config file ${config}, error failed to read kubelet config file \\"${config}\\", error: open ${config}: no such file or directory`;
        return { exitStatus: 1, log: [`${klogHeader('E', this.clock.now(), pid, 'run.go:72')} "command failed" err="${err}"`] };
      };
    }
    return undefined;
  }

  #unitChanged(unit: string, s: UnitState): void {
    if (unit === 'containerd.service') {
      if (s.activeState === 'active') this.fs.bindSocket(CRI_SOCKET);
      else this.fs.removeAll(CRI_SOCKET);
    }
    if (unit === 'kubelet.service') {
      // The kubelet's server (10250) and healthz (10248) are bound only while it runs.
      if (s.activeState === 'active') {
        this.#listen(10250, 'kubelet', '*', s.mainPid);
        this.#listen(10248, 'kubelet', '127.0.0.1', s.mainPid);
      } else {
        this.close(10250);
        this.close(10248);
      }
    }
    this.#events.emit('host.unit', { unit, state: `${s.activeState} (${s.subState})`, enabled: s.enabled });
    this.#onUnit?.(unit, s);
  }

  // --- swap -------------------------------------------------------------------------------

  /** `swapoff -a`: every active swap area off; /proc/swaps keeps only its header. */
  swapoff(): void {
    if (!this.state.swap?.active) return;
    this.state.swap.active = false;
    this.#refreshProc();
    this.#events.emit('host.swap', { on: false, totalMB: 0 });
  }

  /** `swapon -a`: the areas of /etc/fstab on again. */
  swapon(): void {
    if (!this.state.swap || this.state.swap.active) return;
    if (!/^\S+\s+\S+\s+swap\s/m.test(this.fs.readFile('/etc/fstab'))) return;
    this.state.swap.active = true;
    this.#refreshProc();
    this.#events.emit('host.swap', { on: true, totalMB: this.state.swap.sizeMB });
  }

  /** Active swap in MB (0: off). */
  swapTotalMB(): number {
    return this.state.swap?.active ? this.state.swap.sizeMB : 0;
  }

  #refreshProc(): void {
    const swap = this.state.swap?.active ? [{ device: this.state.swap.device, sizeKB: this.state.swap.sizeMB * 1024 + 1020 }] : [];
    this.fs.writeFile('/proc/swaps', procSwaps(swap));
    const kb = (mb: number) => `${String(mb * 1024).padStart(8)} kB`;
    const m = memoryFigures(this.state.memoryMB);
    this.fs.writeFile(
      '/proc/meminfo',
      `MemTotal:       ${kb(m.total)}\nMemFree:        ${kb(m.free)}\nMemAvailable:   ${kb(m.available)}\nBuffers:        ${kb(0)}\nCached:         ${kb(m.buffCache)}\nShmem:          ${kb(m.shared)}\nSwapTotal:      ${kb(this.swapTotalMB())}\nSwapFree:       ${kb(this.swapTotalMB())}\n`,
    );
  }

  // --- network ----------------------------------------------------------------------------

  #listen(port: number, process: string, address: string, pid = this.state.nextPid++): void {
    this.state.listeners[port] = { port, address, process, pid };
    this.#events.emit('host.port', { port, process, op: 'listen' });
  }

  /** A process binds a TCP port; a port in use fails as Go's net.Listen does. */
  listen(port: number, process: string, opts: { address?: string; pid?: number } = {}): Listener {
    if (this.state.listeners[port]) throw new Error(`listen tcp :${port}: bind: address already in use`);
    this.#listen(port, process, opts.address ?? '*', opts.pid);
    return this.state.listeners[port];
  }

  close(port: number): void {
    const l = this.state.listeners[port];
    if (!l) return;
    delete this.state.listeners[port];
    this.#events.emit('host.port', { port, process: l.process, op: 'close' });
  }

  listener(port: number): Listener | undefined {
    return this.state.listeners[port];
  }

  /** Listening sockets by port. */
  listeners(): Listener[] {
    return Object.values(this.state.listeners).sort((a, b) => a.port - b.port);
  }

  /** Whether `name` resolves (net.LookupHost): localhost, the host's IP, or a name in /etc/hosts. */
  lookupHost(name: string): string[] {
    if (name === 'localhost') return ['127.0.0.1', '::1'];
    if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return [name];
    const out: string[] = [];
    for (const line of this.fs.readFile('/etc/hosts').split('\n')) {
      const [addr, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
      if (addr && names.includes(name)) out.push(addr);
    }
    return out;
  }

  /** The first nameserver of /etc/resolv.conf, as Go's resolver names it in errors (`10.0.0.2:53`). */
  nameserver(): string {
    const m = /^nameserver\s+(\S+)/m.exec(this.fs.exists('/etc/resolv.conf') ? this.fs.readFile('/etc/resolv.conf') : '');
    return `${m ? m[1] : '127.0.0.1'}:53`;
  }

  // --- kernel -----------------------------------------------------------------------------

  /** The file behind a sysctl key (`net.ipv4.ip_forward` -> /proc/sys/net/ipv4/ip_forward). */
  static sysctlPath(key: string): string {
    return `/proc/sys/${key.replace(/\./g, '/')}`;
  }

  /** `sysctl key`: the value, or undefined when the key does not exist (e.g. bridge keys before br_netfilter). */
  sysctl(key: string): string | undefined {
    const p = Host.sysctlPath(key);
    return this.fs.exists(p) ? this.fs.readFile(p).trim() : undefined;
  }

  /** `sysctl -w key=value`; throws the PathError of a key that does not exist. */
  setSysctl(key: string, value: string): void {
    const p = Host.sysctlPath(key);
    if (!this.fs.exists(p)) throw new PathError('open', p, 'ENOENT');
    this.fs.writeFile(p, `${value}\n`);
    this.#events.emit('host.sysctl', { key, value });
  }

  /** `modprobe name`: br_netfilter brings the bridge-nf-call sysctls (on by default). */
  modprobe(name: string): void {
    if (this.state.modules.includes(name)) return;
    this.state.modules.push(name);
    if (name === 'br_netfilter') this.#bridgeSysctls();
    this.#events.emit('host.sysctl', { key: `module/${name}`, value: 'loaded' });
  }

  #bridgeSysctls(): void {
    this.fs.mkdirAll('/proc/sys/net/bridge');
    this.fs.writeFile('/proc/sys/net/bridge/bridge-nf-call-iptables', '1\n');
    this.fs.writeFile('/proc/sys/net/bridge/bridge-nf-call-ip6tables', '1\n');
  }

  // --- programs ---------------------------------------------------------------------------

  /** exec.LookPath: the first $PATH directory holding an executable `name`. */
  lookPath(name: string): string | undefined {
    if (name.includes('/')) return this.fs.exists(name) ? name : undefined;
    for (const dir of PATH) {
      const p = `${dir}/${name}`;
      try {
        const info = this.fs.stat(p);
        if (info.type === 'file' && (info.mode & 0o111) !== 0) return p;
      } catch {
        // not in this directory
      }
    }
    return undefined;
  }

  /** `<binary> --version` output for the installed Kubernetes binaries. */
  versionOutput(binary: 'kubelet' | 'kubeadm'): string | undefined {
    const v = this.state.versions[binary];
    if (!v || !this.lookPath(binary)) return undefined;
    return binary === 'kubelet' ? `Kubernetes ${v}\n` : `kubeadm version: &version.Info{Major:"1", Minor:"34", GitVersion:"${v}"}\n`;
  }

  /** The CRI endpoint kubeadm dials by default (unix:///var/run/containerd/containerd.sock reaches it through /var/run). */
  static readonly criSocket = CRI_SOCKET;

  /** containerd's configured sandbox (pause) image. */
  sandboxImage(): string | undefined {
    if (!this.fs.exists('/etc/containerd/config.toml')) return undefined;
    return /sandbox_image\s*=\s*"([^"]+)"/.exec(this.fs.readFile('/etc/containerd/config.toml'))?.[1];
  }

  /** Whether containerd serves the CRI (its config does not disable the plugin). */
  criEnabled(): boolean {
    if (!this.fs.exists('/etc/containerd/config.toml')) return true;
    return !/^\s*disabled_plugins\s*=\s*\[[^\]]*"cri"/m.test(this.fs.readFile('/etc/containerd/config.toml'));
  }

  /**
   * What a unit's own process logged (not systemd's lines about it), oldest first: for the kubelet,
   * its klog lines, which `journalctl -u kubelet` (src/lab/shell/node) prints with their own header.
   */
  processLog(unit: string): string[] {
    return this.systemd.entries(unit).filter((e) => e.ident !== 'systemd').map((e) => e.message);
  }

  /**
   * The host's disk as the `FileWriter` kubeadm's certs and kubeconfig model writes through
   * (src/sim/kubeadm/certs/files.ts: `writeFile(path, data, mode)`, `readFile(path)` -> text or undefined).
   */
  fileWriter(): { writeFile(path: string, data: string, mode: number): void; readFile(path: string): string | undefined } {
    return { writeFile: (path, data, mode) => this.fs.writeFileAll(path, data, mode), readFile: (path) => this.fs.tryReadFile(path) };
  }

  /** inotify, reduced: `fn` hears every change of the file system until the returned function is called (the kubelet's static pod watch). */
  watchFiles(fn: (c: FsChange) => void): () => void {
    this.#watchers.add(fn);
    return () => this.#watchers.delete(fn);
  }

  /** Memory figures of `free` (MB). */
  memory(): MemoryFigures {
    return memoryFigures(this.state.memoryMB);
  }
}

export interface MemoryFigures {
  total: number;
  used: number;
  free: number;
  shared: number;
  buffCache: number;
  available: number;
}

/** A node at rest: ~12% used, ~15% page cache, the rest free (integers, so `free -m` adds up). */
function memoryFigures(total: number): MemoryFigures {
  const used = Math.round(total * 0.12);
  const buffCache = Math.round(total * 0.15);
  return { total, used, free: total - used - buffCache, shared: 1, buffCache, available: total - used };
}

/** A klog header, `E1205 10:00:10.000000    2771 run.go:72]`. */
export function klogHeader(severity: 'I' | 'W' | 'E' | 'F', tMs: number, pid: number, source: string): string {
  const d = new Date(tMs); // allow-nondeterminism: formats a given virtual time
  const two = (n: number) => String(n).padStart(2, '0');
  const micros = String(Math.floor((tMs % 1000) * 1000)).padStart(6, '0');
  return `${severity}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${micros} ${String(pid).padStart(7)} ${source}]`;
}

/** A fresh node (see `Host`). */
export function newHost(opts: HostOptions): Host {
  return new Host(opts);
}
