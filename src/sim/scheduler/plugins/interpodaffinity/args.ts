/**
 * InterPodAffinityArgs: k8s.io/kube-scheduler config/v1 types_pluginargs.go at v0.34.0, the v1
 * default (pkg/scheduler/apis/config/v1/defaults.go: SetDefaults_InterPodAffinityArgs) and
 * validation (pkg/scheduler/apis/config/validation/validation_pluginargs.go: ValidateInterPodAffinityArgs).
 */
import { invalid, newPath, type ErrorList, type Path } from '../../../apimachinery/field';

export interface InterPodAffinityArgs {
  /** 1 when omitted. */
  hardPodAffinityWeight?: number;
  ignorePreferredTermsOfExistingPods?: boolean;
}

export const DefaultHardPodAffinityWeight = 1;

/** Go: `SetDefaults_InterPodAffinityArgs`. */
export function defaultInterPodAffinityArgs(args: InterPodAffinityArgs = {}): Required<InterPodAffinityArgs> {
  return {
    hardPodAffinityWeight: args.hardPodAffinityWeight ?? DefaultHardPodAffinityWeight,
    ignorePreferredTermsOfExistingPods: args.ignorePreferredTermsOfExistingPods ?? false,
  };
}

/** Upstream: validation_pluginargs.go (ValidateInterPodAffinityArgs, validateHardPodAffinityWeight) */
export function validateInterPodAffinityArgs(path: Path | null, args: InterPodAffinityArgs): ErrorList {
  const p = path ? path.child('hardPodAffinityWeight') : newPath('hardPodAffinityWeight');
  const w = args.hardPodAffinityWeight ?? DefaultHardPodAffinityWeight;
  const [min, max] = [0, 100];
  if (w < min || w > max) return [invalid(p, w, `not in valid range [${min}, ${max}]`)];
  return [];
}
