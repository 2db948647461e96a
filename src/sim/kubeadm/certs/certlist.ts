/**
 * The certificates kubeadm makes: three CAs (kubernetes, front-proxy, etcd) and the seven leaves
 * they sign, each with its name (used by `kubeadm certs renew <name>`), file base name, signing
 * CA, subject and usages, and for the serving certificates the SANs derived from the configuration.
 * Upstream: cmd/kubeadm/app/phases/certs/certlist.go (KubeadmCert, GetDefaultCertList,
 * GetCertsWithoutEtcd, CertTree, the KubeadmCert* definitions, makeAltNamesMutator, setCommonNameToNodeName)
 */
import type { ExtKeyUsage } from '../../pki/oids';
import * as C from './constants';
import type { DefaultedPkiConfiguration } from './config';
import { getAPIServerAltNames, getEtcdAltNames, type CertConfig, type Warn } from './pkiutil';

export interface KubeadmCert {
  /** UX name: `apiserver`, `etcd-ca`, `front-proxy-client`. */
  name: string;
  longName: string;
  /** File base name under the certificates dir: `apiserver`, `etcd/ca`. */
  baseName: string;
  /** The `name` of the signing CA; empty for a CA. */
  caName: string;
  /** The certificate's config for this cluster (SANs and the etcd CN depend on it). */
  config(cfg: DefaultedPkiConfiguration, warn?: Warn): CertConfig;
}

const fixed =
  (commonName: string, organization?: string[], usages?: ExtKeyUsage[]) =>
  (): CertConfig => ({ commonName, organization, usages });

export const kubeadmCertRootCA: KubeadmCert = {
  name: 'ca',
  longName: 'self-signed Kubernetes CA to provision identities for other Kubernetes components',
  baseName: C.CA_CERT_AND_KEY_BASE_NAME,
  caName: '',
  config: fixed('kubernetes'),
};

export const kubeadmCertAPIServer: KubeadmCert = {
  name: 'apiserver',
  longName: 'certificate for serving the Kubernetes API',
  baseName: C.APISERVER_CERT_AND_KEY_BASE_NAME,
  caName: 'ca',
  config: (cfg, warn) => ({ commonName: C.APISERVER_CERT_COMMON_NAME, usages: ['serverAuth'], altNames: getAPIServerAltNames(cfg, warn) }),
};

export const kubeadmCertKubeletClient: KubeadmCert = {
  name: 'apiserver-kubelet-client',
  longName: 'certificate for the API server to connect to kubelet',
  baseName: C.APISERVER_KUBELET_CLIENT_CERT_AND_KEY_BASE_NAME,
  caName: 'ca',
  config: fixed(C.APISERVER_KUBELET_CLIENT_CERT_COMMON_NAME, [C.CLUSTER_ADMINS_GROUP_AND_CLUSTER_ROLE_BINDING], ['clientAuth']),
};

export const kubeadmCertFrontProxyCA: KubeadmCert = {
  name: 'front-proxy-ca',
  longName: 'self-signed CA to provision identities for front proxy',
  baseName: C.FRONT_PROXY_CA_CERT_AND_KEY_BASE_NAME,
  caName: '',
  config: fixed('front-proxy-ca'),
};

export const kubeadmCertFrontProxyClient: KubeadmCert = {
  name: 'front-proxy-client',
  longName: 'certificate for the front proxy client',
  baseName: C.FRONT_PROXY_CLIENT_CERT_AND_KEY_BASE_NAME,
  caName: 'front-proxy-ca',
  config: fixed(C.FRONT_PROXY_CLIENT_CERT_COMMON_NAME, undefined, ['clientAuth']),
};

export const kubeadmCertEtcdCA: KubeadmCert = {
  name: 'etcd-ca',
  longName: 'self-signed CA to provision identities for etcd',
  baseName: C.ETCD_CA_CERT_AND_KEY_BASE_NAME,
  caName: '',
  config: fixed('etcd-ca'),
};

// etcd serving certificates carry ClientAuth too: etcd 3.2+ requires it of the server certificate.
export const kubeadmCertEtcdServer: KubeadmCert = {
  name: 'etcd-server',
  longName: 'certificate for serving etcd',
  baseName: C.ETCD_SERVER_CERT_AND_KEY_BASE_NAME,
  caName: 'etcd-ca',
  config: (cfg, warn) => ({ commonName: cfg.nodeName, usages: ['serverAuth', 'clientAuth'], altNames: getEtcdAltNames(cfg, C.ETCD_SERVER_CERT_NAME, warn) }),
};

export const kubeadmCertEtcdPeer: KubeadmCert = {
  name: 'etcd-peer',
  longName: 'certificate for etcd nodes to communicate with each other',
  baseName: C.ETCD_PEER_CERT_AND_KEY_BASE_NAME,
  caName: 'etcd-ca',
  config: (cfg, warn) => ({ commonName: cfg.nodeName, usages: ['serverAuth', 'clientAuth'], altNames: getEtcdAltNames(cfg, C.ETCD_PEER_CERT_NAME, warn) }),
};

export const kubeadmCertEtcdHealthcheck: KubeadmCert = {
  name: 'etcd-healthcheck-client',
  longName: 'certificate for liveness probes to healthcheck etcd',
  baseName: C.ETCD_HEALTHCHECK_CLIENT_CERT_AND_KEY_BASE_NAME,
  caName: 'etcd-ca',
  config: fixed(C.ETCD_HEALTHCHECK_CLIENT_CERT_COMMON_NAME, undefined, ['clientAuth']),
};

export const kubeadmCertEtcdAPIClient: KubeadmCert = {
  name: 'apiserver-etcd-client',
  longName: 'certificate the apiserver uses to access etcd',
  baseName: C.APISERVER_ETCD_CLIENT_CERT_AND_KEY_BASE_NAME,
  caName: 'etcd-ca',
  config: fixed(C.APISERVER_ETCD_CLIENT_CERT_COMMON_NAME, undefined, ['clientAuth']),
};

/** Every certificate, in the order `kubeadm init phase certs` makes them. */
// Upstream: certlist.go (GetDefaultCertList)
export function getDefaultCertList(): KubeadmCert[] {
  return [
    kubeadmCertRootCA,
    kubeadmCertAPIServer,
    kubeadmCertKubeletClient,
    kubeadmCertFrontProxyCA,
    kubeadmCertFrontProxyClient,
    kubeadmCertEtcdCA,
    kubeadmCertEtcdServer,
    kubeadmCertEtcdPeer,
    kubeadmCertEtcdHealthcheck,
    kubeadmCertEtcdAPIClient,
  ];
}

/** With external etcd kubeadm makes no etcd certificates. */
// Upstream: certlist.go (GetCertsWithoutEtcd)
export function getCertsWithoutEtcd(): KubeadmCert[] {
  return [kubeadmCertRootCA, kubeadmCertAPIServer, kubeadmCertKubeletClient, kubeadmCertFrontProxyCA, kubeadmCertFrontProxyClient];
}

export function certListFor(cfg: DefaultedPkiConfiguration): KubeadmCert[] {
  return cfg.externalEtcd ? getCertsWithoutEtcd() : getDefaultCertList();
}

/** CA -> the certificates it signs, CAs in list order (upstream's is a Go map: unordered). */
// Upstream: certlist.go (CertificateMap.CertTree)
export function certTree(certs: readonly KubeadmCert[]): Map<KubeadmCert, KubeadmCert[]> {
  const byName = new Map(certs.map((c) => [c.name, c]));
  const tree = new Map<KubeadmCert, KubeadmCert[]>();
  for (const c of certs) if (!c.caName && !tree.has(c)) tree.set(c, []);
  for (const c of certs) {
    if (!c.caName) continue;
    const ca = byName.get(c.caName);
    if (!ca) throw new Error(`certificate "${c.name}" references unknown CA "${c.caName}"`);
    tree.get(ca)!.push(c);
  }
  return tree;
}
