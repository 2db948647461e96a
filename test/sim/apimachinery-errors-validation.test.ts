// API errors (pkg/api/errors/errors_test.go), field errors (pkg/util/validation/field), name
// validation (pkg/util/validation/validation_test.go) and ObjectMeta validation
// (pkg/api/validation/objectmeta_test.go), all apimachinery v0.34.0.
import { describe, expect, it } from 'vitest';
import { StatusError } from '../../src/sim/core/errors';
import * as errors from '../../src/sim/apimachinery/errors';
import * as field from '../../src/sim/apimachinery/field';
import * as v from '../../src/sim/apimachinery/validation';

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

describe('field.Path and field errors', () => {
  it('prints paths (TestPath)', () => {
    expect(field.newPath('spec').child('containers').index(0).child('image').toString()).toBe('spec.containers[0].image');
    expect(field.newPath('metadata', 'labels').key('app').toString()).toBe('metadata.labels[app]');
    expect(field.newPath('a').child('b', 'c').root().toString()).toBe('a');
    expect(field.pathString(null)).toBe('<nil>');
  });

  it.each([
    [field.required(field.newPath('spec', 'containers'), ''), 'spec.containers: Required value', 'FieldValueRequired'],
    [field.required(field.newPath('metadata', 'name'), 'name or generateName is required'), 'metadata.name: Required value: name or generateName is required', 'FieldValueRequired'],
    [field.invalid(field.newPath('f'), 'v', 'd'), 'f: Invalid value: "v": d', 'FieldValueInvalid'],
    [field.invalid(field.newPath('f'), 5, 'd'), 'f: Invalid value: 5: d', 'FieldValueInvalid'],
    [field.invalid(field.newPath('f'), 1.5, 'd'), 'f: Invalid value: 1.5: d', 'FieldValueInvalid'],
    [field.invalid(field.newPath('f'), ['a', '<b>'], 'd'), 'f: Invalid value: ["a","\\u003cb\\u003e"]: d', 'FieldValueInvalid'],
    [field.invalid(field.newPath('f'), { b: 1, a: true }, 'd'), 'f: Invalid value: {"a":true,"b":1}: d', 'FieldValueInvalid'],
    [field.notSupported(field.newPath('f'), 'x', ['a', 'b']), 'f: Unsupported value: "x": supported values: "a", "b"', 'FieldValueNotSupported'],
    [field.notSupported(field.newPath('f'), 'x', []), 'f: Unsupported value: "x"', 'FieldValueNotSupported'],
    [field.duplicate(field.newPath('f'), 'v'), 'f: Duplicate value: "v"', 'FieldValueDuplicate'],
    [field.notFound(field.newPath('f'), 'v'), 'f: Not found: "v"', 'FieldValueNotFound'],
    [field.forbidden(field.newPath('f'), 'not allowed'), 'f: Forbidden: not allowed', 'FieldValueForbidden'],
    [field.tooLong(field.newPath('f'), 'xxxx', 3), 'f: Too long: may not be more than 3 bytes', 'FieldValueTooLong'],
    [field.tooLong(field.newPath('f'), 'xx', 1), 'f: Too long: may not be more than 1 byte', 'FieldValueTooLong'],
    [field.tooLong(field.newPath('f'), 'xx', -1), 'f: Too long: value is too long', 'FieldValueTooLong'],
    [field.tooMany(field.newPath('f'), 5, 2), 'f: Too many: 5: must have at most 2 items', 'FieldValueTooMany'],
    [field.tooMany(field.newPath('f'), -1, 1), 'f: Too many: must have at most 1 item', 'FieldValueTooMany'],
    [field.internalError(field.newPath('f'), new Error('e')), 'f: Internal error: e', 'InternalError'],
    [field.typeInvalid(field.newPath('f'), 'string', 'must be int'), 'f: Invalid value: "string": must be int', 'FieldValueTypeInvalid'],
  ])('%s (TestMakeFuncs, TestErrorUsefulMessage)', (err, msg, type) => {
    expect(err.message).toBe(msg);
    expect(err.type).toBe(type);
  });

  it('aggregates distinct messages (TestToAggregate, aggregate.Error)', () => {
    const a = field.required(field.newPath('a'), '');
    const b = field.invalid(field.newPath('b'), 'x', 'bad');
    expect(field.toAggregate([])).toBeUndefined();
    expect(field.toAggregate([a])!.message).toBe('a: Required value');
    expect(field.toAggregate([a, b, a])!.message).toBe('[a: Required value, b: Invalid value: "x": bad]');
    expect(field.toAggregate([a, a])!.errors).toHaveLength(1);
  });
});

describe('pkg/api/errors', () => {
  it('NewNotFound, NewAlreadyExists, NewConflict word and detail as upstream', () => {
    const nf = errors.newNotFound({ group: '', resource: 'pods' }, 'web');
    expect(nf).toBeInstanceOf(StatusError);
    expect(nf.status).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'pods "web" not found', reason: 'NotFound', details: { name: 'web', kind: 'pods' }, code: 404 });
    expect([nf.code, nf.reason, nf.message]).toEqual([404, 'NotFound', 'pods "web" not found']);
    expect(errors.newNotFound('deployments.apps', 'web').message).toBe('deployments.apps "web" not found');
    expect(errors.newNotFound('deployments.apps', 'web').details).toEqual({ name: 'web', group: 'apps', kind: 'deployments' });
    const ae = errors.newAlreadyExists('pods', 'web');
    expect([ae.code, ae.reason, ae.message]).toEqual([409, 'AlreadyExists', 'pods "web" already exists']);
    const c = errors.newConflict('pods', 'web');
    expect([c.code, c.reason, c.message]).toEqual([
      409,
      'Conflict',
      'Operation cannot be fulfilled on pods "web": the object has been modified; please apply your changes to the latest version and try again',
    ]);
  });

  it('NewInvalid aggregates field errors and lists them as causes (TestNewInvalid)', () => {
    const errs = [
      field.invalid(field.newPath('metadata', 'name'), 'Web', v.isDNS1123Subdomain('Web')[0]),
      field.required(field.newPath('spec', 'containers'), ''),
    ];
    const e = errors.newInvalid({ group: '', kind: 'Pod' }, 'web', errs);
    expect([e.code, e.reason]).toEqual([422, 'Invalid']);
    expect(e.message).toBe(`Pod "web" is invalid: [metadata.name: Invalid value: "Web": ${SUBDOMAIN_MSG}, spec.containers: Required value]`);
    expect(e.details).toEqual({
      name: 'web',
      kind: 'Pod',
      causes: [
        { reason: 'FieldValueInvalid', message: `Invalid value: "Web": ${SUBDOMAIN_MSG}`, field: 'metadata.name' },
        { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers' },
      ],
    });
    expect(errors.newInvalid('Kind', 'name', [field.duplicate(field.newPath('field[0].name'), 'bar')]).message).toBe('Kind "name" is invalid: field[0].name: Duplicate value: "bar"');
    expect(errors.newInvalid('Kind', 'name', []).message).toBe('Kind "name" is invalid');
    expect(errors.newInvalid('Deployment.apps', 'web', []).details).toEqual({ name: 'web', group: 'apps', kind: 'Deployment' });
  });

  it.each([
    [errors.newGone('gone'), 410, 'Gone', 'gone'],
    [errors.newResourceExpired(errors.tooOldResourceVersionMessage(5, 10)), 410, 'Expired', 'too old resource version: 5 (10)'],
    [errors.newBadRequest('field label not supported: x'), 400, 'BadRequest', 'field label not supported: x'],
    [errors.newMethodNotSupported('pods', 'watch'), 405, 'MethodNotAllowed', 'watch is not supported on resources of kind "pods"'],
    [errors.newTooManyRequests('slow down', 1), 429, 'TooManyRequests', 'slow down'],
    [errors.newTooManyRequestsError('slow down'), 429, 'TooManyRequests', 'Too many requests: slow down'],
    [errors.newInternalError(new Error('etcdserver: no leader')), 500, 'InternalError', 'Internal error occurred: etcdserver: no leader'],
    [errors.newTimeoutError('too slow', 2), 504, 'Timeout', 'Timeout: too slow'],
    [errors.newServerTimeout('pods', 'create', 2), 500, 'ServerTimeout', 'The create operation against pods could not be completed at this time, please try again.'],
    [errors.newForbidden('pods', 'web', new Error('no')), 403, 'Forbidden', 'pods "web" is forbidden: no'],
    [errors.newForbidden('pods', '', new Error('no')), 403, 'Forbidden', 'pods is forbidden: no'],
    [errors.newUnauthorized(''), 401, 'Unauthorized', 'not authorized'],
    [errors.newGenerateNameConflict('pods', 'web-abcde', 1), 409, 'AlreadyExists', 'pods "web-abcde" already exists, the server was not able to generate a unique name for the object'],
    [errors.newRequestEntityTooLargeError('big'), 413, 'RequestEntityTooLarge', 'Request entity too large: big'],
    [errors.newServiceUnavailable('down'), 503, 'ServiceUnavailable', 'down'],
    [errors.newGenericServerResponse(422, '', '', '', 'testing value /a failed: test failed', 0, false), 422, 'Invalid', 'the server rejected our request due to an error in our request'],
    [errors.newGenericServerResponse(404, 'GET', 'pods', 'web', '', 0, false), 404, 'NotFound', 'the server could not find the requested resource (get pods web)'],
    [
      errors.newUnsupportedMediaTypeError(['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml']),
      415,
      'UnsupportedMediaType',
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    ],
  ])('%s (TestErrorNew)', (err, code, reason, message) => {
    expect([err.code, err.reason, err.message]).toEqual([code, reason, message]);
    expect(err.status.kind).toBe('Status');
  });

  it('predicates follow the reason, else the code for unknown reasons (TestIsErrorTypesByReasonAndCode, TestErrorNew)', () => {
    const ae = errors.newAlreadyExists('tests', '1');
    expect(errors.isAlreadyExists(ae)).toBe(true);
    expect(errors.isConflict(ae)).toBe(false);
    expect(errors.isNotFound(ae)).toBe(false);
    expect(errors.isConflict(errors.newConflict('tests', '2', new Error('message')))).toBe(true);
    expect(errors.isNotFound(errors.newNotFound('tests', '3'))).toBe(true);
    expect(errors.isInvalid(errors.newInvalid('Test', '2', []))).toBe(true);
    expect(errors.isBadRequest(errors.newBadRequest('reason'))).toBe(true);
    expect(errors.isForbidden(errors.newForbidden('tests', '2', new Error('reason')))).toBe(true);
    expect(errors.isUnauthorized(errors.newUnauthorized('reason'))).toBe(true);
    expect(errors.isServerTimeout(errors.newServerTimeout('tests', 'reason', 0))).toBe(true);
    expect(errors.isMethodNotSupported(errors.newMethodNotSupported('foos', 'delete'))).toBe(true);
    // An unknown reason falls back to the code; a known other reason does not.
    expect(errors.isNotFound(new StatusError(404, 'SomethingElse', 'x'))).toBe(true);
    expect(errors.isNotFound(new StatusError(404, 'Conflict', 'x'))).toBe(false);
    expect(errors.isTooManyRequests(new StatusError(429, 'Conflict', 'x'))).toBe(true);
    expect(errors.isGone(new StatusError(410, '', 'x'))).toBe(true);
    expect(errors.isResourceExpired(new StatusError(410, '', 'x'))).toBe(false);
    expect(errors.isNotFound(new Error('plain'))).toBe(false);
  });

  it('looks through wrapped errors (TestReasonForErrorSupportsWrappedErrors, TestStatusCauseSupportsWrappedErrors)', () => {
    const inner = errors.newStatusError(504, 'Timeout', 'x', { causes: [{ type: errors.CauseTypeResourceVersionTooLarge }] });
    const wrapped = new Error('outer', { cause: inner });
    expect(errors.reasonForError(wrapped)).toBe('Timeout');
    expect(errors.isTimeout(wrapped)).toBe(true);
    expect(errors.hasStatusCause(wrapped, errors.CauseTypeResourceVersionTooLarge)).toBe(true);
    expect(inner.details?.causes).toEqual([{ reason: 'ResourceVersionTooLarge' }]);
  });

  it('suggestsClientDelay (TestErrorNew, TestSuggestsClientDelaySupportsWrapping)', () => {
    expect(errors.suggestsClientDelay(errors.newGenerateNameConflict('tests', '3', 1))).toEqual({ seconds: 1, ok: true });
    expect(errors.suggestsClientDelay(errors.newServerTimeout('tests', 'doing something', 0))).toEqual({ seconds: 0, ok: true });
    expect(errors.suggestsClientDelay(errors.newTimeoutError('test reason', 10))).toEqual({ seconds: 10, ok: true });
    expect(errors.suggestsClientDelay(errors.newTooManyRequests('doing something', 10))).toEqual({ seconds: 10, ok: true });
    expect(errors.suggestsClientDelay(errors.newGenericServerResponse(500, 'GET', 'tests', 'test', 'doing something', 10, true))).toEqual({ seconds: 10, ok: true });
    expect(errors.suggestsClientDelay(errors.newBadRequest('x'))).toEqual({ seconds: 0, ok: false });
  });

  it('errorToAPIStatus and fromObject (responsewriters TestErrorToAPIStatus, TestFromObject)', () => {
    expect(errors.errorToAPIStatus(new Error('boom'))).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'boom', reason: '', code: 500 });
    expect(errors.errorToAPIStatus(errors.newNotFound('pods', 'a')).code).toBe(404);
    const back = errors.fromObject(errors.newNotFound('pods', 'a').status);
    expect(errors.isNotFound(back)).toBe(true);
    expect(errors.fromObject({ kind: 'Pod' }).message).toMatch(/^unexpected object: /);
    expect(errors.isUnexpectedServerError(errors.newGenericServerResponse(500, 'GET', 'tests', 'test', 'x', 0, true))).toBe(true);
  });

  it('StatusError keeps its constructor forms', () => {
    const e = new StatusError(410, 'Gone', 'too old resource version: 1 (2)');
    expect([e.code, e.reason, e.message]).toEqual([410, 'Gone', 'too old resource version: 1 (2)']);
    expect(e.status.metadata).toEqual({});
    expect(new StatusError(errors.newBadRequest('x').status).reason).toBe('BadRequest');
  });
});

describe('pkg/util/validation', () => {
  const rep = (c: string, n: number) => c.repeat(n);
  it.each(['a', 'ab', 'a-1', 'a--1--2--b', '0', '1-a', rep('a', 63)])('isDNS1123Label(%j) is valid (TestIsDNS1123Label)', (s) => expect(v.isDNS1123Label(s)).toEqual([]));
  it.each(['', 'A', 'aBc', '-', 'a-', '-a', '_', 'a_b', '.', 'a.b', ' ', 'a b', rep('a', 64)])('isDNS1123Label(%j) is invalid (TestIsDNS1123Label)', (s) => expect(v.isDNS1123Label(s)).not.toEqual([]));
  it.each(['a', 'a.b.c.d.e', '1.2.3.4.5', 'a--1--2--b.1', rep('a', 253)])('isDNS1123Subdomain(%j) is valid (TestIsDNS1123Subdomain)', (s) => expect(v.isDNS1123Subdomain(s)).toEqual([]));
  it.each(['', 'A', 'a..b', 'A.a', 'a@b', 'a_b', 'a:b', rep('a', 254)])('isDNS1123Subdomain(%j) is invalid (TestIsDNS1123Subdomain)', (s) => expect(v.isDNS1123Subdomain(s)).not.toEqual([]));
  it.each(['a', 'a-1', rep('a', 63)])('isDNS1035Label(%j) is valid (TestIsDNS1035Label)', (s) => expect(v.isDNS1035Label(s)).toEqual([]));
  it.each(['0', '1a', 'A', 'a.b', rep('a', 64)])('isDNS1035Label(%j) is invalid (TestIsDNS1035Label)', (s) => expect(v.isDNS1035Label(s)).not.toEqual([]));
  it.each(['simple', 'now-with-dashes', '1234', 'now.with.dots/simple', 'Uppercase_Is_OK_123', 'example.com/Uppercase_Is_OK_123', `${rep('a', 253)}/${rep('b', 63)}`])(
    'isQualifiedName(%j) is valid (TestIsQualifiedName)',
    (s) => expect(v.isQualifiedName(s)).toEqual([]),
  );
  it.each(['nospecialchars%^=@', 'cantendwithadash-', 'only/one/slash', 'Example.com/abc', 'example.com/', '/simple', rep('a', 64), `${rep('a', 254)}/abc`])(
    'isQualifiedName(%j) is invalid (TestIsQualifiedName)',
    (s) => expect(v.isQualifiedName(s)).not.toEqual([]),
  );
  it.each(['simple', '1234', rep('a', 63), ''])('isValidLabelValue(%j) is valid (TestIsValidLabelValue)', (s) => expect(v.isValidLabelValue(s)).toEqual([]));
  it.each(['nospecialchars%^=@', 'Tama-nui-te-rā.is.Māori.sun', '-starts-with-dash', 'ends.with.dot.', rep('a', 64)])('isValidLabelValue(%j) is invalid (TestIsValidLabelValue)', (s) =>
    expect(v.isValidLabelValue(s)).not.toEqual([]),
  );

  it('prints the messages upstream prints', () => {
    expect(v.isDNS1123Label('a.b')).toEqual(['must not contain dots']);
    expect(v.isDNS1123Label('Web')).toEqual([
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ]);
    expect(v.isDNS1123Subdomain('Web')).toEqual([SUBDOMAIN_MSG]);
    expect(v.isDNS1123Label(rep('a', 64))).toEqual(['must be no more than 63 characters']);
    expect(v.isQualifiedName('a/b/c')).toEqual([
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ]);
    expect(v.isQualifiedName('/simple')).toEqual(['prefix part must be non-empty']);
    expect(v.isValidPortName('http--x')).toEqual(['must not contain consecutive hyphens']);
    expect(v.isValidPortNum(0)).toEqual(['must be between 1 and 65535, inclusive']);
    expect(v.isConfigMapKey('..a')).toEqual(["must not start with '..'"]);
  });

  it('masks a trailing dash of generateName (TestValidateObjectMetaCustomName)', () => {
    expect(v.nameIsDNSSubdomain('web-', true)).toEqual([]);
    expect(v.maskTrailingDash('ab-')).toBe('aa');
  });
});

describe('ObjectMeta validation (objectmeta_test.go)', () => {
  const meta = field.newPath('metadata');
  const msgs = (errs: field.FieldError[]) => errs.map((e) => e.message);

  it('requires a name or generateName and the namespace rules (TestValidateObjectMetaNamespaces)', () => {
    expect(msgs(v.validateObjectMeta({}, true, v.nameIsDNSSubdomain, meta))).toEqual(['metadata.name: Required value: name or generateName is required', 'metadata.namespace: Required value']);
    expect(msgs(v.validateObjectMeta({ name: 'n', namespace: 'ns' }, false, v.nameIsDNSSubdomain, meta))).toEqual(['metadata.namespace: Forbidden: not allowed on this type']);
    expect(msgs(v.validateObjectMeta({ name: 'n', namespace: 'Bad' }, true, v.nameIsDNSSubdomain, meta))[0]).toMatch(/^metadata\.namespace: Invalid value: "Bad": a lowercase RFC 1123 label/);
    expect(msgs(v.validateObjectMeta({ generateName: 'web-', namespace: 'ns' }, true, v.nameIsDNSSubdomain, meta))).toEqual(['metadata.name: Required value: name or generateName is required']);
    expect(msgs(v.validateObjectMeta({ name: 'n', namespace: 'ns', generation: -1 }, true, v.nameIsDNSSubdomain, meta))).toEqual(['metadata.generation: Invalid value: -1: must be greater than or equal to 0']);
  });

  it('validates labels, annotations and their size (TestValidateAnnotations)', () => {
    const errs = msgs(v.validateObjectMeta({ name: 'n', labels: { 'bad key!': 'v', ok: 'bad value!' } }, false, v.nameIsDNSSubdomain, meta));
    expect(errs[0]).toMatch(/^metadata\.labels: Invalid value: "bad key!": name part must consist of/);
    expect(errs[1]).toMatch(/^metadata\.labels: Invalid value: "bad value!": a valid label must be an empty string/);
    expect(msgs(v.validateAnnotations({ 'Example.com/OK': 'x' }, field.newPath('a')))).toEqual([]);
    expect(msgs(v.validateAnnotations({ big: 'x'.repeat(256 * 1024) }, field.newPath('metadata', 'annotations')))).toEqual(['metadata.annotations: Too long: may not be more than 262144 bytes']);
  });

  it('validates owner references (TestValidateObjectMetaOwnerReferences)', () => {
    const errs = msgs(
      v.validateOwnerReferences(
        [
          { apiVersion: 'v1', kind: 'Event', name: 'e', uid: '1' },
          { apiVersion: '', kind: '', name: '', uid: '' },
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'a', uid: '2', controller: true },
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'b', uid: '3', controller: true },
        ],
        field.newPath('metadata', 'ownerReferences'),
      ),
    );
    expect(errs[0]).toBe('metadata.ownerReferences: Invalid value: {"apiVersion":"v1","kind":"Event","name":"e","uid":"1"}: /v1, Kind=Event is disallowed from being an owner');
    expect(errs.slice(1, 5)).toEqual([
      'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
      'metadata.ownerReferences.kind: Invalid value: "": must not be empty',
      'metadata.ownerReferences.name: Invalid value: "": must not be empty',
      'metadata.ownerReferences.uid: Invalid value: "": must not be empty',
    ]);
    expect(errs[5]).toMatch(/Only one reference can have Controller set to true\. Found "true" in references for ReplicaSet\/a and ReplicaSet\/b$/);
  });

  it('validates finalizers (TestValidateFinalizersPreventConflictingFinalizers, core ValidateObjectMeta)', () => {
    expect(msgs(v.validateFinalizers(['orphan', 'foregroundDeletion'], field.newPath('metadata', 'finalizers')))).toEqual([
      'metadata.finalizers: Invalid value: ["orphan","foregroundDeletion"]: finalizer orphan and foregroundDeletion cannot be both set',
    ]);
    expect(msgs(v.validateKubeObjectMeta({ name: 'n', namespace: 'd', finalizers: ['custom', 'example.com/x', 'kubernetes'] }, true, v.nameIsDNSSubdomain))).toEqual([
      'metadata.finalizers[0]: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
    ]);
    expect(v.customResourceFinalizerWarnings('custom', field.newPath('metadata', 'finalizers').index(0))).toEqual([
      'metadata.finalizers[0]: "custom": prefer a domain-qualified finalizer name to avoid accidental conflicts with other finalizer writers',
    ]);
  });

  it('validates updates (TestValidateObjectMetaUpdatePreventsDeletionFieldMutation, TestObjectMetaGenerationUpdate, TestValidateFinalizersUpdate)', () => {
    const old = { name: 'n', namespace: 'd', uid: 'u1', resourceVersion: '1', generation: 2, deletionTimestamp: '2024-01-01T00:00:00Z', finalizers: ['a.io/x'] };
    expect(msgs(v.validateObjectMetaUpdate({ ...old, name: 'm', generation: 1, finalizers: ['a.io/x', 'b.io/y'], resourceVersion: '' }, old, meta))).toEqual([
      'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b.io/y"}',
      'metadata.resourceVersion: Invalid value: "": must be specified for an update',
      'metadata.generation: Invalid value: 1: must not be decremented',
      'metadata.name: Invalid value: "m": field is immutable',
    ]);
  });

  it('validates label selectors (meta/v1 validation TestValidateLabelSelector)', () => {
    expect(
      msgs(
        v.validateLabelSelector(
          { matchExpressions: [{ key: 'a', operator: 'In' }, { key: 'b', operator: 'Exists', values: ['x'] }, { key: 'c', operator: 'Bogus' }] },
          {},
          field.newPath('spec', 'selector'),
        ),
      ),
    ).toEqual([
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      'spec.selector.matchExpressions[2].operator: Invalid value: "Bogus": not a valid selector operator',
    ]);
  });
});
