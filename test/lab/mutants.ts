// Mutants of a lab's solution: each edits the solution into a plausible wrong version and names the
// check that must fail (and those that must still pass). Lab test files call defineMutants.
import { describe, expect, it } from 'vitest';
import { labClusterLog, labManifests, readLab } from '../../src/lab/node/labs';
import { runInHost } from './run-host';

export interface Mutant {
  name: string;
  lab: string;
  from: string | RegExp;
  to: string;
  fails: string[];
  passes?: string[];
}

export function defineMutants(mutants: Mutant[]): void {
  describe.each(mutants)('$lab: $name', (m) => {
    it(`fails ${m.fails.join(', ')}`, async () => {
      const lab = readLab(m.lab);
      const solution = lab.solution;
      const code = solution.replace(m.from, m.to);
      expect(code, 'the mutation applies').not.toBe(solution);
      const seed = lab.yaml.seed ?? 1;
      const out = await runInHost(code, { labId: m.lab, mode: 'check', seed, files: labManifests(lab), cluster: await labClusterLog(lab, seed) });
      const byName = new Map(out.checks.map((c) => [c.name, c]));
      for (const name of m.fails) expect(byName.get(name)?.passed, `${name} should fail`).toBe(false);
      for (const name of m.passes ?? []) expect(byName.get(name)?.passed, `${name} should pass`).toBe(true);
    });
  });
}
