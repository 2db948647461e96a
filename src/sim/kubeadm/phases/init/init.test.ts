import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractFromFile as extractStaticPod } from '../../../kubelet/config_file';
import { TraceRecorder } from '../../../core/trace';
import { parseCertsPem } from '../../../pki/x509';
import { runInit, runInitPhase, newInitRunner } from './init';
import { filesUnder, initFixture } from './testing';

/** Every phase of `kubeadm init` v1.34 in execution order (init.go's AppendPhase list, each phase's sub-phases). */
const UPSTREAM_PHASES = [
  'preflight',
  'certs',
  'certs/all',
  'certs/ca',
  'certs/apiserver',
  'certs/apiserver-kubelet-client',
  'certs/front-proxy-ca',
  'certs/front-proxy-client',
  'certs/etcd-ca',
  'certs/etcd-server',
  'certs/etcd-peer',
  'certs/etcd-healthcheck-client',
  'certs/apiserver-etcd-client',
  'certs/sa',
  'kubeconfig',
  'kubeconfig/all',
  'kubeconfig/admin',
  'kubeconfig/super-admin',
  'kubeconfig/kubelet',
  'kubeconfig/controller-manager',
  'kubeconfig/scheduler',
  'etcd',
  'etcd/local',
  'control-plane',
  'control-plane/all',
  'control-plane/apiserver',
  'control-plane/controller-manager',
  'control-plane/scheduler',
  'kubelet-start',
  'wait-control-plane',
  'upload-config',
  'upload-config/all',
  'upload-config/kubeadm',
  'upload-config/kubelet',
  'upload-certs',
  'mark-control-plane',
  'bootstrap-token',
  'kubelet-finalize',
  'kubelet-finalize/all',
  'kubelet-finalize/enable-client-cert-rotation',
  'addon',
  'addon/all',
  'addon/coredns',
  'addon/kube-proxy',
  'show-join-command',
];

/** What `kubeadm init` v1.34 writes before the control plane has to answer, with its modes. */
const INIT_FILES = [
  '0600 /etc/kubernetes/admin.conf',
  '0600 /etc/kubernetes/controller-manager.conf',
  '0600 /etc/kubernetes/kubelet.conf',
  '0600 /etc/kubernetes/manifests/etcd.yaml',
  '0600 /etc/kubernetes/manifests/kube-apiserver.yaml',
  '0600 /etc/kubernetes/manifests/kube-controller-manager.yaml',
  '0600 /etc/kubernetes/manifests/kube-scheduler.yaml',
  '0644 /etc/kubernetes/pki/apiserver-etcd-client.crt',
  '0600 /etc/kubernetes/pki/apiserver-etcd-client.key',
  '0644 /etc/kubernetes/pki/apiserver-kubelet-client.crt',
  '0600 /etc/kubernetes/pki/apiserver-kubelet-client.key',
  '0644 /etc/kubernetes/pki/apiserver.crt',
  '0600 /etc/kubernetes/pki/apiserver.key',
  '0644 /etc/kubernetes/pki/ca.crt',
  '0600 /etc/kubernetes/pki/ca.key',
  '0644 /etc/kubernetes/pki/etcd/ca.crt',
  '0600 /etc/kubernetes/pki/etcd/ca.key',
  '0644 /etc/kubernetes/pki/etcd/healthcheck-client.crt',
  '0600 /etc/kubernetes/pki/etcd/healthcheck-client.key',
  '0644 /etc/kubernetes/pki/etcd/peer.crt',
  '0600 /etc/kubernetes/pki/etcd/peer.key',
  '0644 /etc/kubernetes/pki/etcd/server.crt',
  '0600 /etc/kubernetes/pki/etcd/server.key',
  '0644 /etc/kubernetes/pki/front-proxy-ca.crt',
  '0600 /etc/kubernetes/pki/front-proxy-ca.key',
  '0644 /etc/kubernetes/pki/front-proxy-client.crt',
  '0600 /etc/kubernetes/pki/front-proxy-client.key',
  '0600 /etc/kubernetes/pki/sa.key',
  '0600 /etc/kubernetes/pki/sa.pub',
  '0600 /etc/kubernetes/scheduler.conf',
  '0600 /etc/kubernetes/super-admin.conf',
];
const KUBELET_FILES = ['0644 /var/lib/kubelet/config.yaml', '0644 /var/lib/kubelet/instance-config.yaml', '0644 /var/lib/kubelet/kubeadm-flags.env'];

/** stdout of a v1.34 `kubeadm init` on cp1 (10.0.0.10) up to the kubelet start. */
const TRANSCRIPT = `[init] Using Kubernetes version: v1.34.0
[preflight] Running pre-flight checks
[preflight] Pulling images required for setting up a Kubernetes cluster
[preflight] This might take a minute or two, depending on the speed of your internet connection
[preflight] You can also perform this action beforehand using 'kubeadm config images pull'
[certs] Using certificateDir folder "/etc/kubernetes/pki"
[certs] Generating "ca" certificate and key
[certs] Generating "apiserver" certificate and key
[certs] apiserver serving cert is signed for DNS names [cp1 kubernetes kubernetes.default kubernetes.default.svc kubernetes.default.svc.cluster.local] and IPs [10.96.0.1 10.0.0.10]
[certs] Generating "apiserver-kubelet-client" certificate and key
[certs] Generating "front-proxy-ca" certificate and key
[certs] Generating "front-proxy-client" certificate and key
[certs] Generating "etcd/ca" certificate and key
[certs] Generating "etcd/server" certificate and key
[certs] etcd/server serving cert is signed for DNS names [cp1 localhost] and IPs [10.0.0.10 127.0.0.1 ::1]
[certs] Generating "etcd/peer" certificate and key
[certs] etcd/peer serving cert is signed for DNS names [cp1 localhost] and IPs [10.0.0.10 127.0.0.1 ::1]
[certs] Generating "etcd/healthcheck-client" certificate and key
[certs] Generating "apiserver-etcd-client" certificate and key
[certs] Generating "sa" key and public key
[kubeconfig] Using kubeconfig folder "/etc/kubernetes"
[kubeconfig] Writing "admin.conf" kubeconfig file
[kubeconfig] Writing "super-admin.conf" kubeconfig file
[kubeconfig] Writing "kubelet.conf" kubeconfig file
[kubeconfig] Writing "controller-manager.conf" kubeconfig file
[kubeconfig] Writing "scheduler.conf" kubeconfig file
[etcd] Creating static Pod manifest for local etcd in "/etc/kubernetes/manifests"
[control-plane] Using manifest folder "/etc/kubernetes/manifests"
[control-plane] Creating static Pod manifest for "kube-apiserver"
[control-plane] Creating static Pod manifest for "kube-controller-manager"
[control-plane] Creating static Pod manifest for "kube-scheduler"
[kubelet-start] Writing kubelet environment file with flags to file "/var/lib/kubelet/kubeadm-flags.env"
[kubelet-start] Writing kubelet configuration to file "/var/lib/kubelet/instance-config.yaml"
[patches] Applied patch of type "application/strategic-merge-patch+json" to target "kubeletconfiguration"
[kubelet-start] Writing kubelet configuration to file "/var/lib/kubelet/config.yaml"
[kubelet-start] Starting the kubelet
`;

const stdoutOnly = (text: string) => text.split('\n').filter((l) => !/^[WIE]\d{4} /.test(l)).join('\n');
const WAIT_ERROR =
  'error execution phase wait-control-plane: failed while waiting for the control plane to start: kube-apiserver check failed at https://10.0.0.10:6443/livez: Get "https://10.0.0.10:6443/livez?timeout=10s": dial tcp 10.0.0.10:6443: connect: connection refused';

describe('kubeadm init phases (after cmd/kubeadm/app/cmd/init.go and phases/init/*.go, v1.34)', () => {
  it('the phase list and order are upstream\'s: etcd and control-plane come before kubelet-start', () => {
    expect(newInitRunner().phaseRunners().map((r) => r.generatedName)).toEqual(UPSTREAM_PHASES);
  });

  it('`kubeadm init` on a 2-CPU node writes exactly upstream\'s files with their modes, then stops at wait-control-plane without a control plane', async () => {
    const { data, output } = initFixture();
    expect(data.host.systemd.get('kubelet')?.subState).toBe('auto-restart');
    const err = await runInit(data);
    expect(err?.message).toBe(WAIT_ERROR);
    expect(stdoutOnly(output())).toBe(TRANSCRIPT);
    expect(filesUnder(data, '/etc/kubernetes')).toEqual(INIT_FILES);
    expect(filesUnder(data, '/var/lib/kubelet')).toEqual(KUBELET_FILES);
    const etcdDir = data.host.fs.stat('/var/lib/etcd');
    expect([etcdDir.type, etcdDir.mode & 0o777]).toEqual(['dir', 0o700]);
    // kubelet-start ended the crash loop: the kubelet found its config and stays up.
    expect(data.host.systemd.isActive('kubelet')).toBe(true);
    data.env.clock.step(60_000);
    expect(data.host.systemd.get('kubelet')?.subState).toBe('running');
  });

  it('the files kubelet-start writes: flags, the instance config, the KubeletConfiguration', async () => {
    const { data } = initFixture({ flags: { 'service-cidr': '10.100.0.0/16' } });
    await runInit(data);
    const read = (f: string) => data.host.fs.readFile(`/var/lib/kubelet/${f}`);
    expect(read('kubeadm-flags.env')).toBe('KUBELET_KUBEADM_ARGS="--pod-infra-container-image=registry.k8s.io/pause:3.10.1"\n');
    expect(read('instance-config.yaml')).toBe('containerRuntimeEndpoint: "unix:///var/run/containerd/containerd.sock"\n');
    await expect(read('config.yaml')).toMatchFileSnapshot('testdata/config.yaml');
    expect(read('config.yaml')).toContain('clusterDNS:\n- 10.100.0.10\n');
  });

  it('--node-name different from the hostname adds --hostname-override', async () => {
    const { data } = initFixture({ flags: { 'node-name': 'control-1' } });
    await runInit(data);
    expect(data.host.fs.readFile('/var/lib/kubelet/kubeadm-flags.env')).toBe('KUBELET_KUBEADM_ARGS="--hostname-override=control-1 --pod-infra-container-image=registry.k8s.io/pause:3.10.1"\n');
  });

  it.each([
    ['etcd', 'etcd-cp1'],
    ['kube-apiserver', 'kube-apiserver-cp1'],
    ['kube-controller-manager', 'kube-controller-manager-cp1'],
    ['kube-scheduler', 'kube-scheduler-cp1'],
  ])('manifest %s: golden, and the kubelet accepts it as static pod %s', async (component, podName) => {
    const { data } = initFixture();
    await runInit(data);
    const path = `/etc/kubernetes/manifests/${component}.yaml`;
    const text = data.host.fs.readFile(path);
    await expect(text).toMatchFileSnapshot(`testdata/${component}.yaml`);
    const pod = extractStaticPod(text, path, 'cp1');
    expect(pod.metadata.name).toBe(podName);
    expect(pod.metadata.namespace).toBe('kube-system');
    expect(pod.spec.hostNetwork).toBe(true);
    expect(pod.spec.priorityClassName).toBe('system-node-critical');
    expect(pod.spec.containers[0].name).toBe(component);
  });

  it('a pod subnet makes the controller-manager allocate node CIDRs', async () => {
    const { data } = initFixture({ flags: { 'pod-network-cidr': '10.244.0.0/16' } });
    await runInit(data);
    const cm = data.host.fs.readFile('/etc/kubernetes/manifests/kube-controller-manager.yaml');
    expect(cm).toContain('    - --allocate-node-cidrs=true\n');
    expect(cm).toContain('    - --cluster-cidr=10.244.0.0/16\n');
    expect(cm).toContain('    - --service-cluster-ip-range=10.96.0.0/12\n');
  });

  it('extraArgs override a default flag by name and add new ones, all sorted (ArgumentsToCommand)', async () => {
    const { data } = initFixture();
    data.cluster.apiServer.extraArgs = [
      { name: 'secure-port', value: '8443' },
      { name: 'audit-log-path', value: '/var/log/audit.log' },
    ];
    await runInitPhase(data, ['control-plane', 'apiserver']);
    const cmd = data.host.fs.readFile('/etc/kubernetes/manifests/kube-apiserver.yaml');
    expect(cmd).toContain('    - kube-apiserver\n    - --advertise-address=10.0.0.10\n    - --allow-privileged=true\n    - --audit-log-path=/var/log/audit.log\n');
    expect(cmd).toContain('    - --secure-port=8443\n');
    expect(cmd).not.toContain('--secure-port=6443');
  });

  it('external etcd: no etcd certificates, no etcd manifest, the API server gets the endpoints', async () => {
    const { data, output } = initFixture();
    data.cluster.etcd = { external: { endpoints: ['https://10.0.0.50:2379'], caFile: '/etc/etcd/ca.crt', certFile: '/etc/etcd/client.crt', keyFile: '/etc/etcd/client.key' } };
    await runInit(data, ['preflight']);
    expect(output()).toContain('[certs] External etcd mode: Skipping etcd/ca certificate authority generation\n');
    expect(output()).toContain('[certs] External etcd mode: Skipping apiserver-etcd-client certificate generation\n');
    expect(output()).not.toContain('[etcd]');
    expect(data.host.fs.exists('/etc/kubernetes/manifests/etcd.yaml')).toBe(false);
    const api = data.host.fs.readFile('/etc/kubernetes/manifests/kube-apiserver.yaml');
    expect(api).toContain('    - --etcd-servers=https://10.0.0.50:2379\n');
    expect(api).toContain('    - --etcd-cafile=/etc/etcd/ca.crt\n');
    expect(api).toContain('    - mountPath: /etc/etcd\n      name: etcd-certs-0\n      readOnly: true\n');
  });

  it('--skip-phases: a skipped phase and its sub-phases write nothing; the others still run', async () => {
    const { data, output } = initFixture();
    const err = await runInit(data, ['preflight', 'certs/apiserver', 'control-plane', 'wait-control-plane', 'upload-config', 'upload-certs', 'mark-control-plane', 'bootstrap-token', 'kubelet-finalize', 'addon', 'show-join-command']);
    expect(err).toBeUndefined();
    expect(output()).not.toContain('[preflight]');
    expect(output()).not.toContain('[control-plane]');
    expect(data.host.fs.exists('/etc/kubernetes/pki/apiserver.crt')).toBe(false);
    expect(data.host.fs.exists('/etc/kubernetes/pki/apiserver-kubelet-client.crt')).toBe(true);
    expect(filesUnder(data, '/etc/kubernetes/manifests')).toEqual(['0600 /etc/kubernetes/manifests/etcd.yaml']);
    expect(data.host.systemd.isActive('kubelet')).toBe(true);
  });

  it('--skip-phases falls back to InitConfiguration.skipPhases; an unknown name is kubeadm\'s error', async () => {
    const a = initFixture();
    a.data.init.skipPhases = ['preflight', 'certs', 'kubeconfig', 'etcd', 'control-plane', 'kubelet-start', 'wait-control-plane'];
    expect((await runInit(a.data))?.message).toBe('error execution phase upload-config/kubeadm: ' + WAIT_ERROR.split(': ').slice(1).join(': '));
    expect(filesUnder(a.data, '/etc/kubernetes/pki')).toEqual([]);
    const b = initFixture();
    expect((await runInit(b.data, ['certs/nope']))?.message).toBe('invalid phase name: certs/nope');
    expect(b.output()).toBe('[init] Using Kubernetes version: v1.34.0\n');
  });

  it('dns.disabled / proxy.disabled skip their addon phases (manageSkippedAddons)', async () => {
    const { data } = initFixture();
    data.cluster.dns.disabled = true;
    data.cluster.proxy.disabled = true;
    const { manageSkippedAddons } = await import('./init');
    expect(manageSkippedAddons(data, ['preflight'])).toEqual(['preflight', 'addon/coredns', 'addon/kube-proxy', 'addon']);
  });

  it('`kubeadm init phase certs apiserver` alone: needs the CA, then writes only its own pair', async () => {
    const { data, output } = initFixture();
    const err = await runInitPhase(data, ['certs', 'apiserver']);
    expect(err?.message).toBe(
      'error execution phase certs/apiserver: couldn\'t load CA certificate ca: failure loading ca certificate authority: couldn\'t load the certificate file /etc/kubernetes/pki/ca.crt: open /etc/kubernetes/pki/ca.crt: no such file or directory',
    );
    expect(await runInitPhase(data, ['certs', 'ca'])).toBeUndefined();
    expect(await runInitPhase(data, ['certs', 'apiserver'])).toBeUndefined();
    expect(output()).toBe(
      '[certs] Generating "ca" certificate and key\n[certs] Generating "apiserver" certificate and key\n[certs] apiserver serving cert is signed for DNS names [cp1 kubernetes kubernetes.default kubernetes.default.svc kubernetes.default.svc.cluster.local] and IPs [10.96.0.1 10.0.0.10]\n',
    );
    expect(filesUnder(data, '/etc/kubernetes/pki')).toEqual(['0644 /etc/kubernetes/pki/apiserver.crt', '0600 /etc/kubernetes/pki/apiserver.key', '0644 /etc/kubernetes/pki/ca.crt', '0600 /etc/kubernetes/pki/ca.key']);
    // `all` runs the parent and every sibling; a phase with sub-phases alone is help, an unknown one cobra's error.
    expect(await runInitPhase(data, ['certs', 'all'])).toBeUndefined();
    expect(output()).toContain('[certs] Using existing ca certificate authority\n[certs] Using existing apiserver certificate and key on disk\n');
    expect(filesUnder(data, '/etc/kubernetes/pki')).toHaveLength(22);
    expect((await runInitPhase(data, ['certs']))?.message).toContain('certs has sub-phases: all, ca, apiserver');
    expect((await runInitPhase(data, ['cert']))?.message).toBe('unknown command "cert" for "kubeadm init phase"');
  });

  it('a re-run reuses the CA, keeps the certificates and kubeconfig files, and rewrites the manifests', async () => {
    const { data, output } = initFixture();
    await runInit(data);
    const ca = data.host.fs.readFile('/etc/kubernetes/pki/ca.crt');
    const admin = data.host.fs.readFile('/etc/kubernetes/admin.conf');
    data.host.fs.remove('/etc/kubernetes/pki/apiserver.crt');
    data.host.fs.remove('/etc/kubernetes/pki/apiserver.key');
    const err = await runInit(data, ['preflight']);
    expect(err?.message).toBe(WAIT_ERROR);
    const second = output().slice(output().lastIndexOf('[init]'));
    expect(second).toContain('[certs] Using existing ca certificate authority\n[certs] Generating "apiserver" certificate and key\n');
    expect(second).toContain('[certs] Using existing apiserver-kubelet-client certificate and key on disk\n');
    expect(second).toContain('[certs] Using the existing "sa" key\n');
    expect(second).toContain('[kubeconfig] Using existing kubeconfig file: "/etc/kubernetes/admin.conf"\n');
    expect(data.host.fs.readFile('/etc/kubernetes/pki/ca.crt')).toBe(ca);
    expect(data.host.fs.readFile('/etc/kubernetes/admin.conf')).toBe(admin);
    // The new apiserver certificate is signed by the reused CA.
    const caCert = parseCertsPem(ca)[0];
    const apiserver = parseCertsPem(data.host.fs.readFile('/etc/kubernetes/pki/apiserver.crt'))[0];
    expect(apiserver.issuer).toEqual(caCert.subject);
  });

  it('a certificate on disk that its CA did not sign is kubeadm\'s error', async () => {
    const a = initFixture({ seed: 1 });
    const b = initFixture({ seed: 2 });
    await runInitPhase(a.data, ['certs', 'all']);
    await runInitPhase(b.data, ['certs', 'all']);
    a.data.host.fs.writeFile('/etc/kubernetes/pki/ca.crt', b.data.host.fs.readFile('/etc/kubernetes/pki/ca.crt'));
    expect((await runInitPhase(a.data, ['certs', 'apiserver']))?.message).toBe(
      'error execution phase certs/apiserver: [certs] certificate apiserver not signed by CA certificate ca: x509: certificate signed by unknown authority',
    );
  });

  it('the error path: preflight fails on a 1-CPU node and nothing is written', async () => {
    const { data, output } = initFixture({ host: { cpus: 1 } });
    const err = await runInit(data);
    expect(err?.message).toBe('error execution phase preflight: preflight checks failed');
    expect(output()).toContain('\t[ERROR NumCPU]: the number of available CPUs 1 is less than the required 2\n');
    expect(filesUnder(data, '/etc/kubernetes')).toEqual([]);
    expect(filesUnder(data, '/var/lib/kubelet')).toEqual([]);
    expect(data.host.systemd.get('kubelet')?.subState).toBe('auto-restart');
  });

  it('trace: each phase starts and ends as a kubeadm.phase event, the failing one with its error', async () => {
    const trace = new TraceRecorder();
    const { data } = initFixture({ data: { trace } });
    await runInit(data, ['preflight']);
    const phases = trace.events.filter((e) => e.type === 'kubeadm.phase').map((e) => `${e.phase} ${e.outcome}`);
    expect(phases.slice(0, 5)).toEqual(['preflight skipped', 'certs start', 'certs done', 'certs/ca start', 'certs/ca done']);
    expect(phases.slice(-3)).toEqual(['kubelet-start done', 'wait-control-plane start', 'wait-control-plane failed']);
    // The files of each phase are the host's events in between.
    const types = trace.events.map((e) => (e.type === 'kubeadm.phase' ? `${e.phase} ${e.outcome}` : e.type));
    const start = types.indexOf('etcd/local start');
    expect(types.slice(start, types.indexOf('etcd/local done'))).toContain('host.file');
    const { eventText, eventSource } = await import('../../../catalogs');
    const failed = trace.ofType('kubeadm.phase').at(-1)!;
    expect(eventText(failed)).toBe(`kubeadm init: phase wait-control-plane failed: ${WAIT_ERROR}`);
    expect(eventSource(failed)?.href).toBe('https://github.com/kubernetes/kubernetes/blob/v1.34.0/cmd/kubeadm/app/cmd/phases/workflow/runner.go');
  });

  it('property: on any node name, address and seed, init writes manifests the kubelet accepts and certificates for that address', async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/), fc.tuple(fc.integer({ min: 1, max: 254 }), fc.integer({ min: 1, max: 254 })), fc.integer({ min: 1, max: 1e6 }), async (name, [b, c], seed) => {
        const ip = `10.1.${b}.${c}`;
        const { data } = initFixture({ host: { name, ip }, seed });
        expect((await runInit(data))?.message).toMatch(/^error execution phase wait-control-plane: /);
        for (const component of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) {
          const path = `/etc/kubernetes/manifests/${component}.yaml`;
          expect(extractStaticPod(data.host.fs.readFile(path), path, name).metadata.name).toBe(`${component}-${name}`);
        }
        const apiserver = parseCertsPem(data.host.fs.readFile('/etc/kubernetes/pki/apiserver.crt'))[0];
        expect(apiserver.ipAddresses).toContain(ip);
        expect(apiserver.dnsNames).toContain(name);
        expect(data.host.systemd.isActive('kubelet')).toBe(true);
      }),
      { numRuns: 25 },
    );
  });

  it('same seed, same bytes: two runs write identical files', async () => {
    const a = initFixture();
    const b = initFixture();
    await runInit(a.data);
    await runInit(b.data);
    for (const f of INIT_FILES.map((l) => l.slice(5))) expect(a.data.host.fs.readFile(f)).toBe(b.data.host.fs.readFile(f));
  });
});
