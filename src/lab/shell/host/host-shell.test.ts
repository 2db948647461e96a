// The machine commands of a node's shell over a simulated host (src/sim/host): coreutils' ls and
// cat, procps' free and sysctl, util-linux's swapoff, systemd v252's systemctl, iproute2's ss.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../sim/core/clock';
import { newHost, type HostOptions } from '../../../sim/host/index';
import { createShell, stripAnsi, type ShellIO } from '../index';
import { registerNodeCommands } from '../node/index';
import { HOST_COMMANDS, modeString, registerHostCommands } from './index';

const T0 = Date.UTC(2026, 11, 5, 10, 0, 0); // allow-nondeterminism: a fixed instant

function node(opts: Partial<HostOptions> = {}) {
  const host = newHost({ name: 'node-1', clock: new FakeClock(T0), ...opts });
  const shell = createShell();
  registerHostCommands(shell, host);
  const run = async (line: string) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: ShellIO = { print: (s) => out.push(stripAnsi(s)), error: (s) => err.push(stripAnsi(s)), clear: () => {} };
    const code = await shell.execute(line, io);
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  return { host, run };
}

describe('files', () => {
  it('ls lists a directory in one line; -l is the long listing with total, links and sizes', async () => {
    const { host, run } = node();
    expect((await run('ls /etc/kubernetes')).out).toBe('manifests');
    expect((await run('ls /etc/kubernetes/manifests')).out).toBe('');
    host.fs.writeFile('/etc/kubernetes/admin.conf', 'x'.repeat(5650), 0o600);
    host.clock.step(60_000);
    host.fs.writeFile('/etc/kubernetes/kubelet.conf', 'y'.repeat(1990), 0o600);
    expect((await run('ls -l /etc/kubernetes')).out).toBe(
      ['total 16', '-rw------- 1 root root 5650 Dec  5 10:00 admin.conf', '-rw------- 1 root root 1990 Dec  5 10:01 kubelet.conf', 'drwxr-xr-x 2 root root 4096 Dec  5 10:00 manifests'].join('\n'),
    );
    expect((await run('ls -l /var/run')).out).toMatch(/^lrwxrwxrwx 1 root root 4 Dec {2}5 10:00 \/var\/run -> \/run$/);
    expect((await run('ls -l /run/containerd')).out).toMatch(/srw-rw---- 1 root root 0 Dec {2}5 10:00 containerd\.sock$/);
  });

  it('ls and cat fail in coreutils\' words', async () => {
    const { run } = node();
    expect(await run('ls /var/lib/etcd')).toEqual({ code: 2, out: '', err: "ls: cannot access '/var/lib/etcd': No such file or directory" });
    expect(await run('cat /etc/kubernetes/admin.conf')).toEqual({ code: 1, out: '', err: 'cat: /etc/kubernetes/admin.conf: No such file or directory' });
    expect((await run('cat /etc')).err).toBe('cat: /etc: Is a directory');
    expect((await run('ls -z')).err).toMatch(/^ls: invalid option -- 'z'/);
  });

  it('cat prints files; cd and relative paths', async () => {
    const { run } = node();
    expect((await run('cat /proc/sys/net/ipv4/ip_forward')).out).toBe('0');
    expect((await run('cat /etc/hostname /etc/resolv.conf')).out).toBe('node-1\nnameserver 10.0.0.2');
    expect((await run('cd /usr/lib/systemd/system')).code).toBe(0);
    expect((await run('pwd')).out).toBe('/usr/lib/systemd/system');
    expect((await run('ls kubelet.service.d')).out).toBe('10-kubeadm.conf');
    expect((await run('cat kubelet.service.d/10-kubeadm.conf')).out).toContain('ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS');
    expect((await run('cd /nope')).err).toBe('-bash: cd: /nope: No such file or directory');
  });

  it('modeString', () => {
    expect(modeString({ type: 'dir', mode: 0o1777 })).toBe('drwxrwxrwt');
    expect(modeString({ type: 'file', mode: 0o755 })).toBe('-rwxr-xr-x');
  });
});

describe('machine facts and the kernel', () => {
  it('hostname, nproc, uname -r, free -m', async () => {
    const { run } = node({ cpus: 1, memoryMB: 1963, swap: true });
    expect((await run('hostname')).out).toBe('node-1');
    expect((await run('nproc')).out).toBe('1');
    expect((await run('uname -r')).out).toBe('6.1.0-27-amd64');
    expect((await run('free -m')).out).toBe(
      ['               total        used        free      shared  buff/cache   available', 'Mem:            1963         236        1433           1         294        1727', 'Swap:           1023           0        1023'].join('\n'),
    );
  });

  it('swapoff -a turns swap off: free and /proc/swaps agree', async () => {
    const { run } = node({ swap: true });
    expect((await run('cat /proc/swaps')).out.split('\n')).toHaveLength(2);
    expect((await run('swapoff -a')).code).toBe(0);
    expect((await run('cat /proc/swaps')).out).toBe('Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority');
    expect((await run('free -m')).out.split('\n')[2]).toBe('Swap:              0           0           0');
    expect((await run('free -h')).out.split('\n').slice(1)).toEqual(['Mem:           3.8Gi       469Mi       2.8Gi         1Mi       587Mi       3.4Gi', 'Swap:             0B          0B          0B']);
    expect((await run('swapoff')).err).toBe("swapoff: bad usage\nTry 'swapoff --help' for more information.");
  });

  it('sysctl reads and writes; modprobe br_netfilter brings the bridge keys', async () => {
    const { run } = node();
    expect((await run('sysctl net.ipv4.ip_forward')).out).toBe('net.ipv4.ip_forward = 0');
    expect(await run('sysctl net.bridge.bridge-nf-call-iptables')).toEqual({ code: 255, out: '', err: 'sysctl: cannot stat /proc/sys/net/bridge/bridge-nf-call-iptables: No such file or directory' });
    expect((await run('sysctl -w net.ipv4.ip_forward=1')).out).toBe('net.ipv4.ip_forward = 1');
    expect((await run('cat /proc/sys/net/ipv4/ip_forward')).out).toBe('1');
    expect((await run('modprobe br_netfilter')).code).toBe(0);
    expect((await run('sysctl -n net.bridge.bridge-nf-call-iptables')).out).toBe('1');
    expect((await run('modprobe nope')).err).toBe('modprobe: FATAL: Module nope not found in directory /lib/modules/6.1.0-27-amd64');
  });

  it('ss -ltnp lists the listeners with their processes', async () => {
    const { run, host } = node({ listening: { 6443: 'haproxy' } });
    const lines = (await run('ss -ltnp')).out.split('\n');
    expect(lines[0]).toBe('State  Recv-Q Send-Q   Local Address:Port Peer Address:PortProcess');
    expect(lines.some((l) => /^LISTEN .* 0\.0\.0\.0:6443 .*users:\(\("haproxy",pid=\d+,fd=3\)\)$/.test(l))).toBe(true);
    expect(lines).toHaveLength(3);
    host.fs.writeFile('/var/lib/kubelet/config.yaml', '');
    host.clock.step(10_000);
    expect((await run('ss -ltnp')).out).toContain('"kubelet"');
  });
});

describe('systemctl', () => {
  it('status of the crash-looping kubelet exits 3; of containerd 0; of a missing unit 4', async () => {
    const { run } = node();
    const k = await run('systemctl status kubelet');
    expect(k.code).toBe(3);
    expect(k.out.split('\n')[0]).toBe('● kubelet.service - kubelet: The Kubernetes Node Agent');
    expect(k.out).toContain('     Active: activating (auto-restart) (Result: exit-code) since Sat 2026-12-05 10:00:00 UTC; 0s ago');
    expect((await run('systemctl status containerd')).code).toBe(0);
    expect(await run('systemctl status nope')).toEqual({ code: 4, out: '', err: 'Unit nope.service could not be found.' });
    expect((await run('systemctl is-active kubelet')).out).toBe('activating');
    expect((await run('systemctl is-enabled kubelet')).out).toBe('enabled');
  });

  it('stop, start, disable, enable --now; a missing unit fails with systemd\'s words', async () => {
    const { run, host } = node();
    expect((await run('systemctl stop kubelet')).code).toBe(0);
    expect(await run('systemctl is-active kubelet')).toEqual({ code: 3, out: 'inactive', err: '' });
    expect((await run('systemctl disable kubelet')).out).toBe('Removed "/etc/systemd/system/multi-user.target.wants/kubelet.service".');
    expect((await run('systemctl enable --now kubelet')).out).toBe('Created symlink /etc/systemd/system/multi-user.target.wants/kubelet.service → /lib/systemd/system/kubelet.service.');
    expect(host.fs.readlink('/etc/systemd/system/multi-user.target.wants/kubelet.service')).toBe('/lib/systemd/system/kubelet.service');
    expect(host.systemd.get('kubelet')!.activeState).toBe('activating');
    expect(await run('systemctl start nope')).toEqual({ code: 5, out: '', err: 'Failed to start nope.service: Unit nope.service not found.' });
    expect((await run('systemctl enable nope')).err).toBe('Failed to enable unit: Unit file nope.service does not exist.');
    host.fs.writeFile('/var/lib/kubelet/config.yaml', '');
    expect((await run('systemctl restart kubelet')).code).toBe(0);
    expect((await run('systemctl is-active kubelet')).out).toBe('active');
  });

  it('journalctl -u kubelet over the host\'s kubelet log shows the crash loop\'s reason', async () => {
    const host = newHost({ name: 'node-1', clock: new FakeClock(T0) });
    host.clock.step(20_000);
    const shell = createShell();
    registerNodeCommands(shell, { name: 'node-1', now: () => host.clock.now(), journal: () => host.processLog('kubelet') });
    registerHostCommands(shell, host);
    const out: string[] = [];
    await shell.execute('journalctl -u kubelet -n 1', { print: (t) => out.push(t), error: (t) => out.push(t), clear: () => {} });
    const pid = host.systemd.get('kubelet')!.lastExit!.pid;
    expect(out.join('\n')).toMatch(new RegExp(`^Dec 05 10:00:20 node-1 kubelet\\[${pid}\\]: E1205 10:00:20\\.000000 +${pid} run\\.go:72\\] "command failed"`));
  });

  it('registers beside crictl and journalctl on one node shell without a clash', () => {
    const shell = createShell();
    registerNodeCommands(shell, { name: 'node-1', now: () => T0 });
    registerHostCommands(shell, () => undefined);
    for (const c of HOST_COMMANDS) expect(shell.has(c)).toBe(true);
  });
});
