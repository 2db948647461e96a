// Every lab: lab.yaml matches the schema, every step's check exists, the solution passes every
// check and the starter runs but fails at least one — in node, through the same host as the
// browser.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { labSchema } from '../../src/lab/schema';
import { isCheck } from '../../src/lab/checks';
import { stepChecksFromYaml } from '../../src/lab/lab-steps';
import { LABS_DIR, labClusterLog, labManifests, listLabIds, loadLabChecks, readLab } from '../../src/lab/node/labs';
import { runInHost } from './run-host';

const ids = listLabIds();

it('finds the labs', () => {
  expect(ids).toEqual(expect.arrayContaining(['workqueue-dedup', 'workqueue-backoff', 'controller-worker-loop', 'delaying-queue-and-drain', 'workqueue-where-is-my-key']));
});

describe.each(ids)('lab %s', (id) => {
  const lab = readLab(id);
  // As the page runs it: the lab's manifests as tabs, and its session cluster (if it has one) for the seed.
  const request = async (seed: number) => ({ labId: id, mode: 'check' as const, seed, files: labManifests(lab), cluster: await labClusterLog(lab, seed) });

  it('lab.yaml matches the schema, and its id is its folder', () => {
    const parsed = labSchema.safeParse(load(readFileSync(join(LABS_DIR, id, 'lab.yaml'), 'utf8')));
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    expect(parsed.data?.id).toBe(id);
    expect(parsed.data?.visualization).not.toBe('none');
  });

  it('the browser worker reads the same step checks from lab.yaml as js-yaml does', () => {
    const text = readFileSync(join(LABS_DIR, id, 'lab.yaml'), 'utf8');
    const steps = (load(text) as { steps: Array<{ check?: string }> }).steps.map((s) => (s.check ? { check: s.check } : {}));
    expect(stepChecksFromYaml(text)).toEqual(steps);
  });

  it("every step's check is exported by checks.ts, and every check belongs to a step", async () => {
    const loaded = await loadLabChecks(id);
    const named = (lab.yaml.steps ?? []).map((s) => s.check).filter((c): c is string => !!c);
    expect(named.length).toBeGreaterThan(0);
    for (const name of named) expect(isCheck(loaded!.checks[name]), name).toBe(true);
    const exported = Object.entries(loaded!.checks).filter(([, v]) => isCheck(v)).map(([k]) => k);
    expect(exported.sort()).toEqual([...named].sort());
  });

  it('the solution runs without errors and passes every check', async () => {
    const out = await runInHost(lab.solution, await request(lab.yaml.seed ?? 1));
    expect(out.errors).toEqual([]);
    expect(out.checks.filter((c) => !c.passed)).toEqual([]);
    expect(out.checks.length).toBe((lab.yaml.steps ?? []).filter((s) => s.check).length);
    expect(out.done.ok).toBe(true);
    expect(out.events).toBeGreaterThan(0);
  });

  it('the solution passes under other seeds too', async () => {
    for (const seed of [7, 1234]) {
      const out = await runInHost(lab.solution, await request(seed));
      expect(out.checks.filter((c) => !c.passed), `seed ${seed}`).toEqual([]);
    }
  });

  it('the starter runs without errors, prints something, and fails at least one check', async () => {
    const out = await runInHost(lab.starter, await request(lab.yaml.seed ?? 1));
    expect(out.errors).toEqual([]);
    expect(out.stdout.length).toBeGreaterThan(0);
    const failed = out.checks.filter((c) => !c.passed);
    expect(failed.length).toBeGreaterThan(0);
    for (const c of failed) {
      expect(c.hint, c.name).toBeTruthy();
      expect(c.message, c.name).toBeTruthy();
    }
    expect(out.done.ok).toBe(false);
  });

  it('check messages carry the step they complete', async () => {
    const out = await runInHost(lab.solution, await request(lab.yaml.seed ?? 1));
    for (const c of out.checks) expect(lab.yaml.steps?.[c.step!]?.check, c.name).toBe(c.name);
  });
});
