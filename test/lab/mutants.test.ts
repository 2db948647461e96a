// The checks catch the mistakes they are written for: each case edits a lab's solution into a
// plausible wrong version and names the check that must fail (and those that must still pass).
import { describe, expect, it } from 'vitest';
import { readLab } from '../../src/lab/node/labs';
import { runInHost } from './run-host';

interface Mutant {
  name: string;
  lab: string;
  from: string | RegExp;
  to: string;
  fails: string[];
  passes?: string[];
}

const MUTANTS: Mutant[] = [
  {
    name: 'backoff with a 32-bit shift wraps after 31 failures',
    lab: 'workqueue-backoff',
    from: 'this.baseDelayMs * 2 ** exp',
    to: 'this.baseDelayMs * (1 << exp)',
    fails: ['capsAtMaxDelay'],
    passes: ['doublesPerFailure', 'perItemIndependent', 'forgetsItem'],
  },
  {
    name: 'backoff without the cap',
    lab: 'workqueue-backoff',
    from: 'if (!(backoffMs <= this.maxDelayMs)) return this.maxDelayMs;',
    to: '',
    fails: ['capsAtMaxDelay'],
    passes: ['doublesPerFailure'],
  },
  {
    name: 'backoff counting this failure in the exponent',
    lab: 'workqueue-backoff',
    from: 'this.baseDelayMs * 2 ** exp',
    to: 'this.baseDelayMs * 2 ** (exp + 1)',
    fails: ['doublesPerFailure', 'capsAtMaxDelay'],
  },
  {
    name: 'forget clearing every item',
    lab: 'workqueue-backoff',
    from: 'this.failures.delete(item);',
    to: 'this.failures.clear();',
    fails: ['forgetsItem'],
    passes: ['doublesPerFailure', 'capsAtMaxDelay', 'perItemIndependent'],
  },
  {
    name: 'drain loop without done',
    lab: 'workqueue-dedup',
    from: 'queue.done(item);',
    to: '',
    fails: ['processAllOncePerItem', 'processAllReprocesses'],
    passes: ['predictsDedup', 'predictsProcessing'],
  },
  {
    name: 'drain loop calling done only when handle succeeds',
    lab: 'workqueue-dedup',
    from: /try \{\n(\s+)handled\.push\(item\);\n\s+await handle\(item\);\n\s+\} finally \{/,
    to: 'handled.push(item);\nawait handle(item);\n{',
    fails: ['processAllOncePerItem'],
    passes: ['processAllReprocesses'],
  },
  {
    name: 'worker calling done before the reconcile has finished',
    lab: 'controller-worker-loop',
    from: 'await reconcile(item);',
    to: 'const pending = reconcile(item);\n    queue.done(item);\n    await pending;',
    fails: ['everyKeyReconciled'],
  },
  {
    name: 'worker retrying with add instead of addRateLimited',
    lab: 'controller-worker-loop',
    from: 'queue.addRateLimited(item);',
    to: 'queue.add(item);',
    fails: ['failuresBackOff'],
    passes: ['everyKeyReconciled', 'workersExitOnShutdown'],
  },
  {
    name: 'worker that never forgets',
    lab: 'controller-worker-loop',
    from: 'queue.forget(item);',
    to: '',
    fails: ['successForgets'],
    passes: ['everyKeyReconciled', 'failuresBackOff', 'workersExitOnShutdown'],
  },
  {
    name: 'worker that keeps going after shutdown',
    lab: 'controller-worker-loop',
    from: 'if (shutdown) return false;',
    to: 'if (shutdown) return true;',
    fails: ['workersExitOnShutdown'],
  },
];

describe.each(MUTANTS)('$lab: $name', (m) => {
  it(`fails ${m.fails.join(', ')}`, async () => {
    const solution = readLab(m.lab).solution;
    const code = solution.replace(m.from, m.to);
    expect(code, 'the mutation applies').not.toBe(solution);
    const out = await runInHost(code, { labId: m.lab, mode: 'check' });
    const byName = new Map(out.checks.map((c) => [c.name, c]));
    for (const name of m.fails) expect(byName.get(name)?.passed, `${name} should fail`).toBe(false);
    for (const name of m.passes ?? []) expect(byName.get(name)?.passed, `${name} should pass`).toBe(true);
  });
});
