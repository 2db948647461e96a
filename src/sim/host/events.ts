/**
 * Trace events of a simulated Linux host: files written and removed, units changing state, swap,
 * listening ports and sysctls. Small and plain, for the machine view (what kubeadm wrote where)
 * and checks. /proc writes are not traced (they follow from the other events).
 */
import { defineEvents, type AnyEventOf } from '../core/events';

export type HostEventMap = {
  /** A file or directory was written, created or removed (`op`: write, mkdir, remove, symlink, chmod). */
  'host.file': { host: string; op: string; path: string };
  /** A systemd unit changed active state (`state`: `activating (auto-restart)`, `active (running)`, `inactive (dead)`, `failed (failed)`). */
  'host.unit': { host: string; unit: string; state: string; enabled: string };
  /** Swap was turned on or off (`swapoff -a`). */
  'host.swap': { host: string; on: boolean; totalMB: number };
  /** A process started or stopped listening on a TCP port. */
  'host.port': { host: string; port: number; process: string; op: 'listen' | 'close' };
  /** A kernel parameter was set (`sysctl -w`) or a module loaded (`modprobe`: key `module/<name>`). */
  'host.sysctl': { host: string; key: string; value: string };
};

export type HostTraceEvent = AnyEventOf<HostEventMap>;

const sd = (file: string, symbol: string) => ({ file, symbol });

export const hostEvents = defineEvents<HostEventMap>(
  'host',
  { name: 'systemd', tag: 'v252', blobUrl: 'https://github.com/systemd/systemd/blob/v252/' },
  {
    'host.file': { text: (e) => `${e.host}: ${e.op} ${e.path}` },
    'host.unit': { text: (e) => `${e.host}: ${e.unit} ${e.state} (${e.enabled})`, source: sd('src/core/service.c', 'service_set_state') },
    'host.swap': { text: (e) => `${e.host}: swap ${e.on ? `on (${e.totalMB} MB)` : 'off'}` },
    'host.port': { text: (e) => `${e.host}: ${e.process} ${e.op === 'listen' ? 'listens on' : 'closed'} :${e.port}` },
    'host.sysctl': { text: (e) => `${e.host}: ${e.key} = ${e.value}` },
  },
);
