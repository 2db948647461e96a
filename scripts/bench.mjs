#!/usr/bin/env node
// `npm run bench`: measured figures, never pass/fail. Prints one table and writes
// tmp/bench.json. Parts: model throughput (workqueue, cache, etcd, raft, the Go collector and
// Kubernetes' garbage collector, the whole path from a Deployment to running containers and PLEG relists; node), scrubbing a 200k-event trace, build time, JS bytes per page type,
// API server throughput and informer sync (node),
// Run-to-first-output latency in Chromium (cold and warm), the raft view's frame time with
// 1,000 messages in flight (Chromium), Lighthouse 12 scores.
//   npm run bench                 everything
//   npm run bench -- model        only the model throughput (no build, no browser)
//   npm run bench -- --no-build   reuse dist/ (skip the build-time measurement)
//   npm run bench -- --no-lighthouse
//   npm run bench -- model --only=workloads   only the bench files whose path contains `workloads` (no build unless --only=build)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';

const args = process.argv.slice(2);
const only = args.find((a) => !a.startsWith('--'));
const onlyFile = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const results = [];
const add = (rows) => results.push(...rows);

function tsx(file) {
  if (onlyFile && !file.includes(onlyFile)) return [];
  const r = spawnSync(process.execPath, ['--import', 'tsx', file, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`${file} failed (exit ${r.status})`);
  const line = r.stdout.trim().split('\n').filter((l) => l.startsWith('[')).pop();
  return JSON.parse(line);
}

add(tsx('bench/workqueue.ts'));
add(tsx('bench/cache.ts'));
add(tsx('bench/apiserver.ts'));
add(tsx('bench/etcd.ts'));
add(tsx('bench/raft.ts'));
add(tsx('bench/scheduler.ts'));
add(tsx('bench/proxy.ts'));
add(tsx('bench/endpointslice.ts'));
add(tsx('bench/netstack.ts'));
add(tsx('bench/gogc.ts'));
add(tsx('bench/garbagecollector.ts'));
add(tsx('bench/workloads.ts'));
add(tsx('bench/scrub.ts'));
if (only !== 'model') {
  // --only measures no build (unless --only=build); the browser benches it selects need an earlier build's dist/.
  if (onlyFile === 'build' || (!onlyFile && (!args.includes('--no-build') || !existsSync('dist/index.html')))) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync('npm', ['run', 'build', '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error('build failed');
    add([{ name: 'build: npm run build (gen-dts + astro build)', value: Number(process.hrtime.bigint() - t0) / 1e9, unit: 's' }]);
  }
  add(tsx('bench/pages.ts'));
  add(tsx('bench/raftview.ts'));
  add(tsx('bench/scheduler-browser.ts'));
  add(tsx('bench/schedview.ts'));
  if (!args.includes('--no-lighthouse')) add(tsx('bench/lighthouse.ts'));
}

const width = Math.max(...results.map((r) => r.name.length));
console.log('\nKubeLab benchmarks');
for (const r of results) {
  const v = Number.isInteger(r.value) ? r.value.toLocaleString('en-US') : r.value.toLocaleString('en-US', { maximumFractionDigits: 1 });
  console.log(`  ${r.name.padEnd(width)}  ${v.padStart(12)} ${r.unit}${r.target ? `   (target ${r.target})` : ''}`);
}
mkdirSync('tmp', { recursive: true });
writeFileSync('tmp/bench.json', JSON.stringify(results, null, 2));
console.log('\nwritten to tmp/bench.json');
