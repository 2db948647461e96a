import { describe, expect, it } from 'vitest';
import { CriError } from './api';
import { logLines, newTestRuntime, runPod, sandboxConfig, containerConfig, TEST_EPOCH_MS } from './testing';

const MiB = 1024 * 1024;

async function statusOf(t: ReturnType<typeof newTestRuntime>, id: string) {
  return t.run(t.rt.containerStatus(id));
}

describe('container lifecycle (containerd CRI: container_create/start/status)', () => {
  it('goes CREATED -> RUNNING -> EXITED with Completed on 0 (TestToCRIContainerStatus)', async () => {
    const t = newTestRuntime();
    const pod = sandboxConfig('p');
    const ref = await t.run(t.rt.pullImage('busybox:1.36'));
    const sid = await t.run(t.rt.runPodSandbox(pod));
    const cid = await t.run(t.rt.createContainer(sid, containerConfig(pod, 'c', ref, { command: ['sh', '-c', 'echo hi; sleep 2'] }), pod));
    expect((await statusOf(t, cid)).state).toBe('CONTAINER_CREATED');
    await t.run(t.rt.startContainer(cid));
    const running = await statusOf(t, cid);
    expect(running.state).toBe('CONTAINER_RUNNING');
    expect(running.startedAt).toBeGreaterThan(0);
    await t.advance(2000);
    const exited = await statusOf(t, cid);
    expect(exited).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 0, reason: 'Completed', message: '' });
    expect(exited.finishedAt - exited.startedAt).toBe(2000 * 1e6);
    expect(logLines(t, cid)).toEqual(['hi']);
  });

  it.each([
    ['exit 3', 3, 'Error'],
    ['exit 0', 0, 'Completed'],
    ['false', 1, 'Error'],
    ['nosuchcmd', 127, 'Error'],
  ])('sh -c %j exits %i with reason %s (completeExitReason / errorExitReason)', async (script, code, reason) => {
    const t = newTestRuntime();
    const { containerId } = await runPod(t, 'p', 'busybox', { command: ['sh', '-c', script] });
    await t.advance(10);
    expect(await statusOf(t, containerId)).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: code, reason });
  });

  it('busybox with no command runs sh with an empty stdin and exits 0 at once', async () => {
    const t = newTestRuntime();
    const { containerId } = await runPod(t, 'p', 'busybox:1.36');
    await t.advance(1);
    expect(await statusOf(t, containerId)).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 0, reason: 'Completed' });
  });

  it('a missing executable is StartError with exit code 128 and runc\'s message (TestStartContainer: errorStartReason)', async () => {
    const t = newTestRuntime();
    const pod = sandboxConfig('p');
    const ref = await t.run(t.rt.pullImage('busybox:1.36'));
    const sid = await t.run(t.rt.runPodSandbox(pod));
    const cid = await t.run(t.rt.createContainer(sid, containerConfig(pod, 'c', ref, { command: ['x'] }), pod));
    const msg =
      'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "x": executable file not found in $PATH: unknown';
    await expect(t.run(t.rt.startContainer(cid))).rejects.toThrow(`rpc error: code = Unknown desc = ${msg}`);
    expect(await statusOf(t, cid)).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 128, reason: 'StartError', message: msg, startedAt: 0 });
  });

  it.each([
    ['containerStatus', (t: ReturnType<typeof newTestRuntime>) => t.rt.containerStatus('abc'), 'NotFound', 'an error occurred when try to find container "abc": not found'],
    ['startContainer', (t: ReturnType<typeof newTestRuntime>) => t.rt.startContainer('abc'), 'NotFound', 'an error occurred when try to find container "abc": not found'],
    ['podSandboxStatus', (t: ReturnType<typeof newTestRuntime>) => t.rt.podSandboxStatus('abc'), 'NotFound', 'an error occurred when try to find sandbox: not found'],
    ['stopPodSandbox', (t: ReturnType<typeof newTestRuntime>) => t.rt.stopPodSandbox('abc'), 'NotFound', 'an error occurred when try to find sandbox "abc": not found'],
    ['createContainer', (t: ReturnType<typeof newTestRuntime>) => t.rt.createContainer('abc', containerConfig(sandboxConfig('p'), 'c', 'busybox'), sandboxConfig('p')), 'NotFound', 'failed to find sandbox id "abc": not found'],
    ['execSync', (t: ReturnType<typeof newTestRuntime>) => t.rt.execSync('abc', ['true'], 1), 'NotFound', 'failed to find container "abc" in store: not found'],
  ])('%s of an unknown id fails as containerd words it', async (_name, call, code, desc) => {
    const t = newTestRuntime();
    const err = await t.run(call(t) as Promise<unknown>).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CriError);
    expect(err).toMatchObject({ code, desc });
  });

  it('stop and remove of unknown ids succeed (idempotent RPCs)', async () => {
    const t = newTestRuntime();
    await t.run(t.rt.stopContainer('abc', 10));
    await t.run(t.rt.removeContainer('abc'));
    await t.run(t.rt.removePodSandbox('abc'));
  });

  it('starting a running container fails with its state (setContainerStarting)', async () => {
    const t = newTestRuntime();
    const { containerId } = await runPod(t, 'p', 'busybox', { command: ['sleep', '100'] });
    await expect(t.run(t.rt.startContainer(containerId))).rejects.toMatchObject({ desc: `failed to set starting state for container "${containerId}": container is in CONTAINER_RUNNING state` });
  });

  it('a second container with the same name and attempt is refused (containerNameIndex.Reserve)', async () => {
    const t = newTestRuntime();
    const { pod, sandboxId, containerId, config } = await runPod(t, 'p', 'busybox', { command: ['sleep', '100'] });
    const name = 'main_p_default_uid-p_0';
    await expect(t.run(t.rt.createContainer(sandboxId, config, pod))).rejects.toMatchObject({ desc: `failed to reserve container name "${name}": name "${name}" is reserved for "${containerId}"` });
  });

  it('ids are 64 hex characters', async () => {
    const t = newTestRuntime();
    const { sandboxId, containerId } = await runPod(t, 'p', 'busybox', { command: ['sleep', '1'] });
    expect(sandboxId).toMatch(/^[0-9a-f]{64}$/);
    expect(containerId).toMatch(/^[0-9a-f]{64}$/);
    expect(sandboxId).not.toBe(containerId);
  });

  it('starting in a stopped sandbox fails and marks the container StartError', async () => {
    const t = newTestRuntime();
    const pod = sandboxConfig('p');
    const ref = await t.run(t.rt.pullImage('busybox'));
    const sid = await t.run(t.rt.runPodSandbox(pod));
    const cid = await t.run(t.rt.createContainer(sid, containerConfig(pod, 'c', ref, { command: ['sleep', '9'] }), pod));
    await t.run(t.rt.stopPodSandbox(sid));
    await expect(t.run(t.rt.startContainer(cid))).rejects.toMatchObject({ desc: `sandbox container "${sid}" is not running` });
    expect(await statusOf(t, cid)).toMatchObject({ exitCode: 128, reason: 'StartError' });
  });
});

describe('sandboxes and the pod network', () => {
  it('hands out 10.244.0.x after the last address and reuses freed ones later (host-local)', async () => {
    const t = newTestRuntime();
    const ips: string[] = [];
    const ids: string[] = [];
    for (const n of ['a', 'b', 'c']) {
      const id = await t.run(t.rt.runPodSandbox(sandboxConfig(n)));
      ids.push(id);
      ips.push((await t.run(t.rt.podSandboxStatus(id))).network!.ip);
    }
    expect(ips).toEqual(['10.244.0.2', '10.244.0.3', '10.244.0.4']);
    await t.run(t.rt.stopPodSandbox(ids[0]));
    const d = await t.run(t.rt.runPodSandbox(sandboxConfig('d')));
    expect((await t.run(t.rt.podSandboxStatus(d))).network!.ip).toBe('10.244.0.5');
  });

  it('a hostNetwork pod serves on the node IP and its status has no IP (containerd getIPs)', async () => {
    const t = newTestRuntime();
    const { sandboxId } = await runPod(t, 'web', 'nginx:1.27', {}, { linux: { hostNetwork: true } });
    const st = await t.run(t.rt.podSandboxStatus(sandboxId));
    expect(st.network!.ip).toBe('');
    expect(st.linux!.namespaces!.options!.network).toBe('NODE');
    const resp = await t.run(t.rt.httpGet('172.18.0.2', 80, '/', {}, 1000));
    expect(resp.statusCode).toBe(200);
  });

  it('stopPodSandbox kills the containers at once (timeout 0: SIGKILL, exit 137)', async () => {
    const t = newTestRuntime();
    const { sandboxId, containerId } = await runPod(t, 'p', 'busybox', { command: ['sleep', '3600'] });
    await t.run(t.rt.stopPodSandbox(sandboxId));
    expect(await statusOf(t, containerId)).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 137, reason: 'Error' });
    expect((await t.run(t.rt.listPodSandbox()))[0].state).toBe('SANDBOX_NOTREADY');
  });

  it('removePodSandbox removes its containers', async () => {
    const t = newTestRuntime();
    const { sandboxId } = await runPod(t, 'p', 'busybox', { command: ['sleep', '3600'] });
    await t.run(t.rt.removePodSandbox(sandboxId));
    expect(await t.run(t.rt.listContainers())).toEqual([]);
    expect(await t.run(t.rt.listPodSandbox())).toEqual([]);
  });
});

describe('StopContainer: the stop signal, then SIGKILL after the timeout (container_stop.go)', () => {
  it.each([
    // [what, image, command, expected exit, expected reason, ms the stop takes]
    ['sleep as PID 1 ignores SIGTERM: killed after the grace period', 'busybox', ['sleep', '3600'], 137, 'Error', 30_000],
    ['sh as PID 1 without a trap ignores SIGTERM too', 'busybox', ['sh', '-c', 'while true; do sleep 1; done'], 137, 'Error', 30_000],
    ['a TERM trap exits at once', 'busybox', ['sh', '-c', "trap 'echo bye; exit 0' TERM; while true; do sleep 1; done"], 0, 'Completed', 0],
    ['nginx gets its STOPSIGNAL (SIGQUIT) and quits gracefully', 'nginx:1.27', undefined, 0, 'Completed', 0],
    ['agnhost (Go, PID 1) exits 2 on SIGTERM', 'registry.k8s.io/e2e-test-images/agnhost:2.53', ['/agnhost', 'liveness'], 2, 'Error', 0],
    ['pause exits 0 on SIGTERM', 'registry.k8s.io/e2e-test-images/agnhost:2.53', ['/agnhost', 'pause'], 0, 'Completed', 0],
  ] as const)('%s', async (_what, image, command, exitCode, reason, ms) => {
    const t = newTestRuntime();
    const { containerId } = await runPod(t, 'p', image, command ? { command: [...command] } : {});
    await t.advance(100);
    const start = t.clock.now();
    await t.run(t.rt.stopContainer(containerId, 30));
    expect(t.clock.now() - start).toBe(ms);
    expect(await statusOf(t, containerId)).toMatchObject({ state: 'CONTAINER_EXITED', exitCode, reason });
  });

  it('a trap that takes time is waited for, up to the timeout', async () => {
    const t = newTestRuntime();
    const { containerId } = await runPod(t, 'p', 'busybox', { command: ['sh', '-c', "trap 'echo draining; sleep 5; echo done; exit 0' TERM; sleep 3600"] });
    const start = t.clock.now();
    await t.run(t.rt.stopContainer(containerId, 30));
    expect(t.clock.now() - start).toBe(5000);
    expect(logLines(t, containerId)).toEqual(['draining', 'done']);
  });

  it('timeout 0 sends SIGKILL straight away', async () => {
    const t = newTestRuntime();
    const { containerId } = await runPod(t, 'p', 'nginx');
    await t.run(t.rt.stopContainer(containerId, 0));
    expect(await statusOf(t, containerId)).toMatchObject({ exitCode: 137, reason: 'Error' });
    expect(t.trace.ofType('cri.containerSignal').map((e) => e.signal)).toEqual(['SIGKILL']);
  });
});

describe('memory limits and the OOM killer', () => {
  it.each([
    ['250M under a 100Mi limit is OOMKilled (memory-demo-2)', '250M', 100 * MiB, 'CONTAINER_EXITED', 137, 'OOMKilled'],
    ['150M under a 200Mi limit keeps running (memory-demo)', '150M', 200 * MiB, 'CONTAINER_RUNNING', 0, ''],
  ])('%s', async (_what, bytes, limit, state, exitCode, reason) => {
    const t = newTestRuntime();
    const { containerId } = await runPod(t, 'mem', 'polinux/stress', {
      command: ['stress'],
      args: ['--vm', '1', '--vm-bytes', bytes, '--vm-hang', '1'],
      linux: { resources: { memoryLimitInBytes: limit } },
    });
    await t.advance(1000);
    expect(await statusOf(t, containerId)).toMatchObject({ state, exitCode, reason });
  });

  it('files written to a Memory-medium emptyDir count against the limit', async () => {
    const t = newTestRuntime();
    const vol = '/var/lib/kubelet/pods/uid-p/volumes/kubernetes.io~empty-dir/cache';
    t.rt.hostFs.mkdir(vol, { tmpfs: true });
    const { containerId } = await runPod(t, 'p', 'busybox', {
      command: ['sh', '-c', 'dd if=/dev/zero of=/cache/a bs=1M count=40; sleep 1; dd if=/dev/zero of=/cache/b bs=1M count=70; sleep 3600'],
      mounts: [{ containerPath: '/cache', hostPath: vol }],
      linux: { resources: { memoryLimitInBytes: 100 * MiB } },
    });
    await t.advance(10);
    const [stats] = await t.run(t.rt.listContainerStats({ id: containerId }));
    expect(stats.memory.workingSetBytes).toBe(40 * MiB);
    await t.advance(2000);
    expect(await statusOf(t, containerId)).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
    expect(t.trace.ofType('cri.oomKill')).toHaveLength(1);
    // The restarted container is a new cgroup: the 110 MiB left on the tmpfs are not its own.
    const again = await t.run(t.rt.createContainer((await t.run(t.rt.listPodSandbox()))[0].id, { ...containerConfig(sandboxConfig('p'), 'main', 'busybox'), command: ['sleep', '3600'], mounts: [{ containerPath: '/cache', hostPath: vol }], metadata: { name: 'main', attempt: 1 }, linux: { resources: { memoryLimitInBytes: 100 * MiB } } }, sandboxConfig('p')));
    await t.run(t.rt.startContainer(again));
    await t.advance(10);
    expect((await statusOf(t, again)).state).toBe('CONTAINER_RUNNING');
    expect(t.rt.hostFs.bytesUnder(vol)).toBe(110 * MiB);
  });

  it('a killed script runs nothing more and logs nothing after its death', async () => {
    const t = newTestRuntime();
    const vol = '/var/lib/kubelet/pods/uid-p/volumes/kubernetes.io~empty-dir/cache';
    t.rt.hostFs.mountTmpfs(vol, undefined);
    const { containerId } = await runPod(t, 'p', 'busybox', {
      command: ['sh', '-c', 'echo start; dd if=/dev/zero of=/cache/big bs=1M count=200; echo survived > /cache/after'],
      mounts: [{ containerPath: '/cache', hostPath: vol }],
      linux: { resources: { memoryLimitInBytes: 100 * MiB } },
    });
    await t.advance(10);
    expect(await statusOf(t, containerId)).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
    expect(logLines(t, containerId)).toEqual(['start']);
    expect(t.rt.hostFs.exists(`${vol}/after`)).toBe(false);
  });
});

describe('node memory', () => {
  it('the pod cgroup limit (sandbox memoryLimitBytes) OOM-kills the biggest container of the pod', async () => {
    const t = newTestRuntime();
    const pod = sandboxConfig('p', { linux: { memoryLimitBytes: 200 * MiB } });
    await t.run(t.rt.pullImage('polinux/stress'));
    const sid = await t.run(t.rt.runPodSandbox(pod));
    const ids: string[] = [];
    for (const [name, bytes] of [['a', '60M'], ['b', '150M']]) {
      const id = await t.run(t.rt.createContainer(sid, containerConfig(pod, name, 'polinux/stress', { command: ['stress', '--vm', '1', '--vm-bytes', bytes] }), pod));
      await t.run(t.rt.startContainer(id));
      ids.push(id);
    }
    await t.advance(500);
    expect((await statusOf(t, ids[0])).state).toBe('CONTAINER_RUNNING');
    expect(await statusOf(t, ids[1])).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
  });

  it('past the node\'s memory the OOM killer picks the container using most', async () => {
    const t = newTestRuntime({ memoryCapacityBytes: 300 * MiB });
    const small = await runPod(t, 'small', 'polinux/stress', { command: ['stress', '--vm', '1', '--vm-bytes', '100M'] });
    const big = await runPod(t, 'big', 'polinux/stress', { command: ['stress', '--vm', '1', '--vm-bytes', '250M'] });
    await t.advance(500);
    expect(await statusOf(t, big.containerId)).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
    expect((await statusOf(t, small.containerId)).state).toBe('CONTAINER_RUNNING');
  });
});

describe('volumes, the writable layer and logs per attempt', () => {
  it('files on a mounted volume survive a restart; the writable layer does not', async () => {
    const t = newTestRuntime();
    const vol = '/var/lib/kubelet/pods/uid-p/volumes/kubernetes.io~empty-dir/data';
    t.rt.hostFs.mkdir(vol);
    const script = 'cat /data/count /tmp/mark; echo x >> /data/count; touch /tmp/mark; exit 1';
    const mounts = [{ containerPath: '/data', hostPath: vol }];
    const first = await runPod(t, 'p', 'busybox', { command: ['sh', '-c', script], mounts });
    await t.advance(10);
    const second = await t.run(t.rt.createContainer(first.sandboxId, { ...first.config, metadata: { name: 'main', attempt: 1 } }, first.pod));
    await t.run(t.rt.startContainer(second));
    await t.advance(10);
    expect(logLines(t, first.containerId)).toEqual(["cat: can't open '/data/count': No such file or directory", "cat: can't open '/tmp/mark': No such file or directory"]);
    expect(logLines(t, second)).toEqual(['x', "cat: can't open '/tmp/mark': No such file or directory"]);
    expect(t.rt.hostFs.read(`${vol}/count`)?.text).toBe('x\nx\n');
  });

  it('a subPath mount maps onto a subdirectory; a read-only mount refuses writes', async () => {
    const t = newTestRuntime();
    const vol = '/var/lib/kubelet/pods/uid-p/volumes/kubernetes.io~empty-dir/shared';
    const cfg = '/var/lib/kubelet/pods/uid-p/volumes/kubernetes.io~configmap/cfg';
    t.rt.hostFs.mkdir(`${vol}/app`);
    t.rt.hostFs.mkdir(cfg);
    t.rt.hostFs.write(`${cfg}/greeting`, 'hello\n');
    const { containerId } = await runPod(t, 'p', 'busybox', {
      command: ['sh', '-c', 'echo x > /work/out; cat /etc/cfg/greeting; echo y > /etc/cfg/new'],
      mounts: [
        { containerPath: '/work', hostPath: `${vol}/app` },
        { containerPath: '/etc/cfg', hostPath: cfg, readonly: true },
      ],
    });
    await t.advance(10);
    expect(t.rt.hostFs.read(`${vol}/app/out`)?.text).toBe('x\n');
    expect(logLines(t, containerId)).toEqual(['hello', "sh: can't create /etc/cfg/new: Read-only file system"]);
    expect((await statusOf(t, containerId)).exitCode).toBe(1);
  });

  it('a mount whose host directory is missing fails the start (runc: error mounting)', async () => {
    const t = newTestRuntime();
    const pod = sandboxConfig('p');
    const ref = await t.run(t.rt.pullImage('busybox'));
    const sid = await t.run(t.rt.runPodSandbox(pod));
    const cid = await t.run(t.rt.createContainer(sid, containerConfig(pod, 'c', ref, { command: ['true'], mounts: [{ containerPath: '/data', hostPath: '/var/lib/kubelet/pods/uid-p/volumes/kubernetes.io~empty-dir/data' }] }), pod));
    await expect(t.run(t.rt.startContainer(cid))).rejects.toThrow(/error mounting "\/var\/lib\/kubelet\/pods\/uid-p\/volumes\/kubernetes.io~empty-dir\/data" to rootfs at "\/data"/);
    expect(await statusOf(t, cid)).toMatchObject({ exitCode: 128, reason: 'StartError' });
  });

  it('relative paths start from the working directory', async () => {
    const t = newTestRuntime();
    const { containerId } = await runPod(t, 'p', 'busybox', { command: ['sh', '-c', 'echo hi > note; cat /tmp/note'], workingDir: '/tmp' });
    await t.advance(10);
    expect(logLines(t, containerId)).toEqual(['hi']);
  });

  it('writes CRI log lines with RFC3339Nano times and the stream', async () => {
    const t = newTestRuntime();
    const { containerId } = await runPod(t, 'p', 'busybox', { command: ['sh', '-c', 'echo out; sleep 0.5; echo err >&2; cat /nope'] });
    await t.advance(1000);
    const lines = t.rt.containerLog(containerId)!;
    expect(lines[0]).toMatch(/^2026-12-05T07:45:00\.\d+Z stdout F out$/);
    expect(lines[lines.length - 1]).toMatch(/^2026-12-05T07:45:00\.\d+Z stderr F cat: can't open '\/nope': No such file or directory$/);
  });

  it('a removed container takes its log with it', async () => {
    const t = newTestRuntime();
    const { containerId } = await runPod(t, 'p', 'busybox', { command: ['echo', 'hi'] });
    await t.advance(10);
    expect(logLines(t, containerId)).toEqual(['hi']);
    await t.run(t.rt.removeContainer(containerId));
    expect(t.rt.containerLog(containerId)).toBeUndefined();
  });
});

describe('execSync', () => {
  it('runs in the container\'s files: the liveness exec example (cat /tmp/healthy)', async () => {
    const t = newTestRuntime();
    const { containerId } = await runPod(t, 'liveness-exec', 'busybox', { args: ['/bin/sh', '-c', 'touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600'] });
    const ok = await t.run(t.rt.execSync(containerId, ['cat', '/tmp/healthy'], 1));
    expect(ok).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    await t.advance(31_000);
    const bad = await t.run(t.rt.execSync(containerId, ['cat', '/tmp/healthy'], 1));
    expect(bad).toEqual({ stdout: '', stderr: "cat: can't open '/tmp/healthy': No such file or directory\n", exitCode: 1 });
  });

  it('sees the container env and fails on timeout or a missing binary', async () => {
    const t = newTestRuntime();
    const { containerId } = await runPod(t, 'p', 'busybox', { command: ['sleep', '3600'], envs: [{ key: 'GREETING', value: 'hello' }] });
    expect((await t.run(t.rt.execSync(containerId, ['sh', '-c', 'echo $GREETING $HOSTNAME'], 0))).stdout).toBe('hello p\n');
    await expect(t.run(t.rt.execSync(containerId, ['sleep', '5'], 1))).rejects.toMatchObject({ code: 'DeadlineExceeded', desc: 'timeout 1s exceeded: context deadline exceeded' });
    await expect(t.run(t.rt.execSync(containerId, ['curl'], 1))).rejects.toThrow(/exec: "curl": executable file not found in \$PATH: unknown$/);
  });
});

describe('the pod network and the test images', () => {
  it('agnhost liveness: /healthz is 200 for 10 s, then 500 (test/images/agnhost/liveness)', async () => {
    const t = newTestRuntime();
    const { sandboxId } = await runPod(t, 'liveness-http', 'registry.k8s.io/e2e-test-images/agnhost:2.53', { args: ['liveness'] });
    const ip = (await t.run(t.rt.podSandboxStatus(sandboxId))).network!.ip;
    const codes: number[] = [];
    for (let s = 0; s < 13; s += 3) {
      codes.push((await t.run(t.rt.httpGet(ip, 8080, '/healthz', {}, 1000))).statusCode);
      await t.advance(3000);
    }
    expect(codes).toEqual([200, 200, 200, 200, 500]);
  });

  it('refuses a port nothing listens on and times out on an unknown IP', async () => {
    const t = newTestRuntime();
    const { sandboxId } = await runPod(t, 'p', 'nginx');
    const ip = (await t.run(t.rt.podSandboxStatus(sandboxId))).network!.ip;
    await expect(t.run(t.rt.httpGet(ip, 8080, '/', {}, 1000))).rejects.toThrow(`Get "http://${ip}:8080/": dial tcp ${ip}:8080: connect: connection refused`);
    await expect(t.run(t.rt.tcpConnect(ip, 80, 1000))).resolves.toBeUndefined();
    const start = t.clock.now();
    await expect(t.run(t.rt.httpGet('10.9.9.9', 80, '/', {}, 1000))).rejects.toThrow('Client.Timeout exceeded while awaiting headers');
    expect(t.clock.now() - start).toBe(1000);
  });

  it('nginx serves its index page and logs the request', async () => {
    const t = newTestRuntime();
    const { sandboxId, containerId } = await runPod(t, 'web', 'nginx');
    const ip = (await t.run(t.rt.podSandboxStatus(sandboxId))).network!.ip;
    const r = await t.run(t.rt.httpGet(ip, 80, '/', { 'User-Agent': 'kube-probe/1.34' }, 1000));
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('<h1>Welcome to nginx!</h1>');
    expect((await t.run(t.rt.httpGet(ip, 80, '/missing', {}, 1000))).statusCode).toBe(404);
    const lines = logLines(t, containerId);
    expect(lines[0]).toBe('/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration');
    expect(lines.find((l) => l.includes('GET / '))).toMatch(/^10\.244\.0\.1 - - \[05\/Dec\/2026:07:45:0\d \+0000\] "GET \/ HTTP\/1\.1" 200 615 "-" "kube-probe\/1\.34" "-"$/);
  });

  it('agnhost netexec and serve-hostname answer on their ports', async () => {
    const t = newTestRuntime();
    const a = await runPod(t, 'net', 'registry.k8s.io/e2e-test-images/agnhost:2.53', { args: ['netexec', '--http-port=8080'] });
    const b = await runPod(t, 'host', 'registry.k8s.io/e2e-test-images/agnhost:2.53', { args: ['serve-hostname'] });
    const ipA = (await t.run(t.rt.podSandboxStatus(a.sandboxId))).network!.ip;
    const ipB = (await t.run(t.rt.podSandboxStatus(b.sandboxId))).network!.ip;
    expect((await t.run(t.rt.httpGet(ipA, 8080, '/hostname', {}, 1000))).body).toBe('net');
    expect((await t.run(t.rt.httpGet(ipA, 8080, '/echo?msg=hi', {}, 1000))).body).toBe('hi');
    expect((await t.run(t.rt.httpGet(ipA, 8080, '/healthz', {}, 1000))).statusCode).toBe(200);
    expect((await t.run(t.rt.httpGet(ipB, 9376, '/', {}, 1000))).body).toBe('host');
    expect(logLines(t, a.containerId)).toEqual(['Started HTTP server on port 8080', 'Started UDP server on port 8081']);
  });

  it('two hostNetwork pods cannot both bind port 80', async () => {
    const t = newTestRuntime();
    await runPod(t, 'a', 'nginx', {}, { linux: { hostNetwork: true } });
    const b = await runPod(t, 'b', 'nginx', {}, { linux: { hostNetwork: true } });
    await t.advance(10);
    expect(await statusOf(t, b.containerId)).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(logLines(t, b.containerId)).toContain('nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)');
  });

  it('hpa-example turns offered load into CPU, capped by the CPU limit', async () => {
    const t = newTestRuntime();
    const { sandboxId, containerId } = await runPod(t, 'php-apache', 'registry.k8s.io/hpa-example', { linux: { resources: { cpuLimitMilli: 500 } } });
    const ip = (await t.run(t.rt.podSandboxStatus(sandboxId))).network!.ip;
    t.rt.setOfferedLoad(ip, 40); // 40 rps x 5m = 200m (+1m idle)
    const [a] = await t.run(t.rt.listContainerStats({ id: containerId }));
    await t.advance(10_000);
    const [b] = await t.run(t.rt.listContainerStats({ id: containerId }));
    expect((b.cpu.usageCoreNanoSeconds - a.cpu.usageCoreNanoSeconds) / 10e9).toBeCloseTo(0.201, 6);
    t.rt.setOfferedLoad(ip, 1000);
    await t.advance(10_000);
    const [c] = await t.run(t.rt.listContainerStats({ id: containerId }));
    expect((c.cpu.usageCoreNanoSeconds - b.cpu.usageCoreNanoSeconds) / 10e9).toBeCloseTo(0.5, 6);
    expect((await t.run(t.rt.httpGet(ip, 80, '/', {}, 1000))).body).toBe('OK!');
  });
});

describe('images', () => {
  it('pulls in proportion to size (200 ms resolve + size / 25 MB/s) and once only', async () => {
    const t = newTestRuntime();
    const start = t.clock.now();
    const [a, b] = await t.run(Promise.all([t.rt.pullImage('nginx:1.27'), t.rt.pullImage('docker.io/library/nginx:1.27')]));
    expect(a).toBe(b);
    expect(t.clock.now() - start).toBe(200 + Math.ceil(72_195_292 / 25_000));
    expect(t.trace.ofType('cri.pullStart')).toHaveLength(1);
    const again = t.clock.now();
    await t.run(t.rt.pullImage('nginx:1.27'));
    expect(t.clock.now() - again).toBe(200);
    expect((await t.run(t.rt.imageStatus('nginx:1.27')))?.repoTags).toContain('docker.io/library/nginx:1.27');
  });

  it.each([
    ['ngnix', 'NotFound', 'failed to pull and unpack image "docker.io/library/ngnix:latest": failed to resolve reference "docker.io/library/ngnix:latest": docker.io/library/ngnix:latest: not found'],
    ['nginx:1.99', 'NotFound', 'failed to pull and unpack image "docker.io/library/nginx:1.99": failed to resolve reference "docker.io/library/nginx:1.99": docker.io/library/nginx:1.99: not found'],
    [
      'kubelab/private-app:1.0',
      'Unknown',
      'failed to pull and unpack image "docker.io/kubelab/private-app:1.0": failed to resolve reference "docker.io/kubelab/private-app:1.0": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
    ],
  ])('pulling %s fails: %s', async (image, code, desc) => {
    const t = newTestRuntime();
    await expect(t.run(t.rt.pullImage(image))).rejects.toMatchObject({ code, desc });
    expect(t.trace.ofType('cri.pullEnd')[0]).toMatchObject({ error: desc });
  });

  it('createContainer needs the image present', async () => {
    const t = newTestRuntime();
    const pod = sandboxConfig('p');
    const sid = await t.run(t.rt.runPodSandbox(pod));
    await expect(t.run(t.rt.createContainer(sid, containerConfig(pod, 'c', 'nginx'), pod))).rejects.toMatchObject({ code: 'NotFound', desc: 'failed to resolve image "nginx": not found' });
  });

  it('ContainerStatus names the image by its repo tag and its digest, as containerd does (container_status.go)', async () => {
    const t = newTestRuntime();
    const { containerId, ref } = await runPod(t, 'web', 'nginx:1.27');
    const st = await statusOf(t, containerId);
    expect(st.image.image).toBe('docker.io/library/nginx:1.27');
    expect(st.imageRef).toMatch(/^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
    expect(st.imageId).toBe(ref);
    expect((await t.run(t.rt.listContainers()))[0].imageRef).toBe(ref);
  });

  it('an image is known by the tags pulled, its id and its digest', async () => {
    const t = newTestRuntime();
    const id = await t.run(t.rt.pullImage('nginx:1.27'));
    expect(await t.run(t.rt.imageStatus('nginx:latest'))).toBeUndefined();
    expect((await t.run(t.rt.imageStatus(id)))?.repoTags).toEqual(['docker.io/library/nginx:1.27']);
    await t.run(t.rt.pullImage('nginx'));
    expect((await t.run(t.rt.imageStatus(id)))?.repoTags).toEqual(['docker.io/library/nginx:1.27', 'docker.io/library/nginx:latest']);
    await t.run(t.rt.removeImage('nginx:1.27'));
    expect(await t.run(t.rt.listImages())).toHaveLength(1); // the pause image
  });

  it('keeps the virtual clock start as the log epoch', () => {
    expect(new Date(TEST_EPOCH_MS).toISOString()).toBe('2026-12-05T07:45:00.000Z');
  });
});
