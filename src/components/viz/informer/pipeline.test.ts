// The informer pipeline rebuilt from the trace alone, checked against the live models: the queue
// at every queue event, the Indexer with each object's resourceVersion at every quiet point, and
// time travel (any cursor, in any order) against a replay from scratch.
import { describe, expect, it } from 'vitest';
import {
  FakeClock,
  Replayer,
  TraceRecorder,
  defaultControllerRateLimiter,
  metaNamespaceKeyFunc,
  newFakeControllerSource,
  newRateLimitingQueue,
  newSharedIndexInformer,
  replayOnce,
  rngFromSeed,
  runUntilIdle,
  type KubeObject,
  type TraceEvent,
} from '../../../sim/index';
import { pipelineReducer, type PipelineState } from './pipeline';
import { createInformerView } from './view';

type Pod = KubeObject;
const pod = (name: string, image = 'nginx'): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image }] } }) as Pod;

interface Run {
  events: TraceEvent[];
  /** Cursors at quiet points, with the live Indexer (key -> resourceVersion) there. */
  quiet: Array<{ cursor: number; indexer: Record<string, string | undefined> }>;
  /** At every queue event: the live queue's keys and Delta types, head first. */
  queues: Array<{ cursor: number; items: string[] }>;
}

/** An informer over a FakeControllerSource: list, watch, updates, a 410 and relist, a delete, a timeout. */
async function drive(inOrder: boolean): Promise<Run> {
  const trace = new TraceRecorder();
  const clock = new FakeClock();
  const source = newFakeControllerSource<Pod>({ clock, trace, name: 'pods', honorTimeoutSeconds: true });
  source.add(pod('a'));
  source.add(pod('b'));
  const informer = newSharedIndexInformer<Pod>(source, { clock, trace, rng: rngFromSeed('pipeline'), name: 'pods', features: { InOrderInformers: inOrder } });
  const queue = newRateLimitingQueue<string>(defaultControllerRateLimiter(clock), { clock, trace, name: 'pods' });
  const enqueue = (o: unknown) => queue.add(metaNamespaceKeyFunc(o as Pod));
  informer.addEventHandler({ addFunc: enqueue, updateFunc: (_o, n) => enqueue(n), deleteFunc: enqueue });

  const run: Run = { events: trace.events, quiet: [], queues: [] };
  trace.subscribe((e) => {
    if (e.component !== 'realFIFO' && e.component !== 'deltaFIFO') return;
    const q = informer.getQueue();
    if (!q) return;
    const snap = q.snapshot();
    const items = 'items' in snap ? snap.items.map((i) => `${i.type} ${i.key}`) : snap.queue.map((k) => `${k.key} [${k.deltas.map((d) => d.type).join(' ')}]`);
    run.queues.push({ cursor: trace.events.length, items });
  });
  const quiet = async (ms: number) => {
    await runUntilIdle(clock, { forMs: ms });
    const indexer: Record<string, string | undefined> = {};
    for (const o of informer.getIndexer().list()) indexer[metaNamespaceKeyFunc(o)] = o.metadata.resourceVersion;
    run.quiet.push({ cursor: trace.events.length, indexer });
  };

  const done = informer.run();
  await quiet(100);
  source.modify(pod('a', 'v2'));
  source.add(pod('c'));
  source.modify(pod('a', 'v3'));
  await quiet(100);
  source.expireWatches('too old resource version');
  await quiet(5_000);
  source.delete(pod('b'));
  source.addDropWatch(pod('d')); // only a relist sees it
  await quiet(100);
  source.expireWatches();
  await quiet(5_000);
  await quiet(700_000); // the watch times out and is opened again
  informer.stop();
  await done;
  return run;
}

/** The parts of the replayed state the checks compare. */
function queueItems(s: PipelineState): string[] {
  const q = s.queues.get('pods-fifo');
  if (!q) return [];
  return q.kind === 'RealFIFO' ? q.items.map((i) => `${i.type} ${i.key}`) : q.order.map((k) => `${k} [${(q.deltas.get(k) ?? []).map((d) => d.type).join(' ')}]`);
}

/** A plain copy of the whole state, to compare replays. */
function plain(s: PipelineState): unknown {
  return JSON.parse(JSON.stringify(s, (_k, v) => (v instanceof Map ? [...v] : v instanceof Set ? [...v] : v)));
}

describe.each([
  ['RealFIFO (InOrderInformers on)', true],
  ['DeltaFIFO (InOrderInformers off)', false],
])('informer pipeline from the trace, %s', (_name, inOrder) => {
  it('the queue matches the live queue after every queue event', async () => {
    const run = await drive(inOrder);
    const replayer = new Replayer(pipelineReducer, run.events, { interval: 16 });
    expect(run.queues.length).toBeGreaterThan(20);
    for (const { cursor, items } of run.queues) expect(queueItems(replayer.at(cursor)), `after event ${cursor}: ${run.events[cursor - 1].type}`).toEqual(items);
    const s = replayer.at(run.events.length);
    expect(s.informers.get('pods')?.queueKind).toBe(inOrder ? 'RealFIFO' : 'DeltaFIFO');
    expect(s.queues.get('pods-fifo')?.kind).toBe(inOrder ? 'RealFIFO' : 'DeltaFIFO');
  });

  it('the Indexer holds every live key with its resourceVersion at every quiet point', async () => {
    const run = await drive(inOrder);
    const replayer = new Replayer(pipelineReducer, run.events, { interval: 16 });
    expect(run.quiet.length).toBe(6);
    for (const { cursor, indexer } of run.quiet) {
      const replayed = Object.fromEntries(replayer.at(cursor).informers.get('pods')!.indexer);
      expect(replayed, `at cursor ${cursor}`).toEqual(indexer);
    }
    // d was never sent down a watch: the relist brought it, with the rv the source listed it at.
    expect(run.quiet[4].indexer['default/d']).toBeDefined();
  });

  it('keys carry their resourceVersion through the watch, the queue and the handlers, and the handler feeds the workqueue', async () => {
    const run = await drive(inOrder);
    const replayer = new Replayer(pipelineReducer, run.events);
    // Right after the source sent a's second change, it waits on the watch with its rv.
    const sent = run.events.findIndex((e) => e.type === 'source.modify' && e.key === 'default/a' && e.rv === '5');
    const inFlight = replayer.at(sent + 1).reflectors.get('pods')!.inFlight;
    expect(inFlight).toContainEqual({ key: 'default/a', type: 'MODIFIED', rv: '5' });
    // Every queue item that came from the watch or a list knows its rv.
    for (const { cursor } of run.queues) {
      const q = replayer.at(cursor).queues.get('pods-fifo')!;
      const flows = q.kind === 'RealFIFO' ? q.items : [...q.deltas.values()].flat();
      for (const f of flows) expect(f.rv, `${f.type} ${f.key} after event ${cursor}`).toMatch(/^\d+$/);
    }
    // Each notification is queued with the rv of the Delta that made it.
    const notify = run.events.findIndex((e) => e.type === 'informer.notify' && e.key === 'default/c');
    const s = replayer.at(notify + 1);
    expect(s.informers.get('pods')!.listeners.get(1)!.pending.at(-1)).toMatchObject({ key: 'default/c', type: 'add', rv: '4' });
    expect(s.informers.get('pods')!.listeners.get(1)!.workqueue).toBe('pods');
    const end = replayer.at(run.events.length);
    expect(end.workqueues.get('pods')!.adds).toBeGreaterThan(0);
    expect(end.reflectors.get('pods')!.relists).toBe(2);
  });

  it('time travel: the state at any cursor, reached in any order, is the state replayed from scratch', async () => {
    const run = await drive(inOrder);
    const replayer = new Replayer(pipelineReducer, run.events, { interval: 8 });
    const rng = rngFromSeed('cursors');
    for (let i = 0; i < 60; i++) {
      const c = rng.int(run.events.length + 1);
      expect(plain(replayer.at(c)), `cursor ${c}`).toEqual(plain(replayOnce(pipelineReducer, run.events, c)));
    }
  });

  it('the view draws each hop with keys and resourceVersions, the queue named after the informer.run event', async () => {
    const run = await drive(inOrder);
    const root = { innerHTML: '', classList: { add() {} } } as unknown as HTMLElement;
    const view = createInformerView(root, { viewAnchor: (n) => (n === 'workqueue' ? 'kl-view-workqueue' : undefined) });
    const replace = run.events.findIndex((e) => e.type === (inOrder ? 'realFIFO.replaceDone' : 'deltaFIFO.replaceDone'));
    view.render(run.events, replace + 1);
    const html = root.innerHTML;
    for (const hop of ['source', 'watch', 'reflector', 'queue', 'indexer', 'handlers', 'workqueue']) expect(html).toContain(`data-hop="${hop}"`);
    expect(html).toContain(`<span class="kl-pl-box-title">${inOrder ? 'RealFIFO' : 'DeltaFIFO'}</span>`);
    expect(text(html)).toMatch(/default\/a rv 1/);
    expect(html).toContain('href="#kl-view-workqueue"');
    view.render(run.events, 0);
    expect(root.innerHTML).toMatch(/No informer, reflector or FIFO exists yet/);
  });
});

/** The text a sighted reader sees (screen-reader-only spans dropped, tags stripped). */
function text(html: string): string {
  return html
    .replace(/<span class="sr-only">[^<]*<\/span>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');
}

describe('parts outside an informer', () => {
  it('a reflector of its own and a lone DeltaFIFO get their own pipelines', async () => {
    const { newReflector, newDeltaFIFO, newStore } = await import('../../../sim/index');
    const trace = new TraceRecorder();
    const clock = new FakeClock();
    const source = newFakeControllerSource<Pod>({ clock, trace, name: 'nodes' });
    source.add(pod('n1'));
    const store = newStore<Pod>(metaNamespaceKeyFunc);
    const reflector = newReflector<Pod>({ name: 'nodes-reflector', listerWatcher: source, store, clock, trace, rng: rngFromSeed(1) } as never);
    const fifo = newDeltaFIFO<Pod>({ name: 'lone', trace, keyFunction: metaNamespaceKeyFunc } as never);
    fifo.add(pod('x'));
    const stop = (await import('../../../sim/index')).newStopChannel();
    const running = reflector.run(stop);
    await runUntilIdle(clock, { forMs: 10 });
    stop.close();
    await running;
    const s = replayOnce(pipelineReducer, trace.events);
    expect(s.reflectors.get('nodes-reflector')?.source).toBe('nodes');
    expect(s.queues.get('lone')?.order).toEqual(['default/x']);
    const root = { innerHTML: '', classList: { add() {} } } as unknown as HTMLElement;
    createInformerView(root).render(trace.events, trace.events.length);
    expect(root.innerHTML).toContain('aria-label="reflector nodes-reflector"');
    expect(root.innerHTML).toContain('aria-label="DeltaFIFO lone"');
  });
});

describe('the API server hop', () => {
  it('an informer over the API server: the watch cache with each object’s rv, watch events in flight, the Indexer as the live one', async () => {
    const { newApiServer, newClientset, newListWatchFromClient } = await import('../../../sim/index');
    const trace = new TraceRecorder();
    const clock = new FakeClock();
    const server = newApiServer({ clock, trace });
    const cs = newClientset(server, { qps: -1 });
    await runUntilIdle(clock, { forMs: 10 });
    const pods = cs.coreV1().pods('default');
    await pods.create(pod('web'));
    await pods.create(pod('db'));
    const informer = newSharedIndexInformer<Pod>(newListWatchFromClient(cs.coreV1().pods(''), 'pods', '') as never, { clock, trace, rng: rngFromSeed('api'), name: 'pods' });
    const queue = newRateLimitingQueue<string>(defaultControllerRateLimiter(clock), { clock, trace, name: 'pods' });
    informer.addEventHandler({ addFunc: (o) => queue.add(metaNamespaceKeyFunc(o as Pod)), updateFunc: (_o, n) => queue.add(metaNamespaceKeyFunc(n as Pod)) });
    const done = informer.run();
    await runUntilIdle(clock, { forMs: 100 });
    const web = (await pods.get('web')) as Pod & { spec: { containers: Array<{ image: string }> } };
    web.spec.containers[0].image = 'v2';
    await pods.update(web);
    await pods.create(pod('cache'));
    await pods.delete('db');
    await runUntilIdle(clock, { forMs: 100 });
    const live = Object.fromEntries(informer.getIndexer().list().map((o) => [metaNamespaceKeyFunc(o), o.metadata.resourceVersion]));
    const cursor = trace.events.length;
    server.dropWatches();
    await runUntilIdle(clock, { forMs: 1_000 });
    informer.stop();
    await done;

    const events = trace.events;
    const replayer = new Replayer(pipelineReducer, events);
    const s = replayer.at(cursor);
    expect(Object.fromEntries(s.informers.get('pods')!.indexer)).toEqual(live);
    const r = s.reflectors.get('pods')!;
    const api = s.sources.get(r.source!)!;
    expect(api).toMatchObject({ kind: 'ApiServer', name: 'pods', server: 'kube-apiserver', prefix: '/pods', cacher: 'storage/cacher.go:/pods', watches: 1 });
    expect(Object.fromEntries(api.objects)).toEqual(live);
    // A watch event the API server sent is in flight, with its rv, until the reflector hands it on.
    const sent = events.findIndex((e) => e.type === 'apiserver.watchEvent' && e.key === 'default/cache');
    expect(replayer.at(sent + 1).reflectors.get('pods')!.inFlight).toEqual([{ key: 'default/cache', type: 'ADDED', rv: live['default/cache'] }]);
    // The initial list's items carry the rv the watch cache held them at.
    const replaced = events.findIndex((e) => e.type === 'realFIFO.replaceDone');
    expect(replayer.at(replaced + 1).queues.get('pods-fifo')!.items.map((f) => `${f.key}@${f.rv}`).sort()).toEqual(['default/db@12', 'default/web@11']);
    const root = { innerHTML: '', classList: { add() {} } } as unknown as HTMLElement;
    createInformerView(root, { viewAnchor: (n) => `kl-view-${n}` }).render(events, cursor);
    expect(text(root.innerHTML)).toMatch(/API server kube-apiserver watch cache pods/);
    expect(text(root.innerHTML)).toMatch(/watch cache ← etcd \/registry\/pods\//);
    expect(root.innerHTML).toContain('data-view-link="etcd"');
    // The API server's own reflectors are inside its hop, not pipelines of their own.
    expect(root.innerHTML).not.toContain('storage/cacher.go');
  });
});
