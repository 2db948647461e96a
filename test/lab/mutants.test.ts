// The checks catch the mistakes they are written for: each case edits a lab's solution into a
// plausible wrong version and names the check that must fail (and those that must still pass).
import { describe, expect, it } from 'vitest';
import { labClusterLog, labManifests, readLab } from '../../src/lab/node/labs';
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
  {
    name: 'prediction: the later addAfter call wins',
    lab: 'delaying-queue-and-drain',
    from: 'laterCallReadyAtMs: 2000,',
    to: 'laterCallReadyAtMs: 10_000,',
    fails: ['predictsDelaying'],
    passes: ['debouncesChanges', 'deleteReconcilesOnce', 'predictsDrain', 'stopFinishesQueuedWork'],
  },
  {
    name: 'prediction: the drain waits for the queue to empty',
    lab: 'delaying-queue-and-drain',
    from: 'returnsAtMs: 300 as number | null,',
    to: 'returnsAtMs: null as number | null,',
    fails: ['predictsDrain'],
    passes: ['predictsDelaying', 'stopFinishesQueuedWork'],
  },
  {
    name: 'debounce that drops a key arriving before it is due',
    lab: 'delaying-queue-and-drain',
    from: 'queue.addAfter(key, at - now);',
    to: '',
    fails: ['debouncesChanges', 'deleteReconcilesOnce'],
    passes: ['predictsDelaying', 'predictsDrain', 'stopFinishesQueuedWork'],
  },
  {
    name: 'debounce that reconciles whatever the queue hands out early (add to postpone)',
    lab: 'delaying-queue-and-drain',
    from: /const at = dueAtMs\.get\(key\);[\s\S]*?return true;\n    \},/,
    to: 'return true;\n    },',
    fails: ['debouncesChanges'],
  },
  {
    name: 'debounce that treats a stale heap entry as due',
    lab: 'delaying-queue-and-drain',
    from: 'if (at === undefined) return false;',
    to: 'if (at === undefined) return true;',
    fails: ['deleteReconcilesOnce'],
    passes: ['debouncesChanges'],
  },
  {
    name: 'debounce whose delete keeps the pending due time',
    lab: 'delaying-queue-and-drain',
    from: 'dueAtMs.set(key, queue.clock.now());',
    to: '',
    fails: ['deleteReconcilesOnce'],
    passes: ['debouncesChanges'],
  },
  {
    name: 'stop that trusts shutDownWithDrain alone',
    lab: 'delaying-queue-and-drain',
    from: 'await Promise.all(workers);',
    to: '',
    fails: ['stopFinishesQueuedWork'],
    passes: ['predictsDelaying', 'debouncesChanges', 'deleteReconcilesOnce', 'predictsDrain'],
  },
  {
    name: 'stop that waits for the workers without shutting the queue down',
    lab: 'delaying-queue-and-drain',
    from: 'const drained = queue.shutDownWithDrain();',
    to: 'const drained = Promise.resolve();',
    fails: ['stopFinishesQueuedWork'],
  },
  {
    name: 'diagnosis counting the key itself among those ahead',
    lab: 'workqueue-where-is-my-key',
    from: "'queued', ahead };",
    to: "'queued', ahead: ahead + 1 };",
    fails: ['findsKeysInTheQueue', 'tellsMergedFromQueued'],
    passes: ['explainsMissingKeys', 'triagesFromMetrics'],
  },
  {
    name: 'diagnosis reading the processing time from the longest_running_processor gauge',
    lab: 'workqueue-where-is-my-key',
    from: "return { where: 'processing', forMs: nowMs - got.t };",
    to: "return { where: 'processing', forMs: Number(events.filter((e) => e.name === 'longest_running_processor').at(-1)?.value) };",
    fails: ['findsKeysInTheQueue'],
    passes: ['tellsMergedFromQueued', 'explainsMissingKeys', 'triagesFromMetrics'],
  },
  {
    name: 'diagnosis calling a key merged if any of its adds was deduplicated',
    lab: 'workqueue-where-is-my-key',
    from: "lastAdd?.result === 'deduped'",
    to: "mine.some((e) => e.type === 'workqueue.add' && e.result === 'deduped')",
    fails: ['tellsMergedFromQueued'],
    passes: ['explainsMissingKeys', 'triagesFromMetrics'],
  },
  {
    name: 'diagnosis matching keys by substring',
    lab: 'workqueue-where-is-my-key',
    from: 'e.item === key &&',
    to: 'String(e.item).includes(key) &&',
    fails: ['explainsMissingKeys'],
    passes: ['triagesFromMetrics'],
  },
  {
    name: 'diagnosis blaming every missing key on a shutdown in progress',
    lab: 'workqueue-where-is-my-key',
    from: "if (mine.slice(lastGet + 1).some((e) => REQUESTS.has(e.type))) return { where: 'shutting-down' };",
    to: "if (snapshot.shuttingDown) return { where: 'shutting-down' };",
    fails: ['explainsMissingKeys'],
    passes: ['findsKeysInTheQueue', 'tellsMergedFromQueued', 'triagesFromMetrics'],
  },
  {
    name: 'diagnosis calling every key that ever failed dropped',
    lab: 'workqueue-where-is-my-key',
    from: "const gaveUp = events.some((e) => e.deployment === key && String(e.message).includes('Dropping deployment out of the queue'));",
    to: "const gaveUp = mine.some((e) => e.type === 'workqueue.addRateLimited');",
    fails: ['explainsMissingKeys'],
    passes: ['findsKeysInTheQueue', 'tellsMergedFromQueued', 'triagesFromMetrics'],
  },
  {
    name: 'triage by depth first',
    lab: 'workqueue-where-is-my-key',
    from: "  if (last('longest_running_processor') > 10 * Math.max(slowestFinished, 100)) return 'stuck-worker';",
    to: "  if (last('depth') > 2 * workers) return 'too-few-workers';\n  if (last('longest_running_processor') > 10 * Math.max(slowestFinished, 100)) return 'stuck-worker';",
    fails: ['triagesFromMetrics'],
    passes: ['findsKeysInTheQueue', 'tellsMergedFromQueued', 'explainsMissingKeys'],
  },
  {
    name: 'triage calling any processor older than 2 s stuck',
    lab: 'workqueue-where-is-my-key',
    from: "last('longest_running_processor') > 10 * Math.max(slowestFinished, 100)",
    to: "last('longest_running_processor') > 2000",
    fails: ['triagesFromMetrics'],
  },
  {
    name: 'triage calling any retry a failing reconcile',
    lab: 'workqueue-where-is-my-key',
    from: "last('retries') > 0.25 * last('adds')",
    to: "last('retries') > 0",
    fails: ['triagesFromMetrics'],
  },
];

describe.each(MUTANTS)('$lab: $name', (m) => {
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
