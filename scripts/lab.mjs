#!/usr/bin/env node
// Runs a lab in node, through the same host as the browser (in a worker thread, with the same
// wall-time budget), and prints output, errors with locations, check results and a summary.
//
//   npm run lab -- <lab-id> [--solution] [--seed N] [--budget MS] [--file PATH] [--run]
//
// Exit code: 0 when the run finished and every check passed, 1 otherwise, 2 for bad usage.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { register } from 'tsx/esm/api';

register();
const { labClusterLog, labManifests, listLabIds, readLab } = await import('../src/lab/node/labs.ts');
const { createNodeLabClient } = await import('../src/lab/node/runner.ts');
const { createReporter } = await import('../src/lab/report.ts');
const { DEFAULT_BUDGET_MS, MAX_BUDGET_MS, parseBudget } = await import('../src/lab/client.ts');

const USAGE = `Usage: npm run lab -- <lab-id> [options]

Runs the lab's starter (or your file) and its checks, in a worker thread with a time budget.

Options:
  --solution      run the reference solution instead of the starter
  --file PATH     run your own file as main.ts
  --seed N        seed for the run and the checks (default: the lab's seed)
  --budget MS     wall-time budget before the run is killed (default ${DEFAULT_BUDGET_MS}, at most ${MAX_BUDGET_MS})
  --run           only run the code; skip the checks
  -h, --help      show this help`;

function fail(message) {
  console.error(message);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { id: undefined, solution: false, seed: undefined, budget: DEFAULT_BUDGET_MS, file: undefined, mode: 'check' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) fail(`${a} needs a value\n\n${USAGE}`);
      return v;
    };
    if (a === '-h' || a === '--help') {
      console.log(`${USAGE}\n\nLabs: ${listLabIds().join(', ')}`);
      process.exit(0);
    } else if (a === '--solution') opts.solution = true;
    else if (a === '--run') opts.mode = 'run';
    else if (a === '--seed') {
      const v = value();
      if (!/^\d+$/.test(v) || Number(v) > 0xffffffff) fail(`--seed takes an integer from 0 to 4294967295, got '${v}'`);
      opts.seed = Number(v);
    } else if (a === '--budget') {
      const budget = parseBudget(value());
      if (typeof budget === 'string') fail(`--budget: ${budget}`);
      opts.budget = budget;
    } else if (a === '--file') opts.file = value();
    else if (a.startsWith('-')) fail(`Unknown option '${a}'\n\n${USAGE}`);
    else if (opts.id === undefined) opts.id = a;
    else fail(`Unexpected argument '${a}' (one lab id at a time)\n\n${USAGE}`);
  }
  return opts;
}

/** The learner's file, or a one-line message (not a stack) when it cannot be read. */
function readLearnerFile(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const why = { ENOENT: 'no such file', EISDIR: 'it is a directory', EACCES: 'permission denied' }[e?.code] ?? e?.message ?? String(e);
    return fail(`--file: cannot read ${resolve(path)}: ${why}`);
  }
}

const opts = parseArgs(process.argv.slice(2));
const ids = listLabIds();
if (!opts.id) fail(`${USAGE}\n\nLabs: ${ids.join(', ')}`);
if (!ids.includes(opts.id)) fail(`Unknown lab '${opts.id}'. Labs: ${ids.join(', ') || '(none)'}`);
if (opts.solution && opts.file) fail('Use --solution or --file, not both.');

const lab = readLab(opts.id);
const source = opts.file ? readLearnerFile(opts.file) : opts.solution ? lab.solution : lab.starter;
const label = opts.file ?? (opts.solution ? 'solution.ts' : 'starter.ts');
const seed = opts.seed ?? lab.yaml.seed ?? 1;
const files = { ...labManifests(lab), 'main.ts': source };
const cluster = await labClusterLog(lab, seed);
const color = process.stdout.isTTY && !process.env.NO_COLOR;
const reporter = createReporter({ color, files, mode: opts.mode });

const dim = (t) => (color ? `\x1b[2m${t}\x1b[0m` : t);
console.log(dim(`${lab.yaml.title ?? opts.id} — ${label} as main.ts, seed ${seed}, ${opts.mode === 'check' ? 'with checks' : 'run only'}`));

const client = createNodeLabClient();
const result = await client.run(
  { labId: opts.id, files, entry: 'main.ts', seed, mode: opts.mode, ...(cluster ? { cluster } : {}) },
  (m) => process.stdout.write(reporter.format(m)),
  { budgetMs: opts.budget },
);
client.dispose();
process.exitCode = result.ok ? 0 : 1;
