/**
 * What holds of a StatefulSet and its pods whenever the controller is idle, written once so
 * tests, checks and the lesson can share the sentences.
 */
import type { ControllerRevision } from '../history';
import type { Pod, StatefulSet } from './types';
import { getParentNameAndOrdinal, getPodRevision, isRunningAndReady } from './utils';

/**
 * The broken invariants of `set` with the pods it owns and its revisions (empty when all hold):
 * - each pod is named `<set>-<ordinal>`, with hostname = name and subdomain = serviceName;
 * - each pod's `controller-revision-hash` names one of the set's revisions;
 * - the status counts never exceed each other: available <= ready <= replicas, current and updated <= replicas;
 * - the status's current and update revisions exist;
 * - under OrderedReady, once idle, the pods not being deleted hold the lowest ordinals of the range
 *   and every one but the highest is Running and Ready.
 */
export function checkStatefulSetInvariants(set: StatefulSet, pods: Pod[], revisions: ControllerRevision[]): string[] {
  const broken: string[] = [];
  const names = new Set(revisions.map((r) => r.metadata.name));
  for (const p of pods) {
    const [parent, ordinal] = getParentNameAndOrdinal(p);
    if (parent !== set.metadata.name || ordinal < 0) broken.push(`${p.metadata.name} is not named <set>-<ordinal>`);
    if (p.spec.hostname !== p.metadata.name) broken.push(`${p.metadata.name} has hostname ${p.spec.hostname}`);
    if ((p.spec.subdomain ?? '') !== (set.spec.serviceName ?? '')) broken.push(`${p.metadata.name} has subdomain ${p.spec.subdomain}`);
    if (!names.has(getPodRevision(p))) broken.push(`${p.metadata.name} is at unknown revision ${getPodRevision(p)}`);
  }
  const s = set.status;
  if (s) {
    const n = (v: number | undefined) => v ?? 0;
    if (n(s.availableReplicas) > n(s.readyReplicas)) broken.push('availableReplicas > readyReplicas');
    if (n(s.readyReplicas) > s.replicas) broken.push('readyReplicas > replicas');
    if (n(s.currentReplicas) > s.replicas || n(s.updatedReplicas) > s.replicas) broken.push('current or updated replicas > replicas');
    for (const r of [s.currentRevision, s.updateRevision]) if (r && !names.has(r)) broken.push(`status names missing revision ${r}`);
  }
  if (set.spec.podManagementPolicy !== 'Parallel') {
    const live = pods.filter((p) => !p.metadata.deletionTimestamp).map((p) => [getParentNameAndOrdinal(p)[1], p] as const).sort((a, b) => a[0] - b[0]);
    const start = set.spec.ordinals?.start ?? 0;
    live.forEach(([ordinal, p], i) => {
      if (ordinal !== start + i) broken.push(`OrderedReady left a gap before ${p.metadata.name}`);
      if (i < live.length - 1 && !isRunningAndReady(p)) broken.push(`${p.metadata.name} is not Ready but a higher ordinal exists`);
    });
  }
  return broken;
}
