/**
 * The live part of <IndexerPlayground>: an informer's cache, the model's Indexer
 * (client-go tools/cache thread_safe_store.go), with the namespace index every informer has and a
 * `byNode` index, as a scheduler or kubelet-side controller would add. The buttons are what the
 * informer does to it (Add, Update with a copy, Delete) and one thing it must never do: change a
 * cached object in place and Update it with the same pointer, which leaves a stale index entry.
 *
 * `IndexerSim` has no DOM (test/content/widgets.test.ts drives it); `mount` draws it.
 */
import { newIndexer } from '../../sim/cache/store';
import { NamespaceIndex, metaNamespaceIndexFunc } from '../../sim/cache/index_funcs';
import { metaNamespaceKeyFunc } from '../../sim/cache/keys';
import type { Indexer } from '../../sim/cache/types';
import type { KubeObject } from '../../sim/core/object';

interface Pod extends KubeObject {
  spec: { nodeName: string };
}

export interface IndexView {
  items: string[];
  indices: Array<{ name: string; values: string[] }>;
  query: string[];
}

export const NODES = ['node-a', 'node-b'] as const;

export class IndexerSim {
  readonly indexer: Indexer<Pod>;
  #rv = 0;

  constructor() {
    this.indexer = newIndexer<Pod>(metaNamespaceKeyFunc, {
      [NamespaceIndex]: metaNamespaceIndexFunc,
      byNode: (p) => (p.spec.nodeName ? [p.spec.nodeName] : []),
    });
    this.indexer.add(this.pod('default/web', 'node-a'));
    this.indexer.add(this.pod('default/api', 'node-b'));
    this.indexer.add(this.pod('shop/cart', 'node-a'));
  }

  private pod(key: string, nodeName: string): Pod {
    const [namespace, name] = key.split('/');
    return { apiVersion: 'v1', kind: 'Pod', metadata: { namespace, name, resourceVersion: String(++this.#rv) }, spec: { nodeName } };
  }

  /** An ADDED or MODIFIED event: a new object (the informer always stores what the watch decoded). */
  put(key: string, nodeName: string): string {
    const existed = this.indexer.getByKey(key) !== undefined;
    const pod = this.pod(key, nodeName);
    if (existed) this.indexer.update(pod);
    else this.indexer.add(pod);
    return `${existed ? 'Update' : 'Add'}(${key}) on ${nodeName}, a new object at rv ${this.#rv}`;
  }

  remove(key: string): string {
    const cur = this.indexer.getByKey(key);
    if (!cur) return `${key} is not in the cache`;
    this.indexer.delete(cur);
    return `Delete(${key})`;
  }

  /** The bug: change the cached object itself, then Update with the same pointer. */
  mutateInPlace(key: string, nodeName: string): string {
    const cur = this.indexer.getByKey(key);
    if (!cur) return `${key} is not in the cache`;
    const was = cur.spec.nodeName;
    cur.spec.nodeName = nodeName; // what a lister's caller must never do
    this.indexer.update(cur);
    return `changed the cached ${key} in place (${was} → ${nodeName}), then Update(sameObject): old and new index values are both computed from the changed object, so nothing moves — ${was} keeps ${key} and ${nodeName} never gets it`;
  }

  view(node: string): IndexView {
    const idx = this.indexer;
    return {
      items: idx.list().map((p) => `${metaNamespaceKeyFunc(p)}  spec.nodeName=${p.spec.nodeName}  rv ${p.metadata.resourceVersion}`),
      indices: [NamespaceIndex, 'byNode'].map((name) => ({
        name,
        values: idx.listIndexFuncValues(name).map((v) => `${v} → {${idx.indexKeys(name, v).join(', ')}}`),
      })),
      query: idx.byIndex('byNode', node).map((p) => `${metaNamespaceKeyFunc(p)} (spec.nodeName=${p.spec.nodeName})`),
    };
  }
}

export function mount(root: HTMLElement): void {
  let sim = new IndexerSim();
  const $ = <T extends HTMLElement>(sel: string) => root.querySelector<T>(sel);
  const key = () => root.querySelector<HTMLInputElement>('input[data-key]:checked')?.value ?? 'default/web';
  const node = () => root.querySelector<HTMLInputElement>('input[data-node]:checked')?.value ?? NODES[0];

  const fill = (ul: HTMLElement, rows: string[], chip = true) => {
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
        if (chip) li.className = 'kl-w-chip';
        return li;
      }),
    );
  };

  const render = (said: string) => {
    const v = sim.view(node());
    fill($('[data-lane="items"]')!, v.items);
    fill($('[data-lane="indices"]')!, v.indices.flatMap((i) => [`${i.name}:`, ...i.values.map((s) => `  ${s}`)]), false);
    fill($('[data-lane="query"]')!, v.query);
    $('[data-query-title]')!.textContent = `ByIndex("byNode", "${node()}")`;
    $('[data-said]')!.textContent = said;
    const live = $('[data-live]');
    if (live) live.textContent = said;
  };

  root.addEventListener('change', (event) => {
    if ((event.target as HTMLElement).matches('input[data-node]')) render('');
  });
  root.addEventListener('click', (event) => {
    const button = (event.target as Element).closest<HTMLButtonElement>('button[data-action]');
    if (!button || button.disabled) return;
    let said = '';
    switch (button.dataset.action) {
      case 'put':
        said = sim.put(key(), node());
        break;
      case 'delete':
        said = sim.remove(key());
        break;
      case 'inPlace':
        said = sim.mutateInPlace(key(), node());
        break;
      case 'reset':
        sim = new IndexerSim();
        said = 'reset';
        break;
    }
    render(said);
  });

  for (const el of root.querySelectorAll<HTMLButtonElement | HTMLInputElement>('button, input')) el.disabled = false;
  $('[data-status]')!.textContent = 'Live: the Indexer from src/sim.';
  root.dataset.ready = 'true';
  render('Three Pods are cached; the namespace and byNode indices follow them.');
}
