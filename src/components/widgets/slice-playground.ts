/**
 * The live part of <SlicePlayground>: a Service `web` selecting pods the reader scales up and
 * down and whose ports they change, synced after each change by the model's EndpointSlice
 * reconciler (src/sim/controllers/endpointslice/reconciler.ts, after k8s.io/endpointslice
 * v0.34.0). The reconciler writes through a small in-memory client that names created slices
 * from generateName as the API server does; each sync's creates, updates and deletes are shown.
 */
import type { Pod, Service } from '../../sim/api/core/v1';
import type { EndpointSlice } from '../../sim/api/discovery/v1';
import type { Clientset } from '../../sim/client/clientset';
import { Reconciler } from '../../sim/controllers/endpointslice/reconciler';
import { validateEndpointSliceControllerOptions } from '../../sim/controllers/endpointslice/options';
import { rngFromSeed, type Rng } from '../../sim/core/rng';

/** One slice after a sync, and what that sync did to it. */
export interface SliceBox {
  name: string;
  ports: string;
  pods: string[];
  change: 'created' | 'updated' | 'unchanged';
}

export interface SyncView {
  created: number;
  updated: number;
  deleted: string[];
  slices: SliceBox[];
}

// The API server's generateName alphabet (apimachinery util/rand: no vowels, no 0, 1, 3).
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** The three calls the reconciler makes, over a Map. Just enough of a Clientset for it. */
function memoryClient(rng: Rng, store: Map<string, EndpointSlice>): Clientset {
  let rv = 0;
  const slices = {
    async create(obj: EndpointSlice) {
      let name = '';
      do name = `${obj.metadata.generateName ?? ''}${Array.from({ length: 5 }, () => ALPHANUMS[rng.int(ALPHANUMS.length)]).join('')}`;
      while (store.has(name));
      const s: EndpointSlice = structuredClone({ ...obj, metadata: { ...obj.metadata, name, uid: `uid-${name}`, generation: 1, resourceVersion: String(++rv) } });
      store.set(name, s);
      return structuredClone(s);
    },
    async update(obj: EndpointSlice) {
      const old = store.get(obj.metadata.name ?? '');
      if (!old) throw new Error(`endpointslices.discovery.k8s.io "${obj.metadata.name}" not found`);
      const s: EndpointSlice = structuredClone({ ...obj, metadata: { ...obj.metadata, uid: old.metadata.uid, generation: (old.metadata.generation ?? 0) + 1, resourceVersion: String(++rv) } });
      store.set(s.metadata.name ?? '', s);
      return structuredClone(s);
    },
    async delete(name: string) {
      if (!store.delete(name)) throw new Error(`endpointslices.discovery.k8s.io "${name}" not found`);
    },
  };
  return { discoveryV1: () => ({ endpointSlices: () => slices }) } as unknown as Clientset;
}

/** A Service `web` (targetPort `http`, optionally a second port `metrics`) and its pods. */
export class SliceLab {
  readonly #rng: Rng;
  readonly #store = new Map<string, EndpointSlice>();
  #reconciler: Reconciler;
  #pods: { name: string; ip: string; http: number }[] = [];
  #next = 0;
  #newHttp = 8080;
  #metrics = false;

  constructor(seed = 1, readonly maxEndpointsPerSlice = 5) {
    this.#rng = rngFromSeed(`${seed}/slice-playground`);
    const errs = validateEndpointSliceControllerOptions({ concurrentServiceEndpointSyncs: 5, maxEndpointsPerSlice });
    if (errs.length) throw new Error(errs.join(', '));
    this.#reconciler = new Reconciler({ client: memoryClient(this.#rng, this.#store), maxEndpointsPerSlice });
  }

  get podCount(): number {
    return this.#pods.length;
  }

  /** Adds `n` pods (web-<k>; at most 400 in all), or removes -n pods chosen at random. */
  scale(n: number): void {
    for (let i = 0; i < n && this.#pods.length < 400; i++) {
      const k = this.#next++;
      this.#pods.push({ name: `web-${k}`, ip: `10.244.${1 + (k % 2)}.${10 + Math.floor(k / 2)}`, http: this.#newHttp });
    }
    for (let i = 0; i < -n && this.#pods.length > 0; i++) this.#pods.splice(this.#rng.int(this.#pods.length), 1);
  }

  /** The container port named `http` becomes `port` on every pod, or on every other one. */
  setHttpPort(port: number, everyOther = false): void {
    this.#newHttp = port;
    this.#pods.forEach((p, i) => {
      if (!everyOther || i % 2 === 0) p.http = port;
    });
  }

  /** Whether the Service has a second port, `metrics` (9100), which every pod declares. */
  setMetricsPort(on: boolean): void {
    this.#metrics = on;
  }

  /** One sync of the Service: what the reconciler wrote, and the slices it leaves. */
  async sync(): Promise<SyncView> {
    const service: Service = {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default', uid: 'web-uid' },
      spec: {
        clusterIP: '10.96.0.50', ipFamilies: ['IPv4'], selector: { app: 'web' },
        ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }, ...(this.#metrics ? [{ name: 'metrics', port: 9100, protocol: 'TCP' as const, targetPort: 'metrics' }] : [])],
      },
    };
    const pods: Pod[] = this.#pods.map((p) => ({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: p.name, namespace: 'default', labels: { app: 'web' } },
      spec: { nodeName: 'node-a', containers: [{ name: 'web', image: 'agnhost', ports: [{ name: 'http', containerPort: p.http }, { name: 'metrics', containerPort: 9100 }] }] },
      status: { phase: 'Running', podIP: p.ip, podIPs: [{ ip: p.ip }], conditions: [{ type: 'Ready', status: 'True' }] },
    }));
    const r = await this.#reconciler.reconcile(service, pods, [...this.#store.values()].map((s) => structuredClone(s)));
    const created = new Set(r.created.map((s) => s.metadata.name));
    const updated = new Set(r.updated.map((s) => s.metadata.name));
    return {
      created: r.created.length,
      updated: r.updated.length,
      deleted: r.deleted.map((s) => s.metadata.name ?? ''),
      slices: [...this.#store.values()].map((s) => ({
        name: s.metadata.name ?? '',
        ports: (s.ports ?? []).map((p) => `${p.name}:${p.port}`).join(', ') || '(none)',
        pods: s.endpoints.map((e) => e.targetRef?.name ?? ''),
        change: created.has(s.metadata.name) ? 'created' : updated.has(s.metadata.name) ? 'updated' : 'unchanged',
      })),
    };
  }
}

export function mount(root: HTMLElement): void {
  const out = root.querySelector<HTMLElement>('[data-slices]')!;
  const log = root.querySelector<HTMLElement>('[data-log]')!;
  const count = root.querySelector<HTMLElement>('[data-count]')!;
  const maxInput = root.querySelector<HTMLInputElement>('input[data-max]')!;
  const metrics = root.querySelector<HTMLInputElement>('input[data-metrics]')!;
  const live = root.querySelector<HTMLElement>('[data-live]');
  const status = root.querySelector<HTMLElement>('[data-status]');
  let lab = new SliceLab(1, Number(maxInput.value));
  let syncs = 0;
  let busy: Promise<void> = Promise.resolve();

  const show = (v: SyncView) => {
    syncs++;
    count.textContent = String(lab.podCount);
    out.replaceChildren(...v.slices.map((s) => {
      const box = document.createElement('li');
      box.className = `kl-slp-slice is-${s.change}`;
      const head = document.createElement('p');
      head.className = 'kl-slp-head';
      head.textContent = `${s.name} · ${s.ports} · ${s.pods.length}/${lab.maxEndpointsPerSlice}${s.change === 'unchanged' ? '' : ` · ${s.change}`}`;
      const bar = document.createElement('span');
      bar.className = 'kl-slp-bar';
      bar.style.setProperty('--fill', `${Math.round((100 * s.pods.length) / lab.maxEndpointsPerSlice)}%`);
      const pods = document.createElement('p');
      pods.className = 'kl-slp-pods';
      pods.textContent = s.pods.join(' ') || '(placeholder: no endpoints)';
      box.append(head, bar, pods);
      return box;
    }), ...v.deleted.map((name) => {
      const box = document.createElement('li');
      box.className = 'kl-slp-slice is-deleted';
      box.textContent = `${name} · deleted`;
      return box;
    }));
    const line = document.createElement('li');
    const text = `sync ${syncs}: ${v.created} created, ${v.updated} updated, ${v.deleted.length} deleted${v.deleted.length ? ` (${v.deleted.join(', ')})` : ''} → ${v.slices.length} slice${v.slices.length === 1 ? '' : 's'}`;
    line.textContent = text;
    log.prepend(line);
    while (log.children.length > 8) log.lastElementChild?.remove();
    if (live) live.textContent = text;
  };
  const act = (change: () => void) => {
    busy = busy.then(async () => {
      change();
      show(await lab.sync());
    }).catch((err: unknown) => {
      if (status) status.textContent = err instanceof Error ? err.message : String(err);
    });
  };
  const restart = () => {
    const max = Number(maxInput.value);
    const errs = validateEndpointSliceControllerOptions({ concurrentServiceEndpointSyncs: 5, maxEndpointsPerSlice: Number.isInteger(max) ? max : 0 });
    if (errs.length) {
      if (status) status.textContent = errs.join(', ');
      return;
    }
    if (status) status.textContent = 'Live: each change is one sync of the reconciler.';
    lab = new SliceLab(1, max);
    syncs = 0;
    log.replaceChildren();
    metrics.checked = false;
    act(() => lab.scale(12));
  };
  for (const b of root.querySelectorAll<HTMLButtonElement>('button[data-scale]')) {
    b.disabled = false;
    b.addEventListener('click', () => act(() => lab.scale(Number(b.dataset.scale))));
  }
  for (const b of root.querySelectorAll<HTMLButtonElement>('button[data-port]')) {
    b.disabled = false;
    b.addEventListener('click', () => act(() => lab.setHttpPort(Number(b.dataset.port), b.dataset.half === 'true')));
  }
  metrics.disabled = false;
  metrics.addEventListener('change', () => act(() => lab.setMetricsPort(metrics.checked)));
  maxInput.disabled = false;
  maxInput.addEventListener('change', restart);
  root.removeAttribute('data-kl-pending');
  restart();
}
