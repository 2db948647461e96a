/**
 * kubeadm's PKI helpers: the SANs of the serving certificates, the control-plane endpoint URL,
 * and making a CA or a CA-signed certificate with a fresh key.
 * Upstream: cmd/kubeadm/app/util/pkiutil/pki_helpers.go (GetAPIServerAltNames, getAltNames,
 * appendSANsToAltNames, RemoveDuplicateAltNames, NewCertificateAuthority, NewCertAndKey,
 * NewSignedCert, NewSelfSignedCACert), constants.GetAPIServerVirtualIP, util/endpoint.go.
 */
import type { Rng } from '../../core/rng';
import { isDNS1123Subdomain, isWildcardDNS1123Subdomain } from '../../apimachinery/validation';
import { ipString, parseIPSloppy } from '../../netaddr/ip';
import { formatIpv4, nextIp, parseCIDR } from '../../netaddr/ipv4';
import { generateRsaKey, type RsaPrivateKey } from '../../pki/keys';
import type { ExtKeyUsage } from '../../pki/oids';
import { createCertificate, parseCertificate, type Certificate } from '../../pki/x509';
import { APISERVER_CERT_NAME, ETCD_PEER_CERT_NAME, ETCD_SERVER_CERT_NAME } from './constants';
import type { DefaultedPkiConfiguration } from './config';

/** certutil.AltNames. */
export interface AltNames {
  dnsNames: string[];
  ips: string[];
}

/** certutil.Config + kubeadm's CertConfig: what one certificate should say. */
export interface CertConfig {
  commonName: string;
  organization?: readonly string[];
  altNames?: AltNames;
  usages?: readonly ExtKeyUsage[];
  notBeforeMs?: number;
  notAfterMs?: number;
}

/** A certificate with its key, as kubeadm keeps them in memory. */
export interface CertAndKey {
  cert: Certificate;
  key: RsaPrivateKey;
}

function parseIP(s: string): string | undefined {
  return parseIPSloppy(s) ? ipString(s) : undefined;
}

/** The first address of the Service CIDR (10.96.0.0/12 -> 10.96.0.1): the `kubernetes` Service's ClusterIP. */
// Upstream: constants.go (GetAPIServerVirtualIP)
export function getAPIServerVirtualIP(serviceSubnet: string): string {
  const first = serviceSubnet.split(',')[0];
  try {
    return formatIpv4(nextIp(parseCIDR(first).ip));
  } catch (e) {
    throw new Error(`unable to get first IP address from the given CIDR: ${serviceSubnet}: ${(e as Error).message}`);
  }
}

/** Warnings appendSANsToAltNames printed (klog), for the caller to show. */
export type Warn = (line: string) => void;

// Upstream: pki_helpers.go (appendSANsToAltNames)
function appendSANsToAltNames(alt: AltNames, sans: readonly string[], certName: string, warn: Warn): void {
  for (const san of sans) {
    const ip = parseIP(san);
    if (ip) alt.ips.push(ip);
    else if (isDNS1123Subdomain(san).length === 0 || isWildcardDNS1123Subdomain(san).length === 0) alt.dnsNames.push(san);
    else warn(`[certificates] WARNING: '${san}' was not added to the '${certName}' SAN, because it is not a valid IP or RFC-1123 compliant DNS entry`);
  }
}

function advertiseIP(cfg: DefaultedPkiConfiguration): string {
  const ip = parseIP(cfg.advertiseAddress);
  if (!ip) {
    throw new Error(`error parsing LocalAPIEndpoint AdvertiseAddress ${cfg.advertiseAddress}: is not a valid textual representation of an IP address`);
  }
  return ip;
}

/** `host:port` split as net.SplitHostPort, with a missing port allowed (kubeadmutil.ParseHostPort). */
// Upstream: cmd/kubeadm/app/util/endpoint.go (ParseHostPort)
export function parseHostPort(hostport: string): { host: string; port: string } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(hostport);
  if (bracketed) return { host: bracketed[1], port: bracketed[2] ?? '' };
  const colons = hostport.split(':').length - 1;
  if (colons === 1) {
    const [host, port] = hostport.split(':');
    if (!/^\d+$/.test(port) || Number(port) > 65535) throw new Error(`port must be a valid number between 1 and 65535, inclusive`);
    return { host, port };
  }
  if (colons > 1 && !parseIP(hostport)) throw new Error(`address ${hostport}: too many colons in address`);
  if (!parseIP(hostport) && isDNS1123Subdomain(hostport).length > 0) throw new Error(`host must be a valid IP address or a valid RFC-1123 DNS subdomain`);
  return { host: hostport, port: '' };
}

// Upstream: pki_helpers.go (GetAPIServerAltNames)
export function getAPIServerAltNames(cfg: DefaultedPkiConfiguration, warn: Warn = () => {}): AltNames {
  const advertise = advertiseIP(cfg);
  const alt: AltNames = {
    dnsNames: [cfg.nodeName, 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', `kubernetes.default.svc.${cfg.dnsDomain}`],
    ips: [getAPIServerVirtualIP(cfg.serviceSubnet), advertise],
  };
  if (cfg.controlPlaneEndpoint) {
    let host: string;
    try {
      host = parseHostPort(cfg.controlPlaneEndpoint).host;
    } catch (e) {
      throw new Error(`error parsing cluster controlPlaneEndpoint "${cfg.controlPlaneEndpoint}": ${(e as Error).message}`);
    }
    const ip = parseIP(host);
    if (ip) alt.ips.push(ip);
    else alt.dnsNames.push(host);
  }
  appendSANsToAltNames(alt, cfg.certSANs, APISERVER_CERT_NAME, warn);
  return alt;
}

/** etcd server and peer: the node name, localhost, the advertise address and both loopbacks. */
// Upstream: pki_helpers.go (GetEtcdAltNames, GetEtcdPeerAltNames, getAltNames)
export function getEtcdAltNames(cfg: DefaultedPkiConfiguration, certName: typeof ETCD_SERVER_CERT_NAME | typeof ETCD_PEER_CERT_NAME, warn: Warn = () => {}): AltNames {
  const alt: AltNames = { dnsNames: [cfg.nodeName, 'localhost'], ips: [advertiseIP(cfg), '127.0.0.1', '::1'] };
  if (!cfg.externalEtcd) appendSANsToAltNames(alt, certName === ETCD_SERVER_CERT_NAME ? cfg.etcdServerCertSANs : cfg.etcdPeerCertSANs, certName, warn);
  return alt;
}

/** DNS names deduplicated AND sorted (sets.List), IPs deduplicated in order. */
// Upstream: pki_helpers.go (RemoveDuplicateAltNames)
export function removeDuplicateAltNames(alt: AltNames): AltNames {
  return { dnsNames: [...new Set(alt.dnsNames)].sort(), ips: [...new Set(alt.ips)] };
}

/** A serial in [1, MaxInt64), as NewSignedCert draws one. */
function newSerial(rng: Rng): bigint {
  const hi = BigInt(rng.uint32() & 0x7fffffff);
  const lo = BigInt(rng.uint32());
  const v = (hi << 32n) | lo;
  return v === 0n || v === (1n << 63n) - 1n ? 1n : v;
}

/** A self-signed CA: usages digitalSignature, keyEncipherment, certSign; SAN DNS:<CN>. */
// Upstream: pki_helpers.go (NewCertificateAuthority, NewSelfSignedCACert)
export function newCertificateAuthority(config: CertConfig, nowMs: number, caValidityMs: number, rng: Rng): CertAndKey {
  const key = generateRsaKey(rng);
  const notBeforeMs = config.notBeforeMs ?? nowMs;
  const der = createCertificate(
    {
      serialNumber: newSerial(rng),
      subject: { commonName: config.commonName, organization: config.organization },
      dnsNames: [config.commonName],
      notBeforeMs,
      notAfterMs: config.notAfterMs ?? notBeforeMs + caValidityMs,
      keyUsage: ['digitalSignature', 'keyEncipherment', 'certSign'],
      isCA: true,
    },
    'self',
    key.publicKey,
    key,
  );
  return { cert: parseCertificate(der), key };
}

/** A new key and a certificate for it signed by `ca`. */
// Upstream: pki_helpers.go (NewCertAndKey, NewSignedCert)
export function newCertAndKey(ca: CertAndKey, config: CertConfig, validityMs: number, rng: Rng): CertAndKey {
  if (!config.usages?.length) throw new Error('must specify at least one ExtKeyUsage');
  if (!config.commonName) throw new Error('unable to sign certificate: must specify a CommonName');
  const key = generateRsaKey(rng);
  const alt = removeDuplicateAltNames(config.altNames ?? { dnsNames: [], ips: [] });
  const notBeforeMs = config.notBeforeMs ?? ca.cert.notBeforeMs;
  const der = createCertificate(
    {
      serialNumber: newSerial(rng),
      subject: { commonName: config.commonName, organization: config.organization },
      dnsNames: alt.dnsNames,
      ipAddresses: alt.ips,
      notBeforeMs,
      notAfterMs: config.notAfterMs ?? notBeforeMs + validityMs,
      keyUsage: ['digitalSignature', 'keyEncipherment'],
      extKeyUsage: config.usages,
      isCA: false,
    },
    ca.cert,
    key.publicKey,
    ca.key,
  );
  return { cert: parseCertificate(der), key };
}
