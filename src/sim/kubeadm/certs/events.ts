/**
 * Trace events of kubeadm's PKI: each file written, each certificate renewed. Small on purpose:
 * the view of the cluster's machines reads which files exist; the certificate itself is in the file.
 */
import { defineEvents, type AnyEventOf } from '../../core/events';

export const KUBERNETES_TAG = 'v1.34.0';

export type KubeadmCertsEventMap = {
  /** A certificate or key (kind `cert`, `key`, `pub`) or a kubeconfig file was written. */
  'kubeadm.certs.write': { path: string; kind: string; subject: string; notAfter: number };
  /** `kubeadm certs renew <name>` re-issued a certificate from its CA with the same subject and SANs. */
  'kubeadm.certs.renew': { name: string; notAfter: number };
};

export type KubeadmCertsTraceEvent = AnyEventOf<KubeadmCertsEventMap>;

const go = (file: string, symbol: string) => ({ file, symbol });

export const kubeadmCertsEvents = defineEvents<KubeadmCertsEventMap>(
  'kubeadm-certs',
  { name: 'kubernetes', tag: KUBERNETES_TAG, blobUrl: `https://github.com/kubernetes/kubernetes/blob/${KUBERNETES_TAG}/` },
  {
    'kubeadm.certs.write': {
      text: (e) => `wrote ${e.path}${e.subject ? ` (${e.subject})` : ''}`,
      source: (e) =>
        e.kind === 'kubeconfig'
          ? go('cmd/kubeadm/app/phases/kubeconfig/kubeconfig.go', 'createKubeConfigFileIfNotExists')
          : go('cmd/kubeadm/app/phases/certs/certs.go', 'writeCertificateFilesIfNotExist'),
    },
    'kubeadm.certs.renew': {
      text: (e) => `renewed ${e.name}`,
      source: go('cmd/kubeadm/app/phases/certs/renewal/manager.go', 'Manager.RenewUsingLocalCA'),
    },
  },
);
