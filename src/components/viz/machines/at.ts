/**
 * A machine at the timeline cursor: what existed after the first `cursor` events. Pure, from
 * state.ts's Machine; the view draws only this.
 */
import type { FileLife, KubeadmRun, Machine, PhaseMark, PodMark } from './state';

/** `kubeadm init`'s top-level phases, in init.go's AppendPhase order (v1.34): the strip shows the ones not reached yet too. */
export const INIT_PHASES = ['preflight', 'certs', 'kubeconfig', 'etcd', 'control-plane', 'kubelet-start', 'wait-control-plane', 'upload-config', 'upload-certs', 'mark-control-plane', 'bootstrap-token', 'kubelet-finalize', 'addon', 'show-join-command'] as const;

export type PhaseStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface SubPhaseAt {
  /** The full path (`certs/ca`). */
  phase: string;
  status: PhaseStatus;
  t?: number;
}

export interface PhaseAt {
  phase: string;
  status: PhaseStatus;
  /** Virtual time it started and ended (absent while pending / running). */
  start?: number;
  end?: number;
  error: string;
  subs: SubPhaseAt[];
  /** The cursor's event is one of this phase's. */
  current: boolean;
}

/** A directory's files at the cursor, and whether each is one the last writing phase just made. */
export interface FileAt extends FileLife {
  fresh: boolean;
}

export interface UnitAt {
  unit: string;
  state: string;
  enabled: string;
  /** The states before this one, oldest first, repeats folded (`activating (auto-restart)`, `inactive (dead)`). */
  before: string[];
}

export interface StaticPodAt {
  /** The manifest's path and the pod the kubelet names after it (`etcd-cp1`). */
  manifest: string;
  pod: string;
  containers: PodMark[];
}

export interface MachineAt {
  host: string;
  run?: { workflow: string; phases: PhaseAt[]; error: string; runs: number };
  /** Directories in kubeadm's order (pki, pki/etcd, /etc/kubernetes, manifests, /var/lib/kubelet, the rest by name). */
  groups: { dir: string; files: FileAt[] }[];
  units: UnitAt[];
  ports: { port: number; process: string }[];
  staticPods: StaticPodAt[];
}

const DIR_ORDER = ['/etc/kubernetes/pki', '/etc/kubernetes/pki/etcd', '/etc/kubernetes', '/etc/kubernetes/manifests', '/var/lib/kubelet', '/var/lib/etcd'];
const MANIFESTS = '/etc/kubernetes/manifests/';

export const dirOf = (path: string) => path.slice(0, Math.max(1, path.lastIndexOf('/')));
const topOf = (phase: string) => phase.split('/')[0];
const last = <T extends { index: number }>(xs: readonly T[], cursor: number) => xs.filter((x) => x.index < cursor).at(-1);

/** The machine's run at the cursor: the last one started before it (else its first, all pending). */
export function runAt(m: Machine, cursor: number): KubeadmRun | undefined {
  return m.runs.filter((r) => r.first < cursor).at(-1) ?? m.runs[0];
}

function statusOf(own: PhaseMark | undefined, children: Map<string, PhaseMark | undefined>, before: PhaseMark[]): PhaseStatus {
  if (!before.length) return 'pending';
  if (before.some((m) => m.outcome === 'failed')) return 'failed';
  if (own?.outcome === 'skipped') return 'skipped';
  if (!children.size) return own?.outcome === 'start' ? 'running' : own?.outcome === 'done' ? 'done' : 'skipped';
  // A parent reports done before its sub-phases run (the runner visits it first): it is running until they end.
  const ends = [...children.values()];
  if (ends.some((m) => !m || m.outcome === 'start')) return 'running';
  return ends.every((m) => m!.outcome === 'skipped') ? 'skipped' : 'done';
}

export function phasesAt(r: KubeadmRun, cursor: number): PhaseAt[] {
  const names: string[] = r.workflow === 'init' ? [...INIT_PHASES] : [];
  for (const m of r.marks) if (!names.includes(topOf(m.phase))) names.push(topOf(m.phase));
  const currentIndex = cursor - 1;
  return names.map((phase) => {
    const mine = r.marks.filter((m) => topOf(m.phase) === phase);
    const before = mine.filter((m) => m.index < cursor);
    const own = before.filter((m) => m.phase === phase).at(-1);
    const children = new Map<string, PhaseMark | undefined>();
    for (const m of mine) if (m.phase !== phase) children.set(m.phase, undefined);
    for (const m of before) if (m.phase !== phase) children.set(m.phase, m);
    const status = statusOf(own, children, before);
    const subs: SubPhaseAt[] = [...children].map(([sub, m]) => ({ phase: sub, status: m ? (m.outcome === 'start' ? 'running' : m.outcome) : 'pending', t: m?.t }));
    const ended = status === 'done' || status === 'failed' || status === 'skipped';
    return {
      phase,
      status,
      start: before[0]?.t,
      end: ended ? before.at(-1)?.t : undefined,
      error: before.find((m) => m.error)?.error ?? '',
      subs,
      current: mine.some((m) => m.index === currentIndex),
    };
  });
}

/** The files that the phase which wrote last (before the cursor) has written so far in this run. */
function freshOf(m: Machine, r: KubeadmRun | undefined, cursor: number): Set<FileLife> {
  const made = m.files.filter((f) => f.index < cursor);
  const latest = made.at(-1);
  if (!latest) return new Set();
  if (!latest.phase || !r) return new Set([latest]);
  const start = r.marks.filter((x) => x.phase === latest.phase && x.outcome === 'start' && x.index < latest.index).at(-1)?.index ?? latest.index;
  return new Set(made.filter((f) => f.phase === latest.phase && f.index >= start));
}

/** The kubelet names a static pod after its manifest's pod and the node (config/common.go generatePodName). */
function staticPods(m: Machine, files: FileLife[], cursor: number): StaticPodAt[] {
  return files
    .filter((f) => !f.dir && f.path.startsWith(MANIFESTS) && /\.ya?ml$/.test(f.path))
    .map((f) => {
      const pod = `${f.path.slice(MANIFESTS.length).replace(/\.ya?ml$/, '')}-${m.host.toLowerCase()}`;
      const byContainer = new Map<string, PodMark>();
      for (const p of m.pods) if (p.index < cursor && p.pod.split('/').at(-1) === pod) byContainer.set(p.container, p);
      return { manifest: f.path, pod, containers: [...byContainer.values()] };
    });
}

export function machineAt(m: Machine, cursor: number): MachineAt {
  const r = runAt(m, cursor);
  const files = m.files.filter((f) => f.index < cursor && (f.removedIndex === undefined || f.removedIndex >= cursor));
  const fresh = freshOf(m, r, cursor);
  const byDir = new Map<string, FileAt[]>();
  for (const f of files) {
    if (f.dir) continue;
    const dir = dirOf(f.path);
    byDir.set(dir, [...(byDir.get(dir) ?? []), { ...f, fresh: fresh.has(f) }]);
  }
  // A directory kubeadm made with its own mode (/var/lib/etcd, 0700) shows even while empty.
  for (const f of files) if (f.dir && !byDir.has(f.path) && DIR_ORDER.includes(f.path)) byDir.set(f.path, []);
  const rank = (d: string) => (DIR_ORDER.includes(d) ? DIR_ORDER.indexOf(d) : DIR_ORDER.length);
  const groups = [...byDir]
    .sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([dir, fs]) => ({ dir, files: fs.sort((a, b) => (a.path < b.path ? -1 : 1)) }));
  const units: UnitAt[] = [];
  for (const [unit, marks] of m.units) {
    const now = last(marks, cursor);
    if (!now) continue;
    const before: string[] = [];
    for (const x of marks.filter((x) => x.index < now.index)) if (before.at(-1) !== x.state) before.push(x.state);
    if (before.at(-1) === now.state) before.pop();
    units.push({ unit, state: now.state, enabled: now.enabled, before });
  }
  const listening = new Map<number, string>();
  for (const p of m.ports) if (p.index < cursor) p.op === 'listen' ? listening.set(p.port, p.process) : listening.delete(p.port);
  const runs = m.runs.filter((x) => x.first < cursor).length;
  return {
    host: m.host,
    run: r && { workflow: r.workflow, phases: phasesAt(r, cursor), error: r.marks.find((x) => x.index < cursor && x.outcome === 'failed')?.error ?? '', runs },
    groups,
    units,
    ports: [...listening].sort(([a], [b]) => a - b).map(([port, process]) => ({ port, process })),
    staticPods: staticPods(m, files, cursor),
  };
}
