import { describe, expect, it } from 'vitest';
import type { TopologySpreadConstraint } from '../../../api/core/v1';
import { newPath } from '../../../apimachinery/field';
import { defaultPodTopologySpreadArgs, validatePodTopologySpreadArgs, type PodTopologySpreadArgs } from './args';
import { newPodTopologySpread } from './plugin';
import { newTestHandle } from '../../testing/handle';

const c = (maxSkew: number, topologyKey: string, whenUnsatisfiable: string, extra: Partial<TopologySpreadConstraint> = {}) =>
  ({ maxSkew, topologyKey, whenUnsatisfiable, ...extra }) as TopologySpreadConstraint;

describe('PodTopologySpreadArgs validation', () => {
  const cases: { ref: string; args: PodTopologySpreadArgs; want: [string, string][] }[] = [
    { ref: 'TestValidatePodTopologySpreadArgs/valid config', args: { defaultConstraints: [c(1, 'node', 'DoNotSchedule'), c(2, 'zone', 'ScheduleAnyway')], defaultingType: 'List' }, want: [] },
    { ref: 'TestValidatePodTopologySpreadArgs/maxSkew less than zero', args: { defaultConstraints: [c(-1, 'node', 'DoNotSchedule')], defaultingType: 'List' }, want: [['FieldValueInvalid', 'defaultConstraints[0].maxSkew']] },
    { ref: 'TestValidatePodTopologySpreadArgs/empty topology key', args: { defaultConstraints: [c(1, '', 'DoNotSchedule')], defaultingType: 'List' }, want: [['FieldValueRequired', 'defaultConstraints[0].topologyKey']] },
    { ref: 'TestValidatePodTopologySpreadArgs/whenUnsatisfiable is empty', args: { defaultConstraints: [c(1, 'node', '')], defaultingType: 'List' }, want: [['FieldValueRequired', 'defaultConstraints[0].whenUnsatisfiable']] },
    { ref: 'TestValidatePodTopologySpreadArgs/whenUnsatisfiable contains unsupported action', args: { defaultConstraints: [c(1, 'node', 'unknown action')], defaultingType: 'List' }, want: [['FieldValueNotSupported', 'defaultConstraints[0].whenUnsatisfiable']] },
    { ref: 'TestValidatePodTopologySpreadArgs/duplicated constraints', args: { defaultConstraints: [c(1, 'node', 'DoNotSchedule'), c(2, 'node', 'DoNotSchedule')], defaultingType: 'List' }, want: [['FieldValueDuplicate', 'defaultConstraints[1]']] },
    { ref: 'TestValidatePodTopologySpreadArgs/label selector present', args: { defaultConstraints: [c(1, 'key', 'DoNotSchedule', { labelSelector: { matchLabels: { a: 'b' } } })], defaultingType: 'List' }, want: [['FieldValueForbidden', 'defaultConstraints[0].labelSelector']] },
    { ref: 'TestValidatePodTopologySpreadArgs/list default constraints, no constraints', args: { defaultingType: 'List' }, want: [] },
    { ref: 'TestValidatePodTopologySpreadArgs/system default constraints', args: { defaultingType: 'System' }, want: [] },
    { ref: 'TestValidatePodTopologySpreadArgs/wrong constraints', args: { defaultingType: 'unknown' }, want: [['FieldValueNotSupported', 'defaultingType']] },
    { ref: 'TestValidatePodTopologySpreadArgs/system default constraints, but has constraints', args: { defaultConstraints: [c(1, 'key', 'DoNotSchedule')], defaultingType: 'System' }, want: [['FieldValueInvalid', 'defaultingType']] },
  ];
  for (const tc of cases) {
    it(tc.ref, () => expect(validatePodTopologySpreadArgs(null, tc.args).map((e) => [e.type, e.field])).toEqual(tc.want));
  }

  it('messages are upstream\'s, under the config path', () => {
    const p = newPath('profiles').index(0).child('pluginConfig').index(1).child('args');
    const errs = validatePodTopologySpreadArgs(p, { defaultConstraints: [c(0, 'node', 'Maybe'), c(1, 'node', 'Maybe', { labelSelector: {} })], defaultingType: 'List' });
    expect(errs.map((e) => e.message)).toEqual([
      'profiles[0].pluginConfig[1].args.defaultConstraints[0].maxSkew: Invalid value: 0: not in valid range (0, inf)',
      'profiles[0].pluginConfig[1].args.defaultConstraints[0].whenUnsatisfiable: Unsupported value: "Maybe": supported values: "DoNotSchedule", "ScheduleAnyway"',
      'profiles[0].pluginConfig[1].args.defaultConstraints[1].whenUnsatisfiable: Unsupported value: "Maybe": supported values: "DoNotSchedule", "ScheduleAnyway"',
      'profiles[0].pluginConfig[1].args.defaultConstraints[1].labelSelector: Forbidden: constraint must not define a selector, as they deduced for each pod',
      'profiles[0].pluginConfig[1].args.defaultConstraints[1]: Duplicate value: "{node, Maybe}"',
    ]);
  });

  it('v1 defaults an empty defaultingType to System, even beside listed constraints', () => {
    expect(defaultPodTopologySpreadArgs({})).toEqual({ defaultingType: 'System' });
    expect(defaultPodTopologySpreadArgs({ defaultConstraints: [c(1, 'zone', 'ScheduleAnyway')] }).defaultingType).toBe('System');
    expect(() => newPodTopologySpread({ defaultConstraints: [c(1, 'zone', 'ScheduleAnyway')] }, newTestHandle())).toThrow(/defaultingType: Invalid value: "System": when .defaultConstraints are not empty/);
    expect(newPodTopologySpread(undefined, newTestHandle()).systemDefaulted).toBe(true);
  });
});
