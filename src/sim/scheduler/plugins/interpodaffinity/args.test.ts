import { describe, expect, it } from 'vitest';
import { newPath } from '../../../apimachinery/field';
import { newTestHandle } from '../../testing/handle';
import { defaultInterPodAffinityArgs, validateInterPodAffinityArgs } from './args';
import { newInterPodAffinity } from './plugin';

describe('InterPodAffinityArgs', () => {
  const cases: { ref: string; weight: number; want: [string, string][] }[] = [
    { ref: 'TestValidateInterPodAffinityArgs/valid args', weight: 10, want: [] },
    { ref: 'TestValidateInterPodAffinityArgs/hardPodAffinityWeight less than min', weight: -1, want: [['FieldValueInvalid', 'hardPodAffinityWeight']] },
    { ref: 'TestValidateInterPodAffinityArgs/hardPodAffinityWeight more than max', weight: 101, want: [['FieldValueInvalid', 'hardPodAffinityWeight']] },
  ];
  for (const c of cases) {
    it(c.ref, () => expect(validateInterPodAffinityArgs(null, { hardPodAffinityWeight: c.weight }).map((e) => [e.type, e.field])).toEqual(c.want));
  }

  it('the message is upstream\'s, under the config path; bounds are inclusive', () => {
    const p = newPath('profiles').index(0).child('pluginConfig').index(2).child('args');
    expect(validateInterPodAffinityArgs(p, { hardPodAffinityWeight: 101 }).map((e) => e.message)).toEqual([
      'profiles[0].pluginConfig[2].args.hardPodAffinityWeight: Invalid value: 101: not in valid range [0, 100]',
    ]);
    expect(validateInterPodAffinityArgs(p, { hardPodAffinityWeight: 0 })).toEqual([]);
    expect(validateInterPodAffinityArgs(p, { hardPodAffinityWeight: 100 })).toEqual([]);
  });

  it('v1 defaults: hardPodAffinityWeight 1, ignorePreferredTermsOfExistingPods false', () => {
    expect(defaultInterPodAffinityArgs()).toEqual({ hardPodAffinityWeight: 1, ignorePreferredTermsOfExistingPods: false });
    expect(defaultInterPodAffinityArgs({ hardPodAffinityWeight: 0 }).hardPodAffinityWeight).toBe(0);
    expect(newInterPodAffinity(undefined, newTestHandle()).args.hardPodAffinityWeight).toBe(1);
    expect(() => newInterPodAffinity({ hardPodAffinityWeight: -1 }, newTestHandle())).toThrow('hardPodAffinityWeight: Invalid value: -1: not in valid range [0, 100]');
  });
});
