/**
 * The kernel-facing commands a kubeadm install runs: `swapoff -a` / `swapon -a`, `sysctl
 * [-w] key[=value]`, `modprobe module`, `ss -ltnp`. Messages after util-linux 2.38, procps-ng 4
 * and iproute2 6.1 (Debian 12).
 */
import type { Host } from '../../../sim/host/host';
import type { ShellIO } from '../registry';

/** `swapoff -a` / `swapoff DEVICE`; `swapon -a` / `swapon --show`. */
// Upstream: util-linux sys-utils/swapoff.c, swapon.c
export function runSwap(host: Host, which: 'swapoff' | 'swapon', argv: string[], io: ShellIO): number {
  const swap = host.state.swap;
  if (which === 'swapon' && (argv.includes('--show') || argv.length === 0)) {
    if (swap?.active) io.print(`NAME      TYPE      SIZE USED PRIO\n${swap.device.padEnd(9)} partition ${(swap.sizeMB / 1024).toFixed(0)}G   0B   -2`);
    return 0;
  }
  if (argv.includes('-a') || argv.includes('--all')) {
    if (which === 'swapoff') host.swapoff();
    else host.swapon();
    return 0;
  }
  const device = argv.find((a) => !a.startsWith('-'));
  if (!device) {
    io.error(`${which}: bad usage\nTry '${which} --help' for more information.`);
    return 1;
  }
  if (!swap || device !== swap.device) {
    io.error(`${which}: cannot open ${device}: No such file or directory`);
    return 1;
  }
  if (which === 'swapoff') host.swapoff();
  else host.swapon();
  return 0;
}

/** `sysctl key...`, `sysctl -w key=value...`, `sysctl key=value` (-w implied by '=' in procps 4). */
// Upstream: procps-ng src/sysctl.c (ReadSetting, WriteSetting)
export function runSysctl(host: Host, argv: string[], io: ShellIO): number {
  const quiet = argv.includes('-q');
  const keys = argv.filter((a) => !a.startsWith('-'));
  if (keys.length === 0) {
    io.error('sysctl: no variables specified\nTry `sysctl -h\' for more information.');
    return 255;
  }
  let status = 0;
  for (const k of keys) {
    const eq = k.indexOf('=');
    const key = (eq < 0 ? k : k.slice(0, eq)).trim().replace(/\//g, '.');
    if (eq >= 0) {
      const value = k.slice(eq + 1).trim();
      try {
        host.setSysctl(key, value);
        if (!quiet) io.print(`${key} = ${value}`);
      } catch {
        io.error(`sysctl: cannot stat /proc/sys/${key.replace(/\./g, '/')}: No such file or directory`);
        status = 255;
      }
      continue;
    }
    const value = host.sysctl(key);
    if (value === undefined) {
      io.error(`sysctl: cannot stat /proc/sys/${key.replace(/\./g, '/')}: No such file or directory`);
      status = 255;
    } else io.print(argv.includes('-n') ? value : `${key} = ${value}`);
  }
  return status;
}

const KNOWN_MODULES = new Set(['br_netfilter', 'overlay', 'ip_vs', 'ip_vs_rr', 'ip_vs_wrr', 'ip_vs_sh', 'nf_conntrack', 'ip_tables', 'iptable_nat', 'vxlan']);

/** `modprobe MODULE` */
// Upstream: kmod tools/modprobe.c
export function runModprobe(host: Host, argv: string[], io: ShellIO): number {
  const mod = argv.find((a) => !a.startsWith('-'));
  if (!mod) {
    io.error('modprobe: ERROR: missing parameters. See -h.');
    return 1;
  }
  if (!KNOWN_MODULES.has(mod)) {
    io.error(`modprobe: FATAL: Module ${mod} not found in directory /lib/modules/${host.state.kernel}`);
    return 1;
  }
  host.modprobe(mod);
  return 0;
}

/** `ss -ltnp` (the listening TCP sockets with their processes); other flags print the same. */
// Upstream: iproute2 misc/ss.c (the -l -t -n -p columns)
export function runSs(host: Host, _argv: string[], io: ShellIO): number {
  const rows = host.listeners().map((l) => {
    const local = `${l.address}:${l.port}`;
    const peer = l.address.includes(':') ? '[::]:*' : l.address === '*' ? '*:*' : '0.0.0.0:*';
    return { local, peer, proc: `users:(("${l.process}",pid=${l.pid},fd=3))` };
  });
  const wl = Math.max(20, ...rows.map((r) => r.local.length));
  const wp = Math.max(17, ...rows.map((r) => r.peer.length));
  const lines = [`State  Recv-Q Send-Q ${'Local Address:Port'.padStart(wl)} ${'Peer Address:Port'.padStart(wp)}Process`];
  for (const r of rows) lines.push(`LISTEN 0      4096   ${r.local.padStart(wl)} ${r.peer.padStart(wp)}${' '.repeat(4)}${r.proc}`);
  io.print(lines.join('\n'));
  return 0;
}
