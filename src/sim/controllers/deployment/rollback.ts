// Rollback requested through the deprecated annotation (extensions/v1beta1 `rollbackTo`). Today's
// `kubectl rollout undo` does not come here: it copies the old ReplicaSet's template into the
// Deployment itself (a patch), and the controller sees an ordinary template change.
// Upstream: pkg/controller/deployment/rollback.go (kubernetes v1.34)
import { DeprecatedRollbackTo, lastRevision, revision, RollbackDone, RollbackRevisionNotFound, RollbackTemplateUnchanged, setDeploymentAnnotationsTo } from './annotations';
import { dkey, dname, recordEvent, updateDeployment, type DcContext } from './context';
import { equalIgnoreHash } from './find';
import { getAllReplicaSetsAndSyncRevision } from './sync';
import { DefaultDeploymentUniqueLabelKey, type Deployment, type PodTemplateSpec, type ReplicaSet } from './types';
import { deepCopy } from '../../core/object';

/**
 * Finds the ReplicaSet of the requested revision (0: the one before the current) and copies its
 * template into the Deployment; the revision number moves on at the next sync. Either way the
 * request annotation is cleared. Upstream: rollback.go (rollback)
 */
export async function rollback(dc: DcContext, d: Deployment, rsList: ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(dc, d, rsList, true);
  const allRSs = [...oldRSs, ...(newRS ? [newRS] : [])];
  let to = getRollbackTo(d) ?? 0;
  if (to === 0) {
    to = lastRevision(allRSs);
    if (to === 0) {
      warn(dc, d, RollbackRevisionNotFound, 'Unable to find last revision.', 0);
      return updateDeploymentAndClearRollbackTo(dc, d);
    }
  }
  for (const rs of allRSs) {
    let v: number;
    try {
      v = revision(rs);
    } catch {
      continue;
    }
    if (v !== to) continue;
    const performed = await rollbackToTemplate(dc, d, rs, to);
    if (performed) {
      recordEvent(dc, d, 'Normal', RollbackDone, `Rolled back deployment ${JSON.stringify(dname(d))} to revision ${to}`);
      dc.events.emit('deployment.rollback', { deployment: dkey(d), revision: to, outcome: RollbackDone });
    }
    return;
  }
  warn(dc, d, RollbackRevisionNotFound, 'Unable to find the revision to rollback to.', to);
  return updateDeploymentAndClearRollbackTo(dc, d);
}

function warn(dc: DcContext, d: Deployment, reason: string, message: string, rev: number): void {
  recordEvent(dc, d, 'Warning', reason, message);
  dc.events.emit('deployment.rollback', { deployment: dkey(d), revision: rev, outcome: reason });
}

/**
 * Copies the template (and the ReplicaSet's annotations, such as change-cause) unless it is
 * already the Deployment's. Returns whether a rollback happened. Upstream: rollback.go (rollbackToTemplate)
 */
export async function rollbackToTemplate(dc: DcContext, d: Deployment, rs: ReplicaSet, rev: number): Promise<boolean> {
  let performed = false;
  if (!equalIgnoreHash(d.spec.template, rs.spec.template)) {
    setFromReplicaSetTemplate(d, rs.spec.template);
    // The old ReplicaSet's annotations come back too, or the new one would inherit the current ones.
    setDeploymentAnnotationsTo(d, rs);
    performed = true;
  } else {
    warn(dc, d, RollbackTemplateUnchanged, `The rollback revision contains the same template as current deployment ${JSON.stringify(dname(d))}`, rev);
  }
  await updateDeploymentAndClearRollbackTo(dc, d);
  return performed;
}

/** The template without the pod-template-hash label. Upstream: deployment_util.go (SetFromReplicaSetTemplate) */
export function setFromReplicaSetTemplate(d: Deployment, template: PodTemplateSpec): Deployment {
  const t = deepCopy(template);
  const labels = { ...(t.metadata?.labels ?? {}) };
  delete labels[DefaultDeploymentUniqueLabelKey];
  d.spec.template = { ...t, metadata: { ...(t.metadata ?? {}), labels } };
  return d;
}

/** Upstream: rollback.go (updateDeploymentAndClearRollbackTo) */
export async function updateDeploymentAndClearRollbackTo(dc: DcContext, d: Deployment): Promise<void> {
  setRollbackTo(d, undefined);
  await updateDeployment(dc, d);
}

/** The requested revision; undefined when absent or not an integer (ignored). Upstream: rollback.go (getRollbackTo) */
export function getRollbackTo(d: Deployment): number | undefined {
  const v = d.metadata.annotations?.[DeprecatedRollbackTo];
  if (v === undefined || v === '' || !/^[+-]?[0-9]+$/.test(v)) return undefined;
  return Number(v);
}

/** Upstream: rollback.go (setRollbackTo) */
export function setRollbackTo(d: Deployment, rev: number | undefined): void {
  if (rev === undefined) {
    if (d.metadata.annotations) delete d.metadata.annotations[DeprecatedRollbackTo];
    return;
  }
  d.metadata.annotations = { ...(d.metadata.annotations ?? {}), [DeprecatedRollbackTo]: String(rev) };
}
