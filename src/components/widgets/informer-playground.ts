/**
 * The live part of <InformerPlayground>: a real Reflector (src/sim/cache/reflector.ts) lists and
 * watches a FakeControllerSource (client-go's tools/cache/testing fake, the model's tiny API
 * server) into a RealFIFO, and a pop loop applies each Delta to an Indexer and records the
 * handler notification it makes, as client-go's `controller.processLoop` and `processDeltas`
 * do. Loaded by the component's small loader only when the widget scrolls into view.
 *
 * `InformerSim` has no DOM: test/content/widgets.test.ts drives it directly. `mount` draws it.
 *
 * Why not the model's SharedIndexInformer: its processor and listeners add ~15 KB to the chunk,
 * and a lesson page stays under 100 KB of JS. The pop loop below is the same three steps the
 * informer takes (pop, update the Indexer, notify), for one handler.
 */
import { newFakeControllerSource, type FakeControllerSource } from '../../sim/cache/fake_controller_source';
import { newReflector, type Reflector } from '../../sim/cache/reflector';
import { newRealFIFO, type RealFIFO } from '../../sim/cache/the_real_fifo';
import { newIndexer } from '../../sim/cache/store';
import { NamespaceIndex, metaNamespaceIndexFunc } from '../../sim/cache/index_funcs';
import { DeletedFinalStateUnknown, deletionHandlingMetaNamespaceKeyFunc, metaNamespaceKeyFunc } from '../../sim/cache/keys';
import { reflectorEvents, sourceEvents } from '../../sim/cache/events';
import type { Delta } from '../../sim/cache/delta_fifo_types';
import type { ListerWatcher } from '../../sim/cache/listwatch';
import { newResourceExpired } from '../../sim/apimachinery/errors';
import type { Indexer } from '../../sim/cache/types';
import { newEnv, type SimEnv } from '../../sim/core/env';
import { TraceRecorder, type TraceEvent } from '../../sim/core/trace';
import { runUntilIdle, settle } from '../../sim/core/drive';
import { formatLogLine } from '../../sim/core/log';
import type { KubeObject } from '../../sim/core/object';

export type InformerMode = 'watch' | 'relist' | 'resync';

interface Pod extends KubeObject {
  spec: { containers: Array<{ name: string; image: string }> };
}

/** One line of what happened: a model event in words, a klog line, or a handler call. */
export interface LogLine {
  t: number;
  kind: 'event' | 'klog' | 'handler';
  text: string;
}

export interface ServerRow {
  key: string;
  rv: string;
  image: string;
}

export interface SimState {
  t: number;
  server: ServerRow[];
  serverRV: string;
  openWatches: number;
  /** The watch the reflector has open: from which resourceVersion, for how long (s). */
  watch?: { fromRV: string; timeoutSeconds: number; startedAt: number };
  lastSyncRV: string;
  lists: number;
  watches: number;
  cache: ServerRow[];
  handlerCalls: number;
}

const KLOG_V = 4;
const MAX_LOG = 40;

// Upstream: client-go tools/cache/controller.go (processDeltas), for one handler.
function applyDeltas(indexer: Indexer<Pod>, deltas: Delta<Pod>[], isInInitialList: boolean, notify: (line: string) => void): void {
  for (const d of deltas) {
    const obj = d.object as Pod | DeletedFinalStateUnknown<Pod>;
    if (d.type === 'Deleted') {
      indexer.delete(obj as Pod);
      const key = deletionHandlingMetaNamespaceKeyFunc(obj);
      notify(obj instanceof DeletedFinalStateUnknown ? `OnDelete(${key}): a tombstone, DeletedFinalStateUnknown` : `OnDelete(${key})`);
      continue;
    }
    const pod = obj as Pod;
    const old = indexer.get(pod);
    if (old !== undefined) {
      indexer.update(pod);
      const same = old.metadata.resourceVersion === pod.metadata.resourceVersion;
      notify(`OnUpdate(${metaNamespaceKeyFunc(pod)}) rv ${old.metadata.resourceVersion} → ${pod.metadata.resourceVersion}${same ? ' (same: nothing changed)' : ''} [${d.type}]`);
    } else {
      indexer.add(pod);
      notify(`OnAdd(${metaNamespaceKeyFunc(pod)}, isInInitialList=${isInInitialList}) rv ${pod.metadata.resourceVersion} [${d.type}]`);
    }
  }
}

/** The simulation behind the widget: no DOM, deterministic for a seed. */
export class InformerSim {
  readonly env: SimEnv;
  readonly trace = new TraceRecorder(50_000);
  readonly source: FakeControllerSource<Pod>;
  readonly fifo: RealFIFO<Pod>;
  readonly indexer: Indexer<Pod>;
  readonly reflector: Reflector<Pod>;
  readonly log: LogLine[] = [];
  #versions = new Map<string, number>();
  #seen = 0;
  #handlerCalls = 0;
  #lists = 0;
  #watches = 0;
  #watch?: SimState['watch'];
  #closed = false;
  #compactedRV = 0;

  constructor(readonly options: { resyncMs?: number; seed?: number } = {}) {
    this.env = newEnv({ seed: options.seed ?? 1, trace: this.trace, logVerbosity: KLOG_V });
    this.source = newFakeControllerSource<Pod>({ env: this.env, name: 'apiserver', honorTimeoutSeconds: true });
    this.indexer = newIndexer<Pod>(deletionHandlingMetaNamespaceKeyFunc, { [NamespaceIndex]: metaNamespaceIndexFunc });
    this.fifo = newRealFIFO<Pod>(metaNamespaceKeyFunc, this.indexer, undefined, { env: this.env, name: 'pods-fifo' });
    // The fake keeps its whole history; compaction is this wrapper's: a watch from before the
    // compacted revision is refused with 410, as kube-apiserver's watch cache refuses it.
    const source = this.source;
    const lw: ListerWatcher<Pod> = {
      list: (o) => source.list(o),
      watch: (o) => {
        const rv = Number(o.resourceVersion ?? 0);
        if (this.#compactedRV > 0 && rv < this.#compactedRV) {
          const msg = `too old resource version: ${rv} (${this.#compactedRV})`;
          this.collect();
          this.push({ t: this.env.clock.now(), kind: 'event', text: `apiserver: watch from rv ${rv} refused: 410 Gone, ${msg}` });
          return Promise.reject(newResourceExpired(msg));
        }
        return source.watch(o);
      },
    };
    this.reflector = newReflector<Pod>({
      name: 'pods',
      listerWatcher: lw,
      store: this.fifo,
      expectedType: { apiVersion: 'v1', kind: 'Pod' },
      resyncPeriodMs: options.resyncMs ?? 0,
      env: this.env,
    });
  }

  /** Two Pods exist before the informer starts; then it lists, watches and syncs. */
  async start(names: string[]): Promise<void> {
    for (const name of names.slice(0, 2)) {
      const pod = this.pod(name);
      this.source.add(pod);
      this.#server.set(name, pod);
    }
    this.collect();
    void this.reflector.run();
    void this.popLoop();
    await this.idle(100);
  }

  /** Go's processLoop: pop one item at a time, forever, until the queue closes. */
  private async popLoop(): Promise<void> {
    while (!this.#closed) {
      try {
        await this.fifo.pop((deltas, isInInitialList) => {
          applyDeltas(this.indexer, deltas as Delta<Pod>[], isInInitialList, (text) => {
            this.collect(); // what led here comes first in the log
            this.#handlerCalls++;
            this.push({ t: this.env.clock.now(), kind: 'handler', text });
          });
        });
      } catch {
        return; // closed
      }
    }
  }

  stop(): void {
    this.#closed = true;
    this.reflector.stop();
    this.fifo.close();
  }

  private pod(name: string): Pod {
    const n = (this.#versions.get(name) ?? 0) + 1;
    this.#versions.set(name, n);
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { namespace: 'default', name, uid: `uid-${name}` },
      spec: { containers: [{ name: 'app', image: `${name}:v${n}` }] },
    };
  }

  /** What the server holds (the source writes each object's resourceVersion into it). */
  #server = new Map<string, Pod>();

  private current(name: string): Pod | undefined {
    return this.#server.get(name);
  }

  /** Time moves a little between clicks, as it does between real requests. */
  private async tick(): Promise<void> {
    await this.advanceQuietly(2_000);
  }

  private async advanceQuietly(ms: number): Promise<void> {
    const end = this.env.clock.now() + ms;
    await settle();
    await runUntilIdle(this.env.clock, { forMs: ms });
    if (this.env.clock.now() < end) this.env.clock.setTime(end);
    await settle();
    this.collect();
  }

  async create(name: string): Promise<string> {
    if (this.current(name)) return `${name} exists already`;
    await this.tick();
    const pod = this.pod(name);
    this.source.add(pod);
    this.#server.set(name, pod);
    await this.idle(100);
    return `created default/${name}`;
  }

  async update(name: string, missed = false): Promise<string> {
    if (!this.current(name)) return `default/${name} does not exist`;
    await this.tick();
    const pod = this.pod(name);
    if (missed) this.source.modifyDropWatch(pod);
    else this.source.modify(pod);
    this.#server.set(name, pod);
    await this.idle(100);
    return missed ? `updated default/${name}; the open watch dropped it` : `updated default/${name}`;
  }

  async remove(name: string, missed = false): Promise<string> {
    const cur = this.current(name);
    if (!cur) return `default/${name} does not exist`;
    await this.tick();
    if (missed) this.source.deleteDropWatch(cur);
    else this.source.delete(cur);
    this.#versions.delete(name);
    this.#server.delete(name);
    await this.idle(100);
    return missed ? `deleted default/${name}; the open watch dropped it` : `deleted default/${name}`;
  }

  /** The server ends the watch normally (a timeout, an apiserver restart seen from the client). */
  async closeWatch(): Promise<string> {
    await this.tick();
    const n = this.source.closeWatches();
    await this.idle(100);
    return n === 0 ? 'no watch was open' : 'the server closed the watch';
  }

  /**
   * Compaction as the client meets it: the open watch ends and the history up
   * to now is gone, so a new watch from an older resourceVersion is refused with 410.
   */
  async compact(): Promise<string> {
    await this.tick();
    this.#compactedRV = Number(this.source.lastResourceVersion());
    this.push({ t: this.env.clock.now(), kind: 'event', text: `apiserver: history compacted up to rv ${this.#compactedRV}; open watches end` });
    this.source.closeWatches();
    await this.idle(5_000, () => this.source.openWatches() > 0);
    return 'the server compacted its history and ended the watch';
  }

  /** The server sends ERROR 410 Gone on the watch (its history was compacted), then ends it. */
  async expire(): Promise<string> {
    await this.tick();
    const n = this.source.expireWatches();
    // The reflector backs off (0.8 to 1.6 s), then relists: let that happen.
    await this.idle(5_000, () => this.source.openWatches() > 0);
    return n === 0 ? 'no watch was open' : 'the watch got 410 Gone';
  }

  /** Lets `ms` of virtual time pass (watch timeouts and resyncs fire on the way). */
  async advance(ms: number): Promise<string> {
    await this.advanceQuietly(ms);
    return ms >= 60_000 ? `${ms / 60_000} min passed` : `${ms / 1000} s passed`;
  }

  private async idle(forMs: number, until?: () => boolean): Promise<void> {
    await settle();
    await runUntilIdle(this.env.clock, { forMs, until });
    this.collect();
  }

  /** Turns new trace events into log lines. */
  private collect(): void {
    const events = this.trace.events;
    for (; this.#seen < events.length; this.#seen++) {
      const e = events[this.#seen];
      const line = this.line(e);
      if (line) this.push(line);
    }
  }

  private line(e: TraceEvent): LogLine | undefined {
    if (e.type === 'reflector.list') this.#lists++;
    if (e.type === 'reflector.watch') {
      this.#watches++;
      this.#watch = { fromRV: String(e.rv), timeoutSeconds: Number(e.timeoutSeconds), startedAt: e.t };
    }
    if (e.type === 'reflector.watchEnded') this.#watch = undefined;
    if (e.type.endsWith('.log') && typeof e.message === 'string') {
      if (typeof e.v === 'number' && e.v > KLOG_V) return undefined;
      return { t: e.t, kind: 'klog', text: formatLogLine(e) };
    }
    const text =
      reflectorEvents.is(e) && !['reflector.event', 'reflector.resync'].includes(e.type)
        ? `reflector: ${reflectorEvents.text(e)}`
        : e.type === 'reflector.event'
          ? `reflector: watch event ${reflectorEvents.text(e)}`
          : sourceEvents.is(e) && ['source.add', 'source.modify', 'source.delete', 'source.list', 'source.watch', 'source.watchTimeout'].includes(e.type)
            ? `apiserver: ${sourceEvents.text(e)}`
            : e.type === 'realFIFO.resync'
              ? `fifo: resync queued a Sync for ${Array.isArray(e.keys) ? e.keys.length : 0} keys`
              : undefined;
    return text === undefined ? undefined : { t: e.t, kind: 'event', text };
  }

  private push(line: LogLine): void {
    this.log.push(line);
    if (this.log.length > MAX_LOG * 4) this.log.splice(0, this.log.length - MAX_LOG * 4);
  }

  state(): SimState {
    const row = (p: Pod): ServerRow => ({
      key: metaNamespaceKeyFunc(p),
      rv: p.metadata.resourceVersion ?? '',
      image: p.spec.containers[0]?.image ?? '',
    });
    return {
      t: this.env.clock.now(),
      server: [...this.#server.values()].map(row),
      serverRV: this.source.lastResourceVersion(),
      openWatches: this.source.openWatches(),
      watch: this.#watch,
      lastSyncRV: this.reflector.lastSyncResourceVersion(),
      lists: this.#lists,
      watches: this.#watches,
      cache: this.indexer.list().map(row),
      handlerCalls: this.#handlerCalls,
    };
  }
}

/** mm:ss.s of virtual time. */
export function clockText(ms: number): string {
  const s = ms / 1000;
  const m = Math.floor(s / 60);
  return `${m}:${(s - m * 60).toFixed(1).padStart(4, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// The DOM side.

export function mount(root: HTMLElement): void {
  const names = JSON.parse(root.dataset.items ?? '["web","api","db"]') as string[];
  const mode = (root.dataset.mode ?? 'watch') as InformerMode;
  const resyncMs = Number(root.dataset.resyncMs ?? 0);
  let sim = new InformerSim({ resyncMs: mode === 'resync' ? resyncMs : 0 });
  let busy = false;

  const $ = <T extends HTMLElement>(sel: string) => root.querySelector<T>(sel);
  const dropped = () => root.querySelector<HTMLInputElement>('input[data-drop]')?.checked ?? false;
  const selected = () => root.querySelector<HTMLInputElement>('input[data-key]:checked')?.value ?? names[0];

  const render = () => {
    const s = sim.state();
    $('[data-clock]')!.textContent = `t = ${clockText(s.t)}`;
    fill($('[data-lane="server"]')!, s.server.map((r) => `${r.key}  rv ${r.rv}  ${r.image}`));
    const w = s.watch
      ? `watch open from rv ${s.watch.fromRV}, timeoutSeconds=${s.watch.timeoutSeconds} (ends at ${clockText(s.watch.startedAt + s.watch.timeoutSeconds * 1000)})`
      : 'no watch open';
    fill($('[data-lane="reflector"]')!, [`lastSyncResourceVersion ${s.lastSyncRV || '""'}`, w, `LIST requests ${s.lists} · WATCH requests ${s.watches}`], true);
    $('[data-server-rv]')!.textContent = `latest rv ${s.serverRV} · open watches ${s.openWatches}`;
    fill($('[data-lane="cache"]')!, s.cache.map((r) => `${r.key}  rv ${r.rv}  ${r.image}`));
    const lines = sim.log.slice(-MAX_LOG).reverse();
    const log = $('[data-log]')!;
    log.replaceChildren(
      ...lines.map((l) => {
        const li = document.createElement('li');
        li.className = `kl-w-${l.kind}`;
        li.textContent = l.kind === 'klog' ? l.text : `t=${clockText(l.t)}  ${l.text}`;
        return li;
      }),
    );
  };

  const fill = (ul: HTMLElement, rows: string[], plain = false) => {
    if (rows.length === 0) {
      const li = document.createElement('li');
      li.className = 'kl-w-empty';
      li.textContent = 'empty';
      ul.replaceChildren(li);
      return;
    }
    ul.replaceChildren(
      ...rows.map((r) => {
        const li = document.createElement('li');
        li.textContent = r;
        if (!plain) li.className = 'kl-w-chip';
        return li;
      }),
    );
  };

  const announce = (text: string) => {
    const live = $('[data-live]');
    if (live) live.textContent = text;
    const said = $('[data-said]');
    if (said) said.textContent = text;
  };

  const run = async (action: string, ms: number) => {
    const key = selected();
    switch (action) {
      case 'create':
        return sim.create(key);
      case 'update':
        return sim.update(key, dropped());
      case 'delete':
        return sim.remove(key, dropped());
      case 'compact':
        return sim.compact();
      case 'close':
        return sim.closeWatch();
      case 'expire':
        return sim.expire();
      case 'advance':
        return sim.advance(ms);
      case 'reset':
        sim.stop();
        sim = new InformerSim({ resyncMs: mode === 'resync' ? resyncMs : 0 });
        await sim.start(names);
        return 'reset: a new informer listed and is watching';
      default:
        return '';
    }
  };

  root.addEventListener('click', (event) => {
    const button = (event.target as Element).closest<HTMLButtonElement>('button[data-action]');
    if (!button || busy || button.disabled) return;
    busy = true;
    const before = sim.log.length;
    void run(button.dataset.action ?? '', Number(button.dataset.ms ?? 0))
      .then((said) => {
        render();
        const handler = sim.log.slice(before).filter((l) => l.kind === 'handler').map((l) => l.text);
        announce([said, ...handler].filter(Boolean).join('; '));
      })
      .catch((err: unknown) => announce(`Error: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        busy = false;
      });
  });

  void sim.start(names).then(() => {
    for (const el of root.querySelectorAll<HTMLButtonElement | HTMLInputElement>('button, input')) el.disabled = false;
    $('[data-status]')!.textContent = 'Live: a Reflector from src/sim lists and watches a fake API server.';
    root.dataset.ready = 'true';
    render();
  });
}
