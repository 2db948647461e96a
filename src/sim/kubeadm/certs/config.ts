/**
 * The part of kubeadm's InitConfiguration the certificate and kubeconfig phases read, with field
 * names and nesting as in the kubeadm API (so the full configuration object can be passed as is),
 * and the defaults kubeadm's defaulting fills in.
 * Upstream: cmd/kubeadm/app/apis/kubeadm/types.go (InitConfiguration, ClusterConfiguration),
 * apis/kubeadm/v1beta4/defaults.go
 */
import {
  CA_CERTIFICATE_VALIDITY_PERIOD_MS,
  CERTIFICATE_VALIDITY_PERIOD_MS,
  DEFAULT_API_BIND_PORT,
  DEFAULT_CERTIFICATES_DIR,
  DEFAULT_CLUSTER_NAME,
  DEFAULT_DNS_DOMAIN,
  DEFAULT_SERVICE_SUBNET,
} from './constants';

export interface PkiInitConfiguration {
  nodeRegistration: { name: string };
  localAPIEndpoint: { advertiseAddress: string; bindPort?: number };
  /** `host[:port]`: a load balancer's address for HA; empty means the local endpoint. */
  controlPlaneEndpoint?: string;
  networking?: { serviceSubnet?: string; dnsDomain?: string };
  apiServer?: { certSANs?: readonly string[] };
  /** `external` set: kubeadm makes no etcd certificates. */
  etcd?: { local?: { serverCertSANs?: readonly string[]; peerCertSANs?: readonly string[] }; external?: object };
  certificatesDir?: string;
  clusterName?: string;
  /** ClusterConfiguration.certificateValidityPeriod (v1beta4), in milliseconds. */
  certificateValidityPeriodMs?: number;
  /** ClusterConfiguration.caCertificateValidityPeriod (v1beta4), in milliseconds. */
  caCertificateValidityPeriodMs?: number;
}

/** The configuration with kubeadm's defaults applied. */
export interface DefaultedPkiConfiguration {
  nodeName: string;
  advertiseAddress: string;
  bindPort: number;
  controlPlaneEndpoint: string;
  serviceSubnet: string;
  dnsDomain: string;
  certSANs: readonly string[];
  etcdServerCertSANs: readonly string[];
  etcdPeerCertSANs: readonly string[];
  externalEtcd: boolean;
  certificatesDir: string;
  clusterName: string;
  certificateValidityPeriodMs: number;
  caCertificateValidityPeriodMs: number;
}

// Upstream: apis/kubeadm/v1beta4/defaults.go (SetDefaults_ClusterConfiguration, SetDefaults_APIEndpoint, SetDefaults_Networking)
export function defaultPkiConfiguration(cfg: PkiInitConfiguration): DefaultedPkiConfiguration {
  return {
    nodeName: cfg.nodeRegistration.name,
    advertiseAddress: cfg.localAPIEndpoint.advertiseAddress,
    bindPort: cfg.localAPIEndpoint.bindPort ?? DEFAULT_API_BIND_PORT,
    controlPlaneEndpoint: cfg.controlPlaneEndpoint ?? '',
    serviceSubnet: cfg.networking?.serviceSubnet ?? DEFAULT_SERVICE_SUBNET,
    dnsDomain: cfg.networking?.dnsDomain ?? DEFAULT_DNS_DOMAIN,
    certSANs: cfg.apiServer?.certSANs ?? [],
    etcdServerCertSANs: cfg.etcd?.local?.serverCertSANs ?? [],
    etcdPeerCertSANs: cfg.etcd?.local?.peerCertSANs ?? [],
    externalEtcd: cfg.etcd?.external !== undefined,
    certificatesDir: cfg.certificatesDir ?? DEFAULT_CERTIFICATES_DIR,
    clusterName: cfg.clusterName ?? DEFAULT_CLUSTER_NAME,
    certificateValidityPeriodMs: cfg.certificateValidityPeriodMs ?? CERTIFICATE_VALIDITY_PERIOD_MS,
    caCertificateValidityPeriodMs: cfg.caCertificateValidityPeriodMs ?? CA_CERTIFICATE_VALIDITY_PERIOD_MS,
  };
}
