// The loop guard (src/lab/loop-guard.ts): every loop in learner code is instrumented, a loop
// that runs away ends with a located error before the budget kills the runner, and a learner
// plugin that never returns fails its own call (an Error status naming it) while the cycle goes on.
import { describe, expect, it } from 'vitest';
import { moduleToScript } from '../../src/lab/module-script';
import { newLoopGuard } from '../../src/lab/loop-guard';
import { runInHost } from './run-host';

const body = (js: string) => {
  const s = moduleToScript(js);
  if (!s.ok) throw new Error('not ok');
  return s.code.slice(s.code.indexOf('{') + 1, s.code.lastIndexOf('\n})'));
};

describe('instrumentation', () => {
  it.each([
    ['while', 'while (a < 3) a++;', 'while (__kubelab_loop(1) && (a < 3)) a++;'],
    ['do-while', 'do { a++ } while (a < 3);', 'do { a++ } while (__kubelab_loop(1) && (a < 3));'],
    ['for', 'for (let i = 0; i < n; i++) {}', 'for (let i = 0; __kubelab_loop(1) && (i < n); i++) {}'],
    ['for without a condition', 'for (;;) break;', 'for (; __kubelab_loop(1);) break;'],
    ['for-of', 'for (const x of xs) f(x);', 'for (const x of __kubelab_loop(1, xs, "xs")) f(x);'],
    ['for-of with a binding named of', 'for (const of of xs) f(of);', 'for (const of of __kubelab_loop(1, xs, "xs")) f(of);'],
    ['for await', 'for await (const x of gen()) {}', 'for await (const x of __kubelab_loop(1, gen(), "gen()")) {}'],
    ['for-in is left alone', 'for (const k in o) {}', 'for (const k in o) {}'],
    ['a head with a nested arrow and semicolons', 'for (let i = 0, f = () => { a; b; }; i < 2; i++) {}', 'for (let i = 0, f = () => { a; b; }; __kubelab_loop(1) && (i < 2); i++) {}'],
    ['property names are not loops', 'const o = { while: 1, for() { return 2; } }; o.while;', 'const o = { while: 1, for() { return 2; } }; o.while;'],
    ['a comment right after the paren', 'while (/* c */ x) {}', 'while (__kubelab_loop(1) && (        x)) {}'],
  ])('%s', (_name, src, out) => {
    expect(body(src)).toBe(out);
  });

  it('names the line of each loop, and a column inside an insertion maps back to the loop', () => {
    const s = moduleToScript('let a = 0;\n\nwhile (a < 3) a++;\n');
    expect(s.ok && s.code).toContain('while (__kubelab_loop(3) && (a < 3))');
    // `a < 3` starts at column 8 of line 3 in the input; in the output after the inserted guard.
    const col = (s.ok && s.code.split('\n')[2].indexOf('a < 3') + 1) as number;
    expect(s.ok && s.mapColumn(3, col)).toBe(8);
  });
});

describe('the guard', () => {
  const clock = () => {
    let t = 0;
    return { now: () => t, advance: (ms: number) => (t += ms) };
  };

  it('lets loops run until the run limit, then every loop throws', () => {
    const c = clock();
    const g = newLoopGuard({ now: c.now, callLimitMs: 100, runLimitMs: 1000, file: 'main.ts' });
    for (let i = 0; i < 10_000; i++) g.check(7);
    c.advance(1001);
    expect(() => {
      for (let i = 0; i < 300; i++) g.check(7);
    }).toThrow('the loop at main.ts:7 was still running after 1.0 s (an infinite loop?)');
    expect(() => g.check(9)).toThrow(/still running/);
  });

  it('fails a foreign call that runs too long, sticky until the call returns, then only that loop', () => {
    const c = clock();
    const g = newLoopGuard({ now: c.now, callLimitMs: 100, runLimitMs: 60_000, file: 'main.ts' });
    g.scope.enter();
    c.advance(150);
    let caught = 0;
    for (let i = 0; i < 300; i++) {
      try {
        g.check(12);
      } catch {
        caught++;
      }
    }
    expect(caught).toBeGreaterThan(0);
    // A try/catch inside the plugin cannot go on: every loop now throws until the call returns.
    expect(() => g.check(13)).toThrow('the loop at main.ts:12 ran for more than 100 ms in one call (an infinite loop?)');
    g.scope.exit();
    expect(g.check(13)).toBe(true);
    // The loop that ran away fails at once the next time.
    expect(() => g.check(12)).toThrow('the loop at main.ts:12 already ran away once in this run (an infinite loop?)');
  });

  it('steps iterators and keeps their return()', () => {
    const g = newLoopGuard({ now: () => 0, callLimitMs: 100, runLimitMs: 1000, file: 'main.ts' });
    let closed = false;
    const src = {
      *[Symbol.iterator]() {
        try {
          yield 1;
          yield 2;
          yield 3;
        } finally {
          closed = true;
        }
      },
    };
    const seen: number[] = [];
    for (const x of g.check(1, src, 'src') as Iterable<number>) {
      seen.push(x);
      if (x === 2) break;
    }
    expect(seen).toEqual([1, 2]);
    expect(closed).toBe(true);
    expect(() => g.check(1, 5, 'n')).toThrow(new TypeError('n is not iterable'));
  });
});

describe('in a run', () => {
  it('ends a runaway loop in main code with its location, keeping what it printed', async () => {
    const out = await runInHost(`console.log('before');\nlet n = 0;\nwhile (true) { try { n++; } catch {} }\n`, { budgetMs: 600 });
    expect(out.stdout).toBe('before\n');
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0].message).toMatch(/the loop at main\.ts:3 was still running after 0\.5 s \(an infinite loop\?\)/);
    expect(out.errors[0].location).toMatchObject({ file: 'main.ts', line: 3 });
  });

  it('stops an iterator that never ends', async () => {
    const out = await runInHost(`const forever = { [Symbol.iterator]: () => ({ next: () => ({ done: false, value: 1 }) }) };\nlet s = 0;\nfor (const x of forever) s += x;\n`, { budgetMs: 600 });
    expect(out.errors[0].message).toMatch(/the loop at main\.ts:3 was still running/);
  });

  it('fails a learner plugin that never returns with an Error status naming it; the cycle completes', async () => {
    const out = await runInHost(
      `import { makeNode, makePod, runSchedulingCycle, type SchedulerPlugin } from 'kubelab';
export function newStuck(): SchedulerPlugin {
  return {
    name: 'Stuck',
    filter(_s, _p, nodeInfo) {
      if (nodeInfo.node?.metadata.name !== 'node-b') return null;
      for (;;) { try { /* spin */ } catch { /* and swallow */ } }
    },
  };
}
const nodes = ['node-a', 'node-b', 'node-c'].map((n) => makeNode().name(n).capacity({ cpu: '4', memory: '8Gi' }).obj());
const profile = { plugins: { multiPoint: { enabled: [{ name: 'Stuck' }] } } };
for (let i = 0; i < 3; i++) {
  const r = runSchedulingCycle({ pod: makePod().name('web-' + i).req({ cpu: '1' }).obj(), nodes, profile, plugins: { Stuck: newStuck } });
  console.log(r.selectedNode ?? 'none', JSON.stringify(r.record.filter['node-b']?.Stuck));
}
`,
      { budgetMs: 20_000 },
    );
    expect(out.errors).toEqual([]);
    const lines = out.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const l of lines) {
      // upstream: RunFilterPlugins wraps a plugin's error as `running "<name>" filter plugin: <err>`
      expect(l).toMatch(/^none \{"code":"Error".*running \\"Stuck\\" filter plugin: the loop at main\.ts:7 (ran for more than 1000 ms in one call|already ran away once in this run) \(an infinite loop\?\)/);
    }
    // Only the first call waited for the limit; the next ones failed at once.
    expect(out.done.durationMs).toBeLessThan(8000);
  });
});
