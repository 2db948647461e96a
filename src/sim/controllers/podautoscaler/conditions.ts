/**
 * The HPA's status conditions: AbleToScale, ScalingActive, ScalingLimited, each set in place with
 * its transition time moved only when the status flips. Upstream: horizontal.go (setCondition,
 * setConditionInList)
 */
import { rfc3339 } from '../../apiserver/registry/strategy';

export type HPAConditionType = 'AbleToScale' | 'ScalingActive' | 'ScalingLimited';

export interface HPACondition {
  type: HPAConditionType | '';
  status: 'True' | 'False' | '';
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** A condition the controller means to set (Go: the condition `getUnableComputeReplicaCountCondition` returns). */
export interface ProposedCondition {
  type: HPAConditionType;
  status: 'True' | 'False';
  reason: string;
  message: string;
}

/** Sets `type` in the list (appended when absent); `lastTransitionTime` moves only on a status change. */
// Upstream: horizontal.go (setConditionInList)
export function setConditionInList(list: HPACondition[], c: ProposedCondition, nowMs: number): HPACondition[] {
  const out = list.map((x) => ({ ...x }));
  let existing = out.find((x) => x.type === c.type);
  if (!existing) {
    existing = { type: c.type, status: '' };
    out.push(existing);
  }
  if (existing.status !== c.status) existing.lastTransitionTime = rfc3339(nowMs);
  existing.status = c.status;
  existing.reason = c.reason;
  existing.message = c.message;
  return out;
}
