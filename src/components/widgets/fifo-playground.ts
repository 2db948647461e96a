/**
 * The live part of <FifoPlayground>: the two queues client-go v0.34.0 can put between a
 * Reflector and an informer, side by side, fed the same calls — a RealFIFO (the
 * InOrderInformers gate on, the default) and a DeltaFIFO with `emitDeltaTypeReplaced` and the
 * informer's Indexer as known objects (the gate off), exactly as `sharedIndexInformer.Run` builds
 * them. The buttons are the Reflector's calls (`Add`, `Update`, `Delete`, `Replace`, `Resync`) and
 * the informer's `Pop`; each pop is applied to that queue's own Indexer as `processDeltas` does.
 *
 * `FifoSim` has no DOM (test/content/widgets.test.ts drives it); `mount` draws it.
 */
import { newDeltaFIFO } from '../../sim/cache/delta_fifo';
import { newRealFIFO, type RealFIFO } from '../../sim/cache/the_real_fifo';
import { newIndexer } from '../../sim/cache/store';
import { DeletedFinalStateUnknown, deletionHandlingMetaNamespaceKeyFunc, metaNamespaceKeyFunc } from '../../sim/cache/keys';
import type { Delta, DeltaFIFO } from '../../sim/cache/delta_fifo_types';
import type { Indexer } from '../../sim/cache/types';
import { FakeClock } from '../../sim/core/clock';
import { settle } from '../../sim/core/drive';
import type { KubeObject } from '../../sim/core/object';

interface Pod extends KubeObject {
  spec: { image: string };
}

type Which = 'real' | 'delta';

export interface QueueView {
  /** One line per queued item: `default/web Added` (RealFIFO), `default/web [Added, Updated]` (DeltaFIFO). */
  items: string[];
  hasSynced: boolean;
  cache: string[];
  seen: string[];
}

interface Pipe {
  fifo: RealFIFO<Pod> | DeltaFIFO<Pod>;
  indexer: Indexer<Pod>;
  seen: string[];
}

const deltaText = (d: Delta<Pod>) => (d.object instanceof DeletedFinalStateUnknown ? `${d.type} (tombstone)` : d.type);

export class FifoSim {
  readonly clock = new FakeClock();
  readonly server = new Map<string, Pod>();
  readonly pipes: Record<Which, Pipe>;
  #rv = 0;
  #versions = new Map<string, number>();

  constructor(names: string[]) {
    const realIndexer = newIndexer<Pod>(deletionHandlingMetaNamespaceKeyFunc, {});
    const deltaIndexer = newIndexer<Pod>(deletionHandlingMetaNamespaceKeyFunc, {});
    this.pipes = {
      real: { fifo: newRealFIFO<Pod>(metaNamespaceKeyFunc, realIndexer, undefined, { clock: this.clock, name: 'realFIFO' }), indexer: realIndexer, seen: [] },
      delta: {
        fifo: newDeltaFIFO<Pod>({ knownObjects: deltaIndexer, emitDeltaTypeReplaced: true, clock: this.clock, name: 'deltaFIFO' }),
        indexer: deltaIndexer,
        seen: [],
      },
    };
    // The informer starts with a list: both queues get Replace(list) before any pop.
    for (const name of names.slice(0, 2)) this.server.set(name, this.pod(name));
    this.relist();
  }

  private pod(name: string): Pod {
    const n = (this.#versions.get(name) ?? 0) + 1;
    this.#versions.set(name, n);
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { namespace: 'default', name, resourceVersion: String(++this.#rv) },
      spec: { image: `${name}:v${n}` },
    };
  }

  private each(fn: (fifo: RealFIFO<Pod> | DeltaFIFO<Pod>) => void): void {
    fn(this.pipes.real.fifo);
    fn(this.pipes.delta.fifo);
  }

  /** A watch event ADDED (or MODIFIED when it exists). `missed`: the watch lost it; only the server changes. */
  change(name: string, missed = false): string {
    const pod = this.pod(name);
    const existed = this.server.has(name);
    this.server.set(name, pod);
    if (missed) return `${existed ? 'updated' : 'created'} default/${name} at rv ${this.#rv}; the watch lost the event`;
    this.each((f) => (existed ? f.update(pod) : f.add(pod)));
    return `${existed ? 'Update' : 'Add'}(default/${name}) at rv ${this.#rv}`;
  }

  remove(name: string, missed = false): string {
    const last = this.server.get(name);
    const obj: Pod = last ?? this.pod(name);
    this.server.delete(name);
    this.#rv++;
    if (missed) return `deleted default/${name} at rv ${this.#rv}; the watch lost the event`;
    this.each((f) => f.delete(obj));
    return last ? `Delete(default/${name})` : `Delete(default/${name}): an object neither queue has seen`;
  }

  relist(): string {
    const list = [...this.server.values()];
    this.each((f) => f.replace(list, String(this.#rv)));
    return `Replace(${list.length} objects, rv ${this.#rv}): a relist`;
  }

  resync(): string {
    this.each((f) => f.resync());
    return 'Resync(): a Sync for every cached object with nothing queued';
  }

  /** One Pop from each queue that has something, applied as processDeltas applies it. */
  async pop(): Promise<string> {
    const said: string[] = [];
    for (const which of ['real', 'delta'] as const) {
      const pipe = this.pipes[which];
      if (this.view(which).items.length === 0) continue;
      const popped = await pipe.fifo.pop((deltas, isInInitialList) => {
        for (const d of deltas as Delta<Pod>[]) this.apply(pipe, d, isInInitialList);
      });
      said.push(`${which === 'real' ? 'RealFIFO' : 'DeltaFIFO'} popped ${(popped as Delta<Pod>[]).map(deltaText).join(', ')}`);
    }
    await settle();
    return said.length === 0 ? 'both queues are empty' : said.join('; ');
  }

  async popAll(): Promise<string> {
    let n = 0;
    while (this.view('real').items.length + this.view('delta').items.length > 0 && n < 100) {
      await this.pop();
      n++;
    }
    return 'popped everything';
  }

  // Upstream: client-go tools/cache/controller.go (processDeltas)
  private apply(pipe: Pipe, d: Delta<Pod>, isInInitialList: boolean): void {
    const obj = d.object;
    const key = deletionHandlingMetaNamespaceKeyFunc(obj);
    if (d.type === 'Deleted') {
      pipe.indexer.delete(obj as Pod);
      pipe.seen.push(`OnDelete(${key})${obj instanceof DeletedFinalStateUnknown ? ' tombstone' : ''}`);
      return;
    }
    const old = pipe.indexer.get(obj as Pod);
    if (old !== undefined) {
      pipe.indexer.update(obj as Pod);
      pipe.seen.push(`OnUpdate(${key}) rv ${old.metadata.resourceVersion}→${(obj as Pod).metadata.resourceVersion} [${d.type}]`);
    } else {
      pipe.indexer.add(obj as Pod);
      pipe.seen.push(`OnAdd(${key}${isInInitialList ? ', initial' : ''}) [${d.type}]`);
    }
  }

  view(which: Which): QueueView {
    const pipe = this.pipes[which];
    const items =
      which === 'real'
        ? (pipe.fifo as RealFIFO<Pod>).snapshot().items.map((i) => `${i.key} ${i.type}${i.object.startsWith('DeletedFinalStateUnknown') ? ' (tombstone)' : ''}`)
        : (pipe.fifo as DeltaFIFO<Pod>).snapshot().queue.map((q) => `${q.key} [${q.deltas.map((d) => (d.object.startsWith('DeletedFinalStateUnknown') ? `${d.type} (tombstone)` : d.type)).join(', ')}]`);
    return {
      items,
      hasSynced: pipe.fifo.hasSynced(),
      cache: pipe.indexer.list().map((p) => `${metaNamespaceKeyFunc(p)} rv ${p.metadata.resourceVersion}`),
      seen: pipe.seen.slice(-8),
    };
  }
}

// ---------------------------------------------------------------------------------------------

export function mount(root: HTMLElement): void {
  const names = JSON.parse(root.dataset.items ?? '["web","api","db"]') as string[];
  let sim = new FifoSim(names);
  let busy = false;
  const $ = <T extends HTMLElement>(sel: string) => root.querySelector<T>(sel);
  const selected = () => root.querySelector<HTMLInputElement>('input[data-key]:checked')?.value ?? names[0];
  const lost = () => root.querySelector<HTMLInputElement>('input[data-drop]')?.checked ?? false;

  const list = (ul: HTMLElement, rows: string[], cls = 'kl-w-chip') => {
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
        if (cls) li.className = /tombstone|Deleted/.test(r) ? `${cls} kl-w-chip-bad` : /Replaced|Sync/.test(r) ? `${cls} kl-w-chip-warn` : cls;
        return li;
      }),
    );
  };

  const render = (said: string) => {
    for (const which of ['real', 'delta'] as const) {
      const v = sim.view(which);
      list($(`[data-lane="${which}-queue"]`)!, v.items);
      list($(`[data-lane="${which}-seen"]`)!, v.seen, '');
      $(`[data-synced="${which}"]`)!.textContent = `HasSynced() ${v.hasSynced} · cache: ${v.cache.join(', ') || 'empty'}`;
    }
    $('[data-said]')!.textContent = said;
    const live = $('[data-live]');
    if (live) live.textContent = said;
  };

  const run = async (action: string): Promise<string> => {
    const key = selected();
    switch (action) {
      case 'change':
        return sim.change(key, lost());
      case 'delete':
        return sim.remove(key, lost());
      case 'relist':
        return sim.relist();
      case 'resync':
        return sim.resync();
      case 'pop':
        return sim.pop();
      case 'popAll':
        return sim.popAll();
      case 'reset':
        sim = new FifoSim(names);
        return 'reset: both queues hold the first list';
      default:
        return '';
    }
  };

  root.addEventListener('click', (event) => {
    const button = (event.target as Element).closest<HTMLButtonElement>('button[data-action]');
    if (!button || busy || button.disabled) return;
    busy = true;
    void run(button.dataset.action ?? '')
      .then(render)
      .catch((err: unknown) => render(`Error: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        busy = false;
      });
  });

  for (const el of root.querySelectorAll<HTMLButtonElement | HTMLInputElement>('button, input')) el.disabled = false;
  $('[data-status]')!.textContent = 'Live: the RealFIFO and DeltaFIFO from src/sim, fed the same calls.';
  root.dataset.ready = 'true';
  render('Both queues hold the first list, as Replace put it there; nothing has been popped.');
}
