/**
 * The live part of <MvccPlayground>: one etcd member's MVCC keyspace (the etcd model from
 * src/sim, etcd v3.6.0) with two Pod keys and one Event key. Puts and deletes move the one
 * revision counter; the key index shows each key's generations; a read or a watch can start at
 * any revision still in history; a compaction removes the history below it, after which a read
 * or a watch from an older revision fails with etcd's ErrCompacted; an Event written with a 5 s
 * lease disappears when the lessor's 500 ms expiry check finds the lease expired.
 *
 * Only the etcd model, the clock and the quiescence helper are imported (never src/sim/index),
 * so a lesson page that shows this widget stays small. `MvccSim` has no DOM
 * (test/content/widgets.test.ts drives it); `mount` draws it.
 */
import { newEtcd, type Etcd } from '../../sim/etcd/etcd';
import { FakeClock } from '../../sim/core/clock';
import { settle } from '../../sim/core/drive';
import type { WatchResponse } from '../../sim/etcd/types';

export type KeyName = 'web' | 'api';

const KEYS: Record<KeyName, string> = { web: '/registry/pods/default/web', api: '/registry/pods/default/api' };
const EVENT_KEY = '/registry/events/default/web.17f3a2';
/** The sync loop of unsynced watchers runs every 100 ms (watchable_store.go); each action lets one pass run. */
const SYNC_TICK_MS = 100;
export const EVENT_TTL_SEC = 5;

export interface MvccRow {
  key: string;
  value: string;
  createRevision: number;
  modRevision: number;
  version: number;
  lease: string;
}

export interface MvccView {
  nowMs: number;
  revision: number;
  /** -1 until the first compaction. */
  compactRevision: number;
  rows: MvccRow[];
  /** One line per key index: its generations, oldest first. */
  index: string[];
  leases: string[];
  watches: string[];
}

export class MvccSim {
  readonly clock = new FakeClock();
  readonly etcd: Etcd;
  #counter = 0;
  #lease = 0;
  #watchCount = 0;
  /** Lines written by watch handlers since the last action. */
  #pending: string[] = [];

  constructor() {
    this.etcd = newEtcd({ clock: this.clock, name: 'etcd-0' });
  }

  /** Lets the model run: handlers, one sync pass of unsynced watchers, the lessor's checks. */
  private async tick(ms = SYNC_TICK_MS): Promise<string[]> {
    await settle();
    this.clock.step(ms);
    await settle();
    const out = this.#pending;
    this.#pending = [];
    return out;
  }

  private short(key: string): string {
    return key.replace('/registry/', '');
  }

  async put(k: KeyName): Promise<string[]> {
    this.#counter++;
    const value = `${k}-v${this.#counter}`;
    const res = await this.etcd.put(KEYS[k], value);
    const kv = (await this.etcd.get(KEYS[k])).kvs[0];
    return [
      `put ${this.short(KEYS[k])} = ${value} → revision ${res.header.revision} (create_revision ${kv.createRevision}, mod_revision ${kv.modRevision}, version ${kv.version})`,
      ...(await this.tick()),
    ];
  }

  async del(k: KeyName): Promise<string[]> {
    const res = await this.etcd.delete(KEYS[k]);
    const said =
      res.deleted === 0
        ? `delete ${this.short(KEYS[k])}: no such key, nothing written; the revision stays ${res.header.revision}`
        : `delete ${this.short(KEYS[k])} → revision ${res.header.revision}: a tombstone ends the key's generation`;
    return [said, ...(await this.tick())];
  }

  /** An Event as kube-apiserver writes one: a lease first, then the put attached to it. */
  async putEvent(): Promise<string[]> {
    const lease = await this.etcd.leaseGrant(EVENT_TTL_SEC);
    this.#lease = lease.id;
    this.#counter++;
    const res = await this.etcd.put(EVENT_KEY, `Pulled image (count ${this.#counter})`, { lease: lease.id });
    return [
      `lease grant ${EVENT_TTL_SEC}s → lease ${shortLease(lease.id)} (not a write: the revision stays ${res.header.revision - 1})`,
      `put ${this.short(EVENT_KEY)} with that lease → revision ${res.header.revision}`,
      ...(await this.tick()),
    ];
  }

  async keepAlive(): Promise<string[]> {
    if (!this.#lease) return ['no lease yet: write the Event first'];
    try {
      const res = await this.etcd.leaseKeepAlive(this.#lease);
      return [`keep-alive lease ${shortLease(this.#lease)} → TTL back to ${res.ttl}s (no revision: renewals are not writes)`, ...(await this.tick())];
    } catch (err) {
      return [`keep-alive lease ${shortLease(this.#lease)} → ${messageOf(err)}`, ...(await this.tick())];
    }
  }

  /** Moves virtual time on, in the lessor's 500 ms steps, so expiries happen where they would. */
  async wait(ms: number): Promise<string[]> {
    const before = this.etcd.revision;
    const hadEvent = (await this.etcd.get(EVENT_KEY)).kvs.length === 1;
    let said: string[] = [];
    for (let t = 0; t < ms; t += 500) said = said.concat(await this.tick(500));
    const gone = hadEvent && (await this.etcd.get(EVENT_KEY)).kvs.length === 0;
    return [
      `${ms / 1000} s pass`,
      ...(gone ? [`the lease expired: the leader revoked it, deleting ${this.short(EVENT_KEY)} at revision ${this.etcd.revision} (no DELETE request)`] : this.etcd.revision === before ? ['nothing was written'] : []),
      ...said,
    ];
  }

  async readAt(revision: number): Promise<string[]> {
    try {
      const res = await this.etcd.get('/registry/', { prefix: true, revision });
      const keys = res.kvs.map((kv) => `${this.short(kv.key)}=${kv.value}`).join(', ') || 'no keys';
      return [`get /registry/ --prefix --rev=${revision} → ${keys} (header revision ${res.header.revision})`];
    } catch (err) {
      return [`get --rev=${revision} → ${messageOf(err)}`];
    }
  }

  async watchFrom(revision: number): Promise<string[]> {
    const id = ++this.#watchCount;
    this.etcd.watch('/registry/', { prefix: true, startRevision: revision, prevKv: true }, (r: WatchResponse) => {
      this.#pending.push(...this.describe(id, r));
    });
    return [`watch #${id} /registry/ --prefix --rev=${revision} --prev-kv opened`, ...(await this.tick())];
  }

  private describe(id: number, r: WatchResponse): string[] {
    if (r.err) return [`watch #${id} canceled: ${r.err.message} (compact_revision ${r.compactRevision})`];
    if (r.canceled) return [`watch #${id} canceled`];
    return r.events.map((e) => {
      const prev = e.prevKv ? `, prev ${e.prevKv.value}` : '';
      return `watch #${id} ← ${e.type} ${this.short(e.kv.key)}${e.type === 'PUT' ? `=${e.kv.value}` : ''} @${e.kv.modRevision}${prev}`;
    });
  }

  async compact(revision: number): Promise<string[]> {
    try {
      await this.etcd.compact(revision);
      return [`compact ${revision}: history below revision ${revision} is gone; each key keeps its value as of ${revision}`, ...(await this.tick())];
    } catch (err) {
      return [`compact ${revision} → ${messageOf(err)}`, ...(await this.tick())];
    }
  }

  view(): MvccView {
    const s = this.etcd.snapshot();
    return {
      nowMs: this.clock.now(),
      revision: s.revision,
      compactRevision: s.compactRevision,
      rows: s.kvs.map((kv) => ({
        key: this.short(kv.key),
        value: kv.value,
        createRevision: kv.createRevision,
        modRevision: kv.modRevision,
        version: kv.version,
        lease: kv.lease ? shortLease(kv.lease) : '—',
      })),
      index: s.index.map((ki) => `${this.short(ki.key)}: ${ki.generations.map((g) => (g.revs.length ? `{${g.revs.join(' ')}}` : '{}')).join(' ')}`),
      leases: s.leases.map((l) => `lease ${shortLease(l.id)}: TTL ${l.ttl}s, ${Math.max(0, Math.ceil(l.remainingMs / 1000))}s left, keys ${l.keys.map((k) => this.short(k)).join(', ') || 'none'}`),
      watches: s.watchers.map((w) => `watch ${w.key} (prefix), next revision ${w.minRevision}${w.synced ? ', synced' : ', unsynced'}`),
    };
  }
}

/** The last hex digits of a lease ID, enough to tell leases apart in the view. */
function shortLease(id: number): string {
  return `…${id.toString(16).slice(-4)}`;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// ---------------------------------------------------------------------------------------------

export function mount(root: HTMLElement): void {
  let sim = new MvccSim();
  let busy = false;
  const $ = <T extends HTMLElement>(sel: string) => root.querySelector<T>(sel);
  const rev = () => {
    const n = Number($<HTMLInputElement>('input[data-rev]')?.value ?? '1');
    return Number.isInteger(n) && n > 0 ? n : 1;
  };
  const history: string[] = [];

  const render = (said: string[]) => {
    const v = sim.view();
    history.push(...said);
    if (history.length > 60) history.splice(0, history.length - 60);
    $('[data-state]')!.textContent =
      `revision ${v.revision} · compacted at ${v.compactRevision < 0 ? 'never' : v.compactRevision} · t = ${(v.nowMs / 1000).toFixed(1)} s\n` +
      (v.rows.length
        ? v.rows.map((r) => `${r.key}\n  value ${r.value}\n  create ${r.createRevision} · mod ${r.modRevision} · version ${r.version} · lease ${r.lease}`).join('\n')
        : '(no keys)');
    $('[data-index]')!.textContent = v.index.length ? v.index.join('\n') : '(empty)';
    $('[data-side]')!.textContent = [...(v.leases.length ? v.leases : ['no leases']), ...(v.watches.length ? v.watches : ['no open watches'])].join('\n');
    const log = $('[data-log]')!;
    log.replaceChildren(
      ...history.map((line) => {
        const li = document.createElement('li');
        li.textContent = line;
        li.className = /compacted|canceled|not found|requested lease/.test(line) ? 'kl-w-bad' : /← /.test(line) ? 'kl-w-ok' : '';
        return li;
      }),
    );
    log.scrollTop = log.scrollHeight;
    const live = $('[data-live]');
    if (live) live.textContent = said.join(' ');
  };

  const run = async (action: string): Promise<string[]> => {
    const [verb, arg] = action.split(':');
    switch (verb) {
      case 'put':
        return sim.put(arg as KeyName);
      case 'delete':
        return sim.del(arg as KeyName);
      case 'event':
        return sim.putEvent();
      case 'keepalive':
        return sim.keepAlive();
      case 'wait':
        return sim.wait(Number(arg));
      case 'read':
        return sim.readAt(rev());
      case 'watch':
        return sim.watchFrom(rev());
      case 'compact':
        return sim.compact(rev());
      case 'reset':
        sim = new MvccSim();
        history.length = 0;
        return ['reset: a new member at revision 1, no keys'];
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
      .catch((err: unknown) => render([`Error: ${messageOf(err)}`]))
      .finally(() => {
        busy = false;
      });
  });

  for (const el of root.querySelectorAll<HTMLButtonElement | HTMLInputElement>('button, input')) el.disabled = false;
  $('[data-status]')!.textContent = 'Live: the etcd model from src/sim (etcd v3.6.0 MVCC, watch and lessor).';
  root.dataset.ready = 'true';
  render(['a new member at revision 1, no keys']);
}
