import { gcCycle, type BarrierKind, type GcWorld, type Turn } from 'kubelab';

// ---- The world: cache -> a -> b, and garbage `old` -> b ----
// g0 moves b out of a into cache.f[1]: load it onto the stack, store it, cut a.f[0], drop the copy.
export const world: GcWorld = {
  objects: { cache: ['a', null], a: ['b'], b: [], old: ['b'] },
  globals: ['cache'],
  goroutines: [
    {
      slots: [null, null, null, null], // s0..s3, all nil
      program: [
        's0 = global[0]', // s0 = cache
        's1 = s0.f[0]', //   s1 = a
        's2 = s1.f[0]', //   s2 = b          (a stack write: never a barrier)
        's0.f[1] = s2', //   cache.f[1] = b  (a heap write: the barrier runs)
        's1.f[0] = s3', //   a.f[0] = nil    (s3 is nil; also a heap write)
        's2 = nil', //       b is now only in cache.f[1]
      ],
    },
  ],
};

// Step 1: with this schedule (g0 first, then the marker alone), which objects does sweep free?
// Write their names, e.g. ['a'] or [] for none. Predict before you run.
export const predictedFreed: string[] = ['?'];

// Step 2: the turns, in order: 0 = one op of g0, 'M' = one unit of marker work.
export const schedule: Turn[] = [0, 0, 0, 0, 0, 0];

// Step 3: the write barrier the compiler emits: 'none', 'dijkstra', 'yuasa' or 'hybrid'.
export const barrier: BarrierKind = 'none';

// ---- Run me: one cycle, what sweep freed, what it lost, and the trace ----
const r = gcCycle({ world, barrier, schedule });
console.log(r.trace.join('\n'));
console.log(`\nfreed: ${JSON.stringify(r.freed)}`);
for (const lost of r.lost) console.log(`LOST: ${lost.name}, reachable through ${lost.path.join(' -> ')}`);
if (!r.lost.length) console.log('nothing reachable was freed');
