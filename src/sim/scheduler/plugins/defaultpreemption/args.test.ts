import { describe, expect, it } from 'vitest';
import { newPath } from '../../../apimachinery/field';
import { defaultDefaultPreemptionArgs, validateDefaultPreemptionArgs } from './args';
import { newDefaultPreemption } from './default_preemption';
import { newPreemptionHandle } from './test_helpers';
import type { PluginRegistration } from '../../framework/interface';

describe('validateDefaultPreemptionArgs', () => {
  // Upstream: pkg/scheduler/apis/config/validation/validation_pluginargs_test.go (TestValidateDefaultPreemptionArgs)
  const cases = [
    { ref: 'TestValidateDefaultPreemptionArgs/valid args (default)', args: { minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 100 }, want: [] },
    { ref: 'TestValidateDefaultPreemptionArgs/negative minCandidateNodesPercentage', args: { minCandidateNodesPercentage: -1, minCandidateNodesAbsolute: 100 }, want: ['minCandidateNodesPercentage'] },
    { ref: 'TestValidateDefaultPreemptionArgs/minCandidateNodesPercentage over 100', args: { minCandidateNodesPercentage: 900, minCandidateNodesAbsolute: 100 }, want: ['minCandidateNodesPercentage'] },
    { ref: 'TestValidateDefaultPreemptionArgs/negative minCandidateNodesAbsolute', args: { minCandidateNodesPercentage: 20, minCandidateNodesAbsolute: -1 }, want: ['minCandidateNodesAbsolute'] },
    { ref: 'TestValidateDefaultPreemptionArgs/all zero', args: { minCandidateNodesPercentage: 0, minCandidateNodesAbsolute: 0 }, want: ['minCandidateNodesPercentage', 'minCandidateNodesAbsolute'] },
    { ref: 'TestValidateDefaultPreemptionArgs/both negative', args: { minCandidateNodesPercentage: -1, minCandidateNodesAbsolute: -1 }, want: ['minCandidateNodesPercentage', 'minCandidateNodesAbsolute'] },
  ];
  it.each(cases)('$ref', ({ args, want }) => {
    const errs = validateDefaultPreemptionArgs(null, args);
    expect(errs.map((e) => e.field)).toEqual(want);
    for (const e of errs) expect(e.type).toBe('FieldValueInvalid');
  });

  it("prints upstream's messages under the config path", () => {
    const path = newPath('profiles').index(0).child('pluginConfig').index(3).child('args');
    expect(validateDefaultPreemptionArgs(path, { minCandidateNodesPercentage: 101, minCandidateNodesAbsolute: -2 }).map((e) => e.message)).toEqual([
      'profiles[0].pluginConfig[3].args.minCandidateNodesPercentage: Invalid value: 101: not in valid range [0, 100]',
      'profiles[0].pluginConfig[3].args.minCandidateNodesAbsolute: Invalid value: -2: not in valid range [0, inf)',
    ]);
    expect(validateDefaultPreemptionArgs(null, { minCandidateNodesPercentage: 0, minCandidateNodesAbsolute: 0 }).map((e) => e.message)).toEqual([
      'minCandidateNodesPercentage: Invalid value: 0: cannot be zero at the same time as minCandidateNodesAbsolute',
      'minCandidateNodesAbsolute: Invalid value: 0: cannot be zero at the same time as minCandidateNodesPercentage',
    ]);
  });
});

describe('defaultDefaultPreemptionArgs', () => {
  // Upstream: pkg/scheduler/apis/config/v1/defaults.go (SetDefaults_DefaultPreemptionArgs): only nil fields are set.
  it('fills 10 % and 100 and keeps what is set', () => {
    expect(defaultDefaultPreemptionArgs()).toEqual({ minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 100 });
    expect(defaultDefaultPreemptionArgs({ minCandidateNodesAbsolute: 50 })).toEqual({ minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 50 });
    expect(defaultDefaultPreemptionArgs({ minCandidateNodesPercentage: 0 })).toEqual({ minCandidateNodesPercentage: 0, minCandidateNodesAbsolute: 100 });
  });
});

describe('newDefaultPreemption', () => {
  it('defaults omitted args and throws the aggregated errors for bad ones', () => {
    const h = newPreemptionHandle();
    expect(newDefaultPreemption(undefined, h).args).toEqual({ minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 100 });
    expect(() => newDefaultPreemption({ minCandidateNodesPercentage: 0, minCandidateNodesAbsolute: 0 }, h)).toThrow(
      '[minCandidateNodesPercentage: Invalid value: 0: cannot be zero at the same time as minCandidateNodesAbsolute, minCandidateNodesAbsolute: Invalid value: 0: cannot be zero at the same time as minCandidateNodesPercentage]',
    );
  });

  // calculateNumCandidates: int32 division, floor at the absolute, cap at the node count.
  it.each([
    { pct: 10, abs: 100, nodes: 5, want: 5 },
    { pct: 10, abs: 100, nodes: 5000, want: 500 },
    { pct: 40, abs: 1, nodes: 5, want: 2 },
    { pct: 40, abs: 2, nodes: 5, want: 2 },
    { pct: 33, abs: 0, nodes: 10, want: 3 },
    { pct: 0, abs: 3, nodes: 10, want: 3 },
  ])('calculateNumCandidates($nodes) with $pct % and at least $abs is $want', ({ pct, abs, nodes, want }) => {
    const pl = newDefaultPreemption({ minCandidateNodesPercentage: pct, minCandidateNodesAbsolute: abs }, newPreemptionHandle());
    expect(pl.calculateNumCandidates(nodes)).toBe(want);
  });
});

describe('registration', () => {
  it('fits the registry: factory, v1 defaults and validation', () => {
    const reg: PluginRegistration = { factory: newDefaultPreemption, defaultArgs: defaultDefaultPreemptionArgs, validateArgs: validateDefaultPreemptionArgs };
    expect(reg.factory(reg.defaultArgs!(), newPreemptionHandle()).name).toBe('DefaultPreemption');
    expect(reg.validateArgs!(newPath('args'), { minCandidateNodesPercentage: -1, minCandidateNodesAbsolute: 1 })[0].message).toBe('args.minCandidateNodesPercentage: Invalid value: -1: not in valid range [0, 100]');
  });
});
