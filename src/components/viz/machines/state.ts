/**
 * The cluster as machines, read once from a trace: a pure function of the hosts' `host.*`
 * events (src/sim/host/events.ts), kubeadm's `kubeadm.phase` (src/sim/kubeadm/workflow/events.ts)
 * (with `kubeadm.certs.write`, src/sim/kubeadm/certs/events.ts, for a certificate's subject and
 * expiry) and the kubelet's `kubelet.container` (src/sim/kubelet/events.ts). Per host: each kubeadm run
 * with its phases, every file it holds (with its mode and the phase that wrote it), its systemd
 * units' states, its listening ports and the static pods its manifests declare. Everything keeps
 * its event index, so the machine at a cursor is the part of this with `index < cursor` (at.ts).
 */
import type { TraceEvent } from '../../../sim/index';
import { modeOf } from './modes';

export type Outcome = 'start' | 'done' | 'failed' | 'skipped';

/** One `kubeadm.phase` event of a run: `phase` is the full path (`certs/ca`). */
export interface PhaseMark {
  index: number;
  t: number;
  phase: string;
  outcome: Outcome;
  error: string;
}

/** One `kubeadm <workflow>` run on a host: its phase events in order. */
export interface KubeadmRun {
  workflow: string;
  host: string;
  /** Trace index of its first and last phase event. */
  first: number;
  last: number;
  marks: PhaseMark[];
}

/** One life of a path on a host: from the write that made it until it was removed (if it was). */
export interface FileLife {
  host: string;
  path: string;
  dir: boolean;
  mode: number;
  /** The index and time of the event that made it, and of the last write or chmod of it. */
  index: number;
  t: number;
  lastIndex: number;
  removedIndex?: number;
  /** The kubeadm phase (full path) running when it was made, if any. */
  phase?: string;
  /** A certificate's subject CN and expiry (ms), from the `kubeadm.certs.write` that follows its write. */
  subject?: string;
  notAfter?: number;
}

export interface UnitMark {
  index: number;
  t: number;
  state: string;
  enabled: string;
}

export interface PortMark {
  index: number;
  port: number;
  process: string;
  op: 'listen' | 'close';
}

/** A container of a static pod as the host's kubelet reported it. */
export interface PodMark {
  index: number;
  t: number;
  pod: string;
  container: string;
  state: string;
  reason: string;
  restartCount: number;
}

export interface Machine {
  host: string;
  runs: KubeadmRun[];
  files: FileLife[];
  units: Map<string, UnitMark[]>;
  ports: PortMark[];
  /** `kubelet.container` events of this node's kubelet, for the static pods its manifests name. */
  pods: PodMark[];
}

export interface Machines {
  /** Virtual time of the trace's first event: times are shown from it. */
  t0: number;
  machines: Machine[];
}

const isHostEvent = (e: TraceEvent) => e.component === 'host' && e.host !== undefined;
const hasPhaseEvents = (trace: readonly TraceEvent[]) => trace.some((e) => e.type === 'kubeadm.phase');

/**
 * Splits the `kubeadm.phase` events into runs: a run ends when a phase fails, or when a phase
 * starts that already ran in it (the next `kubeadm init` on the machine, or on another).
 */
export function kubeadmRuns(trace: readonly TraceEvent[]): KubeadmRun[] {
  const runs: KubeadmRun[] = [];
  let cur: (KubeadmRun & { seen: Set<string>; ended: boolean }) | undefined;
  trace.forEach((e, index) => {
    if (e.type !== 'kubeadm.phase') return;
    const mark: PhaseMark = { index, t: e.t, phase: String(e.phase), outcome: e.outcome as Outcome, error: String(e.error ?? '') };
    const workflow = String(e.workflow);
    const fresh = !cur || cur.ended || cur.workflow !== workflow || (mark.outcome !== 'done' && mark.outcome !== 'failed' && cur.seen.has(mark.phase));
    if (fresh) {
      cur = { workflow, host: typeof e.host === 'string' ? e.host : '', first: index, last: index, marks: [], seen: new Set(), ended: false };
      runs.push(cur);
    }
    cur!.marks.push(mark);
    cur!.seen.add(mark.phase);
    cur!.last = index;
    if (mark.outcome === 'failed') cur!.ended = true;
  });
  for (const r of runs) r.host ||= hostOfRun(trace, r);
  return runs.map(({ workflow, host, first, last, marks }) => ({ workflow, host, first, last, marks }));
}

/**
 * kubeadm's phase events do not name the host: the run's is the host that changed during it,
 * else the last one that did before it (a failed preflight changes nothing).
 */
function hostOfRun(trace: readonly TraceEvent[], r: KubeadmRun): string {
  for (let i = r.first; i <= r.last; i++) if (isHostEvent(trace[i])) return String(trace[i].host);
  for (let i = r.first - 1; i >= 0; i--) if (isHostEvent(trace[i])) return String(trace[i].host);
  return 'localhost';
}

/** The machines in `trace`, in order of appearance (undefined when it has no host and no kubeadm event). */
export function machines(trace: readonly TraceEvent[]): Machines | undefined {
  if (!trace.some(isHostEvent) && !hasPhaseEvents(trace)) return undefined;
  const byHost = new Map<string, Machine>();
  const machine = (host: string) => {
    let m = byHost.get(host);
    if (!m) byHost.set(host, (m = { host, runs: [], files: [], units: new Map(), ports: [], pods: [] }));
    return m;
  };
  const runs = kubeadmRuns(trace);
  // The leaf phase running on each host at each index: the phase a file written then belongs to.
  const running = new Map<string, string | undefined>();
  const runOfIndex = new Map<number, KubeadmRun>();
  for (const r of runs) for (const m of r.marks) runOfIndex.set(m.index, r);
  const live = new Map<string, FileLife>();
  trace.forEach((e, index) => {
    if (e.type === 'kubeadm.phase') {
      const r = runOfIndex.get(index)!;
      const m = machine(r.host);
      if (r.first === index) m.runs.push(r);
      running.set(r.host, e.outcome === 'start' ? String(e.phase) : undefined);
      return;
    }
    if (e.type === 'kubeadm.certs.write') {
      // It names no host: it follows the host's write of the same path.
      const path = String(e.path);
      const f = [...live.values()].filter((x) => x.path === path).sort((a, b) => b.lastIndex - a.lastIndex)[0];
      if (f && e.subject) Object.assign(f, { subject: String(e.subject), notAfter: Number(e.notAfter) || undefined });
      return;
    }
    if (e.component === 'kubelet' && e.type === 'kubelet.container' && e.node !== undefined) {
      machine(String(e.node)).pods.push({ index, t: e.t, pod: String(e.pod), container: String(e.container), state: String(e.state), reason: String(e.reason ?? ''), restartCount: Number(e.restartCount) });
      return;
    }
    if (!isHostEvent(e)) return;
    const host = String(e.host);
    const m = machine(host);
    switch (e.type) {
      case 'host.file': {
        const op = String(e.op);
        const path = String(e.path);
        const key = `${host}\u0000${path}`;
        const prev = live.get(key);
        if (op === 'remove') {
          // Removing a directory removes what is under it.
          for (const [k, f] of live) {
            if (f.host === host && (f.path === path || f.path.startsWith(`${path}/`))) {
              f.removedIndex = index;
              live.delete(k);
            }
          }
          return;
        }
        if (prev) {
          prev.lastIndex = index;
          if (op === 'chmod' || e.mode !== undefined) prev.mode = modeOf(path, prev.dir ? 'mkdir' : 'write', e.mode);
          return;
        }
        const f: FileLife = { host, path, dir: op === 'mkdir', mode: modeOf(path, op, e.mode), index, t: e.t, lastIndex: index, phase: running.get(host) };
        m.files.push(f);
        live.set(key, f);
        return;
      }
      case 'host.unit': {
        const unit = String(e.unit);
        const marks = m.units.get(unit) ?? [];
        marks.push({ index, t: e.t, state: String(e.state), enabled: String(e.enabled) });
        m.units.set(unit, marks);
        return;
      }
      case 'host.port':
        m.ports.push({ index, port: Number(e.port), process: String(e.process), op: e.op === 'close' ? 'close' : 'listen' });
        return;
    }
  });
  return { t0: trace[0]?.t ?? 0, machines: [...byHost.values()] };
}
