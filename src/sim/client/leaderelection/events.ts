/**
 * Trace events of client-go's leader election (v0.34.0 tools/leaderelection): each try to acquire
 * or renew, the moments a candidate starts and stops leading, the leader it observes change, and
 * its klog lines with upstream's wording. Every event names the lock (`kube-system/kube-scheduler`)
 * and the candidate's identity, so a view can draw one lane per candidate.
 */
import { defineEvents, type AnyEventOf } from '../../core/events';
import type { LogLevel } from '../../core/log';

export const CLIENT_GO_TAG = 'v0.34.0';

export type LeaderElectionEventMap = {
  /**
   * One `tryAcquireOrRenew`: `result` is `created` (no lock existed), `acquired` (took it over,
   * transitions + 1), `renewed` (fast or slow path), `held` (another holder, not yet expired) or
   * `error` (the API call failed). `holder` is the holder observed afterwards.
   */
  'leaderelection.try': { lock: string; identity: string; result: string; holder: string; transitions: number; error: string };
  /** OnStartedLeading (`leading` true) or OnStoppedLeading (`leading` false) ran. */
  'leaderelection.leading': { lock: string; identity: string; leading: boolean };
  /** The candidate observed a leader other than the one it last reported (OnNewLeader). */
  'leaderelection.newLeader': { lock: string; identity: string; leader: string };
  /** A klog line of the elector (or of the component it runs in), in upstream's words. */
  'leaderelection.log': { lock: string; identity: string; level: LogLevel; source: string; v: number; message: string };
};

export type LeaderElectionTraceEvent = AnyEventOf<LeaderElectionEventMap>;

const go = (file: string, symbol: string) => ({ file, symbol });
const short = (identity: string) => identity.split('_')[0] + (identity.includes('_') ? '_…' + identity.slice(-4) : '');

export const leaderElectionEvents = defineEvents<LeaderElectionEventMap>(
  'leaderelection',
  { name: 'client-go', tag: CLIENT_GO_TAG, blobUrl: `https://github.com/kubernetes/client-go/blob/${CLIENT_GO_TAG}/` },
  {
    'leaderelection.try': {
      text: (e) => `${short(e.identity)} ${e.lock}: ${e.result}${e.error ? ` (${e.error})` : ''}, holder ${e.holder || '<none>'}, transitions ${e.transitions}`,
      source: go('tools/leaderelection/leaderelection.go', 'LeaderElector.tryAcquireOrRenew'),
    },
    'leaderelection.leading': {
      text: (e) => `${short(e.identity)} ${e.leading ? 'started' : 'stopped'} leading ${e.lock}`,
      source: (e) => go('tools/leaderelection/leaderelection.go', e.leading ? 'LeaderElector.Run (OnStartedLeading)' : 'LeaderElector.Run (OnStoppedLeading)'),
    },
    'leaderelection.newLeader': {
      text: (e) => `${short(e.identity)} sees new leader of ${e.lock}: ${e.leader || '<none>'}`,
      source: go('tools/leaderelection/leaderelection.go', 'LeaderElector.maybeReportTransition'),
    },
    'leaderelection.log': {
      text: (e) => `${e.level === 'error' ? 'E' : e.level === 'warning' ? 'W' : 'I'} ${e.message}`,
      source: (e) => (e.source === 'leaderelection.go' ? go('tools/leaderelection/leaderelection.go', 'klog') : undefined),
    },
  },
);
