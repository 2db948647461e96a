/**
 * Trace events of bootstrap tokens: a token written or deleted, cluster-info signed for the
 * signing tokens, and a joining node's discovery (its result in `error`, empty on success).
 * Links point at kubernetes v1.34.0.
 */
import { defineEvents, type AnyEventOf } from '../../core/events';

export const KUBERNETES_TAG = 'v1.34.0';

export type BootstrapTokenEventMap = {
  /** A token's Secret was created or replaced; `expiration` is RFC 3339, or empty for a token that never expires. */
  'bootstraptoken.create': { id: string; expiration: string };
  /** A token's Secret was deleted (by `kubeadm token delete` or the token cleaner). */
  'bootstraptoken.delete': { id: string };
  /** The bootstrap signer rewrote cluster-info's signatures: one per valid signing token. */
  'bootstraptoken.sign': { ids: string[] };
  /** A joining node validated cluster-info against its token and CA pins. */
  'bootstraptoken.discovery': { endpoint: string; tokenID: string; error: string };
};

export type BootstrapTokenTraceEvent = AnyEventOf<BootstrapTokenEventMap>;

const go = (file: string, symbol: string) => ({ file, symbol });

export const bootstrapTokenEvents = defineEvents<BootstrapTokenEventMap>(
  'bootstraptoken',
  { name: 'kubernetes', tag: KUBERNETES_TAG, blobUrl: `https://github.com/kubernetes/kubernetes/blob/${KUBERNETES_TAG}/` },
  {
    'bootstraptoken.create': {
      text: (e) => `token ${e.id} written${e.expiration ? `, expires ${e.expiration}` : ', never expires'}`,
      source: go('cmd/kubeadm/app/phases/bootstraptoken/node/token.go', 'UpdateOrCreateTokens'),
    },
    'bootstraptoken.delete': {
      text: (e) => `token ${e.id} deleted`,
      source: go('cmd/kubeadm/app/cmd/token.go', 'RunDeleteTokens'),
    },
    'bootstraptoken.sign': {
      text: (e) => (e.ids.length ? `cluster-info signed for ${e.ids.join(', ')}` : 'cluster-info has no signatures'),
      source: go('pkg/controller/bootstrap/bootstrapsigner.go', 'Signer.signConfigMap'),
    },
    'bootstraptoken.discovery': {
      text: (e) => (e.error ? `discovery via ${e.endpoint} with token ${e.tokenID} failed: ${e.error}` : `discovery via ${e.endpoint} with token ${e.tokenID}: cluster-info trusted`),
      source: go('cmd/kubeadm/app/discovery/token/token.go', 'retrieveValidatedConfigInfo'),
    },
  },
);
