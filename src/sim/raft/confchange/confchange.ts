/**
 * Applying configuration changes to a tracker: simple (one voter at a time) and joint
 * consensus (enter / leave). Upstream: confchange/confchange.go and confchange/restore.go at
 * etcd-io/raft v3.6.0. Each returns a new config and progress map, or throws the upstream text.
 */
import type { ConfChangeSingle, ConfState } from '../raftpb';
import { jointIDs } from '../quorum/quorum';
import { Progress, type ProgressMap } from '../tracker/progress';
import { Inflights } from '../tracker/inflights';
import { cloneTrackerConfig, type ProgressTracker, type TrackerConfig } from '../tracker/tracker';

export interface ChangeResult {
  config: TrackerConfig;
  progress: ProgressMap;
}

/** Upstream: confchange/confchange.go (Changer) */
export class Changer {
  constructor(
    readonly tracker: ProgressTracker,
    /** The leader's last index: a new peer's Next. */
    readonly lastIndex: number,
  ) {}

  /** Enters a joint config: the incoming config gets the changes, the outgoing keeps the old voters. Upstream: confchange/confchange.go (Changer.EnterJoint) */
  enterJoint(autoLeave: boolean, ...ccs: ConfChangeSingle[]): ChangeResult {
    const { config: cfg, progress: trk } = this.checkAndCopy();
    if (joint(cfg)) throw new Error('config is already joint');
    if (cfg.voters[0].size === 0) throw new Error("can't make a zero-voter config joint");
    cfg.voters[1] = new Set(cfg.voters[0]);
    this.apply(cfg, trk, ccs);
    cfg.autoLeave = autoLeave;
    return checkAndReturn(cfg, trk);
  }

  /** Leaves the joint config: the outgoing half is dropped. Upstream: confchange/confchange.go (Changer.LeaveJoint) */
  leaveJoint(): ChangeResult {
    const { config: cfg, progress: trk } = this.checkAndCopy();
    if (!joint(cfg)) throw new Error("can't leave a non-joint config");
    for (const id of cfg.learnersNext ?? []) {
      cfg.learners = nilAwareAdd(cfg.learners, id);
      trk.get(id)!.isLearner = true;
    }
    cfg.learnersNext = undefined;
    for (const id of cfg.voters[1] ?? []) {
      if (!cfg.voters[0].has(id) && !cfg.learners?.has(id)) trk.delete(id);
    }
    cfg.voters[1] = undefined;
    cfg.autoLeave = false;
    return checkAndReturn(cfg, trk);
  }

  /** At most one voter changes, without a joint config. Upstream: confchange/confchange.go (Changer.Simple) */
  simple(...ccs: ConfChangeSingle[]): ChangeResult {
    const { config: cfg, progress: trk } = this.checkAndCopy();
    if (joint(cfg)) throw new Error("can't apply simple config change in joint config");
    this.apply(cfg, trk, ccs);
    if (symdiff(this.tracker.config.voters[0], cfg.voters[0]) > 1) throw new Error('more than one voter changed without entering joint config');
    return checkAndReturn(cfg, trk);
  }

  // Upstream: confchange/confchange.go (Changer.apply)
  private apply(cfg: TrackerConfig, trk: ProgressMap, ccs: ConfChangeSingle[]): void {
    for (const cc of ccs) {
      if (cc.nodeId === 0) continue; // etcd replaces the NodeID with zero if it decides not to apply
      switch (cc.type) {
        case 'ConfChangeAddNode':
          this.makeVoter(cfg, trk, cc.nodeId);
          break;
        case 'ConfChangeAddLearnerNode':
          this.makeLearner(cfg, trk, cc.nodeId);
          break;
        case 'ConfChangeRemoveNode':
          this.remove(cfg, trk, cc.nodeId);
          break;
        case 'ConfChangeUpdateNode':
          break;
        default:
          throw new Error(`unexpected conf type ${String((cc as ConfChangeSingle).type)}`);
      }
    }
    if (cfg.voters[0].size === 0) throw new Error('removed all voters');
  }

  // Upstream: confchange/confchange.go (Changer.makeVoter)
  private makeVoter(cfg: TrackerConfig, trk: ProgressMap, id: number): void {
    const pr = trk.get(id);
    if (!pr) {
      this.initProgress(cfg, trk, id, false);
      return;
    }
    pr.isLearner = false;
    cfg.learners = nilAwareDelete(cfg.learners, id);
    cfg.learnersNext = nilAwareDelete(cfg.learnersNext, id);
    cfg.voters[0].add(id);
  }

  /** A voter of the outgoing config becomes a learner only when the joint config is left. Upstream: confchange/confchange.go (Changer.makeLearner) */
  private makeLearner(cfg: TrackerConfig, trk: ProgressMap, id: number): void {
    const pr = trk.get(id);
    if (!pr) {
      this.initProgress(cfg, trk, id, true);
      return;
    }
    if (pr.isLearner) return;
    // Remove any existing voter in the incoming config, keeping the progress.
    this.remove(cfg, trk, id);
    trk.set(id, pr);
    if (cfg.voters[1]?.has(id)) {
      cfg.learnersNext = nilAwareAdd(cfg.learnersNext, id);
    } else {
      pr.isLearner = true;
      cfg.learners = nilAwareAdd(cfg.learners, id);
    }
  }

  // Upstream: confchange/confchange.go (Changer.remove)
  private remove(cfg: TrackerConfig, trk: ProgressMap, id: number): void {
    if (!trk.has(id)) return;
    cfg.voters[0].delete(id);
    cfg.learners = nilAwareDelete(cfg.learners, id);
    cfg.learnersNext = nilAwareDelete(cfg.learnersNext, id);
    // A voter of the outgoing config keeps its progress.
    if (!cfg.voters[1]?.has(id)) trk.delete(id);
  }

  // Upstream: confchange/confchange.go (Changer.initProgress)
  private initProgress(cfg: TrackerConfig, trk: ProgressMap, id: number, isLearner: boolean): void {
    if (!isLearner) cfg.voters[0].add(id);
    else cfg.learners = nilAwareAdd(cfg.learners, id);
    trk.set(
      id,
      new Progress({
        // Start probing at the leader's last index: an optimistic guess.
        match: 0,
        next: Math.max(this.lastIndex, 1), // invariant: match < next
        inflights: new Inflights(this.tracker.maxInflight, this.tracker.maxInflightBytes),
        isLearner,
        // Count a new peer as active, or CheckQuorum may step the leader down at once.
        recentActive: true,
      }),
    );
  }

  // Upstream: confchange/confchange.go (Changer.checkAndCopy)
  private checkAndCopy(): ChangeResult {
    const cfg = cloneTrackerConfig(this.tracker.config);
    const trk: ProgressMap = new Map();
    for (const [id, pr] of this.tracker.progress) trk.set(id, pr.copy());
    return checkAndReturn(cfg, trk);
  }
}

// Upstream: confchange/confchange.go (checkInvariants)
function checkInvariants(cfg: TrackerConfig, trk: ProgressMap): void {
  for (const ids of [jointIDs(cfg.voters), cfg.learners ?? new Set<number>(), cfg.learnersNext ?? new Set<number>()]) {
    for (const id of ids) if (!trk.has(id)) throw new Error(`no progress for ${id}`);
  }
  for (const id of cfg.learnersNext ?? []) {
    if (!cfg.voters[1]?.has(id)) throw new Error(`${id} is in LearnersNext, but not Voters[1]`);
    if (trk.get(id)!.isLearner) throw new Error(`${id} is in LearnersNext, but is already marked as learner`);
  }
  for (const id of cfg.learners ?? []) {
    if (cfg.voters[1]?.has(id)) throw new Error(`${id} is in Learners and Voters[1]`);
    if (cfg.voters[0].has(id)) throw new Error(`${id} is in Learners and Voters[0]`);
    if (!trk.get(id)!.isLearner) throw new Error(`${id} is in Learners, but is not marked as learner`);
  }
  if (!joint(cfg)) {
    if (cfg.voters[1] !== undefined) throw new Error('cfg.Voters[1] must be nil when not joint');
    if (cfg.learnersNext !== undefined) throw new Error('cfg.LearnersNext must be nil when not joint');
    if (cfg.autoLeave) throw new Error('AutoLeave must be false when not joint');
  }
}

function checkAndReturn(config: TrackerConfig, progress: ProgressMap): ChangeResult {
  checkInvariants(config, progress);
  return { config, progress };
}

function nilAwareAdd(m: Set<number> | undefined, id: number): Set<number> {
  const out = m ?? new Set<number>();
  out.add(id);
  return out;
}

function nilAwareDelete(m: Set<number> | undefined, id: number): Set<number> | undefined {
  if (!m) return undefined;
  m.delete(id);
  return m.size === 0 ? undefined : m;
}

// Upstream: confchange/confchange.go (symdiff)
function symdiff(l: Set<number>, r: Set<number>): number {
  let n = 0;
  for (const id of l) if (!r.has(id)) n++;
  for (const id of r) if (!l.has(id)) n++;
  return n;
}

// Upstream: confchange/confchange.go (joint)
function joint(cfg: TrackerConfig): boolean {
  return (cfg.voters[1]?.size ?? 0) > 0;
}

/** Upstream: confchange/restore.go (toConfChangeSingle) */
function toConfChangeSingle(cs: ConfState): { out: ConfChangeSingle[]; in: ConfChangeSingle[] } {
  const out: ConfChangeSingle[] = [];
  const inc: ConfChangeSingle[] = [];
  // The outgoing config is built first (as a simple config), then the incoming one is entered
  // jointly by removing the outgoing voters and adding the incoming ones.
  for (const id of cs.votersOutgoing) out.push({ type: 'ConfChangeAddNode', nodeId: id });
  for (const id of cs.votersOutgoing) inc.push({ type: 'ConfChangeRemoveNode', nodeId: id });
  for (const id of cs.voters) inc.push({ type: 'ConfChangeAddNode', nodeId: id });
  for (const id of cs.learners) inc.push({ type: 'ConfChangeAddLearnerNode', nodeId: id });
  // LearnersNext are voters of the outgoing config: adding them as learners puts them in learnersNext.
  for (const id of cs.learnersNext) inc.push({ type: 'ConfChangeAddLearnerNode', nodeId: id });
  return { out, in: inc };
}

/** Builds the tracker config a ConfState describes, one change at a time. Upstream: confchange/restore.go (Restore) */
export function restore(chg: Changer, cs: ConfState): ChangeResult {
  const { out, in: inc } = toConfChangeSingle(cs);
  let tracker = chg.tracker;
  const step = (f: (c: Changer) => ChangeResult) => {
    const res = f(new Changer(tracker, chg.lastIndex));
    const next = Object.create(Object.getPrototypeOf(tracker)) as ProgressTracker;
    Object.assign(next, tracker, { config: res.config, progress: res.progress });
    tracker = next;
  };
  if (out.length === 0) {
    for (const cc of inc) step((c) => c.simple(cc));
  } else {
    for (const cc of out) step((c) => c.simple(cc));
    step((c) => c.enterJoint(cs.autoLeave, ...inc));
  }
  return { config: tracker.config, progress: tracker.progress };
}

// Upstream: confchange/confchange.go (Describe)
export function describeConfChanges(ccs: ConfChangeSingle[]): string {
  return ccs.map((cc) => `${cc.type}(${cc.nodeId})`).join(' ');
}
