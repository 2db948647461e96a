/**
 * `ssh <node> [command...]`: a shell on one of the lab's nodes, as an operator reaches a kubeadm
 * node. With a command it runs that one command there (`ssh node-a iptables-save -t nat`);
 * without one it opens the node's shell until `exit`. What a node can run is the node model's
 * business (`NodeShells`); this file is only the door, with OpenSSH's words at it.
 */
import { quoteWord } from './parse';
import { ShellUsageError, type Shell } from './registry';

export interface NodeShells {
  /** The node's names, for completion. */
  names(): string[];
  /** The shell of a node, or undefined when there is no such node. */
  shell(node: string): Shell | undefined;
}

export function registerSsh(shell: Shell, nodes: NodeShells): void {
  shell.register('ssh', {
    summary: "open a shell on a node, or run one command there (ssh node-a ip route)",
    usage: 'ssh <node> [command [args...]]',
    async run(args, { io, signal }) {
      if (args.length === 0) throw new ShellUsageError('needs a node name');
      const [host, ...command] = args;
      const name = host.replace(/^[^@]*@/, '');
      const node = nodes.shell(name);
      if (!node) {
        // OpenSSH's resolver error and exit status.
        io.error(`ssh: Could not resolve hostname ${name}: Name or service not known`);
        return 255;
      }
      if (command.length > 0) return node.execute(command.map(quoteWord).join(' '), io, { signal });
      shell.enter({ prompt: `root@${name}:~# `, shell: node, farewell: `logout\nConnection to ${name} closed.` });
      return 0;
    },
    complete: (args) => (args.length === 0 ? nodes.names() : []),
  });
}
