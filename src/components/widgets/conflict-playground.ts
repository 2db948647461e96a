/**
 * The live part of <ConflictPlayground>: optimistic concurrency as kube-apiserver does it, over
 * the etcd model. One ConfigMap lives at `/registry/configmaps/default/settings`; its
 * resourceVersion is that key's mod_revision. Two writers, A and B, each read it and write their
 * own field back (A: `data.color`, B: `data.size`). A write is an update as the generic registry
 * store and the etcd3 storage do it at apiserver v0.34.0: read the current object, compare the
 * resourceVersion the client sent (409 Conflict if it differs; none sent: an unconditional
 * update, which ConfigMaps allow), then an etcd txn `If(mod_revision = current) Then(Put)
 * Else(Get)` (etcd client/v3/kubernetes OptimisticPut), retried with the fresh state when the txn
 * fails.
 *
 * `ConflictSim` has no DOM (test/content/widgets.test.ts drives it); `mount` draws it.
 */
import { newEtcd, type Etcd } from '../../sim/etcd/etcd';
import { newConflict } from '../../sim/apimachinery/errors';
import { FakeClock } from '../../sim/core/clock';

export type Writer = 'A' | 'B';

interface ConfigMap {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  metadata: { name: string; namespace: string; uid: string; resourceVersion?: string };
  data: { color: string; size: string };
}

interface Held {
  /** The resourceVersion this writer last read or wrote (undefined: it has read nothing). */
  rv?: number;
  obj?: ConfigMap;
}

export interface ConflictView {
  /** The key's mod_revision, create_revision and version, and etcd's current revision. */
  modRevision: number;
  createRevision: number;
  version: number;
  revision: number;
  data: { color: string; size: string };
  writers: Record<Writer, { rv?: number; data?: { color: string; size: string } }>;
}

const KEY = '/registry/configmaps/default/settings';
const OTHER = '/registry/pods/default/web';
const COLORS = ['red', 'blue', 'green', 'amber'];
const SIZES = ['S', 'M', 'L', 'XL'];
const conflictMessage = () => newConflict('configmaps', 'settings').status.message;

export class ConflictSim {
  readonly clock = new FakeClock();
  readonly etcd: Etcd;
  readonly held: Record<Writer, Held> = { A: {}, B: {} };
  #view: ConflictView | undefined;
  #others = 0;

  private constructor() {
    this.etcd = newEtcd({ clock: this.clock, name: 'etcd-0' });
  }

  /** A store with the ConfigMap created at revision 3 (etcd starts at 1; a Pod was written at 2). */
  static async create(): Promise<ConflictSim> {
    const sim = new ConflictSim();
    await sim.otherWrite();
    const cm: ConfigMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'default', uid: '3f1c9a52-8d0e-4b7a-9c61-2a5e7d40b8f3' },
      data: { color: 'red', size: 'S' },
    };
    // A create is an OptimisticPut expecting mod_revision 0: the key must not exist.
    await sim.etcd.txn({ compare: [{ key: KEY, target: 'MOD', result: '=', value: 0 }], success: [{ put: { key: KEY, value: JSON.stringify(cm) } }] });
    await sim.refresh();
    return sim;
  }

  private async current(): Promise<{ rv: number; obj: ConfigMap }> {
    const res = await this.etcd.get(KEY);
    const kv = res.kvs[0];
    return { rv: kv.modRevision, obj: { ...(JSON.parse(kv.value) as ConfigMap) } };
  }

  private async refresh(): Promise<void> {
    const res = await this.etcd.get(KEY);
    const kv = res.kvs[0];
    const obj = JSON.parse(kv.value) as ConfigMap;
    this.#view = {
      modRevision: kv.modRevision,
      createRevision: kv.createRevision,
      version: kv.version,
      revision: res.header.revision,
      data: obj.data,
      writers: {
        A: { rv: this.held.A.rv, data: this.held.A.obj?.data },
        B: { rv: this.held.B.rv, data: this.held.B.obj?.data },
      },
    };
  }

  view(): ConflictView {
    if (!this.#view) throw new Error('ConflictSim: not created');
    return this.#view;
  }

  /** GET: the writer keeps the object and its resourceVersion. */
  async read(w: Writer): Promise<string[]> {
    const { rv, obj } = await this.current();
    this.held[w] = { rv, obj: { ...obj, metadata: { ...obj.metadata, resourceVersion: String(rv) } } };
    await this.refresh();
    return [`${w}: GET …/configmaps/settings → 200, resourceVersion "${rv}" (etcd mod_revision ${rv})`];
  }

  /** The writer's change to its own copy: A moves data.color on, B data.size. */
  private change(w: Writer, obj: ConfigMap): ConfigMap {
    const data = { ...obj.data };
    if (w === 'A') data.color = COLORS[(COLORS.indexOf(data.color) + 1) % COLORS.length];
    else data.size = SIZES[(SIZES.indexOf(data.size) + 1) % SIZES.length];
    return { ...obj, data };
  }

  /**
   * The update path for one request body: GuaranteedUpdate's loop around tryUpdate. `origin`
   * lets the race interleave two requests: both read before either commits.
   */
  private async update(w: Writer, body: ConfigMap, sentRv: number | undefined, say: string[], origin?: { rv: number }): Promise<boolean> {
    let orig: { rv: number } = origin ?? (await this.current());
    for (let attempt = 0; attempt < 5; attempt++) {
      if (attempt > 0 || !origin) say.push(`${w}: apiserver reads the current object: mod_revision ${orig.rv}`);
      // tryUpdate (registry store.go): compare the client's resourceVersion with the existing one.
      if (sentRv === undefined) {
        say.push(`${w}: no resourceVersion sent; ConfigMaps allow an unconditional update, so it takes ${orig.rv}`);
      } else if (sentRv !== orig.rv) {
        say.push(`${w}: 409 Conflict: ${conflictMessage()} (sent "${sentRv}", current "${orig.rv}"; no write)`);
        return false;
      }
      const stored = { ...body, metadata: { ...body.metadata } };
      delete stored.metadata.resourceVersion;
      const res = await this.etcd.txn({
        compare: [{ key: KEY, target: 'MOD', result: '=', value: orig.rv }],
        success: [{ put: { key: KEY, value: JSON.stringify(stored) } }],
        failure: [{ get: { key: KEY } }],
      });
      if (res.succeeded) {
        say.push(`${w}: etcd Txn If(mod_revision = ${orig.rv}) Then(Put) → succeeded at revision ${res.header.revision}`);
        say.push(`${w}: 200 OK, resourceVersion "${res.header.revision}"`);
        this.held[w] = { rv: res.header.revision, obj: { ...stored, metadata: { ...stored.metadata, resourceVersion: String(res.header.revision) } } };
        return true;
      }
      const got = res.responses[0];
      const kv = 'responseRange' in got ? got.responseRange.kvs[0] : undefined;
      say.push(`${w}: etcd Txn If(mod_revision = ${orig.rv}) → failed; Else(Get) returns mod_revision ${kv?.modRevision}: someone wrote in between, retry with it`);
      if (!kv) return false;
      orig = { rv: kv.modRevision };
    }
    return false;
  }

  /** PUT of the writer's copy, changed; with its resourceVersion unless `unconditional`. */
  async write(w: Writer, unconditional = false): Promise<string[]> {
    const held = this.held[w];
    if (!held.obj || held.rv === undefined) return [`${w} has read nothing yet: GET first`];
    const body = this.change(w, held.obj);
    const say = [`${w}: PUT …/configmaps/settings with ${w === 'A' ? `color=${body.data.color}` : `size=${body.data.size}`}, ${unconditional ? 'no resourceVersion' : `resourceVersion "${held.rv}"`}`];
    if (unconditional) delete body.metadata.resourceVersion;
    const before = (await this.current()).obj.data;
    const ok = await this.update(w, body, unconditional ? undefined : held.rv, say);
    if (ok && unconditional) {
      const other: 'color' | 'size' = w === 'A' ? 'size' : 'color';
      if (before[other] !== body.data[other]) say.push(`${w}: the stale copy overwrote ${other}=${before[other]} with ${body.data[other]}: a lost update`);
    }
    await this.refresh();
    return say;
  }

  /** A and B send their PUTs at the same moment: both handlers read before either txn commits. */
  async race(): Promise<string[]> {
    const { A, B } = this.held;
    if (!A.obj || !B.obj || A.rv === undefined || B.rv === undefined) return ['both writers must have read the object first'];
    const say = [`A and B PUT at the same moment, with resourceVersion "${A.rv}" and "${B.rv}"`];
    const origin = await this.current();
    say.push(`A: apiserver reads the current object: mod_revision ${origin.rv}`, `B: apiserver reads the current object: mod_revision ${origin.rv}`);
    const okA = await this.update('A', this.change('A', A.obj), A.rv, say, origin);
    const okB = await this.update('B', this.change('B', B.obj), B.rv, say, origin);
    if (okA && !okB) say.push('B must read again and re-apply its change: RetryOnConflict');
    await this.refresh();
    return say;
  }

  /**
   * RetryOnConflict(DefaultRetry) as a controller uses it: the first attempt sends the copy the
   * writer holds (its informer's); on 409 wait ~10 ms, GET, change, PUT again (5 steps in all).
   */
  async retry(w: Writer): Promise<string[]> {
    const say: string[] = [];
    const held = this.held[w];
    for (let step = 1; step <= 5; step++) {
      if (step > 1 || !held.obj) {
        say.push(...(await this.read(w)));
      }
      const cur = this.held[w];
      const ok = await this.update(w, this.change(w, cur.obj!), cur.rv, say);
      if (ok) break;
      if (step < 5) {
        this.clock.step(10);
        say.push(`${w}: RetryOnConflict waits ~10 ms (DefaultRetry: 5 steps of 10 ms, jitter 0.1), then step ${step + 1}`);
      } else say.push(`${w}: 5 steps used: RetryOnConflict returns the last Conflict`);
    }
    await this.refresh();
    return say;
  }

  /** Another object changes: etcd's one revision counter moves for every key. */
  async otherWrite(): Promise<string[]> {
    this.#others++;
    const res = await this.etcd.put(OTHER, JSON.stringify({ kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, status: { phase: this.#others % 2 ? 'Pending' : 'Running' } }));
    if (this.#view) await this.refresh();
    return [`another object (${OTHER}) was written at revision ${res.header.revision}; settings keeps mod_revision ${this.#view?.modRevision ?? '—'}`];
  }
}

// ---------------------------------------------------------------------------------------------

export function mount(root: HTMLElement): void {
  let sim: ConflictSim | undefined;
  let busy = false;
  const $ = <T extends HTMLElement>(sel: string) => root.querySelector<T>(sel);
  const unconditional = () => $<HTMLInputElement>('input[data-uncond]')?.checked ?? false;

  const render = (said: string[]) => {
    if (!sim) return;
    const v = sim.view();
    $('[data-etcd]')!.textContent =
      `${KEY}\n  mod_revision ${v.modRevision} · create_revision ${v.createRevision} · version ${v.version}\n  data: color=${v.data.color}, size=${v.data.size}\netcd revision (every key): ${v.revision}`;
    for (const w of ['A', 'B'] as const) {
      const h = v.writers[w];
      $(`[data-writer="${w}"]`)!.textContent = h.rv === undefined ? 'has read nothing' : `holds resourceVersion "${h.rv}"\ncolor=${h.data?.color}, size=${h.data?.size}`;
    }
    const log = $('[data-log]')!;
    log.replaceChildren(
      ...said.map((line) => {
        const li = document.createElement('li');
        li.textContent = line;
        li.className = /409|failed|lost update|returns the last/.test(line) ? 'kl-w-bad' : /200 OK|succeeded/.test(line) ? 'kl-w-ok' : '';
        return li;
      }),
    );
    const live = $('[data-live]');
    if (live) live.textContent = said.join(' ');
  };

  const run = async (action: string): Promise<string[]> => {
    if (action === 'reset' || !sim) {
      sim = await ConflictSim.create();
      return ['reset: the ConfigMap was created at revision 3 (etcd starts at revision 1; a Pod was written at 2); neither writer has read it'];
    }
    const [verb, who] = action.split('-') as [string, Writer];
    switch (verb) {
      case 'read':
        return sim.read(who);
      case 'write':
        return sim.write(who, unconditional());
      case 'retry':
        return sim.retry(who);
      case 'race':
        return sim.race();
      case 'other':
        return sim.otherWrite();
      default:
        return [];
    }
  };

  root.addEventListener('click', (event) => {
    const button = (event.target as Element).closest<HTMLButtonElement>('button[data-action]');
    if (!button || busy || button.disabled) return;
    busy = true;
    void run(button.dataset.action ?? '')
      .then(render)
      .catch((err: unknown) => render([`Error: ${err instanceof Error ? err.message : String(err)}`]))
      .finally(() => {
        busy = false;
      });
  });

  void run('reset').then((said) => {
    for (const el of root.querySelectorAll<HTMLButtonElement | HTMLInputElement>('button, input')) el.disabled = false;
    $('[data-status]')!.textContent = 'Live: the etcd model from src/sim, written as kube-apiserver writes it.';
    root.dataset.ready = 'true';
    render(said);
  });
}
