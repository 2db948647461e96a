/**
 * Trace events of the PV controller: each binding it completes, each phase it writes, and each
 * claim it hands to an external provisioner. Links point at kubernetes v1.34.0.
 */
import { defineEvents, type AnyEventOf } from '../../../core/events';

export const KUBERNETES_TAG = 'v1.34.0';

export type PersistentVolumeEventMap = {
  /** A claim and a volume bound to each other (both sides written). */
  'persistentvolume.bind': { claim: string; volume: string };
  /** A PersistentVolume's or PersistentVolumeClaim's phase written (`from` empty when it had none). */
  'persistentvolume.phase': { kind: string; name: string; from: string; to: string };
  /** A claim annotated for an external provisioner. */
  'persistentvolume.provision': { claim: string; provisioner: string };
};

export type PersistentVolumeTraceEvent = AnyEventOf<PersistentVolumeEventMap>;

const go = (symbol: string) => ({ file: 'pkg/controller/volume/persistentvolume/pv_controller.go', symbol });

export const persistentVolumeEvents = defineEvents<PersistentVolumeEventMap>(
  'persistentvolume',
  { name: 'kubernetes', tag: KUBERNETES_TAG, blobUrl: `https://github.com/kubernetes/kubernetes/blob/${KUBERNETES_TAG}/` },
  {
    'persistentvolume.bind': { text: (e) => `bound ${e.claim} to ${e.volume}`, source: go('PersistentVolumeController.bind') },
    'persistentvolume.phase': { text: (e) => `${e.kind} ${e.name}: ${e.from || '(none)'} -> ${e.to}`, source: go('PersistentVolumeController.updateVolumePhase') },
    'persistentvolume.provision': { text: (e) => `${e.claim}: waiting for ${e.provisioner}`, source: go('PersistentVolumeController.provisionClaimOperationExternal') },
  },
);
