/**
 * `kubeadm init phase certs all` and `kubeadm init phase kubeconfig all`: the three CAs, the seven
 * certificates they sign, the service-account key pair, and the five kubeconfig files, written
 * through a FileWriter, with the lines kubeadm prints.
 * Upstream: cmd/kubeadm/app/phases/certs/certs.go (CreatePKIAssets, CreateServiceAccountKeyAndPublicKeyFiles,
 * writeCertificateAuthorityFilesIfNotExist, writeCertificateFilesIfNotExist), certlist.go (KubeadmCert.GetConfig),
 * cmd/kubeadm/app/cmd/phases/init/certs.go (the "[certs] Generating" lines), phases/kubeconfig/kubeconfig.go.
 */
import { EventEmitter } from '../../core/events';
import type { FakeClock } from '../../core/clock';
import type { Rng } from '../../core/rng';
import type { TraceRecorder } from '../../core/trace';
import { encodePrivateKeyPem, encodePublicKeyPem, generateRsaKey, parsePrivateKeyPem } from '../../pki/keys';
import { OID } from '../../pki/oids';
import { commonNameOf, encodeCertPem, parseCertsPem } from '../../pki/x509';
import { certListFor, certTree, type KubeadmCert } from './certlist';
import { defaultPkiConfiguration, type DefaultedPkiConfiguration, type PkiInitConfiguration } from './config';
import * as C from './constants';
import { kubeadmCertsEvents, type KubeadmCertsEventMap } from './events';
import { joinPath, type FileWriter } from './files';
import { buildKubeConfigFromSpec, getKubeConfigSpecs } from './kubeconfig';
import { newCertAndKey, newCertificateAuthority, type CertAndKey } from './pkiutil';

/** What the PKI functions run with: virtual time (Unix ms), randomness, and optionally a trace. */
export interface PkiEnv {
  clock: Pick<FakeClock, 'now'>;
  rng: Rng;
  trace?: TraceRecorder;
}

export interface PkiResult {
  /** Lines kubeadm prints (`[certs] Generating "ca" certificate and key`, ...). */
  out: string[];
  /** Every path written, in order. */
  written: string[];
}

/** Writes through `files` and records a trace event for each file. */
class PkiWriter {
  readonly written: string[] = [];
  readonly #events: EventEmitter<KubeadmCertsEventMap, Record<string, never>> | undefined;

  constructor(
    readonly files: FileWriter,
    env: PkiEnv,
  ) {
    this.#events = env.trace ? new EventEmitter(kubeadmCertsEvents, { clock: env.clock as FakeClock, trace: env.trace }, {}) : undefined;
  }

  write(path: string, data: string, mode: number, kind: string, subject = '', notAfter = 0): void {
    this.files.writeFile(path, data, mode);
    this.written.push(path);
    this.#events?.emit('kubeadm.certs.write', { path, kind, subject, notAfter });
  }

  writeCertAndKey(dir: string, baseName: string, ck: CertAndKey): void {
    this.write(joinPath(dir, `${baseName}.key`), encodePrivateKeyPem(ck.key), C.MODE_KEY, 'key');
    this.write(joinPath(dir, `${baseName}.crt`), encodeCertPem(ck.cert.raw), C.MODE_CERT, 'cert', commonNameOf(ck.cert.subject), ck.cert.notAfterMs);
  }
}

/** Loads `<dir>/<baseName>.crt` and `.key` if both exist (pkiutil.TryLoadCertAndKeyFromDisk). */
export function loadCertAndKey(files: FileWriter, dir: string, baseName: string): CertAndKey | undefined {
  const crt = files.readFile(joinPath(dir, `${baseName}.crt`));
  const key = files.readFile(joinPath(dir, `${baseName}.key`));
  if (crt === undefined || key === undefined) return undefined;
  return { cert: parseCertsPem(crt)[0], key: parsePrivateKeyPem(key) };
}

/** NotBefore backdated by five minutes, NotAfter from the configured validity (KubeadmCert.GetConfig). */
function validity(cert: KubeadmCert, cfg: DefaultedPkiConfiguration, nowMs: number): { notBeforeMs: number; notAfterMs: number } {
  const period = cert.caName ? cfg.certificateValidityPeriodMs : cfg.caCertificateValidityPeriodMs;
  return { notBeforeMs: nowMs - C.CERTIFICATE_BACKDATE_MS, notAfterMs: nowMs + period };
}

/**
 * Creates every CA and certificate kubeadm needs under the certificates dir, then the sa key pair.
 * An existing CA (cert and key) is reused, as with a user-provided CA; everything else is new.
 * Each certificate's key comes from its own fork of the rng, so one certificate never shifts another.
 */
// Upstream: certs.go (CreatePKIAssets), certlist.go (CertificateTree.CreateTree)
export function createPKIAssets(input: PkiInitConfiguration, env: PkiEnv, files: FileWriter): PkiResult & { cas: Map<string, CertAndKey> } {
  const cfg = defaultPkiConfiguration(input);
  const now = env.clock.now();
  const w = new PkiWriter(files, env);
  const out: string[] = [];
  const warn = (line: string) => out.push(line);
  const cas = new Map<string, CertAndKey>();
  for (const [caSpec, leaves] of certTree(certListFor(cfg))) {
    let ca = loadCertAndKey(files, cfg.certificatesDir, caSpec.baseName);
    if (ca) {
      if (!ca.cert.isCA) throw new Error(`certificate "${caSpec.name}" is not a CA`);
      out.push(`[certs] Using the existing "${caSpec.baseName}" certificate and key`);
    } else {
      out.push(`[certs] Generating "${caSpec.baseName}" certificate and key`);
      ca = newCertificateAuthority({ ...caSpec.config(cfg), ...validity(caSpec, cfg, now) }, now, cfg.caCertificateValidityPeriodMs, env.rng.fork(`pki/${caSpec.baseName}`));
      w.writeCertAndKey(cfg.certificatesDir, caSpec.baseName, ca);
    }
    cas.set(caSpec.name, ca);
    for (const leaf of leaves) {
      out.push(`[certs] Generating "${leaf.baseName}" certificate and key`);
      const ck = newCertAndKey(ca, { ...leaf.config(cfg, warn), ...validity(leaf, cfg, now) }, cfg.certificateValidityPeriodMs, env.rng.fork(`pki/${leaf.baseName}`));
      // Upstream: certs.go (writeCertificateFilesIfNotExist) prints the SANs of serving certificates.
      if (ck.cert.extKeyUsage.includes(OID.serverAuth)) {
        out.push(`[certs] ${leaf.baseName} serving cert is signed for DNS names [${ck.cert.dnsNames.join(' ')}] and IPs [${ck.cert.ipAddresses.join(' ')}]`);
      }
      w.writeCertAndKey(cfg.certificatesDir, leaf.baseName, ck);
    }
  }
  out.push(...createServiceAccountKeyAndPublicKeyFiles(cfg, env, w));
  return { out, written: w.written, cas };
}

/** sa.key / sa.pub: the key pair that signs and verifies ServiceAccount tokens (no certificate). */
// Upstream: certs.go (CreateServiceAccountKeyAndPublicKeyFiles)
function createServiceAccountKeyAndPublicKeyFiles(cfg: DefaultedPkiConfiguration, env: PkiEnv, w: PkiWriter): string[] {
  const keyPath = joinPath(cfg.certificatesDir, `${C.SERVICE_ACCOUNT_KEY_BASE_NAME}.key`);
  if (w.files.readFile(keyPath) !== undefined) return ['[certs] Using the existing "sa" key'];
  const key = generateRsaKey(env.rng.fork('pki/sa'));
  w.write(keyPath, encodePrivateKeyPem(key), C.MODE_KEY, 'key');
  w.write(joinPath(cfg.certificatesDir, `${C.SERVICE_ACCOUNT_KEY_BASE_NAME}.pub`), encodePublicKeyPem(key.publicKey), C.MODE_KEY, 'pub');
  return ['[certs] Generating "sa" key and public key'];
}

/**
 * Writes admin.conf, super-admin.conf, kubelet.conf, controller-manager.conf and scheduler.conf
 * under `kubernetesDir`, each with a new client certificate from the cluster CA.
 */
// Upstream: kubeconfig.go (createKubeConfigFiles, createKubeConfigFileIfNotExists)
export function createKubeConfigFiles(input: PkiInitConfiguration, env: PkiEnv, files: FileWriter, kubernetesDir = C.KUBERNETES_DIR): PkiResult {
  const cfg = defaultPkiConfiguration(input);
  const ca = loadCertAndKey(files, cfg.certificatesDir, C.CA_CERT_AND_KEY_BASE_NAME);
  if (!ca) throw new Error('the CA files do not exist, please run `kubeadm init phase certs ca` to generate it');
  const w = new PkiWriter(files, env);
  const out: string[] = [];
  for (const spec of getKubeConfigSpecs(cfg)) {
    const path = joinPath(kubernetesDir, spec.fileName);
    if (files.readFile(path) !== undefined) {
      out.push(`[kubeconfig] Using existing kubeconfig file: "${path}"`);
      continue;
    }
    out.push(`[kubeconfig] Writing "${spec.fileName}" kubeconfig file`);
    const text = buildKubeConfigFromSpec(spec, ca, cfg, env.clock.now(), env.rng.fork(`kubeconfig/${spec.fileName}`));
    w.write(path, text, C.MODE_KEY, 'kubeconfig', spec.clientName, env.clock.now() + cfg.certificateValidityPeriodMs);
  }
  return { out, written: w.written };
}
