// The ideal CrashLoopBackOff timeline of a container that exits 1 s after each start
// (busybox: sh -c "sleep 1; exit 1", restartPolicy Always). Times in seconds; the first start is at 0.

// Step 1: the times at which the kubelet starts the container again after each of the first
// `exits` exits.
export function restartTimes(exits: number): number[] {
  // TODO: the first restart comes at once; then the kubelet waits 10 s, 20 s, 40 s … (cap 300 s).
  const out: number[] = [];
  for (let i = 0; i < exits; i++) out.push((i + 1) * 2);
  return out;
}

// Step 2: the STATUS column of `kubectl get pods` at time t: Running, Error or CrashLoopBackOff.
export function statusAt(t: number): string {
  // TODO: Running while the container runs; Error for 10 s after an exit; then CrashLoopBackOff.
  void t;
  return 'Running';
}

console.log('restarts:', restartTimes(8).join(' '));
for (const t of [0.5, 1.5, 5, 12.5, 20, 30, 33.5]) console.log(`t=${t}s`, statusAt(t));
