/**
 * The machine commands of a node's shell over a simulated `Host` (src/sim/host): files (`ls`,
 * `cat`, `cd`, `pwd`), facts (`hostname`, `nproc`, `uname`, `free`), systemd (`systemctl`), the
 * kernel (`swapoff`, `swapon`, `sysctl`, `modprobe`, `ss`). Registered the way
 * `registerNodeCommands` registers crictl and journalctl, on the same node shell; the accessor may
 * be a getter for the host of the moment.
 */
import type { Host } from '../../../sim/host/host';
import type { Shell, ShellIO } from '../registry';
import { runCat, runCd, runFree, runLs, runUname, type ShellPlace } from './coreutils';
import { runModprobe, runSs, runSwap, runSysctl } from './kernel';
import { runSystemctl } from './systemctl';

type Accessor = Host | (() => Host | undefined);

/** Every name registered, for a lead checking collisions with other node commands. */
export const HOST_COMMANDS = ['ls', 'cat', 'cd', 'pwd', 'hostname', 'nproc', 'uname', 'free', 'systemctl', 'swapoff', 'swapon', 'sysctl', 'modprobe', 'ss'] as const;

export function registerHostCommands(shell: Shell, accessor: Accessor): Shell {
  const place: ShellPlace = { cwd: '/root' };
  const withHost = (run: (host: Host, args: string[], io: ShellIO) => number) => (args: string[], ctx: { io: ShellIO }) => {
    const host = typeof accessor === 'function' ? accessor() : accessor;
    if (!host) {
      ctx.io.error('this node has no machine model');
      return 1;
    }
    return run(host, args, ctx.io);
  };
  const paths = (host: Host | undefined, partial: string) => {
    if (!host) return [];
    const slash = partial.lastIndexOf('/');
    const dir = slash < 0 ? place.cwd : slash === 0 ? '/' : partial.slice(0, slash);
    try {
      const prefix = slash < 0 ? '' : partial.slice(0, slash + 1);
      return host.fs.readDir(dir.startsWith('/') ? dir : `${place.cwd}/${dir}`).map((n) => prefix + n + (host.fs.isDir(`${dir.startsWith('/') ? dir : `${place.cwd}/${dir}`}/${n}`) ? '/' : ''));
    } catch {
      return [];
    }
  };
  const current = () => (typeof accessor === 'function' ? accessor() : accessor);
  shell.register('ls', { summary: 'list a directory of the node (ls [-l] [-a] [-d] [PATH...])', usage: 'ls [-l] [-a] [-d] [PATH...]', run: withHost((h, a, io) => runLs(h, place, a, io)), complete: (_a, p) => paths(current(), p) });
  shell.register('cat', { summary: 'print a file of the node', usage: 'cat FILE...', run: withHost((h, a, io) => runCat(h, place, a, io)), complete: (_a, p) => paths(current(), p) });
  shell.register('cd', { summary: 'change the working directory', usage: 'cd [DIR]', run: withHost((h, a, io) => runCd(h, place, a, io)), complete: (_a, p) => paths(current(), p) });
  shell.register('pwd', { summary: 'print the working directory', run: withHost((_h, _a, io) => (io.print(place.cwd), 0)) });
  shell.register('hostname', { summary: "the node's hostname", run: withHost((h, _a, io) => (io.print(h.name), 0)) });
  shell.register('nproc', { summary: 'the number of CPUs', run: withHost((h, _a, io) => (io.print(String(h.state.cpus)), 0)) });
  shell.register('uname', { summary: 'the kernel (uname -r, uname -a)', usage: 'uname [-r|-a|-n]', run: withHost((h, a, io) => runUname(h, a, io)) });
  shell.register('free', { summary: 'memory and swap (free -m)', usage: 'free [-m|-g|-h]', run: withHost((h, a, io) => runFree(h, a, io)) });
  shell.register('systemctl', {
    summary: 'systemd units: status, start, stop, restart, enable, disable, is-active, is-enabled',
    usage: 'systemctl status|start|stop|restart|enable [--now]|disable|is-active|is-enabled UNIT...',
    run: withHost((h, a, io) => runSystemctl(h, a, io)),
    complete: (args) => {
      const h = current();
      if (args.length === 0) return ['daemon-reload', 'disable', 'enable', 'is-active', 'is-enabled', 'list-units', 'restart', 'start', 'status', 'stop'];
      return h ? Object.keys(h.systemd.units).map((u) => u.replace(/\.service$/, '')) : [];
    },
  });
  shell.register('swapoff', { summary: 'turn swap off (swapoff -a)', usage: 'swapoff -a | swapoff DEVICE', run: withHost((h, a, io) => runSwap(h, 'swapoff', a, io)) });
  shell.register('swapon', { summary: 'turn swap on (swapon -a) or list it (swapon --show)', usage: 'swapon -a | swapon --show', run: withHost((h, a, io) => runSwap(h, 'swapon', a, io)) });
  shell.register('sysctl', { summary: 'kernel parameters (sysctl net.ipv4.ip_forward, sysctl -w key=value)', usage: 'sysctl [-w] KEY[=VALUE]...', run: withHost((h, a, io) => runSysctl(h, a, io)) });
  shell.register('modprobe', { summary: 'load a kernel module (modprobe br_netfilter)', usage: 'modprobe MODULE', run: withHost((h, a, io) => runModprobe(h, a, io)) });
  shell.register('ss', { summary: 'listening TCP sockets and their processes (ss -ltnp)', usage: 'ss -ltnp', run: withHost((h, a, io) => runSs(h, a, io)) });
  return shell;
}

export { runLs, runCat, runCd, runFree, runUname, modeString, absolute, type ShellPlace } from './coreutils';
export { runSystemctl } from './systemctl';
export { runSwap, runSysctl, runModprobe, runSs } from './kernel';
