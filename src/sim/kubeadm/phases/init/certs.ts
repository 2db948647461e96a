/**
 * `kubeadm init phase certs [all|ca|apiserver|...|sa]` and `kubeadm init phase kubeconfig
 * [all|admin|super-admin|kubelet|controller-manager|scheduler]`: one sub-phase per certificate and
 * per kubeconfig file, on the certs model (`../../certs`), writing through the host's disk.
 * An existing CA is reused, an existing certificate signed by its CA is kept, an existing
 * kubeconfig file is kept: re-running init after a later phase failed changes nothing here.
 * Upstream: cmd/kubeadm/app/cmd/phases/init/certs.go (NewCertsPhase, newCertSubPhases, runCerts,
 * runCAPhase, runCertPhase, runCertsSa), phases/init/kubeconfig.go (NewKubeConfigPhase, runKubeConfigFile),
 * phases/certs/certs.go (CreateCACertAndKeyFiles, CreateCertAndKeyFilesWithCA, CreateServiceAccountKeyAndPublicKeyFiles)
 */
import { encodePrivateKeyPem, encodePublicKeyPem, generateRsaKey } from '../../../pki/keys';
import { OID } from '../../../pki/oids';
import { checkSignatureFrom, encodeCertPem, parseCertsPem } from '../../../pki/x509';
import { getDefaultCertList, type KubeadmCert } from '../../certs/certlist';
import { loadCertAndKey } from '../../certs/certs';
import { defaultPkiConfiguration, type DefaultedPkiConfiguration } from '../../certs/config';
import { CERTIFICATE_BACKDATE_MS, MODE_CERT, MODE_KEY } from '../../certs/constants';
import { joinPath } from '../../certs/files';
import { buildKubeConfigFromSpec, getKubeConfigSpecs, getLocalAPIEndpoint } from '../../certs/kubeconfig';
import { newCertAndKey, newCertificateAuthority, type CertAndKey } from '../../certs/pkiutil';
import type { Phase } from '../../workflow/phase';
import { KubernetesDir, type InitData } from './data';

const noSuchFile = (path: string) => `open ${path}: no such file or directory`;

function writeCertAndKey(d: InitData, dir: string, baseName: string, ck: CertAndKey): void {
  d.files.writeFile(joinPath(dir, `${baseName}.key`), encodePrivateKeyPem(ck.key), MODE_KEY);
  d.files.writeFile(joinPath(dir, `${baseName}.crt`), encodeCertPem(ck.cert.raw), MODE_CERT);
}

/** Leaves: one year from now; CAs: ten; both backdated five minutes. */
// Upstream: phases/certs/certlist.go (KubeadmCert.GetConfig)
function validity(cert: KubeadmCert, cfg: DefaultedPkiConfiguration, nowMs: number) {
  const period = cert.caName ? cfg.certificateValidityPeriodMs : cfg.caCertificateValidityPeriodMs;
  return { notBeforeMs: nowMs - CERTIFICATE_BACKDATE_MS, notAfterMs: nowMs + period };
}

const isEtcd = (cert: KubeadmCert) => cert.name === 'etcd-ca' || cert.caName === 'etcd-ca';

// Upstream: phases/init/certs.go (runCAPhase)
function runCAPhase(ca: KubeadmCert) {
  return (d: InitData) => {
    const cfg = defaultPkiConfiguration(d.pkiConfig());
    if (cfg.externalEtcd && isEtcd(ca)) return d.out(`[certs] External etcd mode: Skipping ${ca.baseName} certificate authority generation`);
    const dir = cfg.certificatesDir;
    if (d.files.readFile(joinPath(dir, `${ca.baseName}.crt`)) !== undefined) {
      if (d.files.readFile(joinPath(dir, `${ca.baseName}.key`)) !== undefined) return d.out(`[certs] Using existing ${ca.baseName} certificate authority`);
      return d.out(`[certs] Using existing ${ca.baseName} keyless certificate authority`);
    }
    d.out(`[certs] Generating "${ca.baseName}" certificate and key`);
    const now = d.env.clock.now();
    const ck = newCertificateAuthority({ ...ca.config(cfg), ...validity(ca, cfg, now) }, now, cfg.caCertificateValidityPeriodMs, d.env.rng.fork(`pki/${ca.baseName}`));
    writeCertAndKey(d, dir, ca.baseName, ck);
  };
}

// Upstream: phases/init/certs.go (runCertPhase), phases/certs/certs.go (CreateCertAndKeyFilesWithCA, LoadCertificateAuthority)
function runCertPhase(cert: KubeadmCert, caCert: KubeadmCert) {
  return (d: InitData) => {
    const cfg = defaultPkiConfiguration(d.pkiConfig());
    if (cfg.externalEtcd && isEtcd(cert)) return d.out(`[certs] External etcd mode: Skipping ${cert.baseName} certificate generation`);
    const dir = cfg.certificatesDir;
    const existing = d.files.readFile(joinPath(dir, `${cert.baseName}.crt`));
    if (existing !== undefined && d.files.readFile(joinPath(dir, `${cert.baseName}.key`)) !== undefined) {
      const caPem = d.files.readFile(joinPath(dir, `${caCert.baseName}.crt`));
      if (caPem === undefined) throw new Error(`couldn't load CA certificate ${caCert.name}: couldn't load the certificate file ${joinPath(dir, `${caCert.baseName}.crt`)}: ${noSuchFile(joinPath(dir, `${caCert.baseName}.crt`))}`);
      const bad = checkSignatureFrom(parseCertsPem(existing)[0], parseCertsPem(caPem)[0]);
      if (bad) throw new Error(`[certs] certificate ${cert.baseName} not signed by CA certificate ${caCert.baseName}: x509: certificate signed by unknown authority`);
      return d.out(`[certs] Using existing ${cert.baseName} certificate and key on disk`);
    }
    const ca = loadCertAndKey(d.files, dir, caCert.baseName);
    if (!ca) {
      const missing = d.files.readFile(joinPath(dir, `${caCert.baseName}.crt`)) === undefined ? `${caCert.baseName}.crt` : `${caCert.baseName}.key`;
      throw new Error(`couldn't load CA certificate ${caCert.name}: failure loading ${caCert.baseName} certificate authority: couldn't load the ${missing.endsWith('.crt') ? 'certificate' : 'private key'} file ${joinPath(dir, missing)}: ${noSuchFile(joinPath(dir, missing))}`);
    }
    d.out(`[certs] Generating "${cert.baseName}" certificate and key`);
    const now = d.env.clock.now();
    const warn = (line: string) => d.out(line);
    const ck = newCertAndKey(ca, { ...cert.config(cfg, warn), ...validity(cert, cfg, now) }, cfg.certificateValidityPeriodMs, d.env.rng.fork(`pki/${cert.baseName}`));
    // Serving certificates say which names and addresses they cover.
    if (ck.cert.extKeyUsage.includes(OID.serverAuth)) {
      d.out(`[certs] ${cert.baseName} serving cert is signed for DNS names [${ck.cert.dnsNames.join(' ')}] and IPs [${ck.cert.ipAddresses.join(' ')}]`);
    }
    writeCertAndKey(d, dir, cert.baseName, ck);
  };
}

/** sa.key / sa.pub: the key pair that signs and verifies ServiceAccount tokens. */
// Upstream: phases/init/certs.go (runCertsSa), phases/certs/certs.go (CreateServiceAccountKeyAndPublicKeyFiles)
function runCertsSa(d: InitData): void {
  const dir = d.certificateDir();
  const keyPath = joinPath(dir, 'sa.key');
  if (d.files.readFile(keyPath) !== undefined) return d.out('[certs] Using the existing "sa" key');
  d.out('[certs] Generating "sa" key and public key');
  const key = generateRsaKey(d.env.rng.fork('pki/sa'));
  d.files.writeFile(keyPath, encodePrivateKeyPem(key), MODE_KEY);
  d.files.writeFile(joinPath(dir, 'sa.pub'), encodePublicKeyPem(key.publicKey), MODE_KEY);
}

// Upstream: phases/init/certs.go (NewCertsPhase, newCertSubPhases)
export function newCertsPhase(): Phase<InitData> {
  const sub: Phase<InitData>[] = [{ name: 'all', short: 'Generate all certificates', runAllSiblings: true }];
  // Each CA comes right before the certificates it signs.
  let lastCA: KubeadmCert | undefined;
  for (const cert of getDefaultCertList()) {
    if (!cert.caName) lastCA = cert;
    sub.push({ name: cert.name, short: `Generate the ${cert.longName}`, run: cert.caName ? runCertPhase(cert, lastCA!) : runCAPhase(cert) });
  }
  sub.push({ name: 'sa', short: 'Generate a private key for signing service account tokens along with its public key', run: runCertsSa });
  return {
    name: 'certs',
    short: 'Certificate generation',
    phases: sub,
    run: (d) => d.out(`[certs] Using certificateDir folder ${JSON.stringify(d.certificateDir())}`),
  };
}

const KUBECONFIG_PHASES: Array<[string, string, string]> = [
  ['admin', 'admin.conf', 'Generate a kubeconfig file for the admin to use and for kubeadm itself'],
  ['super-admin', 'super-admin.conf', 'Generate a kubeconfig file for the super-admin'],
  ['kubelet', 'kubelet.conf', 'Generate a kubeconfig file for the kubelet to use *only* for cluster bootstrapping purposes'],
  ['controller-manager', 'controller-manager.conf', 'Generate a kubeconfig file for the controller manager to use'],
  ['scheduler', 'scheduler.conf', 'Generate a kubeconfig file for the scheduler to use'],
];

/** One kubeconfig file: kept when it exists, else a new client certificate from the cluster CA. */
// Upstream: phases/init/kubeconfig.go (runKubeConfigFile), phases/kubeconfig/kubeconfig.go (createKubeConfigFileIfNotExists)
function runKubeConfigFile(fileName: string) {
  return (d: InitData) => {
    const cfg = defaultPkiConfiguration(d.pkiConfig());
    const path = joinPath(KubernetesDir, fileName);
    const ca = loadCertAndKey(d.files, cfg.certificatesDir, 'ca');
    if (!ca) throw new Error(`couldn't create a kubeconfig; the CA files couldn't be loaded: failure loading ca certificate authority: couldn't load the certificate file ${joinPath(cfg.certificatesDir, 'ca.crt')}: ${noSuchFile(joinPath(cfg.certificatesDir, 'ca.crt'))}`);
    if (d.files.readFile(path) !== undefined) return d.out(`[kubeconfig] Using existing kubeconfig file: ${JSON.stringify(path)}`);
    const spec = { ...getKubeConfigSpecs(cfg).find((s) => s.fileName === fileName)! };
    // ControlPlaneKubeletLocalMode (beta, on in v1.34): a control-plane kubelet talks to its own API server.
    if (fileName === 'kubelet.conf') spec.apiServer = getLocalAPIEndpoint(cfg);
    d.out(`[kubeconfig] Writing ${JSON.stringify(fileName)} kubeconfig file`);
    const now = d.env.clock.now();
    d.files.writeFile(path, buildKubeConfigFromSpec(spec, ca, cfg, now, d.env.rng.fork(`kubeconfig/${fileName}`)), MODE_KEY);
  };
}

// Upstream: phases/init/kubeconfig.go (NewKubeConfigPhase)
export function newKubeConfigPhase(): Phase<InitData> {
  return {
    name: 'kubeconfig',
    short: 'Generate all kubeconfig files necessary to establish the control plane and the admin kubeconfig file',
    phases: [
      { name: 'all', short: 'Generate all kubeconfig files', runAllSiblings: true },
      ...KUBECONFIG_PHASES.map(([name, file, short]) => ({ name, short, run: runKubeConfigFile(file) })),
    ],
    run: (d) => d.out(`[kubeconfig] Using kubeconfig folder ${JSON.stringify(KubernetesDir)}`),
  };
}
