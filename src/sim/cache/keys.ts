/**
 * Keys of objects in client-go caches: `<namespace>/<name>`, or `<name>` for cluster-scoped
 * objects. Upstream: client-go tools/cache/store.go, controller.go, index.go, delta_fifo.go.
 */
import { NOT_AN_OBJECT, metaOf } from '../core/object';

/** Makes a key from an object; throws when it cannot (Go: `KeyFunc` returning an error). */
export type KeyFunc = (obj: unknown) => string;

/**
 * What a store throws when its key function fails, with the object at fault.
 * Upstream: tools/cache/store.go (KeyError)
 */
export class KeyError extends Error {
  constructor(
    readonly obj: unknown,
    readonly cause: unknown,
  ) {
    super(`couldn't create key for object ${describeObject(obj)}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'KeyError';
  }
}

/**
 * The last known state of an object deleted while the watch was down: the relist found it gone,
 * so the final state may be stale. Upstream: tools/cache/delta_fifo.go (DeletedFinalStateUnknown)
 */
export class DeletedFinalStateUnknown<T = unknown> {
  constructor(
    readonly key: string,
    readonly obj: T,
  ) {}
}

/**
 * `<namespace>/<name>`, or `<name>` when the namespace is empty. A string is taken as the key
 * itself (Go's `ExplicitKey`). Upstream: tools/cache/store.go (MetaNamespaceKeyFunc)
 */
export function metaNamespaceKeyFunc(obj: unknown): string {
  if (typeof obj === 'string') return obj;
  const meta = metaOf(obj);
  if (!meta) throw new Error(`object has no meta: ${NOT_AN_OBJECT}`);
  const name = meta.name ?? '';
  return meta.namespace ? `${meta.namespace}/${name}` : name;
}

/**
 * Like metaNamespaceKeyFunc, but a DeletedFinalStateUnknown gives the key it carries.
 * Upstream: tools/cache/controller.go (DeletionHandlingMetaNamespaceKeyFunc)
 */
export function deletionHandlingMetaNamespaceKeyFunc(obj: unknown): string {
  if (obj instanceof DeletedFinalStateUnknown) return obj.key;
  return metaNamespaceKeyFunc(obj);
}

/**
 * The namespace and name a metaNamespaceKeyFunc key holds.
 * Upstream: tools/cache/store.go (SplitMetaNamespaceKey)
 */
export function splitMetaNamespaceKey(key: string): { namespace: string; name: string } {
  const parts = key.split('/');
  if (parts.length === 1) return { namespace: '', name: parts[0] };
  if (parts.length === 2) return { namespace: parts[0], name: parts[1] };
  throw new Error(`unexpected key format: ${JSON.stringify(key)}`);
}

/** Go's `%+v` is not reproducible here; name the object the way a reader finds it. */
function describeObject(obj: unknown): string {
  const meta = metaOf(obj);
  if (meta) return `${(obj as { kind?: string }).kind ?? 'object'} ${meta.namespace ? `${meta.namespace}/` : ''}${meta.name ?? ''}`.trim();
  try {
    return JSON.stringify(obj) ?? String(obj);
  } catch {
    return String(obj);
  }
}
