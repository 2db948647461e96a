/**
 * Index functions and the maps an indexer keeps. There are three kinds of strings here:
 * 1. a storage key, as a KeyFunc makes it (`default/web`),
 * 2. the name of an index (`namespace`), and
 * 3. an "indexed value", which an IndexFunc computes from an object (`default`): a field value
 *    or any other string derived from it. One object may have several indexed values, or none.
 * Upstream: client-go tools/cache/index.go at v0.34.0.
 */
import { NOT_AN_OBJECT, metaOf } from '../core/object';
import { formatGoSlice } from './go_strings';
import type { KeyFunc } from './keys';

/**
 * Computes the indexed values of an object; throws when it cannot (Go: `IndexFunc` returning an
 * error). An empty array leaves the object out of that index.
 */
export type IndexFunc<T = unknown> = (obj: T) => string[];

/** Maps an index name to its IndexFunc (Go: `Indexers map[string]IndexFunc`). */
export type Indexers<T = unknown> = Record<string, IndexFunc<T>>;

/**
 * One index: an indexed value to the set of storage keys whose objects have that value (Go:
 * `Index map[string]sets.String`). A value whose set would be empty is not kept.
 */
export type Index = Map<string, Set<string>>;

/** Maps an index name to its Index (Go: `Indices map[string]Index`). */
export type Indices = Map<string, Index>;

/** The name of the index `metaNamespaceIndexFunc` is registered under by convention. */
export const NamespaceIndex = 'namespace';

/**
 * The default index function: an object's namespace (`''` for cluster-scoped objects).
 * Upstream: tools/cache/index.go (MetaNamespaceIndexFunc)
 */
export function metaNamespaceIndexFunc(obj: unknown): string[] {
  const meta = metaOf(obj);
  if (!meta) throw new Error(`object has no meta: ${NOT_AN_OBJECT}`);
  return [meta.namespace ?? ''];
}

/**
 * Uses an index function as a key function. Only useful when the index function gives exactly one
 * value for every object; it throws for none or several. Prefer a real key function.
 * Upstream: tools/cache/index.go (IndexFuncToKeyFuncAdapter)
 */
export function indexFuncToKeyFuncAdapter(indexFunc: IndexFunc): KeyFunc {
  return (obj: unknown) => {
    const indexKeys = indexFunc(obj);
    if (indexKeys.length > 1) throw new Error(`too many keys: ${formatGoSlice(indexKeys)}`);
    if (indexKeys.length === 0) throw new Error('unexpected empty indexKeys');
    return indexKeys[0];
  };
}

/** True when `indexers` has its own index function called `name` (Go: `indexers[name] != nil`). */
export function hasIndexFunc(indexers: Indexers<never>, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(indexers, name) && typeof indexers[name] === 'function';
}
