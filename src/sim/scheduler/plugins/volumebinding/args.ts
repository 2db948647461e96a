/**
 * VolumeBindingArgs: k8s.io/kube-scheduler config/v1 types_pluginargs.go at v0.34.0, the v1 default
 * (pkg/scheduler/apis/config/v1/defaults.go: bindTimeoutSeconds 600) and
 * pkg/scheduler/apis/config/validation/validation_pluginargs.go (ValidateVolumeBindingArgs) with
 * StorageCapacityScoring off, its v1.34 default: a shape is refused.
 */
import { invalid, newPath, type ErrorList, type Path } from '../../../apimachinery/field';

export interface UtilizationShapePoint {
  utilization: number;
  score: number;
}

export interface VolumeBindingArgs {
  /** How long PreBind waits for the volumes to bind; the model binds nothing, so it is only validated. */
  bindTimeoutSeconds?: number;
  /** Only with StorageCapacityScoring, which v1.34 leaves off. */
  shape?: UtilizationShapePoint[] | null;
}

export function defaultVolumeBindingArgs(): VolumeBindingArgs {
  return { bindTimeoutSeconds: 600 };
}

function child(path: Path | null, name: string): Path {
  return path ? path.child(name) : newPath(name);
}

/** Go: `ValidateVolumeBindingArgs(path, args)`, its aggregate as a list. */
export function validateVolumeBindingArgs(path: Path | null, args: VolumeBindingArgs): ErrorList {
  const errs: ErrorList = [];
  const t = args.bindTimeoutSeconds ?? 600;
  if (t < 0) errs.push(invalid(child(path, 'bindTimeoutSeconds'), t, 'invalid BindTimeoutSeconds, should not be a negative value'));
  if (args.shape != null) errs.push(invalid(child(path, 'shape'), args.shape, 'unsupported when StorageCapacityScoring feature is disabled'));
  return errs;
}
