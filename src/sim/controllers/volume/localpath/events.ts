/** Trace events of the local-path provisioner: each volume it creates and each it deletes. */
import { defineEvents, type AnyEventOf } from '../../../core/events';

export type LocalPathEventMap = {
  /** A hostPath volume created for a claim on the node the scheduler chose. */
  'localpath.provision': { claim: string; volume: string; node: string; path: string };
  /** A Released volume with reclaimPolicy Delete removed. */
  'localpath.delete': { volume: string };
};

export type LocalPathTraceEvent = AnyEventOf<LocalPathEventMap>;

const TAG = 'v0.0.31';

export const localPathEvents = defineEvents<LocalPathEventMap>(
  'localpath',
  { name: 'local-path-provisioner', tag: TAG, blobUrl: `https://github.com/rancher/local-path-provisioner/blob/${TAG}/` },
  {
    'localpath.provision': { text: (e) => `provisioned ${e.volume} for ${e.claim} on ${e.node} at ${e.path}`, source: { file: 'provisioner.go', symbol: 'LocalPathProvisioner.Provision' } },
    'localpath.delete': { text: (e) => `deleted ${e.volume}`, source: { file: 'provisioner.go', symbol: 'LocalPathProvisioner.Delete' } },
  },
);
