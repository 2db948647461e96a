/**
 * DefaultPreemptionArgs as kube-scheduler v1.34 reads them: k8s.io/kube-scheduler
 * config/v1/types_pluginargs.go at v0.34.0 (the type), pkg/scheduler/apis/config/v1/defaults.go
 * (SetDefaults_DefaultPreemptionArgs) and pkg/scheduler/apis/config/validation/
 * validation_pluginargs.go (ValidateDefaultPreemptionArgs).
 */
import { invalid, newPath, type ErrorList, type FieldError, type Path } from '../../../apimachinery/field';

export interface DefaultPreemptionArgs {
  /** Candidates to shortlist, as a percentage of the nodes; [0, 100]. */
  minCandidateNodesPercentage?: number;
  /** The absolute minimum of candidates; >= 0. */
  minCandidateNodesAbsolute?: number;
}

/** The v1 defaults: 10 % of the nodes, at least 100. Upstream: defaults.go (SetDefaults_DefaultPreemptionArgs) */
export function defaultDefaultPreemptionArgs(args: DefaultPreemptionArgs = {}): Required<DefaultPreemptionArgs> {
  return {
    minCandidateNodesPercentage: args.minCandidateNodesPercentage ?? 10,
    minCandidateNodesAbsolute: args.minCandidateNodesAbsolute ?? 100,
  };
}

/** Go's nil `*field.Path` makes `Child(name)` a root path named `name`. */
function childOf(path: Path | null, name: string): Path {
  return path ? path.child(name) : newPath(name);
}

/** Upstream: validation_pluginargs.go (ValidateDefaultPreemptionArgs, validateMinCandidateNodesPercentage, validateMinCandidateNodesAbsolute) */
export function validateDefaultPreemptionArgs(path: Path | null, args: DefaultPreemptionArgs): ErrorList {
  const errs: FieldError[] = [];
  const pct = args.minCandidateNodesPercentage ?? 0;
  const abs = args.minCandidateNodesAbsolute ?? 0;
  const percentagePath = childOf(path, 'minCandidateNodesPercentage');
  const absolutePath = childOf(path, 'minCandidateNodesAbsolute');
  if (pct < 0 || pct > 100) errs.push(invalid(percentagePath, pct, 'not in valid range [0, 100]'));
  if (abs < 0) errs.push(invalid(absolutePath, abs, 'not in valid range [0, inf)'));
  if (pct === 0 && abs === 0) {
    errs.push(
      invalid(percentagePath, pct, 'cannot be zero at the same time as minCandidateNodesAbsolute'),
      invalid(absolutePath, abs, 'cannot be zero at the same time as minCandidateNodesPercentage'),
    );
  }
  return errs;
}
