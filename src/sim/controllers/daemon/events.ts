/**
 * Trace events of the DaemonSet controller: one per sync, saying what it decided and wrote.
 * Links point at kubernetes v1.34.0.
 */
import { defineEvents, type AnyEventOf } from '../../core/events';

export const KUBERNETES_TAG = 'v1.34.0';

export type DaemonSetEventMap = {
  /** A sync of one DaemonSet: pods created and deleted, the status it stored (`error` empty on success). */
  'daemonset.sync': { daemonSet: string; created: number; deleted: number; desired: number; current: number; ready: number; updated: number; misscheduled: number; error: string };
  /** A rolling-update pass: old pods chosen for deletion and (surge) nodes for new pods, under the limits. */
  'daemonset.rollingUpdate': { daemonSet: string; hash: string; deleting: number; surging: number; maxUnavailable: number; maxSurge: number };
  /** A write to the history: a revision created, renumbered to the top (a rollback), deleted (over the limit, or a duplicate), or labelled with its name. */
  'daemonset.revision': { daemonSet: string; name: string; revision: number; op: 'create' | 'renumber' | 'delete' | 'label' };
};

export type DaemonSetTraceEvent = AnyEventOf<DaemonSetEventMap>;

const go = (file: string, symbol: string) => ({ file, symbol });

export const daemonSetEvents = defineEvents<DaemonSetEventMap>(
  'daemonset',
  { name: 'kubernetes', tag: KUBERNETES_TAG, blobUrl: `https://github.com/kubernetes/kubernetes/blob/${KUBERNETES_TAG}/` },
  {
    'daemonset.sync': {
      text: (e) =>
        e.error
          ? `sync ${e.daemonSet}: ${e.error}`
          : `sync ${e.daemonSet}: ${e.created} created, ${e.deleted} deleted; desired ${e.desired}, current ${e.current}, ready ${e.ready}, up-to-date ${e.updated}${e.misscheduled ? `, misscheduled ${e.misscheduled}` : ''}`,
      source: go('pkg/controller/daemon/daemon_controller.go', 'DaemonSetsController.syncDaemonSet'),
    },
    'daemonset.rollingUpdate': {
      text: (e) => `rolling update ${e.daemonSet} to ${e.hash}: delete ${e.deleting} old, surge onto ${e.surging} nodes (maxUnavailable ${e.maxUnavailable}, maxSurge ${e.maxSurge})`,
      source: go('pkg/controller/daemon/update.go', 'DaemonSetsController.rollingUpdate'),
    },
    'daemonset.revision': {
      text: (e) => `revision ${e.name} (${e.revision}) of ${e.daemonSet}: ${e.op === 'create' ? 'created' : e.op === 'renumber' ? 'renumbered' : e.op === 'delete' ? 'deleted' : 'labelled'}`,
      source: go('pkg/controller/daemon/update.go', 'DaemonSetsController.constructHistory'),
    },
  },
);
