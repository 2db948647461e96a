/**
 * Kubernetes-shaped objects as plain data, so a YAML manifest parsed with js-yaml can be used as
 * is. Only the fields the models read are typed; anything else passes through untouched.
 */

/** An owner of an object (metav1.OwnerReference). */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** metav1.ObjectMeta: the part of every object the machinery reads. */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  /** Empty or absent for cluster-scoped objects. */
  namespace?: string;
  uid?: string;
  /** Opaque to clients: compare for equality only. */
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  [field: string]: unknown;
}

/** Any API object: `apiVersion`, `kind`, `metadata`, and whatever the kind adds (`spec`, `status`, ...). */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** The error text of apimachinery's meta.Accessor for a value that is not an API object. */
export const NOT_AN_OBJECT = 'object does not implement the Object interfaces';

/**
 * The object's metadata, or undefined when `obj` is not an API object (no `metadata` object).
 * Upstream: apimachinery pkg/api/meta/meta.go (Accessor)
 */
export function metaOf(obj: unknown): ObjectMeta | undefined {
  if (typeof obj !== 'object' || obj === null) return undefined;
  const meta = (obj as { metadata?: unknown }).metadata;
  return typeof meta === 'object' && meta !== null && !Array.isArray(meta) ? (meta as ObjectMeta) : undefined;
}

/**
 * A deep copy of plain data (objects, arrays, primitives), as Go's generated `DeepCopyObject`
 * gives for API objects: what a server returns never aliases what it stores. Maps, Sets and
 * class instances other than plain objects are copied by reference.
 */
export function deepCopy<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => deepCopy(v)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = deepCopy(v);
    return out as T;
  }
  return value;
}
