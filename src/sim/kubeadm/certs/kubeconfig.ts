/**
 * The kubeconfig files kubeadm writes under /etc/kubernetes: who each component is (a client
 * certificate signed by the cluster CA, with its user as CN and its groups as O) and where the
 * API server is. admin.conf's group is kubeadm:cluster-admins (bound to cluster-admin by an RBAC
 * ClusterRoleBinding, so it can be revoked); only super-admin.conf is in system:masters, the
 * group no authorizer can deny (split in v1.29).
 * Upstream: cmd/kubeadm/app/phases/kubeconfig/kubeconfig.go (getKubeConfigSpecsBase,
 * buildKubeConfigFromSpec, newClientCertConfigFromKubeConfigSpec), util/kubeconfig/kubeconfig.go
 * (CreateBasic, CreateWithCerts), client-go tools/clientcmd (Write) for the YAML layout.
 */
import { load } from 'js-yaml';
import type { Rng } from '../../core/rng';
import { encodePrivateKeyPem, parsePrivateKeyPem, type RsaPrivateKey } from '../../pki/keys';
import { base64Bytes, base64Of } from '../../pki/pem';
import { encodeCertPem, parseCertsPem, type Certificate } from '../../pki/x509';
import * as C from './constants';
import type { DefaultedPkiConfiguration } from './config';
import { newCertAndKey, parseHostPort, type CertAndKey } from './pkiutil';

/** One kubeconfig file to write: its API server URL, user and groups. */
export interface KubeConfigSpec {
  fileName: string;
  apiServer: string;
  clientName: string;
  organizations: string[];
}

function formatURL(host: string, port: string | number): string {
  return `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** https://<controlPlaneEndpoint or advertise address>:<port>. */
// Upstream: cmd/kubeadm/app/util/endpoint.go (GetControlPlaneEndpoint)
export function getControlPlaneEndpoint(cfg: DefaultedPkiConfiguration): string {
  if (!cfg.controlPlaneEndpoint) return getLocalAPIEndpoint(cfg);
  const { host, port } = parseHostPort(cfg.controlPlaneEndpoint);
  return formatURL(host, port || cfg.bindPort);
}

// Upstream: cmd/kubeadm/app/util/endpoint.go (GetLocalAPIEndpoint)
export function getLocalAPIEndpoint(cfg: DefaultedPkiConfiguration): string {
  return formatURL(cfg.advertiseAddress, cfg.bindPort);
}

/**
 * The five files of `kubeadm init phase kubeconfig all`, in its order. The controller-manager and
 * scheduler talk to their own node's API server; admin, super-admin and kubelet go through the
 * control-plane endpoint (the load balancer in an HA cluster).
 */
// Upstream: kubeconfig.go (getKubeConfigSpecsBase)
export function getKubeConfigSpecs(cfg: DefaultedPkiConfiguration): KubeConfigSpec[] {
  const cpe = getControlPlaneEndpoint(cfg);
  const local = getLocalAPIEndpoint(cfg);
  return [
    { fileName: C.ADMIN_KUBECONFIG_FILE_NAME, apiServer: cpe, clientName: 'kubernetes-admin', organizations: [C.CLUSTER_ADMINS_GROUP_AND_CLUSTER_ROLE_BINDING] },
    { fileName: C.SUPER_ADMIN_KUBECONFIG_FILE_NAME, apiServer: cpe, clientName: 'kubernetes-super-admin', organizations: [C.SYSTEM_PRIVILEGED_GROUP] },
    { fileName: C.KUBELET_KUBECONFIG_FILE_NAME, apiServer: cpe, clientName: `${C.NODES_USER_PREFIX}${cfg.nodeName}`, organizations: [C.NODES_GROUP] },
    { fileName: C.CONTROLLER_MANAGER_KUBECONFIG_FILE_NAME, apiServer: local, clientName: C.CONTROLLER_MANAGER_USER, organizations: [] },
    { fileName: C.SCHEDULER_KUBECONFIG_FILE_NAME, apiServer: local, clientName: C.SCHEDULER_USER, organizations: [] },
  ];
}

/** A kubeconfig as kubeadm writes it: one cluster, one user, one context `<user>@<cluster>`. */
export interface KubeConfig {
  server: string;
  clusterName: string;
  userName: string;
  caCertPem: string;
  clientCertPem: string;
  clientKeyPem: string;
}

/** The YAML clientcmd.Write produces (keys sorted; no `preferences` since v1.34). */
// Upstream: util/kubeconfig/kubeconfig.go (CreateWithCerts, CreateBasic); clientcmd.Write
export function writeKubeConfig(k: KubeConfig): string {
  const context = `${k.userName}@${k.clusterName}`;
  return [
    'apiVersion: v1',
    'clusters:',
    '- cluster:',
    `    certificate-authority-data: ${base64Of(k.caCertPem)}`,
    `    server: ${k.server}`,
    `  name: ${k.clusterName}`,
    'contexts:',
    '- context:',
    `    cluster: ${k.clusterName}`,
    `    user: ${k.userName}`,
    `  name: ${context}`,
    `current-context: ${context}`,
    'kind: Config',
    'users:',
    `- name: ${k.userName}`,
    '  user:',
    `    client-certificate-data: ${base64Of(k.clientCertPem)}`,
    `    client-key-data: ${base64Of(k.clientKeyPem)}`,
    '',
  ].join('\n');
}

type RawKubeConfig = {
  clusters?: Array<{ name?: string; cluster?: Record<string, string> }>;
  users?: Array<{ name?: string; user?: Record<string, string> }>;
  contexts?: Array<{ name?: string; context?: { cluster?: string; user?: string } }>;
  'current-context'?: string;
};

const decodeData = (s: string | undefined): string => {
  const b = s ? base64Bytes(s) : undefined;
  return b ? String.fromCharCode(...b) : '';
};

/** Reads a kubeconfig's current context back (clientcmd.Load + the current context's cluster and user). */
export function readKubeConfig(text: string): KubeConfig {
  const raw = (load(text) ?? {}) as RawKubeConfig;
  const ctx = raw.contexts?.find((c) => c.name === raw['current-context']);
  if (!ctx?.context) throw new Error('invalid kubeconfig: no current context');
  const cluster = raw.clusters?.find((c) => c.name === ctx.context!.cluster)?.cluster ?? {};
  const user = raw.users?.find((u) => u.name === ctx.context!.user)?.user ?? {};
  return {
    server: cluster.server ?? '',
    clusterName: ctx.context.cluster ?? '',
    userName: ctx.context.user ?? '',
    caCertPem: decodeData(cluster['certificate-authority-data']),
    clientCertPem: decodeData(user['client-certificate-data']),
    clientKeyPem: decodeData(user['client-key-data']),
  };
}

/** The client certificate embedded in a kubeconfig (what check-expiration reads). */
// Upstream: phases/certs/renewal/readwriter.go (kubeConfigReadWriter.Read)
export function kubeConfigClientCert(text: string): Certificate {
  return parseCertsPem(readKubeConfig(text).clientCertPem)[0];
}

export function kubeConfigClientKey(text: string): RsaPrivateKey {
  return parsePrivateKeyPem(readKubeConfig(text).clientKeyPem);
}

/** Builds one kubeconfig with a fresh client key and certificate signed by the cluster CA. */
// Upstream: kubeconfig.go (buildKubeConfigFromSpec, newClientCertConfigFromKubeConfigSpec)
export function buildKubeConfigFromSpec(spec: KubeConfigSpec, ca: CertAndKey, cfg: DefaultedPkiConfiguration, nowMs: number, rng: Rng): string {
  const client = newCertAndKey(
    ca,
    {
      commonName: spec.clientName,
      organization: spec.organizations.length ? spec.organizations : undefined,
      usages: ['clientAuth'],
      notBeforeMs: nowMs - C.CERTIFICATE_BACKDATE_MS,
      notAfterMs: nowMs + cfg.certificateValidityPeriodMs,
    },
    cfg.certificateValidityPeriodMs,
    rng,
  );
  return writeKubeConfig({
    server: spec.apiServer,
    clusterName: cfg.clusterName,
    userName: spec.clientName,
    caCertPem: encodeCertPem(ca.cert.raw),
    clientCertPem: encodeCertPem(client.cert.raw),
    clientKeyPem: encodePrivateKeyPem(client.key),
  });
}
