/**
 * The patch logic kubectl runs on the client: JSON merge patches (RFC 7386: create and apply),
 * and the three-way merge patch of client-side `kubectl apply` (last-applied, manifest, live
 * object). Strategic merge (lists merged by key) is a seam: the apimachinery package supplies it;
 * without it apply sends a three-way JSON merge patch, as upstream does for custom resources.
 */

type Json = unknown;
type Obj = Record<string, Json>;

const isObj = (v: Json): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Computes strategic merge patches for built-in kinds (apimachinery strategicpatch). When present,
 * `kubectl apply` sends `application/strategic-merge-patch+json` for kinds it returns a patch for.
 */
export interface StrategicMergeSeam {
  /**
   * strategicpatch.CreateThreeWayMergePatch(original, modified, current, schema, overwrite=true)
   * for the kind; `undefined` when the kind has no strategic merge schema (a custom resource).
   */
  createThreeWayMergePatch(original: Json, modified: Json, current: Json, gvk: { group: string; version: string; kind: string }): Json | undefined;
}

/** Deep equality of JSON values (reflect.DeepEqual on decoded JSON). */
export function jsonEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isObj(a)) {
    if (!isObj(b)) return false;
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** evanphx/json-patch CreateMergePatch: the merge patch that turns `original` into `modified`. */
// Upstream: github.com/evanphx/json-patch merge.go (CreateMergePatch, getDiff)
export function createMergePatch(original: Json, modified: Json): Json {
  if (isObj(original) && isObj(modified)) return getDiff(original, modified);
  return modified;
}

function typeOf(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function getDiff(a: Obj, b: Obj): Obj {
  const into: Obj = {};
  for (const key of Object.keys(b)) {
    const bv = b[key];
    if (bv === undefined) continue;
    if (!(key in a) || a[key] === undefined) {
      into[key] = bv;
      continue;
    }
    const av = a[key];
    if (typeOf(av) !== typeOf(bv)) {
      into[key] = bv;
      continue;
    }
    if (isObj(av)) {
      const d = getDiff(av, bv as Obj);
      if (Object.keys(d).length > 0) into[key] = d;
    } else if (!jsonEqual(av, bv)) into[key] = bv;
  }
  for (const key of Object.keys(a)) {
    if (a[key] !== undefined && (!(key in b) || b[key] === undefined)) into[key] = null;
  }
  return into;
}

/** RFC 7386 JSON merge patch applied to `target` (a new value; the inputs are not changed). */
// Upstream: github.com/evanphx/json-patch merge.go (MergePatch)
export function applyMergePatch(target: Json, patch: Json): Json {
  if (!isObj(patch)) return structuredCloneJson(patch);
  const out: Obj = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k], v);
  }
  return out;
}

function structuredCloneJson<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** keepOrDeleteNullInObj: keep only the nulls (deletions) or drop them (additions and changes). */
// Upstream: apimachinery pkg/util/jsonmergepatch/patch.go (keepOrDeleteNullInObj)
function keepOrDeleteNull(m: Obj, keepNull: boolean): Obj {
  const out: Obj = {};
  for (const [key, val] of Object.entries(m)) {
    if (keepNull && val === null) out[key] = null;
    else if (val !== null && val !== undefined) {
      if (isObj(val)) {
        if (Object.keys(val).length === 0) {
          if (!keepNull) out[key] = val;
          continue;
        }
        const sub = keepOrDeleteNull(val, keepNull);
        if (Object.keys(sub).length !== 0) out[key] = sub;
      } else if (!keepNull) out[key] = val;
    }
  }
  return out;
}

/** mergepatch.HasConflicts for two patches. */
function hasConflicts(left: Json, right: Json): boolean {
  if (isObj(left) && isObj(right)) {
    for (const k of Object.keys(left)) {
      if (k in right && hasConflicts(left[k], right[k])) return true;
    }
    return false;
  }
  if (Array.isArray(left) && Array.isArray(right)) {
    if (left.length !== right.length) return true;
    return left.some((x, i) => hasConflicts(x, right[i]));
  }
  return !jsonEqual(left, right);
}

/** kubectl apply's refusal when the manifest changes apiVersion, kind or name. */
export class PreconditionError extends Error {}

/**
 * jsonmergepatch.CreateThreeWayJSONMergePatch: additions and changes from live to manifest, plus
 * deletions of fields that were in the last-applied configuration and left the manifest. Fields
 * others set (status, defaults, fields another manager added) are left alone.
 */
// Upstream: apimachinery pkg/util/jsonmergepatch/patch.go (CreateThreeWayJSONMergePatch)
export function createThreeWayJsonMergePatch(original: Json, modified: Json, current: Json, opts: { keepDefaultedLists?: boolean } = {}): Obj {
  const o = isObj(original) ? original : {};
  const m = isObj(modified) ? modified : {};
  const c = isObj(current) ? current : {};
  let addAndChange = keepOrDeleteNull(createMergePatch(c, m) as Obj, false);
  if (opts.keepDefaultedLists) addAndChange = pruneDefaultedLists(addAndChange, o, m, c);
  const deletions = keepOrDeleteNull(createMergePatch(o, m) as Obj, true);
  if (hasConflicts(addAndChange, deletions)) throw new Error('merge patch conflict');
  const patch = mergePatchDocs(deletions, addAndChange);
  const meta = patch.metadata;
  if ('apiVersion' in patch || 'kind' in patch || (isObj(meta) && 'name' in meta)) {
    throw new PreconditionError('At least one of apiVersion, kind and name was changed');
  }
  return patch;
}

/**
 * The stand-in for strategic merge on built-in kinds (until the apimachinery seam is wired): a
 * list the manifest did not change since the last apply is not replaced just because the server
 * filled defaults into its items (`protocol: TCP`, `imagePullPolicy`...), as strategic merge by
 * merge key would not replace it. Lists the manifest changed are sent whole.
 */
function pruneDefaultedLists(patch: Obj, o: Json, m: Json, c: Json): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(patch)) {
    const ov = isObj(o) ? o[k] : undefined;
    const mv = isObj(m) ? m[k] : undefined;
    const cv = isObj(c) ? c[k] : undefined;
    if (Array.isArray(v) && jsonEqual(ov, mv) && isSubset(mv, cv)) continue;
    if (isObj(v)) {
      const sub = pruneDefaultedLists(v, ov, mv, cv);
      if (Object.keys(sub).length > 0 || Object.keys(v).length === 0) out[k] = sub;
      continue;
    }
    out[k] = v;
  }
  return out;
}

/** Every field of `a` is in `b` with the same value (lists item by item, same length). */
function isSubset(a: Json, b: Json): boolean {
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => isSubset(x, b[i]));
  if (isObj(a)) return isObj(b) && Object.entries(a).every(([k, v]) => v === undefined || (k in b && isSubset(v, b[k])));
  return jsonEqual(a, b);
}

/** jsonpatch.MergePatch of two patch documents (nulls in the first are kept as values). */
function mergePatchDocs(doc: Obj, patch: Obj): Obj {
  const out: Obj = { ...doc };
  for (const [k, v] of Object.entries(patch)) {
    if (isObj(v) && isObj(out[k])) out[k] = mergePatchDocs(out[k] as Obj, v);
    else out[k] = v;
  }
  return out;
}

/** RFC 6902 JSON patch, for `kubectl patch --type json` in tests and the fake server. */
export function applyJsonPatch(doc: Json, ops: Array<{ op: string; path: string; value?: Json; from?: string }>): Json {
  let out = structuredCloneJson(doc);
  const parse = (p: string) => (p === '' ? [] : p.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')));
  const get = (root: Json, parts: string[]): Json => parts.reduce<Json>((v, k) => (Array.isArray(v) ? v[Number(k)] : isObj(v) ? v[k] : undefined), root);
  for (const op of ops) {
    const parts = parse(op.path);
    if (op.op === 'test') {
      if (!jsonEqual(get(out, parts), op.value)) throw new Error(`testing value ${op.path} failed`);
      continue;
    }
    let value = op.value;
    if (op.op === 'copy' || op.op === 'move') value = structuredCloneJson(get(out, parse(op.from ?? '')));
    if (op.op === 'remove' || op.op === 'move') {
      const src = op.op === 'move' ? parse(op.from ?? '') : parts;
      const parent = get(out, src.slice(0, -1));
      const last = src[src.length - 1];
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else if (isObj(parent) && last in parent) delete parent[last];
      else throw new Error(`remove operation does not apply: doc is missing path: "${op.path}"`);
      if (op.op === 'remove') continue;
    }
    if (parts.length === 0) {
      out = value;
      continue;
    }
    const parent = get(out, parts.slice(0, -1));
    const last = parts[parts.length - 1];
    if (Array.isArray(parent)) {
      const idx = last === '-' ? parent.length : Number(last);
      if (op.op === 'replace') parent[idx] = value;
      else parent.splice(idx, 0, value);
    } else if (isObj(parent)) {
      if (op.op === 'replace' && !(last in parent)) throw new Error(`replace operation does not apply: doc is missing key: ${op.path}`);
      parent[last] = value;
    } else throw new Error(`add operation does not apply: doc is missing path: "${op.path}"`);
  }
  return out;
}
