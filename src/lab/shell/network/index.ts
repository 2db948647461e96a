/**
 * The terminal's way into the lab's cluster network: `ssh <node> [command]` (a node's tools) and
 * `kubectl exec <pod> -- <command>` (a pod's), both answered by src/sim/network/commands.ts.
 */
import type { Pod } from '../../../sim/api/core/v1';
import type { TraceEvent } from '../../../sim/index';
import { nodeCommand, podCommand, type ClusterNetwork, type NetCommandResult } from '../../../sim/network/index';
import type { PodExec } from '../kubectl/cmd/exec';
import { Shell, type ShellIO } from '../registry';
import { registerSsh } from '../ssh';

const NODE_COMMANDS: Record<string, string> = {
  'iptables-save': 'dump the node\'s iptables rules (-t nat|filter)',
  ip: 'show addresses, routes, neighbours (ip addr | ip route [get IP] | ip neigh)',
  bridge: 'show the bridge forwarding database (bridge fdb show)',
  conntrack: 'list the connection tracking table (conntrack -L)',
  ipvsadm: 'list IPVS virtual and real servers (ipvsadm -Ln), in IPVS mode',
  curl: 'send an HTTP request from the node (curl [-v] [-m N] URL)',
  cat: 'print a file (/run/flannel/subnet.env, /etc/cni/net.d/10-flannel.conflist, ...)',
  ls: 'list a directory (/var/lib/cni/networks/cbr0)',
  hostname: 'print the node name',
};

const POD_COMMANDS: Record<string, string> = {
  cat: 'print a file (/etc/resolv.conf, /etc/hosts, the service account token, ca.crt, namespace)',
  curl: 'send an HTTP request (curl [-v] [-k] [-m N] [--cacert F] [-H HEADER] URL): the answering pod prints its name',
  nslookup: 'look a name up (busybox nslookup)',
  dig: 'look a name up (dig [+short] NAME [TYPE])',
  ip: 'show addresses and routes in the pod (ip addr | ip route)',
  hostname: 'print the pod hostname',
  env: 'print the environment (the kubernetes Service variables)',
  printenv: 'print the environment, or one variable (printenv NAME)',
  ls: 'list a directory (/var/run/secrets/kubernetes.io/serviceaccount)',
};

type OnTrace = (events: readonly TraceEvent[]) => void;

/** Prints a command's result; after a command that walked a packet, hands the network's trace to `onTrace` (the packet view). */
function printer(network: ClusterNetwork, onTrace?: OnTrace) {
  return (io: ShellIO, r: NetCommandResult): number => {
    if (r.stdout) io.print(r.stdout.replace(/\n$/, ''));
    if (r.stderr) io.error(r.stderr.replace(/\n$/, ''));
    if (r.walk && onTrace && network.o.trace) onTrace(network.o.trace.events);
    return r.code;
  };
}

function commandShell(commands: Record<string, string>, print: ReturnType<typeof printer>, run: (argv: string[]) => Promise<NetCommandResult>): Shell {
  const sh = new Shell();
  for (const [name, summary] of Object.entries(commands)) sh.register(name, { summary, usage: name, run: async (args, { io }) => print(io, await run([name, ...args])) });
  sh.register('help', {
    summary: 'list the commands here',
    run: (_args, { io }) => {
      for (const [name, summary] of Object.entries(commands)) io.print(`  ${name.padEnd(14)}${summary}`);
    },
  });
  return sh;
}

/** `ssh <node>` for each of the network's nodes; `onTrace` hears the network's trace after a command that walked packets. */
export function registerNetworkCommands(shell: Shell, network: ClusterNetwork, onTrace?: OnTrace): void {
  const print = printer(network, onTrace);
  const shells = new Map<string, Shell>();
  registerSsh(shell, {
    names: () => [...network.nodeIPs.keys()],
    shell(node) {
      if (!network.nodeIPs.has(node)) return undefined;
      let sh = shells.get(node);
      if (!sh) {
        sh = commandShell(NODE_COMMANDS, print, (argv) => nodeCommand(network, node, argv));
        shells.set(node, sh);
      }
      return sh;
    },
  });
}

/** What `kubectl exec` runs in a pod of the network. */
export function podExecFor(network: ClusterNetwork, onTrace?: OnTrace): PodExec {
  const print = printer(network, onTrace);
  return {
    async run(target, argv, io) {
      const name = argv[0];
      if (!(name in POD_COMMANDS) && name !== 'sh') {
        // containerd's answer for a binary the image does not have.
        throw new Error(`Internal error occurred: error executing command in container: failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: "${name}": executable file not found in $PATH: unknown`);
      }
      return print(io, await podCommand(network, target.pod as unknown as Pod, argv));
    },
    shell(target) {
      const pod = target.pod as unknown as Pod;
      return { prompt: `${pod.metadata.name}:/# `, shell: commandShell(POD_COMMANDS, print, (argv) => podCommand(network, pod, argv)) };
    },
  };
}
