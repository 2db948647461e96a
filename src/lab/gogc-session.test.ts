// A lab session with `go:` in lab.yaml: a fresh shell, commands in, exact output out; the same
// seed gives the same transcript; the trace holds what the views draw; lab.yaml's `go` block.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkMarkComplete } from '../sim/gogc/index';
import { appWorkload, mountGoSession, type GoSessionConfig } from './gogc-session';
import { labSchema } from './schema';
import { createShell, type ShellIO } from './shell/registry';

function session(seed: number, config: GoSessionConfig = {}) {
  const shell = createShell();
  let shown: readonly unknown[] = [];
  const s = mountGoSession({ shell, seed, config, yieldToPage: async () => {}, onChange: (events) => (shown = events) });
  const transcript: string[] = [];
  const io: ShellIO = { print: (t) => transcript.push(t), error: (t) => transcript.push(`[stderr] ${t}`), clear: () => {} };
  const type = async (...lines: string[]) => {
    for (const line of lines) {
      transcript.push(`$ ${line}`);
      transcript.push(`[${await shell.execute(line, io)}]`);
    }
    return transcript.join('\n');
  };
  return { s, type, shown: () => shown };
}

const SCRIPT = ['heap', 'gc step 4', 'heap', 'gctrace on', 'gc now', 'heap', 'GOGC=50 ./app -for 300ms', 'GOMEMLIMIT=1GB ./app'];

describe('a Go session', () => {
  it('prints exactly this for seed 7', async () => {
    const { type } = session(7, { workload: { duration: '200ms' } });
    // Golden transcript (rewrite with `npx vitest run src/lab/gogc-session.test.ts -u` and read the diff).
    await expect(await type(...SCRIPT)).toMatchFileSnapshot('./testdata/gogc-session-seed7.txt');
  });

  it('gives the same transcript and trace for the same seed, another heap for another seed', async () => {
    const a = session(3);
    const b = session(3);
    expect(await a.type(...SCRIPT)).toBe(await b.type(...SCRIPT));
    expect(JSON.stringify(a.s.events)).toBe(JSON.stringify(b.s.events));
    const c = session(4);
    expect(await c.type('heap -v')).not.toBe(await session(3).type('heap -v'));
  });

  it("records what the views draw: ./app's start, cycles and exit; the live heap's gogc.* and goproc.livegc", async () => {
    const { s, type, shown } = session(1, { workload: { duration: '1s' } });
    await type('./app', 'GOMEMLIMIT=2GB ./app', 'gc step 3', 'gc now');
    const types = s.events.map((e) => e.type);
    expect(types.filter((t) => t.startsWith('goproc.'))).toEqual([
      'goproc.heap', // the live heap when the session starts
      'goproc.start',
      ...types.filter((t) => t === 'goproc.cycle').map(() => 'goproc.cycle'),
      'goproc.exit',
      'goproc.fatal',
      'goproc.heap', // after gc step
      // gc now in the middle of the cycle gc step started: that one ends, then a whole one runs.
      'goproc.livegc',
      'goproc.livegc',
      'goproc.heap',
    ]);
    const last = s.events.filter((e) => e.type === 'goproc.heap').at(-1)!;
    const c = s.target.live.collector;
    expect(last).toMatchObject({ step: c.step, phase: 'off', globals: c.globals, work: [] });
    expect((last.objects as Array<{ id: number }>).map((o) => o.id)).toEqual([...c.heap.objects.keys()]);
    const cycles = s.events.filter((e) => e.type === 'goproc.cycle');
    expect(cycles.length).toBeGreaterThan(3);
    expect(cycles[0]).toMatchObject({ run: 1, n: 1, kind: 'gcTriggerHeap' });
    for (const c of cycles) expect(c.heap2 as number).toBeLessThanOrEqual(c.heap1 as number);
    expect(s.events.find((e) => e.type === 'goproc.exit')).toMatchObject({ run: 1, status: 0, numgc: cycles.length, t: 1000 });
    expect(s.events.find((e) => e.type === 'goproc.fatal')).toMatchObject({ run: 2, stderr: ['GOMEMLIMIT=2GB', 'fatal error: malformed GOMEMLIMIT; see `go doc runtime/debug.SetMemoryLimit`'] });
    expect(types).toContain('gogc.markroot');
    expect(types).toContain('gogc.scan');
    // Event times never go back: the view's timeline is one clock.
    for (let i = 1; i < s.events.length; i++) expect(s.events[i].t).toBeGreaterThanOrEqual(s.events[i - 1].t);
    expect(shown()).toBe(s.events);
  });

  it('never frees an object the live process can still reach (hybrid barrier), whatever the seed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 60 }), async (seed, steps) => {
        const { s, type } = session(seed, { heap: { objects: 16 } });
        await type(`gc step ${steps}`, 'gc now', 'gc now');
        const c = s.target.live.collector;
        expect(c.lost).toEqual([]);
        expect(checkMarkComplete(c).filter((b) => !c.heap.objects.has(b.id))).toEqual([]);
        expect(s.target.live.numgc).toBeGreaterThanOrEqual(2);
      }),
      { numRuns: 60 },
    );
  });

  it('loses objects on some seed with no write barrier (the lesson the heap view teaches)', async () => {
    let lostOn: number | undefined;
    for (let seed = 0; seed < 300 && lostOn === undefined; seed++) {
      const { s, type } = session(seed, { heap: { barrier: 'none' } });
      await type('gc now');
      if (s.target.live.collector.lost.length) lostOn = seed;
    }
    expect(lostOn).toBeDefined();
  });
});

describe('lab.yaml go', () => {
  const lab = (go: unknown) => ({ id: 'x', title: 'X', module: 'gc', lesson: 'gc/pacer', summary: 's', minutes: 5, difficulty: 'intro', steps: [{ title: 't', body: 'b' }], go });

  it('takes the workload in byte counts and Go durations, GOGC, GOMEMLIMIT, gctrace and the heap', () => {
    const go = labSchema.parse(lab({ workload: { allocRate: '1GiB', live: 67108864, duration: '1m30s', gcAt: ['500ms'] }, gogc: 'off', gomemlimit: '512MiB', heap: { objects: 20, marker: 'greentea' } })).go!;
    expect(go).toMatchObject({ gogc: 'off', gomemlimit: '512MiB', gctrace: false, heap: { objects: 20, marker: 'greentea', barrier: 'hybrid' } });
    expect(appWorkload(go.workload)).toEqual({ allocBytesPerSec: 2 ** 30, liveHeapBytes: 2 ** 26, gomaxprocs: 4, durationMs: 90_000, runtimeGCAtMs: [500] });
    expect(labSchema.parse(lab({})).go).toEqual({ gctrace: false, heap: { barrier: 'hybrid', marker: 'classic' } });
  });

  it('refuses what the runtime refuses, and unknown fields', () => {
    for (const bad of [{ gomemlimit: '2GB' }, { gogc: 'abc' }, { gogc: 1.5 }, { workload: { duration: '10' } }, { workload: { live: '64MB' } }, { heap: { objects: 0 } }, { heap: { barrier: 'steele' } }, { gctrace: 1 }, { GOGC: 50 }]) {
      expect(labSchema.safeParse(lab(bad)).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('starts the session with what lab.yaml exports', async () => {
    const { type } = session(1, { gogc: 200, gomemlimit: '256MiB', gctrace: true });
    expect(await type('env')).toBe('$ env\nGODEBUG=gctrace=1\nGOGC=200\nGOMEMLIMIT=256MiB\n[0]');
  });
});
