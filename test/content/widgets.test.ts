/**
 * The lesson widgets' simulations, without a DOM: each drives the real models from src/sim the
 * way its buttons do, and what the lesson text says about it holds.
 */
import { describe, expect, it } from 'vitest';
import { InformerSim } from '../../src/components/widgets/informer-playground';
import { FifoSim } from '../../src/components/widgets/fifo-playground';
import { IndexerSim } from '../../src/components/widgets/indexer-playground';
import { GoawaySim } from '../../src/components/widgets/goaway-playground';
import { checkName } from '../../src/components/widgets/name-checker';
import { resolve } from '../../src/components/widgets/restmapper-playground';
import { SCENARIOS, describeScenario } from '../../src/components/widgets/status-playground';
import { ConflictSim } from '../../src/components/widgets/conflict-playground';
import { EXAMPLES, admit } from '../../src/components/widgets/crd-playground';
import { MvccSim } from '../../src/components/widgets/mvcc-playground';
import { RaftPlaygroundSim } from '../../src/components/widgets/raft-playground';

describe('InformerPlayground', () => {
  it('lists, then watches; the cache follows the server', async () => {
    const sim = new InformerSim();
    await sim.start(['web', 'api', 'db']);
    let s = sim.state();
    expect(s.lists).toBe(1);
    expect(s.cache.map((r) => r.key).sort()).toEqual(['default/api', 'default/web']);
    await sim.create('db');
    await sim.update('web');
    s = sim.state();
    expect(s.cache).toEqual(expect.arrayContaining(s.server));
    expect(s.lists).toBe(1);
    sim.stop();
  });

  it('a watch that missed an event is repaired only by a relist after 410', async () => {
    const sim = new InformerSim();
    await sim.start(['web', 'api']);
    await sim.update('web', true);
    const stale = sim.state();
    expect(stale.cache.find((r) => r.key === 'default/web')?.image).not.toBe(stale.server.find((r) => r.key === 'default/web')?.image);
    await sim.compact();
    const s = sim.state();
    expect(s.lists).toBe(2);
    expect(s.cache.map((r) => `${r.key} ${r.rv}`).sort()).toEqual(s.server.map((r) => `${r.key} ${r.rv}`).sort());
    expect(sim.log.some((l) => l.text.includes('too old resource version'))).toBe(true);
    sim.stop();
  });

  it('a closed watch is reopened from the last resourceVersion, without a list', async () => {
    const sim = new InformerSim();
    await sim.start(['web', 'api']);
    const before = sim.state();
    await sim.closeWatch();
    const after = sim.state();
    expect(after.lists).toBe(before.lists);
    expect(after.watches).toBe(before.watches + 1);
    sim.stop();
  });
});

describe('FifoPlayground', () => {
  it('a DeltaFIFO compresses a key\'s deltas into one item; a RealFIFO keeps one item per call', async () => {
    const sim = new FifoSim(['web', 'api', 'db']);
    await sim.popAll();
    sim.change('web');
    sim.change('web');
    expect(sim.view('real').items).toEqual(['default/web Updated', 'default/web Updated']);
    expect(sim.view('delta').items).toEqual(['default/web [Updated, Updated]']);
  });

  it('a delete the watch missed comes back from a relist as a tombstone', async () => {
    const sim = new FifoSim(['web', 'api', 'db']);
    await sim.popAll();
    sim.remove('api', true);
    sim.relist();
    expect(sim.view('delta').items.some((i) => i.includes('tombstone'))).toBe(true);
    await sim.popAll();
    expect(sim.view('delta').seen.some((l) => l.startsWith('OnDelete(default/api) tombstone'))).toBe(true);
    expect(sim.view('real').cache.some((c) => c.startsWith('default/api'))).toBe(false);
  });

  it('HasSynced turns true once the first list is popped', async () => {
    const sim = new FifoSim(['web', 'api']);
    expect(sim.view('real').hasSynced).toBe(false);
    await sim.popAll();
    expect(sim.view('real').hasSynced).toBe(true);
    expect(sim.view('delta').hasSynced).toBe(true);
  });
});

describe('IndexerPlayground', () => {
  it('an update moves a key between index values', () => {
    const sim = new IndexerSim();
    expect(sim.view('node-a').query).toHaveLength(2);
    sim.put('default/web', 'node-b');
    expect(sim.view('node-a').query.map((q) => q.split(' ')[0])).toEqual(['shop/cart']);
    expect(sim.view('node-b').query).toHaveLength(2);
  });

  it('changing the cached object in place leaves the index wrong', () => {
    const sim = new IndexerSim();
    sim.mutateInPlace('default/web', 'node-b');
    // node-a still lists web (now saying node-b); node-b does not have it.
    expect(sim.view('node-a').query.some((q) => q.startsWith('default/web'))).toBe(true);
    expect(sim.view('node-b').query.some((q) => q.startsWith('default/web'))).toBe(false);
  });
});

describe('GoawayPlayground', () => {
  it('without GOAWAY a restarted server stays empty; with it, connections spread again', () => {
    const off = new GoawaySim(0);
    off.restart();
    off.advance(60_000);
    expect(off.state().connections[2]).toBe(0);
    const on = new GoawaySim(0.02);
    on.restart();
    on.advance(300_000);
    expect(on.state().connections[2]).toBeGreaterThan(0);
    expect(on.state().goaways).toBeGreaterThan(0);
  });
});

describe('NameChecker', () => {
  it('applies each rule with apimachinery\'s messages', () => {
    const r = checkName('My.App');
    expect(r.find((x) => x.rule.startsWith('DNS-1123 subdomain'))!.errors[0]).toContain('a lowercase RFC 1123 subdomain');
    const dotted = checkName('web.v2');
    expect(dotted.find((x) => x.rule.startsWith('DNS-1123 subdomain'))!.errors).toEqual([]);
    expect(dotted.find((x) => x.rule.startsWith('DNS-1123 label'))!.errors).not.toEqual([]);
    expect(checkName('1web').find((x) => x.rule.startsWith('DNS-1035'))!.errors).not.toEqual([]);
  });
});

describe('RestMapperPlayground', () => {
  it('expands short names and finds the path', () => {
    const m = resolve('deploy');
    expect(m.ok).toBe(true);
    expect(m.lines.join('\n')).toContain('GET /apis/apps/v1/namespaces/default/deployments?limit=500');
    expect(resolve('foos').lines.join('\n')).toContain('/apis/samplecontroller.k8s.io/v1alpha1/namespaces/default/foos');
    expect(resolve('nosuch').ok).toBe(false);
  });
});

describe('StatusPlayground', () => {
  it('every scenario builds a Status whose code and reason agree', () => {
    for (const s of SCENARIOS) {
      const d = describeScenario(s.id);
      expect(d.statusLine).toMatch(/^HTTP\/2 \d{3} /);
      expect(d.predicates.length).toBeGreaterThan(0);
    }
    expect(describeScenario('conflict').body).toContain('the object has been modified; please apply your changes to the latest version and try again');
  });
});

describe('ConflictPlayground', () => {
  it('resourceVersion is the key\'s mod_revision, and a stale one is refused with 409', async () => {
    const sim = await ConflictSim.create();
    expect(sim.view().modRevision).toBe(3);
    await sim.read('A');
    await sim.read('B');
    const a = await sim.write('A');
    expect(a.join('\n')).toContain('200 OK, resourceVersion "4"');
    const b = await sim.write('B');
    expect(b.join('\n')).toContain('409 Conflict: Operation cannot be fulfilled on configmaps "settings": the object has been modified; please apply your changes to the latest version and try again');
    expect(sim.view().modRevision).toBe(4);
    expect(sim.view().version).toBe(2);
    expect(sim.view().createRevision).toBe(3);
  });

  it('a write without resourceVersion succeeds and loses the other writer\'s change', async () => {
    const sim = await ConflictSim.create();
    await sim.read('A');
    await sim.read('B');
    await sim.write('A');
    const b = await sim.write('B', true);
    expect(b.join('\n')).toContain('lost update');
    expect(sim.view().data.color).toBe('red');
  });

  it('a race: one txn fails its compare, the retry sees the new version and answers 409', async () => {
    const sim = await ConflictSim.create();
    await sim.read('A');
    await sim.read('B');
    const said = (await sim.race()).join('\n');
    expect(said).toContain('A: etcd Txn If(mod_revision = 3) Then(Put) → succeeded at revision 4');
    expect(said).toContain('B: etcd Txn If(mod_revision = 3) → failed');
    expect(said).toContain('B: 409 Conflict');
  });

  it('RetryOnConflict reads again and succeeds; other keys move the revision', async () => {
    const sim = await ConflictSim.create();
    await sim.read('A');
    await sim.read('B');
    await sim.write('A');
    const said = (await sim.retry('B')).join('\n');
    expect(said).toContain('409');
    expect(said).toContain('200 OK, resourceVersion "5"');
    expect(sim.view().data).toEqual({ color: 'blue', size: 'M' });
    await sim.otherWrite();
    expect(sim.view().revision).toBe(6);
    expect(sim.view().modRevision).toBe(5);
  });
});

describe('CrdPlayground', () => {
  const run = (id: string, preserve = true) => admit(JSON.stringify(EXAMPLES[id]), preserve);

  it('a valid Foo is stored with its default', () => {
    const r = run('valid');
    expect(r.invalid).toBeUndefined();
    expect(r.warnings).toEqual([]);
    expect(run('freeForm').defaulted).toEqual(['spec.replicas: 1']);
  });

  it('prunes unknown fields with a warning, and then defaults what is missing', () => {
    const r = run('unknown');
    expect(r.warnings).toEqual(['unknown field "spec.replica"']);
    expect(r.defaulted).toEqual(['spec.replicas: 1']);
    expect(r.stored).not.toContain('replica"');
  });

  it('rejects wrong types, out-of-range values and missing required fields with 422', () => {
    expect(run('wrongType').invalid).toBe('Foo.samplecontroller.k8s.io "example-foo" is invalid: spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"');
    expect(run('outOfRange').invalid).toBe('Foo.samplecontroller.k8s.io "example-foo" is invalid: spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1');
    expect(run('missing').invalid).toBe('Foo.samplecontroller.k8s.io "example-foo" is invalid: spec.deploymentName: Required value');
  });

  it('keeps a free-form object only with x-kubernetes-preserve-unknown-fields', () => {
    expect(run('freeForm', true).warnings).toEqual([]);
    expect(run('freeForm', true).stored).toContain('logLevel');
    expect(run('freeForm', false).warnings).toEqual(['unknown field "spec.config.limits"', 'unknown field "spec.config.logLevel"']);
  });

  it('drops status on create, and answers bad JSON with 400', () => {
    expect(run('withStatus').dropped).toHaveLength(1);
    expect(run('withStatus').stored).not.toContain('availableReplicas');
    expect(admit('{"spec":', true).parseError).toMatch(/^400 BadRequest/);
  });
});

describe('MvccPlayground', () => {
  it('one revision counter for every key; generations end with a tombstone', async () => {
    const sim = new MvccSim();
    await sim.put('web');
    await sim.put('web');
    await sim.put('api');
    await sim.del('web');
    const put = (await sim.put('web')).join('\n');
    expect(put).toContain('revision 6 (create_revision 6, mod_revision 6, version 1)');
    expect(sim.view().index).toEqual(['pods/default/api: {4.0}', 'pods/default/web: {2.0 3.0 5.0(t)} {6.0}']);
    expect((await sim.del('api')).join('\n')).toContain('revision 7');
    expect((await sim.del('api')).join('\n')).toContain('nothing written; the revision stays 7');
  });

  it('a watch from an old revision replays history with prevKv; after compaction it is canceled with ErrCompacted', async () => {
    const sim = new MvccSim();
    for (const k of ['web', 'web', 'api'] as const) await sim.put(k);
    const replay = (await sim.watchFrom(2)).join('\n');
    expect(replay).toContain('watch #1 ← PUT pods/default/web=web-v2 @3, prev web-v1');
    await sim.compact(3);
    expect((await sim.readAt(2)).join('\n')).toContain('etcdserver: mvcc: required revision has been compacted');
    expect((await sim.readAt(3)).join('\n')).toContain('pods/default/web=web-v2');
    expect((await sim.watchFrom(2)).join('\n')).toContain('watch #2 canceled: etcdserver: mvcc: required revision has been compacted (compact_revision 3)');
    // The watch opened before the compaction is synced and goes on.
    expect((await sim.put('api')).join('\n')).toContain('watch #1 ← PUT pods/default/api=api-v4 @5, prev api-v3');
  });

  it('an Event written with a 5 s lease is deleted by the lessor when the lease expires, unless kept alive', async () => {
    const sim = new MvccSim();
    await sim.putEvent();
    await sim.wait(4000);
    expect(sim.view().rows.map((r) => r.key)).toEqual(['events/default/web.17f3a2']);
    await sim.keepAlive();
    await sim.wait(4000);
    expect(sim.view().rows).toHaveLength(1);
    const said = (await sim.wait(2000)).join('\n');
    expect(said).toContain('the lease expired');
    expect(sim.view().rows).toEqual([]);
    expect(sim.view().revision).toBe(3);
    expect((await sim.keepAlive()).join('\n')).toContain('requested lease not found');
  });
});

describe('RaftPlayground', () => {
  it('elects a leader, replaces a crashed one at a higher term, and keeps writes through it', () => {
    const sim = new RaftPlaygroundSim({ members: 5, preVote: false, checkQuorum: false, seed: 1 });
    const c = () => sim.cluster;
    expect(c().leader()).toBeUndefined();
    sim.run(3000);
    const first = c().leader()!;
    expect(first).toBeDefined();
    const term = c().node(first)!.raft.term;
    expect(sim.do('propose')).toMatch(new RegExp(`^x1 appended by leader ${first} at index \\d+ \\(term ${term}\\)$`));
    expect(sim.do('crash-leader')).toBe(`leader ${first} crashed`);
    sim.run(3000);
    const next = c().leader()!;
    expect(next).not.toBe(first);
    expect(c().node(next)!.raft.term).toBeGreaterThan(term);
    expect(sim.do('restart-all')).toBe(`restarted ${first}`);
    sim.run(2000);
    expect(c().members().every((id) => c().applied(id).some((e) => e.data === 'x1'))).toBe(true);
    expect(c().violations).toEqual([]);
    expect(sim.trace.events.some((e) => e.type === 'raft.becomeLeader')).toBe(true);
  });

  it("runs the raft view's popover commands, and says why one cannot run", () => {
    const sim = new RaftPlaygroundSim({ members: 3, preVote: true, checkQuorum: true, seed: 2 });
    sim.run(3000);
    expect(sim.command('cluster partition 1 2,3')).toBe('partitioned {1} | {2,3}');
    expect(sim.command('cluster crash 2')).toBe('member 2 crashed');
    expect(sim.command('cluster crash 2')).toBe('member 2 is not up');
    expect(sim.command('cluster restart 3')).toBe('member 3 is not down');
    expect(sim.command('cluster restart 2')).toBe('member 2 restarted');
    expect(sim.command('cluster heal')).toBe('network healed');
    expect(sim.command('kubectl get pods')).toBe('unknown action kubectl get pods');
    sim.reset();
    expect(sim.now).toBe(0);
    expect(sim.trace.events.length).toBeGreaterThan(0); // the new cluster's bootstrap
  });
});
