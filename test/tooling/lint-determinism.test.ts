import { describe, expect, it } from 'vitest';
import { lintSource, lintTree } from '../../scripts/lint-determinism.mjs';

type Problem = { line: number; column: number; message: string };

describe('lint-determinism', () => {
  const cases: Array<{ name: string; code: string; banned: string[] }> = [
    { name: 'Math.random', code: 'const x = Math.random();', banned: ['Math.random'] },
    { name: 'Date.now', code: 'export const t = () => Date.now();', banned: ['Date.now'] },
    { name: 'new Date() without arguments', code: 'const d = new Date();', banned: ['new Date()'] },
    { name: 'performance.now', code: 'performance.now();', banned: ['performance.now'] },
    { name: 'setTimeout and setInterval', code: 'setTimeout(f, 1); setInterval(f, 2);', banned: ['setTimeout', 'setInterval'] },
    { name: 'through globalThis', code: 'globalThis.setTimeout(f); globalThis.Math.random();', banned: ['globalThis.setTimeout', 'Math.random'] },
    { name: 'element access', code: "Date['now']();", banned: ['Date.now'] },
    { name: 'a method named setTimeout on our own object is fine', code: 'clock.setTimeout(1); const o = { setTimeout: 1 };', banned: [] },
    { name: 'new Date(ms) is a pure conversion', code: 'new Date(0).toISOString();', banned: [] },
    { name: 'escape hatch comment', code: 'Math.random(); // allow-nondeterminism: demo', banned: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const problems: Problem[] = lintSource('x.ts', c.code);
      expect(problems.map((p) => p.message.split(' is not allowed')[0])).toEqual(c.banned);
    });
  }

  it('reports 1-based line and column', () => {
    const [p]: Problem[] = lintSource('x.ts', 'const a = 1;\n  const b = Math.random();');
    expect([p.line, p.column]).toEqual([2, 13]);
  });

  it('src/sim is clean', () => {
    expect(lintTree('src/sim')).toEqual([]);
  });
});
