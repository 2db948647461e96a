/** Saved state of an {@link Rng}: enough to resume the exact same sequence. */
export interface RngState {
  /** The seed path this generator was derived from, e.g. `42/raft/3`. */
  key: string;
  /** The four 32-bit words of xoshiro128** state. */
  s: [number, number, number, number];
}

/** FNV-1a over the UTF-16 code units of `text`, as an unsigned 32-bit integer. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** splitmix32: expands one 32-bit seed into well-mixed words. */
function splitmix32(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * A seeded pseudo-random generator (xoshiro128**, integer arithmetic only, so every JS engine
 * produces the same numbers). `fork(label)` derives an independent child from the seed path,
 * not from how many numbers the parent has drawn, so adding a draw in one component never
 * changes another component's sequence.
 */
export class Rng {
  #s: [number, number, number, number];
  readonly key: string;

  constructor(state: RngState) {
    this.key = state.key;
    this.#s = [...state.s] as [number, number, number, number];
    if ((this.#s[0] | this.#s[1] | this.#s[2] | this.#s[3]) === 0) this.#s[0] = 1;
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  uint32(): number {
    const s = this.#s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** A uniform integer in `[0, n)`, without modulo bias (Go: rand.Intn). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 0x100000000) {
      throw new RangeError(`int(n): n must be an integer in [1, 2^32], got ${n}`);
    }
    const limit = 0x100000000 - (0x100000000 % n);
    for (;;) {
      const x = this.uint32();
      if (x < limit) return x % n;
    }
  }

  /** A float in `[0, 1)` with 32 bits of randomness. */
  float(): number {
    return this.uint32() / 0x100000000;
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick: empty array');
    return items[this.int(items.length)];
  }

  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  /** An independent generator for a named part of the simulation. */
  fork(label: string): Rng {
    return rngFromKey(`${this.key}/${label}`);
  }

  /** The state to save; `rngFromState(rng.getState())` continues the same sequence. */
  getState(): RngState {
    return { key: this.key, s: [...this.#s] as [number, number, number, number] };
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

function rngFromKey(key: string): Rng {
  const next = splitmix32(fnv1a(key));
  return new Rng({ key, s: [next(), next(), next(), next()] });
}

/** A generator decided entirely by `seed`. */
export function rngFromSeed(seed: number | string): Rng {
  return rngFromKey(String(seed));
}

/** Resumes a generator from {@link Rng.getState}. */
export function rngFromState(state: RngState): Rng {
  return new Rng(state);
}
