/**
 * systemd as far as kubeadm and an operator see it: units with an enabled state and an active
 * state, `start / stop / restart / enable / disable`, a journal, and `systemctl status` in
 * systemd v252's layout (Debian 12). What a unit's main process does when started is a
 * `UnitProgram` the host supplies: it either keeps running or exits with a status and log lines.
 * A unit with `Restart=always` whose process exits waits `RestartSec` in `activating
 * (auto-restart)` and starts again, on the virtual clock: the kubelet's crash loop on a node that
 * kubeadm has not configured yet is exactly this (exit 1 every ~10 s until
 * /var/lib/kubelet/config.yaml exists).
 *
 * Invariants: `mainPid` is non-zero exactly when the unit is `active (running)`; a restart timer
 * is pending exactly when the unit is `activating (auto-restart)`.
 */
import type { FakeClock, Timer } from '../core/clock';

export type ActiveState = 'active' | 'activating' | 'inactive' | 'failed';
export type SubState = 'running' | 'auto-restart' | 'dead' | 'failed';

/** What a unit file declares (the parts status and behaviour read). */
export interface UnitFile {
  /** `kubelet.service` */
  name: string;
  description: string;
  /** Where systemd loaded it from, as `Loaded:` prints it. */
  fragmentPath: string;
  /** Drop-in directory and file names (`Drop-In:`). */
  dropIns?: { dir: string; files: string[] };
  documentation: string[];
  /** The main command line, as `Process:` prints it. */
  execStart: string;
  restart: 'always' | 'on-failure' | 'no';
  restartSec: number;
  /** `preset: enabled` */
  vendorPreset: 'enabled' | 'disabled';
  /** Resident memory shown while running, MB. */
  memoryMB?: number;
  tasks?: number;
}

/** One unit's state, plain data. */
export interface UnitState {
  file: UnitFile;
  enabled: 'enabled' | 'disabled';
  activeState: ActiveState;
  subState: SubState;
  /** `Result:` of the last run. */
  result: 'success' | 'exit-code';
  /** When the active state last changed (virtual ms): the `since` of `Active:`. */
  sinceMs: number;
  /** Set while running; 0 otherwise. */
  mainPid: number;
  /** The last main process that exited. */
  lastExit?: { pid: number; status: number };
  /** `NRestarts`: automatic restarts since the last manual start. */
  restarts: number;
}

export interface JournalEntry {
  tMs: number;
  /** SYSLOG_IDENTIFIER: `systemd`, `kubelet`, `containerd`. */
  ident: string;
  pid: number;
  /** The unit the entry belongs to (`_SYSTEMD_UNIT` or `UNIT=` for systemd's own lines). */
  unit: string;
  message: string;
}

/** What a unit's main process does when started: keep running, or exit with a status and log lines. */
export type UnitProgram = (pid: number) => { exitStatus: number; log: string[] } | 'running';

export interface SystemdContext {
  clock: FakeClock;
  hostname: () => string;
  nextPid: () => number;
  program: (unit: string) => UnitProgram | undefined;
  /** Hears every change of active state (the host's trace; the lead's kubelet wiring). */
  onTransition?: (unit: string, state: UnitState) => void;
}

/** The error systemctl prints for an unknown unit (exit status 4 for status, 5 for start). */
export class UnitNotFoundError extends Error {
  constructor(readonly unit: string) {
    super(`Unit ${unit} not found.`);
    this.name = 'UnitNotFoundError';
  }
}

const JOURNAL_CAP = 5000;

export class Systemd {
  readonly units: Record<string, UnitState> = {};
  readonly journal: JournalEntry[] = [];
  readonly #ctx: SystemdContext;
  readonly #timers = new Map<string, Timer>();

  constructor(ctx: SystemdContext) {
    this.#ctx = ctx;
  }

  /** `kubelet` and `kubelet.service` name the same unit. */
  static unitName(name: string): string {
    return /\.(service|socket|target|timer|mount)$/.test(name) ? name : `${name}.service`;
  }

  /** Installs a unit (a package's postinst): disabled and inactive until enabled / started. */
  install(file: UnitFile): UnitState {
    const state: UnitState = { file, enabled: 'disabled', activeState: 'inactive', subState: 'dead', result: 'success', sinceMs: this.#ctx.clock.now(), mainPid: 0, restarts: 0 };
    this.units[file.name] = state;
    return state;
  }

  get(name: string): UnitState | undefined {
    return this.units[Systemd.unitName(name)];
  }

  #must(name: string): UnitState {
    const u = this.get(name);
    if (!u) throw new UnitNotFoundError(Systemd.unitName(name));
    return u;
  }

  exists(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** initsystem.ServiceIsEnabled: `systemctl is-enabled` says enabled. */
  isEnabled(name: string): boolean {
    return this.get(name)?.enabled === 'enabled';
  }

  /** initsystem.ServiceIsActive: `systemctl is-active` says active or activating. */
  isActive(name: string): boolean {
    const s = this.get(name)?.activeState;
    return s === 'active' || s === 'activating';
  }

  enable(name: string): void {
    this.#must(name).enabled = 'enabled';
  }

  disable(name: string): void {
    this.#must(name).enabled = 'disabled';
  }

  /** systemctl start: a running unit is left alone; a unit waiting to restart starts now. */
  start(name: string): void {
    const u = this.#must(name);
    if (u.activeState === 'active') return;
    this.#cancelRestart(u);
    u.restarts = 0;
    this.#run(u);
  }

  /** systemctl stop */
  stop(name: string): void {
    const u = this.#must(name);
    this.#cancelRestart(u);
    if (u.activeState === 'inactive' || u.activeState === 'failed') return;
    const pid = u.mainPid;
    if (pid) this.#log(u, `Stopping ${u.file.name} - ${u.file.description}...`);
    u.mainPid = 0;
    if (pid) u.lastExit = { pid, status: 0 };
    u.result = 'success';
    this.#set(u, 'inactive', 'dead');
    if (pid) this.#log(u, `${u.file.name}: Deactivated successfully.`);
    this.#log(u, `Stopped ${u.file.name} - ${u.file.description}.`);
  }

  /** systemctl restart */
  restart(name: string): void {
    const u = this.#must(name);
    if (u.activeState !== 'inactive' && u.activeState !== 'failed') this.stop(name);
    this.start(name);
  }

  /** Starts the main process once; a failing process with Restart= schedules the next attempt. */
  #run(u: UnitState): void {
    const pid = this.#ctx.nextPid();
    this.#log(u, `Started ${u.file.name} - ${u.file.description}.`);
    const outcome = this.#ctx.program(u.file.name)?.(pid) ?? 'running';
    if (outcome === 'running') {
      u.mainPid = pid;
      u.result = 'success';
      this.#set(u, 'active', 'running');
      return;
    }
    for (const line of outcome.log) this.#append({ ident: u.file.name.replace(/\.service$/, ''), pid, unit: u.file.name, message: line });
    u.mainPid = 0;
    u.lastExit = { pid, status: outcome.exitStatus };
    u.result = outcome.exitStatus === 0 ? 'success' : 'exit-code';
    if (outcome.exitStatus !== 0) {
      this.#log(u, `${u.file.name}: Main process exited, code=exited, status=${outcome.exitStatus}/FAILURE`);
      this.#log(u, `${u.file.name}: Failed with result 'exit-code'.`);
    }
    const again = u.file.restart === 'always' || (u.file.restart === 'on-failure' && outcome.exitStatus !== 0);
    if (!again) {
      this.#set(u, outcome.exitStatus === 0 ? 'inactive' : 'failed', outcome.exitStatus === 0 ? 'dead' : 'failed');
      return;
    }
    // Each attempt ran (briefly active) and exited: `since` is the exit, every time.
    this.#set(u, 'activating', 'auto-restart', true);
    // Upstream: systemd src/core/service.c (service_enter_restart: RestartSec, NRestarts)
    this.#timers.set(
      u.file.name,
      this.#ctx.clock.afterFunc(u.file.restartSec * 1000, () => {
        this.#timers.delete(u.file.name);
        u.restarts++;
        this.#log(u, `${u.file.name}: Scheduled restart job, restart counter is at ${u.restarts}.`);
        this.#log(u, `Stopped ${u.file.name} - ${u.file.description}.`);
        this.#run(u);
      }),
    );
  }

  #cancelRestart(u: UnitState): void {
    this.#timers.get(u.file.name)?.stop();
    this.#timers.delete(u.file.name);
  }

  #set(u: UnitState, active: ActiveState, sub: SubState, force = false): void {
    const changed = force || u.activeState !== active || u.subState !== sub;
    u.activeState = active;
    u.subState = sub;
    if (changed) {
      u.sinceMs = this.#ctx.clock.now();
      this.#ctx.onTransition?.(u.file.name, u);
    }
  }

  #log(u: UnitState, message: string): void {
    this.#append({ ident: 'systemd', pid: 1, unit: u.file.name, message });
  }

  #append(e: Omit<JournalEntry, 'tMs'>): void {
    this.journal.push({ tMs: this.#ctx.clock.now(), ...e });
    if (this.journal.length > JOURNAL_CAP) this.journal.splice(0, this.journal.length - JOURNAL_CAP);
  }

  /** A line the unit's running main process wrote to stderr (journald's stream), as `ident[pid]: message`. */
  appendProcessLine(name: string, ident: string, pid: number, message: string): void {
    this.#append({ ident, pid, unit: Systemd.unitName(name), message });
  }

  /** A unit's journal entries (its own and systemd's about it), oldest first. */
  entries(name: string): JournalEntry[] {
    const unit = Systemd.unitName(name);
    return this.journal.filter((e) => e.unit === unit);
  }

  /** `systemctl status <unit>` as systemd v252 prints it, with the last `lines` journal entries. */
  // Upstream: systemd src/systemctl/systemctl-show.c (print_status_info)
  status(name: string, lines = 10): string {
    const u = this.#must(name);
    const f = u.file;
    const now = this.#ctx.clock.now();
    const dot = u.activeState === 'active' ? '●' : u.activeState === 'failed' ? '×' : u.activeState === 'activating' ? '●' : '○';
    const out: string[] = [`${dot} ${f.name} - ${f.description}`];
    const row = (label: string, text: string) => out.push(`${label.padStart(12)} ${text}`);
    row('Loaded:', `loaded (${f.fragmentPath}; ${u.enabled}; preset: ${f.vendorPreset})`);
    if (f.dropIns) {
      row('Drop-In:', f.dropIns.dir);
      for (const file of f.dropIns.files) out.push(`${' '.repeat(13)}└─${file}`);
    }
    const since = `since ${formatTimestamp(u.sinceMs)}; ${formatRelative(now - u.sinceMs)} ago`;
    const result = u.result !== 'success' ? ` (Result: ${u.result})` : '';
    if (u.activeState === 'inactive') row('Active:', `inactive (dead)${u.lastExit ? ` ${since}` : ''}`);
    else if (u.activeState === 'failed') row('Active:', `failed${result} ${since}`);
    else row('Active:', `${u.activeState} (${u.subState})${result} ${since}`);
    if (f.documentation.length) {
      row('Docs:', f.documentation[0]);
      for (const d of f.documentation.slice(1)) out.push(`${' '.repeat(13)}${d}`);
    }
    const exitText = (s: number) => `code=exited, status=${s}/${s === 0 ? 'SUCCESS' : 'FAILURE'}`;
    if (u.activeState === 'active') {
      const comm = f.execStart.split(' ')[0].split('/').pop();
      row('Main PID:', `${u.mainPid} (${comm})`);
      if (f.tasks) row('Tasks:', String(f.tasks));
      if (f.memoryMB) row('Memory:', `${f.memoryMB.toFixed(1)}M`);
      row('CPU:', formatCpu(now - u.sinceMs));
      row('CGroup:', `/system.slice/${f.name}`);
      out.push(`${' '.repeat(13)}└─${u.mainPid} ${f.execStart.replace(/ \$\w+/g, '')}`);
    } else if (u.lastExit && u.activeState !== 'inactive') {
      row('Process:', `${u.lastExit.pid} ExecStart=${f.execStart} (${exitText(u.lastExit.status)})`);
      row('Main PID:', `${u.lastExit.pid} (${exitText(u.lastExit.status)})`);
      row('CPU:', '98ms');
    }
    const tail = this.entries(f.name).slice(-lines);
    if (tail.length) {
      out.push('');
      for (const e of tail) out.push(journalLine(e, this.#ctx.hostname()));
    }
    return out.join('\n');
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const two = (n: number) => String(n).padStart(2, '0');

/** journalctl's short format: `Dec 05 10:00:10 node-1 systemd[1]: message`. */
// Upstream: systemd src/shared/logs-show.c (output_short)
export function journalLine(e: JournalEntry, hostname: string): string {
  const d = new Date(e.tMs); // allow-nondeterminism: formats a given virtual time
  return `${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${hostname} ${e.ident}[${e.pid}]: ${e.message}`;
}

/** `Sat 2026-12-05 10:00:10 UTC` (format_timestamp; the lab's nodes run in UTC). */
export function formatTimestamp(ms: number): string {
  const d = new Date(ms); // allow-nondeterminism: formats a given virtual time
  return `${DAYS[d.getUTCDay()]} ${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC`;
}

/** `3s`, `1min 5s`, `2h 3min`, `4 days 2h` (format_timestamp_relative). */
// Upstream: systemd src/basic/time-util.c (format_timestamp_relative_full)
export function formatRelative(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s >= 86_400) return `${Math.floor(s / 86_400)} day${s >= 172_800 ? 's' : ''} ${Math.floor((s % 86_400) / 3600)}h`;
  if (s >= 3600) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}min`;
  if (s >= 60) return `${Math.floor(s / 60)}min ${s % 60}s`;
  if (ms > 0 && ms < 1000) return `${Math.floor(ms)}ms`;
  return `${s}s`;
}

/** A steady 1% of one CPU since start: `CPU:` in ms below a second, else seconds with three decimals. */
function formatCpu(upMs: number): string {
  const cpu = Math.max(1, Math.floor(upMs / 100));
  return cpu < 1000 ? `${cpu}ms` : `${(cpu / 1000).toFixed(3)}s`;
}
