/**
 * kubeadm's names for the PKI: file base names, common names, groups, validity periods.
 * Upstream: cmd/kubeadm/app/constants/constants.go
 */

const HOUR_MS = 3_600_000;

export const KUBERNETES_DIR = '/etc/kubernetes';
export const DEFAULT_CERTIFICATES_DIR = '/etc/kubernetes/pki';
export const DEFAULT_CLUSTER_NAME = 'kubernetes';
export const DEFAULT_SERVICE_SUBNET = '10.96.0.0/12';
export const DEFAULT_DNS_DOMAIN = 'cluster.local';
export const DEFAULT_API_BIND_PORT = 6443;

/** CertificateValidityPeriod: every leaf certificate, one year (8760h). */
export const CERTIFICATE_VALIDITY_PERIOD_MS = 24 * 365 * HOUR_MS;
/** CACertificateValidityPeriod: every CA, ten years. */
export const CA_CERTIFICATE_VALIDITY_PERIOD_MS = 10 * 24 * 365 * HOUR_MS;
/** CertificateBackdate: NotBefore is set this far before "now" to allow small clock jumps. */
export const CERTIFICATE_BACKDATE_MS = 5 * 60_000;

export const CA_CERT_AND_KEY_BASE_NAME = 'ca';
export const APISERVER_CERT_AND_KEY_BASE_NAME = 'apiserver';
export const APISERVER_CERT_COMMON_NAME = 'kube-apiserver';
export const APISERVER_KUBELET_CLIENT_CERT_AND_KEY_BASE_NAME = 'apiserver-kubelet-client';
export const APISERVER_KUBELET_CLIENT_CERT_COMMON_NAME = 'kube-apiserver-kubelet-client';
export const ETCD_CA_CERT_AND_KEY_BASE_NAME = 'etcd/ca';
export const ETCD_SERVER_CERT_AND_KEY_BASE_NAME = 'etcd/server';
export const ETCD_PEER_CERT_AND_KEY_BASE_NAME = 'etcd/peer';
export const ETCD_HEALTHCHECK_CLIENT_CERT_AND_KEY_BASE_NAME = 'etcd/healthcheck-client';
export const ETCD_HEALTHCHECK_CLIENT_CERT_COMMON_NAME = 'kube-etcd-healthcheck-client';
export const APISERVER_ETCD_CLIENT_CERT_AND_KEY_BASE_NAME = 'apiserver-etcd-client';
export const APISERVER_ETCD_CLIENT_CERT_COMMON_NAME = 'kube-apiserver-etcd-client';
export const SERVICE_ACCOUNT_KEY_BASE_NAME = 'sa';
export const FRONT_PROXY_CA_CERT_AND_KEY_BASE_NAME = 'front-proxy-ca';
export const FRONT_PROXY_CLIENT_CERT_AND_KEY_BASE_NAME = 'front-proxy-client';
export const FRONT_PROXY_CLIENT_CERT_COMMON_NAME = 'front-proxy-client';

/** The names appendSANsToAltNames warns with. */
export const APISERVER_CERT_NAME = 'apiserver';
export const ETCD_SERVER_CERT_NAME = 'etcd/server';
export const ETCD_PEER_CERT_NAME = 'etcd/peer';

export const ADMIN_KUBECONFIG_FILE_NAME = 'admin.conf';
export const SUPER_ADMIN_KUBECONFIG_FILE_NAME = 'super-admin.conf';
export const KUBELET_KUBECONFIG_FILE_NAME = 'kubelet.conf';
export const CONTROLLER_MANAGER_KUBECONFIG_FILE_NAME = 'controller-manager.conf';
export const SCHEDULER_KUBECONFIG_FILE_NAME = 'scheduler.conf';

/** SystemPrivilegedGroup: the built-in superuser group; only super-admin.conf carries it since v1.29. */
export const SYSTEM_PRIVILEGED_GROUP = 'system:masters';
/** ClusterAdminsGroupAndClusterRoleBinding: admin.conf's group, bound to cluster-admin by RBAC (revocable). */
export const CLUSTER_ADMINS_GROUP_AND_CLUSTER_ROLE_BINDING = 'kubeadm:cluster-admins';
export const NODES_GROUP = 'system:nodes';
export const NODES_USER_PREFIX = 'system:node:';
export const CONTROLLER_MANAGER_USER = 'system:kube-controller-manager';
export const SCHEDULER_USER = 'system:kube-scheduler';

/** File modes kubeadm writes with: keys and kubeconfigs are private, certificates readable. */
export const MODE_KEY = 0o600;
export const MODE_CERT = 0o644;
