// The ideal CrashLoopBackOff timeline of a container that exits 1 s after each start.
/** How long the container runs before it exits (sleep 1; exit 1). */
const RUN_S = 1;
/** The kubelet's crash-loop backoff: 10 s initial, doubled per exit, 300 s cap. */
const INITIAL_S = 10;
const MAX_S = 300;
/** The pod worker looks at a pod whose sync failed again after backOffPeriod (10 s). */
const RESYNC_S = 10;

/** Start times: the first at 0, then one after each exit. */
function starts(exits: number): number[] {
  const s = [0];
  for (let i = 0; i < exits; i++) {
    const exit = s[i] + RUN_S;
    // The first exit finds no backoff entry: restart at once. Then 10, 20, 40 … capped.
    const delay = i === 0 ? 0 : Math.min(INITIAL_S * 2 ** (i - 1), MAX_S);
    s.push(exit + delay);
  }
  return s;
}

export function restartTimes(exits: number): number[] {
  return starts(exits).slice(1);
}

export function statusAt(t: number): string {
  let n = 1;
  while (starts(n)[n] <= t) n++;
  const s = starts(n);
  const start = s[n - 1];
  if (t < start + RUN_S) return 'Running';
  return t < start + RUN_S + RESYNC_S ? 'Error' : 'CrashLoopBackOff';
}

console.log('restarts:', restartTimes(8).join(' '));
for (const t of [0.5, 1.5, 5, 12.5, 20, 30, 33.5]) console.log(`t=${t}s`, statusAt(t));
