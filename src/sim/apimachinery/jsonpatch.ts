/**
 * JSON merge patch (RFC 7386) and JSON patch (RFC 6902) as kube-apiserver applies them: through
 * gopkg.in/evanphx/json-patch.v4 v4.12.0 (the version apiserver v0.34.0 requires), with its
 * error texts and its quirks (negative array indices count from the end; `replace` of a missing
 * object key adds it; `copy` of a missing key copies null; `replace` of the whole document with a
 * scalar does nothing). Documents are JSON values; a string argument is parsed first.
 * Upstream: evanphx/json-patch v4.12.0 merge.go (MergePatch, MergeMergePatches, CreateMergePatch),
 * patch.go (DecodePatch, Patch.Apply); apiserver pkg/endpoints/handlers/patch.go (how errors become Statuses).
 */
import { isJSONObject, jsonClone, jsonEqual } from './go';

/** A JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** `Invalid JSON Document`. Upstream: merge.go (ErrBadJSONDoc) */
export const ErrBadJSONDoc = 'Invalid JSON Document';
/** `Invalid JSON Patch`. Upstream: merge.go (ErrBadJSONPatch) */
export const ErrBadJSONPatch = 'Invalid JSON Patch';
/** Upstream: patch.go (ErrTestFailed, ErrMissing, ErrUnknownType, ErrInvalid, ErrInvalidIndex) */
export const ErrTestFailed = 'test failed';
export const ErrMissing = 'missing value';
export const ErrInvalidIndex = 'invalid index referenced';

/** An error whose text is `<msg>: <cause>`, like github.com/pkg/errors.Wrapf. */
function wrap(cause: string, msg: string): Error {
  return new Error(`${msg}: ${cause}`);
}

/** Parses a string argument; a syntax error becomes `onSyntaxError`. */
function input(v: unknown, onSyntaxError: string): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    throw new Error(onSyntaxError);
  }
}

// ---------------------------------------------------------------------------------------------
// merge.go

/** Removes null object members, recursively through objects and arrays (arrays keep null elements). Upstream: merge.go (pruneNulls) */
function pruneNulls(v: unknown): unknown {
  if (isJSONObject(v)) return pruneDocNulls(v);
  if (Array.isArray(v)) return v.map((x) => (x === null ? x : pruneNulls(x)));
  return v;
}

function pruneDocNulls(doc: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(doc)) {
    if (v === null) delete doc[k];
    else doc[k] = pruneNulls(v);
  }
  return doc;
}

/** Upstream: merge.go (merge) */
function merge(cur: unknown, patch: unknown, mergeMerge: boolean): unknown {
  if (!isJSONObject(cur)) return mergeMerge ? patch : pruneNulls(patch);
  if (!isJSONObject(patch)) return patch;
  mergeDocs(cur, patch, mergeMerge);
  return cur;
}

/** Upstream: merge.go (mergeDocs) */
function mergeDocs(doc: Record<string, unknown>, patch: Record<string, unknown>, mergeMerge: boolean): void {
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) {
      if (mergeMerge) doc[k] = null;
      else delete doc[k];
      continue;
    }
    const cur = doc[k];
    if (cur === undefined || cur === null) doc[k] = mergeMerge ? v : pruneNulls(v);
    else doc[k] = merge(cur, v, mergeMerge);
  }
}

/** Upstream: merge.go (doMergePatch) */
function doMergePatch(docData: unknown, patchData: unknown, mergeMerge: boolean): JsonValue {
  const doc = jsonClone(input(docData, ErrBadJSONDoc));
  const patch = jsonClone(input(patchData, ErrBadJSONPatch));
  if (doc === null) throw new Error(ErrBadJSONDoc);
  if (patch === null) throw new Error(ErrBadJSONPatch);
  if (!isJSONObject(doc) || !isJSONObject(patch)) {
    // Not an error, just not a document: the result is the patch.
    if (isJSONObject(patch)) return (mergeMerge ? patch : pruneDocNulls(patch)) as JsonValue;
    if (!Array.isArray(patch)) throw new Error(ErrBadJSONPatch);
    return patch.map((x) => (x === null ? x : pruneNulls(x))) as JsonValue;
  }
  mergeDocs(doc, patch, mergeMerge);
  return doc as JsonValue;
}

/**
 * Applies a JSON merge patch (`Content-Type: application/merge-patch+json`): objects merge key by
 * key, `null` deletes, anything else (arrays included) replaces. Neither argument is modified.
 * Upstream: merge.go (MergePatch)
 */
export function mergePatch(doc: unknown, patch: unknown): JsonValue {
  return doMergePatch(doc, patch, false);
}

/** Merges two merge patches into one that has the effect of both, keeping nulls. Upstream: merge.go (MergeMergePatches) */
export function mergeMergePatches(patch1: unknown, patch2: unknown): JsonValue {
  return doMergePatch(patch1, patch2, true);
}

/** The merge patch that turns `original` into `modified` (objects only here). Upstream: merge.go (CreateMergePatch, getDiff) */
export function createMergePatch(original: unknown, modified: unknown): JsonValue {
  const a = input(original, ErrBadJSONDoc);
  const b = input(modified, ErrBadJSONDoc);
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) throw new Error(ErrBadJSONDoc);
    return a.map((x, i) => createMergePatch(x, b[i]));
  }
  if (Array.isArray(a) !== Array.isArray(b)) throw new Error('Mismatched JSON Documents');
  if (!isJSONObject(a) || !isJSONObject(b)) throw new Error(ErrBadJSONDoc);
  return getDiff(a, b);
}

function getDiff(a: Record<string, unknown>, b: Record<string, unknown>): { [key: string]: JsonValue } {
  const into: { [key: string]: JsonValue } = {};
  for (const [key, bv] of Object.entries(b)) {
    if (!(key in a)) {
      into[key] = jsonClone(bv) as JsonValue;
      continue;
    }
    const av = a[key];
    if (isJSONObject(av) && isJSONObject(bv)) {
      const dst = getDiff(av, bv);
      if (Object.keys(dst).length > 0) into[key] = dst;
    } else if (!jsonEqual(av, bv)) into[key] = jsonClone(bv) as JsonValue;
  }
  for (const key of Object.keys(a)) if (!(key in b)) into[key] = null;
  return into;
}

// ---------------------------------------------------------------------------------------------
// patch.go

/** One RFC 6902 operation as decoded (Go: `jsonpatch.Operation`, a map of raw values). */
export type Operation = Record<string, unknown>;

/**
 * Decodes a JSON patch document: an array of objects, else Go's json error
 * (`json: cannot unmarshal object into Go value of type jsonpatch.Patch`).
 * Upstream: patch.go (DecodePatch)
 */
export function decodePatch(patch: unknown): Operation[] {
  let p: unknown;
  if (typeof patch === 'string') {
    try {
      p = JSON.parse(patch);
    } catch (e) {
      throw new Error(`invalid character in JSON patch: ${(e as Error).message}`);
    }
  } else p = patch;
  if (p === null) return [];
  if (!Array.isArray(p)) throw new Error(`json: cannot unmarshal ${jsonKind(p)} into Go value of type jsonpatch.Patch`);
  return p.map((op) => {
    if (op === null) return {};
    if (!isJSONObject(op)) throw new Error(`json: cannot unmarshal ${jsonKind(op)} into Go value of type jsonpatch.Operation`);
    return op;
  });
}

/** The JSON type name encoding/json uses in UnmarshalTypeError. */
function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (isJSONObject(v)) return 'object';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  return 'null';
}

/** Go's strconv.Atoi. */
function atoi(s: string): number {
  if (!/^[+-]?[0-9]+$/.test(s)) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  const v = BigInt(s);
  if (v > (1n << 63n) - 1n || v < -(1n << 63n)) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(s)}: value out of range`);
  return Number(v);
}

/** A node of the document being patched that can hold children (Go: `container`). */
type Container = { kind: 'doc'; v: Record<string, unknown> } | { kind: 'ary'; v: unknown[] };

const invalidIndex = (idx: number): Error => wrap(ErrInvalidIndex, `Unable to access invalid index: ${idx}`);

function containerGet(c: Container, key: string): unknown {
  if (c.kind === 'doc') return Object.prototype.hasOwnProperty.call(c.v, key) ? c.v[key] : undefined;
  let idx = atoi(key);
  if (idx < 0) {
    if (idx < -c.v.length) throw invalidIndex(idx);
    idx += c.v.length;
  }
  if (idx >= c.v.length) throw invalidIndex(idx);
  return c.v[idx];
}

function containerSet(c: Container, key: string, val: unknown): void {
  if (c.kind === 'doc') {
    c.v[key] = val;
    return;
  }
  let idx = atoi(key);
  if (idx < 0) {
    if (idx < -c.v.length) throw invalidIndex(idx);
    idx += c.v.length;
  }
  c.v[idx] = val;
}

function containerAdd(c: Container, key: string, val: unknown): void {
  if (c.kind === 'doc') {
    c.v[key] = val;
    return;
  }
  if (key === '-') {
    c.v.push(val);
    return;
  }
  let idx: number;
  try {
    idx = atoi(key);
  } catch (e) {
    throw wrap((e as Error).message, `value was not a proper array index: '${key}'`);
  }
  const sz = c.v.length + 1;
  if (idx >= sz) throw invalidIndex(idx);
  if (idx < 0) {
    if (idx < -sz) throw invalidIndex(idx);
    idx += sz;
  }
  c.v.splice(idx, 0, val);
}

function containerRemove(c: Container, key: string): void {
  if (c.kind === 'doc') {
    if (!Object.prototype.hasOwnProperty.call(c.v, key)) throw wrap(ErrMissing, `Unable to remove nonexistent key: ${key}`);
    delete c.v[key];
    return;
  }
  let idx = atoi(key);
  if (idx >= c.v.length) throw invalidIndex(idx);
  if (idx < 0) {
    if (idx < -c.v.length) throw invalidIndex(idx);
    idx += c.v.length;
  }
  c.v.splice(idx, 1);
}

const asContainer = (v: unknown): Container | undefined => (Array.isArray(v) ? { kind: 'ary', v } : isJSONObject(v) ? { kind: 'doc', v } : undefined);

/** `~1` -> `/`, `~0` -> `~`. Upstream: patch.go (decodePatchKey) */
function decodePatchKey(k: string): string {
  return k.replace(/~[01]/g, (m) => (m === '~1' ? '/' : '~'));
}

/** The container holding the path's last element, and that element's key. Upstream: patch.go (findObject) */
function findObject(doc: Container, path: string): { con: Container; key: string } | undefined {
  const split = path.split('/');
  if (split.length < 2) return undefined;
  let c = doc;
  for (const part of split.slice(1, -1)) {
    let next: unknown;
    try {
      next = containerGet(c, decodePatchKey(part));
    } catch {
      return undefined;
    }
    const nc = asContainer(next);
    // A missing member, a scalar, or null (Go would write into a nil map and panic) ends the walk.
    if (!nc) return undefined;
    c = nc;
  }
  return { con: c, key: decodePatchKey(split[split.length - 1]) };
}

function stringField(op: Operation, name: 'path' | 'from', missing: string): string {
  if (!(name in op) || op[name] === null) throw wrap(ErrMissing, missing);
  const v = op[name];
  if (typeof v !== 'string') throw new Error(`json: cannot unmarshal ${jsonKind(v)} into Go value of type string`);
  return v;
}

const opPath = (op: Operation) => stringField(op, 'path', 'operation missing path field');
const opFrom = (op: Operation) => stringField(op, 'from', 'operation, missing from field');
/** The operation's value (a copy); `undefined` when absent (Go: a nil node, marshalled as null). */
const opValue = (op: Operation): unknown => ('value' in op ? jsonClone(op.value) : undefined);
const orNull = (v: unknown): unknown => (v === undefined ? null : v);

/** Applies one operation to the document held in `root.doc`. */
function applyOp(root: { doc: Container }, op: Operation): void {
  const kind = typeof op.op === 'string' ? op.op : 'unknown';
  switch (kind) {
    case 'add': {
      let path: string;
      try {
        path = opPath(op);
      } catch {
        throw wrap(ErrMissing, 'add operation failed to decode path');
      }
      const found = findObject(root.doc, path);
      if (!found) throw wrap(ErrMissing, `add operation does not apply: doc is missing path: "${path}"`);
      try {
        containerAdd(found.con, found.key, orNull(opValue(op)));
      } catch (e) {
        throw wrap((e as Error).message, `error in add for path: '${path}'`);
      }
      return;
    }
    case 'remove': {
      let path: string;
      try {
        path = opPath(op);
      } catch {
        throw wrap(ErrMissing, 'remove operation failed to decode path');
      }
      const found = findObject(root.doc, path);
      if (!found) throw wrap(ErrMissing, `remove operation does not apply: doc is missing path: "${path}"`);
      try {
        containerRemove(found.con, found.key);
      } catch (e) {
        throw wrap((e as Error).message, `error in remove for path: '${path}'`);
      }
      return;
    }
    case 'replace': {
      let path: string;
      try {
        path = opPath(op);
      } catch (e) {
        throw wrap((e as Error).message, 'replace operation failed to decode path');
      }
      if (path === '') {
        const c = asContainer(opValue(op));
        // Upstream wraps a nil error here, which is nil: a scalar value is silently ignored.
        if (c) root.doc = c;
        return;
      }
      const found = findObject(root.doc, path);
      if (!found) throw wrap(ErrMissing, `replace operation does not apply: doc is missing path: ${path}`);
      try {
        containerGet(found.con, found.key);
      } catch {
        throw wrap(ErrMissing, `replace operation does not apply: doc is missing key: ${path}`);
      }
      try {
        containerSet(found.con, found.key, orNull(opValue(op)));
      } catch (e) {
        throw wrap((e as Error).message, `error in remove for path: '${path}'`);
      }
      return;
    }
    case 'move': {
      let from: string;
      try {
        from = opFrom(op);
      } catch (e) {
        throw wrap((e as Error).message, 'move operation failed to decode from');
      }
      const src = findObject(root.doc, from);
      if (!src) throw wrap(ErrMissing, `move operation does not apply: doc is missing from path: ${from}`);
      let val: unknown;
      try {
        val = containerGet(src.con, src.key);
        containerRemove(src.con, src.key);
      } catch (e) {
        throw wrap((e as Error).message, `error in move for path: '${src.key}'`);
      }
      let path: string;
      try {
        path = opPath(op);
      } catch (e) {
        throw wrap((e as Error).message, 'move operation failed to decode path');
      }
      const dst = findObject(root.doc, path);
      if (!dst) throw wrap(ErrMissing, `move operation does not apply: doc is missing destination path: ${path}`);
      try {
        containerAdd(dst.con, dst.key, orNull(val));
      } catch (e) {
        throw wrap((e as Error).message, `error in move for path: '${path}'`);
      }
      return;
    }
    case 'test': {
      let path: string;
      try {
        path = opPath(op);
      } catch (e) {
        throw wrap((e as Error).message, 'test operation failed to decode path');
      }
      const want = opValue(op);
      if (path === '') {
        if (want !== undefined && jsonEqual(root.doc.v, want)) return;
        throw wrap(ErrTestFailed, `testing value ${path} failed`);
      }
      const found = findObject(root.doc, path);
      if (!found) throw wrap(ErrMissing, `test operation does not apply: is missing path: ${path}`);
      let val: unknown;
      try {
        val = containerGet(found.con, found.key);
      } catch (e) {
        throw wrap((e as Error).message, `error in test for path: '${path}'`);
      }
      // Upstream decodes null members and a null `value` as nil: a missing or null member
      // passes a test for null, and only that.
      if (val === undefined || val === null) {
        if (want === null) return;
        throw wrap(ErrTestFailed, `testing value ${path} failed`);
      }
      if (want === undefined || !jsonEqual(val, want)) throw wrap(ErrTestFailed, `testing value ${path} failed`);
      return;
    }
    case 'copy': {
      let from: string;
      try {
        from = opFrom(op);
      } catch (e) {
        throw wrap((e as Error).message, 'copy operation failed to decode from');
      }
      const src = findObject(root.doc, from);
      if (!src) throw wrap(ErrMissing, `copy operation does not apply: doc is missing from path: ${from}`);
      let val: unknown;
      try {
        val = containerGet(src.con, src.key);
      } catch (e) {
        throw wrap((e as Error).message, `error in copy for from: '${from}'`);
      }
      let path: string;
      try {
        path = opPath(op);
      } catch {
        throw wrap(ErrMissing, 'copy operation failed to decode path');
      }
      const dst = findObject(root.doc, path);
      if (!dst) throw wrap(ErrMissing, `copy operation does not apply: doc is missing destination path: ${path}`);
      try {
        containerAdd(dst.con, dst.key, orNull(jsonClone(val)));
      } catch (e) {
        throw wrap((e as Error).message, 'error while adding value during copy');
      }
      return;
    }
    default:
      throw new Error(`Unexpected kind: ${kind}`);
  }
}

/**
 * Applies an RFC 6902 JSON patch (`Content-Type: application/json-patch+json`) to a document (an
 * object or an array); returns the new document, leaving the arguments untouched. Throws
 * upstream's error text (`add operation does not apply: doc is missing path: "/spec/x": missing value`,
 * `testing value /spec/replicas failed: test failed`, ...). kube-apiserver answers such a failure
 * with 422 and the generic text of `newGenericServerResponse(422, ...)`.
 * Upstream: patch.go (Patch.Apply, ApplyIndent)
 */
export function applyJSONPatch(doc: unknown, patch: unknown): JsonValue {
  const ops = decodePatch(patch);
  const d = jsonClone(input(doc, 'unexpected end of JSON input'));
  const c = asContainer(d);
  if (!c) throw new Error(`json: cannot unmarshal ${jsonKind(d)} into Go value of type jsonpatch.partialDoc`);
  const root = { doc: c };
  for (const op of ops) applyOp(root, op);
  return root.doc.v as JsonValue;
}

/** The most operations one JSON patch may hold (413 beyond). Upstream: apiserver pkg/endpoints/handlers/patch.go (maxJSONPatchOperations) */
export const maxJSONPatchOperations = 10000;

/** JSON merge patch and JSON patch as evanphx/json-patch v4 applies them, for `import { jsonpatch } from 'kubelab'`. */
export const jsonpatch = {
  mergePatch,
  mergeMergePatches,
  createMergePatch,
  decodePatch,
  applyJSONPatch,
  maxJSONPatchOperations,
  ErrBadJSONDoc,
  ErrBadJSONPatch,
  ErrTestFailed,
  ErrMissing,
  ErrInvalidIndex,
} as const;
