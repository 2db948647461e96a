// moduleToScript: the learner's module as one async function a SES Compartment accepts, with
// imports of kubelab, live exports, lines kept and columns mapped back. Evaluated here in a real
// Compartment (without lockdown: vitest's own process cannot be locked down).
import 'ses';
import { describe, expect, it } from 'vitest';
import { moduleToScript } from '../../src/lab/module-script';

const api = { newQueue: () => 'a queue', settle: () => 'settled', answer: 42 };

async function evaluate(js: string) {
  const script = moduleToScript(js);
  if (!script.ok) throw new Error(`not ok: ${JSON.stringify(script)}`);
  const logs: unknown[] = [];
  const c = new Compartment({ __options__: true, globals: { log: (...a: unknown[]) => logs.push(a.length === 1 ? a[0] : a) } });
  const exports: Record<string, unknown> = {};
  const require = (s: string) => {
    if (s !== 'kubelab') throw new Error(`no ${s}`);
    return api;
  };
  const fn = c.evaluate(script.code) as (r: unknown, e: unknown, i: unknown) => Promise<void>;
  await fn(require, exports, async (s: string) => require(s));
  return { exports, logs, script };
}

describe('moduleToScript', () => {
  it('binds named, renamed, namespace and dynamic imports of kubelab', async () => {
    const { logs } = await evaluate(
      `import { newQueue, settle as s } from 'kubelab';\nimport * as k from 'kubelab';\nlog(newQueue(), s(), k.answer);\nconst m = await import('kubelab');\nlog(m.answer);\n`,
    );
    expect(logs).toEqual([['a queue', 'settled', 42], 42]);
  });

  it('exports declarations as live bindings: const lists, destructuring, functions, classes, default', async () => {
    const { exports } = await evaluate(
      `export const a = 1, b = function named() { return 2; };\nexport let { p, q: [r = 3] } = { p: 4, q: [] };\nexport function f() { return 'f'; }\nexport async function g() {}\nexport class C {}\nlet counter = 0;\nexport { counter as count };\ncounter = 7;\nexport default 5 + 5;\n`,
    );
    expect(Object.keys(exports).sort()).toEqual(['C', 'a', 'b', 'count', 'default', 'f', 'g', 'p', 'r']);
    expect(exports.a).toBe(1);
    expect((exports.b as () => number)()).toBe(2);
    expect([exports.p, exports.r, exports.count, exports.default]).toEqual([4, 3, 7, 10]);
    expect((exports.f as () => string)()).toBe('f');
  });

  it('exports a named default function (hoisted) and re-exports from kubelab', async () => {
    const { exports } = await evaluate(`log(typeof main);\nexport default function main() {}\nexport { answer as theAnswer } from 'kubelab';\n`);
    expect(typeof exports.default).toBe('function');
    expect(exports.theAnswer).toBe(42);
  });

  it('lists imports of anything but kubelab, with their offsets, and runs nothing', () => {
    const js = `import fs from 'node:fs';\nimport { x } from "./other";\nexport * from 'https://example.com/m.js';\nconst m = import('lodash');\n`;
    const r = moduleToScript(js);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.disallowed.map((d) => d.specifier)).toEqual(['node:fs', './other', 'https://example.com/m.js', 'lodash']);
    expect(r.disallowed.map((d) => js.slice(d.start, d.start + 3))).toEqual([`'no`, `"./`, `'ht`, `'lo`]);
  });

  it('refuses a direct eval with its location', () => {
    const js = `const x = 1;\nconst y = eval('x + 1');\n`;
    const r = moduleToScript(js);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.refused).toEqual([{ message: expect.stringMatching(/^eval\(\) is not available in labs/), start: js.indexOf('eval') }]);
  });

  it('keeps text SES would refuse running: comments are blanked, literals escaped, a-->b spaced', async () => {
    const { logs } = await evaluate(
      `// see import('kubelab') and eval(x) <!-- here -->\n/* import('x') */ log("import('kubelab')", \`eval(\${1}) <!-- -->\`, /import\\(/.test('import('));\nlet a = 3; log(a-->0, a);\n`,
    );
    expect(logs).toEqual([["import('kubelab')", 'eval(1) <!-- -->', true], [true, 2]]);
  });

  it('keeps every line where it was and maps columns back past the prologue and edits', async () => {
    const js = `import { newQueue } from 'kubelab';\nexport const n = 1; const e = new Error('x');\nconst m = await import('kubelab'); const e2 = new Error('y');\n`;
    const script = moduleToScript(js);
    if (!script.ok) throw new Error('not ok');
    expect(script.code.split('\n').length).toBe(js.split('\n').length + 1);
    const out = script.code.split('\n');
    // Line 2 keeps its columns (the blanked `export` has the same length).
    expect(out[1].indexOf('new Error')).toBe(js.split('\n')[1].indexOf('new Error'));
    // Line 3: `import` became a longer name; the column after it maps back.
    const col3 = out[2].indexOf('new Error') + 1;
    expect(script.mapColumn(3, col3)).toBe(js.split('\n')[2].indexOf('new Error') + 1);
    // Line 1: the prologue comes first; a column past it maps back to the learner's line.
    const firstLine = `const q = 1; throw new Error('z');\n`;
    const s1 = moduleToScript(firstLine);
    if (!s1.ok) throw new Error('not ok');
    const outCol = s1.code.split('\n')[0].indexOf('throw') + 1;
    expect(s1.mapColumn(1, outCol)).toBe(firstLine.indexOf('throw') + 1);
  });

  it('reports code that does not parse with an offset', () => {
    const r = moduleToScript('const a = ;\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.syntax).toEqual({ message: expect.stringMatching(/Unexpected token/), start: 10 });
  });

  it('leaves object keys and properties named import and export alone', async () => {
    const { logs } = await evaluate(`const o = { import: 1, export: 2, eval: 3 };\nlog(o.import + o.export + o.eval);\n`);
    expect(logs).toEqual([6]);
  });
});
