/**
 * The nemesis: a schedule drawn from a seed is the same every time, prints and parses back to
 * itself, always undoes its faults by the end, and replays on a network byte for byte whether
 * it comes from the seed or from its printed text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newEnv } from '../../src/sim/core/env';
import { rngFromSeed } from '../../src/sim/core/rng';
import { TraceRecorder } from '../../src/sim/core/trace';
import { applyAction, drawSchedule, formatSchedule, parseSchedule, scheduleOn, type NemesisFault, type TimedAction } from '../../src/sim/check/nemesis';
import { newNetwork } from '../../src/sim/raftnet/network';

const FAULTS: NemesisFault[] = ['partition', 'crash', 'pause', 'skew', 'loss'];
const options = fc.record({
  seed: fc.integer({ min: 0, max: 1_000_000 }),
  size: fc.integer({ min: 1, max: 7 }),
  durationMs: fc.integer({ min: 0, max: 60_000 }),
  faults: fc.subarray(FAULTS, { minLength: 1 }),
});
const draw = (o: { seed: number; size: number; durationMs: number; faults: NemesisFault[] }) =>
  drawSchedule(rngFromSeed(o.seed).fork('nemesis'), { members: Array.from({ length: o.size }, (_, i) => i + 1), durationMs: o.durationMs, faults: o.faults });

describe('nemesis', () => {
  it('prints a readable schedule', () => {
    const s = drawSchedule(rngFromSeed(42), { members: [1, 2, 3, 4, 5], durationMs: 10_000 });
    const text = formatSchedule(s);
    expect(text).toMatch(/^\d+ms (partition \{[\d,]+\} \{[\d,]+\}|heal|crash \d|restart \d|pause \d|resume \d|skew \d [\d.]+|loss [\d.]+)$/m);
    expect(text.endsWith('\n')).toBe(true);
    expect(formatSchedule([
      { atMs: 1200, action: { kind: 'partition', groups: [[1, 2], [3, 4, 5]] } },
      { atMs: 2400, action: { kind: 'heal' } },
      { atMs: 3000, action: { kind: 'crash', id: 3 } },
      { atMs: 5000, action: { kind: 'skew', id: 2, rate: 1.25 } },
      { atMs: 6000, action: { kind: 'loss', rate: 0.1 } },
    ])).toBe('1200ms partition {1,2} {3,4,5}\n2400ms heal\n3000ms crash 3\n5000ms skew 2 1.25\n6000ms loss 0.1\n');
  });

  it('the same seed gives the same schedule; the text parses back to it', () => {
    fc.assert(
      fc.property(options, (o) => {
        const a = draw(o);
        expect(draw(o)).toEqual(a);
        const text = formatSchedule(a);
        expect(parseSchedule(text)).toEqual(a);
        expect(formatSchedule(parseSchedule(text))).toBe(text);
      }),
      { numRuns: 300, seed: 5 },
    );
    expect(formatSchedule(draw({ seed: 1, size: 5, durationMs: 30_000, faults: FAULTS }))).not.toBe(formatSchedule(draw({ seed: 2, size: 5, durationMs: 30_000, faults: FAULTS })));
  });

  it('every fault is undone by durationMs, episodes do not overlap, and times never go back', () => {
    fc.assert(
      fc.property(options, (o) => {
        const s = draw(o);
        const crashed = new Set<number>();
        const paused = new Set<number>();
        const skewed = new Set<number>();
        let partitioned = false;
        let lossy = false;
        let last = 0;
        const active = () => crashed.size + paused.size + skewed.size + (partitioned ? 1 : 0) + (lossy ? 1 : 0);
        for (const { atMs, action: a } of s) {
          expect(atMs).toBeGreaterThanOrEqual(last);
          expect(atMs).toBeLessThanOrEqual(o.durationMs);
          last = atMs;
          switch (a.kind) {
            case 'partition':
              expect(active()).toBe(0);
              expect(a.groups.flat().sort()).toEqual(Array.from({ length: o.size }, (_, i) => i + 1).sort());
              expect(a.groups.every((g) => g.length > 0)).toBe(true);
              partitioned = true;
              break;
            case 'heal':
              expect(partitioned).toBe(true);
              partitioned = false;
              break;
            case 'crash':
              expect(paused.size + skewed.size + (partitioned ? 1 : 0) + (lossy ? 1 : 0)).toBe(0);
              crashed.add(a.id);
              expect(crashed.size).toBeLessThanOrEqual(Math.max(1, Math.floor((o.size - 1) / 2)));
              break;
            case 'restart':
              expect(crashed.delete(a.id)).toBe(true);
              break;
            case 'pause':
              expect(crashed.size + skewed.size + (partitioned ? 1 : 0) + (lossy ? 1 : 0)).toBe(0);
              paused.add(a.id);
              break;
            case 'resume':
              expect(paused.delete(a.id)).toBe(true);
              break;
            case 'skew':
              if (a.rate === 1) expect(skewed.delete(a.id)).toBe(true);
              else {
                expect(active()).toBe(0);
                skewed.add(a.id);
              }
              break;
            case 'loss':
              if (a.rate === 0) {
                expect(lossy).toBe(true);
                lossy = false;
              } else {
                expect(active()).toBe(0);
                lossy = true;
              }
          }
        }
        expect(active()).toBe(0);
        expect(o.faults).toEqual(expect.arrayContaining([...new Set(s.map(({ action }) => faultOf(action.kind)))]));
      }),
      { numRuns: 300, seed: 9 },
    );
  });

  it('replays on a network byte for byte, from the seed or from the printed text', () => {
    const run = (schedule: TimedAction[]) => {
      const trace = new TraceRecorder();
      const env = newEnv({ seed: 77, trace });
      const net = newNetwork<{ from: number; to: number; type: string }>({ env, latencyMs: { min: 1, max: 20 } });
      for (const id of [1, 2, 3, 4, 5]) net.register(id, () => {});
      scheduleOn(env.clock, schedule, (a) => applyAction(net, a));
      for (let t = 0; t < 20_000; t += 10) {
        for (const from of [1, 2, 3, 4, 5]) {
          if (net.state(from) !== 'up') continue;
          net.send({ from, to: (from % 5) + 1, type: 'MsgHeartbeat' });
        }
        env.clock.step(10);
      }
      return JSON.stringify(trace.events);
    };
    const schedule = drawSchedule(rngFromSeed(2024).fork('nemesis'), { members: [1, 2, 3, 4, 5], durationMs: 15_000 });
    expect(schedule.length).toBeGreaterThan(4);
    const fromSeed = run(schedule);
    expect(run(parseSchedule(formatSchedule(schedule)))).toBe(fromSeed);
    expect(fromSeed).toContain('raftnet.partition');
  });

  it('parse errors name the line and what was expected', () => {
    expect(() => parseSchedule('100ms heal\nfoo')).toThrow('line 2: expected "<time>ms <action> [args]"');
    expect(() => parseSchedule('100ms explode 3')).toThrow('line 1: unknown action "explode"');
    expect(() => parseSchedule('100ms crash')).toThrow('line 1: crash takes 1 argument(s), got 0');
    expect(() => parseSchedule('100ms crash 0')).toThrow('expected a node id > 0, got "0"');
    expect(() => parseSchedule('100ms partition 1,2 3')).toThrow('expected groups like {1,2} {3,4,5}');
    expect(() => parseSchedule('200ms heal\n100ms heal')).toThrow("line 2: time 100ms is before the previous action's 200ms");
    expect(parseSchedule('# seed 42\n\n100ms loss 0.5 # half\n')).toEqual([{ atMs: 100, action: { kind: 'loss', rate: 0.5 } }]);
  });

  it('flap (asked for, never drawn by default): two to four splits in a row without a heal between, then one heal', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const s = drawSchedule(rngFromSeed(seed), { members: [1, 2, 3, 4, 5], durationMs: 20_000, faults: ['flap'] });
      expect(s.length).toBeGreaterThan(0);
      let run = 0;
      for (const { action } of s) {
        if (action.kind === 'partition') run++;
        else {
          expect(action.kind).toBe('heal');
          expect(run).toBeGreaterThanOrEqual(2);
          expect(run).toBeLessThanOrEqual(4);
          run = 0;
        }
      }
      expect(run, `seed ${seed}: the schedule ends healed`).toBe(0);
      expect(parseSchedule(formatSchedule(s))).toEqual(s);
    }
    const byDefault = drawSchedule(rngFromSeed(7), { members: [1, 2, 3], durationMs: 600_000 });
    const kinds = new Set(byDefault.map((a) => a.action.kind));
    expect(kinds.has('partition') && kinds.has('crash')).toBe(true);
    // Default partitions are always healed before the next one.
    byDefault.forEach((a, i) => {
      if (a.action.kind === 'partition') expect(byDefault.slice(i + 1).find((b) => b.action.kind === 'partition' || b.action.kind === 'heal')?.action.kind).toBe('heal');
    });
  });

  it('refuses bad options', () => {
    expect(() => drawSchedule(rngFromSeed(1), { members: [], durationMs: 10 })).toThrow('members must be node ids > 0');
    expect(() => drawSchedule(rngFromSeed(1), { members: [1], durationMs: 10, faults: ['flood' as NemesisFault] })).toThrow('unknown fault "flood"');
    // One member cannot be partitioned: partition is left out.
    const s = drawSchedule(rngFromSeed(1), { members: [1], durationMs: 60_000, faults: ['partition'] });
    expect(s).toEqual([]);
  });
});

function faultOf(kind: string): NemesisFault {
  return ({ heal: 'partition', restart: 'crash', resume: 'pause' } as Record<string, NemesisFault>)[kind] ?? (kind as NemesisFault);
}
