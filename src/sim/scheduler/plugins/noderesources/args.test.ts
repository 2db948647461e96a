import { describe, expect, it } from 'vitest';
import { newPath, toAggregate, type ErrorType } from '../../../apimachinery/field';
import {
  defaultNodeResourcesBalancedAllocationArgs, defaultNodeResourcesFitArgs, validateNodeResourcesBalancedAllocationArgs, validateNodeResourcesFitArgs,
  type NodeResourcesFitArgs, type ResourceSpec, type UtilizationShapePoint,
} from './args';
import { refd } from './test_helpers';

const defaultScoringStrategy = { type: 'LeastAllocated', resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }] };
const typesAndFields = (args: NodeResourcesFitArgs) => validateNodeResourcesFitArgs(null, args).map((e) => ({ type: e.type, field: e.field }));
const inv = (field: string): { type: ErrorType; field: string } => ({ type: 'FieldValueInvalid', field });

describe('validateNodeResourcesFitArgs', () => {
  const cases: { name: string; args: NodeResourcesFitArgs; expect?: string }[] = [
    {
      name: 'IgnoredResources: too long value', args: { ignoredResources: [`longvalue${'a'.repeat(64)}`], scoringStrategy: defaultScoringStrategy },
      expect: 'name part must be no more than 63 characters',
    },
    { name: 'IgnoredResources: name is empty', args: { ignoredResources: ['example.com/'], scoringStrategy: defaultScoringStrategy }, expect: 'name part must be non-empty' },
    {
      name: 'IgnoredResources: name has too many slash', args: { ignoredResources: ['example.com/aaa/bbb'], scoringStrategy: defaultScoringStrategy },
      expect: 'a qualified name must consist of alphanumeric characters',
    },
    { name: 'IgnoredResources: valid args', args: { ignoredResources: ['example.com'], scoringStrategy: defaultScoringStrategy } },
    { name: 'IgnoredResourceGroups: valid args ', args: { ignoredResourceGroups: ['example.com'], scoringStrategy: defaultScoringStrategy } },
    { name: 'IgnoredResourceGroups: illegal args', args: { ignoredResourceGroups: ['example.com/'], scoringStrategy: defaultScoringStrategy }, expect: 'name part must be non-empty' },
    {
      name: 'IgnoredResourceGroups: name is too long', args: { ignoredResourceGroups: ['a'.repeat(64)], scoringStrategy: defaultScoringStrategy },
      expect: 'name part must be no more than 63 characters',
    },
    {
      name: 'IgnoredResourceGroups: name cannot be contain slash', args: { ignoredResourceGroups: ['example.com/aa'], scoringStrategy: defaultScoringStrategy },
      expect: "resource group name can't contain '/'",
    },
    { name: 'ScoringStrategy: field is required', args: {}, expect: 'ScoringStrategy field is required' },
    { name: 'ScoringStrategy: type is unsupported', args: { scoringStrategy: { type: 'Invalid' } }, expect: 'Unsupported value: "Invalid"' },
  ];
  for (const c of refd('TestValidateFitArgs', cases)) {
    it(c.ref, () => {
      const err = toAggregate(validateNodeResourcesFitArgs(null, c.args));
      if (c.expect) expect(err?.message).toContain(c.expect);
      else expect(err).toBeUndefined();
    });
  }

  it('messages carry the config path the framework passes', () => {
    const path = newPath('profiles').index(0).child('pluginConfig').index(1).child('args');
    const errs = validateNodeResourcesFitArgs(path, { scoringStrategy: { type: 'Bogus', resources: [{ name: 'cpu', weight: 0 }] } });
    expect(errs.map((e) => e.message)).toEqual([
      'profiles[0].pluginConfig[1].args.scoringStrategy.type: Unsupported value: "Bogus": supported values: "LeastAllocated", "MostAllocated", "RequestedToCapacityRatio"',
      'profiles[0].pluginConfig[1].args.scoringStrategy.resources[0].weight: Invalid value: 0: resource weight of cpu not in valid range (0, 100]',
    ]);
  });

  const weightCases: { name: string; resources?: ResourceSpec[]; want: { type: ErrorType; field: string }[] }[] = [
    { name: 'default config', want: [] },
    { name: 'multi valid resources', resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 10 }], want: [] },
    { name: 'weight less than min', resources: [{ name: 'cpu', weight: 0 }], want: [inv('scoringStrategy.resources[0].weight')] },
    { name: 'weight greater than max', resources: [{ name: 'cpu', weight: 101 }], want: [inv('scoringStrategy.resources[0].weight')] },
    {
      name: 'multi invalid resources', resources: [{ name: 'cpu', weight: 0 }, { name: 'memory', weight: 101 }],
      want: [inv('scoringStrategy.resources[0].weight'), inv('scoringStrategy.resources[1].weight')],
    },
  ];
  for (const type of ['LeastAllocated', 'MostAllocated'] as const) {
    for (const c of refd(`TestValidate${type}ScoringStrategy`, weightCases)) {
      it(c.ref, () => {
        expect(typesAndFields({ scoringStrategy: { type, resources: c.resources } })).toEqual(c.want);
      });
    }
  }

  const defaultShape: UtilizationShapePoint[] = [{ utilization: 30, score: 3 }];
  const shapeCases: { name: string; resources?: ResourceSpec[]; shape?: UtilizationShapePoint[]; want: { type: ErrorType; field: string }[] }[] = [
    { name: 'no shapes', want: [{ type: 'FieldValueRequired', field: 'scoringStrategy.shape' }] },
    { name: 'weight greater than max', shape: defaultShape, resources: [{ name: 'cpu', weight: 101 }], want: [inv('scoringStrategy.resources[0].weight')] },
    { name: 'weight less than min', shape: defaultShape, resources: [{ name: 'cpu', weight: 0 }], want: [inv('scoringStrategy.resources[0].weight')] },
    { name: 'valid shapes', shape: defaultShape, want: [] },
    { name: 'utilization less than min', shape: [{ utilization: -1, score: 3 }], want: [inv('scoringStrategy.shape[0].utilization')] },
    { name: 'utilization greater than max', shape: [{ utilization: 101, score: 3 }], want: [inv('scoringStrategy.shape[0].utilization')] },
    { name: 'duplicated utilization values', shape: [{ utilization: 10, score: 3 }, { utilization: 10, score: 3 }], want: [inv('scoringStrategy.shape[1].utilization')] },
    { name: 'increasing utilization values', shape: [{ utilization: 10, score: 3 }, { utilization: 20, score: 3 }, { utilization: 30, score: 3 }], want: [] },
    {
      name: 'non-increasing utilization values', shape: [{ utilization: 10, score: 3 }, { utilization: 20, score: 3 }, { utilization: 15, score: 3 }],
      want: [inv('scoringStrategy.shape[2].utilization')],
    },
    { name: 'score less than min', shape: [{ utilization: 10, score: -1 }], want: [inv('scoringStrategy.shape[0].score')] },
    { name: 'score greater than max', shape: [{ utilization: 10, score: 11 }], want: [inv('scoringStrategy.shape[0].score')] },
  ];
  for (const c of refd('TestValidateRequestedToCapacityRatioScoringStrategy', shapeCases)) {
    it(c.ref, () => {
      const args = { scoringStrategy: { type: 'RequestedToCapacityRatio', resources: c.resources, requestedToCapacityRatio: { shape: c.shape } } };
      expect(typesAndFields(args)).toEqual(c.want);
    });
  }

  it('the shape messages say what is wrong', () => {
    const errs = validateNodeResourcesFitArgs(null, {
      scoringStrategy: { type: 'RequestedToCapacityRatio', resources: [], requestedToCapacityRatio: { shape: [{ utilization: 20, score: 11 }, { utilization: 10, score: 3 }] } },
    });
    expect(errs.map((e) => e.message)).toEqual([
      'scoringStrategy.shape[1].utilization: Invalid value: 10: values must be sorted in increasing order',
      'scoringStrategy.shape[0].score: Invalid value: 11: not in valid range [0, 10]',
    ]);
  });
});

describe('validateNodeResourcesBalancedAllocationArgs', () => {
  const cases: { name: string; resources: ResourceSpec[]; want: { type: ErrorType; field: string }[] }[] = [
    { name: 'valid config', resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }], want: [] },
    { name: 'invalid config', resources: [{ name: 'cpu', weight: 2 }, { name: 'memory', weight: 1 }], want: [inv('resources[0].weight')] },
    { name: 'repeated resources', resources: [{ name: 'cpu', weight: 1 }, { name: 'cpu', weight: 1 }], want: [{ type: 'FieldValueDuplicate', field: 'resources[1].name' }] },
  ];
  for (const c of refd('TestValidateNodeResourcesBalancedAllocationArgs', cases)) {
    it(c.ref, () => {
      expect(validateNodeResourcesBalancedAllocationArgs(null, { resources: c.resources }).map((e) => ({ type: e.type, field: e.field }))).toEqual(c.want);
    });
  }
  it('weight other than 1 says so', () => {
    expect(validateNodeResourcesBalancedAllocationArgs(null, { resources: [{ name: 'cpu', weight: 2 }] }).map((e) => e.message))
      .toEqual(['resources[0].weight: Invalid value: 2: must be 1']);
  });
});

describe('v1 defaults', () => {
  it('NodeResourcesFitArgs: LeastAllocated over cpu and memory, weight 1', () => {
    expect(defaultNodeResourcesFitArgs()).toEqual({
      scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }] },
    });
  });
  it('NodeResourcesFitArgs: a given strategy keeps its type; empty resources and zero weights are filled', () => {
    expect(defaultNodeResourcesFitArgs({ scoringStrategy: { type: 'MostAllocated', resources: [{ name: 'nvidia.com/gpu', weight: 0 }] } })).toEqual({
      scoringStrategy: { type: 'MostAllocated', resources: [{ name: 'nvidia.com/gpu', weight: 1 }] },
    });
    expect(defaultNodeResourcesFitArgs({ scoringStrategy: { type: 'MostAllocated' } }).scoringStrategy?.resources).toEqual([
      { name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 },
    ]);
  });
  it('NodeResourcesBalancedAllocationArgs: cpu and memory, weight 1', () => {
    expect(defaultNodeResourcesBalancedAllocationArgs()).toEqual({ resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }] });
    expect(defaultNodeResourcesBalancedAllocationArgs({ resources: [{ name: 'cpu' }] })).toEqual({ resources: [{ name: 'cpu', weight: 1 }] });
  });
});
