/**
 * A nemesis after Jepsen's: a schedule of faults drawn from a seed, with a text form that prints
 * and parses back, so a failing seed prints its schedule and the schedule replays byte for byte
 * (from the seed, or from the text alone).
 *
 * The schedule is a list of episodes: a quiet gap, a fault, its recovery. Episodes do not
 * overlap, and every fault is undone before `durationMs`, so the cluster ends healthy and the
 * checkers can ask whether it recovered. Each episode's fault is one of `faults`:
 * - `partition`: the members split in two random non-empty sides, then `heal`;
 * - `crash`: up to a minority of members crash, then `restart` in the same order;
 * - `pause`: up to a minority pause, then `resume`;
 * - `skew`: one member's clock runs at a drawn rate, then back at 1;
 * - `loss`: the network loses a drawn share of messages, then none;
 * - `flap` (not drawn unless asked for): two to four random splits in a row, each replacing the
 *   last without a heal between, then `heal` (a member can move from a stale minority straight
 *   into another side, its old log intact).
 */
import type { Rng } from '../core/rng';
import type { FakeClock, Timer } from '../core/clock';

/** A kind of fault the nemesis may draw. */
export type NemesisFault = 'partition' | 'crash' | 'pause' | 'skew' | 'loss' | 'flap';

/** One thing the nemesis does. */
export type NemesisAction =
  | { kind: 'partition'; groups: number[][] }
  | { kind: 'heal' }
  | { kind: 'crash'; id: number }
  | { kind: 'restart'; id: number }
  | { kind: 'pause'; id: number }
  | { kind: 'resume'; id: number }
  | { kind: 'skew'; id: number; rate: number }
  | { kind: 'loss'; rate: number };

/** An action at a virtual time (ms since the schedule started). */
export interface TimedAction {
  atMs: number;
  action: NemesisAction;
}

export interface NemesisOptions {
  /** The member ids (at least one; two for partitions). */
  members: number[];
  /** Every fault is over by then. */
  durationMs: number;
  /** The kinds to draw from (default all five). */
  faults?: NemesisFault[];
  /** Quiet time before each fault, drawn in `[min, max]` (default 500..2000 ms). */
  gapMs?: { min: number; max: number };
  /** How long each fault lasts, drawn in `[min, max]` (default 500..3000 ms). */
  faultMs?: { min: number; max: number };
  /** Clock rates a skew may draw (default 0.5, 0.8, 1.25, 2). */
  skewRates?: number[];
  /** Loss rates a loss may draw (default 0.05, 0.2, 0.5). */
  lossRates?: number[];
}

/** The faults drawn by default. */
export const ALL_FAULTS: readonly NemesisFault[] = ['partition', 'crash', 'pause', 'skew', 'loss'];
/** Every fault a schedule may ask for. */
const KNOWN_FAULTS: readonly NemesisFault[] = [...ALL_FAULTS, 'flap'];

/** Draws a schedule: the same generator state and options give the same schedule. */
export function drawSchedule(rng: Rng, options: NemesisOptions): TimedAction[] {
  const members = [...options.members];
  if (members.length === 0 || members.some((m) => !Number.isInteger(m) || m <= 0)) {
    throw new RangeError(`drawSchedule: members must be node ids > 0, got ${JSON.stringify(options.members)}`);
  }
  const durationMs = options.durationMs;
  if (!Number.isInteger(durationMs) || durationMs < 0) throw new RangeError(`drawSchedule: durationMs must be whole milliseconds >= 0, got ${String(durationMs)}`);
  const faults = (options.faults ?? [...ALL_FAULTS]).filter((f) => (f !== 'partition' && f !== 'flap') || members.length >= 2);
  for (const f of faults) if (!KNOWN_FAULTS.includes(f)) throw new RangeError(`drawSchedule: unknown fault ${JSON.stringify(f)} (known: ${KNOWN_FAULTS.join(', ')})`);
  const gap = range('gapMs', options.gapMs ?? { min: 500, max: 2000 });
  const span = range('faultMs', options.faultMs ?? { min: 500, max: 3000 });
  const skewRates = options.skewRates ?? [0.5, 0.8, 1.25, 2];
  const lossRates = options.lossRates ?? [0.05, 0.2, 0.5];
  const minority = Math.max(1, Math.floor((members.length - 1) / 2));
  const between = (r: { min: number; max: number }) => r.min + rng.int(r.max - r.min + 1);

  const out: TimedAction[] = [];
  if (faults.length === 0) return out;
  let t = between(gap);
  while (t < durationMs) {
    const fault = rng.pick(faults);
    const end = Math.min(t + Math.max(1, between(span)), durationMs);
    const at = (atMs: number, action: NemesisAction) => out.push({ atMs, action });
    switch (fault) {
      case 'partition': {
        const shuffled = rng.shuffle(members);
        const cut = 1 + rng.int(members.length - 1);
        at(t, { kind: 'partition', groups: canonicalGroups([shuffled.slice(0, cut), shuffled.slice(cut)]) });
        at(end, { kind: 'heal' });
        break;
      }
      case 'flap': {
        const splits = 2 + rng.int(3);
        for (let i = 0; i < splits; i++) {
          const shuffled = rng.shuffle(members);
          const cut = 1 + rng.int(members.length - 1);
          at(t + Math.floor(((end - t) * i) / splits), { kind: 'partition', groups: canonicalGroups([shuffled.slice(0, cut), shuffled.slice(cut)]) });
        }
        at(end, { kind: 'heal' });
        break;
      }
      case 'crash':
      case 'pause': {
        const victims = rng.shuffle(members).slice(0, 1 + rng.int(minority));
        for (const id of victims) at(t, fault === 'crash' ? { kind: 'crash', id } : { kind: 'pause', id });
        for (const id of victims) at(end, fault === 'crash' ? { kind: 'restart', id } : { kind: 'resume', id });
        break;
      }
      case 'skew': {
        const id = rng.pick(members);
        at(t, { kind: 'skew', id, rate: rng.pick(skewRates) });
        at(end, { kind: 'skew', id, rate: 1 });
        break;
      }
      case 'loss':
        at(t, { kind: 'loss', rate: rng.pick(lossRates) });
        at(end, { kind: 'loss', rate: 0 });
        break;
    }
    t = end + between(gap);
  }
  return out;
}

/** One line per action: `1200ms partition {1,2} {3,4,5}`, `3000ms crash 3`, `5000ms skew 2 1.25`. */
export function formatSchedule(schedule: readonly TimedAction[]): string {
  return schedule.map(formatAction).join('\n') + (schedule.length ? '\n' : '');
}

export function formatAction({ atMs, action }: TimedAction): string {
  const a = action;
  switch (a.kind) {
    case 'partition':
      return `${atMs}ms partition ${a.groups.map((g) => `{${g.join(',')}}`).join(' ')}`;
    case 'heal':
      return `${atMs}ms heal`;
    case 'crash':
    case 'restart':
    case 'pause':
    case 'resume':
      return `${atMs}ms ${a.kind} ${a.id}`;
    case 'skew':
      return `${atMs}ms skew ${a.id} ${a.rate}`;
    case 'loss':
      return `${atMs}ms loss ${a.rate}`;
  }
}

/**
 * Reads what {@link formatSchedule} printed (blank lines and `#` comments are skipped). An error
 * names the line and says what was expected.
 */
export function parseSchedule(text: string): TimedAction[] {
  const out: TimedAction[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const fail = (why: string): never => {
      throw new SyntaxError(`parseSchedule: line ${i + 1}: ${why}: ${JSON.stringify(raw)}`);
    };
    const m = line.match(/^(\d+)ms\s+(\w+)(?:\s+(.*))?$/);
    if (!m) fail('expected "<time>ms <action> [args]", e.g. "1200ms crash 3"');
    const atMs = Number(m![1]);
    const kind = m![2];
    const args = (m![3] ?? '').trim();
    const words = args === '' ? [] : args.split(/\s+/);
    const id = (w: string | undefined): number => {
      if (w === undefined || !/^\d+$/.test(w) || Number(w) === 0) fail(`expected a node id > 0, got ${w === undefined ? 'nothing' : JSON.stringify(w)}`);
      return Number(w);
    };
    const num = (w: string | undefined): number => {
      const n = Number(w);
      if (w === undefined || w === '' || !Number.isFinite(n)) fail(`expected a number, got ${w === undefined ? 'nothing' : JSON.stringify(w)}`);
      return n;
    };
    const arity = (n: number) => {
      if (words.length !== n) fail(`${kind} takes ${n} argument(s), got ${words.length}`);
    };
    let action: NemesisAction;
    switch (kind) {
      case 'partition': {
        const groups = [...args.matchAll(/\{([^}]*)\}/g)].map((g) => g[1].split(',').filter((s) => s.trim() !== '').map((s) => id(s.trim())));
        if (groups.length === 0 || args.replace(/\{[^}]*\}/g, '').trim() !== '') fail('expected groups like {1,2} {3,4,5}');
        action = { kind, groups };
        break;
      }
      case 'heal':
        arity(0);
        action = { kind };
        break;
      case 'crash':
      case 'restart':
      case 'pause':
      case 'resume':
        arity(1);
        action = { kind, id: id(words[0]) };
        break;
      case 'skew':
        arity(2);
        action = { kind, id: id(words[0]), rate: num(words[1]) };
        break;
      case 'loss':
        arity(1);
        action = { kind, rate: num(words[0]) };
        break;
      default:
        return fail(`unknown action ${JSON.stringify(kind)} (known: partition, heal, crash, restart, pause, resume, skew, loss)`);
    }
    if (out.length && atMs < out[out.length - 1].atMs) fail(`time ${atMs}ms is before the previous action's ${out[out.length - 1].atMs}ms`);
    out.push({ atMs, action });
  });
  return out;
}

/** What a nemesis acts on: the network's fault API (a raftnet Network has it). */
export interface NemesisTarget {
  partition(groups: number[][], name?: string): void;
  heal(): void;
  crash(id: number): void;
  restart(id: number): void;
  pause(id: number): void;
  resume(id: number): void;
  skew(id: number, rate: number): void;
  setLossRate(rate: number): void;
}

/** Does one action to `target`. */
export function applyAction(target: NemesisTarget, action: NemesisAction): void {
  switch (action.kind) {
    case 'partition':
      return target.partition(action.groups, 'nemesis');
    case 'heal':
      return target.heal();
    case 'crash':
      return target.crash(action.id);
    case 'restart':
      return target.restart(action.id);
    case 'pause':
      return target.pause(action.id);
    case 'resume':
      return target.resume(action.id);
    case 'skew':
      return target.skew(action.id, action.rate);
    case 'loss':
      return target.setLossRate(action.rate);
  }
}

/**
 * Puts each action on the clock at `startMs + atMs` (default: now), in schedule order; `apply`
 * does it (e.g. `(a) => { applyAction(net, a); cluster.onNemesis(a); }`). Returns a function
 * that cancels the actions not yet done.
 */
export function scheduleOn(clock: FakeClock, schedule: readonly TimedAction[], apply: (action: NemesisAction) => void, startMs = clock.now()): () => void {
  const timers: Timer[] = schedule.map(({ atMs, action }) => clock.afterAt(startMs + atMs, () => apply(action)));
  return () => {
    for (const t of timers) t.stop();
  };
}

function canonicalGroups(groups: number[][]): number[][] {
  return groups.map((g) => [...g].sort((a, b) => a - b)).sort((a, b) => a[0] - b[0]);
}

function range(what: string, r: { min: number; max: number }): { min: number; max: number } {
  if (!Number.isInteger(r?.min) || !Number.isInteger(r?.max) || r.min < 0 || r.max < r.min) {
    throw new RangeError(`drawSchedule: ${what} must be { min, max } in whole milliseconds, 0 <= min <= max; got ${JSON.stringify(r)}`);
  }
  return r;
}
