import { describe, expect, it } from 'vitest';
import { newEnv } from '../core/env';
import { rngFromSeed } from '../core/rng';
import { TraceRecorder } from '../core/trace';
import { gogcEvents } from './events';
import { randomWorld } from './mutator';
import { runCycle } from './sim';

describe('gogc events', () => {
  it('every event of a run is declared, has a line of text, and links runtime sources at go1.26.0', () => {
    const trace = new TraceRecorder();
    const rng = rngFromSeed(7);
    runCycle({ world: randomWorld(rng.fork('world')), barrier: 'hybrid', rng, env: newEnv({ trace }) });
    const types = new Set(trace.events.map((e) => e.type));
    for (const t of ['gogc.phase', 'gogc.op', 'gogc.shade', 'gogc.markroot', 'gogc.scan', 'gogc.barrier', 'gogc.free', 'gogc.stw', 'gogc.sweep']) expect(types).toContain(t);
    for (const e of trace.events) {
      expect(gogcEvents.is(e)).toBe(true);
      expect(gogcEvents.text(e)).toMatch(/^step \d+: /);
      expect(e.at, e.type).toEqual(expect.any(Number));
    }
    const barrier = trace.events.find((e) => e.type === 'gogc.barrier')!;
    expect(gogcEvents.source(barrier)).toEqual({
      label: 'wbBufFlush1',
      href: 'https://github.com/golang/go/blob/go1.26.0/src/runtime/mwbbuf.go',
      title: 'go go1.26.0 src/runtime/mwbbuf.go, wbBufFlush1',
    });
  });

  it('records nothing without a trace', () => {
    const rng = rngFromSeed(7);
    expect(() => runCycle({ world: randomWorld(rng.fork('world')), barrier: 'hybrid', rng })).not.toThrow();
  });
});
