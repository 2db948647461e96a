// The machines view on real traces: `kubeadm init` (src/sim/kubeadm/phases/init) on cp1, which
// writes its files and starts the kubelet, then stops at wait-control-plane (no control plane runs
// in this model yet); and on w1, a 1-CPU node, where preflight fails before anything is written.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { TraceRecorder } from '../../../sim/core/trace';
import type { TraceEvent } from '../../../sim/index';
import { createPKIAssets } from '../../../sim/kubeadm/certs/certs';
import { testConfig, testEnv } from '../../../sim/kubeadm/certs/testing';
import { newHost } from '../../../sim/host/host';
import { runInit } from '../../../sim/kubeadm/phases/init/init';
import { filesUnder, initFixture, type Fixture } from '../../../sim/kubeadm/phases/init/testing';
import { INIT_PHASES, machineAt, type MachineAt } from './at';
import { modeOf, modeString, octal } from './modes';
import { kubeadmRuns, machines, type Machine } from './state';
import { machinesMarkup } from './view';

let trace: TraceRecorder;
let cp1: Fixture;
let events: TraceEvent[];
let ms: ReturnType<typeof machines>;

beforeAll(async () => {
  trace = new TraceRecorder();
  cp1 = initFixture({ data: { trace } });
  await runInit(cp1.data);
  cp1.data.env.clock.step(60_000);
  const w1 = initFixture({ host: { name: 'w1', cpus: 1 }, data: { trace } });
  await runInit(w1.data);
  events = trace.events;
  ms = machines(events);
}, 20_000);

const machine = (host: string): Machine => ms!.machines.find((m) => m.host === host)!;
const end = (host: string) => machineAt(machine(host), events.length);
const listed = (m: MachineAt, under: string) =>
  m.groups
    .filter((g) => g.dir === under || g.dir.startsWith(`${under}/`))
    .flatMap((g) => g.files)
    .map((f) => `${octal(f.mode)} ${f.path}`)
    .sort();
const phaseIndex = (phase: string, outcome: string, host = 'cp1') => machine(host).runs[0].marks.find((m) => m.phase === phase && m.outcome === outcome)!.index;
const statuses = (m: MachineAt) => Object.fromEntries(m.run!.phases.map((p) => [p.phase, p.status]));

describe('machines view: the state of a real kubeadm init', () => {
  it('finds both machines and gives each its own run, though kubeadm.phase events name no host', () => {
    expect(ms!.machines.map((m) => m.host)).toEqual(['cp1', 'w1']);
    expect(kubeadmRuns(events).map((r) => `${r.workflow}@${r.host}`)).toEqual(['init@cp1', 'init@w1']);
    expect(machine('cp1').runs).toHaveLength(1);
    expect(machine('w1').runs).toHaveLength(1);
  });

  it('the phase strip follows init.go\'s order and the run\'s outcomes: kubelet-start done, wait-control-plane failed, the rest not reached', () => {
    const m = end('cp1');
    expect(m.run!.phases.map((p) => p.phase)).toEqual([...INIT_PHASES]);
    // Each phase's status is what its own events say (a failure anywhere in it fails it).
    const marks = machine('cp1').runs[0].marks;
    for (const p of m.run!.phases) {
      const mine = marks.filter((x) => x.phase === p.phase || x.phase.startsWith(`${p.phase}/`));
      const expected = !mine.length ? 'pending' : mine.some((x) => x.outcome === 'failed') ? 'failed' : 'done';
      expect([p.phase, p.status]).toEqual([p.phase, expected]);
    }
    expect(statuses(m)).toMatchObject({ preflight: 'done', certs: 'done', kubeconfig: 'done', etcd: 'done', 'control-plane': 'done', 'kubelet-start': 'done', 'wait-control-plane': 'failed', 'upload-config': 'pending', addon: 'pending' });
    expect(m.run!.error).toMatch(/^error execution phase wait-control-plane: failed while waiting for the control plane to start/);
    // Sub-phases in the order the runner ran them (init_test's UPSTREAM_PHASES).
    expect(m.run!.phases.find((p) => p.phase === 'certs')!.subs.map((s) => s.phase)).toEqual([
      'certs/ca', 'certs/apiserver', 'certs/apiserver-kubelet-client', 'certs/front-proxy-ca', 'certs/front-proxy-client',
      'certs/etcd-ca', 'certs/etcd-server', 'certs/etcd-peer', 'certs/etcd-healthcheck-client', 'certs/apiserver-etcd-client', 'certs/sa',
    ]);
    expect(m.run!.phases.find((p) => p.phase === 'kubeconfig')!.subs.map((s) => `${s.phase} ${s.status}`)).toEqual(
      ['admin', 'super-admin', 'kubelet', 'controller-manager', 'scheduler'].map((s) => `kubeconfig/${s} done`),
    );
  });

  it('lists every file runInit wrote with the mode it has on the host\'s disk', () => {
    const m = end('cp1');
    expect(listed(m, '/etc/kubernetes')).toEqual(filesUnder(cp1.data, '/etc/kubernetes').sort());
    expect(listed(m, '/var/lib/kubelet')).toEqual(filesUnder(cp1.data, '/var/lib/kubelet').sort());
    expect(listed(m, '/etc/kubernetes')).toHaveLength(31);
    // /var/lib/etcd is a directory kubeadm makes 0700: it shows, empty.
    expect(m.groups.find((g) => g.dir === '/var/lib/etcd')?.files).toEqual([]);
    expect(machine('cp1').files.find((f) => f.path === '/var/lib/etcd')?.mode).toBe(cp1.data.host.fs.stat('/var/lib/etcd').mode & 0o777);
    // Groups in kubeadm's order.
    expect(m.groups.map((g) => g.dir).slice(0, 6)).toEqual(['/etc/kubernetes/pki', '/etc/kubernetes/pki/etcd', '/etc/kubernetes', '/etc/kubernetes/manifests', '/var/lib/kubelet', '/var/lib/etcd']);
  });

  it.each([
    ['/etc/kubernetes/pki/ca.key', 'certs/ca'],
    ['/etc/kubernetes/pki/etcd/peer.crt', 'certs/etcd-peer'],
    ['/etc/kubernetes/pki/sa.pub', 'certs/sa'],
    ['/etc/kubernetes/super-admin.conf', 'kubeconfig/super-admin'],
    ['/etc/kubernetes/manifests/etcd.yaml', 'etcd/local'],
    ['/etc/kubernetes/manifests/kube-scheduler.yaml', 'control-plane/scheduler'],
    ['/var/lib/kubelet/kubeadm-flags.env', 'kubelet-start'],
    ['/run/containerd/containerd.sock', undefined],
  ])('%s was written by phase %s', (path, phase) => {
    expect(machine('cp1').files.find((f) => f.path === path)?.phase).toBe(phase);
  });

  it('a failed preflight shows preflight failed, nothing after it run, and nothing written', () => {
    const m = end('w1');
    expect(m.run!.phases[0]).toMatchObject({ phase: 'preflight', status: 'failed', error: 'error execution phase preflight: preflight checks failed' });
    expect(m.run!.phases.slice(1).every((p) => p.status === 'pending')).toBe(true);
    expect(machine('w1').files.filter((f) => f.phase !== undefined)).toEqual([]);
    expect(m.groups.map((g) => g.dir)).toEqual(['/run/containerd']);
    expect(m.units.find((u) => u.unit === 'kubelet.service')?.state).toBe('activating (auto-restart)');
    // cp1 is untouched by w1's run.
    expect(listed(end('cp1'), '/etc/kubernetes')).toHaveLength(31);
  });

  it('at mid-run shows only the files written so far, the last phase\'s files marked fresh', () => {
    const afterCa = machineAt(machine('cp1'), phaseIndex('certs/ca', 'done') + 1);
    expect(listed(afterCa, '/etc')).toEqual(['0600 /etc/kubernetes/pki/ca.key', '0644 /etc/kubernetes/pki/ca.crt'].sort());
    expect(afterCa.groups.flatMap((g) => g.files).filter((f) => f.fresh).map((f) => f.path).sort()).toEqual(['/etc/kubernetes/pki/ca.crt', '/etc/kubernetes/pki/ca.key']);
    expect(statuses(afterCa)).toMatchObject({ preflight: 'done', certs: 'running', kubeconfig: 'pending' });
    expect(afterCa.run!.phases[1].subs.slice(0, 2).map((s) => s.status)).toEqual(['done', 'pending']);

    // Just before kubeconfig/admin starts: every PKI file and nothing else under /etc; certs/sa's two fresh.
    const beforeAdmin = machineAt(machine('cp1'), phaseIndex('kubeconfig/admin', 'start'));
    const etc = listed(beforeAdmin, '/etc');
    expect(etc).toHaveLength(22);
    expect(etc.every((l) => l.includes('/etc/kubernetes/pki/'))).toBe(true);
    expect(beforeAdmin.groups.flatMap((g) => g.files).filter((f) => f.fresh).map((f) => f.path).sort()).toEqual(['/etc/kubernetes/pki/sa.key', '/etc/kubernetes/pki/sa.pub']);
    expect(statuses(beforeAdmin)).toMatchObject({ certs: 'done', kubeconfig: 'running', etcd: 'pending' });
    expect(beforeAdmin.staticPods).toEqual([]);
  });

  it('the kubelet unit crash-loops until kubelet-start writes its config, then runs', () => {
    const before = machineAt(machine('cp1'), phaseIndex('kubelet-start', 'start'));
    expect(before.units.find((u) => u.unit === 'kubelet.service')).toMatchObject({ state: 'activating (auto-restart)', before: [] });
    const after = end('cp1');
    expect(after.units.find((u) => u.unit === 'kubelet.service')).toMatchObject({ state: 'active (running)', enabled: 'enabled', before: ['activating (auto-restart)', 'inactive (dead)'] });
    expect(after.ports.map((p) => `${p.port} ${p.process}`)).toEqual(['22 sshd', '10248 kubelet', '10250 kubelet']);
  });

  it('static pods come from the manifests, their state from the node\'s kubelet events when present', () => {
    expect(end('cp1').staticPods.map((p) => `${p.pod} ${p.containers.length}`)).toEqual(['etcd-cp1 0', 'kube-apiserver-cp1 0', 'kube-controller-manager-cp1 0', 'kube-scheduler-cp1 0']);
    // The kubelet model does not read the manifests directory yet: its events for one static pod, appended.
    const t = events.at(-1)!.t;
    const more: TraceEvent[] = [
      ...events,
      { t, seq: 1e6, component: 'kubelet', type: 'kubelet.container', node: 'cp1', pod: 'kube-system/etcd-cp1', container: 'etcd', state: 'running', reason: '', restartCount: 0 },
      { t, seq: 1e6 + 1, component: 'kubelet', type: 'kubelet.container', node: 'w1', pod: 'kube-system/etcd-cp1', container: 'etcd', state: 'waiting', reason: 'x', restartCount: 0 },
    ];
    const cp = machineAt(machines(more)!.machines.find((m) => m.host === 'cp1')!, more.length);
    expect(cp.staticPods[0].containers.map((c) => `${c.container} ${c.state}`)).toEqual(['etcd running']);
  });

  it('files only appear over the cursor: each shown one was made before it, and none vanishes (property over cursors)', () => {
    const m = machine('cp1');
    const paths = (c: number) => new Set(machineAt(m, c).groups.flatMap((g) => g.files).map((f) => f.path));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: events.length - 1 }), (c) => {
        const now = machineAt(m, c).groups.flatMap((g) => g.files);
        expect(now.every((f) => f.index < c)).toBe(true);
        const next = paths(c + 1);
        for (const f of now) expect(next.has(f.path)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});

describe('machines view: the PKI model\'s own writes', () => {
  it('a certificate shows its subject and expiry from kubeadm.certs.write; keys none', () => {
    // kubeadm's certs model (`kubeadm init phase certs` outside the init runner) writing onto a host.
    const env = testEnv();
    const host = newHost({ name: 'cp1', cpus: 2, clock: env.clock, trace: env.trace });
    createPKIAssets(testConfig(), env, host.fileWriter());
    const m = machineAt(machines(env.trace.events)!.machines[0], env.trace.events.length);
    const files = m.groups.flatMap((g) => g.files);
    const apiserver = files.find((f) => f.path === '/etc/kubernetes/pki/apiserver.crt')!;
    expect(apiserver.subject).toBe('kube-apiserver');
    expect(apiserver.notAfter).toBeGreaterThan(env.clock.now());
    expect(files.find((f) => f.path === '/etc/kubernetes/pki/apiserver.key')?.subject).toBeUndefined();
    expect(listed(m, '/etc/kubernetes/pki')).toHaveLength(22);
    expect(machinesMarkup(env.trace.events, machines(env.trace.events), env.trace.events.length)).toMatch(/apiserver\.crt<\/span><span class="kl-mc-cert">CN=kube-apiserver, until \d{4}-\d\d-\d\d<\/span>/);
  });

  it('a second run on the machine is shown, not the first', async () => {
    const t = new TraceRecorder();
    const f = initFixture({ host: { cpus: 1 }, data: { trace: t } });
    await runInit(f.data, []);
    f.data.host.state.cpus = 2;
    await runInit(f.data);
    const m = machines(t.events)!.machines[0];
    expect(m.runs.map((r) => r.marks.find((x) => x.outcome === 'failed')?.phase)).toEqual(['preflight', 'wait-control-plane']);
    const now = machineAt(m, t.events.length);
    expect(now.run).toMatchObject({ runs: 2 });
    expect(now.run!.phases[0].status).toBe('done');
    // Between the two runs: the first one's failed preflight.
    const between = machineAt(m, m.runs[1].first);
    expect(between.run!.phases[0].status).toBe('failed');
  });
});

describe('machines view: modes and markup', () => {
  it.each([
    ['/etc/kubernetes/pki/ca.key', 'write', undefined, 0o600],
    ['/etc/kubernetes/pki/ca.crt', 'write', undefined, 0o644],
    ['/etc/kubernetes/admin.conf', 'write', undefined, 0o600],
    ['/etc/kubernetes/manifests/etcd.yaml', 'write', undefined, 0o600],
    ['/var/lib/kubelet/config.yaml', 'write', undefined, 0o644],
    ['/var/lib/etcd', 'mkdir', undefined, 0o700],
    ['/etc/kubernetes/pki', 'mkdir', undefined, 0o755],
    ['/etc/kubernetes/admin.conf', 'write', 0o640, 0o640],
  ])('modeOf(%s, %s, traced %s) = %o', (path, op, traced, mode) => {
    expect(modeOf(path, op, traced)).toBe(mode);
  });

  it('modeString reads like ls -l', () => {
    expect([modeString(0o600), modeString(0o644), modeString(0o700, true)]).toEqual(['-rw-------', '-rw-r--r--', 'drwx------']);
  });

  it('says each phase\'s state in words, marks the fresh files for screen readers, and has unique ids', () => {
    const html = machinesMarkup(events, ms, phaseIndex('certs/ca', 'done') + 1);
    expect(html).toContain('<span class="sr-only">: done</span>');
    expect(html).toContain('certs<span class="sr-only">: running</span>');
    expect(html).toContain('ca.key</span><span class="kl-mc-by">certs/ca</span><span class="sr-only"> (just written)</span>');
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((x) => x[1]);
    expect(new Set(ids).size).toBe(ids.length);
    // Every scrollable region is reachable by keyboard and named.
    expect(html.match(/class="kl-mc-scroll"/g)!.length).toBe(html.match(/class="kl-mc-scroll" tabindex="0" role="region" aria-label="Files on [^"]+"/g)!.length);
    const failed = machinesMarkup(events, ms, events.length);
    expect(failed).toContain('preflight<span class="sr-only">: failed</span>');
    expect(failed).toContain('aria-current="step"');
    expect(machinesMarkup([], undefined, 0)).toContain('kl-viz-empty');
  });
});
