/** Entry builders for tests, after log_test.go's `index(i).terms(...)`. Not exported from `kubelab`. */
import type { Entry } from './raftpb';
import { MemoryStorage } from './storage';

/** `index(i).terms(t1, t2, ...)`: entries at i, i+1, ... with those terms. Upstream: log_test.go (index) */
export function index(i: number) {
  return {
    terms: (...terms: number[]): Entry[] => terms.map((term, k) => ({ term, index: i + k, type: 'EntryNormal' as const })),
    /** Terms from..to-1, one per index. */
    termRange: (from: number, to: number): Entry[] => {
      const out: Entry[] = [];
      for (let t = from; t < to; t++) out.push({ term: t, index: i + (t - from), type: 'EntryNormal' });
      return out;
    },
  };
}

/** A MemoryStorage whose entries (after the dummy at ents[0]) are given. */
export function storageWithEnts(ents: Entry[]): MemoryStorage {
  const s = new MemoryStorage();
  s.ents = ents.map((e) => ({ ...e }));
  return s;
}

