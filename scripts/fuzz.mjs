#!/usr/bin/env node
// `npm run fuzz -- [--seeds N] [file filter...]`: the property tests (test/sim/*.property.test.ts)
// with N cases each (default 10,000) instead of the few hundred `npm test` runs. Long: run it
// before a release or after changing a model, not in CI.
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
let seeds = 10_000;
const filters = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--seeds') {
    const v = Number(args[++i]);
    if (!Number.isInteger(v) || v <= 0) {
      console.error(`fuzz: --seeds needs a positive integer, got ${args[i] ?? 'nothing'}`);
      process.exit(2);
    }
    seeds = v;
  } else filters.push(args[i]);
}
const files = filters.length ? filters : ['.property.test.ts'];
console.log(`fuzz: ${seeds.toLocaleString('en-US')} cases per property, ${files.join(' ')}`);
const r = spawnSync('node_modules/.bin/vitest', ['run', ...files, '--testTimeout', '0', '--hookTimeout', '0'], {
  stdio: 'inherit',
  env: { ...process.env, KUBELAB_FUZZ_RUNS: String(seeds) },
});
process.exit(r.status ?? 1);
