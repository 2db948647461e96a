/**
 * Checks of the pleg-crashloop lab. Each check copies the lab's cluster, starts a node of its own
 * (containerd model + kubelet with PLEG, pod workers, status manager: SimNode), runs a busybox pod
 * `sh -c "sleep 1; exit 1"` on it for about eleven minutes of virtual time, and records two
 * histories: when the runtime started and ended the container (containerd's events), and what
 * `kubectl get pods` would print in STATUS after each write to the pod (a watch on the pod).
 * The learner's ideal timeline is compared with them, cycle by cycle, naming the first mismatch.
 */
import { check, exportedFunction, type Expect } from '../../src/lab/checks';
import { SimNode, TraceRecorder, runUntilIdle, runUntilSettled, type KubeObject, type LabCluster } from '../../src/sim/index';

/** Seven exits reach the 300 s cap (10 · 2⁵ = 320 > 300). */
const EXITS = 7;
/** The real kubelet restarts after the backoff, within a pod worker requeue (10–15 s) and a relist (1 s). */
const LATE_S = 17;
const POD = 'crashloop';

interface Status {
  atS: number;
  status: string;
}
export interface Observed {
  /** Runtime start and exit times of each container instance, in seconds after the pod's creation. */
  starts: number[];
  exits: number[];
  /** STATUS after each write to the pod, in order. */
  statuses: Status[];
}

/** The STATUS column of `kubectl get pods` for a one-container pod (printers.go printPod, reduced). */
function statusColumn(pod: KubeObject): string {
  const status = (pod as { status?: { phase?: string; reason?: string; containerStatuses?: Array<{ state?: { waiting?: { reason?: string }; terminated?: { reason?: string; exitCode?: number } } }> } }).status ?? {};
  const c = status.containerStatuses?.[0];
  if (c?.state?.waiting?.reason) return c.state.waiting.reason;
  if (c?.state?.terminated) return c.state.terminated.reason ?? `ExitCode:${c.state.terminated.exitCode ?? 0}`;
  return status.reason || status.phase || 'Pending';
}

/** Runs the crashing pod on a node of the check's own and records what happened. */
export async function observeCrashLoop(newCluster: () => Promise<LabCluster>, seed: number): Promise<Observed> {
  const cluster = await newCluster();
  const clock = cluster.clock;
  const admin = cluster.clientset({ qps: -1, userAgent: 'lab-check' });
  const trace = new TraceRecorder();
  const node = new SimNode({ client: cluster.clientset({ qps: -1, userAgent: 'kubelet/v1.34.0 (linux/amd64) node-check' }), clock, seed, name: 'node-check', ip: '172.18.0.9', podCidr: '10.244.9.0/24', trace });
  await runUntilSettled(clock, node.start());
  await runUntilIdle(clock, { forMs: 2_000 });
  const t0 = clock.now();
  const at = (ms: number) => Math.round(ms - t0) / 1000;
  const seen: Observed = { starts: [], exits: [], statuses: [] };
  const stopTrace = trace.subscribe((e) => {
    const d = e as unknown as { type: string; name?: string; t: number };
    if (d.name !== 'app') return;
    if (d.type === 'cri.containerStarted') seen.starts.push(at(d.t));
    if (d.type === 'cri.containerExited') seen.exits.push(at(d.t));
  });
  const watch = await runUntilSettled(clock, admin.coreV1().pods('default').watch({ fieldSelector: `metadata.name=${POD}` }));
  void (async () => {
    for (let e = await watch.next(); e; e = await watch.next()) {
      if (e.type === 'ERROR') continue;
      const status = statusColumn(e.object);
      if (seen.statuses.at(-1)?.status !== status) seen.statuses.push({ atS: at(clock.now()), status });
    }
  })();
  await runUntilSettled(clock, admin.coreV1().pods('default').create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: POD }, spec: { nodeName: 'node-check', containers: [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 1; exit 1'] }] } } as unknown as KubeObject));
  await runUntilIdle(clock, { forMs: 700_000, until: () => seen.starts.length > EXITS + 1 });
  await runUntilIdle(clock, { forMs: 3_000 });
  watch.stop();
  stopTrace();
  node.stop();
  return seen;
}

/** STATUS as the watch last saw it at `s` seconds. */
function statusAtReal(o: Observed, s: number): string {
  let out = 'Pending';
  for (const x of o.statuses) if (x.atS <= s) out = x.status;
  return out;
}

function learnerRestarts(learner: Record<string, unknown>, expect: Expect): number[] {
  const restartTimes = exportedFunction<(exits: number) => number[]>(learner, 'restartTimes');
  const got = restartTimes(EXITS);
  expect(Array.isArray(got) && got.length === EXITS && got.every((x) => typeof x === 'number' && Number.isFinite(x)), `restartTimes(${EXITS}) must return ${EXITS} numbers`).to.equal(true);
  return got;
}

const fmt = (s: number) => `${Number(s.toFixed(2))} s`;

// ---- Step 1 --------------------------------------------------------------------------------

export const predictsRestarts = check(
  'Predicts when the kubelet restarts a container that keeps exiting',
  async ({ learner, expect, newCluster, seed }) => {
    const times = learnerRestarts(learner, expect);
    const real = await observeCrashLoop(newCluster, seed);
    expect(real.starts.length, 'restarts the kubelet made in 11 minutes').to.be.greaterThan(EXITS);
    let prevStart = 0;
    for (let i = 0; i < EXITS; i++) {
      const predicted = times[i] - (prevStart + 1);
      const actual = real.starts[i + 1] - real.exits[i];
      const where = `restart ${i + 1}: the container exited at ${fmt(real.exits[i])} and the kubelet started it again at ${fmt(real.starts[i + 1])}, ${fmt(actual)} later`;
      expect(predicted <= actual + 0.5, `${where}; restartTimes says ${fmt(predicted)} after the exit (at ${fmt(times[i])}), but the kubelet restarts earlier than that`).to.equal(true);
      expect(actual <= predicted + LATE_S, `${where}; restartTimes says ${fmt(predicted)} after the exit (at ${fmt(times[i])}), but the kubelet waited longer: it never restarts before its backoff for the container has run out`).to.equal(true);
      prevStart = times[i];
    }
  },
  { hint: 'Start at 0, exit at 1: restarted at once. Each later exit waits 10 s, then 20 s, 40 s … and never more than 300 s.' },
);

// ---- Step 2 --------------------------------------------------------------------------------

/**
 * Moments where the ideal timeline and the real one must agree: halfway through each run, 1.5 s
 * after each exit that is followed by a backoff, and 0.5 s before each restart after one. The real
 * side is read where the same moment shows in the API: the kubelet notices a start or an exit
 * at its next relist (up to 1 s later) and writes the status then.
 */
export const predictsStatus = check(
  'Predicts the STATUS column of kubectl get pods through the crash loop',
  async ({ learner, expect, newCluster, seed }) => {
    const statusAt = exportedFunction<(t: number) => unknown>(learner, 'statusAt');
    const times = [0, ...learnerRestarts(learner, expect)];
    const real = await observeCrashLoop(newCluster, seed);
    const compare = (ideal: number, realS: number, what: string) => {
      const want = statusAtReal(real, realS);
      expect(statusAt(ideal), `statusAt(${ideal}) — ${what}: kubectl get pods showed ${want} (at ${fmt(realS)} on the real node)`).to.equal(want);
    };
    for (let i = 0; i < EXITS; i++) {
      compare(times[i] + 0.5, real.starts[i] + 1.5, `halfway through run ${i + 1}`);
      if (i === 0) continue; // the first exit is followed by an immediate restart
      compare(times[i] + 1 + 1.5, real.exits[i] + 2.5, `1.5 s after exit ${i + 1}`);
      compare(times[i + 1] - 0.5, real.starts[i + 1] - 0.5, `0.5 s before restart ${i + 1}`);
    }
  },
  { hint: 'Right after an exit the kubelet has only seen the exit: the terminated reason. CrashLoopBackOff comes from the sync that found the backoff running, written at the sync after it.' },
);
