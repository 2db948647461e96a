/**
 * Which victims would break a PodDisruptionBudget. Upstream:
 * pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go (filterPodsWithPDBViolation)
 */
import type { PodDisruptionBudget } from '../../../api/policy/v1';
import { labelSelectorAsSelector, type Selector } from '../../../apimachinery/labels';
import type { PodInfo } from '../../framework/types';

function selectorOf(pdb: PodDisruptionBudget): Selector | null {
  try {
    return labelSelectorAsSelector(pdb.spec.selector);
  } catch {
    // An invalid selector matches no pod.
    return null;
  }
}

/**
 * Splits the pods, keeping their order, into those whose eviction would take a matching PDB's
 * disruptionsAllowed below zero and the rest. Each matching pod uses up one disruption, except
 * a pod the PDB already lists in disruptedPods (the API server has counted its eviction).
 */
export function filterPodsWithPDBViolation(podInfos: PodInfo[], pdbs: PodDisruptionBudget[]): [PodInfo[], PodInfo[]] {
  const allowed = pdbs.map((pdb) => pdb.status?.disruptionsAllowed ?? 0);
  const violating: PodInfo[] = [];
  const nonViolating: PodInfo[] = [];
  for (const pi of podInfos) {
    const pod = pi.pod;
    let violated = false;
    const labels = pod.metadata.labels ?? {};
    // A pod without labels matches no PDB.
    if (Object.keys(labels).length !== 0) {
      pdbs.forEach((pdb, i) => {
        // Plain objects without a namespace are in "default", as the API server would put them.
        if ((pdb.metadata.namespace ?? 'default') !== (pod.metadata.namespace ?? 'default')) return;
        const selector = selectorOf(pdb);
        // A nil or empty selector matches nothing.
        if (!selector || selector.empty() || !selector.matches(labels)) return;
        if (pdb.status?.disruptedPods && Object.hasOwn(pdb.status.disruptedPods, pod.metadata.name ?? '')) return;
        allowed[i]--;
        if (allowed[i] < 0) violated = true;
      });
    }
    (violated ? violating : nonViolating).push(pi);
  }
  return [violating, nonViolating];
}
