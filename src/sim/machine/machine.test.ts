/**
 * A machine end to end: kubeadm init (preflight skipped) up to kubelet-start on a fresh host, then
 * the kubelet unit's process is the kubelet model running kubeadm's four static pods. Follows the
 * kubelet's static pod path (pkg/kubelet/config/file.go, kubelet.go SyncLoop), its registration
 * retries (kubelet_node_status.go registerWithAPIServer) and what kubeadm's own
 * `app/cmd/phases/init/kubelet.go` leaves on disk; the control-plane programs are the images'
 * startup and health endpoints only.
 */
import { describe, expect, it } from 'vitest';
import type { Node, Pod } from '../api/core/v1';
import { newApiServer } from '../apiserver/apiserver';
import { newClientset } from '../client/clientset';
import { rngFromSeed } from '../core/rng';
import { TraceRecorder } from '../core/trace';
import { FakeClock } from '../core/clock';
import { runUntilSettled } from '../core/drive';
import { kubeadmInit, MACHINE_T0, machineFixture } from './testing';

const STATIC_PODS = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'];
const running = async (f: ReturnType<typeof machineFixture>) => (await f.machine.runtime.listContainers()).filter((c) => c.state === 'CONTAINER_RUNNING').map((c) => c.metadata.name).sort();
const kubeletLines = (f: ReturnType<typeof machineFixture>) => f.machine.host.processLog('kubelet');

describe('machine before kubeadm init', () => {
  it('crash-loops the kubelet unit with no kubelet model; nothing listens on 6443', async () => {
    const f = machineFixture(1);
    await f.advance(25_000);
    expect(f.machine.kubelet).toBeUndefined();
    expect(f.machine.host.systemd.get('kubelet')!.activeState).toBe('activating');
    expect(() => f.network.dial('10.0.0.10', 6443)).toThrow('dial tcp 10.0.0.10:6443: connect: connection refused');
    expect(() => f.network.dial('10.0.0.99', 6443)).toThrow('dial tcp 10.0.0.99:6443: i/o timeout');
    expect(await f.machine.crictlPs()).toBe('CONTAINER           IMAGE               CREATED             STATE               NAME                ATTEMPT             POD ID              POD                 NAMESPACE\n');
  });
});

describe('machine after kubeadm init up to kubelet-start', () => {
  it('runs the four static pods; the node registration keeps failing with connection refused, then with the stub answering', async () => {
    const f = machineFixture(2);
    const init = await kubeadmInit(f.machine, f.clock);
    // wait-control-plane is the first phase that needs the API server.
    expect(init.err?.message).toContain('error execution phase wait-control-plane');
    expect(f.machine.kubelet?.files).toMatchObject({ staticPodPath: '/etc/kubernetes/manifests', clusterDNS: ['10.96.0.10'], server: 'https://10.0.0.10:6443', flags: { 'pod-infra-container-image': 'registry.k8s.io/pause:3.10.1' } });
    // Before any container listens, registration is refused (kubelet_node_status.go).
    await f.advance(500);
    expect(kubeletLines(f).some((l) => l.includes('"Unable to register node with API server" err="Post \\"https://10.0.0.10:6443/api/v1/nodes\\": dial tcp 10.0.0.10:6443: connect: connection refused" node="cp1"'))).toBe(true);
    expect(kubeletLines(f).some((l) => l.includes('"Attempting to register node" node="cp1"'))).toBe(true);
    expect(await f.until(async () => (await running(f)).length === 4, 30_000)).toBe(true);
    expect(await running(f)).toEqual(STATIC_PODS);
    const ps = await f.machine.crictlPs();
    for (const name of STATIC_PODS) expect(ps).toMatch(new RegExp(`Running\\s+${name}\\s+0\\s+\\w+\\s+${name}-cp1\\s+kube-system`));
    expect(kubeletLines(f).some((l) => l.includes('"SyncLoop ADD" source="file" pods=["kube-system/etcd-cp1","kube-system/kube-apiserver-cp1","kube-system/kube-controller-manager-cp1","kube-system/kube-scheduler-cp1"]'))).toBe(true);
    // journalctl -u kubelet: systemd's lines and the process's, one pid after the restart kubeadm did.
    const journal = f.machine.journal('kubelet');
    expect(journal.some((l) => /^Dec 05 10:00:00 cp1 kubelet\[\d+\]: I1205 10:00:00\.\d{6}\s+\d+ file\.go:68\] "Watching path" path="\/etc\/kubernetes\/manifests"$/.test(l))).toBe(true);
    // hostNetwork ports are the machine's: on the network, in the host's listening sockets.
    expect(f.network.listeners().map((l) => `${l.address} ${l.process}`)).toEqual(['10.0.0.10:2379 etcd', '10.0.0.10:2380 etcd', '10.0.0.10:2381 etcd', '10.0.0.10:6443 kube-apiserver', '10.0.0.10:10257 kube-controller-manager', '10.0.0.10:10259 kube-scheduler']);
    expect(f.machine.host.listener(6443)?.process).toBe('kube-apiserver');
    // The stub kube-apiserver answers its health endpoints; API paths are not served yet.
    await f.advance(8_000);
    expect(kubeletLines(f).slice(-6).join('\n')).toContain('"Unable to register node with API server" err="the server could not find the requested resource (post nodes)" node="cp1"');
  });

  it('passes the static pods\' probes against the hostNetwork ports (127.0.0.1 and the advertise address)', async () => {
    const f = machineFixture(3);
    await kubeadmInit(f.machine, f.clock);
    expect(await f.until(async () => (await running(f)).length === 4, 30_000)).toBe(true);
    const rt = f.machine.runtime;
    const get = async (ip: string, port: number, path: string) => {
      const answer = rt.httpGet(ip, port, path, {}, 1000);
      await f.advance(10);
      return answer;
    };
    expect(await get('10.0.0.10', 6443, '/livez')).toEqual({ statusCode: 200, body: 'ok' });
    expect(await get('127.0.0.1', 2381, '/readyz')).toEqual({ statusCode: 200, body: 'ok' });
    expect(await get('127.0.0.1', 10257, '/healthz')).toEqual({ statusCode: 200, body: 'ok' });
    expect(await get('127.0.0.1', 10259, '/healthz')).toEqual({ statusCode: 200, body: 'ok' });
    // The kubelet's prober says so: every static pod becomes Ready (startup probes first).
    const k = f.machine.kubelet!.kubelet;
    const ready = () => [...k.podManager.values()].filter((p: Pod) => k.statusManager.getPodStatus(p.metadata.uid ?? '')?.conditions?.find((c) => c.type === 'Ready')?.status === 'True').length;
    expect(await f.until(() => ready() === 4, 60_000)).toBe(true);
    expect(kubeletLines(f).filter((l) => l.includes('"SyncLoop (probe)" probe="startup" status="started"')).length).toBe(4);
    // Each program printed its startup lines to its container log.
    const apiserver = (await rt.listContainers()).find((c) => c.metadata.name === 'kube-apiserver')!;
    expect(rt.containerLog(apiserver.id)!.join('\n')).toContain('Serving securely on [::]:6443');
  });

  it('stops a static pod at once when its manifest is deleted (inotify), not at the next 20 s check', async () => {
    const f = machineFixture(4);
    await kubeadmInit(f.machine, f.clock);
    expect(await f.until(async () => (await running(f)).length === 4, 30_000)).toBe(true);
    f.machine.host.fs.remove('/etc/kubernetes/manifests/kube-scheduler.yaml');
    expect(await f.until(async () => !(await running(f)).includes('kube-scheduler'), 3_000, 100)).toBe(true);
    expect(await running(f)).toEqual(['etcd', 'kube-apiserver', 'kube-controller-manager']);
    expect(kubeletLines(f).some((l) => l.includes('"SyncLoop REMOVE" source="file" pods=["kube-system/kube-scheduler-cp1"]'))).toBe(true);
    expect(f.network.listeners().some((l) => l.process === 'kube-scheduler')).toBe(false);
    expect(f.machine.host.listener(10259)).toBeUndefined();
  });

  it('systemctl stop kubelet stops all syncing (containers keep running); start builds a fresh kubelet that adopts them', async () => {
    const trace = new TraceRecorder();
    const f = machineFixture(5, { trace });
    await kubeadmInit(f.machine, f.clock);
    expect(await f.until(async () => (await running(f)).length === 4, 30_000)).toBe(true);
    const before = (await f.machine.runtime.listContainers()).map((c) => c.id).sort();
    const oldPid = f.machine.kubelet!.pid;
    f.machine.host.systemd.stop('kubelet');
    expect(f.machine.kubelet).toBeUndefined();
    const lines = kubeletLines(f).length;
    f.machine.host.fs.remove('/etc/kubernetes/manifests/kube-controller-manager.yaml');
    await f.advance(60_000);
    expect(kubeletLines(f).length).toBe(lines);
    expect(await running(f)).toEqual(STATIC_PODS);
    expect(f.machine.host.listener(10250)).toBeUndefined();

    f.machine.host.systemd.start('kubelet');
    const k = f.machine.kubelet!;
    expect(k.pid).not.toBe(oldPid);
    await f.advance(5_000);
    expect(kubeletLines(f).some((l) => l.includes(` ${k.pid} kubelet.go:2468] "SyncLoop ADD" source="file" pods=["kube-system/etcd-cp1","kube-system/kube-apiserver-cp1","kube-system/kube-scheduler-cp1"]`))).toBe(true);
    // The same static pods (UIDs hashed from the files) on the same containers: no restart.
    const after = (await f.machine.runtime.listContainers()).filter((c) => c.metadata.name !== 'kube-controller-manager').map((c) => c.id);
    expect(before).toEqual(expect.arrayContaining(after));
    expect((await f.machine.runtime.listContainers()).every((c) => c.metadata.attempt === 0)).toBe(true);
    // The trace: one start and stop per kubelet process, and no port closed while nobody synced.
    const kubeletEvents = trace.events.filter((e) => e.type === 'machine.kubelet').map((e) => `${e.op} ${e.pid}`);
    expect(kubeletEvents).toEqual([`start ${oldPid}`, `stop ${oldPid}`, `start ${k.pid}`]);
    expect(trace.events.some((e) => e.type === 'machine.listen' && e.op === 'close')).toBe(false);
  });
});

describe('controlPlaneHooks: the seam to the API server model', () => {
  it('kube-apiserver hands its flags to the hook; with an API server there the node registers and stays NotReady until a CNI config exists', async () => {
    const seen: Record<string, Record<string, string>> = {};
    const clock = new FakeClock(MACHINE_T0);
    const apiServer = newApiServer({ clock, rng: rngFromSeed(6) });
    await runUntilSettled(clock, apiServer.whenReady());
    const f = machineFixture(6, {
      clock,
      controlPlaneHooks: {
        kubeApiserver: (flags) => {
          seen['kube-apiserver'] = flags;
          return { transport: apiServer };
        },
        etcd: (flags) => void (seen.etcd = flags),
        kubeControllerManager: (flags) => void (seen['kube-controller-manager'] = flags),
        kubeScheduler: (flags) => void (seen['kube-scheduler'] = flags),
      },
    });
    await kubeadmInit(f.machine, f.clock);
    expect(await f.until(async () => (await running(f)).length === 4, 30_000)).toBe(true);
    expect(seen['kube-apiserver']).toMatchObject({ 'advertise-address': '10.0.0.10', 'secure-port': '6443', 'etcd-servers': 'https://127.0.0.1:2379' });
    expect(seen.etcd).toMatchObject({ name: 'cp1', 'listen-client-urls': 'https://127.0.0.1:2379,https://10.0.0.10:2379' });
    expect(seen['kube-scheduler']).toMatchObject({ 'leader-elect': 'true' });
    expect(f.network.listeners().find((l) => l.address === '10.0.0.10:6443')?.api).toBe(true);

    const client = newClientset(apiServer, { clock: f.clock, qps: -1 });
    const node = async () => (await client.coreV1().nodes().get('cp1').catch(() => undefined)) as unknown as Node | undefined;
    const ready = async () => (await node())?.status?.conditions?.find((c) => c.type === 'Ready');
    expect(await f.until(async () => (await ready()) !== undefined, 30_000)).toBe(true);
    expect(kubeletLines(f).some((l) => l.includes('"Successfully registered node" node="cp1"'))).toBe(true);
    expect(await ready()).toMatchObject({ status: 'False', reason: 'KubeletNotReady', message: expect.stringContaining('cni plugin not initialized') });
    // The mirror pods appear in the API.
    const mirrors = async () => ((await client.coreV1().pods('kube-system').list()).items as unknown as Pod[]).map((p) => p.metadata.name).sort();
    expect(await f.until(async () => (await mirrors()).length === 4, 30_000)).toBe(true);
    expect(await mirrors()).toEqual(STATIC_PODS.map((n) => `${n}-cp1`));

    // A CNI config (what flannel's DaemonSet writes): the next status update says Ready.
    f.machine.host.fs.writeFileAll('/etc/cni/net.d/10-flannel.conflist', '{"name":"cbr0","cniVersion":"0.3.1","plugins":[{"type":"flannel"}]}\n');
    expect(await f.until(async () => (await ready())?.status === 'True', 30_000)).toBe(true);
  });
});
