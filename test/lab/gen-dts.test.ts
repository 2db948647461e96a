// The generated `kubelab` typings: public API only, and learner code (each lab's starter and
// solution, plus samples) type-checks against them the way Monaco will check it.
import { describe, expect, it, beforeAll } from 'vitest';
import ts from 'typescript';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { listLabIds, readLab } from '../../src/lab/node/labs';

let dts = '';
let dtsPath = '';

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'kubelab-dts-'));
  dtsPath = join(dir, 'kubelab.d.ts');
  execFileSync(process.execPath, ['scripts/gen-dts.mjs', '--out', dtsPath], { stdio: 'pipe' });
  dts = readFileSync(dtsPath, 'utf8');
}, 120_000); // gen-dts compiles all of src/sim: seconds alone, far more beside the other test files on 2 cores

/** tsc diagnostics of `files` (name -> source) compiled with the generated d.ts. */
function diagnose(files: Record<string, string>): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'kubelab-learner-'));
  const paths = Object.entries(files).map(([name, text]) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  });
  const program = ts.createProgram([dtsPath, ...paths], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? `${d.file.fileName.split('/').pop()}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : '';
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

describe('generated kubelab.d.ts', () => {
  it('declares the module with the public API names of src/sim/index.ts', () => {
    expect(dts).toMatch(/^declare module 'kubelab' \{$/m);
    for (const name of ['newRateLimitingQueue', 'newQueue', 'newDelayingQueue', 'newItemExponentialFailureRateLimiter', 'FakeClock', 'rngFromSeed', 'runUntilIdle', 'RateLimiter', 'replayWorkqueue']) {
      expect(dts, name).toMatch(new RegExp(`export (declare )?(function|class|interface|type|const) ${name}\\b`));
    }
  });

  it('contains no imports of internal files', () => {
    expect(dts).not.toMatch(/from '\.\.?\//);
    expect(dts).not.toMatch(/import\("\.\.?\//);
  });

  it('type-checks a sample learner file', () => {
    const sample = `import { FakeClock, newRateLimitingQueue, newItemExponentialFailureRateLimiter, runUntilIdle, type RateLimiter } from 'kubelab';
const clock = new FakeClock();
const limiter: RateLimiter<string> = newItemExponentialFailureRateLimiter<string>(5, 1000);
const q = newRateLimitingQueue<string>(limiter, { clock, name: 'sample' });
q.addRateLimited('a');
const delay: number = limiter.when('b');
await runUntilIdle(clock);
const { item, shutdown } = await q.get();
if (!shutdown) q.done(item);
export { delay };
`;
    expect(diagnose({ 'main.ts': sample })).toEqual([]);
  });

  it('reports misuse of the API and names that are not public', () => {
    const bad = `import { newQueue, TypedQueue } from 'kubelab';
const q = newQueue<string>();
q.add(42);
export {};
`;
    const diags = diagnose({ 'main.ts': bad });
    expect(diags.join('\n')).toMatch(/TypedQueue/);
    expect(diags.join('\n')).toMatch(/not assignable to parameter of type 'string'/);
  });

  it('type-checks the starter and solution of every lab', () => {
    const files: Record<string, string> = {};
    for (const id of listLabIds()) {
      const lab = readLab(id);
      files[`${id}.starter.ts`] = lab.starter;
      files[`${id}.solution.ts`] = lab.solution;
    }
    expect(Object.keys(files).length).toBeGreaterThan(0);
    expect(diagnose(files)).toEqual([]);
  });
});
