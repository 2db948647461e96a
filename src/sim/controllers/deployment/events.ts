/**
 * Trace events of the Deployment controller (component `deployment`): what each sync decided, the
 * replica counts and fenceposts a rollout step used (the rollout view plots old and new pods
 * against replicas + maxSurge and replicas - maxUnavailable), each scale, each condition change.
 */
import { defineEvents, type AnyEventOf } from '../../core/events';

const TAG = 'v1.34.0';
const file = (name: string) => `pkg/controller/deployment/${name}`;

/** Why a ReplicaSet was scaled. */
export type ScaleReason =
  /** rolling.go reconcileNewReplicaSet: the new RS grows within maxSurge (or shrinks to spec.replicas). */
  | 'rollingNew'
  /** rolling.go cleanupUnhealthyReplicas: an old RS loses its unavailable pods first. */
  | 'cleanupUnhealthy'
  /** rolling.go scaleDownOldReplicaSetsForRollingUpdate: old RSs shrink within maxUnavailable. */
  | 'rollingOld'
  /** recreate.go: old RSs to 0, then the new RS to spec.replicas. */
  | 'recreate'
  /** sync.go scale: a scaling event (spec.replicas changed, or paused), possibly proportional. */
  | 'scale';

export type DeploymentEventMap = {
  /** One syncDeployment: which path it took (`deleted`, `selectingAll`, `statusOnly`, `paused`, `rollback`, `scale`, `Recreate`, `RollingUpdate`; empty when it failed) and its error. */
  'deployment.sync': { deployment: string; path: string; error: string };
  /**
   * A rollout step's numbers when the status is computed: the new RS (spec.replicas, pods it
   * reports, available pods), the old RSs summed, and the bounds: spec.replicas summed may not
   * exceed replicas + maxSurge, available pods should not fall below replicas - maxUnavailable.
   */
  'deployment.rollout': {
    deployment: string;
    newRS: string;
    newReplicas: number;
    newPods: number;
    newAvailable: number;
    oldReplicas: number;
    oldPods: number;
    oldAvailable: number;
    replicas: number;
    maxSurge: number;
    maxUnavailable: number;
  };
  /** A ReplicaSet's spec.replicas changed. */
  'deployment.scale': { deployment: string; replicaSet: string; from: number; to: number; reason: ScaleReason };
  /** The new ReplicaSet was created (`collision`: the name existed with another template, collisionCount bumped). */
  'deployment.newReplicaSet': { deployment: string; replicaSet: string; replicas: number; revision: string; collision: boolean };
  /** A condition of the status the controller writes changed. */
  'deployment.condition': { deployment: string; conditionType: string; status: string; reason: string; message: string };
  /** cleanupDeployment deleted an old ReplicaSet beyond revisionHistoryLimit. */
  'deployment.cleanup': { deployment: string; replicaSet: string };
  /** A rollback request (`deprecated.deployment.rollback.to`) was handled: `outcome` is the event reason. */
  'deployment.rollback': { deployment: string; revision: number; outcome: string };
};

export type DeploymentTraceEvent = AnyEventOf<DeploymentEventMap>;

export const deploymentEvents = defineEvents<DeploymentEventMap>(
  'deployment',
  { name: 'kubernetes', tag: TAG, blobUrl: `https://github.com/kubernetes/kubernetes/blob/${TAG}/` },
  {
    'deployment.sync': {
      text: (e) => `${e.deployment}: sync ${e.path || 'failed'}${e.error ? `: ${e.error}` : ''}`,
      source: { file: file('deployment_controller.go'), symbol: 'DeploymentController.syncDeployment' },
    },
    'deployment.rollout': {
      text: (e) =>
        `${e.deployment}: new ${e.newRS || '-'} ${e.newReplicas} (${e.newPods} pods, ${e.newAvailable} available), old ${e.oldReplicas} (${e.oldPods} pods, ${e.oldAvailable} available); ` +
        `at most ${e.replicas + e.maxSurge} replicas, at least ${e.replicas - e.maxUnavailable} available`,
      source: { file: file('progress.go'), symbol: 'DeploymentController.syncRolloutStatus' },
    },
    'deployment.scale': {
      text: (e) => `${e.deployment}: scaled ${e.to > e.from ? 'up' : 'down'} replica set ${e.replicaSet} from ${e.from} to ${e.to} (${e.reason})`,
      source: { file: file('sync.go'), symbol: 'DeploymentController.scaleReplicaSet' },
    },
    'deployment.newReplicaSet': {
      text: (e) => (e.collision ? `${e.deployment}: hash collision on ${e.replicaSet}, collisionCount bumped` : `${e.deployment}: created replica set ${e.replicaSet} with ${e.replicas} replica${e.replicas === 1 ? '' : 's'} (revision ${e.revision})`),
      source: { file: file('sync.go'), symbol: 'DeploymentController.getNewReplicaSet' },
    },
    'deployment.condition': {
      text: (e) => `${e.deployment}: ${e.conditionType}=${e.status} ${e.reason}: ${e.message}`,
      source: { file: file('progress.go'), symbol: 'DeploymentController.syncRolloutStatus' },
    },
    'deployment.cleanup': {
      text: (e) => `${e.deployment}: deleted old replica set ${e.replicaSet}`,
      source: { file: file('sync.go'), symbol: 'DeploymentController.cleanupDeployment' },
    },
    'deployment.rollback': {
      text: (e) => `${e.deployment}: rollback to revision ${e.revision}: ${e.outcome}`,
      source: { file: file('rollback.go'), symbol: 'DeploymentController.rollback' },
    },
  },
);
