import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  resolveFenceposts,
  maxSurge,
  maxUnavailable,
  minAvailable,
  newRSNewReplicas,
  isSaturated,
  getReplicaSetFraction,
  getReplicaSetProportion,
  getReplicaCountForReplicaSets,
  getActualReplicaCountForReplicaSets,
  MaxReplicasAnnotation,
  DesiredReplicasAnnotation,
  setReplicasAnnotations,
  getScaledValueFromIntOrPercent,
  type Deployment,
} from './index';
import { generateDeployment, generateRS, rolling } from './testing';

describe("ref: 'TestResolveFenceposts'", () => {
  const cases: [string | undefined, string | undefined, number, number, number, boolean][] = [
    ['0%', '0%', 0, 0, 1, false],
    ['39%', '39%', 10, 4, 3, false],
    ['oops', '39%', 10, 0, 0, true],
    ['55%', 'urg', 10, 0, 0, true],
    [undefined, '39%', 10, 0, 3, false],
    ['39%', undefined, 10, 4, 0, false],
    [undefined, undefined, 10, 0, 1, false],
  ];
  it.each(cases)('surge %s unavailable %s of %i', (s, u, desired, wantSurge, wantUnavail, wantErr) => {
    if (wantErr) {
      expect(() => resolveFenceposts(s, u, desired)).toThrow('invalid value for IntOrString: invalid type: string is not a percentage');
      return;
    }
    expect(resolveFenceposts(s, u, desired)).toEqual({ surge: wantSurge, unavailable: wantUnavail });
  });

  it('property: surge rounds up, unavailable rounds down, never both 0', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), (n, sp, up) => {
        const { surge, unavailable } = resolveFenceposts(`${sp}%`, `${up}%`, n);
        expect(surge * 100).toBeGreaterThanOrEqual(sp * n);
        expect((surge - 1) * 100).toBeLessThan(sp * n);
        expect(surge + unavailable).toBeGreaterThan(0);
        if (!(surge === 0 && unavailable === 1)) expect(unavailable * 100).toBeLessThanOrEqual(up * n);
      }),
    );
  });
});

describe('getScaledValueFromIntOrPercent (apimachinery intstr)', () => {
  it('nil value', () => expect(() => getScaledValueFromIntOrPercent(undefined, 10, true)).toThrow('nil value for IntOrString'));
  it('ints pass through, percents scale', () => {
    expect(getScaledValueFromIntOrPercent(3, 10, true)).toBe(3);
    expect(getScaledValueFromIntOrPercent('25%', 10, true)).toBe(3);
    expect(getScaledValueFromIntOrPercent('25%', 10, false)).toBe(2);
  });
  it('a percent sign with no number is strconv\'s error; a bare number string is not a percentage', () => {
    expect(() => getScaledValueFromIntOrPercent('x%', 10, true)).toThrow('invalid value for IntOrString: invalid value "x%": strconv.Atoi: parsing "x": invalid syntax');
    expect(() => getScaledValueFromIntOrPercent('25', 10, true)).toThrow('invalid value for IntOrString: invalid type: string is not a percentage');
  });
});

describe("ref: 'TestNewRSNewReplicas'", () => {
  const cases: [string, 'RollingUpdate' | 'Recreate', number, number, number, number][] = [
    ['can not scale up - to newRSReplicas', 'RollingUpdate', 1, 5, 1, 5],
    ['scale up - to depReplicas', 'RollingUpdate', 6, 2, 10, 6],
    ['recreate - to depReplicas', 'Recreate', 3, 1, 1, 3],
  ];
  it.each(cases)('%s', (_name, type, depReplicas, newRSReplicas, surge, expected) => {
    const d = generateDeployment('nginx');
    d.spec.replicas = depReplicas;
    d.spec.strategy = { type, rollingUpdate: { maxUnavailable: 1, maxSurge: surge } };
    const newRC = generateRS(d);
    newRC.spec.replicas = newRSReplicas;
    const rs5 = generateRS(d);
    rs5.spec.replicas = 5;
    expect(newRSNewReplicas(d, [rs5], newRC)).toBe(expected);
  });

  it('property: the new RS grows to at most spec.replicas and the total to at most replicas + maxSurge', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 150 }), fc.integer({ min: 0, max: 100 }), (n, surgePct, old, newSize) => {
        fc.pre(newSize <= n);
        const d = rolling(n, `${surgePct}%`, '25%');
        const oldRS = generateRS(d);
        oldRS.spec.replicas = old;
        const newRS = generateRS(d);
        newRS.spec.replicas = newSize;
        const got = newRSNewReplicas(d, [oldRS, newRS], newRS);
        expect(got).toBeGreaterThanOrEqual(newSize);
        expect(got).toBeLessThanOrEqual(n);
        if (got > newSize) expect(old + got).toBeLessThanOrEqual(n + maxSurge(d));
      }),
    );
  });

  it('an unknown strategy is upstream\'s error', () => {
    const d = generateDeployment('nginx');
    d.spec.strategy = { type: 'BlueGreen' };
    expect(() => newRSNewReplicas(d, [], generateRS(d))).toThrow("deployment type BlueGreen isn't supported");
  });

  it('a rolling update without maxSurge is intstr\'s nil error', () => {
    const d = generateDeployment('nginx');
    d.spec.strategy = { type: 'RollingUpdate' };
    expect(() => newRSNewReplicas(d, [], generateRS(d))).toThrow('nil value for IntOrString');
  });
});

describe("ref: 'TestMaxUnavailable'", () => {
  const cases: [string, Deployment, number][] = [
    ['maxUnavailable less than replicas', rolling(10, 1, 5), 5],
    ['maxUnavailable equal replicas', rolling(10, 1, 10), 10],
    ['maxUnavailable greater than replicas', rolling(5, 1, 10), 5],
    ['maxUnavailable with replicas is 0', rolling(0, 1, 10), 0],
    ['maxUnavailable with Recreate deployment strategy', { ...generateDeployment('x'), spec: { ...generateDeployment('x').spec, strategy: { type: 'Recreate' } } }, 0],
    ['maxUnavailable less than replicas with percents', rolling(10, 1, '50%'), 5],
    ['maxUnavailable equal replicas with percents', rolling(10, 1, '100%'), 10],
    ['maxUnavailable greater than replicas with percents', rolling(5, 1, '100%'), 5],
  ];
  it.each(cases)('%s', (_n, d, expected) => expect(maxUnavailable(d)).toBe(expected));
});

describe("ref: 'TestMinAvailable'", () => {
  const recreate = generateDeployment('x');
  recreate.spec.replicas = 10;
  recreate.spec.strategy = { type: 'Recreate' };
  const cases: [string, Deployment, number][] = [
    ['replicas greater than maxUnavailable', rolling(10, 1, 5), 5],
    ['replicas equal maxUnavailable', rolling(10, 1, 10), 0],
    ['replicas less than maxUnavailable', rolling(5, 1, 10), 0],
    ['replicas is 0', rolling(0, 1, 10), 0],
    ['minAvailable with Recreate deployment strategy', recreate, 0],
    ['replicas greater than maxUnavailable with percents', rolling(10, 1, '60%'), 4],
    ['replicas equal maxUnavailable with percents', rolling(10, 1, '100%'), 0],
    ['replicas less than maxUnavailable with percents', rolling(5, 1, '100%'), 0],
  ];
  it.each(cases)('%s', (_n, d, expected) => expect(minAvailable(d)).toBe(expected));
});

describe('MaxSurge', () => {
  it('rounds percentages up; Recreate has none; malformed values give 0 (validation catches them)', () => {
    expect(maxSurge(rolling(10, '25%', '25%'))).toBe(3);
    expect(maxSurge({ ...rolling(10, 2, 0), spec: { ...rolling(10, 2, 0).spec, strategy: { type: 'Recreate' } } })).toBe(0);
    expect(maxSurge(rolling(10, 'lots', 1))).toBe(0);
  });
});

describe("ref: 'TestGetReplicaSetFraction'", () => {
  const cases: [string, number, number, number, number, Record<string, string> | undefined, number][] = [
    ['empty deployment always scales to 0', 0, 0, 0, 10, undefined, -10],
    ['unsynced deployment does not scale when max-replicas annotation is missing (removed by a 3rd party)', 10, 0, 0, 5, undefined, 0],
    ['unsynced deployment does not scale when max-replicas annotation is incorrectly set to 0 (by a 3rd party)', 10, 0, 0, 5, { [MaxReplicasAnnotation]: '0' }, 0],
    ['scale up by 1/5 should increase RS replicas by 1/5 when max-replicas annotation is missing (removed by a 3rd party)', 120, 100, 0, 50, undefined, 10],
    ['scale up by 1/5 should increase RS replicas by 1/5 when max-replicas annotation is incorrectly set to 0 (by a 3rd party)', 120, 100, 0, 50, { [MaxReplicasAnnotation]: '0' }, 10],
    ['scale up by 1/5 should increase RS replicas by 1/5', 120, 0, 0, 50, { [MaxReplicasAnnotation]: '100' }, 10],
    ['scale up with maxSurge by 1/5 should increase RS replicas approximately by 1/5', 120, 0, 10, 50, { [MaxReplicasAnnotation]: '110' }, 9],
    ['scale down by 1/6 should decrease RS replicas by 1/6', 10, 0, 0, 6, { [MaxReplicasAnnotation]: '12' }, -1],
    ['scale down with maxSurge by 1/6 should decrease RS replicas approximately by 1/6', 100, 0, 10, 50, { [MaxReplicasAnnotation]: '130' }, -8],
  ];
  it.each(cases)('%s', (_n, replicas, statusReplicas, surge, rsReplicas, annotations, expected) => {
    const d = rolling(replicas, surge, 1);
    d.status = { replicas: statusReplicas };
    const rs = generateRS(d);
    rs.metadata.annotations = annotations;
    rs.spec.replicas = rsReplicas;
    expect(getReplicaSetFraction(rs, d)).toBe(expected);
  });
});

describe('GetReplicaSetProportion', () => {
  it('is 0 for no ReplicaSet, an empty one, nothing to add, or nothing left', () => {
    const d = rolling(20, 0, 1);
    const rs = generateRS(d);
    rs.spec.replicas = 5;
    expect(getReplicaSetProportion(undefined, d, 5, 0)).toBe(0);
    expect(getReplicaSetProportion({ ...rs, spec: { ...rs.spec, replicas: 0 } }, d, 5, 0)).toBe(0);
    expect(getReplicaSetProportion(rs, d, 0, 0)).toBe(0);
    expect(getReplicaSetProportion(rs, d, 5, 5)).toBe(0);
  });

  it('property: proportional scaling of two ReplicaSets stays within what is left to add', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 200 }), (a, b, target) => {
        const before = a + b;
        const d = rolling(target, 0, 1);
        const rss = [a, b].map((n) => {
          const rs = generateRS(d);
          rs.spec.replicas = n;
          setReplicasAnnotations(rs, before, before);
          return rs;
        });
        const toAdd = target - before;
        let added = 0;
        for (const rs of rss) {
          const p = getReplicaSetProportion(rs, d, toAdd, added);
          if (toAdd > 0) expect(p).toBeGreaterThanOrEqual(0);
          if (toAdd < 0) expect(p).toBeLessThanOrEqual(0);
          added += p;
          expect(Math.abs(added)).toBeLessThanOrEqual(Math.abs(toAdd));
          expect((rs.spec.replicas ?? 0) + p).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });
});

describe("ref: 'TestAnnotationUtils' (IsSaturated)", () => {
  it('saturated when size, desired-replicas and available all equal spec.replicas', () => {
    const d = generateDeployment('nginx');
    const rs = generateRS(d);
    expect(isSaturated(d, undefined)).toBe(false);
    expect(isSaturated(d, rs)).toBe(false);
    rs.metadata.annotations = { [DesiredReplicasAnnotation]: '1' };
    rs.spec.replicas = 1;
    rs.status = { availableReplicas: 1 };
    expect(isSaturated(d, rs)).toBe(true);
    rs.status.availableReplicas = 0;
    expect(isSaturated(d, rs)).toBe(false);
  });
});

describe("ref: 'TestGetReplicaCountForReplicaSets'", () => {
  it('sums spec and status replicas, skipping missing sets', () => {
    const mk = (spec: number, status: number) => {
      const rs = generateRS(generateDeployment('x'));
      rs.spec.replicas = spec;
      rs.status = { replicas: status };
      return rs;
    };
    const [rs1, rs2, rs3] = [mk(1, 2), mk(2, 3), mk(3, 0)];
    expect(getReplicaCountForReplicaSets([rs1])).toBe(1);
    expect(getActualReplicaCountForReplicaSets([rs1])).toBe(2);
    expect(getReplicaCountForReplicaSets([rs1, rs2])).toBe(3);
    expect(getActualReplicaCountForReplicaSets([rs1, rs2])).toBe(5);
    expect(getReplicaCountForReplicaSets([rs1, rs2, rs3, undefined])).toBe(6);
    expect(getActualReplicaCountForReplicaSets([rs1, rs2, rs3, undefined])).toBe(5);
  });
});
