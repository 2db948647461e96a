/**
 * The args of NodeResourcesFit and NodeResourcesBalancedAllocation as kube-scheduler v1.34 reads
 * them: k8s.io/kube-scheduler config/v1/types_pluginargs.go at v0.34.0 (the types),
 * pkg/scheduler/apis/config/v1/defaults.go (the defaults) and
 * pkg/scheduler/apis/config/validation/validation_pluginargs.go (the validation).
 */
import { duplicate, invalid, newPath, notSupported, required, type ErrorList, type Path } from '../../../apimachinery/field';
import { validateLabelName } from '../../../apimachinery/validation';

export type ScoringStrategyType = 'LeastAllocated' | 'MostAllocated' | 'RequestedToCapacityRatio';

/** Go: `ResourceSpec`: a resource to score and its weight. */
export interface ResourceSpec {
  name: string;
  weight?: number;
}

/** Go: `UtilizationShapePoint`: utilization 0..100, score 0..MaxCustomPriorityScore. */
export interface UtilizationShapePoint {
  utilization: number;
  score: number;
}

export interface ScoringStrategy {
  type?: ScoringStrategyType | string;
  resources?: ResourceSpec[];
  requestedToCapacityRatio?: { shape?: UtilizationShapePoint[] };
}

export interface NodeResourcesFitArgs {
  ignoredResources?: string[];
  ignoredResourceGroups?: string[];
  scoringStrategy?: ScoringStrategy;
}

export interface NodeResourcesBalancedAllocationArgs {
  resources?: ResourceSpec[];
}

/** Go: `config.MaxCustomPriorityScore`: shape scores run 0..10 and are scaled to MaxNodeScore. */
export const MaxCustomPriorityScore = 10;

/** Go: `defaultResourceSpec` in apis/config/v1/defaults.go. */
function defaultResourceSpec(): ResourceSpec[] {
  return [
    { name: 'cpu', weight: 1 },
    { name: 'memory', weight: 1 },
  ];
}

const supportedScoringStrategyTypes = ['LeastAllocated', 'MostAllocated', 'RequestedToCapacityRatio'];

/** The v1 defaults: LeastAllocated over cpu and memory, weight 1 each. */
// Upstream: pkg/scheduler/apis/config/v1/defaults.go (SetDefaults_NodeResourcesFitArgs)
export function defaultNodeResourcesFitArgs(args: NodeResourcesFitArgs = {}): NodeResourcesFitArgs {
  const out: NodeResourcesFitArgs = { ...args };
  const strategy: ScoringStrategy = args.scoringStrategy
    ? { ...args.scoringStrategy }
    : { type: 'LeastAllocated', resources: defaultResourceSpec() };
  if (!strategy.resources || strategy.resources.length === 0) strategy.resources = defaultResourceSpec();
  // A weight left out or set to 0 becomes 1.
  strategy.resources = strategy.resources.map((r) => (r.weight ? r : { ...r, weight: 1 }));
  out.scoringStrategy = strategy;
  return out;
}

// Upstream: pkg/scheduler/apis/config/v1/defaults.go (SetDefaults_NodeResourcesBalancedAllocationArgs)
export function defaultNodeResourcesBalancedAllocationArgs(args: NodeResourcesBalancedAllocationArgs = {}): NodeResourcesBalancedAllocationArgs {
  if (!args.resources || args.resources.length === 0) return { ...args, resources: defaultResourceSpec() };
  return { ...args, resources: args.resources.map((r) => (r.weight ? r : { ...r, weight: 1 })) };
}

// Upstream: validation_pluginargs.go (validateFunctionShape)
function validateFunctionShape(shape: UtilizationShapePoint[] | undefined, path: Path): ErrorList {
  const minUtilization = 0;
  const maxUtilization = 100;
  const minScore = 0;
  const maxScore = MaxCustomPriorityScore;
  const errs: ErrorList = [];
  if (!shape || shape.length === 0) {
    errs.push(required(path, 'at least one point must be specified'));
    return errs;
  }
  for (let i = 1; i < shape.length; i++) {
    if (shape[i - 1].utilization >= shape[i].utilization) {
      errs.push(invalid(path.index(i).child('utilization'), shape[i].utilization, 'values must be sorted in increasing order'));
      break;
    }
  }
  shape.forEach((point, i) => {
    if (point.utilization < minUtilization || point.utilization > maxUtilization) {
      errs.push(invalid(path.index(i).child('utilization'), point.utilization, `not in valid range [${minUtilization}, ${maxUtilization}]`));
    }
    if (point.score < minScore || point.score > maxScore) {
      errs.push(invalid(path.index(i).child('score'), point.score, `not in valid range [${minScore}, ${maxScore}]`));
    }
  });
  return errs;
}

// Upstream: validation_pluginargs.go (validateResources)
function validateResources(resources: ResourceSpec[] | undefined, path: Path): ErrorList {
  const errs: ErrorList = [];
  (resources ?? []).forEach((r, i) => {
    const w = r.weight ?? 0;
    if (w <= 0 || w > 100) {
      errs.push(invalid(path.index(i).child('weight'), w, `resource weight of ${r.name} not in valid range (0, 100]`));
    }
  });
  return errs;
}

/**
 * v1.34 validates the shape under `scoringStrategy.shape` whenever requestedToCapacityRatio is
 * set, and does not yet require it for the RequestedToCapacityRatio type (kubernetes#132120 came
 * after 1.34).
 */
// Upstream: validation_pluginargs.go (ValidateNodeResourcesFitArgs)
export function validateNodeResourcesFitArgs(path: Path | null, args: NodeResourcesFitArgs): ErrorList {
  const errs: ErrorList = [];
  const child = (name: string): Path => childOf(path, name);
  const resPath = child('ignoredResources');
  (args.ignoredResources ?? []).forEach((res, i) => errs.push(...validateLabelName(res, resPath.index(i))));
  const groupPath = child('ignoredResourceGroups');
  (args.ignoredResourceGroups ?? []).forEach((group, i) => {
    const p = groupPath.index(i);
    if (group.includes('/')) errs.push(invalid(p, group, "resource group name can't contain '/'"));
    errs.push(...validateLabelName(group, p));
  });
  const strategyPath = child('scoringStrategy');
  const s = args.scoringStrategy;
  if (s) {
    if (!supportedScoringStrategyTypes.includes(s.type ?? '')) {
      errs.push(notSupported(strategyPath.child('type'), s.type ?? '', supportedScoringStrategyTypes));
    }
    errs.push(...validateResources(s.resources, strategyPath.child('resources')));
    if (s.requestedToCapacityRatio) errs.push(...validateFunctionShape(s.requestedToCapacityRatio.shape, strategyPath.child('shape')));
  } else {
    errs.push(required(strategyPath, 'ScoringStrategy field is required'));
  }
  return errs;
}

// Upstream: validation_pluginargs.go (ValidateNodeResourcesBalancedAllocationArgs)
export function validateNodeResourcesBalancedAllocationArgs(path: Path | null, args: NodeResourcesBalancedAllocationArgs): ErrorList {
  const errs: ErrorList = [];
  const resourcesPath = childOf(path, 'resources');
  const seen = new Set<string>();
  (args.resources ?? []).forEach((r, i) => {
    if (seen.has(r.name)) errs.push(duplicate(resourcesPath.index(i).child('name'), r.name));
    else seen.add(r.name);
    if ((r.weight ?? 0) !== 1) errs.push(invalid(resourcesPath.index(i).child('weight'), r.weight ?? 0, 'must be 1'));
  });
  return errs;
}

/** Go's nil `*field.Path` makes `Child(name)` a root path named `name`. */
function childOf(path: Path | null, name: string): Path {
  return path ? path.child(name) : newPath(name);
}
