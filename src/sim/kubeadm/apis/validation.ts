/**
 * Validation of a defaulted configuration, with upstream's field paths and messages. Each
 * function returns a field.ErrorList; kubeadm aggregates it (`[a, b]` for several) and exits 3.
 * Upstream: cmd/kubeadm/app/apis/kubeadm/validation/validation.go
 */
import { invalid, newPath, required, type ErrorList, type Path } from '../../apimachinery/field';
import { goQuote } from '../../apimachinery/go';
import { isDNS1123Subdomain, isWildcardDNS1123Subdomain } from '../../apimachinery/validation';
import { parseIPSloppy } from '../../netaddr/ip';
import { isValidBootstrapToken, validateBootstrapGroupName, validateUsages } from '../bootstraptoken/token';
import { DefaultContainerRuntimeURLScheme } from './defaults';
import { parseHostPort } from './dynamic';
import { EncryptionAlgorithms, getArgValue, type APIEndpoint, type Arg, type BootstrapToken, type ClusterConfiguration, type Discovery, type Etcd, type InitConfiguration, type JoinConfiguration, type JoinControlPlane, type NodeRegistrationOptions } from './types';

/** constants.go */
export const MinimumAddressesInServiceSubnet = 10;
export const MinimumAddressesInPodSubnet = 254;
export const MaximumBitsForServiceSubnet = 20;
export const PodSubnetNodeMaskMaxDiff = 16;
export const CertificateKeySize = 32;

/**
 * The kubeadm feature gates v1.34 accepts (features.InitFeatureGates minus the deprecated
 * PublicKeysECDSA: features.Supports refuses a deprecated gate, so it reads "is not a valid feature name").
 */
export const InitFeatureGates: readonly string[] = ['ControlPlaneKubeletLocalMode', 'NodeLocalCRISocket', 'RootlessControlPlane', 'WaitForAllControlPlaneComponents'];

// Upstream: validation.go (ValidateInitConfiguration)
export function validateInitConfiguration(c: InitConfiguration, cluster: ClusterConfiguration): ErrorList {
  return [
    ...validateNodeRegistrationOptions(c.nodeRegistration, newPath('nodeRegistration')),
    ...validateBootstrapTokens(c.bootstrapTokens ?? [], newPath('bootstrapTokens')),
    ...validateClusterConfiguration(cluster),
    ...validateAPIEndpoint(c.localAPIEndpoint, newPath('localAPIEndpoint')),
    ...validateCertificateKey(c.certificateKey ?? '', newPath('certificateKey')),
  ];
}

// Upstream: validation.go (ValidateClusterConfiguration)
export function validateClusterConfiguration(c: ClusterConfiguration): ErrorList {
  return [
    ...validateImageRepositoryIfSet(c.dns?.imageRepository, newPath('dns').child('imageRepository')),
    ...validateNetworking(c, newPath('networking')),
    ...validateCertSANs(c.apiServer?.certSANs, newPath('apiServer').child('certSANs')),
    ...validateExtraArgs(c.apiServer?.extraArgs, newPath('apiServer').child('extraArgs')),
    ...validateExtraArgs(c.controllerManager?.extraArgs, newPath('controllerManager').child('extraArgs')),
    ...validateExtraArgs(c.scheduler?.extraArgs, newPath('scheduler').child('extraArgs')),
    ...validateAbsolutePath(c.certificatesDir ?? '', newPath('certificatesDir')),
    ...validateFeatureGates(c.featureGates, newPath('featureGates')),
    ...validateHostPort(c.controlPlaneEndpoint ?? '', newPath('controlPlaneEndpoint')),
    ...validateImageRepository(c.imageRepository ?? '', newPath('imageRepository')),
    ...validateEtcd(c.etcd, newPath('etcd')),
    ...validateEncryptionAlgorithm(c.encryptionAlgorithm ?? '', newPath('encryptionAlgorithm')),
  ];
}

// Upstream: validation.go (ValidateJoinConfiguration)
export function validateJoinConfiguration(c: JoinConfiguration): ErrorList {
  const errs = [
    ...validateDiscovery(c.discovery, newPath('discovery')),
    ...validateNodeRegistrationOptions(c.nodeRegistration, newPath('nodeRegistration')),
    ...validateJoinControlPlane(c.controlPlane, newPath('controlPlane')),
  ];
  const ca = c.caCertPath ?? '';
  if (!ca.startsWith('/') || !ca.endsWith('.crt')) errs.push(invalid(newPath('caCertPath'), ca, 'the ca certificate path must be an absolute path'));
  return errs;
}

// Upstream: validation.go (ValidateJoinControlPlane)
function validateJoinControlPlane(c: JoinControlPlane | undefined, p: Path): ErrorList {
  if (!c) return [];
  return [...validateAPIEndpoint(c.localAPIEndpoint, p.child('localAPIEndpoint')), ...validateCertificateKey(c.certificateKey ?? '', p.child('certificateKey'))];
}

// Upstream: validation.go (ValidateNodeRegistrationOptions)
export function validateNodeRegistrationOptions(nro: NodeRegistrationOptions, p: Path): ErrorList {
  const errs: ErrorList = [];
  const name = nro.name ?? '';
  if (name.length === 0) {
    errs.push(required(p, '--node-name or .nodeRegistration.name in the config file is a required value. It seems like this value couldn\'t be automatically detected in your environment, please specify the desired value using the CLI or config file.'));
  } else {
    for (const e of isDNS1123Subdomain(name)) errs.push(invalid(p.child('name'), name, e));
  }
  errs.push(...validateSocketPath(nro.criSocket ?? '', p.child('criSocket')));
  errs.push(...validateExtraArgs(nro.kubeletExtraArgs, p.child('kubeletExtraArgs')));
  errs.push(...validateImagePullPolicy(nro.imagePullPolicy ?? '', p.child('imagePullPolicy')));
  return errs;
}

// Upstream: validation.go (ValidateDiscovery)
export function validateDiscovery(d: Discovery, p: Path): ErrorList {
  const errs: ErrorList = [];
  if (!d.bootstrapToken && !d.file) errs.push(invalid(p, '', 'bootstrapToken or file must be set'));
  if (d.bootstrapToken && d.file) errs.push(invalid(p, '', 'bootstrapToken and file cannot both be set'));
  if (d.bootstrapToken) {
    errs.push(...validateDiscoveryBootstrapToken(d.bootstrapToken, p.child('bootstrapToken')));
    errs.push(...validateToken(d.tlsBootstrapToken ?? '', p.child('tlsBootstrapToken')));
  }
  if (d.file) {
    if (!d.file.kubeConfigPath) errs.push(invalid(p.child('file').child('kubeConfigPath'), d.file.kubeConfigPath ?? '', 'not a valid HTTPS URL or a file on disk'));
    if (d.tlsBootstrapToken) errs.push(...validateToken(d.tlsBootstrapToken, p.child('tlsBootstrapToken')));
  }
  return errs;
}

// Upstream: validation.go (ValidateDiscoveryBootstrapToken, ValidateDiscoveryTokenAPIServer)
function validateDiscoveryBootstrapToken(b: NonNullable<Discovery['bootstrapToken']>, p: Path): ErrorList {
  const errs: ErrorList = [];
  const ep = b.apiServerEndpoint ?? '';
  if (ep.length === 0) errs.push(required(p, 'APIServerEndpoint is not set'));
  if ((b.caCertHashes ?? []).length === 0 && !b.unsafeSkipCAVerification) {
    errs.push(invalid(p.child('caCertHashes'), '', 'using token-based discovery without caCertHashes can be unsafe. Set unsafeSkipCAVerification as true in your kubeadm config file or pass --discovery-token-unsafe-skip-ca-verification flag to continue'));
  }
  errs.push(...validateToken(b.token ?? '', p.child('token')));
  const splitErr = splitHostPortError(ep);
  if (splitErr) errs.push(invalid(p.child('apiServerEndpoint'), ep, splitErr));
  return errs;
}

/** Go's net.SplitHostPort error text, or undefined when `host:port` splits. */
export function splitHostPortError(hostport: string): string | undefined {
  if (hostport.startsWith('[')) {
    const end = hostport.indexOf(']');
    if (end < 0) return `address ${hostport}: missing ']' in address`;
    if (end + 1 === hostport.length || hostport[end + 1] !== ':') return `address ${hostport}: missing port in address`;
    return undefined;
  }
  const colons = hostport.split(':').length - 1;
  if (colons === 0) return `address ${hostport}: missing port in address`;
  if (colons > 1) return `address ${hostport}: too many colons in address`;
  return undefined;
}

// Upstream: validation.go (ValidateBootstrapTokens)
export function validateBootstrapTokens(bts: readonly BootstrapToken[], p: Path): ErrorList {
  const errs: ErrorList = [];
  bts.forEach((bt, i) => {
    const bp = p.child(String(i));
    errs.push(...validateToken(bt.token ?? '', bp.child('token')));
    const usageErr = validateUsages(bt.usages ?? []);
    if (usageErr) errs.push(invalid(bp.child('usages'), bt.usages ?? [], usageErr.message));
    errs.push(...validateTokenGroups(bt.usages ?? [], bt.groups ?? [], bp.child('groups')));
    if (bt.expires !== undefined && bt.ttl !== undefined) errs.push(invalid(bp, '', 'the BootstrapToken .TTL and .Expires fields are mutually exclusive'));
  });
  return errs;
}

// Upstream: validation.go (ValidateToken)
export function validateToken(token: string, p: Path): ErrorList {
  return isValidBootstrapToken(token) ? [] : [invalid(p, token, 'the bootstrap token is invalid')];
}

// Upstream: validation.go (ValidateTokenGroups)
function validateTokenGroups(usages: readonly string[], groups: readonly string[], p: Path): ErrorList {
  const errs: ErrorList = [];
  if (groups.length > 0 && !usages.includes('authentication')) errs.push(invalid(p, groups, 'token groups cannot be specified unless --usages includes "authentication"'));
  for (const g of groups) {
    const e = validateBootstrapGroupName(g);
    if (e) errs.push(invalid(p, groups, e.message));
  }
  return errs;
}

// Upstream: validation.go (ValidateEtcd)
export function validateEtcd(e: Etcd | undefined, p: Path): ErrorList {
  const errs: ErrorList = [];
  const local = e?.local;
  const external = e?.external;
  if (!local && !external) return [invalid(p, '', 'either .Etcd.Local or .Etcd.External is required')];
  if (local && external) return [invalid(p, '', '.Etcd.Local and .Etcd.External are mutually exclusive')];
  if (local) {
    const lp = p.child('local');
    errs.push(...validateAbsolutePath(local.dataDir ?? '', lp.child('dataDir')));
    errs.push(...validateCertSANs(local.serverCertSANs, lp.child('serverCertSANs')));
    errs.push(...validateCertSANs(local.peerCertSANs, lp.child('peerCertSANs')));
    errs.push(...validateImageRepositoryIfSet(local.imageRepository, lp.child('imageRepository')));
    errs.push(...validateExtraArgs(local.extraArgs, lp.child('extraArgs')));
  }
  if (external) {
    const xp = p.child('external');
    const { caFile = '', certFile = '', keyFile = '' } = external;
    const requireHTTPS = !(caFile === '' && certFile === '' && keyFile === '');
    if ((certFile === '') !== (keyFile === '')) errs.push(invalid(xp, '', 'either both or none of .Etcd.External.CertFile and .Etcd.External.KeyFile must be set'));
    if (certFile !== '' && keyFile !== '' && caFile === '') errs.push(invalid(xp, '', 'setting .Etcd.External.CertFile and .Etcd.External.KeyFile requires .Etcd.External.CAFile'));
    for (const u of external.endpoints ?? []) {
      const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(u)?.[1] ?? '';
      if (requireHTTPS && scheme !== 'https') errs.push(invalid(xp.child('endpoints'), u, 'the URL must be using the HTTPS scheme'));
      if (scheme === '') errs.push(invalid(xp.child('endpoints'), u, 'the URL without scheme is not allowed'));
    }
    if (caFile !== '') errs.push(...validateAbsolutePath(caFile, xp.child('caFile')));
    if (certFile !== '') errs.push(...validateAbsolutePath(certFile, xp.child('certFile')));
    if (keyFile !== '') errs.push(...validateAbsolutePath(keyFile, xp.child('keyFile')));
  }
  return errs;
}

// Upstream: validation.go (ValidateEncryptionAlgorithm)
export function validateEncryptionAlgorithm(algo: string, p: Path): ErrorList {
  if ((EncryptionAlgorithms as readonly string[]).includes(algo)) return [];
  return [invalid(p, algo, `Invalid encryption algorithm ${goQuote(algo)}. Must be one of [${EncryptionAlgorithms.join(' ')}]`)];
}

// Upstream: validation.go (ValidateCertSANs)
export function validateCertSANs(altnames: readonly string[] | undefined, p: Path): ErrorList {
  const errs: ErrorList = [];
  for (const name of altnames ?? []) {
    const e1 = isDNS1123Subdomain(name);
    if (e1.length === 0) continue;
    const e2 = isWildcardDNS1123Subdomain(name);
    if (e2.length === 0 || parseIPSloppy(name)) continue;
    errs.push(invalid(p, name, `altname is not a valid IP address, DNS label or a DNS label with subdomain wildcards: ${e1.join('; ')}; ${e2.join('; ')}`));
  }
  return errs;
}

// Upstream: validation.go (ValidateIPFromString)
function validateIPFromString(ip: string, p: Path): ErrorList {
  return parseIPSloppy(ip) ? [] : [invalid(p, ip, 'ip address is not valid')];
}

// Upstream: validation.go (ValidatePort), util/endpoint.go (ParsePort)
function validatePort(port: number, p: Path): ErrorList {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : [invalid(p, port, 'port number is not valid')];
}

// Upstream: validation.go (ValidateHostPort)
function validateHostPort(endpoint: string, p: Path): ErrorList {
  if (endpoint === '') return [];
  try {
    parseHostPort(endpoint);
    return [];
  } catch {
    return [invalid(p, endpoint, 'endpoint is not valid')];
  }
}

interface Subnet {
  ip: number[];
  bits: number;
  v6: boolean;
  text: string;
}

function parseSubnet(s: string): Subnet | undefined {
  const [addr, len, extra] = s.trim().split('/');
  if (extra !== undefined || len === undefined || !/^\d{1,3}$/.test(len)) return undefined;
  const ip = parseIPSloppy(addr);
  const v6 = addr.includes(':');
  const bits = Number(len);
  if (!ip || bits > (v6 ? 128 : 32)) return undefined;
  return { ip, bits, v6, text: s.trim() };
}

/** 2^(host bits), capped like netutils.RangeSize (0 past 2^63). */
function rangeSize(n: Subnet): number {
  const hostBits = (n.v6 ? 128 : 32) - n.bits;
  return hostBits >= 64 ? 0 : 2 ** hostBits;
}

// Upstream: validation.go (ValidateIPNetFromString)
export function validateIPNetFromString(subnetStr: string, minAddrs: number, p: Path): ErrorList {
  const parts = subnetStr.split(',');
  const subnets = parts.map(parseSubnet);
  if (subnets.some((s) => !s)) return [invalid(p, subnetStr, "couldn't parse subnet")];
  const nets = subnets as Subnet[];
  const errs: ErrorList = [];
  const dualStackMsg = 'expected one (IPv4 or IPv6) CIDR or two CIDRs from each family for dual-stack networking';
  if (nets.length > 2) errs.push(invalid(p, subnetStr, dualStackMsg));
  else if (nets.length === 2 && nets[0].v6 === nets[1].v6) errs.push(invalid(p, subnetStr, dualStackMsg));
  for (const n of nets) {
    const size = rangeSize(n);
    if (size < minAddrs) errs.push(invalid(p, n.text, `subnet with ${size} address(es) is too small, the minimum is ${minAddrs}`));
  }
  return errs;
}

// Upstream: validation.go (ValidateServiceSubnetSize)
function validateServiceSubnetSize(subnetStr: string, p: Path): ErrorList {
  const errs: ErrorList = [];
  for (const n of subnetStr.split(',').map(parseSubnet)) {
    if (!n) continue;
    const bits = n.v6 ? 128 : 32;
    if (bits - n.bits > MaximumBitsForServiceSubnet) {
      errs.push(invalid(p, n.text, `specified service subnet is too large; for ${bits}-bit addresses, the mask must be >= ${bits - MaximumBitsForServiceSubnet}`));
    }
  }
  return errs;
}

// Upstream: validation.go (ValidatePodSubnetNodeMask, getClusterNodeMask)
function validatePodSubnetNodeMask(subnetStr: string, c: ClusterConfiguration, p: Path): ErrorList {
  const errs: ErrorList = [];
  for (const n of subnetStr.split(',').map(parseSubnet)) {
    if (!n) continue;
    const maskArg = n.v6 ? 'node-cidr-mask-size-ipv6' : 'node-cidr-mask-size-ipv4';
    const value = getArgValue(c.controllerManager?.extraArgs, maskArg, -1);
    let nodeMask = n.v6 ? 64 : 24;
    if (value !== '') {
      if (!/^[-+]?\d+$/.test(value)) {
        errs.push(invalid(p, n.text, `could not parse the value of the kube-controller-manager flag ${maskArg} as an integer: strconv.Atoi: parsing ${JSON.stringify(value)}: invalid syntax`));
        continue;
      }
      nodeMask = Number(value);
    }
    if (n.bits > nodeMask) errs.push(invalid(p, n.text, `the size of pod subnet with mask ${n.bits} is smaller than the size of node subnet with mask ${nodeMask}`));
    else if (nodeMask - n.bits > PodSubnetNodeMaskMaxDiff) errs.push(invalid(p, n.text, `pod subnet mask (${n.bits}) and node-mask (${nodeMask}) difference is greater than ${PodSubnetNodeMaskMaxDiff}`));
  }
  return errs;
}

// Upstream: validation.go (ValidateNetworking)
export function validateNetworking(c: ClusterConfiguration, p: Path): ErrorList {
  const errs: ErrorList = [];
  const n = c.networking ?? {};
  for (const e of isDNS1123Subdomain(n.dnsDomain ?? '')) errs.push(invalid(p.child('dnsDomain'), n.dnsDomain ?? '', e));
  if (n.serviceSubnet) {
    const subnetErrs = validateIPNetFromString(n.serviceSubnet, MinimumAddressesInServiceSubnet, p.child('serviceSubnet'));
    errs.push(...subnetErrs, ...validateServiceSubnetSize(n.serviceSubnet, p.child('serviceSubnet')));
  }
  if (n.podSubnet) {
    errs.push(...validateIPNetFromString(n.podSubnet, MinimumAddressesInPodSubnet, p.child('podSubnet')));
    if (getArgValue(c.controllerManager?.extraArgs, 'allocate-node-cidrs', -1) !== 'false') errs.push(...validatePodSubnetNodeMask(n.podSubnet, c, p.child('podSubnet')));
  }
  return errs;
}

// Upstream: validation.go (ValidateAbsolutePath)
export function validateAbsolutePath(path: string, p: Path): ErrorList {
  return path.startsWith('/') ? [] : [invalid(p, path, 'path is not absolute')];
}

// Upstream: validation.go (ValidateFeatureGates)
function validateFeatureGates(gates: Record<string, boolean> | undefined, p: Path): ErrorList {
  const errs: ErrorList = [];
  for (const k of Object.keys(gates ?? {})) if (!InitFeatureGates.includes(k)) errs.push(invalid(p, gates, `${k} is not a valid feature name.`));
  return errs;
}

// Upstream: validation.go (ValidateAPIEndpoint)
export function validateAPIEndpoint(c: APIEndpoint, p: Path): ErrorList {
  return [...validateIPFromString(c.advertiseAddress ?? '', p.child('advertiseAddress')), ...validatePort(c.bindPort ?? 0, p.child('bindPort'))];
}

// Upstream: validation.go (ValidateCertificateKey)
export function validateCertificateKey(key: string, p: Path): ErrorList {
  if (key.length === 0) return [];
  const bad = /[^0-9a-fA-F]/.exec(key);
  if (bad) return [invalid(p, key, `certificate key decoding error: encoding/hex: invalid byte: U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} ${goRuneQuote(bad[0])}`)];
  if (key.length % 2 === 1) return [invalid(p, key, 'certificate key decoding error: encoding/hex: odd length hex string')];
  const k = key.length / 2;
  return k === CertificateKeySize ? [] : [invalid(p, key, `invalid certificate key size ${k}, the key must be an AES key of size ${CertificateKeySize}`)];
}

function goRuneQuote(ch: string): string {
  return ch === "'" ? "'\\''" : `'${ch}'`;
}

// Upstream: validation.go (ValidateSocketPath)
export function validateSocketPath(socket: string, p: Path): ErrorList {
  if (socket.length === 0) return [invalid(p, socket, 'empty CRI socket')];
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(socket)?.[1]?.toLowerCase() ?? '';
  if (scheme !== DefaultContainerRuntimeURLScheme) return [invalid(p, socket, `only URL scheme "${DefaultContainerRuntimeURLScheme}" is supported, got "${scheme}"`)];
  return [];
}

/** A simplified distribution/reference check: `host[:port]/path` of lower-case components. */
// Upstream: validation.go (ValidateImageRepository)
export function validateImageRepository(repo: string, p: Path): ErrorList {
  const component = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
  const domain = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::[0-9]+)?';
  const re = new RegExp(`^(?:${domain}/)?${component}(?:/${component})*:[\\w][\\w.-]{0,127}$`);
  return re.test(`${repo}/name:tag`) ? [] : [invalid(p, repo, 'invalid image repository format')];
}

function validateImageRepositoryIfSet(repo: string | undefined, p: Path): ErrorList {
  return repo ? validateImageRepository(repo, p) : [];
}

// Upstream: validation.go (ValidateExtraArgs)
export function validateExtraArgs(args: readonly Arg[] | undefined, p: Path): ErrorList {
  const errs: ErrorList = [];
  (args ?? []).forEach((a, i) => {
    if (!a.name) errs.push(invalid(p, `index ${i}`, 'argument has no name'));
  });
  return errs;
}

// Upstream: validation.go (ValidateImagePullPolicy)
export function validateImagePullPolicy(policy: string, p: Path): ErrorList {
  return ['', 'Always', 'IfNotPresent', 'Never'].includes(policy) ? [] : [invalid(p, policy, 'invalid pull policy')];
}
