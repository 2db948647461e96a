import { describe, expect, it } from 'vitest';
import {
  equalIgnoreHash,
  findNewReplicaSet,
  findOldReplicaSets,
  findActiveOrLatest,
  replicaSetToDeploymentCondition,
  revision,
  maxRevision,
  lastRevision,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  replicasAnnotationsNeedUpdate,
  getNonNegativeInt32FromAnnotation,
  setDeploymentAnnotationsTo,
  RevisionAnnotation,
  RevisionHistoryAnnotation,
  DesiredReplicasAnnotation,
  MaxReplicasAnnotation,
  LastAppliedConfigAnnotation,
  getDeploymentCondition,
  setDeploymentCondition,
  removeDeploymentCondition,
  newDeploymentCondition,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  conditionMessages,
  NewRSAvailableReason,
  TimedOutReason,
  type Deployment,
  type DeploymentCondition,
  type DeploymentStatus,
  type PodTemplateSpec,
  type ReplicaSet,
} from './index';
import { generateDeployment, generateRS } from './testing';

const H = 'pod-template-hash';

function tmpl(name: string, nodeName: string, annotations: Record<string, string>, labels: Record<string, string>): PodTemplateSpec {
  return { metadata: { name, annotations, labels }, spec: { nodeName } };
}

describe("ref: 'TestEqualIgnoreHash'", () => {
  const cases: [string, PodTemplateSpec, PodTemplateSpec, boolean][] = [
    ['Same spec, same labels', tmpl('foo', 'foo-node', {}, { [H]: 'value-1', something: 'else' }), tmpl('foo', 'foo-node', {}, { [H]: 'value-1', something: 'else' }), true],
    ['Same spec, only pod-template-hash label value is different', tmpl('foo', 'foo-node', {}, { [H]: 'value-1', something: 'else' }), tmpl('foo', 'foo-node', {}, { [H]: 'value-2', something: 'else' }), true],
    ["Same spec, the former doesn't have pod-template-hash label", tmpl('foo', 'foo-node', {}, { something: 'else' }), tmpl('foo', 'foo-node', {}, { [H]: 'value-2', something: 'else' }), true],
    ["Same spec, the label is different, the former doesn't have pod-template-hash label, same number of labels", tmpl('foo', 'foo-node', {}, { something: 'else' }), tmpl('foo', 'foo-node', {}, { [H]: 'value-2' }), false],
    ["Same spec, the label is different, the latter doesn't have pod-template-hash label, same number of labels", tmpl('foo', 'foo-node', {}, { [H]: 'value-1' }), tmpl('foo', 'foo-node', {}, { something: 'else' }), false],
    ['Same spec, the label is different, and the pod-template-hash label value is the same', tmpl('foo', 'foo-node', {}, { [H]: 'value-1' }), tmpl('foo', 'foo-node', {}, { [H]: 'value-1', something: 'else' }), false],
    ['Different spec, same labels', tmpl('foo', 'foo-node', { former: 'value' }, { [H]: 'value-1', something: 'else' }), tmpl('foo', 'foo-node', { latter: 'value' }, { [H]: 'value-1', something: 'else' }), false],
    ['Different spec, different pod-template-hash label value', tmpl('foo-1', 'foo-node', {}, { [H]: 'value-1', something: 'else' }), tmpl('foo-2', 'foo-node', {}, { [H]: 'value-2', something: 'else' }), false],
    ["Different spec, the former doesn't have pod-template-hash label", tmpl('foo-1', 'foo-node-1', {}, { something: 'else' }), tmpl('foo-2', 'foo-node-2', {}, { [H]: 'value-2', something: 'else' }), false],
    ['Different spec, different labels', tmpl('foo', 'foo-node-1', {}, { something: 'else' }), tmpl('foo', 'foo-node-2', {}, { nothing: 'else' }), false],
  ];
  it.each(cases)('%s', (_n, former, latter, expected) => {
    const before = structuredClone([former, latter]);
    expect(equalIgnoreHash(former, latter)).toBe(expected);
    expect(equalIgnoreHash(latter, former)).toBe(expected);
    // Neither template loses its labels (upstream compares deep copies).
    expect([former, latter]).toEqual(before);
  });

  it('an empty map equals an absent one (Semantic.DeepEqual)', () => {
    expect(equalIgnoreHash({ metadata: { labels: { [H]: 'x' } }, spec: { volumes: [] } }, { metadata: {}, spec: {} })).toBe(true);
  });
});

function fixtures() {
  const now = '2026-01-01T00:01:00Z';
  const later = '2026-01-01T00:02:00Z';
  const before = '2026-01-01T00:00:00Z';
  const deployment = generateDeployment('nginx');
  const newRS = generateRS(deployment, 'new');
  newRS.spec.template.metadata!.labels![H] = 'hash';
  newRS.metadata.creationTimestamp = later;
  const newRSDup = generateRS(deployment, 'new-dup');
  newRSDup.spec.template.metadata!.labels![H] = 'different-hash';
  newRSDup.metadata.creationTimestamp = now;
  const oldDeployment = generateDeployment('nginx');
  (oldDeployment.spec.template.spec!.containers as { name: string }[])[0].name = 'nginx-old-1';
  const oldRS = generateRS(oldDeployment, 'old');
  oldRS.metadata.creationTimestamp = before;
  return { deployment, newRS, newRSDup, oldRS };
}

describe("ref: 'TestFindNewReplicaSet'", () => {
  const { deployment, newRS, newRSDup, oldRS } = fixtures();
  it('Get new ReplicaSet with the same template as Deployment spec but different pod-template-hash value', () => {
    expect(findNewReplicaSet(deployment, [newRS, oldRS])).toBe(newRS);
  });
  it('Get the oldest new ReplicaSet when there are more than one ReplicaSet with the same template', () => {
    expect(findNewReplicaSet(deployment, [newRS, oldRS, newRSDup])).toBe(newRSDup);
  });
  it('Get nil new ReplicaSet', () => {
    expect(findNewReplicaSet(deployment, [oldRS])).toBeUndefined();
  });
});

describe("ref: 'TestFindOldReplicaSets'", () => {
  const { deployment, newRS, newRSDup, oldRS } = fixtures();
  newRS.spec.replicas = 1;
  const names = (rss: ReplicaSet[]) => rss.map((r) => r.metadata.name);
  const cases: [string, ReplicaSet[], string[], string[]][] = [
    ['Get old ReplicaSets', [newRS, oldRS], ['old'], []],
    ['Get old ReplicaSets with no new ReplicaSet', [oldRS], ['old'], []],
    ['Get old ReplicaSets with two new ReplicaSets, only the oldest new ReplicaSet is seen as new ReplicaSet', [oldRS, newRS, newRSDup], ['old', 'new'], ['new']],
    ['Get empty old ReplicaSets', [newRS], [], []],
  ];
  it.each(cases)('%s', (_n, rsList, expected, expectedRequire) => {
    const { oldRSs, allOldRSs } = findOldReplicaSets(deployment, rsList);
    expect(names(allOldRSs)).toEqual(expected);
    expect(names(oldRSs)).toEqual(expectedRequire);
  });
});

describe('Revision / MaxRevision / LastRevision', () => {
  const withRev = (rev?: string): ReplicaSet => {
    const rs = generateRS(generateDeployment('x'));
    if (rev !== undefined) rs.metadata.annotations = { [RevisionAnnotation]: rev };
    return rs;
  };
  it('absent is 0; malformed is strconv\'s error', () => {
    expect(revision(withRev())).toBe(0);
    expect(revision(withRev('7'))).toBe(7);
    expect(() => revision(withRev('seven'))).toThrow('strconv.ParseInt: parsing "seven": invalid syntax');
    expect(() => revision(withRev('9223372036854775808'))).toThrow('strconv.ParseInt: parsing "9223372036854775808": value out of range');
  });
  it('max and second max, skipping unparsable revisions', () => {
    const rss = [withRev('3'), withRev('bad'), withRev('5'), withRev(), withRev('4')];
    expect(maxRevision(rss)).toBe(5);
    expect(lastRevision(rss)).toBe(4);
    expect(maxRevision([])).toBe(0);
    expect(lastRevision([withRev('2')])).toBe(0);
    // Equal maxima: the second one counts as the last revision (v >= max shifts).
    expect(lastRevision([withRev('2'), withRev('2')])).toBe(2);
  });
});

describe("ref: 'TestAnnotationUtils'", () => {
  it('SetNewReplicaSetAnnotations: revisions 11..20 with a 5-character history limit', () => {
    const d = generateDeployment('nginx');
    const rs = generateRS(d);
    d.metadata.annotations![RevisionAnnotation] = '1';
    for (let i = 10; i < 20; i++) {
      const next = String(i + 1);
      setNewReplicaSetAnnotations(d, rs, next, true, 5);
      if (i >= 12) expect(rs.metadata.annotations![RevisionHistoryAnnotation]).toBe(`${i - 1},${i}`);
      expect(rs.metadata.annotations![RevisionAnnotation]).toBe(next);
    }
  });

  it('SetReplicasAnnotations', () => {
    const rs = generateRS(generateDeployment('nginx'));
    expect(setReplicasAnnotations(rs, 10, 11)).toBe(true);
    expect(rs.metadata.annotations).toMatchObject({ [DesiredReplicasAnnotation]: '10', [MaxReplicasAnnotation]: '11' });
    expect(setReplicasAnnotations(rs, 10, 11)).toBe(false);
  });

  it('copies the Deployment\'s own annotations, never the controller\'s; a new RS gets replica annotations', () => {
    const d = generateDeployment('nginx');
    d.spec.replicas = 4;
    d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } };
    d.metadata.annotations = { team: 'web', [RevisionAnnotation]: '9', [LastAppliedConfigAnnotation]: '{}' };
    const rs = generateRS(d);
    expect(setNewReplicaSetAnnotations(d, rs, '3', false, 100)).toBe(true);
    expect(rs.metadata.annotations).toEqual({ team: 'web', [RevisionAnnotation]: '3', [DesiredReplicasAnnotation]: '4', [MaxReplicasAnnotation]: '5' });
    // Never lowers a revision, and reports no change when nothing moved.
    expect(setNewReplicaSetAnnotations(d, rs, '2', true, 100)).toBe(false);
    expect(rs.metadata.annotations![RevisionAnnotation]).toBe('3');
    // A malformed new revision: upstream warns and reports false.
    expect(setNewReplicaSetAnnotations(d, rs, 'x', true, 100)).toBe(false);
  });

  it('rollback: the Deployment takes the RS annotations but keeps its own controller ones', () => {
    const d = generateDeployment('nginx');
    d.metadata.annotations = { [RevisionAnnotation]: '5', team: 'old' };
    const rs = generateRS(d);
    rs.metadata.annotations = { [RevisionAnnotation]: '2', team: 'web', note: 'v2' };
    setDeploymentAnnotationsTo(d, rs);
    expect(d.metadata.annotations).toEqual({ [RevisionAnnotation]: '5', team: 'web', note: 'v2' });
  });
});

describe("ref: 'TestReplicasAnnotationsNeedUpdate'", () => {
  const rs = (annotations?: Record<string, string>): ReplicaSet => ({ metadata: { name: 'hello', namespace: 'test', annotations }, spec: { template: {} } });
  const cases: [string, ReplicaSet, boolean][] = [
    ['test Annotations nil', rs(), true],
    ['test desiredReplicas update', rs({ [DesiredReplicasAnnotation]: '8', [MaxReplicasAnnotation]: '20' }), true],
    ['test maxReplicas update', rs({ [DesiredReplicasAnnotation]: '10', [MaxReplicasAnnotation]: '16' }), true],
    ["test needn't update", rs({ [DesiredReplicasAnnotation]: '10', [MaxReplicasAnnotation]: '20' }), false],
  ];
  it.each(cases)('%s', (_n, r, expected) => expect(replicasAnnotationsNeedUpdate(r, 10, 20)).toBe(expected));
});

describe("ref: 'TestGetNonNegativeInt32FromAnnotation'", () => {
  const cases: [string, Record<string, string> | undefined, number, boolean, string][] = [
    ['invalid empty', undefined, 0, false, ''],
    ['invalid', { test: 'invalid', foo: '2' }, 0, false, 'invalid syntax'],
    ['invalid negative ', { test: '-1', foo: '2' }, 0, false, 'invalid syntax'],
    ['valid zero', { test: '0', foo: '2' }, 0, true, ''],
    ['valid', { test: '13', foo: '2' }, 13, true, ''],
    ['valid max', { test: String(2 ** 31 - 1), foo: '2' }, 2 ** 31 - 1, true, ''],
    ['invalid max out of range', { test: String(2 ** 31), foo: '2' }, 0, false, 'out of range'],
    ['invalid max out of range 2', { test: String(2 ** 32), foo: '2' }, 0, false, 'out of range'],
  ];
  it.each(cases)('%s', (_n, annotations, value, valid, err) => {
    const rs = generateRS(generateDeployment('nginx'));
    rs.metadata.annotations = annotations;
    const got = getNonNegativeInt32FromAnnotation(rs, 'test');
    expect({ value: got.value, valid: got.valid }).toEqual({ value, valid });
    if (err) expect(got.error).toContain(err);
    else expect(got.error).toBeUndefined();
  });
});

const condProgressing = (): DeploymentCondition => ({ type: 'Progressing', status: 'False', reason: 'ForSomeReason' });
const condProgressing2 = (): DeploymentCondition => ({ type: 'Progressing', status: 'True', reason: 'BecauseItIs' });
const condAvailable = (): DeploymentCondition => ({ type: 'Available', status: 'True', reason: 'AwesomeController' });
const status = (): DeploymentStatus => ({ conditions: [condProgressing(), condAvailable()] });

describe("ref: 'TestGetCondition'", () => {
  it('condition exists', () => expect(getDeploymentCondition(status(), 'Available')).toEqual(condAvailable()));
  it('condition does not exist', () => expect(getDeploymentCondition(status(), 'ReplicaFailure')).toBeUndefined());
});

describe("ref: 'TestSetCondition'", () => {
  const cases: [string, DeploymentStatus, DeploymentCondition, DeploymentStatus][] = [
    ['set for the first time', {}, condAvailable(), { conditions: [condAvailable()] }],
    ['simple set', { conditions: [condProgressing()] }, condAvailable(), status()],
    ['overwrite', { conditions: [condProgressing()] }, condProgressing2(), { conditions: [condProgressing2()] }],
  ];
  it.each(cases)('%s', (_n, st, cond, expected) => {
    setDeploymentCondition(st, cond);
    expect(st).toEqual(expected);
  });

  it('same status and reason: untouched; same status, new reason: keeps lastTransitionTime', () => {
    const st: DeploymentStatus = {};
    setDeploymentCondition(st, newDeploymentCondition('Progressing', 'True', 'NewReplicaSetCreated', conditionMessages.createdNewReplicaSet('web-1'), 1000));
    setDeploymentCondition(st, newDeploymentCondition('Progressing', 'True', 'NewReplicaSetCreated', 'other', 2000));
    expect(st.conditions![0]).toMatchObject({ lastUpdateTime: 1000, message: 'Created new replica set "web-1"' });
    setDeploymentCondition(st, newDeploymentCondition('Progressing', 'True', NewRSAvailableReason, conditionMessages.replicaSetProgressed('web-1'), 3000));
    expect(st.conditions![0]).toEqual({
      type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: 'ReplicaSet "web-1" has successfully progressed.', lastUpdateTime: 3000, lastTransitionTime: 1000,
    });
    setDeploymentCondition(st, newDeploymentCondition('Progressing', 'False', TimedOutReason, conditionMessages.replicaSetTimedOut('web-1'), 4000));
    expect(st.conditions![0]).toMatchObject({ reason: 'ProgressDeadlineExceeded', lastTransitionTime: 4000, message: 'ReplicaSet "web-1" has timed out progressing.' });
  });
});

describe("ref: 'TestRemoveCondition'", () => {
  const cases: [string, DeploymentStatus, string, DeploymentStatus][] = [
    ['remove from empty status', {}, 'Progressing', {}],
    ['simple remove', { conditions: [condProgressing()] }, 'Progressing', {}],
    ["doesn't remove anything", status(), 'ReplicaFailure', status()],
  ];
  it.each(cases)('%s', (_n, st, type, expected) => {
    removeDeploymentCondition(st, type);
    expect(st).toEqual(expected);
  });
});

describe("ref: 'TestDeploymentComplete'", () => {
  const dep = (desired: number, current: number, updated: number, available: number, maxUnavailable: number, maxSurge: number): Deployment => ({
    metadata: {},
    spec: { replicas: desired, template: {}, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable, maxSurge } } },
    status: { replicas: current, updatedReplicas: updated, availableReplicas: available },
  });
  const cases: [string, Deployment, boolean][] = [
    ['not complete: min but not all pods become available', dep(5, 5, 5, 4, 1, 0), false],
    ['not complete: min availability is not honored', dep(5, 5, 5, 3, 1, 0), false],
    ['complete', dep(5, 5, 5, 5, 0, 0), true],
    ['not complete: all pods are available but not updated', dep(5, 5, 4, 5, 0, 0), false],
    ['not complete: still running old pods', dep(1, 2, 1, 1, 0, 1), false],
    ['not complete: one replica deployment never comes up', dep(1, 1, 1, 0, 1, 1), false],
  ];
  it.each(cases)('%s', (_n, d, expected) => expect(deploymentComplete(d, d.status!)).toBe(expected));

  it('an unobserved generation is not complete', () => {
    const d = dep(5, 5, 5, 5, 0, 0);
    d.metadata.generation = 2;
    expect(deploymentComplete(d, { ...d.status, observedGeneration: 1 })).toBe(false);
    expect(deploymentComplete(d, { ...d.status, observedGeneration: 2 })).toBe(true);
  });
});

describe("ref: 'TestDeploymentProgressing'", () => {
  const st = (replicas: number, updatedReplicas: number, readyReplicas: number, availableReplicas: number): DeploymentStatus => ({ replicas, updatedReplicas, readyReplicas, availableReplicas });
  const cases: [string, DeploymentStatus, DeploymentStatus, boolean][] = [
    ['progressing: updated pods', st(10, 4, 4, 4), st(10, 6, 4, 4), true],
    ['not progressing', st(10, 4, 4, 4), st(10, 4, 4, 4), false],
    ['progressing: old pods removed', st(10, 4, 6, 6), st(8, 4, 6, 6), true],
    ['not progressing: less new pods', st(10, 7, 3, 3), st(10, 6, 3, 3), false],
    ['progressing: less overall but more new pods', st(10, 4, 7, 7), st(8, 8, 5, 5), true],
    ['progressing: more ready pods', st(10, 10, 9, 8), st(10, 10, 10, 8), true],
    ['progressing: more available pods', st(10, 10, 10, 9), st(10, 10, 10, 10), true],
  ];
  it.each(cases)('%s', (_n, old, next, expected) => {
    const d: Deployment = { metadata: {}, spec: { template: {} }, status: old };
    expect(deploymentProgressing(d, next)).toBe(expected);
  });
});

describe("ref: 'TestDeploymentTimedOut'", () => {
  // timeFn(min, sec) of upstream as ms since 2016-01-01T00:00:00Z.
  const at = (min: number, sec: number) => Date.UTC(2016, 0, 1, 0, min, sec);
  const dep = (reason: string, pds: number | undefined, fromMs: number | undefined): Deployment => ({
    metadata: {},
    spec: { template: {}, progressDeadlineSeconds: pds },
    status: { conditions: [{ type: 'Progressing', status: 'True', reason, lastUpdateTime: fromMs }] },
  });
  const cases: [string, Deployment, number, boolean][] = [
    ['nil progressDeadlineSeconds specified - no timeout', dep('', undefined, at(1, 9)), at(1, 20), false],
    ['infinite progressDeadlineSeconds specified - no timeout', dep('', 2 ** 31 - 1, at(1, 9)), at(1, 20), false],
    ['progressDeadlineSeconds: 10s, now - started => 00:01:20 - 00:01:09 => 11s', dep('', 10, at(1, 9)), at(1, 20), true],
    ['progressDeadlineSeconds: 10s, now - started => 00:01:20 - 00:01:11 => 9s', dep('', 10, at(1, 11)), at(1, 20), false],
    ['previous status was a complete deployment', dep(NewRSAvailableReason, undefined, undefined), at(1, 20), false],
  ];
  it.each(cases)('%s', (_n, d, now, expected) => expect(deploymentTimedOut(d, d.status!, now)).toBe(expected));

  it('exactly at the deadline is not yet timed out (Before is strict); a TimedOut reason stays timed out', () => {
    expect(deploymentTimedOut(dep('', 10, at(1, 10)), dep('', 10, at(1, 10)).status!, at(1, 20))).toBe(false);
    expect(deploymentTimedOut(dep(TimedOutReason, 10, at(1, 19)), dep(TimedOutReason, 10, at(1, 19)).status!, at(1, 20))).toBe(true);
    expect(deploymentTimedOut(dep('', 10, at(1, 0)), { conditions: [] }, at(1, 20))).toBe(false);
  });
});

describe('condition messages (progress.go, sync.go)', () => {
  it('are upstream\'s texts', () => {
    expect(conditionMessages.foundNewReplicaSet('web-abc')).toBe('Found new replica set "web-abc"');
    expect(conditionMessages.replicaSetProgressing('web-abc')).toBe('ReplicaSet "web-abc" is progressing.');
    expect(conditionMessages.deploymentTimedOut('web')).toBe('Deployment "web" has timed out progressing.');
    expect(conditionMessages.minimumAvailable).toBe('Deployment has minimum availability.');
    expect(conditionMessages.minimumUnavailable).toBe('Deployment does not have minimum availability.');
  });
});

describe('FindActiveOrLatest', () => {
  const rs = (name: string, created: string, replicas: number): ReplicaSet => ({
    metadata: { name, uid: name, creationTimestamp: created },
    spec: { replicas, template: {} },
  });
  const a = rs('a', '2026-01-01T00:00:00Z', 0);
  const b = rs('b', '2026-01-01T00:01:00Z', 0);
  const c = rs('c', '2026-01-01T00:02:00Z', 3);
  it('nothing at all', () => expect(findActiveOrLatest(undefined, [])).toBeUndefined());
  it('none active: the new RS, else the newest old one', () => {
    const n = rs('n', '2026-01-01T00:03:00Z', 0);
    expect(findActiveOrLatest(n, [a, b])).toBe(n);
    expect(findActiveOrLatest(undefined, [a, b])).toBe(b);
  });
  it('exactly one active: that one; several: none (proportional scaling)', () => {
    expect(findActiveOrLatest(rs('n', '2026-01-01T00:03:00Z', 0), [a, c])).toBe(c);
    expect(findActiveOrLatest(rs('n', '2026-01-01T00:03:00Z', 2), [a, c])).toBeUndefined();
  });
});

describe('ReplicaSetToDeploymentCondition', () => {
  it('copies the failure and uses its transition time for both stamps', () => {
    expect(replicaSetToDeploymentCondition({ type: 'ReplicaFailure', status: 'True', lastTransitionTime: 5000, reason: 'FailedCreate', message: 'quota' })).toEqual({
      type: 'ReplicaFailure', status: 'True', lastTransitionTime: 5000, lastUpdateTime: 5000, reason: 'FailedCreate', message: 'quota',
    });
  });
});
