// A random history of writes, watch drops, compactions and time against an API server, with three
// informers watching; used by apiserver-informer.property.test.ts.
import fc from 'fast-check';
import {
  FakeClock,
  TraceRecorder,
  newApiServer,
  newClientset,
  newListWatchFromClient,
  newSharedIndexInformer,
  rngFromSeed,
  runUntilIdle,
  type KubeObject,
} from '../../src/sim/index';

export type Op =
  | { kind: 'create' | 'relabel' | 'delete'; ns: string; name: string; label: string }
  | { kind: 'burst'; n: number }
  | { kind: 'drop' | 'restart' | 'compact' | 'settle' }
  | { kind: 'advance'; ms: number };

const nsArb = fc.constantFrom('default', 'team');
const nameArb = fc.constantFrom('a', 'b', 'c', 'd');
const labelArb = fc.constantFrom('x', 'y');
export const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('create' as const), ns: nsArb, name: nameArb, label: labelArb }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('relabel' as const), ns: nsArb, name: nameArb, label: labelArb }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), ns: nsArb, name: nameArb, label: labelArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('burst' as const), n: fc.integer({ min: 20, max: 120 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('drop' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restart' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('compact' as const) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('settle' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 180_000 }) }) },
);

interface Scope {
  name: string;
  namespace: string;
  labelSelector: string;
}
const SCOPES: Scope[] = [
  { name: 'all', namespace: '', labelSelector: '' },
  { name: 'team', namespace: 'team', labelSelector: '' },
  { name: 'x', namespace: '', labelSelector: 'app=x' },
];

const show = (objs: Iterable<KubeObject>) => [...objs].map((o) => `${o.metadata.namespace}/${o.metadata.name}@${o.metadata.resourceVersion}`).sort();

export async function history(seed: number, ops: Op[]) {
  const clock = new FakeClock();
  const trace = new TraceRecorder(2_000_000);
  const server = newApiServer({ clock, trace, rng: rngFromSeed(seed), compactionIntervalMs: 0 });
  const cs = newClientset(server, { qps: -1, trace });
  const run = async <T,>(p: Promise<T>, forMs = 10_000) => {
    let done = false;
    const q = p.then(
      (v) => ((done = true), v),
      () => ((done = true), undefined),
    );
    await runUntilIdle(clock, { forMs, until: () => done });
    return q;
  };
  await run(cs.coreV1().namespaces().create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } }));
  const informers = SCOPES.map((s, i) => {
    const pods = cs.coreV1().pods(s.namespace);
    const lw = newListWatchFromClient(pods);
    const filtered = s.labelSelector ? { list: (o: object) => lw.list({ ...o, labelSelector: s.labelSelector }), watch: (o: object) => lw.watch({ ...o, labelSelector: s.labelSelector }) } : lw;
    const inf = newSharedIndexInformer(filtered, { clock, rng: rngFromSeed(seed * 10 + i), trace, name: s.name });
    const seen = new Map<string, KubeObject>();
    const errors: string[] = [];
    const key = (o: KubeObject) => `${o.metadata.namespace}/${o.metadata.name}`;
    inf.addEventHandler({
      addFunc: (o: KubeObject) => {
        if (seen.has(key(o))) errors.push(`add of present ${key(o)}`);
        seen.set(key(o), o);
      },
      updateFunc: (old: KubeObject, o: KubeObject) => {
        if (!seen.has(key(o))) errors.push(`update of absent ${key(o)}`);
        if (Number(o.metadata.resourceVersion) < Number(old.metadata.resourceVersion)) errors.push(`update back in time ${key(o)}`);
        seen.set(key(o), o);
      },
      deleteFunc: (o) => {
        const k = key((o as unknown as { obj?: KubeObject }).obj ?? (o as KubeObject));
        if (!seen.has(k)) errors.push(`delete of absent ${k}`);
        seen.delete(k);
      },
    });
    void inf.run();
    return { scope: s, inf, seen, errors };
  });
  await runUntilIdle(clock, { forMs: 1000 });
  let n = 0;
  const violations: string[] = [];
  for (const op of ops) {
    switch (op.kind) {
      case 'create':
        await run(cs.coreV1().pods(op.ns).create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: op.name, labels: { app: op.label } }, spec: { containers: [{ name: 'c', image: 'x' }] } }));
        break;
      case 'relabel':
        await run(cs.coreV1().pods(op.ns).patch(op.name, 'application/merge-patch+json', { metadata: { labels: { app: op.label } } }));
        break;
      case 'delete':
        await run(cs.coreV1().pods(op.ns).delete(op.name, { gracePeriodSeconds: 0 }));
        break;
      case 'burst':
        for (let i = 0; i < op.n; i++) await run(cs.coreV1().configMaps('default').create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm${n++}` } }));
        for (let i = 0; i < op.n; i++) await run(cs.coreV1().pods('default').patch('a', 'application/merge-patch+json', { metadata: { annotations: { n: String(i) } } }));
        break;
      case 'drop':
        server.dropWatches();
        break;
      case 'restart':
        server.restart();
        break;
      case 'compact': {
        const rev = (server.etcd as unknown as { revision: number }).revision;
        try {
          await server.etcd.compact(rev);
        } catch {
          // already compacted at this revision
        }
        break;
      }
      case 'settle':
        await runUntilIdle(clock, { forMs: 0 });
        break;
      case 'advance':
        clock.step(op.ms);
        break;
    }
    violations.push(...server.checkInvariants().map((v) => `after ${op.kind}: ${v}`));
  }
  // quiet: let every informer catch up (a relist after a 410 waits its backoff)
  await runUntilIdle(clock, { forMs: 120_000 });
  violations.push(...server.checkInvariants());
  const truth = new Map<string, string[]>();
  for (const s of SCOPES) {
    const l = await run(cs.coreV1().pods(s.namespace).list(s.labelSelector ? { labelSelector: s.labelSelector } : {}));
    truth.set(s.name, show((l as { items: KubeObject[] }).items));
  }
  const result = informers.map((i) => ({ name: i.scope.name, store: show(i.inf.getStore().list()), seen: show(i.seen.values()), errors: i.errors }));
  for (const i of informers) i.inf.stop();
  server.stop();
  await runUntilIdle(clock, { forMs: 1000 });
  const stats = { relists: trace.ofType('reflector.relist').length, expired: trace.events.filter((e) => e.type === 'apiserver.watchEvent' && e.eventType === 'ERROR').length, events: trace.events.length, dropped: trace.dropped };
  return { truth, result, trace: JSON.stringify(trace.events), stats, violations };
}

