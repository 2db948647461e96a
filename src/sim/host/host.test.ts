// The simulated Linux host: Go-shaped file-system errors, the fresh Debian node's files, systemd's
// crash loop of an unconfigured kubelet and `systemctl status` in systemd v252's layout, swap,
// ports and sysctls.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock';
import { TraceRecorder } from '../core/trace';
import { HostFS, cleanPath, newHost, PathError } from './index';
import { hostInvariantViolations } from './invariants';

const T0 = Date.UTC(2026, 11, 5, 10, 0, 0); // allow-nondeterminism: a fixed instant
const host = (opts: Partial<Parameters<typeof newHost>[0]> = {}) => newHost({ name: 'node-1', clock: new FakeClock(T0), ...opts });

describe('HostFS (after Go os)', () => {
  const errorCases: Array<{ name: string; run: (fs: HostFS) => unknown; message: string }> = [
    { name: 'ReadFile of a missing file', run: (fs) => fs.readFile('/etc/x'), message: 'open /etc/x: no such file or directory' },
    { name: 'ReadFile of a directory', run: (fs) => fs.readFile('/etc'), message: 'read /etc: is a directory' },
    { name: 'WriteFile under a missing directory', run: (fs) => fs.writeFile('/nope/x', ''), message: 'open /nope/x: no such file or directory' },
    { name: 'WriteFile under a file', run: (fs) => fs.writeFile('/etc/hostname/x', ''), message: 'open /etc/hostname/x: not a directory' },
    { name: 'Mkdir of an existing path', run: (fs) => fs.mkdir('/etc'), message: 'mkdir /etc: file exists' },
    { name: 'MkdirAll through a file', run: (fs) => fs.mkdirAll('/etc/hostname/a/b'), message: 'mkdir /etc/hostname: not a directory' },
    { name: 'Remove of a non-empty directory', run: (fs) => fs.remove('/etc'), message: 'remove /etc: directory not empty' },
    { name: 'Stat of a missing path', run: (fs) => fs.stat('/var/lib/etcd'), message: 'stat /var/lib/etcd: no such file or directory' },
    { name: 'Symlink over an existing path', run: (fs) => fs.symlink('/run', '/etc'), message: 'symlink /run /etc: file exists' },
  ];
  it.each(errorCases)('$name fails as Go words it', ({ run, message }) => {
    const h = host();
    expect(() => run(h.fs)).toThrow(message);
  });

  it('MkdirAll, WriteFile, ReadDir (sorted), Remove, RemoveAll', () => {
    const { fs } = host();
    fs.mkdirAll('/etc/kubernetes/pki/etcd');
    fs.mkdirAll('/etc/kubernetes/pki/etcd'); // exists: no error
    fs.writeFile('/etc/kubernetes/pki/ca.crt', 'CERT');
    fs.writeFile('/etc/kubernetes/admin.conf', 'x', 0o600);
    expect(fs.readDir('/etc/kubernetes')).toEqual(['admin.conf', 'manifests', 'pki']);
    expect(fs.stat('/etc/kubernetes/admin.conf')).toMatchObject({ mode: 0o600, size: 1, isDir: false });
    fs.removeAll('/etc/kubernetes/pki');
    fs.removeAll('/etc/kubernetes/pki'); // missing: no error
    expect(fs.readDir('/etc/kubernetes')).toEqual(['admin.conf', 'manifests']);
    fs.remove('/etc/kubernetes/admin.conf');
    expect(fs.exists('/etc/kubernetes/admin.conf')).toBe(false);
  });

  it('writeFileAll and the FileWriter kubeadm\'s certs write through: directories made, modes set, missing reads undefined', () => {
    const h = host();
    const w = h.fileWriter();
    w.writeFile('/etc/kubernetes/pki/etcd/ca.key', 'KEY', 0o600);
    w.writeFile('/etc/kubernetes/pki/etcd/ca.crt', 'CERT', 0o644);
    expect(h.fs.readDir('/etc/kubernetes/pki/etcd')).toEqual(['ca.crt', 'ca.key']);
    expect(h.fs.stat('/etc/kubernetes/pki/etcd/ca.key').mode).toBe(0o600);
    expect(h.fs.stat('/etc/kubernetes/pki').mode).toBe(0o755);
    expect(w.readFile('/etc/kubernetes/pki/etcd/ca.crt')).toBe('CERT');
    expect(w.readFile('/etc/kubernetes/pki/ca.crt')).toBeUndefined();
  });

  it('follows symlinks: /var/run is /run, /lib is usr/lib (relative), and loops end in ELOOP', () => {
    const h = host();
    expect(h.fs.stat('/var/run/containerd/containerd.sock').type).toBe('socket');
    expect(h.fs.lstat('/var/run').type).toBe('symlink');
    expect(h.fs.readlink('/lib')).toBe('usr/lib');
    expect(h.fs.readFile('/lib/systemd/system/kubelet.service')).toContain('RestartSec=10');
    h.fs.symlink('/a', '/b');
    h.fs.symlink('/b', '/a');
    expect(() => h.fs.readFile('/a')).toThrow('open /a: too many levels of symbolic links');
  });

  it('cleanPath collapses . and .. and is idempotent (property)', () => {
    expect(cleanPath('/etc/../var//lib/./kubelet/')).toBe('/var/lib/kubelet');
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', '.', '..', ''), { maxLength: 8 }), (parts) => {
        const once = cleanPath('/' + parts.join('/'));
        return cleanPath(once) === once && once.startsWith('/') && !once.includes('//');
      }),
      { numRuns: 200 },
    );
  });

  it('a written file reads back, whatever the path (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z0-9._-]{1,6}$/).filter((s) => s !== '.' && s !== '..'), { minLength: 1, maxLength: 4 }), fc.string(), (parts, text) => {
        const fs = new HostFS({ now: () => 0 });
        const p = '/' + parts.join('/');
        fs.mkdirAll(p.slice(0, p.lastIndexOf('/')) || '/');
        fs.writeFile(p, text);
        return fs.readFile(p) === text && fs.readDir(p.slice(0, p.lastIndexOf('/')) || '/').includes(parts[parts.length - 1]);
      }),
      { numRuns: 150 },
    );
  });
});

describe('a fresh Debian node', () => {
  it('has the packages\' files, an empty manifests directory and Debian\'s defaults', () => {
    const h = host();
    expect(h.fs.readDir('/etc/kubernetes/manifests')).toEqual([]);
    expect(h.fs.readDir('/var/lib/kubelet')).toEqual([]);
    expect(h.fs.readFile('/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf')).toContain('--config=/var/lib/kubelet/config.yaml');
    expect(h.fs.readFile('/etc/containerd/config.toml')).toContain('sandbox_image = "registry.k8s.io/pause:3.8"');
    expect(h.fs.readFile('/proc/sys/net/ipv4/ip_forward')).toBe('0\n');
    expect(h.sysctl('net.bridge.bridge-nf-call-iptables')).toBeUndefined();
    expect(h.fs.readFile('/proc/swaps')).toBe('Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n');
    expect(h.lookPath('kubelet')).toBe('/usr/bin/kubelet');
    expect(h.lookPath('iptables')).toBe('/usr/sbin/iptables');
    expect(h.versionOutput('kubelet')).toBe('Kubernetes v1.34.0\n');
    expect(h.lookupHost('node-1')).toEqual(['127.0.1.1']);
    expect(host({ hostnameResolvable: false }).lookupHost('node-1')).toEqual([]);
    expect(host({ missingExecutables: ['socat'] }).lookPath('socat')).toBeUndefined();
  });

  it('swapoff -a empties /proc/swaps; swapon -a brings the fstab area back', () => {
    const trace = new TraceRecorder();
    const h = host({ swap: true, trace });
    expect(h.fs.readFile('/proc/swaps').split('\n')[1]).toBe('/dev/vda3                               partition\t1048572\t\t0\t\t-2');
    h.swapoff();
    expect(h.fs.readFile('/proc/swaps')).toBe('Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n');
    expect(h.swapTotalMB()).toBe(0);
    h.swapon();
    expect(h.swapTotalMB()).toBe(1023);
    expect(trace.events.filter((e) => e.type === 'host.swap').map((e) => e.on)).toEqual([false, true]);
  });

  it('sysctl -w, modprobe br_netfilter, and ports in use', () => {
    const h = host({ listening: { 6443: 'haproxy' } });
    expect(() => h.setSysctl('net.bridge.bridge-nf-call-iptables', '1')).toThrow('open /proc/sys/net/bridge/bridge-nf-call-iptables: no such file or directory');
    h.modprobe('br_netfilter');
    expect(h.sysctl('net.bridge.bridge-nf-call-iptables')).toBe('1');
    h.setSysctl('net.ipv4.ip_forward', '1');
    expect(h.fs.readFile('/proc/sys/net/ipv4/ip_forward')).toBe('1\n');
    expect(() => h.listen(6443, 'kube-apiserver')).toThrow('listen tcp :6443: bind: address already in use');
    h.close(6443);
    expect(h.listen(6443, 'kube-apiserver').process).toBe('kube-apiserver');
  });
});

describe('systemd', () => {
  it('the kubelet crash-loops every 10 s until /var/lib/kubelet/config.yaml exists', () => {
    const h = host();
    const kubelet = h.systemd.get('kubelet')!;
    expect(kubelet).toMatchObject({ enabled: 'enabled', activeState: 'activating', subState: 'auto-restart', result: 'exit-code' });
    expect(h.listener(10250)).toBeUndefined();
    h.clock.step(25_000);
    expect(kubelet.restarts).toBe(2);
    expect(h.systemd.entries('kubelet').map((e) => e.message).filter((m) => m.includes('restart counter'))).toEqual([
      'kubelet.service: Scheduled restart job, restart counter is at 1.',
      'kubelet.service: Scheduled restart job, restart counter is at 2.',
    ]);
    h.fs.writeFile('/var/lib/kubelet/config.yaml', 'kind: KubeletConfiguration\n');
    h.clock.step(10_000);
    expect(kubelet).toMatchObject({ activeState: 'active', subState: 'running' });
    expect(h.listener(10250)?.process).toBe('kubelet');
    expect(h.clock.hasWaiters()).toBe(false);
  });

  it('processLog: the kubelet\'s own klog lines, one per failed attempt', () => {
    const h = host();
    h.clock.step(20_000);
    const log = h.processLog('kubelet');
    expect(log).toHaveLength(3);
    expect(log[2]).toMatch(/^E1205 10:00:20\.000000 +\d+ run\.go:72\] "command failed" err="failed to load kubelet config file/);
  });

  it('systemctl status of the crash-looping kubelet, in systemd v252\'s layout', () => {
    const h = host();
    h.clock.step(13_000); // the second attempt failed at +10 s
    const lines = h.systemd.status('kubelet').split('\n');
    const pid = h.systemd.get('kubelet')!.lastExit!.pid;
    expect(lines.slice(0, 9)).toEqual([
      '● kubelet.service - kubelet: The Kubernetes Node Agent',
      '     Loaded: loaded (/lib/systemd/system/kubelet.service; enabled; preset: enabled)',
      '    Drop-In: /usr/lib/systemd/system/kubelet.service.d',
      '             └─10-kubeadm.conf',
      '     Active: activating (auto-restart) (Result: exit-code) since Sat 2026-12-05 10:00:10 UTC; 3s ago',
      '       Docs: https://kubernetes.io/docs/',
      `    Process: ${pid} ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS (code=exited, status=1/FAILURE)`,
      `   Main PID: ${pid} (code=exited, status=1/FAILURE)`,
      '        CPU: 98ms',
    ]);
    expect(lines[9]).toBe('');
    expect(lines).toContain(`Dec 05 10:00:10 node-1 kubelet[${pid}]: E1205 10:00:10.000000 ${String(pid).padStart(7)} run.go:72] "command failed" err="failed to load kubelet config file, path: /var/lib/kubelet/config.yaml, error: failed to load Kubelet config file /var/lib/kubelet/config.yaml, error failed to read kubelet config file \\"/var/lib/kubelet/config.yaml\\", error: open /var/lib/kubelet/config.yaml: no such file or directory"`);
    expect(lines.at(-1)).toBe('Dec 05 10:00:10 node-1 systemd[1]: kubelet.service: Failed with result \'exit-code\'.');
  });

  it('containerd runs with its socket; stop removes the socket, start brings it back', () => {
    const h = host();
    h.clock.step(65_000);
    const status = h.systemd.status('containerd').split('\n');
    expect(status[0]).toBe('● containerd.service - containerd container runtime');
    expect(status[2]).toBe('     Active: active (running) since Sat 2026-12-05 10:00:00 UTC; 1min 5s ago');
    expect(status).toContain('     CGroup: /system.slice/containerd.service');
    h.systemd.stop('containerd');
    expect(h.fs.exists('/run/containerd/containerd.sock')).toBe(false);
    expect(h.systemd.status('containerd').split('\n')[2]).toBe('     Active: inactive (dead) since Sat 2026-12-05 10:01:05 UTC; 0s ago');
    h.systemd.start('containerd');
    expect(h.fs.stat('/var/run/containerd/containerd.sock').type).toBe('socket');
  });

  it('stop ends the crash loop; an unknown unit is UnitNotFoundError; the same seed gives the same journal', () => {
    const h = host();
    h.systemd.stop('kubelet');
    expect(h.clock.hasWaiters()).toBe(false);
    expect(h.systemd.get('kubelet')).toMatchObject({ activeState: 'inactive', subState: 'dead' });
    expect(() => h.systemd.start('nope')).toThrow('Unit nope.service not found.');
    const run = () => {
      const x = host();
      x.clock.step(60_000);
      return JSON.stringify(x.state);
    };
    expect(run()).toBe(run());
  });

  it('is plain data: the state survives a JSON round trip', () => {
    const h = host({ swap: 2048, firewalld: 'active' });
    expect(JSON.parse(JSON.stringify(h.state))).toEqual(h.state);
    expect(h.state.units['firewalld.service'].activeState).toBe('active');
  });

  it('PathError keeps op, path and errno', () => {
    const err = (() => {
      try {
        host().fs.readFile('/x');
      } catch (e) {
        return e;
      }
    })() as PathError;
    expect(err).toBeInstanceOf(PathError);
    expect([err.op, err.path, err.errno]).toEqual(['open', '/x', 'ENOENT']);
  });
});

describe('invariants over random operator sessions (property)', () => {
  type Op =
    | { op: 'unit'; verb: 'start' | 'stop' | 'restart' | 'enable' | 'disable'; unit: 'kubelet' | 'containerd' }
    | { op: 'step'; ms: number }
    | { op: 'swap'; on: boolean }
    | { op: 'config'; present: boolean };
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ op: fc.constant('unit' as const), verb: fc.constantFrom('start' as const, 'stop' as const, 'restart' as const, 'enable' as const, 'disable' as const), unit: fc.constantFrom('kubelet' as const, 'containerd' as const) }),
    fc.record({ op: fc.constant('step' as const), ms: fc.integer({ min: 0, max: 30_000 }) }),
    fc.record({ op: fc.constant('swap' as const), on: fc.boolean() }),
    fc.record({ op: fc.constant('config' as const), present: fc.boolean() }),
  );
  const apply = (h: ReturnType<typeof host>, o: Op) => {
    if (o.op === 'unit') h.systemd[o.verb](o.unit);
    else if (o.op === 'step') h.clock.step(o.ms);
    else if (o.op === 'swap') (o.on ? h.swapon() : h.swapoff());
    else if (o.present) h.fs.writeFile('/var/lib/kubelet/config.yaml', '');
    else h.fs.removeAll('/var/lib/kubelet/config.yaml');
  };

  it('hold after every step; a restart timer is pending exactly while a unit waits to restart; the same ops give the same state', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 25 }), (ops) => {
        const h = host({ swap: true });
        for (const o of ops) {
          apply(h, o);
          const v = hostInvariantViolations(h);
          if (v.length) throw new Error(`${JSON.stringify(o)}: ${v.join('; ')}`);
          const waiting = Object.values(h.systemd.units).some((u) => u.subState === 'auto-restart');
          if (waiting !== h.clock.hasWaiters()) throw new Error(`timer pending=${h.clock.hasWaiters()} while waiting=${waiting}`);
        }
        const again = host({ swap: true });
        for (const o of ops) apply(again, o);
        return JSON.stringify(again.state) === JSON.stringify(h.state);
      }),
      { numRuns: 200 },
    );
  });
});
