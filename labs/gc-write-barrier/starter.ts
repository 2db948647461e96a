import { checkBarrier, gcCycle, type GcWorld, type WriteBarrierFn } from 'kubelab';

// Step 1: Dijkstra's insertion barrier (Go 1.5-1.7). It runs before every heap pointer store
// `*slot = ptr` while the collector marks; `old` is what the slot holds now.
export const dijkstraBarrier: WriteBarrierFn = (slot, old, ptr, ctx) => {
  // TODO: shade what must not stay white once the store is done (ctx.shade(p); nil is skipped).
};

// Step 3: predict before you try it. Without the stop-the-world stack rescan at the end of
// marking, does your (correct) Dijkstra barrier keep every reachable object over 2,000 seeds?
export const survivesWithoutRescan: boolean | '?' = '?';

// Step 4: Yuasa's deletion barrier (with every stack scanned when marking starts).
export const yuasaBarrier: WriteBarrierFn = (slot, old, ptr, ctx) => {
  // TODO
};

// ---- Run me ----
// The classic lost object: g0 loads C out of grey B, stores it into black A, cuts B.f[0], drops C.
const classic: GcWorld = {
  objects: { A: [null], B: ['C'], C: [] },
  globals: ['B', 'A'],
  goroutines: [{ slots: ['A', 'B', null, null], program: ['s2 = s1.f[0]', 's0.f[0] = s2', 's1.f[0] = s3', 's2 = nil'] }],
};
const r = gcCycle({ world: classic, barrier: dijkstraBarrier, claims: 'dijkstra', schedule: ['M', 'M', 'M', 0, 0, 0, 0] });
console.log(r.trace.join('\n'));
console.log(r.lost.length ? `LOST: ${r.lost.map((l) => `${l.name} via ${l.path.join(' -> ')}`).join(', ')}` : 'nothing reachable was freed');

// Many seeded interleavings over random worlds (the check runs more).
const fuzz = checkBarrier(dijkstraBarrier, { claims: 'dijkstra', seeds: 100 });
console.log(fuzz.ok ? `\n${fuzz.interleavings} interleavings: no object lost, the strong invariant held on the heap` : `\n${fuzz.failure!.message}`);

// Try step 3 here: checkBarrier(dijkstraBarrier, { claims: 'dijkstra', rescanStacks: false, seeds: 2000 })
