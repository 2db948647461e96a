/**
 * Checks of the etcd-leader-election lab. The learner's LeaderElector runs as three candidates
 * against a replicated etcd (src/sim/etcdserver, etcd v3.6.0 on etcd-io/raft v3.6.0), each
 * through its own connection to its own member and with its own clock, which may run fast or
 * slow. The timings are client-go's defaults (tools/leaderelection: LeaseDuration 15 s,
 * RenewDeadline 10 s, RetryPeriod 2 s). Every 5 ms of virtual time (and whenever anything
 * happened) the check asks each live candidate whether it believes it leads: at most one may,
 * and the one that does must hold the key in etcd's committed state (the member that applied
 * the most). Faults: a candidate's connection cut (right after a keep-alive was answered, or
 * before), its etcd member cut off, its clock slowed, etcd losing its quorum, the holder's
 * process killed.
 */
import { AssertionError } from 'chai';
import { check } from '../../src/lab/checks';
import { newEnv, newEtcdCluster, runUntilIdle, type EtcdCluster, type EtcdClusterClient } from '../../src/sim/index';

const KEY = '/election/leader';
const CONFIG = { key: KEY, leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };
/** After faults heal (or the holder dies), someone must lead within this much. */
const LIVENESS_BOUND_MS = 30_000;
const SAMPLE_MS = 5;

interface Elector {
  isLeader(): boolean;
  run(): Promise<void>;
  stop(): void;
}
type ElectorClass = new (c: unknown, cfg: typeof CONFIG) => Elector;

function electorClass(learner: Record<string, unknown>): ElectorClass {
  const C = learner.LeaderElector;
  if (typeof C !== 'function') throw new AssertionError('main.ts must export the class LeaderElector');
  return C as ElectorClass;
}

const never = <T>(): Promise<T> => new Promise<T>(() => {});
const sec = (ms: number) => `${(ms / 1000).toFixed(3)} s`;

/**
 * One candidate's world: its connection to one etcd member (which the check can cut, holding
 * every call and answer until it is back, or kill with the process) and its local clock (a
 * random offset, a rate the check can change).
 */
class Node {
  readonly identity: string;
  dead = false;
  cut = false;
  /** Cut the connection right after the next keep-alive is answered (its answer waits). */
  cutAfterKeepAlive = false;
  #waiting: Array<() => void> = [];
  #base: number;
  #since: number;
  #rate: number;
  readonly client: EtcdClusterClient;

  constructor(
    readonly cluster: EtcdCluster,
    readonly id: number,
    rate: number,
    offset: number,
    readonly time: { at: number | undefined },
  ) {
    this.identity = `candidate-${id}`;
    this.client = cluster.client({ endpoint: id });
    this.#rate = rate;
    this.#base = offset;
    this.#since = cluster.clock.now();
  }

  get rate(): number {
    return this.#rate;
  }

  now(): number {
    return this.#base + ((this.time.at ?? this.cluster.clock.now()) - this.#since) * this.#rate;
  }

  setRate(rate: number): void {
    this.#base = this.now();
    this.#since = this.cluster.clock.now();
    this.#rate = rate;
  }

  reconnect(): void {
    this.cut = false;
    for (const w of this.#waiting.splice(0)) w();
  }

  async #up(): Promise<void> {
    if (this.dead) return never();
    if (this.cut) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    if (this.dead) return never();
  }

  async #call<T>(f: () => Promise<T>, after?: () => void): Promise<T> {
    await this.#up();
    let result: { ok: true; v: T } | { ok: false; err: unknown };
    try {
      result = { ok: true, v: await f() };
    } catch (err) {
      result = { ok: false, err };
    }
    after?.();
    await this.#up();
    if (!result.ok) throw result.err;
    return result.v;
  }

  /** What the learner's elector gets. */
  candidate() {
    const cli = this.client;
    return {
      identity: this.identity,
      etcd: {
        leaseGrant: (ttl: number) => this.#call(() => cli.leaseGrant(ttl)),
        leaseRevoke: (id: number) => this.#call(() => cli.leaseRevoke(id)),
        txn: (req: Parameters<EtcdClusterClient['txn']>[0]) => this.#call(() => cli.txn(req)),
        get: (key: string, opts?: Parameters<EtcdClusterClient['get']>[1]) => this.#call(() => cli.get(key, opts)),
        leaseKeepAlive: (id: number) =>
          this.#call(
            () => cli.leaseKeepAlive(id),
            () => {
              if (!this.cutAfterKeepAlive) return;
              this.cutAfterKeepAlive = false;
              this.cut = true;
            },
          ),
      },
      now: () => this.now(),
      sleep: (ms: number) => (this.dead ? never<void>() : this.cluster.clock.sleep(Math.max(0, ms) / this.#rate).then(() => this.#up())),
    };
  }
}

interface World {
  cluster: EtcdCluster;
  nodes: Node[];
  electors: Elector[];
  /** The first safety violation seen, as a sentence. */
  violation?: string;
  /** While sampling between timers: the virtual time the candidates' clocks read. */
  time: { at: number | undefined };
  /** The key's value in each member's store. */
  values: Map<number, string | undefined>;
  /** What happened so far, for failure messages. */
  story: string[];
}

/** The key's value in each member's store, kept from its commits (a snapshot per sample costs too much). */
function trackKey(cluster: EtcdCluster): Map<number, string | undefined> {
  const values = new Map<number, string | undefined>();
  for (const id of cluster.members()) {
    values.set(id, undefined);
    cluster.member(id)!.store.onCommit((change) => {
      for (const op of change.ops) if (op.key === KEY) values.set(id, op.type === 'put' ? op.value : undefined);
    });
  }
  return values;
}

/** The key's value in the committed state: the store of the member that applied the most. */
function committedHolder(w: World): string | undefined {
  let best: { applied: number; id: number } | undefined;
  for (const id of w.cluster.members()) {
    const m = w.cluster.member(id);
    if (m && (!best || m.appliedIndex > best.applied)) best = { applied: m.appliedIndex, id };
  }
  return best && w.values.get(best.id);
}

/**
 * Samples at every quiescent point, then at each 5 ms step up to the next timer: nothing runs
 * in between, so the state is the same and only the candidates' clocks move (read through
 * `w.time.at`), without a round of the simulation per sample.
 */
function sample(w: World, endMs: number): void {
  const now = w.cluster.clock.now();
  sampleAt(w, now);
  const next = Math.min(w.cluster.clock.nextWaiterAt() ?? endMs, endMs);
  for (let t = (Math.floor(now / SAMPLE_MS) + 1) * SAMPLE_MS; t < next && !w.violation; t += SAMPLE_MS) {
    w.time.at = t;
    try {
      sampleAt(w, t);
    } finally {
      w.time.at = undefined;
    }
  }
}

function sampleAt(w: World, t: number): void {
  if (w.violation) return;
  const believers = w.nodes.filter((n, i) => !n.dead && w.electors[i].isLeader());
  if (believers.length === 0) return;
  const when = `at t=${sec(t)} (${w.story.join('; ')})`;
  if (believers.length > 1) {
    w.violation = `${when}: ${believers.map((n) => n.identity).join(' and ')} both believe they lead`;
    return;
  }
  const holder = committedHolder(w);
  if (holder !== believers[0].identity) {
    w.violation = `${when}: ${believers[0].identity} believes it leads, but etcd's key ${KEY} ${holder === undefined ? 'is gone (its lease expired and etcd revoked it)' : `holds ${holder}`}`;
  }
}

/** A 3-member etcd and three candidates with random clock rates in [0.8, 1.25] and offsets. */
async function newWorld(Elector: ElectorClass, seed: number): Promise<World> {
  const env = newEnv({ seed });
  const rng = env.rng.fork('leader-election');
  const cluster = newEtcdCluster({ size: 3, env, safetyCheck: false });
  await runUntilIdle(cluster.clock, { forMs: 3_000, until: () => cluster.leader() !== undefined });
  const time = { at: undefined as number | undefined };
  const nodes = cluster.members().map((id) => new Node(cluster, id, 0.8 + rng.float() * 0.45, (rng.float() - 0.5) * 3_600_000, time));
  const electors = nodes.map((n) => new Elector(n.candidate(), { ...CONFIG }));
  const w: World = { cluster, nodes, electors, time, values: trackKey(cluster), story: [`seed ${seed}`, `clock rates ${nodes.map((n) => n.rate.toFixed(2)).join(', ')}`] };
  for (const e of electors) void Promise.resolve(e.run()).catch(() => {});
  return w;
}

async function runFor(w: World, ms: number): Promise<void> {
  const end = w.cluster.clock.now() + ms;
  await runUntilIdle(w.cluster.clock, { forMs: ms, until: () => (sample(w, end), w.violation !== undefined) });
}

/** Runs until some live candidate believes it leads; the time it took, or undefined. */
async function untilLed(w: World, maxMs: number): Promise<number | undefined> {
  const t0 = w.cluster.clock.now();
  const led = () => w.nodes.some((n, i) => !n.dead && w.electors[i].isLeader());
  await runUntilIdle(w.cluster.clock, { forMs: maxMs, until: () => (sample(w, t0 + maxMs), w.violation !== undefined || led()) });
  return led() ? w.cluster.clock.now() - t0 : undefined;
}

function holderNode(w: World): Node | undefined {
  return w.nodes.find((n, i) => !n.dead && w.electors[i].isLeader());
}

function expectSafe(w: World): void {
  if (w.violation) throw new AssertionError(w.violation);
}

async function firstHolder(w: World): Promise<Node> {
  const took = await untilLed(w, 10_000);
  expectSafe(w);
  const h = holderNode(w);
  if (took === undefined || !h) throw new AssertionError(`${w.story.join('; ')}: nobody believed it led within 10 s of starting three candidates on a healthy etcd`);
  return h;
}

function stopAll(w: World): void {
  for (const e of w.electors) e.stop();
  for (const n of w.nodes) n.dead = true;
}

export const predictsSkew = check(
  'Predicts how much clock drift the 15 s lease and 10 s renew deadline tolerate, and whose clock matters',
  ({ learner, expect }) => {
    const p = learner.predictions as { slowestSafeRate?: unknown; fastChallengerTakesEarly?: unknown } | undefined;
    expect(p, 'main.ts must export an object named `predictions`').to.be.an('object');
    expect(p!.slowestSafeRate, 'predictions.slowestSafeRate (local ms per real ms)').to.be.a('number');
    const want = CONFIG.renewDeadlineMs / CONFIG.leaseDurationMs;
    const got = p!.slowestSafeRate as number;
    if (!(Math.abs(got - want) <= 0.01)) {
      const lasts = got > 0 ? CONFIG.renewDeadlineMs / got / 1000 : Infinity;
      const verdict = lasts > CONFIG.leaseDurationMs / 1000 ? 'longer than the 15 s etcd keeps the lease after that renew: two could lead' : 'well inside the 15 s lease: a slower clock would still be safe';
      throw new AssertionError(`predictions.slowestSafeRate is ${String(got)}: at that rate the holder's 10 s renew deadline ${lasts === Infinity ? 'never ends' : `ends ${lasts.toFixed(1)} s of real time after the renew it sent`}, ${verdict}`);
    }
    expect(p!.fastChallengerTakesEarly, 'predictions.fastChallengerTakesEarly').to.equal(false);
  },
  { hint: 'Who measures the 15 s? In etcd the lease expires on the etcd leader’s clock; the holder measures only its own renew deadline.' },
);

export const oneHolder = check(
  'Three candidates on a healthy etcd: one takes the key, and never two believe they lead',
  async ({ learner, seeds }) => {
    const Elector = electorClass(learner);
    for (const seed of seeds.slice(0, 2)) {
      const w = await newWorld(Elector, seed);
      const h = await firstHolder(w);
      await runFor(w, 20_000);
      expectSafe(w);
      const kv = (await w.nodes[0].client.get(KEY, { serializable: true })).kvs[0];
      stopAll(w);
      if (!kv || kv.lease === 0) throw new AssertionError(`${w.story.join('; ')}: ${h.identity} leads, but ${kv ? `the key ${KEY} has no lease: if its process dies, nobody can ever take it` : `there is no key ${KEY}`}`);
    }
  },
  { hint: 'Between reading “nobody holds the key” and writing it, another candidate may write it. etcd’s txn compares and writes in one step: which compare says the key does not exist?' },
);

export const safeUnderFaults = check(
  'One holder at a time when the holder’s connection or member is cut off, even when its clock runs slow',
  async ({ learner, seeds }) => {
    const Elector = electorClass(learner);
    for (const seed of seeds.slice(0, 2)) {
      // 1. The holder's clock runs 25% slow, and its connection drops before its next renew.
      {
        const w = await newWorld(Elector, seed);
        const h = await firstHolder(w);
        await runFor(w, 3_000);
        h.setRate(0.75);
        h.cut = true;
        w.story.push(`${h.identity}'s clock slowed to 0.75 and its connection cut at ${sec(w.cluster.clock.now())}`);
        await runFor(w, 25_000);
        h.reconnect();
        w.story.push(`reconnected at ${sec(w.cluster.clock.now())}`);
        await runFor(w, 10_000);
        stopAll(w);
        expectSafe(w);
      }
      // 2. The holder's connection drops just after etcd answered a keep-alive: the answer arrives 25 s late.
      {
        const w = await newWorld(Elector, seed);
        const h = await firstHolder(w);
        h.cutAfterKeepAlive = true;
        await runFor(w, 3_000);
        w.story.push(`${h.identity}'s connection cut just after etcd answered its keep-alive, at ${sec(w.cluster.clock.now())} or so`);
        await runFor(w, 25_000);
        h.reconnect();
        w.story.push(`the answer arrived at ${sec(w.cluster.clock.now())}`);
        await runFor(w, 10_000);
        stopAll(w);
        expectSafe(w);
      }
      // 3. The holder's etcd member is cut off from the other two (its renews hang, then time out).
      {
        const w = await newWorld(Elector, seed);
        const h = await firstHolder(w);
        await runFor(w, 1_000);
        w.cluster.raft.partition([[h.id], w.cluster.members().filter((id) => id !== h.id)], 'holder cut');
        w.story.push(`member ${h.id} (${h.identity}'s) cut off at ${sec(w.cluster.clock.now())}`);
        await runFor(w, 25_000);
        w.cluster.raft.heal();
        await runFor(w, 10_000);
        stopAll(w);
        expectSafe(w);
      }
    }
  },
  { hint: 'etcd starts the lease’s 15 s when it gets your renew, on its own clock. From which moment, and on which clock, may you count your 10 s — and what must isLeader() say while a renew is still on its way?' },
);

export const leadsAgain = check(
  'Someone leads again within 30 s after the holder’s process dies, and after etcd gets its quorum back',
  async ({ learner, seeds }) => {
    const Elector = electorClass(learner);
    for (const seed of seeds.slice(0, 2)) {
      // The holder's process dies without letting go.
      {
        const w = await newWorld(Elector, seed);
        const h = await firstHolder(w);
        await runFor(w, 3_000);
        h.dead = true;
        w.story.push(`${h.identity}'s process killed at ${sec(w.cluster.clock.now())}`);
        const took = await untilLed(w, LIVENESS_BOUND_MS);
        stopAll(w);
        expectSafe(w);
        if (took === undefined) throw new AssertionError(`${w.story.join('; ')}: nobody led in the ${LIVENESS_BOUND_MS / 1000} s after; the key ${KEY} still holds ${committedHolder(w) ?? '(nothing)'}`);
      }
      // etcd loses its quorum for 20 s.
      {
        const w = await newWorld(Elector, seed);
        await firstHolder(w);
        await runFor(w, 3_000);
        w.cluster.raft.partition(w.cluster.members().map((id) => [id]), 'no quorum');
        w.story.push(`etcd lost its quorum at ${sec(w.cluster.clock.now())}`);
        await runFor(w, 20_000);
        w.cluster.raft.heal();
        w.story.push(`healed at ${sec(w.cluster.clock.now())}`);
        const took = await untilLed(w, LIVENESS_BOUND_MS);
        stopAll(w);
        expectSafe(w);
        if (took === undefined) throw new AssertionError(`${w.story.join('; ')}: nobody led in the ${LIVENESS_BOUND_MS / 1000} s after; the key ${KEY} holds ${committedHolder(w) ?? '(nothing)'}`);
      }
    }
  },
  { hint: 'A holder that dies never lets go by itself: what makes etcd delete its key? And a candidate that stepped down must go back to trying.' },
);
