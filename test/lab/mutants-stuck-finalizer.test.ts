// Mutants of the stuck-finalizer lab: plausible wrong answers, each caught by the check written for
// that mistake — and one different but correct operator that passes them all. Then the lab's
// terminal: the session cluster (cluster.garbageCollector: true) runs the namespace controller,
// so `kubectl delete ns`, `describe ns` and a finalizer patch behave as on a real cluster.
import { describe, expect, it } from 'vitest';
import { mountLabCluster } from '../../src/lab/lab-cluster';
import { labManifests, readLab } from '../../src/lab/node/labs';
import { createShell, stripAnsi, type ShellIO } from '../../src/lab/shell/index';
import { defineMutants } from './mutants';
import { runInHost } from './run-host';

const lab = 'stuck-finalizer';
const PATCH = /      await client\.patch\(name, 'application\/json-patch\+json', \[\n[^\n]*\n[^\n]*\n      \]\);/;

defineMutants([
  {
    name: 'predicts the 5 s grace as the wait between passes',
    lab,
    from: 'secondsBetweenPasses: 8,',
    to: 'secondsBetweenPasses: 5,',
    fails: ['predictsStuck'],
    passes: ['findsHolders', 'releasesNamespace'],
  },
  {
    name: 'predicts that the namespace controller removes held objects too',
    lab,
    from: "remainingAfterFirstPass: ['configmaps/orders-db', 'secrets/payment-key'],",
    to: 'remainingAfterFirstPass: [],',
    fails: ['predictsStuck'],
  },
  {
    name: 'findHolders looks only at ConfigMaps and Secrets',
    lab,
    from: "if (r.namespaced !== true || name.includes('/')",
    to: "if (!['configmaps', 'secrets'].includes(name) || r.namespaced !== true || name.includes('/')",
    fails: ['findsHolders'],
    passes: ['predictsStuck', 'releasesNamespace'],
  },
  {
    name: 'findHolders lists across all namespaces',
    lab,
    from: '.namespace(namespace).list();',
    to: '.list();',
    fails: ['findsHolders'],
  },
  {
    name: 'every finalizer stripped (finalizers: null), not only ours',
    lab,
    from: PATCH,
    to: "      await client.patch(name, 'application/merge-patch+json', { metadata: { finalizers: null } });",
    fails: ['releasesNamespace'],
    passes: ['predictsStuck', 'findsHolders'],
  },
  {
    name: 'the finalizer removed before the snapshot',
    lab,
    from: /    await backups\.snapshot\(key, \(obj\.data \?\? \{\}\) as Record<string, string>\);\n([\s\S]*?      \]\);\n)/,
    to: '$1    await backups.snapshot(key, (obj.data ?? {}) as Record<string, string>);\n',
    fails: ['releasesNamespace'],
  },
  {
    name: 'live objects released too (deletionTimestamp not checked)',
    lab,
    from: '    if (!obj?.metadata.deletionTimestamp) return;\n',
    to: '    if (!obj) return;\n',
    fails: ['releasesNamespace'],
  },
  {
    name: 'a failed snapshot ignored: the finalizer is removed anyway',
    lab,
    from: 'await backups.snapshot(key, (obj.data ?? {}) as Record<string, string>);',
    to: 'await backups.snapshot(key, (obj.data ?? {}) as Record<string, string>).catch(() => undefined);',
    fails: ['releasesNamespace'],
  },
  {
    name: 'also correct: an update carrying the resourceVersion read, a 409 requeues the key',
    lab,
    from: PATCH,
    to: '      await client.update({ ...obj, metadata: { ...obj.metadata, finalizers: (obj.metadata.finalizers ?? []).filter((f) => f !== FINALIZER) } });',
    fails: [],
    passes: ['predictsStuck', 'findsHolders', 'releasesNamespace'],
  },
]);

describe('stuck-finalizer in the terminal (the session cluster runs the namespace controller)', () => {
  it('delete ns: Terminating with the upstream conditions while the finalizer holds; a finalizer patch lets it go', async () => {
    const l = readLab(lab);
    const shell = createShell();
    const lines: string[] = [];
    const io: ShellIO = { print: (t) => lines.push(stripAnsi(t)), error: (t) => lines.push(`E: ${stripAnsi(t)}`), clear: () => {} };
    await mountLabCluster({ shell, io, seed: 1, files: labManifests(l), apply: ['shop.yaml'], garbageCollector: true });
    const run = async (line: string) => {
      lines.length = 0;
      await shell.execute(line, io);
      return lines.join('\n');
    };
    expect(await run('kubectl delete namespace shop --wait=false')).toBe('namespace "shop" deleted');
    expect(await run('kubectl get ns shop')).toMatch(/^NAME\s+STATUS\s+AGE\nshop\s+Terminating\s+\d+s$/);
    await run('sleep 20s');
    const describe = await run('kubectl describe ns shop');
    // kubectl's NamespaceDescriber: the phase, then the conditions as a table.
    expect(describe).toContain('Status:       Terminating\nConditions:\n  Type ');
    expect(describe).toMatch(/\n  NamespaceFinalizersRemaining +True +\w{3}, \d\d \w{3} 1970 [\d:]{8} \+0000 +SomeFinalizersRemain +Some content in the namespace has finalizers remaining: backup\.example\.com\/snapshot in 2 resource instances$/);
    expect(await run(`kubectl get configmaps,secrets -n shop -o jsonpath='{.items[*].metadata.finalizers}'`)).toBe('["backup.example.com/snapshot"] ["backup.example.com/snapshot"]');
    expect(await run('kubectl get configmaps -n shop')).toMatch(/^NAME\s+DATA\s+AGE\norders-db\s+1\s+\d+s$/);
    for (const [kind, name] of [['configmap', 'orders-db'], ['secret', 'payment-key']]) {
      expect(await run(`kubectl patch ${kind} ${name} -n shop --type=json -p '[{"op":"remove","path":"/metadata/finalizers/0"}]'`)).toBe(`${kind}/${name} patched`);
    }
    await run('sleep 10s');
    expect(await run('kubectl get ns')).not.toContain('shop');
    // One name not found: the error alone, as kubectl prints it (no empty List first).
    expect(await run('kubectl get ns shop -o yaml')).toBe('E: Error from server (NotFound): namespaces "shop" not found');
  });
});

// Run, then Check: a Run deletes shop in the session (the solution's operator lets it go; the
// starter's leaves it Terminating), and each check copies that session: it must find shop as
// shop.yaml made it, not crash on a namespace that is gone.
describe('stuck-finalizer: Check after a Run', () => {
  for (const ran of ['solution', 'starter'] as const) {
    it(`every check passes after a Run of the ${ran}`, async () => {
      const l = readLab('stuck-finalizer');
      const shell = createShell();
      const io: ShellIO = { print: () => {}, error: () => {}, clear: () => {} };
      const files = labManifests(l);
      const session = await mountLabCluster({ shell, io, seed: 1, files, apply: ['shop.yaml'], garbageCollector: true });
      const first = await runInHost(l[ran], { labId: 'stuck-finalizer', mode: 'run', seed: 1, files, cluster: session.log() });
      const back = first.messages.find((m) => m.type === 'cluster');
      if (back?.type !== 'cluster') throw new Error('the run sent no cluster changes');
      await session.apply(back.changes, back.clockMs);
      const out = await runInHost(l.solution, { labId: 'stuck-finalizer', mode: 'check', seed: 1, files, cluster: session.log() });
      expect(out.errors.map((e) => e.message)).toEqual([]);
      expect(out.checks.map((c) => c.passed)).toEqual([true, true, true]);
    }, 30_000);
  }
});
