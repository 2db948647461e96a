/**
 * The commands a learner runs on a node (`ssh node-a ...`) or in a pod (`kubectl exec web -- ...`)
 * against the assembled network: the node tools of src/sim/netstack (`iptables-save`, `ip`,
 * `bridge`, `conntrack`), the pod's /etc/resolv.conf and /etc/hosts as the kubelet writes them,
 * `nslookup` / `dig` against CoreDNS, and `curl`, whose packet walks the nodes' netfilter and
 * routes. Every pod of these labs serves its own name over HTTP on any port it declares (as
 * `agnhost serve-hostname` does), so `curl` shows which pod answered.
 */
import type { Pod } from '../api/core/v1';
import { podResolvConf } from '../dns/kubelet/resolvconf';
import { podHostsFile } from '../dns/kubelet/hosts';
import { coreDNSFromClientset } from '../dns/coredns/cluster';
import { getaddrinfo, type QueryLogEntry } from '../dns/resolver/glibc';
import { dig } from '../dns/tools/dig';
import { nslookup } from '../dns/tools/nslookup';
import { runNetCommand } from '../netstack/walk/shell';
import { walkPacket } from '../netstack/walk/walk';
import { formatWalk } from '../netstack/walk/format';
import type { WalkResult } from '../netstack/walk/types';
import { ClusterDNSIP, ClusterDomain, type ClusterNetwork } from './cluster_network';
import { apiServerAnswer } from './apiserver_https';
import { kubeFlannelConflist } from '../cni/flannel';
import { ipvsadmList } from '../proxy/ipvs/ipvsadm';
import { podEnv, podFileCommand } from './pod_files';

export interface NetCommandResult {
  stdout: string;
  stderr: string;
  code: number;
  /** The packet's walk, for `curl` (the view animates it). */
  walk?: WalkResult;
  /** Every packet the command sent, in order: the DNS queries of a lookup, then curl's SYN. */
  walks?: WalkResult[];
}

const ok = (stdout: string): NetCommandResult => ({ stdout, stderr: '', code: 0 });
const fail = (stderr: string, code = 1): NetCommandResult => ({ stdout: '', stderr: stderr.endsWith('\n') ? stderr : `${stderr}\n`, code });

/** A node's /etc/resolv.conf: systemd-resolved's stub, as on Ubuntu nodes. */
const nodeStubResolvConf = 'nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch .\n';
/**
 * What the kubelet reads instead: kubeadm points `resolvConf` at systemd-resolved's real file
 * when systemd-resolved runs, so pods do not inherit the 127.0.0.53 stub they cannot reach.
 */
const nodeResolvConf = 'nameserver 192.168.0.1\n';

/** Where a curl or a lookup starts: a pod (`ns/name`) or a node. */
export type Origin = { pod: Pod } | { node: string };

/** Runs one command line on a node. */
export async function nodeCommand(net: ClusterNetwork, node: string, argv: string[]): Promise<NetCommandResult> {
  const files = net.files.get(node);
  const [cmd, ...args] = argv;
  switch (cmd) {
    case 'hostname':
      return ok(`${node}\n`);
    case 'curl':
      return curl(net, { node }, args);
    case 'ipvsadm': {
      await net.net();
      const vs = net.ipvs.get(node);
      if (!vs) return fail("Can't initialize ipvs: Protocol not available\nAre you sure that IP Virtual Server is built in the kernel or as module?", 2);
      return ok(ipvsadmList(vs));
    }
    case 'cat': {
      const path = args[0] ?? '';
      if (path === '/etc/cni/net.d/10-flannel.conflist') return ok(`${JSON.stringify(kubeFlannelConflist, null, 2)}\n`);
      if (path === '/etc/resolv.conf') return ok(nodeStubResolvConf);
      if (path === '/run/systemd/resolve/resolv.conf') return ok(nodeResolvConf);
      const text = files?.get(path);
      if (text !== undefined) return ok(text);
      break;
    }
    case 'ls': {
      const dir = (args.find((a) => !a.startsWith('-')) ?? '').replace(/\/$/, '');
      const agent = net.agents.get(node);
      const all = [...(files?.keys() ?? []), ...(agent ? [...agent.ipam.files.keys()] : [])];
      const names = [...new Set(all.filter((p) => p.startsWith(`${dir}/`)).map((p) => p.slice(dir.length + 1).split('/')[0]))].sort();
      if (names.length) return ok(`${names.join('\n')}\n`);
      return fail(`ls: cannot access '${dir}': No such file or directory`, 2);
    }
  }
  const r = runNetCommand(await net.net(), node, argv.join(' '));
  return { stdout: r.stdout, stderr: r.stderr, code: r.code };
}

/** Runs one command in a pod (its network namespace, its files). */
export async function podCommand(net: ClusterNetwork, pod: Pod, words: string[]): Promise<NetCommandResult> {
  const argv = await expandWords(net, pod, words);
  const [cmd, ...args] = argv;
  const ns = pod.metadata.namespace ?? 'default';
  // The service account directory and the environment (src/sim/serviceaccount, see pod_files.ts).
  const own = await podFileCommand(net, pod, argv);
  if (own) return own;
  switch (cmd) {
    case 'hostname':
      return ok(`${pod.spec.hostname ?? pod.metadata.name}\n`);
    case 'cat': {
      const path = args[0] ?? '';
      if (path === '/etc/resolv.conf') return ok(resolvConfOf(pod));
      if (path === '/etc/hosts') return ok(podHostsFile(pod, { clusterDomain: ClusterDomain }) ?? '');
      return fail(`cat: can't open '${path}': No such file or directory`);
    }
    case 'curl':
      return curl(net, { pod }, args);
    case 'nslookup':
    case 'dig': {
      const coredns = await coreDNSFromClientset(net.client, { clusterDomain: ClusterDomain });
      const ctx = { resolvConf: resolvConfOf(pod), network: { [ClusterDNSIP]: coredns }, clock: net.o.cluster.clock, rng: net.commandRng };
      const r = cmd === 'dig' ? dig(args, ctx) : nslookup(args.filter((a) => !a.startsWith('-'))[0] ?? '', { ...ctx, flavor: 'busybox' });
      const walks = await queryWalks(net, pod, r.queries);
      return { stdout: r.stdout, stderr: r.stderr, code: r.exitCode, walks, walk: walks[walks.length - 1] };
    }
  }
  const r = runNetCommand(await net.net(), `pod/${ns}/${pod.metadata.name}`, argv.join(' '));
  return { stdout: r.stdout, stderr: r.stderr, code: r.code };
}

/**
 * Each DNS query a lookup sent, walked as a UDP packet from the pod to its nameserver (through
 * kube-proxy's DNAT to a CoreDNS pod). glibc sends a name's A and AAAA queries together from one
 * socket, so both share a source port: the same conntrack entry.
 */
async function queryWalks(net: ClusterNetwork, pod: Pod, queries: QueryLogEntry[]): Promise<WalkResult[]> {
  if (queries.length === 0) return [];
  const cluster = await net.net();
  const from = `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`;
  const walks: WalkResult[] = [];
  let last: { name: string; sport: number } | undefined;
  for (const q of queries) {
    const sport = last?.name === q.name ? last.sport : 32768 + net.commandRng.int(28232);
    last = { name: q.name, sport };
    walks.push(walkPacket(cluster, { from, to: `${q.server}:53`, proto: 'udp', sport }));
  }
  return walks;
}

/**
 * The two expansions `curl -H "Authorization: Bearer $(cat .../token)"` needs from the pod's sh:
 * `$(cat FILE)` (the file, trailing newlines dropped) and `$NAME` / `${NAME}` from the pod's
 * environment (unset: empty). Quoting is already gone here, so '$X' expands too (a simplification).
 */
async function expandWords(net: ClusterNetwork, pod: Pod, words: string[]): Promise<string[]> {
  if (!words.some((w) => w.includes('$'))) return words;
  const env = await podEnv(net, pod);
  const out: string[] = [];
  for (const w of words) {
    let text = w;
    for (const m of [...w.matchAll(/\$\(cat\s+([^)\s]+)\s*\)/g)]) {
      const r = await podCommand(net, pod, ['cat', m[1]]);
      text = text.replace(m[0], r.stdout.replace(/\n+$/, ''));
    }
    out.push(text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_, a?: string, b?: string) => env.get((a ?? b)!) ?? ''));
  }
  return out;
}

function resolvConfOf(pod: Pod): string {
  return podResolvConf(pod, { clusterDNS: [ClusterDNSIP], clusterDomain: ClusterDomain, hostResolvConf: nodeResolvConf }).resolvConf;
}

/** `curl [-s] [-v] [-m N] [--connect-timeout N] URL` from a pod or a node. */
export async function curl(net: ClusterNetwork, from: Origin, args: string[]): Promise<NetCommandResult> {
  let verbose = false;
  let timeoutS: number | undefined;
  let url = '';
  let insecure = false;
  let cacert: string | undefined;
  let bearer: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-v' || a === '--verbose') verbose = true;
    else if (a === '-m' || a === '--max-time' || a === '--connect-timeout') timeoutS = Number(args[++i]);
    else if (a === '--cacert') cacert = args[++i];
    else if (a === '--oauth2-bearer') bearer = args[++i];
    else if (a === '-H' || a === '--header') {
      const auth = /^authorization:\s*bearer\s+(\S+)\s*$/i.exec(args[++i] ?? '');
      if (auth) bearer = auth[1];
    } else if (a === '--insecure') insecure = true;
    else if (/^-[sSfkIL]+$/.test(a) || a === '--silent') insecure ||= a.includes('k');
    else if (a.startsWith('-')) return fail(`curl: option ${a}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information`, 2);
    else url = a;
  }
  if (!url) return fail("curl: no URL specified\ncurl: try 'curl --help' or 'curl --manual' for more information", 2);
  // curl's URL parsing: scheme://host[:port][/path]; no scheme means http.
  const m = /^(?:([a-z][a-z0-9+.-]*):\/\/)?([^/:?#\s]+|\[[^\]]+\])(?::(\d*))?([/?#].*)?$/i.exec(url);
  if (!m) return fail(`curl: (3) URL rejected: Malformed input to a URL function`, 3);
  const scheme = (m[1] ?? 'http').toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return fail(`curl: (1) Protocol "${scheme}" not supported`, 1);
  const host = m[2];
  const port = m[3] ? Number(m[3]) : scheme === 'https' ? 443 : 80;
  if (m[3] !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) return fail(`curl: (3) URL rejected: Port number was not a decimal number between 0 and 65535`, 3);
  const path = m[4] ?? '/';
  const log: string[] = [];
  let ip = host;
  let dnsWalks: WalkResult[] = [];
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(host)) {
    if (!('pod' in from)) return fail(`curl: (6) Could not resolve host: ${host}`, 6);
    const coredns = await coreDNSFromClientset(net.client, { clusterDomain: ClusterDomain });
    const res = getaddrinfo(host, { resolvConf: resolvConfOf(from.pod), hosts: podHostsFile(from.pod, { clusterDomain: ClusterDomain }), network: { [ClusterDNSIP]: coredns }, clock: net.o.cluster.clock, rng: net.commandRng }, 'AF_INET');
    dnsWalks = await queryWalks(net, from.pod, res.queries);
    if (res.addresses.length === 0) return { ...fail(`curl: (6) Could not resolve host: ${host}`, 6), walks: dnsWalks, walk: dnsWalks[dnsWalks.length - 1] };
    ip = res.addresses[0];
    if (verbose) log.push(`* Host ${host}:${port} was resolved.`, `* IPv4: ${res.addresses.join(', ')}`);
  }
  if (verbose) log.push(`*   Trying ${ip}:${port}...`);
  const origin = 'pod' in from ? `${from.pod.metadata.namespace ?? 'default'}/${from.pod.metadata.name}` : `node/${from.node}`;
  // A new connection: Linux picks the source port from 32768-60999 (ip_local_port_range).
  const walk = walkPacket(await net.net(), { from: origin, to: `${ip}:${port}`, sport: 32768 + net.commandRng.int(28232) });
  const walks = [...dnsWalks, walk];
  const failed = (code: number, why: string) => ({ stdout: '', stderr: `${verbose ? `${log.join('\n')}\n` : ''}curl: (${code}) ${why}\n`, code, walk, walks });
  // A packet that left the cluster by a node's default route reaches nobody here: the address
  // (a ClusterIP on a port no Service has, an unknown IP) belongs to no host, and the SYN times out.
  const outcome = walk.outcome === 'delivered' && walk.at?.startsWith('external/') ? 'dropped' : walk.outcome;
  switch (outcome) {
    case 'delivered': {
      if (walk.at === `node/${apiServerNode(net)}` && walk.received?.dport === 6443) {
        const a = await apiServerAnswer(net, { scheme: scheme as 'http' | 'https', path, insecure, cacert, bearer });
        return { ...a, stderr: `${verbose ? `${log.join('\n')}\n` : ''}${a.stderr}`, walk, walks };
      }
      const answeredBy = walk.at?.split('/').pop() ?? '';
      if (verbose) {
        log.push(`* Connected to ${host} (${ip}) port ${port}`, `> GET ${path} HTTP/1.1`, `> Host: ${host}${m[3] ? `:${port}` : ''}`, '> User-Agent: curl/8.5.0', '> Accept: */*', '>', '< HTTP/1.1 200 OK', `< Content-Length: ${answeredBy.length}`, '< Content-Type: text/plain; charset=utf-8', '<', `* Connection #0 to host ${host} left intact`);
      }
      return { stdout: answeredBy, stderr: verbose ? `${log.join('\n')}\n` : '', code: 0, walk, walks };
    }
    case 'rejected':
    case 'refused':
      return failed(7, `Failed to connect to ${host} port ${port} after 0 ms: Couldn't connect to server`);
    case 'unreachable':
      return failed(7, `Failed to connect to ${host} port ${port} after 3067 ms: Couldn't connect to server`);
    case 'dropped':
      return timeoutS !== undefined ? failed(28, `Connection timed out after ${Math.round(timeoutS * 1000) + 1} milliseconds`) : failed(28, `Failed to connect to ${host} port ${port} after 133101 ms: Couldn't connect to server`);
  }
}

/** The node the API server listens on (kubeadm's `--advertise-address`). */
function apiServerNode(net: ClusterNetwork): string | undefined {
  return [...net.nodeIPs].find(([, ip]) => ip === net.apiServerIP)?.[0];
}

/** The walk as text, for `curl -v` users who want the path (`trace` prints it too). */
export function describeWalk(w: WalkResult): string {
  return formatWalk(w);
}
