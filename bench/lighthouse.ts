// Lighthouse 12 (the last major that runs on Node 20) on a lesson page and a lab page.
// Runs `npx lighthouse@12` against `astro preview`; needs the npm registry the first time.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveDist } from './serve';
import { chromiumPath } from '../scripts/lib/chromium.mjs';

type Row = { name: string; value: number; unit: string; target?: string };

/** `--only=<text>`: just the pages whose label contains it (e.g. `--only=gc`). */
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);

async function main() {
  const server = await serveDist();
  const rows: Row[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'kubelab-lh-'));
  try {
    for (const [label, path, perfTarget] of [
      ['lesson', '/workqueues/the-queue/', '95+'],
      ['lab', '/labs/workqueue-backoff/', '90+'],
      ['informers lesson', '/informers/list-watch/', '95+'],
      ['cluster lab', '/labs/informer-handlers/', '90+'],
      ['raft lesson', '/raft/the-commit-rule/', '95+'],
      ['raft lab', '/labs/raft-partition/', '90+'],
      ['scheduler lesson', '/scheduler/scoring/', '95+'],
      ['scheduler lab', '/labs/scheduler-custom-plugin/', '90+'],
      ['networking lesson', '/networking/network-model/', '95+'],
      ['networking lab', '/labs/iptables-probabilities/', '90+'],
      ['gc lesson', '/gc/lost-object/', '95+'],
      ['gc pacer lesson', '/gc/pacer/', '95+'],
      ['gc lab', '/labs/gc-lost-object/', '90+'],
      ['controllers lesson', '/controllers/deployment-controller/', '95+'],
      ['controllers lab', '/labs/deployment-rollout/', '90+'],
      ['kubelet lesson', '/kubelet/restarts/', '95+'],
      ['kubelet lab', '/labs/pleg-crashloop/', '90+'],
    ] as const) {
      if (only && !label.includes(only)) continue;
      const out = join(dir, `${label}.json`);
      const r = spawnSync(
        'npx',
        ['-y', 'lighthouse@12', server.base + path, '--output=json', `--output-path=${out}`, '--quiet', '--only-categories=performance,accessibility,best-practices',
          '--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-dev-shm-usage'],
        { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, CHROME_PATH: chromiumPath() } },
      );
      if (r.status !== 0) throw new Error(`lighthouse failed on ${path}`);
      const lhr = JSON.parse(readFileSync(out, 'utf8'));
      const score = (c: string) => Math.round((lhr.categories[c]?.score ?? 0) * 100);
      rows.push({ name: `Lighthouse ${label}: performance`, value: score('performance'), unit: '/100', target: perfTarget });
      rows.push({ name: `Lighthouse ${label}: accessibility`, value: score('accessibility'), unit: '/100', target: label.endsWith('lesson') ? '100' : undefined });
      rows.push({ name: `Lighthouse ${label}: best practices`, value: score('best-practices'), unit: '/100' });
      rows.push({ name: `Lighthouse ${label}: total blocking time`, value: Math.round(lhr.audits['total-blocking-time'].numericValue), unit: 'ms' });
      rows.push({ name: `Lighthouse ${label}: largest contentful paint`, value: Math.round(lhr.audits['largest-contentful-paint'].numericValue), unit: 'ms' });
    }
  } finally {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
  else console.table(rows);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
