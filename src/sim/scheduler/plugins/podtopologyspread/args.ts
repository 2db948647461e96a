/**
 * PodTopologySpreadArgs: k8s.io/kube-scheduler config/v1 types_pluginargs.go at v0.34.0, the v1
 * default (pkg/scheduler/apis/config/v1/defaults.go: SetDefaults_PodTopologySpreadArgs) and
 * validation (pkg/scheduler/apis/config/validation/validation_pluginargs.go: ValidatePodTopologySpreadArgs).
 */
import type { TopologySpreadConstraint } from '../../../api/core/v1';
import { duplicate, forbidden, invalid, newPath, notSupported, required, type ErrorList, type Path } from '../../../apimachinery/field';
import { validateLabelName } from '../../../apimachinery/validation';

export type PodTopologySpreadConstraintsDefaulting = 'System' | 'List';

export interface PodTopologySpreadArgs {
  defaultConstraints?: TopologySpreadConstraint[];
  /** `System` when omitted. */
  defaultingType?: PodTopologySpreadConstraintsDefaulting | string;
}

/**
 * Go: `SetDefaults_PodTopologySpreadArgs`: an empty defaultingType is System, even beside listed
 * constraints (v1 dropped v1beta1's List guess), so those must say `List` or fail validation.
 */
export function defaultPodTopologySpreadArgs(args: PodTopologySpreadArgs = {}): PodTopologySpreadArgs {
  return { ...args, defaultingType: args.defaultingType || 'System' };
}

/** Go: `validateDefaultingType`. */
function validateDefaultingType(p: Path, v: string | undefined, constraints: TopologySpreadConstraint[]) {
  if (v !== 'System' && v !== 'List') return notSupported(p, v ?? '', ['System', 'List']);
  if (v === 'System' && constraints.length > 0) return invalid(p, v, 'when .defaultConstraints are not empty');
  return null;
}

/** Go: `validateTopologyKey`. */
function validateTopologyKey(p: Path, v: string | undefined): ErrorList {
  if (!v) return [required(p, 'can not be empty')];
  return validateLabelName(v, p);
}

/** Go: `validateWhenUnsatisfiable`: the supported values sorted, as `sets.List` returns them. */
function validateWhenUnsatisfiable(p: Path, v: string | undefined) {
  if (!v) return required(p, 'can not be empty');
  if (v !== 'DoNotSchedule' && v !== 'ScheduleAnyway') return notSupported(p, v, ['DoNotSchedule', 'ScheduleAnyway']);
  return null;
}

/** Go: `validateConstraintNotRepeat`: the same key and action as an earlier constraint. */
function validateConstraintNotRepeat(p: Path, constraints: TopologySpreadConstraint[], idx: number) {
  const c = constraints[idx];
  for (let i = 0; i < idx; i++) {
    const other = constraints[i];
    if (c.topologyKey === other.topologyKey && c.whenUnsatisfiable === other.whenUnsatisfiable) {
      return duplicate(p.index(idx), `{${c.topologyKey}, ${c.whenUnsatisfiable}}`);
    }
  }
  return null;
}

/** A child of a possibly-nil path: Go's `(*Path)(nil).Child(name)` is a root. */
export function childOf(path: Path | null, name: string): Path {
  return path ? path.child(name) : newPath(name);
}

/** Upstream: validation_pluginargs.go (ValidatePodTopologySpreadArgs) */
export function validatePodTopologySpreadArgs(path: Path | null, args: PodTopologySpreadArgs): ErrorList {
  const errs: ErrorList = [];
  const constraints = args.defaultConstraints ?? [];
  const dt = validateDefaultingType(childOf(path, 'defaultingType'), args.defaultingType, constraints);
  if (dt) errs.push(dt);
  const cp = childOf(path, 'defaultConstraints');
  constraints.forEach((c, i) => {
    const p = cp.index(i);
    if (!(c.maxSkew > 0)) errs.push(invalid(p.child('maxSkew'), c.maxSkew ?? 0, 'not in valid range (0, inf)'));
    errs.push(...validateTopologyKey(p.child('topologyKey'), c.topologyKey));
    const wu = validateWhenUnsatisfiable(p.child('whenUnsatisfiable'), c.whenUnsatisfiable);
    if (wu) errs.push(wu);
    if (c.labelSelector != null) errs.push(forbidden(p.child('labelSelector'), 'constraint must not define a selector, as they deduced for each pod'));
    const dup = validateConstraintNotRepeat(cp, constraints, i);
    if (dup) errs.push(dup);
  });
  return errs;
}
