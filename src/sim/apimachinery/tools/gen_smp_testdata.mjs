#!/usr/bin/env node
// Extracts the strategic merge patch test cases of apimachinery v0.34.0
// (pkg/util/strategicpatch/patch_test.go: createStrategicMergePatchTestCaseData,
// customStrategicMergePatchTestCaseData, strategicMergePatchRawTestCases,
// customStrategicMergePatchRawTestCases) into ../testdata/strategicpatch-cases.json, which
// test/sim/apimachinery-patch.test.ts replays against upstream's MergeItem test type.
//
//   node src/sim/apimachinery/tools/gen_smp_testdata.mjs [--mirrors /work/.mirror]
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';

const args = process.argv.slice(2);
const mirrors = args.includes('--mirrors') ? args[args.indexOf('--mirrors') + 1] : '/work/.mirror';
const src = execFileSync('git', ['-C', join(mirrors, 'kubernetes+apimachinery', 'repo'), 'show', 'v0.34.0:pkg/util/strategicpatch/patch_test.go'], {
  encoding: 'utf8',
  maxBuffer: 64 << 20,
});
const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'testdata', 'strategicpatch-cases.json');

const load = (text) => (text === undefined ? null : (yaml.load(text) ?? null));

/** The YAML datasets: `var name = []byte(` ... `)`. */
function yamlDataset(name, suite) {
  const start = src.indexOf(`var ${name} = []byte(\``);
  const body = src.slice(start + `var ${name} = []byte(\``.length, src.indexOf('`)', start));
  return yaml.load(body).testCases.map((c) => ({
    suite,
    description: c.description,
    original: c.original ?? null,
    twoWay: c.twoWay ?? null,
    modified: c.modified ?? null,
    current: c.current ?? null,
    threeWay: c.threeWay ?? null,
    result: c.result ?? null,
    twoWayResult: c.twoWayResult ?? null,
    expectedError: '',
  }));
}

/** The raw Go literal datasets: `var name = []StrategicMergePatchRawTestCase{` ... `\n}\n`. */
function rawDataset(name, suite) {
  const start = src.indexOf(`var ${name} = []StrategicMergePatchRawTestCase{`);
  const end = src.indexOf('\n}\n', start);
  const body = src.slice(start, end);
  const parts = body.split(/\n\t\{\n\t\tDescription: /).slice(1);
  return parts.map((part) => {
    const description = JSON.parse(/^("(?:[^"\\]|\\.)*")/.exec(part)[1]);
    const fields = {};
    for (const m of part.matchAll(/(\w+): \[\]byte\(`([^`]*)`\)/g)) fields[m[1]] = m[2];
    const err = /ExpectedError:\s*"((?:[^"\\]|\\.)*)"/.exec(part);
    return {
      suite,
      description,
      original: load(fields.Original),
      twoWay: load(fields.TwoWay),
      modified: load(fields.Modified),
      current: load(fields.Current),
      threeWay: load(fields.ThreeWay),
      result: load(fields.Result),
      twoWayResult: load(fields.TwoWayResult),
      expectedError: err ? JSON.parse(`"${err[1]}"`) : '',
    };
  });
}

const cases = [
  ...yamlDataset('createStrategicMergePatchTestCaseData', 'TestStrategicMergePatch'),
  ...rawDataset('strategicMergePatchRawTestCases', 'TestStrategicMergePatch'),
  ...yamlDataset('customStrategicMergePatchTestCaseData', 'TestCustomStrategicMergePatch'),
  ...rawDataset('customStrategicMergePatchRawTestCases', 'TestCustomStrategicMergePatch'),
];
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, `${JSON.stringify({ source: 'kubernetes/apimachinery v0.34.0 pkg/util/strategicpatch/patch_test.go', cases }, null, 1)}\n`);
console.log(`wrote ${OUT}: ${cases.length} cases`);
