/**
 * Listers: read-only views of an informer's Indexer by label selector, name and namespace, what
 * controllers read instead of asking the API server. Upstream: client-go tools/cache/listers.go
 * (`ListAll`, `ListAllByNamespace`, `GenericLister`, `NewGenericLister`) and listers/
 * generic_helpers.go (`ResourceIndexer`, `New`, `NewNamespaced`, which every generated lister
 * such as `corev1.PodLister` wraps) at v0.34.0; `NewNotFound` from apimachinery
 * pkg/api/errors/errors.go.
 *
 * Label selectors: apimachinery's `labels.Selector` (and the selector string parser) is being
 * written in src/sim/apimachinery. Until it lands a lister takes a {@link ListerSelector}: nothing
 * (everything), `{ matchLabels }`, a predicate over an object's labels, or any object with
 * `matches(labels)` (the shape of `labels.Selector`, which will fit as is).
 */
import { newNotFound as apiNewNotFound } from '../apimachinery/errors';
import { labelSelectorAsSelector, matchesNothing, parse, type Selector } from '../apimachinery/labels';
import type { LabelSelector } from '../apimachinery/validation';
import { StatusError, UsageError } from '../core/errors';
import { NOT_AN_OBJECT, metaOf, type KubeObject } from '../core/object';
import { goQuote } from './go_strings';
import { NamespaceIndex } from './index_funcs';
import type { Indexer, Store } from './types';

/** An object's labels (Go: `labels.Set`). */
export type LabelSet = Readonly<Record<string, string>>;

/**
 * What a lister selects by (Go: `labels.Selector`):
 * - `undefined`: everything (Go: `labels.Everything()`);
 * - `{ matchLabels: { app: 'web' } }`: every label given, with that value (metav1.LabelSelector's
 *   `matchLabels`; `{}` or empty `matchLabels` select everything, as `LabelSelectorAsSelector`);
 * - a predicate over an object's labels;
 * - an object with `matches(labels)` and optionally `empty()` (`labels.Selector`'s methods:
 *   `empty()` true means it selects everything) and `matchesNothing()` (true only for a selector
 *   known to select nothing, `labels.Nothing()`).
 *
 * - a selector string, `'app=web,tier in (front,back),!canary'` (Go: `labels.Parse`);
 * - `{ matchLabels, matchExpressions }` goes through metav1's `LabelSelectorAsSelector`.
 */
export type ListerSelector =
  | undefined
  | string
  | LabelSelector
  | ((labels: LabelSet) => boolean)
  | { matches(labels: LabelSet): boolean; empty?(): boolean; matchesNothing?(): boolean };

/** A selector the listers can run: Go's `Matches`, `Empty` and `labels.MatchesNothing`. */
interface Matcher {
  matches(labels: LabelSet): boolean;
  /** Selects everything: no label need be read (Go: `selector.Empty()`). */
  empty: boolean;
  /** Selects nothing for sure (Go: `labels.MatchesNothing(selector)`). */
  nothing: boolean;
}

const EVERYTHING: Matcher = { matches: () => true, empty: true, nothing: false };

/** The seam to apimachinery's selectors: turns what a caller gave into a Matcher. */
function toMatcher(selector: ListerSelector): Matcher {
  if (selector === undefined) return EVERYTHING;
  if (typeof selector === 'string') return fromSelector(parse(selector));
  if (typeof selector === 'function') return { matches: (labels) => selector(labels) === true, empty: false, nothing: false };
  if (typeof selector !== 'object' || selector === null) {
    throw new UsageError(`selector: expected undefined, { matchLabels }, a function of the labels or a labels.Selector, got ${String(selector)}`);
  }
  if ('matches' in selector && typeof selector.matches === 'function') {
    const s = selector;
    return {
      matches: (labels) => s.matches(labels) === true,
      empty: typeof s.empty === 'function' ? s.empty() === true : false,
      nothing: typeof s.matchesNothing === 'function' ? s.matchesNothing() === true : false,
    };
  }
  return fromSelector(labelSelectorAsSelector(selector as LabelSelector));
}

function fromSelector(s: Selector): Matcher {
  return { matches: (labels) => s.matches(labels), empty: s.empty(), nothing: matchesNothing(s) };
}

/** The labels of a stored object, or Go's meta.Accessor error. */
function labelsOf(obj: unknown): LabelSet {
  const meta = metaOf(obj);
  if (!meta) throw new Error(NOT_AN_OBJECT);
  return meta.labels ?? {};
}

/**
 * Calls `appendFn` with every object of `store` the selector matches, in the store's order.
 * Throws (Go: returns) meta.Accessor's error for a stored value that is not an API object, unless
 * the selector selects everything.
 */
// Upstream: client-go tools/cache/listers.go (ListAll)
export function listAll<T>(store: Store<T>, selector: ListerSelector, appendFn: (obj: T) => void): void {
  const m = toMatcher(selector);
  if (m.nothing) return;
  for (const obj of store.list()) {
    // Avoid computing labels of the objects to speed up common flows of listing all objects.
    if (m.empty || m.matches(labelsOf(obj))) appendFn(obj);
  }
}

/**
 * Calls `appendFn` with every object in `namespace` the selector matches, through the indexer's
 * `namespace` index (sorted by key). `''` (Go: `metav1.NamespaceAll`) is `listAll`. Without a
 * namespace index it scans every object instead (upstream also logs a warning).
 */
// Upstream: client-go tools/cache/listers.go (ListAllByNamespace)
export function listAllByNamespace<T>(indexer: Indexer<T>, namespace: string, selector: ListerSelector, appendFn: (obj: T) => void): void {
  const m = toMatcher(selector);
  if (m.nothing) return;
  if (namespace === '') {
    listAll(indexer, selector, appendFn);
    return;
  }
  let items: T[];
  try {
    items = indexer.index(NamespaceIndex, { metadata: { namespace } } as T);
  } catch {
    // Ignore the error; do a slow search without the index. (Upstream logs "Warning: can not
    // retrieve list of objects using index" through klog.TODO(); the model has no logger here.)
    for (const obj of indexer.list()) {
      const meta = metaOf(obj);
      if (!meta) throw new Error(NOT_AN_OBJECT);
      if ((meta.namespace ?? '') === namespace && m.matches(meta.labels ?? {})) appendFn(obj);
    }
    return;
  }
  for (const obj of items) {
    if (m.empty || m.matches(labelsOf(obj))) appendFn(obj);
  }
}

/**
 * A resource as error messages name it (Go: `schema.GroupResource`): `'pods'`, or
 * `{ group: 'apps', resource: 'deployments' }` (printed `deployments.apps`). A string is used as
 * is.
 */
export type QualifiedResource = string | { group?: string; resource: string };

/** `GroupResource.String()`: `resource`, or `resource.group` when there is a group. */
// Upstream: apimachinery pkg/runtime/schema/group_version.go (GroupResource.String)
export function qualifiedResourceString(resource: QualifiedResource): string {
  if (typeof resource === 'string') return resource;
  return resource.group ? `${resource.resource}.${resource.group}` : resource.resource;
}

/** metav1.StatusDetails of a NotFound: the group, the resource (as `kind`, as upstream) and the name. */
export interface NotFoundDetails {
  group: string;
  kind: string;
  name: string;
}

/** A `404 NotFound` StatusError that carries its Status details. */
export type NotFoundError = StatusError & { readonly details: NotFoundDetails };

/** `404 NotFound`, `<resource> "<name>" not found`, with its Status details (apimachinery's `newNotFound`). */
export function newNotFound(qualifiedResource: QualifiedResource, name: string): NotFoundError {
  const gr = typeof qualifiedResource === 'string' ? qualifiedResource : { group: qualifiedResource.group ?? '', resource: qualifiedResource.resource };
  return apiNewNotFound(gr, name) as NotFoundError;
}

/** Lists and gets objects across namespaces (Go: `cache.GenericLister`). Never modify what it returns. */
export interface GenericLister<T extends KubeObject = KubeObject> {
  /** Every object the selector matches, across namespaces. */
  list(selector?: ListerSelector): T[];
  /** The object whose key is `name` (a cluster-scoped object; for a namespaced one use `byNamespace`); throws `404 NotFound`. */
  get(name: string): T;
  /** The same, in one namespace. */
  byNamespace(namespace: string): GenericNamespaceLister<T>;
}

/** Lists and gets objects in one namespace (Go: `cache.GenericNamespaceLister`). */
export interface GenericNamespaceLister<T extends KubeObject = KubeObject> {
  list(selector?: ListerSelector): T[];
  /** The object `<namespace>/<name>`; throws `404 NotFound`. */
  get(name: string): T;
}

/**
 * A lister over an Indexer (Go: `cache.NewGenericLister(indexer, resource)`, what
 * `GenericInformer.Lister()` returns). `resource` names the resource in NotFound errors.
 */
// Upstream: client-go tools/cache/listers.go (NewGenericLister)
export function newGenericLister<T extends KubeObject = KubeObject>(indexer: Indexer<T>, resource: QualifiedResource): GenericLister<T> {
  return new GenericListerImpl<T>(indexer, resource);
}

// Upstream: client-go tools/cache/listers.go (genericLister)
class GenericListerImpl<T extends KubeObject> implements GenericLister<T> {
  readonly #indexer: Indexer<T>;
  readonly #resource: QualifiedResource;

  constructor(indexer: Indexer<T>, resource: QualifiedResource) {
    this.#indexer = indexer;
    this.#resource = resource;
  }

  // Upstream: genericLister.List
  list(selector?: ListerSelector): T[] {
    const ret: T[] = [];
    listAll(this.#indexer, selector, (m) => ret.push(m));
    return ret;
  }

  // Upstream: genericLister.Get
  get(name: string): T {
    const obj = this.#indexer.getByKey(name);
    if (obj === undefined) throw newNotFound(this.#resource, name);
    return obj;
  }

  // Upstream: genericLister.ByNamespace
  byNamespace(namespace: string): GenericNamespaceLister<T> {
    return new GenericNamespaceListerImpl<T>(this.#indexer, namespace, this.#resource);
  }
}

// Upstream: client-go tools/cache/listers.go (genericNamespaceLister)
class GenericNamespaceListerImpl<T extends KubeObject> implements GenericNamespaceLister<T> {
  readonly #indexer: Indexer<T>;
  readonly #namespace: string;
  readonly #resource: QualifiedResource;

  constructor(indexer: Indexer<T>, namespace: string, resource: QualifiedResource) {
    this.#indexer = indexer;
    this.#namespace = namespace;
    this.#resource = resource;
  }

  // Upstream: genericNamespaceLister.List
  list(selector?: ListerSelector): T[] {
    const ret: T[] = [];
    listAllByNamespace(this.#indexer, this.#namespace, selector, (m) => ret.push(m));
    return ret;
  }

  // Upstream: genericNamespaceLister.Get
  get(name: string): T {
    const obj = this.#indexer.getByKey(`${this.#namespace}/${name}`);
    if (obj === undefined) throw newNotFound(this.#resource, name);
    return obj;
  }
}

/** Set by ResourceIndexer's static block: a lister's indexer and resource (module-private). */
let partsOf: <T extends KubeObject>(r: ResourceIndexer<T>) => { indexer: Indexer<T>; resource: QualifiedResource };

/**
 * The lister every generated typed lister wraps (Go: `listers.ResourceIndexer[T]`): an Indexer,
 * the resource its errors name, and a namespace (`''`: all namespaces, or a cluster-scoped
 * resource). `corev1.NewPodLister(indexer).Pods('ns').Get('web')` is
 * `newResourceIndexer(indexer, 'pod').namespace('ns').get('web')`.
 */
// Upstream: client-go listers/generic_helpers.go (ResourceIndexer)
export class ResourceIndexer<T extends KubeObject = KubeObject> {
  readonly #indexer: Indexer<T>;
  readonly #resource: QualifiedResource;
  readonly #namespace: string;

  constructor(indexer: Indexer<T>, resource: QualifiedResource, namespace = '') {
    this.#indexer = indexer;
    this.#resource = resource;
    this.#namespace = namespace;
  }

  /** The namespace this lister reads (`''`: all, or a cluster-scoped resource). */
  get namespaceName(): string {
    return this.#namespace;
  }

  /** Every object (in this namespace, if it has one) the selector matches. Never modify them. */
  // Upstream: ResourceIndexer.List
  list(selector?: ListerSelector): T[] {
    const ret: T[] = [];
    // ListAllByNamespace reverts to ListAll on empty namespaces.
    listAllByNamespace(this.#indexer, this.#namespace, selector, (m) => ret.push(m));
    return ret;
  }

  /** The object named `name` (in this namespace, if it has one); throws `404 NotFound`. */
  // Upstream: ResourceIndexer.Get
  get(name: string): T {
    const key = this.#namespace === '' ? name : `${this.#namespace}/${name}`;
    const obj = this.#indexer.getByKey(key);
    if (obj === undefined) throw newNotFound(this.#resource, name);
    return obj;
  }

  /** The same lister in one namespace (Go: `listers.NewNamespaced(parent, namespace)`; a typed lister's `Pods(ns)`). */
  namespace(namespace: string): ResourceIndexer<T> {
    return newNamespacedResourceIndexer(this, namespace);
  }

  static {
    partsOf = (r) => ({ indexer: r.#indexer, resource: r.#resource });
  }
}

/** A lister of a resource across namespaces, or of a cluster-scoped one (Go: `listers.New[T](indexer, resource)`). */
// Upstream: client-go listers/generic_helpers.go (New)
export function newResourceIndexer<T extends KubeObject = KubeObject>(indexer: Indexer<T>, resource: QualifiedResource): ResourceIndexer<T> {
  return new ResourceIndexer<T>(indexer, resource);
}

/** `parent` in one namespace (Go: `listers.NewNamespaced[T](parent, namespace)`). */
// Upstream: client-go listers/generic_helpers.go (NewNamespaced)
export function newNamespacedResourceIndexer<T extends KubeObject = KubeObject>(parent: ResourceIndexer<T>, namespace: string): ResourceIndexer<T> {
  const { indexer, resource } = partsOf(parent);
  return new ResourceIndexer<T>(indexer, resource, namespace);
}
