// What stays true of a Deployment's ReplicaSets between syncs, stated once and checked by the tests.
import { revision } from './annotations';
import { equalIgnoreHash } from './find';
import { DefaultDeploymentUniqueLabelKey, type Deployment, type ReplicaSet } from './types';

/**
 * The violations (empty when all hold) among the ReplicaSets the Deployment controls:
 * - each is named `<deployment>-<pod-template-hash>` and carries that hash on its labels, its
 *   selector and its template's labels (so its pods never match another revision's selector);
 * - no two carry the same revision annotation (a reused template takes a new revision);
 * - at most one has the Deployment's template (the "new" ReplicaSet).
 */
export function checkDeploymentInvariants(d: Deployment, rss: readonly ReplicaSet[]): string[] {
  const errs: string[] = [];
  const owned = rss.filter((rs) => rs.metadata.ownerReferences?.some((r) => r.controller && r.uid === d.metadata.uid));
  const revisions = new Map<number, string>();
  let current = 0;
  for (const rs of owned) {
    const name = rs.metadata.name ?? '';
    const hash = rs.metadata.labels?.[DefaultDeploymentUniqueLabelKey];
    if (!hash || name !== `${d.metadata.name}-${hash}`) errs.push(`${name}: not named after its pod-template-hash (${hash ?? 'none'})`);
    const sel = (rs.spec.selector as { matchLabels?: Record<string, string> } | undefined)?.matchLabels?.[DefaultDeploymentUniqueLabelKey];
    if (sel !== hash) errs.push(`${name}: selector pod-template-hash ${sel ?? 'none'} != ${hash ?? 'none'}`);
    if (rs.spec.template.metadata?.labels?.[DefaultDeploymentUniqueLabelKey] !== hash) errs.push(`${name}: template pod-template-hash differs from its label`);
    let rev = 0;
    try {
      rev = revision(rs);
    } catch {
      errs.push(`${name}: unparsable revision`);
    }
    if (rev > 0 && revisions.has(rev)) errs.push(`${name}: revision ${rev} also on ${revisions.get(rev)}`);
    revisions.set(rev, name);
    if (equalIgnoreHash(rs.spec.template, d.spec.template)) current++;
  }
  if (current > 1) errs.push(`${current} ReplicaSets have the Deployment's template`);
  return errs;
}
