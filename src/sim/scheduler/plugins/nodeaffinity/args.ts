/**
 * NodeAffinityArgs: k8s.io/kube-scheduler config/v1 types_pluginargs.go at v0.34.0 (no defaults) and
 * pkg/scheduler/apis/config/validation/validation_pluginargs.go (ValidateNodeAffinityArgs): the
 * added affinity must parse as the pod's would, errors under `addedAffinity.…`.
 */
import { Aggregate, newPath, type ErrorList, type FieldError, type Path } from '../../../apimachinery/field';
import type { NodeAffinity } from '../../../api/core/v1';
import { PreferredSchedulingTerms, newNodeSelector } from '../helper';

export interface NodeAffinityArgs {
  /** Applied to every pod's node affinity by this profile (ANDed for required, added for preferred). */
  addedAffinity?: NodeAffinity | null;
}

/** The v1 defaults: none. */
export function defaultNodeAffinityArgs(): NodeAffinityArgs {
  return {};
}

/** Go's methods on a nil `*field.Path` start a path: `nil.Child("addedAffinity")` prints `addedAffinity`. */
function childOf(path: Path | null, first: string, ...rest: string[]): Path {
  return path ? path.child(first, ...rest) : newPath(first, ...rest);
}

function collect(fn: () => unknown): FieldError[] {
  try {
    fn();
    return [];
  } catch (e) {
    if (e instanceof Aggregate) return e.errors as FieldError[];
    throw e;
  }
}

/** Go: `ValidateNodeAffinityArgs(path, args)`, its aggregate as a list. */
export function validateNodeAffinityArgs(path: Path | null, args: NodeAffinityArgs): ErrorList {
  const a = args.addedAffinity;
  if (!a) return [];
  const errs: FieldError[] = [];
  const req = a.requiredDuringSchedulingIgnoredDuringExecution;
  if (req) errs.push(...collect(() => newNodeSelector(req, childOf(path, 'addedAffinity', 'requiredDuringSchedulingIgnoredDuringExecution'))));
  const pref = a.preferredDuringSchedulingIgnoredDuringExecution ?? [];
  if (pref.length) errs.push(...collect(() => new PreferredSchedulingTerms(pref, childOf(path, 'addedAffinity', 'preferredDuringSchedulingIgnoredDuringExecution'))));
  return errs;
}
