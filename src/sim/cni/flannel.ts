/**
 * The flannel CNI plugin: flannel-io/cni-plugin v1.9.1-flannel1 flannel.go (`loadFlannelNetConf`,
 * `loadFlannelSubnetEnv`, `subnetEnv.missing`, `cmdAdd`) and flannel_linux.go (`doCmdAdd`,
 * `getDelegateIPAM`). It reads the node's /run/flannel/subnet.env that flanneld wrote, builds a
 * bridge configuration from it (its subnet for host-local, the whole pod network as a route, the
 * MTU, masquerade left to flanneld when FLANNEL_IPMASQ=true), saves it under
 * /var/lib/cni/flannel/<container ID> for DEL, and delegates to the bridge plugin.
 */
import { parseCIDR, formatCIDR } from '../netaddr/ipv4';
import { bridgeAdd, bridgeDel, type BridgeConf, type BridgeDeps } from './bridge';
import { CniError, type CniArgs, type CniResult, type CniRoute } from './types';

export const defaultSubnetFile = '/run/flannel/subnet.env';
export const defaultDataDir = '/var/lib/cni/flannel';

/** The configuration kube-flannel.yml installs as /etc/cni/net.d/10-flannel.conflist (its first plugin). */
export interface FlannelNetConf {
  cniVersion?: string;
  name: string;
  type: 'flannel';
  subnetFile?: string;
  dataDir?: string;
  delegate?: Record<string, unknown>;
}

/** kube-flannel.yml's `cni-conf.json`: the flannel plugin delegating to a hairpin, default-gateway bridge, then portmap. */
export const kubeFlannelConflist = {
  name: 'cbr0',
  cniVersion: '0.3.1',
  plugins: [
    { type: 'flannel', delegate: { hairpinMode: true, isDefaultGateway: true } },
    { type: 'portmap', capabilities: { portMappings: true } },
  ],
} as const;

export interface SubnetEnv {
  networks: string[];
  subnet?: string;
  mtu?: number;
  ipmasq?: boolean;
}

/** Go: `loadFlannelSubnetEnv` over the file's text; `undefined` text: the file is missing. */
export function loadFlannelSubnetEnv(fn: string, text: string | undefined): SubnetEnv {
  if (text === undefined) throw new Error(`open ${fn}: no such file or directory`);
  const se: SubnetEnv = { networks: [] };
  let sawNetwork = false;
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    const [key, value] = i < 0 ? [line, ''] : [line.slice(0, i), line.slice(i + 1)];
    switch (key) {
      case 'FLANNEL_NETWORK':
        sawNetwork = true;
        se.networks = [];
        for (const c of value.split(',')) {
          const nw = formatCIDR(parseCIDR(c));
          if (!se.networks.includes(nw)) se.networks.push(nw);
        }
        break;
      case 'FLANNEL_SUBNET':
        // Go keeps the network ParseCIDR returns: flanneld writes 10.244.1.1/24, host-local gets 10.244.1.0/24.
        se.subnet = formatCIDR(parseCIDR(value));
        break;
      case 'FLANNEL_MTU':
        if (!/^\d+$/.test(value)) throw new Error(`strconv.ParseUint: parsing ${JSON.stringify(value)}: invalid syntax`);
        se.mtu = Number(value);
        break;
      case 'FLANNEL_IPMASQ':
        se.ipmasq = value === 'true';
        break;
    }
  }
  // Go: subnetEnv.missing (the IPv6 names are listed with their IPv4 twins).
  const missing: string[] = [];
  if (!sawNetwork || se.networks.length === 0) missing.push('FLANNEL_NETWORK', 'FLANNEL_IPV6_NETWORK');
  if (!se.subnet) missing.push('FLANNEL_SUBNET', 'FLANNEL_IPV6_SUBNET');
  if (se.mtu === undefined) missing.push('FLANNEL_MTU');
  if (se.ipmasq === undefined) missing.push('FLANNEL_IPMASQ');
  if (missing.length) throw new Error(`${fn} is missing ${missing.join(', ')}`);
  return se;
}

export interface FlannelDeps extends BridgeDeps {
  /** The node's files: subnet.env is read from here, the delegate configuration saved here. */
  files: Map<string, string>;
}

/** Go: flannel `cmdAdd` + `doCmdAdd`: the delegate configuration and the bridge plugin's result. */
export function flannelAdd(n: FlannelNetConf, args: CniArgs, deps: FlannelDeps): { delegate: BridgeConf; result: CniResult } {
  const subnetFile = n.subnetFile ?? defaultSubnetFile;
  let fenv: SubnetEnv;
  try {
    fenv = loadFlannelSubnetEnv(subnetFile, deps.files.get(subnetFile));
  } catch (e) {
    throw new CniError(999, `failed to load flannel 'subnet.env' file: ${(e as Error).message}. Check the flannel pod log for this node.`);
  }
  const given = n.delegate ?? {};
  if ('type' in given && typeof given.type !== 'string') throw new CniError(999, "'delegate' dictionary, if present, must have (string) 'type' field");
  if ('name' in given) throw new CniError(999, "'delegate' dictionary must not have 'name' field, it'll be set by flannel");
  if ('ipam' in given) throw new CniError(999, "'delegate' dictionary must not have 'ipam' field, it'll be set by flannel");
  const routes: CniRoute[] = fenv.networks.map((dst) => ({ dst }));
  const delegate = {
    ...given,
    name: n.name,
    type: (given.type as 'bridge' | undefined) ?? 'bridge',
    ipMasq: 'ipMasq' in given ? given.ipMasq : !fenv.ipmasq,
    mtu: 'mtu' in given ? given.mtu : fenv.mtu,
    isGateway: 'isGateway' in given ? given.isGateway : true,
    ...(n.cniVersion ? { cniVersion: n.cniVersion } : {}),
    ipam: { type: 'host-local' as const, ranges: [[{ subnet: fenv.subnet! }]], routes },
  } as BridgeConf;
  if (delegate.type !== 'bridge') throw new CniError(999, `the model delegates only to the bridge plugin, not ${String(delegate.type)}`);
  // Go: delegateAdd saves the configuration so DEL can undo what ADD did.
  deps.files.set(`${n.dataDir ?? defaultDataDir}/${args.containerID}`, JSON.stringify(delegate));
  return { delegate, result: bridgeAdd(delegate, args, deps) };
}

/** Go: flannel `cmdDel`: the saved delegate configuration, then the bridge plugin's DEL. */
export function flannelDel(n: FlannelNetConf, args: CniArgs, deps: FlannelDeps): void {
  const path = `${n.dataDir ?? defaultDataDir}/${args.containerID}`;
  const saved = deps.files.get(path);
  if (saved === undefined) return; // Per the spec, DEL of something already gone succeeds.
  bridgeDel(JSON.parse(saved) as BridgeConf, args, deps);
  deps.files.delete(path);
}
