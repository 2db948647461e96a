/**
 * The network's replay from its trace equals the live network after every call (messages in
 * flight and held, partition, node states, clock rates, loss rate), over random command
 * sequences; and the checkpointed replayer agrees with replaying from scratch at any position.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newEnv } from '../../src/sim/core/env';
import { TraceRecorder } from '../../src/sim/core/trace';
import { raftnetEvents } from '../../src/sim/raftnet/events';
import { newNetwork, type Network } from '../../src/sim/raftnet/network';
import { newNetworkReplayer, replayNetwork } from '../../src/sim/raftnet/replay';

type M = { from: number; to: number; type: string };
const NODES = [1, 2, 3, 4];

const command = fc.oneof(
  { weight: 6, arbitrary: fc.record({ k: fc.constant('send' as const), from: fc.constantFrom(...NODES), to: fc.constantFrom(...NODES) }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('step' as const), ms: fc.integer({ min: 0, max: 30 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('partition' as const), cut: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('heal' as const) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('isolate' as const), id: fc.constantFrom(...NODES) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('toggle' as const), id: fc.constantFrom(...NODES), pause: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('skew' as const), id: fc.constantFrom(...NODES), rate: fc.constantFrom(0.5, 1, 2) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('rule' as const), from: fc.constantFrom(0, ...NODES), delay: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('unrule' as const) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('loss' as const), rate: fc.constantFrom(0, 0.3) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('dropOne' as const), pick: fc.nat() }) },
);

function liveView(net: Network<M>) {
  return {
    inFlight: net.inFlight().map((f) => ({ msgId: f.id, from: f.msg.from, to: f.msg.to, msgType: f.msg.type, sentAt: f.sentAt, dueAt: f.dueAt, held: f.held, ...(f.copyOf !== undefined ? { copyOf: f.copyOf } : {}) })),
    groups: net.groups(),
    states: NODES.map((id) => net.state(id)),
    rates: NODES.map((id) => net.clockRate(id)),
    lossRate: net.lossRate(),
  };
}

function replayView(events: TraceRecorder['events']) {
  const s = replayNetwork(events).nets.get('net')!;
  return {
    inFlight: [...s.inFlight.values()].sort((a, b) => a.dueAt - b.dueAt || a.msgId - b.msgId),
    groups: s.groups,
    states: NODES.map((id) => s.down.get(id) ?? 'up'),
    rates: NODES.map((id) => s.rates.get(id) ?? 1),
    lossRate: s.lossRate,
  };
}

describe('raftnet replay', () => {
  it('the replay equals the live network after every call', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.array(command, { maxLength: 80 }), (seed, commands) => {
        const trace = new TraceRecorder();
        const env = newEnv({ seed, trace });
        const net = newNetwork<M>({ env, latencyMs: { min: 1, max: 25 }, duplicateRate: 0.2, lossRate: 0.1, reorder: seed % 2 === 0 });
        for (const id of NODES) net.register(id, () => {});
        const rules: Array<{ remove(): boolean }> = [];
        for (const c of commands) {
          switch (c.k) {
            case 'send':
              net.send({ from: c.from, to: c.to, type: 'MsgApp' });
              break;
            case 'step':
              env.clock.step(c.ms);
              break;
            case 'partition':
              net.partition([NODES.slice(0, c.cut), NODES.slice(c.cut)]);
              break;
            case 'heal':
              net.heal();
              break;
            case 'isolate':
              net.isolate(c.id);
              break;
            case 'toggle': {
              const st = net.state(c.id);
              if (st === 'crashed') net.restart(c.id);
              else if (st === 'paused') net.resume(c.id);
              else if (c.pause) net.pause(c.id);
              else net.crash(c.id);
              break;
            }
            case 'skew':
              net.skew(c.id, c.rate);
              break;
            case 'rule':
              rules.push(c.delay ? net.delay({ from: c.from }, 7) : net.drop({ from: c.from, type: 'MsgApp' }, 0.5));
              break;
            case 'unrule':
              rules.shift()?.remove();
              break;
            case 'loss':
              net.setLossRate(c.rate);
              break;
            case 'dropOne': {
              const all = net.inFlight();
              if (all.length) net.dropMessage(all[c.pick % all.length].id);
              break;
            }
          }
          expect(replayView(trace.events)).toEqual(liveView(net));
        }
        // Scrubbing: the checkpointed replayer equals replaying from scratch, back and forth.
        const replayer = newNetworkReplayer(trace.events);
        for (const n of [trace.events.length, 0, Math.floor(trace.events.length / 2), trace.events.length - 1, 3]) {
          expect(replayer.at(n)).toEqual(replayNetwork(trace.events, n));
        }
        for (const e of trace.events) expect(raftnetEvents.text(e)).toBeTypeOf('string');
      }),
      { numRuns: 150, seed: 21 },
    );
  });
});
