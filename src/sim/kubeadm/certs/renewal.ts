/**
 * `kubeadm certs check-expiration` and `kubeadm certs renew`: the renewal manager knows every
 * leaf certificate (the PKI files and the client certificates embedded in admin.conf,
 * super-admin.conf, controller-manager.conf and scheduler.conf; kubelet.conf is left to the
 * kubelet's own rotation) and the CAs. Renewing re-issues a certificate from its CA with the same
 * subject, SANs and usages and a new key, valid from now; CAs are never renewed.
 * Upstream: cmd/kubeadm/app/phases/certs/renewal/manager.go (NewManager, Certificates, CAs,
 * RenewUsingLocalCA, GetCertificateExpirationInfo, certToConfig), renewal/expiration.go,
 * renewal/readwriter.go, cmd/kubeadm/app/cmd/certs.go (newCmdCertsExpiration, renewCert, the
 * `renew all` note), k8s.io/apimachinery pkg/util/duration (ShortHumanDuration).
 */
import { EventEmitter } from '../../core/events';
import type { FakeClock } from '../../core/clock';
import { tabwriter } from '../../apimachinery/go';
import { encodePrivateKeyPem } from '../../pki/keys';
import { EXT_KEY_USAGE_OIDS, type ExtKeyUsage } from '../../pki/oids';
import { commonNameOf, encodeCertPem, organizationOf, parseCertsPem, type Certificate } from '../../pki/x509';
import { loadCertAndKey, type PkiEnv } from './certs';
import { certListFor, certTree } from './certlist';
import { defaultPkiConfiguration, type PkiInitConfiguration } from './config';
import * as C from './constants';
import { kubeadmCertsEvents } from './events';
import { joinPath, type FileWriter } from './files';
import { kubeConfigClientCert, readKubeConfig, writeKubeConfig } from './kubeconfig';
import { newCertAndKey, type CertAndKey } from './pkiutil';
import { shortHumanDuration } from '../../apimachinery/duration';
import { MONTH_ABBREVIATIONS, utcParts } from '../../core/utc';

/** One renewable certificate (CertificateRenewHandler). */
export interface CertificateRenewHandler {
  name: string;
  longName: string;
  /** PKI base name, or the kubeconfig file name. */
  fileName: string;
  /** Column CERTIFICATE AUTHORITY: the signing CA's name (`ca` for the kubeconfig certificates). */
  caName: string;
  caBaseName: string;
  kind: 'pki' | 'kubeconfig';
}

export interface CAExpirationHandler {
  name: string;
  longName: string;
  fileName: string;
}

const KUBECONFIGS: Array<{ longName: string; fileName: string }> = [
  { longName: 'certificate embedded in the kubeconfig file for the admin to use and for kubeadm itself', fileName: C.ADMIN_KUBECONFIG_FILE_NAME },
  { longName: 'certificate embedded in the kubeconfig file for the super-admin', fileName: C.SUPER_ADMIN_KUBECONFIG_FILE_NAME },
  { longName: 'certificate embedded in the kubeconfig file for the controller manager to use', fileName: C.CONTROLLER_MANAGER_KUBECONFIG_FILE_NAME },
  { longName: 'certificate embedded in the kubeconfig file for the scheduler manager to use', fileName: C.SCHEDULER_KUBECONFIG_FILE_NAME },
  // kubelet.conf is not here: the kubelet rotates its own client certificate.
];

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The renewal manager for one node's files. */
// Upstream: renewal/manager.go (Manager, NewManager)
export class Manager {
  readonly certificates: CertificateRenewHandler[] = [];
  readonly cas: CAExpirationHandler[] = [];
  readonly certificatesDir: string;
  readonly #cfg;

  constructor(
    input: PkiInitConfiguration,
    readonly files: FileWriter,
    readonly kubernetesDir = C.KUBERNETES_DIR,
  ) {
    const cfg = defaultPkiConfiguration(input);
    this.#cfg = cfg;
    this.certificatesDir = cfg.certificatesDir;
    for (const [ca, leaves] of certTree(certListFor(cfg))) {
      for (const c of leaves) this.certificates.push({ name: c.name, longName: c.longName, fileName: c.baseName, caName: ca.name, caBaseName: ca.baseName, kind: 'pki' });
      this.cas.push({ name: ca.name, longName: ca.longName, fileName: ca.baseName });
    }
    for (const k of KUBECONFIGS) this.certificates.push({ name: k.fileName, longName: k.longName, fileName: k.fileName, caName: C.CA_CERT_AND_KEY_BASE_NAME, caBaseName: C.CA_CERT_AND_KEY_BASE_NAME, kind: 'kubeconfig' });
    // Upstream sorts by name for every listing (Manager.Certificates, Manager.CAs).
    this.certificates.sort(byName);
    this.cas.sort(byName);
  }

  #path(h: CertificateRenewHandler): string {
    return h.kind === 'pki' ? joinPath(this.certificatesDir, `${h.fileName}.crt`) : joinPath(this.kubernetesDir, h.fileName);
  }

  /** The certificate a handler reads, or undefined when its file is missing. */
  // Upstream: renewal/readwriter.go (pkiCertificateReadWriter.Read, kubeConfigReadWriter.Read)
  read(h: CertificateRenewHandler): Certificate | undefined {
    const text = this.files.readFile(this.#path(h));
    if (text === undefined) return undefined;
    return h.kind === 'pki' ? parseCertsPem(text)[0] : kubeConfigClientCert(text);
  }

  readCA(h: CAExpirationHandler): Certificate | undefined {
    const text = this.files.readFile(joinPath(this.certificatesDir, `${h.fileName}.crt`));
    return text === undefined ? undefined : parseCertsPem(text)[0];
  }

  /** Externally managed: the CA certificate is there but its key is not, so kubeadm cannot sign with it. */
  // Upstream: manager.go (IsExternallyManaged); certs.go (UsingExternalCA, UsingExternalFrontProxyCA,
  // UsingExternalEtcdCA), reduced to their first test: the CA key file is missing.
  isExternallyManaged(caBaseName: string): boolean {
    const dir = this.certificatesDir;
    return this.files.readFile(joinPath(dir, `${caBaseName}.crt`)) !== undefined && this.files.readFile(joinPath(dir, `${caBaseName}.key`)) === undefined;
  }

  handler(name: string): CertificateRenewHandler {
    const h = this.certificates.find((c) => c.name === name);
    if (!h) throw new Error(`${name} is not a valid certificate for this cluster`);
    return h;
  }

  /**
   * Re-issues one certificate from its CA: same CN, O, SANs and usages (certToConfig), a new key,
   * NotBefore now minus five minutes, NotAfter now plus the validity period. False when the CA is
   * external (no key).
   */
  // Upstream: manager.go (RenewUsingLocalCA), filerenewer.go (FileRenewer.Renew)
  renewUsingLocalCA(name: string, env: PkiEnv): boolean {
    const h = this.handler(name);
    if (this.isExternallyManaged(h.caBaseName)) return false;
    const old = this.read(h);
    if (!old) throw new Error(`couldn't load the certificate file ${this.#path(h)}`);
    const ca = loadCertAndKey(this.files, this.certificatesDir, h.caBaseName);
    if (!ca) throw new Error(`failure loading ${h.caBaseName} certificate authority`);
    const now = env.clock.now();
    const usages = old.extKeyUsage.map((o) => (Object.keys(EXT_KEY_USAGE_OIDS) as ExtKeyUsage[]).find((u) => EXT_KEY_USAGE_OIDS[u] === o)!).filter(Boolean);
    const renewed = newCertAndKey(
      ca,
      {
        commonName: commonNameOf(old.subject),
        organization: organizationOf(old.subject),
        altNames: { dnsNames: old.dnsNames, ips: old.ipAddresses },
        usages,
        notBeforeMs: now - C.CERTIFICATE_BACKDATE_MS,
        notAfterMs: now + this.#cfg.certificateValidityPeriodMs,
      },
      this.#cfg.certificateValidityPeriodMs,
      env.rng.fork(`renew/${name}/${now}`),
    );
    this.#write(h, renewed, ca);
    if (env.trace) new EventEmitter(kubeadmCertsEvents, { clock: env.clock as FakeClock, trace: env.trace }, {}).emit('kubeadm.certs.renew', { name, notAfter: renewed.cert.notAfterMs });
    return true;
  }

  // Upstream: renewal/readwriter.go (pkiCertificateReadWriter.Write, kubeConfigReadWriter.Write)
  #write(h: CertificateRenewHandler, ck: CertAndKey, ca: CertAndKey): void {
    if (h.kind === 'pki') {
      this.files.writeFile(joinPath(this.certificatesDir, `${h.fileName}.key`), encodePrivateKeyPem(ck.key), C.MODE_KEY);
      this.files.writeFile(joinPath(this.certificatesDir, `${h.fileName}.crt`), encodeCertPem(ck.cert.raw), C.MODE_CERT);
      return;
    }
    const path = this.#path(h);
    const old = readKubeConfig(this.files.readFile(path)!);
    this.files.writeFile(path, writeKubeConfig({ ...old, caCertPem: encodeCertPem(ca.cert.raw), clientCertPem: encodeCertPem(ck.cert.raw), clientKeyPem: encodePrivateKeyPem(ck.key) }), C.MODE_KEY);
  }
}

export { shortHumanDuration };


/** Go's `Jan 02, 2006 15:04 MST` in UTC. */
export function expirationDate(ms: number): string {
  const d = utcParts(ms);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${MONTH_ABBREVIATIONS[d.month - 1]} ${p2(d.day)}, ${d.year} ${p2(d.hour)}:${p2(d.minute)} UTC`;
}

/** `kubeadm certs check-expiration`: the certificates table, a blank line, the CA table. */
// Upstream: cmd/kubeadm/app/cmd/certs.go (newCmdCertsExpiration)
export function checkExpiration(rm: Manager, nowMs: number): string {
  const yesNo = (b: boolean) => (b ? 'yes' : 'no').padEnd(8);
  const certs = ['CERTIFICATE\tEXPIRES\tRESIDUAL TIME\tCERTIFICATE AUTHORITY\tEXTERNALLY MANAGED'];
  for (const h of rm.certificates) {
    const c = rm.read(h);
    if (!c) {
      certs.push(`!MISSING! ${h.name}\t\t\t\t`);
      continue;
    }
    certs.push(`${h.name}\t${expirationDate(c.notAfterMs)}\t${shortHumanDuration(c.notAfterMs - nowMs)}\t${h.caName}\t${yesNo(rm.isExternallyManaged(h.caBaseName))}`);
  }
  const cas = ['CERTIFICATE AUTHORITY\tEXPIRES\tRESIDUAL TIME\tEXTERNALLY MANAGED'];
  for (const h of rm.cas) {
    const c = rm.readCA(h);
    if (!c) {
      cas.push(`!MISSING! ${h.name}\t\t\t`);
      continue;
    }
    cas.push(`${h.name}\t${expirationDate(c.notAfterMs)}\t${shortHumanDuration(c.notAfterMs - nowMs)}\t${yesNo(rm.isExternallyManaged(h.fileName))}`);
  }
  // An empty line ends a tabwriter column block: the two tables align separately.
  return `${tabwriter(certs, 10, 3)}\n${tabwriter(cas, 10, 3)}`;
}

/** `kubeadm certs renew <name>|all`: the lines it prints. */
// Upstream: cmd/kubeadm/app/cmd/certs.go (getRenewSubCommands, renewCert)
export function renew(rm: Manager, which: string, env: PkiEnv): string[] {
  const names = which === 'all' ? rm.certificates.map((h) => h.name) : [rm.handler(which).name];
  const out: string[] = [];
  for (const name of names) {
    const h = rm.handler(name);
    if (rm.read(h) === undefined) {
      out.push(`MISSING! ${h.longName}`);
      continue;
    }
    if (!rm.renewUsingLocalCA(name, env)) {
      out.push(`Detected external ${h.caBaseName}, ${h.longName} can't be renewed`);
      continue;
    }
    out.push(`${h.longName} renewed`);
  }
  if (which === 'all') {
    out.push('', 'Done renewing certificates. You must restart the kube-apiserver, kube-controller-manager, kube-scheduler and etcd, so that they can use the new certificates.');
  }
  return out;
}
