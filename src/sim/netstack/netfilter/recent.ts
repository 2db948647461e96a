import type { FakeClock } from '../../core/clock';
import { formatIPv4, parseIPv4 } from '../ip';

/** One address in a recent list: when it was seen, newest last (xt_recent keeps ip_pkt_list_tot = 20). */
export interface RecentEntry {
  addr: string;
  stampsMs: number[];
}

const PKT_LIST_TOT = 20;

/**
 * The `-m recent` lists (/proc/net/xt_recent/<name>), keyed by list name, timed by the FakeClock.
 * kube-proxy's ClientIP session affinity is exactly this: `--set` in the KUBE-SEP chain remembers
 * the client, `--rcheck --seconds N --reap` in the KUBE-SVC chain sends it back within N seconds.
 */
// Upstream: linux net/netfilter/xt_recent.c (recent_mt)
export class RecentLists {
  readonly #lists = new Map<string, Map<string, RecentEntry>>();
  constructor(private readonly clock: FakeClock) {}

  /** Applies one recent match; returns whether it matched. */
  check(name: string, op: 'set' | 'rcheck' | 'update' | 'remove', ip: string, opts: { seconds?: number; hitcount?: number; reap: boolean; mask: number }): boolean {
    const addr = formatIPv4((parseIPv4(ip) & opts.mask) >>> 0);
    const list = this.#list(name);
    const now = this.clock.now();
    const entry = list.get(addr);
    if (op === 'set') {
      this.#touch(list, addr, now);
      return true;
    }
    if (!entry) return false;
    if (op === 'remove') {
      list.delete(addr);
      return true;
    }
    let hits = entry.stampsMs.length;
    if (opts.seconds !== undefined || opts.hitcount !== undefined) {
      const since = opts.seconds === undefined ? -Infinity : now - opts.seconds * 1000;
      hits = entry.stampsMs.filter((t) => t >= since).length;
      if (opts.reap && opts.seconds !== undefined) entry.stampsMs = entry.stampsMs.filter((t) => t >= since);
      if (hits < (opts.hitcount ?? 1)) {
        if (entry.stampsMs.length === 0) list.delete(addr);
        return false;
      }
    }
    if (op === 'update') this.#touch(list, addr, now);
    return true;
  }

  /** Entries of one list, as `cat /proc/net/xt_recent/<name>` would list them. */
  entries(name: string): RecentEntry[] {
    return [...this.#list(name).values()].map((e) => ({ addr: e.addr, stampsMs: [...e.stampsMs] }));
  }

  names(): string[] {
    return [...this.#lists.keys()];
  }

  #list(name: string): Map<string, RecentEntry> {
    let l = this.#lists.get(name);
    if (!l) this.#lists.set(name, (l = new Map()));
    return l;
  }

  #touch(list: Map<string, RecentEntry>, addr: string, now: number): void {
    const e = list.get(addr) ?? { addr, stampsMs: [] };
    e.stampsMs.push(now);
    if (e.stampsMs.length > PKT_LIST_TOT) e.stampsMs.shift();
    list.set(addr, e);
  }
}
