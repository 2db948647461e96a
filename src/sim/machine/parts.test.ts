/**
 * The machine's small parts as tables: the network's dial errors (Go's net.Dial texts), the
 * client's url.Error wording (client-go rest/request.go), the kubelet's files as kubeadm writes
 * them (app/phases/kubelet/flags.go TestBuildKubeletArgs shapes), and the control-plane programs'
 * flag parsing and port conflicts.
 */
import { describe, expect, it } from 'vitest';
import { HostFS } from '../host/fs';
import { parseFlags } from '../kubelet/cri/programs/controlplane';
import { IMAGE_CATALOG } from '../kubelet/cri/images';
import { logLines, newTestRuntime, runPod } from '../kubelet/cri/testing';
import { kubeadmImageSpecs } from '../kubeadm/preflight/images';
import { createHostPathSources } from './disk';
import { kubeconfigServer, parseFlagsEnv, readKubeletFiles } from './kubelet_files';
import { newNetwork } from './network';
import { newDialTransport, parseServer, urlError } from './transport';

describe('Network', () => {
  it.each([
    { name: 'a listener answers', ip: '10.0.0.10', port: 6443, want: 'kube-apiserver' },
    { name: 'a machine with nothing on the port refuses', ip: '10.0.0.10', port: 10259, want: 'dial tcp 10.0.0.10:10259: connect: connection refused' },
    { name: 'an address no machine has times out', ip: '10.0.0.77', port: 6443, want: 'dial tcp 10.0.0.77:6443: i/o timeout' },
  ])('$name', ({ ip, port, want }) => {
    const n = newNetwork();
    n.attach('10.0.0.10');
    n.listen('10.0.0.10', 6443, { process: 'kube-apiserver' });
    let got: string;
    try {
      got = n.dial(ip, port).process;
    } catch (e) {
      got = (e as Error).message;
    }
    expect(got).toBe(want);
  });

  it('refuses a second bind of the same address and frees it on close', () => {
    const n = newNetwork();
    const close = n.listen('10.0.0.10', 2379, { process: 'etcd' });
    expect(() => n.listen('10.0.0.10', 2379, { process: 'etcd' })).toThrow('listen tcp 10.0.0.10:2379: bind: address already in use');
    close();
    expect(n.listeners()).toEqual([]);
  });
});

describe('dial transport', () => {
  it.each([
    { server: 'https://10.0.0.10:6443', want: { host: '10.0.0.10', port: 6443 } },
    { server: 'https://cp.example:443/', want: { host: 'cp.example', port: 443 } },
    { server: 'https://[fd00::1]:6443', want: { host: 'fd00::1', port: 6443 } },
    { server: 'https://lb.internal', want: { host: 'lb.internal', port: 443 } },
  ])('parseServer($server)', ({ server, want }) => expect(parseServer(server)).toEqual(want));

  it('words a refused request as client-go does, with the verb and the URL with its query', async () => {
    const n = newNetwork();
    n.attach('10.0.0.10');
    const t = newDialTransport({ network: n, server: 'https://10.0.0.10:6443' });
    await expect(t.request({ verb: 'GET', path: '/api/v1/pods', query: { fieldSelector: 'spec.nodeName=cp1', limit: '500' } })).rejects.toMatchObject({
      code: 'ECONNREFUSED',
      message: 'Get "https://10.0.0.10:6443/api/v1/pods?fieldSelector=spec.nodeName%3Dcp1&limit=500": dial tcp 10.0.0.10:6443: connect: connection refused',
    });
    expect(urlError('https://10.0.0.10:6443/', { verb: 'PATCH', path: '/api/v1/nodes/cp1/status' }, 'x')).toBe('Patch "https://10.0.0.10:6443/api/v1/nodes/cp1/status": x');
  });

  it('reaches its own machine through 127.0.0.1; a health-only listener answers 404 for API paths', async () => {
    const n = newNetwork();
    n.attach('10.0.0.10');
    n.listen('10.0.0.10', 6443, { process: 'kube-apiserver', http: (r) => (r.path === '/livez' ? { statusCode: 200, body: 'ok' } : { statusCode: 404, body: '404 page not found\n' }) });
    const t = newDialTransport({ network: n, server: 'https://127.0.0.1:6443', localIp: '10.0.0.10' });
    expect(await t.request({ verb: 'GET', path: '/livez' })).toEqual({ code: 200, body: 'ok' });
    expect(await t.request({ verb: 'POST', path: '/api/v1/nodes' })).toEqual({ code: 404, body: '404 page not found\n' });
  });
});

describe('the kubelet files kubeadm writes', () => {
  it.each([
    { env: 'KUBELET_KUBEADM_ARGS="--pod-infra-container-image=registry.k8s.io/pause:3.10.1"\n', want: { 'pod-infra-container-image': 'registry.k8s.io/pause:3.10.1' } },
    { env: 'KUBELET_KUBEADM_ARGS="--hostname-override=worker-1 --node-ip=10.0.0.21 --pod-infra-container-image=registry.k8s.io/pause:3.10.1"\n', want: { 'hostname-override': 'worker-1', 'node-ip': '10.0.0.21', 'pod-infra-container-image': 'registry.k8s.io/pause:3.10.1' } },
    { env: 'KUBELET_KUBEADM_ARGS=""\n', want: {} },
  ])('parseFlagsEnv($env)', ({ env, want }) => expect(parseFlagsEnv(env)).toEqual(want));

  it('reads config.yaml (zero durations defaulted), the flags and kubelet.conf\'s server; the bootstrap kubeconfig when kubelet.conf is absent', () => {
    const fs = new HostFS({ now: () => 0 });
    fs.writeFileAll('/var/lib/kubelet/config.yaml', 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nclusterDNS:\n- 10.96.0.10\nclusterDomain: cluster.local\nfileCheckFrequency: 0s\nsyncFrequency: 1m30s\nstaticPodPath: /etc/kubernetes/manifests\n');
    fs.writeFileAll('/etc/kubernetes/bootstrap-kubelet.conf', 'apiVersion: v1\nclusters:\n- cluster:\n    server: https://10.0.0.10:6443\n  name: kubernetes\ncontexts:\n- context:\n    cluster: kubernetes\n  name: tls-bootstrap-token-user@kubernetes\ncurrent-context: tls-bootstrap-token-user@kubernetes\nkind: Config\n');
    expect(readKubeletFiles(fs)).toEqual({ staticPodPath: '/etc/kubernetes/manifests', clusterDNS: ['10.96.0.10'], clusterDomain: 'cluster.local', fileCheckFrequencyMs: undefined, syncFrequencyMs: 90_000, flags: {}, server: 'https://10.0.0.10:6443' });
    expect(kubeconfigServer('clusters:\n- name: a\n  cluster: {server: "https://a:6443"}\n- name: b\n  cluster: {server: "https://b:6443"}\ncontexts:\n- name: ctx\n  context: {cluster: b}\ncurrent-context: ctx\n')).toBe('https://b:6443');
  });

  it('makes DirectoryOrCreate and FileOrCreate hostPath sources, leaves other types alone', () => {
    const fs = new HostFS({ now: () => 0 });
    createHostPathSources(fs, 'spec:\n  volumes:\n  - name: etcd-data\n    hostPath: {path: /var/lib/etcd, type: DirectoryOrCreate}\n  - name: kubeconfig\n    hostPath: {path: /etc/kubernetes/scheduler.conf, type: FileOrCreate}\n  - name: pki\n    hostPath: {path: /etc/kubernetes/pki, type: Directory}\n');
    expect(fs.isDir('/var/lib/etcd')).toBe(true);
    expect(fs.readFile('/etc/kubernetes/scheduler.conf')).toBe('');
    expect(fs.exists('/etc/kubernetes/pki')).toBe(false);
  });
});

describe('control-plane programs', () => {
  it.each([
    { args: ['--advertise-address=10.0.0.10', '--secure-port=6443', '--allow-privileged=true'], want: { 'advertise-address': '10.0.0.10', 'secure-port': '6443', 'allow-privileged': 'true' } },
    { args: ['--leader-elect', '--bind-address=127.0.0.1'], want: { 'leader-elect': 'true', 'bind-address': '127.0.0.1' } },
    { args: ['run', '--name=cp1'], want: { name: 'cp1' } },
  ])('parseFlags($args)', ({ args, want }) => expect(parseFlags(args)).toEqual(want));

  it('kube-scheduler on a hostNetwork pod: its bind reaches the machine\'s services and hook; a second one exits 1 with the bind error; SIGTERM ends it with 0', async () => {
    const calls: string[] = [];
    const t = newTestRuntime({
      images: [...IMAGE_CATALOG, ...kubeadmImageSpecs({ kubernetesVersion: 'v1.34.0' })],
      nodeIp: '10.0.0.10',
      nodeServices: {
        onListen: (port, _h, process) => calls.push(`listen ${process} ${port}`),
        onUnlisten: (port) => calls.push(`unlisten ${port}`),
        hooks: { 'kube-scheduler': (flags) => void calls.push(`hook secure-port=${flags['secure-port'] ?? ''} leader-elect=${flags['leader-elect']}`) },
      },
    });
    const image = 'registry.k8s.io/kube-scheduler:v1.34.0';
    const cmd = { command: ['kube-scheduler', '--leader-elect=true', '--bind-address=127.0.0.1'] };
    const first = await runPod(t, 'sched-a', image, cmd, { linux: { hostNetwork: true } });
    const second = await runPod(t, 'sched-b', image, cmd, { linux: { hostNetwork: true } });
    await t.advance(10);
    expect(calls).toEqual(['listen kube-scheduler 10259', 'hook secure-port= leader-elect=true']);
    const status = (id: string) => t.run(t.rt.containerStatus(id));
    expect(await status(second.containerId)).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 1 });
    expect(logLines(t, second.containerId).at(-1)).toContain('"command failed" err="failed to create listener: failed to listen on 127.0.0.1:10259: listen tcp 127.0.0.1:10259: bind: address already in use"');
    expect(logLines(t, first.containerId).join('\n')).toContain('"attempting to acquire leader lease kube-system/kube-scheduler..."');
    await t.run(t.rt.stopContainer(first.containerId, 30));
    expect(await status(first.containerId)).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 0 });
    expect(calls.at(-1)).toBe('unlisten 10259');
  });
});
