/**
 * A Deployment's rollout as steps, a pure function of the trace: the Deployment controller's
 * `deployment.*` events (src/sim/controllers/deployment/events.ts) say which ReplicaSet is new,
 * each scale and, per sync, the counts and the fenceposts; the ReplicaSet controller's
 * `replicaset.status` events (src/sim/controllers/replicaset/events.ts) say how many pods each
 * ReplicaSet has and how many are available between the Deployment's syncs. A step is taken
 * after each event that changed what the chart shows.
 */
import type { TraceEvent } from '../../../sim/index';

/** One side of a rollout: the ReplicaSets' spec.replicas, their pods, the available ones. */
export interface Counts {
  replicas: number;
  pods: number;
  available: number;
}

export interface RolloutStep {
  /** Index of the event after which the step holds (the cursor shows it from index + 1 on). */
  index: number;
  t: number;
  newRS: string;
  new: Counts;
  /** Every other ReplicaSet of the Deployment, summed. */
  old: Counts;
  /** Deployment spec.replicas and the resolved fenceposts (0 until the first rollout event). */
  replicas: number;
  maxSurge: number;
  maxUnavailable: number;
  /** What moved: the event's text in short (`scale web-7d… 1 → 2`, `web-7d… status`). */
  cause: string;
}

export interface RolloutRun {
  /** namespace/name */
  deployment: string;
  steps: RolloutStep[];
  /** The ReplicaSets (names) the Deployment had, in the order they appeared. */
  replicaSets: string[];
  /** The largest stacked count or upper bound: the y axis. */
  peak: number;
}

/** Per ReplicaSet: its counts, and whether a write (a scale, a status) has set them yet. */
interface RSCounts extends Counts {
  specSeen: boolean;
  statusSeen: boolean;
}

export const ROLLOUT_COMPONENTS = ['deployment', 'replicaset-controller'] as const;
export const isRolloutEvent = (e: TraceEvent) => e.component === 'deployment' || (e.component === 'replicaset-controller' && e.type === 'replicaset.status');

const nsOf = (key: string) => key.slice(0, key.indexOf('/') + 1);
const zero = (): Counts => ({ replicas: 0, pods: 0, available: 0 });

interface Live {
  run: RolloutRun;
  newRS: string;
  rs: Map<string, RSCounts>;
  replicas: number;
  maxSurge: number;
  maxUnavailable: number;
  last: string;
}

/**
 * Which Deployment owns each ReplicaSet key (`ns/name`), from the whole trace: the ReplicaSet
 * controller can report a new ReplicaSet before the Deployment controller's event naming it.
 */
function ownersOf(trace: readonly TraceEvent[]): Map<string, string> {
  const owner = new Map<string, string>();
  for (const e of trace) {
    if (e.component !== 'deployment') continue;
    const d = String(e.deployment);
    const rs = e.type === 'deployment.rollout' ? e.newRS : e.type === 'deployment.scale' || e.type === 'deployment.newReplicaSet' || e.type === 'deployment.cleanup' ? e.replicaSet : undefined;
    if (typeof rs === 'string' && rs && !e.collision) owner.set(`${nsOf(d)}${rs}`, d);
  }
  return owner;
}

function sum(l: Live, which: 'new' | 'old'): Counts {
  const c = zero();
  for (const [name, v] of l.rs) {
    if ((name === l.newRS) !== (which === 'new')) continue;
    c.replicas += v.replicas;
    c.pods += v.pods;
    c.available += v.available;
  }
  return c;
}

const short = (rs: string) => (rs.length > 16 ? `${rs.slice(0, 15)}…` : rs);

/** The rollouts of every Deployment the trace shows, each as its steps. */
export function rolloutRuns(trace: readonly TraceEvent[]): RolloutRun[] {
  const owner = ownersOf(trace);
  const live = new Map<string, Live>();
  const liveOf = (d: string): Live => {
    let l = live.get(d);
    if (!l) {
      l = { run: { deployment: d, steps: [], replicaSets: [], peak: 1 }, newRS: '', rs: new Map(), replicas: 0, maxSurge: 0, maxUnavailable: 0, last: '' };
      live.set(d, l);
    }
    return l;
  };
  const rsOf = (l: Live, name: string): RSCounts => {
    let c = l.rs.get(name);
    if (!c) {
      c = { ...zero(), specSeen: false, statusSeen: false };
      // A named old ReplicaSet replaces the placeholder the sums stood in for.
      if (name !== '(old)' && name !== l.newRS) l.rs.delete('(old)');
      l.rs.set(name, c);
      if (name !== '(old)') l.run.replicaSets.push(name);
    }
    return c;
  };
  trace.forEach((e, index) => {
    let l: Live | undefined;
    let cause = '';
    if (e.component === 'deployment') {
      l = liveOf(String(e.deployment));
      switch (e.type) {
        case 'deployment.newReplicaSet':
          if (e.collision) return;
          l.newRS = String(e.replicaSet);
          Object.assign(rsOf(l, l.newRS), { replicas: Number(e.replicas), specSeen: true });
          cause = `new ReplicaSet ${short(l.newRS)} (revision ${String(e.revision)})`;
          break;
        case 'deployment.scale':
          Object.assign(rsOf(l, String(e.replicaSet)), { replicas: Number(e.to), specSeen: true });
          cause = `scale ${short(String(e.replicaSet))} ${String(e.from)} → ${String(e.to)} (${String(e.reason)})`;
          break;
        case 'deployment.cleanup':
          l.rs.delete(String(e.replicaSet));
          cause = `deleted old ReplicaSet ${short(String(e.replicaSet))}`;
          break;
        case 'deployment.rollout': {
          // Empty while a Recreate waits for the old pods to go: every ReplicaSet is old then.
          l.newRS = String(e.newRS);
          Object.assign(l, { replicas: Number(e.replicas), maxSurge: Number(e.maxSurge), maxUnavailable: Number(e.maxUnavailable) });
          // The sync's counts come from its informer cache and may be older than the scale it
          // just wrote or the status the ReplicaSet controller wrote since: they only fill in what
          // no write has said yet. The old ReplicaSets come summed: exact when there is one; with
          // several, each keeps what its own status and scale events said.
          const fill = (name: string, replicas: unknown, pods: unknown, available: unknown) => {
            const c = rsOf(l!, name);
            if (!c.specSeen) c.replicas = Number(replicas);
            if (!c.statusSeen) Object.assign(c, { pods: Number(pods), available: Number(available) });
          };
          if (l.newRS) fill(l.newRS, e.newReplicas, e.newPods, e.newAvailable);
          const old = [...l.rs.keys()].filter((n) => n !== l!.newRS);
          if (old.length <= 1 && (old.length === 1 || Number(e.oldPods) + Number(e.oldReplicas) > 0)) fill(old[0] ?? '(old)', e.oldReplicas, e.oldPods, e.oldAvailable);
          cause = 'sync';
          break;
        }
        default:
          return;
      }
    } else if (e.component === 'replicaset-controller' && e.type === 'replicaset.status') {
      const key = String(e.key);
      const d = owner.get(key);
      if (!d) return;
      l = liveOf(d);
      const name = key.slice(nsOf(key).length);
      Object.assign(rsOf(l, name), { pods: Number(e.replicas), available: Number(e.available), statusSeen: true });
      cause = `${short(name)} status`;
    } else return;
    const step: RolloutStep = { index, t: e.t, newRS: l.newRS, new: sum(l, 'new'), old: sum(l, 'old'), replicas: l.replicas, maxSurge: l.maxSurge, maxUnavailable: l.maxUnavailable, cause };
    const { index: _i, t: _t, cause: _c, ...shown } = step;
    const key = JSON.stringify(shown);
    if (key === l.last) return;
    l.last = key;
    l.run.steps.push(step);
    l.run.peak = Math.max(l.run.peak, step.old.pods + step.new.pods, step.old.replicas + step.new.replicas, step.replicas + step.maxSurge);
  });
  return [...live.values()].map((l) => l.run).filter((r) => r.steps.length > 0);
}

/** The step the cursor is on (the last one taken before it), or -1. */
export function stepAt(run: RolloutRun, cursor: number): number {
  let i = -1;
  for (let k = 0; k < run.steps.length && run.steps[k].index < cursor; k++) i = k;
  return i;
}

/** The run to show at the cursor: the one whose last step before it is the latest. */
export function runAt(runs: readonly RolloutRun[], cursor: number): number {
  let best = 0;
  let at = -1;
  runs.forEach((r, i) => {
    const s = stepAt(r, cursor);
    const idx = s >= 0 ? r.steps[s].index : -1;
    if (idx > at) [best, at] = [i, idx];
  });
  return best;
}
