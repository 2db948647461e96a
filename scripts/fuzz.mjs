#!/usr/bin/env node
// `npm run fuzz -- [--seeds N] [file filter...]`: the property tests (test/sim/*.property.test.ts)
// with N cases each (default 10,000) instead of the few hundred `npm test` runs. Long: run it
// before a release or after changing a model, not in CI.
//
// `npm run fuzz -- gogc [--seeds N]`: the Go collector model (src/sim/gogc runCycle) over seeds
// 0..N-1 of the property tests' random worlds, for each barrier. Prints every seed that loses a
// reachable object with a correct barrier (hybrid, dijkstra with its rescan, yuasa with its
// snapshot: there should be none; exit 1 if any), and the first seed that loses one with no
// barrier. `npm run fuzz -- gogc --replay SEED [--barrier none]` prints that seed's trace.
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
let seeds = 10_000;
let replay;
let barrier = 'none';
const filters = [];
const int = (flag, v, min) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) {
    console.error(`fuzz: ${flag} needs an integer >= ${min}, got ${v ?? 'nothing'}`);
    process.exit(2);
  }
  return n;
};
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--seeds') seeds = int('--seeds', args[++i], 1);
  else if (args[i] === '--replay') replay = int('--replay', args[++i], 0);
  else if (args[i] === '--barrier') barrier = args[++i];
  else filters.push(args[i]);
}

if (filters[0] === 'gogc') process.exit(await fuzzGogc());

const files = filters.length ? filters : ['.property.test.ts'];
console.log(`fuzz: ${seeds.toLocaleString('en-US')} cases per property, ${files.join(' ')}`);
const r = spawnSync('node_modules/.bin/vitest', ['run', ...files, '--testTimeout', '0', '--hookTimeout', '0'], {
  stdio: 'inherit',
  env: { ...process.env, KUBELAB_FUZZ_RUNS: String(seeds) },
});
process.exit(r.status ?? 1);

async function fuzzGogc() {
  const { tsImport } = await import('tsx/esm/api');
  const gogc = await tsImport('../src/sim/gogc/index.ts', import.meta.url);
  const { rngFromSeed } = await tsImport('../src/sim/core/rng.ts', import.meta.url);
  const { newEnv } = await tsImport('../src/sim/core/env.ts', import.meta.url);
  const { TraceRecorder } = await tsImport('../src/sim/core/trace.ts', import.meta.url);
  // The property tests' cycle (src/sim/gogc/properties.test.ts): world and scheduler from one seed.
  const configs = {
    hybrid: { barrier: 'hybrid' },
    'hybrid-as-implemented': { barrier: 'hybrid', hybridAsImplemented: true },
    dijkstra: { barrier: 'dijkstra' },
    yuasa: { barrier: 'yuasa' },
    none: { barrier: 'none' },
  };
  const cycle = (seed, config, trace) => {
    const rng = rngFromSeed(seed);
    return gogc.runCycle({ world: gogc.randomWorld(rng.fork('world')), rng, env: newEnv({ trace }), ...config });
  };
  const replayCmd = (seed, name) => `npm run fuzz -- gogc --replay ${seed} --barrier ${name}`;

  if (replay !== undefined) {
    const config = configs[barrier];
    if (!config) {
      console.error(`fuzz gogc: --barrier is one of ${Object.keys(configs).join(', ')}; got ${barrier}`);
      return 2;
    }
    const trace = new TraceRecorder();
    const r = cycle(replay, config, trace);
    for (const e of trace.events) console.log(gogc.gogcEvents.text(e));
    console.log(`\nseed ${replay}, ${barrier}: ${r.steps} steps, ${r.freed.length} freed, ${r.lost.length} lost`);
    for (const l of r.lost) console.log(`  lost obj${l.id}: ${l.path.join(' -> ')}`);
    return 0;
  }

  console.log(`fuzz gogc: runCycle over seeds 0..${(seeds - 1).toLocaleString('en-US')} per barrier`);
  let bad = 0;
  for (const [name, config] of Object.entries(configs)) {
    const t0 = process.hrtime.bigint();
    const losing = [];
    for (let seed = 0; seed < seeds; seed++) if (cycle(seed, config).lost.length) losing.push(seed);
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    const rate = `${Math.round(seeds / s).toLocaleString('en-US')} cycles/s`;
    if (name === 'none') {
      const first = losing[0];
      console.log(`  ${name.padEnd(22)} ${losing.length} of ${seeds} seeds lose an object (${rate})`);
      if (first === undefined) console.log('    no seed lost one: raise --seeds');
      else console.log(`    first: seed ${first}; replay: ${replayCmd(first, name)}`);
      continue;
    }
    console.log(`  ${name.padEnd(22)} ${losing.length ? `LOST OBJECTS on ${losing.length} seeds` : 'no lost object'} (${rate})`);
    for (const seed of losing.slice(0, 20)) console.log(`    seed ${seed}; replay: ${replayCmd(seed, name)}`);
    bad += losing.length;
  }
  return bad ? 1 : 0;
}
