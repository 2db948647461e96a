/**
 * The commands of a node's shell that read the node's own components: `crictl` (the container
 * runtime through the CRI) and `journalctl -u kubelet` (the kubelet's klog lines). The lead wires
 * an accessor per node (its runtime and kubelet journal); this module only prints what they hold.
 */
import type { FakeContainerRuntime } from '../../../sim/kubelet/cri/index';
import type { Shell } from '../registry';
import { runCrictl } from './crictl';
import { runJournalctl } from './journalctl';

export interface NodeAccessor {
  /** The node's hostname (journal lines). */
  name: string;
  /** Virtual time now (ms since the epoch): CREATED columns, `--since`. */
  now(): number;
  /** The node's container runtime (crictl); undefined: no runtime socket. */
  runtime?: FakeContainerRuntime;
  /** The kubelet's journal lines, klog header included, oldest first. */
  journal?(): readonly string[];
  /** Lets virtual time run while `journalctl -f` and `crictl logs -f` follow (as KubectlOptions.passTime). */
  passTime?: (done: () => boolean, maxMs: number) => Promise<void>;
}

/** Registers `crictl` and `journalctl` on a node's shell; `accessor` may be a getter for the node of the moment. */
export function registerNodeCommands(shell: Shell, accessor: NodeAccessor | (() => NodeAccessor | undefined)): Shell {
  const node = () => (typeof accessor === 'function' ? accessor() : accessor);
  shell.register('crictl', {
    summary: 'the node\'s containers, pods and images through the CRI (crictl v1.34: ps, pods, images, inspect, inspectp, logs)',
    usage: 'crictl ps [-a] | pods | images | inspect ID... | inspectp ID... | logs [-f] [--tail N] [-p] ID',
    run: (args, { io, signal }) => {
      const n = node();
      return runCrictl(n?.runtime ? { runtime: n.runtime, now: () => n.now(), passTime: n.passTime } : undefined, args, io, signal);
    },
    complete: (args) => (args.length === 0 ? ['images', 'inspect', 'inspectp', 'logs', 'pods', 'ps'] : []),
  });
  shell.register('journalctl', {
    summary: 'the kubelet\'s log on this node (journalctl -u kubelet [-n N] [-f] [--since TIME])',
    usage: 'journalctl -u kubelet [-n N] [-f] [--since TIME] [--until TIME] [-r] [-o short|cat]',
    run: (args, { io, signal }) => {
      const n = node();
      const journal = n?.journal;
      return runJournalctl(n && journal ? { name: n.name, now: () => n.now(), journal: () => journal.call(n), passTime: n.passTime } : undefined, args, io, signal);
    },
    complete: (args) => (args[args.length - 1] === '-u' || args[args.length - 1] === '--unit' ? ['kubelet', 'containerd'] : []),
  });
  return shell;
}

export { runCrictl, type CrictlNode } from './crictl';
export { runJournalctl, parseTimestamp, shortLine, type JournalNode } from './journalctl';
