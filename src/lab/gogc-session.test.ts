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
    expect(await type(...SCRIPT)).toMatchInlineSnapshot(`
      "$ heap
      phase off (no cycle running), step 0; barrier hybrid, marker classic
      12 objects, 152 B in 2 spans: white 12, grey 0, black 0
      (between cycles every object is white: the next cycle starts from white, and sweep frees what is still white at its end)

      SPAN  CLASS  OBJSIZE  NELEMS  USED  FREE  WHITE  GREY  BLACK
      0         1      8 B    1024     5  1019      5     0      0
      1         2     16 B     512     7   505      7     0      0

      white  obj1 obj2 obj3 obj4 obj5 obj6 obj7 obj8 obj9 obj10 obj11 obj12
      grey   -
      black  -

      globals: [obj1]
      g0 stack: [obj3 nil nil obj3] pc 0/24
      g1 stack: [obj2 obj6 nil nil] pc 0/24
      [0]
      $ gc step 4
      step 1: phase mark (barrier hybrid)
      step 2: g1[0] s3 = s2.f[0]
      step 3: g0[0] s0 = s3.f[0]
      step 4: g1[1] s1.f[1] = s3
      step 4: shade obj12 (barrier)
      step 4: g1 hybrid barrier obj6.f[1]: obj12 -> nil shaded obj12
      [0]
      $ heap
      phase mark, step 4; barrier hybrid, marker classic
      12 objects, 152 B in 2 spans: white 11, grey 1, black 0

      SPAN  CLASS  OBJSIZE  NELEMS  USED  FREE  WHITE  GREY  BLACK
      0         1      8 B    1024     5  1019      5     0      0
      1         2     16 B     512     7   505      6     1      0

      white  obj1 obj2 obj3 obj4 obj5 obj6 obj7 obj8 obj9 obj10 obj11
      grey   obj12
      black  -
      work queue (grey, next scanned last): obj12
      root jobs left: globals g0 g1

      globals: [obj1] (not scanned yet)
      g0 stack: [obj4 nil nil obj3] pc 1/24, not scanned: grey
      g1 stack: [obj2 obj6 nil nil] pc 2/24, not scanned: grey
      [0]
      $ gctrace on
      export GODEBUG=gctrace=1
      gctrace is on: ./app prints one line per GC cycle to stderr; so does 'gc now' in the live process (a real process reads GODEBUG's gctrace only when it starts)
      [0]
      $ gc now
      [stderr] gc 1 @0.000s 28%: 0.001+0.047+0.001 ms clock, 0.001+0/0.012/0+0.001 ms cpu, 0->0->0 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 1 P (forced)
      [stderr] gc 2 @0.000s 32%: 0.001+0.020+0.001 ms clock, 0.001+0/0.007/0+0.001 ms cpu, 0->0->0 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 1 P (forced)
      [0]
      $ heap
      phase off (no cycle running), step 71; barrier hybrid, marker classic
      4 objects, 48 B in 2 spans: white 4, grey 0, black 0
      (between cycles every object is white: the next cycle starts from white, and sweep frees what is still white at its end)

      SPAN  CLASS  OBJSIZE  NELEMS  USED  FREE  WHITE  GREY  BLACK
      0         1      8 B    1024     2  1022      2     0      0
      1         2     16 B     512     2   510      2     0      0

      white  obj1 obj2 obj3 obj10
      grey   -
      black  -

      globals: [obj1]
      g0 stack: [nil nil nil obj3] program done
      g1 stack: [nil nil nil nil] program done
      [0]
      $ GOGC=50 ./app -for 300ms
      [stderr] gc 1 @0.003s 9%: 0.020+1.9+0.040 ms clock, 0.080+0/1.9/0+0.16 ms cpu, 1->2->2 MB, 2 MB goal, 0 MB stacks, 0 MB globals, 4 P
      [stderr] gc 2 @0.007s 14%: 0.020+2.4+0.040 ms clock, 0.080+1.1/2.4/0+0.16 ms cpu, 3->4->4 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 4 P
      [stderr] gc 3 @0.013s 17%: 0.020+3.7+0.040 ms clock, 0.080+2.2/3.7/0+0.16 ms cpu, 6->7->7 MB, 6 MB goal, 0 MB stacks, 0 MB globals, 4 P
      [stderr] gc 4 @0.022s 19%: 0.020+6.0+0.040 ms clock, 0.080+3.6/6.0/0+0.16 ms cpu, 9->11->11 MB, 10 MB goal, 0 MB stacks, 0 MB globals, 4 P
      [stderr] gc 5 @0.036s 20%: 0.020+9.8+0.040 ms clock, 0.080+5.6/9.8/0+0.16 ms cpu, 15->18->18 MB, 17 MB goal, 0 MB stacks, 0 MB globals, 4 P
      [stderr] gc 6 @0.059s 20%: 0.020+16+0.040 ms clock, 0.080+8.8/16/0+0.16 ms cpu, 25->30->30 MB, 28 MB goal, 0 MB stacks, 0 MB globals, 4 P
      [stderr] gc 7 @0.096s 21%: 0.020+25+0.040 ms clock, 0.080+14/25/0+0.16 ms cpu, 41->49->49 MB, 45 MB goal, 0 MB stacks, 0 MB globals, 4 P
      [stderr] gc 8 @0.156s 21%: 0.020+39+0.040 ms clock, 0.080+22/39/0+0.16 ms cpu, 66->78->76 MB, 73 MB goal, 0 MB stacks, 0 MB globals, 4 P
      [stderr] gc 9 @0.248s 20%: 0.020+37+0.040 ms clock, 0.080+24/37/0+0.16 ms cpu, 103->114->75 MB, 114 MB goal, 0 MB stacks, 0 MB globals, 4 P
      app: ran 300ms with GOGC=50, GOMEMLIMIT=off, GOMAXPROCS=4
      app: MemStats: NumGC=9 NumForcedGC=0 HeapAlloc=82.5 MiB (peak 114.5 MiB) PauseTotalNs=540000 GCCPUFraction=0.1910
      [0]
      $ GOMEMLIMIT=1GB ./app
      [stderr] GOMEMLIMIT=1GB
      [stderr] fatal error: malformed GOMEMLIMIT; see \`go doc runtime/debug.SetMemoryLimit\`
      [2]"
    `);
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
      'goproc.start',
      ...types.filter((t) => t === 'goproc.cycle').map(() => 'goproc.cycle'),
      'goproc.exit',
      'goproc.fatal',
      // gc now in the middle of the cycle gc step started: that one ends, then a whole one runs.
      'goproc.livegc',
      'goproc.livegc',
    ]);
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
