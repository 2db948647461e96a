#!/usr/bin/env node
// The functions that took the CPU in a V8 profile: `node bench/profile-top.mjs <dir> [rows]` reads
// the largest .cpuprofile in <dir> (what `node --cpu-prof --cpu-prof-dir=<dir>` wrote; the largest
// is the main thread's) and prints the top functions by self time and by inclusive time.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const [dir, rowsArg] = process.argv.slice(2);
if (!dir) throw new Error('usage: node bench/profile-top.mjs <dir with .cpuprofile files> [rows]');
const rows = Number(rowsArg ?? 30);
const file = readdirSync(dir)
  .filter((f) => f.endsWith('.cpuprofile'))
  .map((f) => join(dir, f))
  .sort((a, b) => statSync(b).size - statSync(a).size)[0];
if (!file) throw new Error(`no .cpuprofile in ${dir}`);
const profile = JSON.parse(readFileSync(file, 'utf8'));

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const selfUs = new Map();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const name = (n) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*?\/(src|node_modules|bench)\//, '$1/')}`;

const self = new Map();
const inclusive = new Map();
let total = 0;
for (const n of profile.nodes) {
  const t = selfUs.get(n.id) ?? 0;
  if (!t) continue;
  total += t;
  self.set(name(n), (self.get(name(n)) ?? 0) + t);
  // Each function once per stack, however deep it recurses.
  const seen = new Set();
  for (let id = n.id; id !== undefined; id = parent.get(id)) {
    const k = name(byId.get(id));
    if (!seen.has(k)) inclusive.set(k, (inclusive.get(k) ?? 0) + t), seen.add(k);
  }
}
const print = (title, m) => {
  console.log(`\n${title}`);
  for (const [k, t] of [...m].sort((a, b) => b[1] - a[1]).slice(0, rows)) console.log(`${(t / 1000).toFixed(0).padStart(8)} ms ${((100 * t) / total).toFixed(1).padStart(5)} %  ${k}`);
};
console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled`);
print('self time', self);
print('inclusive time', inclusive);
