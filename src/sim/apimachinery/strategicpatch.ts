/**
 * Strategic merge patch (`application/strategic-merge-patch+json`) as kube-apiserver applies it
 * to the built-in kinds: a JSON merge patch whose lists can merge by a key instead of being
 * replaced, driven by the `patchStrategy` / `patchMergeKey` struct tags of k8s.io/api v0.34.0
 * (`patch_meta.generated.ts`, generated from the Go sources by tools/gen_patch_meta.mjs):
 * containers merge by `name`, ports by `containerPort`, env by `name`, volumes by `name` (with
 * `retainKeys`), finalizers as a set, tolerations and args are replaced. Directives: `$patch:
 * replace | delete | merge`, `$retainKeys`, `$deleteFromPrimitiveList/<field>`,
 * `$setElementOrder/<field>`. The server side only: applying a patch (StrategicMergePatch), not
 * computing one (CreateTwoWayMergePatch / CreateThreeWayMergePatch, which kubectl runs).
 * Upstream: apimachinery pkg/util/strategicpatch/patch.go (StrategicMergeMapPatch, mergeMap,
 * mergeSlice, ...), meta.go (PatchMetaFromStruct), pkg/util/mergepatch/errors.go,
 * third_party/forked/golang/json/fields.go (LookupPatchMetadataForStruct); Go's sort.SliceStable.
 */
import { StatusError } from '../core/errors';
import { newBadRequest, newGenericServerResponse } from './errors';
import { goTypeOf, goValue, isJSONObject, jsonClone, jsonEqual, sliceStable } from './go';
import type { JsonValue } from './jsonpatch';
import { STRUCTS, type PatchMetaField } from './patch_meta.generated';

// ---------------------------------------------------------------------------------------------
// pkg/util/mergepatch/errors.go

/** Upstream: mergepatch/errors.go */
export const ErrBadJSONDoc = 'invalid JSON document';
export const ErrNoListOfLists = 'lists of lists are not supported';
export const ErrBadPatchFormatForPrimitiveList = 'invalid patch format of primitive list';
export const ErrBadPatchFormatForRetainKeys = 'invalid patch format of retainKeys';
export const ErrBadPatchFormatForSetElementOrderList = 'invalid patch format of setElementOrder list';
export const ErrPatchContentNotMatchRetainKeys = "patch content doesn't match retainKeys list";
export const ErrUnsupportedStrategicMergePatchFormat = 'strategic merge patch format is not supported';

/** `map: map[image:nginx] does not contain declared merge key: name`. Upstream: errors.go (ErrNoMergeKey) */
function errNoMergeKey(m: Record<string, unknown>, k: string): Error {
  return new Error(`map: ${goValue(m)} does not contain declared merge key: ${k}`);
}

/** `expected a map[string]interface {}, but received a string`. Upstream: errors.go (ErrBadArgType) */
function errBadArgType(expected: string, actual: unknown): Error {
  return new Error(`expected a ${expected}, but received a ${actual === null || actual === undefined ? '%!s(<nil>)' : goTypeOf(actual)}`);
}

/** `unknown patch type: x in map: map[...]`. Upstream: errors.go (ErrBadPatchType) */
function errBadPatchType(t: unknown, m: Record<string, unknown>): Error {
  return new Error(`unknown patch type: ${goValue(t)} in map: ${goValue(m)}`);
}

const MAP = 'map[string]interface {}';
const SLICE = '[]interface {}';

// ---------------------------------------------------------------------------------------------
// meta.go: the patch metadata of Go struct fields

/** A field's patch strategies and merge key (Go: `PatchMeta`). */
export interface PatchMeta {
  patchStrategies: string[];
  patchMergeKey: string;
}

/** Looks up patch metadata for the fields of a type (Go: `LookupPatchMeta`). */
export interface LookupPatchMeta {
  lookupPatchMetadataForStruct(key: string): { schema: LookupPatchMeta; meta: PatchMeta };
  lookupPatchMetadataForSlice(key: string): { schema: LookupPatchMeta; meta: PatchMeta };
  /** The Go kind of the type (`struct`, `map`, `slice`, `ptr`, `string`, ...). */
  name(): string;
}

/** The reflect.Kind name of one of our type strings. */
function kindOf(t: string, structs: Readonly<Record<string, unknown>>): string {
  if (t.startsWith('*')) return 'ptr';
  if (t.startsWith('[]')) return 'slice';
  if (t.startsWith('map:')) return 'map';
  if (t.startsWith('opaque:') || structs[t]) return 'struct';
  return t;
}

/** The Go type name of a struct (`PodSpec`). */
const structName = (t: string) => t.replace(/^opaque:/, '').split('.').pop()!;

/**
 * The patch metadata of a Go type from the struct tags (Go: `PatchMetaFromStruct{T}`).
 * Upstream: meta.go (PatchMetaFromStruct), fields.go (LookupPatchMetadataForStruct)
 */
export class PatchMetaFromStruct implements LookupPatchMeta {
  /**
   * @param type a struct name of the table (`core/v1.Pod`), or a type string
   * @param structs the struct table: k8s.io/api's by default, or your own (tests use upstream's MergeItem)
   */
  constructor(
    readonly type: string,
    readonly structs: Readonly<Record<string, Readonly<Record<string, PatchMetaField>>>> = STRUCTS,
  ) {}

  lookupPatchMetadataForStruct(key: string): { schema: LookupPatchMeta; meta: PatchMeta } {
    let t = this.type;
    if (t.startsWith('*')) t = t.slice(1);
    if (kindOf(t, this.structs) !== 'struct') throw new Error(`merging an object in json but data type is not struct, instead is: ${kindOf(t, this.structs)}`);
    const fields = t.startsWith('opaque:') ? {} : this.structs[t];
    // The field encoding/json would use: an exact name, else the first case-insensitive match.
    let found = fields[key];
    if (!found) {
      const lower = key.toLowerCase();
      const k = Object.keys(fields).find((f) => f.toLowerCase() === lower);
      if (k !== undefined) found = fields[k];
    }
    if (!found) throw new Error(`unable to find api field in struct ${structName(t)} for the json field "${key}"`);
    const [type, strategy = '', mergeKey = ''] = found;
    return { schema: new PatchMetaFromStruct(type, this.structs), meta: { patchStrategies: strategy.split(','), patchMergeKey: mergeKey } };
  }

  lookupPatchMetadataForSlice(key: string): { schema: LookupPatchMeta; meta: PatchMeta } {
    const { schema, meta } = this.lookupPatchMetadataForStruct(key);
    let t = (schema as PatchMetaFromStruct).type;
    let elem: string;
    if (t.startsWith('[]')) {
      elem = t.slice(2);
      if (elem.startsWith('[]')) throw new Error('unexpected slice of slice');
    } else if (t.startsWith('*')) {
      t = t.slice(1);
      elem = t.startsWith('[]') ? t.slice(2) : t;
    } else throw new Error(`expected slice or array type, but got: ${kindOf(this.type, this.structs)}`);
    return { schema: new PatchMetaFromStruct(elem, this.structs), meta };
  }

  name(): string {
    return kindOf(this.type, this.structs);
  }
}

/** API groups to the package names the generated table uses. */
const GROUP_PACKAGES: Record<string, string> = {
  '': 'core',
  apps: 'apps',
  'discovery.k8s.io': 'discovery',
  'coordination.k8s.io': 'coordination',
  'events.k8s.io': 'events',
  'apiextensions.k8s.io': 'apiextensions',
  batch: 'batch',
  autoscaling: 'autoscaling',
};

/**
 * The patch metadata of a built-in kind (`v1`/`Pod`, `apps/v1`/`Deployment`), or undefined for a
 * kind whose Go type is not known here (custom resources: upstream refuses strategic merge patch for them).
 */
export function patchMetaForKind(apiVersion: string, kind: string): PatchMetaFromStruct | undefined {
  const slash = apiVersion.lastIndexOf('/');
  const group = slash >= 0 ? apiVersion.slice(0, slash) : '';
  const version = slash >= 0 ? apiVersion.slice(slash + 1) : apiVersion;
  const pkg = GROUP_PACKAGES[group];
  if (pkg === undefined) return undefined;
  const name = `${pkg}/${version}.${kind}`;
  return STRUCTS[name] ? new PatchMetaFromStruct(name) : undefined;
}

// ---------------------------------------------------------------------------------------------
// patch.go

const directiveMarker = '$patch';
const deleteDirective = 'delete';
const replaceDirective = 'replace';
const mergeDirective = 'merge';
const retainKeysStrategy = 'retainKeys';
const deleteFromPrimitiveListDirectivePrefix = '$deleteFromPrimitiveList';
const retainKeysDirective = '$retainKeys';
const setElementOrderDirectivePrefix = '$setElementOrder';

/** Options of mergeMap (Go: `MergeOptions`). */
interface MergeOptions {
  mergeParallelList: boolean;
  ignoreUnmatchedNulls: boolean;
}

type JMap = Record<string, unknown>;
const hasKey = (m: JMap, k: string) => Object.prototype.hasOwnProperty.call(m, k);

/**
 * The reflect type of a decoded JSON value, as Go compares them (`int64` and `float64` differ).
 * kube-apiserver decodes integers as int64 (UnmarshalCaseSensitivePreserveInts).
 */
function typeOf(v: unknown): string {
  return v === null || v === undefined ? '<nil>' : goTypeOf(v);
}

/** Go's `==` on interface values holding decoded JSON scalars. */
function scalarEqual(a: unknown, b: unknown): boolean {
  return typeOf(a) === typeOf(b) && a === b;
}

/**
 * Applies a strategic merge patch to an object of a kind with known patch metadata
 * (`patchMetaForKind`, or a PatchMetaFromStruct). Returns the patched object; the arguments are
 * not modified (upstream mutates both maps). Throws upstream's errors (see
 * `interpretStrategicMergePatchError` for the Status kube-apiserver answers with).
 * Upstream: patch.go (StrategicMergeMapPatch, StrategicMergeMapPatchUsingLookupPatchMeta)
 */
export function strategicMergePatch(original: unknown, patch: unknown, schema: LookupPatchMeta | undefined): JsonValue {
  if (!schema) throw new Error(ErrUnsupportedStrategicMergePatchFormat);
  const o = parseDoc(original);
  const p = parseDoc(patch);
  return mergeMap(o, p, schema, { mergeParallelList: true, ignoreUnmatchedNulls: true }) as JsonValue;
}

/** A JSON object argument (a string is parsed; anything else is `invalid JSON document`). Upstream: patch.go (handleUnmarshal) */
function parseDoc(v: unknown): JMap {
  let d = v;
  if (typeof v === 'string') {
    try {
      d = JSON.parse(v);
    } catch {
      throw new Error(ErrBadJSONDoc);
    }
  }
  if (d === null || d === undefined) return {};
  if (!isJSONObject(d)) throw new Error(ErrBadJSONDoc);
  return jsonClone(d);
}

/** `$patch: replace` keeps the patch (minus the marker), `delete` empties it. Upstream: patch.go (handleDirectiveInMergeMap) */
function handleDirectiveInMergeMap(directive: unknown, patch: JMap): JMap {
  if (directive === replaceDirective) {
    delete patch[directiveMarker];
    return patch;
  }
  if (directive === deleteDirective) return {};
  throw errBadPatchType(directive, patch);
}

const containsDirectiveMarker = (item: unknown) => isJSONObject(item) && hasKey(item, directiveMarker);

/** Upstream: patch.go (mergeKeyValueEqual) */
function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (mergeKey.length === 0) return scalarEqual(left, right);
  if (!isJSONObject(left)) throw errBadArgType(MAP, left);
  if (!isJSONObject(right)) throw errBadArgType(MAP, right);
  if (!hasKey(left, mergeKey)) throw errNoMergeKey(left, mergeKey);
  if (!hasKey(right, mergeKey)) throw errNoMergeKey(right, mergeKey);
  return scalarEqual(left[mergeKey], right[mergeKey]);
}

/** `$setElementOrder/containers` -> `containers`. Upstream: patch.go (extractKey) */
function extractKey(s: string, prefix: string): string {
  const i = s.indexOf('/');
  const substrings = i < 0 ? [s] : [s.slice(0, i), s.slice(i + 1)];
  if (substrings.length <= 1 || substrings[0] !== prefix) {
    if (prefix === deleteFromPrimitiveListDirectivePrefix) throw new Error(ErrBadPatchFormatForPrimitiveList);
    if (prefix === setElementOrderDirectivePrefix) throw new Error(ErrBadPatchFormatForSetElementOrderList);
    throw new Error(`fail to find unknown prefix "${prefix}" in ${s}\n`);
  }
  return substrings[1];
}

/** Upstream: patch.go (extractToDeleteItems) */
function extractToDeleteItems(l: unknown[]): { nonDelete: unknown[]; toDelete: unknown[] } {
  const nonDelete: unknown[] = [];
  const toDelete: unknown[] = [];
  for (const v of l) {
    if (!isJSONObject(v)) throw errBadArgType(MAP, v);
    if (hasKey(v, directiveMarker) && v[directiveMarker] === deleteDirective) toDelete.push(v);
    else nonDelete.push(v);
  }
  return { nonDelete, toDelete };
}

/** The patch list and the `$setElementOrder` list must agree on relative order. Upstream: patch.go (validatePatchWithSetOrderList) */
function validatePatchWithSetOrderList(patchList: unknown, setOrderList: unknown, mergeKey: string): void {
  if (!Array.isArray(setOrderList)) throw new Error(ErrBadPatchFormatForSetElementOrderList);
  if (!Array.isArray(patchList)) throw new Error(ErrBadPatchFormatForSetElementOrderList);
  if (setOrderList.length === 0 || patchList.length === 0) return;
  const nonDeleteList = mergeKey.length > 0 ? extractToDeleteItems(patchList).nonDelete : patchList;
  let patchIndex = 0;
  let setOrderIndex = 0;
  while (patchIndex < nonDeleteList.length && setOrderIndex < setOrderList.length) {
    if (containsDirectiveMarker(nonDeleteList[patchIndex])) {
      patchIndex++;
      continue;
    }
    if (mergeKeyValueEqual(nonDeleteList[patchIndex], setOrderList[setOrderIndex], mergeKey)) patchIndex++;
    setOrderIndex++;
  }
  if (patchIndex < nonDeleteList.length && setOrderIndex >= setOrderList.length) {
    throw new Error(`The order in patch list:\n${goValue(patchList)}\n doesn't match ${setElementOrderDirectivePrefix} list:\n${goValue(setOrderList)}\n`);
  }
}

/** Upstream: patch.go (preprocessDeletionListForMerging) */
function preprocessDeletionListForMerging(key: string, original: JMap, patchVal: unknown, mergeDeletionList: boolean): { skip: boolean; isDeleteList: boolean; noPrefixKey: string } {
  if (key.startsWith(deleteFromPrimitiveListDirectivePrefix)) {
    if (!mergeDeletionList) {
      original[key] = patchVal;
      return { skip: true, isDeleteList: false, noPrefixKey: '' };
    }
    return { skip: false, isDeleteList: true, noPrefixKey: extractKey(key, deleteFromPrimitiveListDirectivePrefix) };
  }
  return { skip: false, isDeleteList: false, noPrefixKey: '' };
}

/** `$retainKeys`: clears the original's keys not listed; every patch key must be listed. Upstream: patch.go (applyRetainKeysDirective) */
function applyRetainKeysDirective(original: JMap, patch: JMap, options: MergeOptions): void {
  if (!hasKey(patch, retainKeysDirective)) return;
  const retainKeysInPatch = patch[retainKeysDirective];
  delete patch[retainKeysDirective];
  if (!options.mergeParallelList) {
    if (hasKey(original, retainKeysDirective)) {
      if (!jsonEqual(original[retainKeysDirective], retainKeysInPatch)) {
        throw new Error(`${goValue(original[retainKeysDirective])} and ${goValue(retainKeysInPatch)} are not deep equal: this may happen when calculating the 3-way diff patch`);
      }
    } else original[retainKeysDirective] = retainKeysInPatch;
    return;
  }
  if (!Array.isArray(retainKeysInPatch)) throw new Error(ErrBadPatchFormatForRetainKeys);
  const m = new Set(retainKeysInPatch);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(deleteFromPrimitiveListDirectivePrefix) || k.startsWith(setElementOrderDirectivePrefix)) continue;
    if (!m.has(k)) throw new Error(ErrBadPatchFormatForRetainKeys);
  }
  for (const k of Object.keys(original)) if (!m.has(k)) delete original[k];
}

/** `$setElementOrder/<field>`: merges that field's list and orders it. Upstream: patch.go (mergePatchIntoOriginal) */
function mergePatchIntoOriginal(original: JMap, patch: JMap, schema: LookupPatchMeta, mergeOptions: MergeOptions): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(setElementOrderDirectivePrefix)) continue;
    const setElementOrderInPatch = patch[key];
    if (!mergeOptions.mergeParallelList) {
      if (hasKey(original, key)) {
        if (!jsonEqual(original[key], setElementOrderInPatch)) throw new Error(ErrBadPatchFormatForSetElementOrderList);
      } else original[key] = setElementOrderInPatch;
    }
    delete patch[key];
    if (!Array.isArray(setElementOrderInPatch)) throw errBadArgType(SLICE, setElementOrderInPatch);
    const originalKey = extractKey(key, setElementOrderDirectivePrefix);
    const foundOriginal = hasKey(original, originalKey);
    const foundPatch = hasKey(patch, originalKey);
    let originalSlice: GoSlice = toSlice([]);
    let patchFieldValue: unknown[] = [];
    if (foundOriginal) {
      if (!Array.isArray(original[originalKey])) throw errBadArgType(SLICE, original[originalKey]);
      originalSlice = toSlice(original[originalKey] as unknown[]);
    }
    if (foundPatch) {
      if (!Array.isArray(patch[originalKey])) throw errBadArgType(SLICE, patch[originalKey]);
      patchFieldValue = patch[originalKey] as unknown[];
    }
    const { schema: subschema, meta } = schema.lookupPatchMetadataForSlice(originalKey);
    const { strategy } = extractRetainKeysPatchStrategy(meta.patchStrategies);
    validatePatchWithSetOrderList(patchFieldValue, setElementOrderInPatch, meta.patchMergeKey);
    let merged: unknown[];
    if (foundOriginal && !foundPatch) merged = items(originalSlice);
    else if (!foundOriginal && foundPatch) merged = removeDirectives(patchFieldValue).value as unknown[];
    else if (foundOriginal && foundPatch) merged = mergeSliceHandler(original[originalKey], patch[originalKey], subschema, strategy, meta.patchMergeKey, false, mergeOptions, originalSlice);
    else continue;
    const { patchItems, serverOnlyItems } =
      meta.patchMergeKey.length === 0
        ? partitionPrimitivesByPresentInList(merged, setElementOrderInPatch)
        : partitionMapsByPresentInList(merged, setElementOrderInPatch, meta.patchMergeKey);
    // The original header still spans its first length; merging may have rewritten the backing array.
    const originalFieldValue = items(originalSlice);
    const kind = sliceElementKind(originalFieldValue, patchFieldValue);
    original[originalKey] = normalizeElementOrder(patchItems, serverOnlyItems, setElementOrderInPatch, originalFieldValue, meta.patchMergeKey, kind);
    delete patch[originalKey];
  }
}

/** Upstream: patch.go (partitionPrimitivesByPresentInList) */
function partitionPrimitivesByPresentInList(original: unknown[], partitionBy: unknown[]): { patchItems: unknown[]; serverOnlyItems: unknown[] } {
  const patchItems: unknown[] = [];
  const serverOnlyItems: unknown[] = [];
  for (const v of original) {
    if (partitionBy.some((p) => scalarEqual(p, v))) patchItems.push(v);
    else serverOnlyItems.push(v);
  }
  return { patchItems, serverOnlyItems };
}

/** Upstream: patch.go (partitionMapsByPresentInList) */
function partitionMapsByPresentInList(original: unknown[], partitionBy: unknown[], mergeKey: string): { patchItems: unknown[]; serverOnlyItems: unknown[] } {
  const patchItems: unknown[] = [];
  const serverOnlyItems: unknown[] = [];
  for (const v of original) {
    if (!isJSONObject(v)) throw errBadArgType(MAP, v);
    if (!hasKey(v, mergeKey)) throw errNoMergeKey(v, mergeKey);
    if (findMapInSliceBasedOnKeyValue(partitionBy, mergeKey, v[mergeKey]).found) patchItems.push(v);
    else serverOnlyItems.push(v);
  }
  return { patchItems, serverOnlyItems };
}

/** Drops maps holding `$patch` (and such fields / items), recursively. Upstream: patch.go (removeDirectives) */
function removeDirectives(obj: unknown): { value: unknown; keep: boolean } {
  if (obj === null || obj === undefined) return { value: obj, keep: true };
  if (isJSONObject(obj)) {
    if (hasKey(obj, directiveMarker)) return { value: null, keep: false };
    for (const [k, v] of Object.entries(obj)) {
      const r = removeDirectives(v);
      if (r.keep) obj[k] = r.value;
      else delete obj[k];
    }
    return { value: obj, keep: true };
  }
  if (Array.isArray(obj)) {
    const res: unknown[] = [];
    for (const v of obj) {
      const r = removeDirectives(v);
      if (r.keep) res.push(r.value);
    }
    return { value: res, keep: true };
  }
  return { value: obj, keep: true };
}

/** Upstream: patch.go (discardNullValuesFromPatch) */
function discardNullValuesFromPatch(patchV: unknown): void {
  if (isJSONObject(patchV)) {
    for (const [k, v] of Object.entries(patchV)) {
      if (v === null) delete patchV[k];
      else discardNullValuesFromPatch(v);
    }
  } else if (Array.isArray(patchV)) for (const v of patchV) discardNullValuesFromPatch(v);
}

/** Merges a patch map into an original map. Upstream: patch.go (mergeMap) */
function mergeMap(original: JMap | null, patch: JMap, schema: LookupPatchMeta, mergeOptions: MergeOptions): JMap {
  if (hasKey(patch, directiveMarker)) return handleDirectiveInMergeMap(patch[directiveMarker], patch);
  if (original === null) original = {};
  applyRetainKeysDirective(original, patch, mergeOptions);
  mergePatchIntoOriginal(original, patch, schema, mergeOptions);

  for (const key of Object.keys(patch)) {
    let k = key;
    const patchV = patch[key];
    const pre = preprocessDeletionListForMerging(k, original, patchV, mergeOptions.mergeParallelList);
    if (pre.skip) continue;
    if (pre.noPrefixKey.length > 0) k = pre.noPrefixKey;
    const isDeleteList = pre.isDeleteList;

    if (patchV === null) {
      delete original[k];
      if (mergeOptions.ignoreUnmatchedNulls) continue;
    }

    if (!hasKey(original, k)) {
      if (!isDeleteList) {
        if (mergeOptions.ignoreUnmatchedNulls) discardNullValuesFromPatch(patchV);
        const r = removeDirectives(patchV);
        if (r.keep) original[k] = r.value;
        else delete original[k];
      }
      continue;
    }

    const originalType = typeOf(original[k]);
    const patchType = typeOf(patchV);
    if (originalType !== patchType) {
      if (!isDeleteList) {
        if (mergeOptions.ignoreUnmatchedNulls) discardNullValuesFromPatch(patchV);
        const r = removeDirectives(patchV);
        if (r.keep) original[k] = r.value;
        else delete original[k];
      }
      continue;
    }
    if (originalType === MAP) {
      const { schema: subschema, meta } = schema.lookupPatchMetadataForStruct(k);
      const { strategy } = extractRetainKeysPatchStrategy(meta.patchStrategies);
      original[k] = mergeMapHandler(original[k], patchV, subschema, strategy, mergeOptions);
    } else if (originalType === SLICE) {
      const { schema: subschema, meta } = schema.lookupPatchMetadataForSlice(k);
      const { strategy } = extractRetainKeysPatchStrategy(meta.patchStrategies);
      original[k] = mergeSliceHandler(original[k], patchV, subschema, strategy, meta.patchMergeKey, isDeleteList, mergeOptions);
    } else {
      const r = removeDirectives(patchV);
      if (r.keep) original[k] = r.value;
      else delete original[k];
    }
  }
  return original;
}

/** Upstream: patch.go (mergeMapHandler) */
function mergeMapHandler(original: unknown, patch: unknown, schema: LookupPatchMeta, fieldPatchStrategy: string, mergeOptions: MergeOptions): JMap {
  if (!isJSONObject(original)) throw errBadArgType(MAP, original);
  if (!isJSONObject(patch)) throw errBadArgType(MAP, patch);
  if (fieldPatchStrategy !== replaceDirective) return mergeMap(original, patch, schema, mergeOptions);
  return patch;
}

// ---------------------------------------------------------------------------------------------
// Go slices. mergeSlice works on the live list through Go slice headers: deleting an item shifts
// the backing array in place, and appending within its spare capacity writes into it. The
// caller of $setElementOrder keeps reading the original header afterwards, so those writes
// change the order it sees. To give the same results, lists are handled as Go slices here, with
// the capacity encoding/json gives a decoded list (appends one by one: 1, 2, 4, 8, ...).

/** A Go slice header over a shared backing array. */
interface GoSlice {
  b: unknown[];
  off: number;
  len: number;
  cap: number;
}

/** The capacity Go's append growth reaches for `n` items appended one at a time. Upstream: Go's runtime/slice.go (growslice) */
function decodedCap(n: number): number {
  let cap = 0;
  while (cap < n) cap = nextCap(cap, cap + 1);
  return cap;
}

/** growslice's new capacity for 16-byte elements (interface values), without size-class rounding. */
function nextCap(oldCap: number, newLen: number): number {
  const doublecap = oldCap + oldCap;
  if (newLen > doublecap) return newLen;
  if (oldCap < 256) return doublecap;
  let newcap = oldCap;
  while (newcap < newLen) newcap += (newcap + 3 * 256) >> 2;
  return newcap;
}

/** A decoded JSON list as a Go slice with its own backing array. */
function toSlice(a: unknown[]): GoSlice {
  const cap = decodedCap(a.length);
  const b = a.slice();
  b.length = cap;
  return { b, off: 0, len: a.length, cap };
}

const items = (s: GoSlice): unknown[] => s.b.slice(s.off, s.off + s.len);
const reslice = (s: GoSlice, lo: number, hi: number): GoSlice => ({ b: s.b, off: s.off + lo, len: hi - lo, cap: s.cap - lo });

/** Go's append: in place within the capacity, else into a new, larger backing array. */
function append(s: GoSlice, ...vals: unknown[]): GoSlice {
  if (s.len + vals.length <= s.cap) {
    vals.forEach((v, i) => (s.b[s.off + s.len + i] = v));
    return { b: s.b, off: s.off, len: s.len + vals.length, cap: s.cap };
  }
  const cap = nextCap(s.cap, s.len + vals.length);
  const b = [...items(s), ...vals];
  const len = b.length;
  b.length = cap;
  return { b, off: 0, len, cap };
}

/** Upstream: patch.go (mergeSliceHandler) */
function mergeSliceHandler(
  original: unknown,
  patch: unknown,
  schema: LookupPatchMeta,
  fieldPatchStrategy: string,
  fieldPatchMergeKey: string,
  isDeleteList: boolean,
  mergeOptions: MergeOptions,
  originalSlice?: GoSlice,
): unknown[] {
  if (!Array.isArray(original)) throw errBadArgType(SLICE, original);
  if (!Array.isArray(patch)) throw errBadArgType(SLICE, patch);
  if (fieldPatchStrategy === mergeDirective || isDeleteList) return mergeSlice(originalSlice ?? toSlice(original), patch, schema, fieldPatchMergeKey, mergeOptions, isDeleteList);
  return patch;
}

/** Merges two lists: scalars as a set, maps by the merge key. Upstream: patch.go (mergeSlice) */
function mergeSlice(original: GoSlice, patch: unknown[], schema: LookupPatchMeta, mergeKey: string, mergeOptions: MergeOptions, isDeleteList: boolean): unknown[] {
  if (original.len === 0 && patch.length === 0) return items(original);
  const kind = sliceElementKind(items(original), patch);
  let merged: unknown[];
  if (kind !== 'map') {
    if (mergeOptions.mergeParallelList && isDeleteList) return deleteFromSlice(items(original), patch);
    merged = deduplicateScalars(append(original, ...patch));
  } else {
    if (mergeKey === '') throw new Error(`cannot merge lists without merge key for ${schema.name()}`);
    const special = mergeSliceWithSpecialElements(original, patch, mergeKey);
    original = special.original;
    patch = special.patch;
    merged = items(mergeSliceWithoutSpecialElements(original, patch, mergeKey, schema, mergeOptions));
  }
  const { patchItems, serverOnlyItems } =
    mergeKey.length === 0 ? partitionPrimitivesByPresentInList(merged, patch) : partitionMapsByPresentInList(merged, patch, mergeKey);
  return normalizeElementOrder(patchItems, serverOnlyItems, patch, items(original), mergeKey, kind);
}

/** `$patch: delete` items remove their match, `$patch: replace` replaces the list. Upstream: patch.go (mergeSliceWithSpecialElements) */
function mergeSliceWithSpecialElements(original: GoSlice, patch: unknown[], mergeKey: string): { original: GoSlice; patch: unknown[] } {
  const patchWithoutSpecialElements: unknown[] = [];
  let replace = false;
  for (const v of patch) {
    const typedV = v as JMap;
    if (!hasKey(typedV, directiveMarker)) {
      patchWithoutSpecialElements.push(v);
      continue;
    }
    const patchType = typedV[directiveMarker];
    if (patchType === deleteDirective) {
      if (!hasKey(typedV, mergeKey)) throw errNoMergeKey(typedV, mergeKey);
      original = deleteMatchingEntries(original, mergeKey, typedV[mergeKey]);
    } else if (patchType === replaceDirective) replace = true;
    else if (patchType === mergeDirective) throw new Error('merging lists cannot yet be specified in the patch');
    else throw errBadPatchType(patchType, typedV);
  }
  if (replace) return { original: toSlice(patchWithoutSpecialElements), patch: [] };
  return { original, patch: patchWithoutSpecialElements };
}

/** Removes every item with the merge key value, shifting the backing array (`append(s[:i], s[i+1:]...)`). Upstream: patch.go (deleteMatchingEntries) */
function deleteMatchingEntries(original: GoSlice, mergeKey: string, mergeValue: unknown): GoSlice {
  for (;;) {
    const { index, found } = findMapInSliceBasedOnKeyValue(items(original), mergeKey, mergeValue);
    if (!found) return original;
    original = append(reslice(original, 0, index), ...items(reslice(original, index + 1, original.len)));
  }
}

/** Items with a matching merge key merge into the original's; others are appended. Upstream: patch.go (mergeSliceWithoutSpecialElements) */
function mergeSliceWithoutSpecialElements(original: GoSlice, patch: unknown[], mergeKey: string, schema: LookupPatchMeta, mergeOptions: MergeOptions): GoSlice {
  for (const v of patch) {
    const typedV = v as JMap;
    if (!hasKey(typedV, mergeKey)) throw errNoMergeKey(typedV, mergeKey);
    const { map, index, found } = findMapInSliceBasedOnKeyValue(items(original), mergeKey, typedV[mergeKey]);
    if (found) original.b[original.off + index] = mergeMap(map!, typedV, schema, mergeOptions);
    else original = append(original, v);
  }
  return original;
}

/** `$deleteFromPrimitiveList`: drops the listed scalars. Upstream: patch.go (deleteFromSlice) */
function deleteFromSlice(current: unknown[], toDelete: unknown[]): unknown[] {
  return current.filter((v) => !toDelete.some((d) => scalarEqual(d, v)));
}

/** Upstream: patch.go (findMapInSliceBasedOnKeyValue) */
function findMapInSliceBasedOnKeyValue(m: unknown[], key: string, value: unknown): { map?: JMap; index: number; found: boolean } {
  for (let k = 0; k < m.length; k++) {
    const v = m[k];
    if (!isJSONObject(v)) throw new Error(`value for key ${k} is not a map`);
    if (hasKey(v, key) && scalarEqual(v[key], value)) return { map: v, index: k, found: true };
  }
  return { index: 0, found: false };
}

/** Go's in-place "clever" deduplication: each duplicate's place takes the last element. Upstream: patch.go (deduplicateScalars) */
function deduplicateScalars(sl: GoSlice): unknown[] {
  let s = sl;
  let length = s.len - 1;
  for (let i = 0; i < length; i++) {
    for (let j = i + 1; j <= length; j++) {
      if (scalarEqual(s.b[s.off + i], s.b[s.off + j])) {
        s.b[s.off + j] = s.b[s.off + length];
        s = reslice(s, 0, length);
        length--;
        j--;
      }
    }
  }
  return items(s);
}

/** The element kind of lists that must agree (`map`, `string`, ...). Upstream: patch.go (sliceElementType) */
function sliceElementKind(...slices: unknown[][]): string {
  let prev: string | undefined;
  for (const s of slices) {
    for (const v of s) {
      const t = typeOf(v);
      if (prev === undefined) {
        prev = t;
        if (prev === SLICE) throw new Error(ErrNoListOfLists);
      } else if (prev !== t) throw new Error(`list element types are not identical: ${goValue(slices)}`);
    }
  }
  if (prev === undefined) throw new Error('no elements in any of the given slices');
  return prev === MAP ? 'map' : prev;
}

/** The index of an item (by merge key for maps) in a list, or -1. Upstream: patch.go (index) */
function indexOf(l: unknown[], valToLookUp: unknown, mergeKey: string, kind: string): number {
  // A missing merge key reads as nil in Go, like a JSON null.
  const getVal = kind === 'map' ? (item: unknown) => (isJSONObject(item) ? (item[mergeKey] ?? null) : null) : (item: unknown) => item;
  const want = getVal(valToLookUp);
  return l.findIndex((v) => scalarEqual(want, getVal(v)));
}

/** Sorts `toSort` by the order of `order` (deletions last). Upstream: patch.go (normalizeSliceOrder) */
function normalizeSliceOrder(toSort: unknown[], order: unknown[], mergeKey: string, kind: string): unknown[] {
  let toDelete: unknown[] = [];
  if (kind === 'map') {
    validateMergeKeyInLists(mergeKey, toSort, order);
    const parts = extractToDeleteItems(toSort);
    toSort = parts.nonDelete;
    toDelete = parts.toDelete;
  }
  const sorted = [...toSort];
  sliceStable(sorted, (a, b) => {
    const ia = indexOf(order, a, mergeKey, kind);
    if (ia >= 0) {
      const ib = indexOf(order, b, mergeKey, kind);
      if (ib >= 0) return ia < ib;
    }
    return true;
  });
  return [...sorted, ...toDelete];
}

/** Every map in the lists has the merge key. Upstream: patch.go (validateMergeKeyInLists) */
function validateMergeKeyInLists(mergeKey: string, ...lists: unknown[][]): void {
  for (const list of lists) {
    for (const item of list) {
      if (!isJSONObject(item)) throw errBadArgType(MAP, item);
      if (!hasKey(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
    }
  }
}

/** Orders the patch's items by the patch and the server-only items by the live list, interleaved. Upstream: patch.go (normalizeElementOrder) */
function normalizeElementOrder(patch: unknown[], serverOnly: unknown[], patchOrder: unknown[], serverOrder: unknown[], mergeKey: string, kind: string): unknown[] {
  const p = normalizeSliceOrder(patch, patchOrder, mergeKey, kind);
  const s = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSortedSlice(s, p, serverOrder, mergeKey, kind);
}

/** Inserts server-only items among the patch's, by their order in the live list. Upstream: patch.go (mergeSortedSlice) */
function mergeSortedSlice(left: unknown[], right: unknown[], serverOrder: unknown[], mergeKey: string, kind: string): unknown[] {
  const less = (l: unknown, r: unknown): { less: boolean; foundBoth: boolean } => {
    const li = indexOf(serverOrder, l, mergeKey, kind);
    const ri = indexOf(serverOrder, r, mergeKey, kind);
    return li >= 0 && ri >= 0 ? { less: li < ri, foundBoth: true } : { less: false, foundBoth: false };
  };
  const size = left.length + right.length;
  let i = 0;
  let j = 0;
  const s: unknown[] = [];
  for (let k = 0; k < size; k++) {
    if (i >= left.length && j < right.length) s.push(right[j++]);
    else if (j >= right.length && i < left.length) s.push(left[i++]);
    else {
      const c = less(left[i], right[j]);
      if (c.foundBoth && c.less) s.push(left[i++]);
      else s.push(right[j++]);
    }
  }
  return s;
}

/** Splits `retainKeys` from the other strategy (`merge,retainKeys`). Upstream: patch.go (extractRetainKeysPatchStrategy) */
function extractRetainKeysPatchStrategy(strategies: string[]): { retainKeys: boolean; strategy: string } {
  switch (strategies.length) {
    case 0:
      return { retainKeys: false, strategy: '' };
    case 1:
      return strategies[0] === retainKeysStrategy ? { retainKeys: true, strategy: '' } : { retainKeys: false, strategy: strategies[0] };
    case 2:
      if (strategies[0] === retainKeysStrategy) return { retainKeys: true, strategy: strategies[1] };
      if (strategies[1] === retainKeysStrategy) return { retainKeys: true, strategy: strategies[0] };
      throw new Error(`unexpected patch strategy: [${strategies.join(' ')}]`);
    default:
      throw new Error(`unexpected patch strategy: [${strategies.join(' ')}]`);
  }
}

/**
 * The Status kube-apiserver answers a failed strategic merge patch with: 400 BadRequest for a
 * malformed document or directive, 422 (generic "the server rejected our request due to an error
 * in our request") for lists of lists, and the error itself otherwise (a 500 once written).
 * Upstream: apiserver pkg/endpoints/handlers/patch.go (interpretStrategicMergePatchError)
 */
export function interpretStrategicMergePatchError(err: Error): StatusError | Error {
  switch (err.message) {
    case ErrBadJSONDoc:
    case ErrBadPatchFormatForPrimitiveList:
    case ErrBadPatchFormatForRetainKeys:
    case ErrBadPatchFormatForSetElementOrderList:
    case ErrUnsupportedStrategicMergePatchFormat:
      return newBadRequest(err.message);
    case ErrNoListOfLists:
    case ErrPatchContentNotMatchRetainKeys:
      return newGenericServerResponse(422, '', { group: '', resource: '' }, '', err.message, 0, false);
    default:
      return err;
  }
}

/** Go's package `strategicpatch` (server side), for `import { strategicpatch } from 'kubelab'`. */
export const strategicpatch = {
  strategicMergePatch,
  patchMetaForKind,
  PatchMetaFromStruct,
  interpretStrategicMergePatchError,
  ErrBadJSONDoc,
  ErrNoListOfLists,
  ErrBadPatchFormatForPrimitiveList,
  ErrBadPatchFormatForRetainKeys,
  ErrBadPatchFormatForSetElementOrderList,
  ErrPatchContentNotMatchRetainKeys,
  ErrUnsupportedStrategicMergePatchFormat,
} as const;
