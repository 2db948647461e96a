/**
 * The seeded network: determinism, partitions, loss and duplication rates, FIFO links unless
 * reordering is on, pause / resume, crash / restart, link rules (after raft_test.go's network:
 * drop, cut, isolate, ignore, recover) and the inspection API.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/sim/core/clock';
import { newEnv } from '../../src/sim/core/env';
import { rngFromSeed } from '../../src/sim/core/rng';
import { TraceRecorder } from '../../src/sim/core/trace';
import { raftnetEvents } from '../../src/sim/raftnet/events';
import { newNetwork, type Network, type NetworkConfig } from '../../src/sim/raftnet/network';

interface Msg {
  from: number;
  to: number;
  type: string;
  n: number;
}

/** A network of nodes 1..count whose deliveries go to one log of `t to<-from type n`. */
function setup(seed: number | string, cfg: Partial<NetworkConfig<Msg>> = {}, count = 3) {
  const trace = new TraceRecorder();
  const env = newEnv({ seed, trace });
  const net = newNetwork<Msg>({ env, detail: (m) => ({ n: m.n }), ...cfg });
  const log: string[] = [];
  const got = new Map<number, Msg[]>();
  for (let id = 1; id <= count; id++) {
    got.set(id, []);
    net.register(id, (m) => {
      log.push(`${env.clock.now()} ${m.to}<-${m.from} ${m.type} ${m.n}`);
      got.get(id)!.push(m);
    });
  }
  return { env, net, log, got, trace, clock: env.clock };
}

/** Sends `k` messages round-robin between all pairs, one per ms. */
function chatter(net: Network<Msg>, clock: FakeClock, k: number, count = 3): void {
  for (let i = 0; i < k; i++) {
    const from = (i % count) + 1;
    const to = ((i + 1 + Math.floor(i / count)) % count) + 1;
    if (from !== to) net.send({ from, to, type: i % 2 ? 'MsgApp' : 'MsgHeartbeat', n: i });
    clock.step(1);
  }
  clock.step(1000);
}

describe('determinism', () => {
  it('the same seed gives the same deliveries and the same trace, byte for byte', () => {
    const run = (seed: number) => {
      const s = setup(seed, { latencyMs: { min: 1, max: 30 }, lossRate: 0.1, duplicateRate: 0.1, reorder: true });
      chatter(s.net, s.clock, 300);
      return { log: s.log.join('\n'), trace: JSON.stringify(s.trace.events) };
    };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (seed) => {
        expect(run(seed)).toEqual(run(seed));
      }),
      { numRuns: 20, seed: 1 },
    );
    expect(run(1).log).not.toBe(run(2).log);
  });

  it('the network draws from its own fork: other components drawing do not change it', () => {
    const a = setup(5, { latencyMs: { min: 1, max: 30 } });
    const b = setup(5, { latencyMs: { min: 1, max: 30 } });
    b.env.rng.uint32(); // someone else draws from the root generator
    chatter(a.net, a.clock, 50);
    chatter(b.net, b.clock, 50);
    expect(b.log).toEqual(a.log);
  });
});

describe('partitions (raft_test.go network.cut / isolate / recover)', () => {
  it('a partition blocks both ways, and heal restores', () => {
    const { net, clock, got } = setup(1, {}, 5);
    net.partition([[1, 2], [3, 4, 5]], 'minority');
    expect(net.groups()).toEqual([[1, 2], [3, 4, 5]]);
    net.send({ from: 1, to: 3, type: 'MsgVote', n: 1 });
    net.send({ from: 3, to: 1, type: 'MsgVote', n: 2 });
    net.send({ from: 1, to: 2, type: 'MsgVote', n: 3 });
    net.send({ from: 4, to: 5, type: 'MsgVote', n: 4 });
    clock.step(100);
    expect(got.get(1)).toEqual([]);
    expect(got.get(3)).toEqual([]);
    expect(got.get(2)!.map((m) => m.n)).toEqual([3]);
    expect(got.get(5)!.map((m) => m.n)).toEqual([4]);
    expect(net.stats().dropped.partition).toBe(2);

    net.heal();
    expect(net.groups()).toEqual([]);
    net.send({ from: 1, to: 3, type: 'MsgVote', n: 5 });
    net.send({ from: 3, to: 1, type: 'MsgVote', n: 6 });
    clock.step(100);
    expect(got.get(3)!.map((m) => m.n)).toEqual([5]);
    expect(got.get(1)!.map((m) => m.n)).toEqual([6]);
  });

  it('a partition drops the messages already in flight across it', () => {
    const { net, clock, got } = setup(1, { latencyMs: { min: 10, max: 10 } });
    net.send({ from: 1, to: 2, type: 'MsgApp', n: 1 });
    clock.step(5);
    net.partition([[1], [2, 3]]);
    clock.step(10);
    expect(got.get(2)).toEqual([]);
    expect(net.stats().dropped.partition).toBe(1);
  });

  it('isolate cuts one node off and keeps the others together; nodes in no group are alone', () => {
    const { net } = setup(1, {}, 4);
    net.isolate(2);
    expect(net.groups()).toEqual([[1, 3, 4], [2]]);
    expect(net.connected(1, 3)).toBe(true);
    expect(net.connected(1, 2)).toBe(false);
    expect(net.connected(2, 2)).toBe(true);
    net.partition([[1, 2]]);
    expect(net.connected(1, 2)).toBe(true);
    expect(net.connected(3, 4)).toBe(false);
    expect(() => net.partition([[1, 2], [2, 3]])).toThrow('node 2 is in two groups');
  });
});

describe('loss and duplication', () => {
  it('loss and duplication rates hold within bounds over a fixed set of seeds', () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const { net, clock, log } = setup(seed, { lossRate: 0.2, duplicateRate: 0.1 });
      const n = 2000;
      for (let i = 0; i < n; i++) net.send({ from: 1, to: 2, type: 'MsgApp', n: i });
      clock.step(100);
      const s = net.stats();
      expect(s.sent).toBe(n);
      // 2000 draws: 4 standard deviations is about 0.036 (loss) and 0.027 (duplicates).
      expect(s.dropped.loss / n).toBeGreaterThan(0.2 - 0.036);
      expect(s.dropped.loss / n).toBeLessThan(0.2 + 0.036);
      const kept = n - s.dropped.loss;
      expect(s.duplicated / kept).toBeGreaterThan(0.1 - 0.03);
      expect(s.duplicated / kept).toBeLessThan(0.1 + 0.03);
      expect(s.delivered).toBe(kept + s.duplicated);
      expect(log.length).toBe(s.delivered);
    }
  });

  it('setLossRate turns loss on and off (the nemesis uses it)', () => {
    const { net, clock } = setup(3);
    net.setLossRate(1);
    expect(net.lossRate()).toBe(1);
    for (let i = 0; i < 10; i++) net.send({ from: 1, to: 2, type: 'MsgApp', n: i });
    net.setLossRate(0);
    for (let i = 0; i < 10; i++) net.send({ from: 1, to: 2, type: 'MsgApp', n: i });
    clock.step(10);
    expect(net.stats()).toMatchObject({ delivered: 10, dropped: { loss: 10 } });
    expect(() => net.setLossRate(-1)).toThrow('setLossRate: rate must be a number in [0, 1], got -1');
  });

  it('no loss and no duplicates unless asked for', () => {
    const { net, clock } = setup(9);
    for (let i = 0; i < 500; i++) net.send({ from: 1, to: 2, type: 'MsgApp', n: i });
    clock.step(100);
    expect(net.stats()).toMatchObject({ sent: 500, delivered: 500, duplicated: 0 });
  });
});

describe('ordering', () => {
  /** Per link, the order messages were delivered in (by n). */
  function perLink(reorder: boolean, seed: number) {
    const { net, clock, got } = setup(seed, { latencyMs: { min: 1, max: 50 }, reorder }, 3);
    for (let i = 0; i < 200; i++) {
      net.send({ from: 1, to: 2, type: 'MsgApp', n: i });
      net.send({ from: 3, to: 2, type: 'MsgApp', n: 1000 + i });
      clock.step(1);
    }
    clock.step(100);
    const seen = got.get(2)!;
    return { from1: seen.filter((m) => m.from === 1).map((m) => m.n), from3: seen.filter((m) => m.from === 3).map((m) => m.n), all: seen.map((m) => m.n) };
  }
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

  it('without reorder each link is FIFO, though links interleave', () => {
    for (const seed of [1, 2, 3]) {
      const r = perLink(false, seed);
      expect(r.from1).toEqual(sorted(r.from1));
      expect(r.from3).toEqual(sorted(r.from3));
      expect(r.from1.length).toBe(200);
    }
  });

  it('with reorder, messages on one link overtake each other', () => {
    const r = perLink(true, 1);
    expect(r.from1).not.toEqual(sorted(r.from1));
    expect(r.from1.length).toBe(200);
  });

  it('a latency function decides each message', () => {
    const { net, clock, log } = setup(1, { latencyMs: (m) => (m.type === 'MsgSnap' ? 100 : 2) });
    net.send({ from: 1, to: 2, type: 'MsgSnap', n: 1 });
    net.send({ from: 1, to: 3, type: 'MsgApp', n: 2 });
    clock.step(200);
    expect(log).toEqual(['2 3<-1 MsgApp 2', '100 2<-1 MsgSnap 1']);
  });
});

describe('nodes: pause, crash, skew (rafttest/node.go)', () => {
  it('a paused node receives after resume, in send order', () => {
    const { net, clock, got, log } = setup(3, { latencyMs: { min: 1, max: 40 }, reorder: true });
    net.pause(2);
    for (let i = 0; i < 30; i++) net.send({ from: (i % 2) * 2 + 1, to: 2, type: 'MsgApp', n: i });
    clock.step(100);
    expect(got.get(2)).toEqual([]);
    expect(net.inFlight().every((f) => f.held)).toBe(true);
    expect(net.inFlight()).toHaveLength(30);
    net.resume(2);
    expect(got.get(2)!.map((m) => m.n)).toEqual([...Array(30).keys()]);
    expect(log[0]).toBe('100 2<-1 MsgApp 0');
    expect(net.inFlight()).toEqual([]);
  });

  it('a crashed node receives nothing, and receives again after restart', () => {
    const { net, clock, got } = setup(4, { latencyMs: { min: 5, max: 5 } });
    net.send({ from: 1, to: 2, type: 'MsgApp', n: 1 });
    net.crash(2);
    net.send({ from: 1, to: 2, type: 'MsgApp', n: 2 });
    net.send({ from: 2, to: 1, type: 'MsgAppResp', n: 3 });
    clock.step(10);
    expect(got.get(2)).toEqual([]);
    expect(got.get(1)).toEqual([]);
    expect(net.stats().dropped.crashed).toBe(3);
    net.restart(2);
    net.send({ from: 1, to: 2, type: 'MsgApp', n: 4 });
    clock.step(10);
    expect(got.get(2)!.map((m) => m.n)).toEqual([4]);
  });

  it('crashing a paused node loses what it held', () => {
    const { net, clock, got } = setup(4);
    net.pause(3);
    net.send({ from: 1, to: 3, type: 'MsgApp', n: 1 });
    clock.step(10);
    net.crash(3);
    expect(net.inFlight()).toEqual([]);
    net.restart(3);
    expect(got.get(3)).toEqual([]);
    expect(() => net.resume(3)).toThrow('resume(3): node 3 is up, not paused');
  });

  it('skew sets a per-node clock rate for the cluster to tick by', () => {
    const { net, trace } = setup(1);
    net.skew(2, 1.25);
    expect(net.clockRate(2)).toBe(1.25);
    expect(net.clockRate(1)).toBe(1);
    expect(net.tickIntervalMs(2, 100)).toBe(80);
    expect(() => net.skew(2, 0)).toThrow(RangeError);
    expect(raftnetEvents.text(trace.events.at(-1)!)).toBe('skew node 2: clock rate 1.25');
  });
});

describe('rules (raft_test.go network.drop / ignore / recover, rafttest delay)', () => {
  it('drop by link and type, cut, ignore, delay, remove, recover', () => {
    const { net, clock, log } = setup(1, { latencyMs: { min: 1, max: 1 } });
    const r1 = net.drop({ from: 1, to: 2, type: 'MsgApp' });
    net.ignore('MsgSnap');
    net.cut(2, 3);
    net.delay({ to: 3 }, 50);
    net.send({ from: 1, to: 2, type: 'MsgApp', n: 1 }); // rule 1
    net.send({ from: 1, to: 2, type: 'MsgHeartbeat', n: 2 });
    net.send({ from: 1, to: 3, type: 'MsgSnap', n: 3 }); // ignored
    net.send({ from: 3, to: 2, type: 'MsgApp', n: 4 }); // cut
    net.send({ from: 1, to: 3, type: 'MsgApp', n: 5 }); // delayed
    clock.step(100);
    expect(log).toEqual(['1 2<-1 MsgHeartbeat 2', '51 3<-1 MsgApp 5']);
    expect(net.stats().dropped.rule).toBe(3);
    expect(r1.remove()).toBe(true);
    expect(r1.remove()).toBe(false);
    net.send({ from: 1, to: 2, type: 'MsgApp', n: 6 });
    net.recover();
    net.send({ from: 3, to: 2, type: 'MsgApp', n: 7 });
    clock.step(100);
    expect(log.slice(2)).toEqual(['101 2<-1 MsgApp 6', '101 2<-3 MsgApp 7']);
  });

  it('a drop rule with a rate drops about that share', () => {
    const { net, clock } = setup(2);
    net.drop({ from: 1 }, 0.5);
    for (let i = 0; i < 1000; i++) net.send({ from: 1, to: 2, type: 'MsgApp', n: i });
    clock.step(10);
    expect(net.stats().dropped.rule).toBeGreaterThan(430);
    expect(net.stats().dropped.rule).toBeLessThan(570);
  });
});

describe('inspection and trace', () => {
  it('inFlight lists messages with send and due times; dropMessage removes one', () => {
    const { net, clock, got, trace } = setup(1, { latencyMs: { min: 10, max: 10 } });
    const a = net.send({ from: 1, to: 2, type: 'MsgApp', n: 1 });
    clock.step(2);
    const b = net.send({ from: 1, to: 3, type: 'MsgApp', n: 2 });
    expect(net.inFlight().map(({ id, sentAt, dueAt, held }) => ({ id, sentAt, dueAt, held }))).toEqual([
      { id: a, sentAt: 0, dueAt: 10, held: false },
      { id: b, sentAt: 2, dueAt: 12, held: false },
    ]);
    expect(net.dropMessage(a)).toBe(true);
    expect(net.dropMessage(a)).toBe(false);
    clock.step(20);
    expect(got.get(2)).toEqual([]);
    expect(got.get(3)!.map((m) => m.n)).toEqual([2]);
    expect(trace.events.map((e) => `${e.t} ${raftnetEvents.text(e)}`)).toEqual([
      '0 network net: latency 10ms..10ms, loss 0, duplicates 0, FIFO links',
      '0 send MsgApp 1->2 #1 due 10ms',
      '2 send MsgApp 1->3 #2 due 12ms',
      '2 drop MsgApp 1->2 #1: manual',
      '12 deliver MsgApp 1->3 #2 after 10ms',
    ]);
    expect(trace.events[1]).toMatchObject({ component: 'raftnet', type: 'raftnet.send', net: 'net', msgId: 1, detail: { n: 1 } });
  });

  it('the network keeps its own copy of each message', () => {
    const { net, clock, got } = setup(1);
    const m = { from: 1, to: 2, type: 'MsgApp', n: 1 };
    net.send(m);
    m.n = 99;
    clock.step(10);
    expect(got.get(2)![0].n).toBe(1);
  });

  it('every event type has a text and the view can follow a message from send to its end', () => {
    const { net, clock, trace } = setup(6, { lossRate: 0.2, duplicateRate: 0.2, latencyMs: { min: 1, max: 20 }, reorder: true });
    net.pause(3);
    chatter(net, clock, 100);
    net.resume(3);
    net.crash(1);
    net.restart(1);
    net.partition([[1], [2, 3]]);
    net.heal();
    for (const e of trace.events) expect(raftnetEvents.text(e)).toBeTypeOf('string');
    const ends = new Map<number, number>();
    for (const e of trace.events) {
      if (e.type === 'raftnet.deliver' || e.type === 'raftnet.drop') ends.set(e.msgId as number, (ends.get(e.msgId as number) ?? 0) + 1);
    }
    const starts = trace.events.filter((e) => e.type === 'raftnet.send' || e.type === 'raftnet.duplicate');
    expect(starts.length).toBe(ends.size);
    expect([...ends.values()].every((n) => n === 1)).toBe(true);
  });

  it('refuses bad input with what it got', () => {
    const clock = new FakeClock();
    expect(() => newNetwork<Msg>({ clock, rng: rngFromSeed(1), lossRate: 2 })).toThrow('lossRate must be a number in [0, 1], got 2');
    expect(() => newNetwork<Msg>({ clock, latencyMs: { min: 5, max: 1 } })).toThrow('latencyMs must be');
    const net = newNetwork<Msg>({ clock });
    expect(() => net.send({ from: 0, to: 1, type: 'MsgApp', n: 0 })).toThrow("send: msg.from: node ids are whole numbers > 0 (raft's None is 0), got 0");
    expect(() => net.crash(7)).toThrow('crash(7): no node 7 is registered');
  });
});
