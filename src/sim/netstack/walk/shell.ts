import { formatBridgeFdb, formatIpAddr, formatIpNeigh, formatIpRoute } from '../link/format';
import { formatIptablesSave } from '../netfilter/save';
import type { TableName } from '../netfilter/types';
import { isIPv4 } from '../ip';
import type { NetNS } from '../link/netns';
import type { Cluster } from './cluster';

export interface CommandResult {
  stdout: string;
  stderr: string;
  code: number;
}

/**
 * The read-only commands a learner runs on a node (or, with `pod/<ns>/<name>`, inside a pod's
 * netns): iptables-save [-t table], ip addr|route|neigh, bridge fdb show, conntrack -L,
 * cat /run/flannel/subnet.env. Unknown things fail with the tool's own message and exit code.
 */
export function runNetCommand(cluster: Cluster, target: string, line: string): CommandResult {
  const pod = target.startsWith('pod/') ? cluster.pods.get(target.slice(4)) : undefined;
  const node = pod ? cluster.nodes.get(pod.node) : cluster.nodes.get(target.replace(/^node\//, ''));
  if (!node) {
    return fail(target.startsWith('pod/') ? `Error from server (NotFound): pods "${target.slice(4).split('/').pop()}" not found` : `Error from server (NotFound): nodes "${target.replace(/^node\//, '')}" not found`);
  }
  const ns = pod ? pod.ns : node.ns;
  const argv = line.trim().split(/\s+/);
  const cmd = argv.join(' ');
  switch (argv[0]) {
    case 'ip': {
      const obj = argv[1] ?? '';
      if (['a', 'addr', 'address'].includes(obj) && (argv[2] ?? 'show') === 'show') return ok(formatIpAddr(ns));
      if (['r', 'ro', 'route'].includes(obj) && argv[2] === 'get' && argv[3]) return routeGet(ns, argv[3]);
      if (['r', 'ro', 'route'].includes(obj) && (argv[2] ?? 'show') === 'show') return ok(formatIpRoute(ns));
      if (['n', 'neigh', 'neighbour', 'neighbor'].includes(obj) && (argv[2] ?? 'show') === 'show') return ok(formatIpNeigh(ns));
      return fail(`Object "${obj}" is unknown, try "ip help".`, 1);
    }
    case 'bridge':
      if (argv[1] === 'fdb' && (argv[2] ?? 'show') === 'show') return ok(formatBridgeFdb(ns));
      return fail(`Object "${argv[1] ?? ''}" is unknown, try "bridge help".`, 1);
    case 'iptables-save': {
      if (pod) return ok(''); // a pod netns has no rules of its own
      const t = argv.indexOf('-t') >= 0 ? argv[argv.indexOf('-t') + 1] : undefined;
      if (t && !node.ruleset.tables.has(t as TableName)) {
        return fail(`iptables-save v1.8.9 (legacy): Cannot initialize: Table does not exist (do you need to insmod?)`, 1);
      }
      return ok(formatIptablesSave(node.ruleset, t as TableName | undefined));
    }
    case 'conntrack':
      if (argv[1] === '-L' || argv[1] === '--dump') {
        if (pod) return { stdout: '', stderr: 'conntrack v1.4.7 (conntrack-tools): 0 flow entries have been shown.\n', code: 0 };
        const l = node.conntrack.list();
        return { stdout: l.stdout, stderr: l.stderr, code: 0 };
      }
      return fail(`conntrack v1.4.7 (conntrack-tools): unknown option \`${argv[1] ?? ''}'`, 2);
    case 'cat':
      if (argv[1] === '/run/flannel/subnet.env' && !pod) return ok(node.flannel.subnetEnv);
      return fail(`cat: ${argv[1] ?? ''}: No such file or directory`, 1);
    default:
      return fail(`sh: 1: ${cmd.split(' ')[0]}: not found`, 127);
  }
}

/** `ip route get ADDR` (iproute2 prints the chosen route, then a `cache` line). */
function routeGet(ns: NetNS, addr: string): CommandResult {
  if (!isIPv4(addr)) return fail(`Error: any valid prefix is expected rather than "${addr}".`, 1);
  const d = ns.routeGet(addr);
  if (d.type === 'unreachable') return fail('RTNETLINK answers: Network is unreachable', 2);
  if (d.type === 'local') return ok(`local ${addr} dev lo src ${addr} uid 0 \n    cache <local> \n`);
  const via = d.route.via ? ` via ${d.route.via}` : '';
  return ok(`${addr}${via} dev ${d.dev} src ${d.src} uid 0 \n    cache \n`);
}

function ok(stdout: string): CommandResult {
  return { stdout, stderr: '', code: 0 };
}

function fail(stderr: string, code = 1): CommandResult {
  return { stdout: '', stderr: stderr + '\n', code };
}
