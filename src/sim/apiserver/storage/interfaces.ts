/**
 * The storage interface between the registry and what stores objects (the etcd3 store, or the
 * cacher in front of it), with its options, predicates and preconditions.
 * Upstream: apiserver pkg/storage/interfaces.go (Interface, ListOptions, GetOptions,
 * Preconditions.Check, ValidateListOptions), selection_predicate.go (SelectionPredicate),
 * api_object_versioner.go (APIObjectVersioner)
 */
import type { KubeObject } from '../../core/object';
import { newBadRequest } from '../../apimachinery/errors';
import { everything as everythingFields, type FieldSelector } from '../../apimachinery/fields';
import { everything as everythingLabels, type Selector as LabelSelector } from '../../apimachinery/labels';
import type { ServerWatch } from '../watch';
import { decodeContinue } from './continue';
import { invalidResourceVersion, newInvalidObjError, StorageInvalidError } from './errors';

/** An object's labels and selectable fields (Go: `AttrFunc`'s `labels.Set, fields.Set`). */
export interface Attrs {
  labels: Record<string, string>;
  fields: Record<string, string>;
}

export type AttrFunc = (obj: KubeObject) => Attrs;

/** storage.SelectionPredicate. */
export interface SelectionPredicate {
  label: LabelSelector;
  field: FieldSelector;
  getAttrs: AttrFunc;
  limit: number;
  continue: string;
  allowWatchBookmarks: boolean;
}

/** The fields every object can be selected by (Go: `DefaultClusterScopedAttr` / `DefaultNamespaceScopedAttr`). */
export function defaultAttrs(obj: KubeObject): Attrs {
  const fields: Record<string, string> = { 'metadata.name': obj.metadata.name ?? '' };
  if (obj.metadata.namespace !== undefined) fields['metadata.namespace'] = obj.metadata.namespace;
  return { labels: obj.metadata.labels ?? {}, fields };
}

export function everything(getAttrs: AttrFunc = defaultAttrs): SelectionPredicate {
  return { label: everythingLabels(), field: everythingFields(), getAttrs, limit: 0, continue: '', allowWatchBookmarks: false };
}

// Upstream: selection_predicate.go (SelectionPredicate.Matches, MatchesObjectAttributes, Empty, MatchesSingle, MatchesSingleNamespace)
export const predicateEmpty = (p: SelectionPredicate): boolean => p.label.empty() && p.field.empty();
export const matchesAttrs = (p: SelectionPredicate, a: Attrs): boolean => p.label.matches(a.labels) && p.field.matches(a.fields);
export function predicateMatches(p: SelectionPredicate, obj: KubeObject): boolean {
  if (predicateEmpty(p)) return true;
  return matchesAttrs(p, p.getAttrs(obj));
}
export function matchesSingle(p: SelectionPredicate): string | undefined {
  if (p.continue) return undefined;
  const m = p.field.requiresExactMatch('metadata.name');
  return m.found ? m.value : undefined;
}
export function matchesSingleNamespace(p: SelectionPredicate): string | undefined {
  if (p.continue) return undefined;
  const m = p.field.requiresExactMatch('metadata.namespace');
  return m.found ? m.value : undefined;
}

/** storage.ListOptions. */
export interface StorageListOptions {
  resourceVersion: string;
  resourceVersionMatch: '' | 'NotOlderThan' | 'Exact' | string;
  predicate: SelectionPredicate;
  /** Whether `key` is a prefix (a list) or one key. */
  recursive: boolean;
  progressNotify?: boolean;
  sendInitialEvents?: boolean;
}

/** storage.Preconditions. */
export interface Preconditions {
  uid?: string;
  resourceVersion?: string;
}

// Upstream: interfaces.go (Preconditions.Check)
export function checkPreconditions(p: Preconditions | undefined, key: string, obj: KubeObject): void {
  if (!p) return;
  if (p.uid !== undefined && p.uid !== (obj.metadata.uid ?? '')) {
    throw newInvalidObjError(key, `Precondition failed: UID in precondition: ${p.uid}, UID in object meta: ${obj.metadata.uid ?? ''}`);
  }
  if (p.resourceVersion !== undefined && p.resourceVersion !== (obj.metadata.resourceVersion ?? '')) {
    throw newInvalidObjError(key, `Precondition failed: ResourceVersion in precondition: ${p.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion ?? ''}`);
  }
}

/** APIObjectVersioner.ParseResourceVersion: `''` and `'0'` are 0. */
// Upstream: api_object_versioner.go (ParseResourceVersion)
export function parseResourceVersion(rv: string | undefined): number {
  if (rv === undefined || rv === '' || rv === '0') return 0;
  if (!/^\d+$/.test(rv) || rv.length > 20) throw invalidResourceVersion(rv);
  return Number(rv);
}

/** What a GuaranteedUpdate's tryUpdate returns (Go: `(output runtime.Object, ttl *uint64, err error)`). */
export type UpdateFunc = (input: KubeObject, res: { resourceVersion: number }) => Promise<KubeObject> | KubeObject;

/** A list result at a revision. */
export interface StorageList {
  items: KubeObject[];
  resourceVersion: number;
  continue: string;
  remainingItemCount?: number;
}

/** storage.Interface. */
export interface StorageInterface {
  create(key: string, obj: KubeObject, ttlSec?: number): Promise<KubeObject>;
  delete(key: string, preconditions: Preconditions | undefined, validateDeletion: (obj: KubeObject) => void | Promise<void>, cachedExisting?: KubeObject): Promise<KubeObject>;
  watch(key: string, opts: StorageListOptions): Promise<ServerWatch>;
  get(key: string, opts: { resourceVersion: string; ignoreNotFound?: boolean }): Promise<KubeObject | undefined>;
  getList(key: string, opts: StorageListOptions): Promise<StorageList>;
  /** `ttlSec` > 0 writes the new state with a lease of that TTL (Go: tryUpdate's ttl, Events' TTLFunc). */
  guaranteedUpdate(key: string, ignoreNotFound: boolean, preconditions: Preconditions | undefined, tryUpdate: UpdateFunc, cachedExisting?: KubeObject, ttlSec?: number): Promise<KubeObject>;
  getCurrentResourceVersion(): Promise<number>;
  requestWatchProgress(): Promise<void>;
  compactRevision(): number;
}

/** The revision to list at and the key to continue from (Go: `ValidateListOptions`); throws 400s. */
// Upstream: interfaces.go (ValidateListOptions)
export function validateListOptions(keyPrefix: string, opts: StorageListOptions): { withRev: number; continueKey: string } {
  if (opts.recursive && opts.predicate.continue) {
    let decoded: { fromKey: string; rv: number };
    try {
      decoded = decodeContinue(opts.predicate.continue, keyPrefix);
    } catch (e) {
      throw newBadRequest(`invalid continue token: ${(e as Error).message}`);
    }
    if (opts.resourceVersion && opts.resourceVersion !== '0') throw newBadRequest('specifying resource version is not allowed when using continue');
    return { withRev: decoded.rv > 0 ? decoded.rv : 0, continueKey: decoded.fromKey };
  }
  if (!opts.resourceVersion) return { withRev: 0, continueKey: '' };
  let parsed: number;
  try {
    parsed = parseResourceVersion(opts.resourceVersion);
  } catch (e) {
    throw newBadRequest(`invalid resource version: ${(e as StorageInvalidError).message}`);
  }
  switch (opts.resourceVersionMatch) {
    case 'NotOlderThan':
      return { withRev: 0, continueKey: '' };
    case 'Exact':
      return { withRev: parsed, continueKey: '' };
    case '':
      return { withRev: opts.recursive && opts.predicate.limit > 0 && parsed > 0 ? parsed : 0, continueKey: '' };
    default:
      throw new Error(`unknown ResourceVersionMatch value: ${opts.resourceVersionMatch}`);
  }
}

/** The special annotation of the bookmark that ends a streaming list's initial events. */
export const InitialEventsAnnotationKey = 'k8s.io/initial-events-end';
