// The kubelet view on a real trace: one SimNode (kubelet, prober, containerd model) on a lab
// cluster running a busybox pod that exits 1 after a second, with a readiness probe; deleted at 45 s.
import { beforeAll, describe, expect, it } from 'vitest';
import { TraceRecorder, newLabCluster, runUntilIdle, runUntilSettled, type KubeObject, type TraceEvent } from '../../../sim/index';
import { SimNode } from '../../../sim/cluster/node';
import { WIDTH, kubeletLayout } from './layout';
import { containerAt, kubeletRun, nowOf, stageAt, type KubeletRun } from './state';
import { createKubeletView, kubeletMarkup } from './view';

async function crashingPod(): Promise<TraceEvent[]> {
  const trace = new TraceRecorder();
  const c = await newLabCluster();
  const node = new SimNode({ client: c.clientset({ qps: -1, userAgent: 'kubelet/v1.34.0' }), clock: c.clock, seed: 3, name: 'node-1', trace });
  await runUntilSettled(c.clock, node.start());
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'crash' }, spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'echo starting; sleep 1; exit 1'], readinessProbe: { exec: { command: ['true'] }, periodSeconds: 1 } }] } };
  const pods = c.clientset({ qps: -1 }).coreV1().pods('default');
  await runUntilSettled(c.clock, pods.create(pod as unknown as KubeObject));
  await runUntilIdle(c.clock, { forMs: 45_000 });
  await runUntilSettled(c.clock, pods.delete('crash'));
  await runUntilIdle(c.clock, { forMs: 35_000 });
  node.stop();
  return trace.events;
}

let events: TraceEvent[];
let run: KubeletRun;
beforeAll(async () => {
  events = await crashingPod();
  run = kubeletRun(events)!;
}, 20_000);

const lane = () => run.pods.find((p) => p.pod === 'default/crash')!.containers.find((c) => c.container === 'app')!;
const layoutAt = (cursor: number) => kubeletLayout(run, cursor, nowOf(events, run, cursor));

describe('kubelet view: the run', () => {
  it('knows the node: every kubelet, prober and runtime event names it; a filter keeps one node', () => {
    expect(run.nodes).toEqual(['node-1']);
    expect(run.pods.find((p) => p.pod === 'default/crash')?.node).toBe('node-1');
    expect(new Set(run.fires.map((f) => f.node))).toEqual(new Set(['node-1']));
    expect(events.filter((e) => e.component === 'prober').every((e) => e.node === 'node-1')).toBe(true);
    expect(kubeletRun(events, { node: 'node-1' })?.fires.length).toBe(run.fires.length);
    expect(kubeletRun(events, { node: 'node-2' })).toBeUndefined();
  });

  it('reads the container states the kubelet reported: created, running, Error, CrashLoopBackOff, with restarts', () => {
    const l = lane();
    const seq = l.spans.map((s) => `${s.state}${s.reason ? `:${s.reason}` : ''}`);
    expect(seq.slice(0, 4)).toEqual(['waiting:ContainerCreating', 'running', 'terminated:Error', 'running']);
    expect(seq).toContain('waiting:CrashLoopBackOff');
    expect(l.restarts.map((r) => r.restartCount)).toEqual([1, 2]);
    // The runtime's exit code reaches the terminated states (the kubelet's own event has only the reason).
    const exits = l.spans.filter((s) => s.state === 'terminated').map((s) => s.exitCode);
    expect(exits.length).toBeGreaterThanOrEqual(2);
    expect(new Set(exits)).toEqual(new Set([1]));
    // The kubelet repeats a timer on each sync that holds the restart: one timer each, doubling.
    expect(l.backoffs.map((b) => b.backoffMs)).toEqual([10_000, 20_000]);
    expect(l.probes.some((p) => p.probe === 'Readiness' && p.result === 'Success')).toBe(true);
    expect(l.probes.some((p) => p.result === 'error')).toBe(true);
  });

  it('reads the pod worker\'s stages once the pod is deleted', () => {
    const p = run.pods.find((x) => x.pod === 'default/crash')!;
    expect(p.stages.map((s) => `${s.from}->${s.to}`)).toEqual(['SyncPod->TerminatingPod', 'TerminatingPod->TerminatedPod', 'TerminatedPod->Finished']);
    expect(stageAt(p, p.stages[0].index)).toBe('SyncPod');
    expect(stageAt(p, p.stages[0].index + 1)).toBe('TerminatingPod');
    const l = layoutAt(events.length);
    expect(l.labels.filter((x) => x.cls === 'kl-kb-stage-name').map((x) => x.text).join(' → ')).toBe('TerminatingPod → TerminatedPod → Finished');
    expect(kubeletMarkup(events, run, events.length)).toContain('<th scope="row">default/crash</th><td>Finished</td><td>app</td>');
  });

  it('reads the syncLoop channels and the PLEG relists', () => {
    const channels = new Set(run.fires.map((f) => f.channel));
    expect([...channels].sort()).toEqual(['config', 'housekeeping', 'pleg', 'probe', 'sync']);
    expect(run.fires.filter((f) => f.channel === 'pleg').map((f) => f.op)).toContain('ContainerDied');
    expect(run.fires.find((f) => f.channel === 'probe')!.source).toBe('readiness');
    expect(run.relists.length).toBeGreaterThan(30);
    expect(run.relists.filter((r) => r.events > 0).length).toBeGreaterThanOrEqual(4);
    // The axis reaches the last back-off's deadline.
    expect(run.t1).toBe(Math.max(events.at(-1)!.t, lane().backoffs[1].restartAtMs));
  });
});

describe('kubelet view: the layout', () => {
  it('draws nothing before the first event, and names the pod dimmed', () => {
    const l = layoutAt(0);
    expect(l.boxes).toEqual([]);
    expect(l.ticks).toEqual([]);
    expect(l.labels.find((x) => x.text === 'default/crash')!.cls).toBe('kl-kb-pod is-future');
  });

  it('only reveals while scrubbing: a span keeps its x and grows to the cursor', () => {
    const first = lane().spans[1]; // running
    const mid = lane().spans[2].index; // the cursor on the Error event, state not applied yet
    const at = (c: number) => layoutAt(c).boxes.find((b) => b.index === first.index)!;
    const end = at(events.length);
    expect(at(first.index + 1).x).toBe(end.x);
    expect(at(mid).w).toBeLessThanOrEqual(end.w + 0.1);
    expect(layoutAt(events.length).boxes.find((b) => b.index === lane().spans[2].index)!.title).toMatch(/app: terminated \(Error, exit code 1\) from/);
    expect(end.title).toMatch(/^default\/crash app: running from t=1\.1\d* s to t=2\.1\d* s, restarts 0$/);
  });

  it('draws the back-off timer to the allowed restart, filled up to the cursor', () => {
    const b = lane().backoffs[0];
    const plot = (ms: number) => ((WIDTH - 112 - 12) * ms) / (run.t1 - run.t0);
    const justSet = layoutAt(b.index + 1).boxes.filter((x) => x.index === b.index);
    expect(justSet.map((x) => x.cls)).toEqual(['kl-kb-backoff']);
    expect(justSet[0].w).toBeCloseTo(plot(b.restartAtMs - b.t), 5);
    const later = layoutAt(lane().restarts[1].index + 1).boxes.filter((x) => x.index === b.index);
    expect(later.map((x) => x.cls)).toEqual(['kl-kb-backoff', 'kl-kb-backoff-elapsed']);
    expect(later[1].w).toBeCloseTo(later[0].w, 5);
  });

  it('marks restarts, probe ticks and one syncLoop tick per iteration', () => {
    const l = layoutAt(events.length);
    expect(l.ticks.filter((t) => t.cls === 'kl-kb-restart')).toHaveLength(2);
    expect(l.labels.filter((t) => t.cls === 'kl-kb-restart-n').map((t) => t.text)).toEqual(['↻1', '↻2']);
    expect(l.ticks.filter((t) => t.cls.startsWith('kl-kb-fire'))).toHaveLength(run.fires.length);
    expect(l.ticks.filter((t) => t.cls.startsWith('kl-kb-relist'))).toHaveLength(run.relists.length);
    expect(l.ticks.filter((t) => t.cls === 'kl-kb-probe is-success').length).toBeGreaterThan(0);
    for (const t of l.ticks) expect(t.x).toBeLessThanOrEqual(l.cursorX + 1e-9);
  });
});

describe('kubelet view: markup and text alternative', () => {
  it('says the state, the restarts and the time left on the back-off at the cursor', () => {
    const loop = lane().spans.find((s) => s.reason === 'CrashLoopBackOff')!;
    const cursor = loop.index + 1;
    const now = nowOf(events, run, cursor);
    const s = containerAt(lane(), cursor, now);
    expect(s.backoff!.remainingMs).toBe(lane().backoffs[0].restartAtMs - now);
    const html = kubeletMarkup(events, run, cursor);
    expect(html).toContain('<td>waiting (CrashLoopBackOff)</td><td>1</td><td>10 s; restart allowed in');
    expect(html).toMatch(/syncLoop iterations by channel: config \d+ · pleg \d+ · sync \d+ · housekeeping \d+ · probe \d+ · PLEG relists \d+/);
    expect(html).toContain('role="img" aria-label="Container states, back-off timers and probe runs of 1 pods');
    expect(html).toMatch(/class="kl-kb-state is-waiting is-backoff-reason is-current"/);
  });

  it('draws into its root, and names the upstream function of kubelet and prober events only', () => {
    const root = { classList: { add() {} }, innerHTML: '' } as unknown as HTMLElement;
    const view = createKubeletView(root);
    view.render(events, events.length);
    expect(root.innerHTML).toContain('kl-kb-svg');
    const backoff = events.find((e) => e.type === 'kubelet.backoff')!;
    expect(view.describe!(backoff)).toBe(`default/crash app: back-off 10000 ms, restart allowed at ${String(backoff.restartAtMs)} ms`);
    expect(view.source!(backoff)).toMatchObject({ href: expect.stringMatching(/kubernetes\/blob\/v1\.34\.0\/pkg\/kubelet\/kuberuntime\/kuberuntime_manager\.go/) });
    expect(view.source!(events.find((e) => e.type === 'prober.run')!)).toMatchObject({ href: expect.stringContaining('pkg/kubelet/prober/prober.go') });
    expect(view.describe!(events.find((e) => e.component === 'containerd')!)).toBeUndefined();
    view.destroy!();
    expect(root.innerHTML).toBe('');
  });

  it('says so without kubelet events', () => {
    expect(kubeletMarkup([], undefined, 0)).toMatch(/Run your code/);
    expect(kubeletRun([{ t: 0, seq: 1, component: 'workqueue', type: 'workqueue.add' } as unknown as TraceEvent])).toBeUndefined();
  });
});
