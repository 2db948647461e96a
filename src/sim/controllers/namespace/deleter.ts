/**
 * Deletes everything in a Terminating namespace, then takes the `kubernetes` finalizer off it:
 * every deletable namespaced resource is deleted as a collection (background propagation), listed
 * again, and what is left is reported as the namespace's conditions and as an estimate of how
 * long to wait before the next pass.
 * Upstream: pkg/controller/namespace/deletion/namespaced_resources_deleter.go (kubernetes v1.34)
 */
import { isConflict, isMethodNotSupported, isNotFound } from '../../apimachinery/errors';
import { rfc3339 } from '../../apiserver/registry/strategy';
import type { GroupVersionResource } from '../../cache/informer_factory';
import type { Clientset } from '../../client/clientset';
import type { FakeClock } from '../../core/clock';
import { deepCopy, type KubeObject } from '../../core/object';
import { NamespaceConditionUpdater, type ContentTotals, type NamespaceCondition } from './conditions';

/** Assumed seconds for finalizers found on items pending deletion to complete (Go: `finalizerEstimateSeconds`). */
export const finalizerEstimateSeconds = 15;

/** Some content is still there: come back in about `estimate` seconds (Go: `ResourcesRemainingError`). */
export class ResourcesRemainingError extends Error {
  constructor(readonly estimate: number) {
    super(`some content remains in the namespace, estimate ${estimate} seconds before it is removed`);
    this.name = 'ResourcesRemainingError';
  }
}

/** One discovery document (Go: `metav1.APIResourceList`). */
export interface APIResourceList {
  groupVersion: string;
  resources: Array<Record<string, unknown>>;
}

/** Discovery's answer: what it found, and the error for what it did not (Go returns both). */
export interface DiscoveryResult {
  resources: APIResourceList[];
  error?: Error;
}

export interface NamespacedResourcesDeleterOptions {
  client: Clientset;
  clock: FakeClock;
  /** Discovery of the namespaced resources (default: the client's preferred resources that are namespaced). */
  discoverResources?: () => Promise<DiscoveryResult>;
  /** The spec.finalizers entry this deleter removes (default `kubernetes`). */
  finalizerToken?: string;
}

export type Namespace = KubeObject & { spec?: { finalizers?: string[] }; status?: { phase?: string; conditions?: NamespaceCondition[] } };

type Operation = 'list' | 'deletecollection';
const gvrString = (g: GroupVersionResource) => `${g.group}/${g.version}, Resource=${g.resource}`;

/** Go's `utilerrors.NewAggregate(errs).Error()`: one message alone, several in brackets. */
export function aggregate(errs: Error[]): Error | undefined {
  if (errs.length === 0) return undefined;
  return new Error(errs.length === 1 ? errs[0].message : `[${errs.map((e) => e.message).join(', ')}]`);
}

/** Go: `discovery.ServerPreferredNamespacedResources` over the client. */
export async function discoverNamespacedResources(client: Clientset): Promise<DiscoveryResult> {
  try {
    const lists = await client.discovery().serverPreferredResources();
    return { resources: lists.map((l) => ({ groupVersion: l.groupVersion, resources: l.resources.filter((r) => r.namespaced === true) })) };
  } catch (e) {
    return { resources: [], error: e as Error };
  }
}

interface GvrDeletionMetadata {
  finalizerEstimateSeconds: number;
  numRemaining: number;
  finalizersToNumRemaining?: Map<string, number>;
}

// Upstream: namespaced_resources_deleter.go (namespacedResourcesDeleter)
export class NamespacedResourcesDeleter {
  readonly finalizerToken: string;
  readonly #o: NamespacedResourcesDeleterOptions;
  readonly #discover: () => Promise<DiscoveryResult>;
  /** Operations a resource does not support, from discovery's verbs and from 405/404 answers (Go: `operationNotSupportedCache`). */
  #opCache?: Set<string>;

  constructor(o: NamespacedResourcesDeleterOptions) {
    this.#o = o;
    this.finalizerToken = o.finalizerToken ?? 'kubernetes';
    this.#discover = o.discoverResources ?? (() => discoverNamespacedResources(o.client));
  }

  #nsClient() {
    return this.#o.client.coreV1().namespaces();
  }

  #now = () => rfc3339(this.#o.clock.now());

  /**
   * One pass over a namespace: nothing unless it is being deleted; phase Terminating; its content
   * deleted; ResourcesRemainingError while content remains; then the finalizer removed.
   */
  // Upstream: namespaced_resources_deleter.go (Delete)
  async delete(nsName: string): Promise<void> {
    let namespace: Namespace;
    try {
      namespace = (await this.#nsClient().get(nsName)) as Namespace;
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    if (!namespace.metadata.deletionTimestamp) return;
    try {
      namespace = await this.#retryOnConflictError(namespace, (ns) => this.#updateNamespaceStatus(ns));
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    if (!namespace.metadata.deletionTimestamp) return;
    if (finalized(namespace)) return;
    const estimate = await this.deleteAllContent(namespace);
    if (estimate > 0) throw new ResourcesRemainingError(estimate);
    try {
      await this.#retryOnConflictError(namespace, (ns) => this.#finalizeNamespace(ns));
    } catch (e) {
      // Two deleters sharing a token: the other one finished first.
      if (isNotFound(e)) return;
      throw e;
    }
  }

  // Upstream: namespaced_resources_deleter.go (retryOnConflictError)
  async #retryOnConflictError(namespace: Namespace, fn: (ns: Namespace) => Promise<Namespace>): Promise<Namespace> {
    let latest = namespace;
    for (;;) {
      try {
        return await fn(latest);
      } catch (e) {
        if (!isConflict(e)) throw e;
      }
      const prev = latest;
      latest = (await this.#nsClient().get(latest.metadata.name ?? '')) as Namespace;
      if (prev.metadata.uid !== latest.metadata.uid) throw new Error('namespace uid has changed across retries');
    }
  }

  // Upstream: namespaced_resources_deleter.go (updateNamespaceStatusFunc)
  async #updateNamespaceStatus(ns: Namespace): Promise<Namespace> {
    if (!ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating') return ns;
    const copy = deepCopy(ns);
    copy.status = { ...(copy.status ?? {}), phase: 'Terminating' };
    return (await this.#nsClient().updateStatus(copy)) as Namespace;
  }

  /** PUT namespaces/<name>/finalize with the token removed, the rest sorted (Go: `finalizeNamespace`). */
  // Upstream: namespaced_resources_deleter.go (finalizeNamespace), client-go typed/core/v1/namespace_expansion.go (Finalize)
  async #finalizeNamespace(ns: Namespace): Promise<Namespace> {
    const rest = [...new Set((ns.spec?.finalizers ?? []).filter((f) => f !== this.finalizerToken))].sort();
    const body: Namespace = { ...deepCopy(ns), spec: { ...(ns.spec ?? {}), finalizers: rest } };
    try {
      return (await this.#o.client.coreV1().restClient.put().resource('namespaces').name(ns.metadata.name ?? '').subResource('finalize').body(body).do()) as Namespace;
    } catch (e) {
      if (isNotFound(e)) return ns;
      throw e;
    }
  }

  // Upstream: namespaced_resources_deleter.go (isSupported, initOpCache)
  async #isSupported(op: Operation, gvr: GroupVersionResource): Promise<boolean> {
    if (!this.#opCache) {
      const cache = (this.#opCache = new Set());
      const { resources, error } = await this.#discover();
      if (resources.length === 0) throw new Error(`unable to get all supported resources from server: ${error?.message ?? 'none'}`);
      for (const rl of resources) {
        const [group, version] = splitGroupVersion(rl.groupVersion);
        for (const r of rl.resources) {
          const verbs = (r.verbs as string[] | undefined) ?? [];
          for (const o of ['list', 'deletecollection'] as const) if (!verbs.includes(o)) cache.add(opKey(o, { group, version, resource: String(r.name) }));
        }
      }
    }
    return !this.#opCache.has(opKey(op, gvr));
  }

  // Upstream: namespaced_resources_deleter.go (deleteCollection)
  async #deleteCollection(gvr: GroupVersionResource, namespace: string): Promise<boolean> {
    if (!(await this.#isSupported('deletecollection', gvr))) return false;
    // Background, so the collector does not add the orphan finalizer: the namespace must end up empty.
    try {
      await this.#o.client.dynamic().resource(gvr).namespace(namespace).deleteCollection({ propagationPolicy: 'Background' });
      return true;
    } catch (e) {
      if (isMethodNotSupported(e) || isNotFound(e)) return false;
      throw e;
    }
  }

  // Upstream: namespaced_resources_deleter.go (listCollection)
  async #listCollection(gvr: GroupVersionResource, namespace: string): Promise<KubeObject[] | undefined> {
    if (!(await this.#isSupported('list', gvr))) return undefined;
    try {
      return (await this.#o.client.dynamic().resource(gvr).namespace(namespace).list()).items;
    } catch (e) {
      if (isMethodNotSupported(e) || isNotFound(e)) return undefined;
      throw e;
    }
  }

  // Upstream: namespaced_resources_deleter.go (deleteEachItem)
  async #deleteEachItem(gvr: GroupVersionResource, namespace: string): Promise<void> {
    const items = await this.#listCollection(gvr, namespace);
    for (const item of items ?? []) {
      try {
        await this.#o.client.dynamic().resource(gvr).namespace(namespace).delete(item.metadata.name ?? '', { propagationPolicy: 'Background' });
      } catch (e) {
        if (!isNotFound(e) && !isMethodNotSupported(e)) throw e;
      }
    }
  }

  /** Deletes one resource's content; how many instances remain and which finalizers hold them. */
  // Upstream: namespaced_resources_deleter.go (deleteAllContentForGroupVersionResource)
  async deleteAllContentForGroupVersionResource(gvr: GroupVersionResource, namespace: string, deletedAtMs: number): Promise<GvrDeletionMetadata & { error?: Error }> {
    let estimate: number;
    try {
      estimate = await this.#estimateGracefulTermination(gvr, namespace, deletedAtMs);
    } catch (e) {
      return { finalizerEstimateSeconds: 0, numRemaining: 0, error: e as Error };
    }
    try {
      if (!(await this.#deleteCollection(gvr, namespace))) await this.#deleteEachItem(gvr, namespace);
    } catch (e) {
      return { finalizerEstimateSeconds: estimate, numRemaining: 0, error: e as Error };
    }
    let items: KubeObject[] | undefined;
    try {
      items = await this.#listCollection(gvr, namespace);
    } catch (e) {
      return { finalizerEstimateSeconds: estimate, numRemaining: 0, error: e as Error };
    }
    if (!items) return { finalizerEstimateSeconds: estimate, numRemaining: 0 };
    if (items.length === 0) return { finalizerEstimateSeconds: 0, numRemaining: 0 };
    const finalizersToNumRemaining = new Map<string, number>();
    for (const item of items) for (const f of item.metadata.finalizers ?? []) finalizersToNumRemaining.set(f, (finalizersToNumRemaining.get(f) ?? 0) + 1);
    if (estimate !== 0) return { finalizerEstimateSeconds: estimate, numRemaining: items.length, finalizersToNumRemaining };
    // A finalizer is a normal reason to wait: give its controller (or the collector) the default estimate.
    if (finalizersToNumRemaining.size > 0) return { finalizerEstimateSeconds, numRemaining: items.length, finalizersToNumRemaining };
    return { finalizerEstimateSeconds: estimate, numRemaining: items.length, error: new Error(`unexpected items still remain in namespace: ${namespace} for gvr: ${gvrString(gvr)}`) };
  }

  /**
   * Deletes the content of every deletable namespaced resource, writes the namespace's conditions
   * when they changed, and returns the longest estimate (seconds); errors are aggregated and thrown
   * after the conditions are written.
   */
  // Upstream: namespaced_resources_deleter.go (deleteAllContent)
  async deleteAllContent(ns: Namespace): Promise<number> {
    const namespace = ns.metadata.name ?? '';
    const deletedAtMs = Date.parse(ns.metadata.deletionTimestamp ?? '');
    const errs: Error[] = [];
    const conditions = new NamespaceConditionUpdater(this.#now);
    let estimate = 0;
    const { resources, error } = await this.#discover();
    if (error) {
      // Not fatal: what was discovered can still be deleted.
      errs.push(error);
      conditions.processDiscoverResourcesErr(error);
    }
    // Go: discovery.GroupVersionResources stops at the first unparsable group version and returns none.
    let gvrs: GroupVersionResource[] = [];
    for (const rl of resources) {
      const parsed = parseGroupVersion(rl.groupVersion);
      if (parsed instanceof Error) {
        gvrs = [];
        errs.push(parsed);
        conditions.processGroupVersionErr(parsed);
        break;
      }
      for (const r of rl.resources) if (((r.verbs as string[] | undefined) ?? []).includes('delete')) gvrs.push({ ...parsed, resource: String(r.name) });
    }
    const totals: ContentTotals = { gvrToNumRemaining: new Map(), finalizersToNumRemaining: new Map() };
    for (const gvr of gvrs) {
      const m = await this.deleteAllContentForGroupVersionResource(gvr, namespace, deletedAtMs);
      if (m.error) {
        // Keep going: the other resources can still be emptied this pass.
        errs.push(m.error);
        conditions.processDeleteContentErr(m.error);
      }
      estimate = Math.max(estimate, m.finalizerEstimateSeconds);
      if (m.numRemaining > 0) {
        totals.gvrToNumRemaining.set(`${gvr.resource}.${gvr.group}`, m.numRemaining);
        for (const [f, n] of m.finalizersToNumRemaining ?? []) if (n > 0) totals.finalizersToNumRemaining.set(f, (totals.finalizersToNumRemaining.get(f) ?? 0) + n);
      }
    }
    conditions.processContentTotals(totals);
    // Always compared, so a condition that cleared is written as cleared.
    const status = deepCopy(ns.status ?? {});
    if (conditions.update(status)) {
      try {
        ns.status = (await this.#nsClient().updateStatus({ ...ns, status })).status as Namespace['status'];
      } catch {
        // Go logs "couldn't update status condition for namespace" and goes on.
      }
    }
    const err = aggregate(errs);
    if (err) throw err;
    return estimate;
  }

  /** The longest grace period of the namespace's live pods, or 0 once that long has passed since the delete. */
  // Upstream: namespaced_resources_deleter.go (estimateGracefulTermination, estimateGracefulTerminationForPods)
  async #estimateGracefulTermination(gvr: GroupVersionResource, namespace: string, deletedAtMs: number): Promise<number> {
    if (gvr.group !== '' || gvr.resource !== 'pods') return 0;
    let estimate = 0;
    for (const pod of (await this.#o.client.coreV1().pods(namespace).list()).items) {
      const phase = (pod.status as { phase?: string } | undefined)?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') continue;
      const grace = (pod.spec as { terminationGracePeriodSeconds?: number } | undefined)?.terminationGracePeriodSeconds;
      if (typeof grace === 'number' && grace > estimate) estimate = grace;
    }
    return this.#o.clock.now() - deletedAtMs >= estimate * 1000 ? 0 : estimate;
  }
}

/** Go: `finalized`: spec.finalizers is empty. */
export function finalized(ns: Namespace): boolean {
  return (ns.spec?.finalizers ?? []).length === 0;
}

function splitGroupVersion(gv: string): [string, string] {
  const i = gv.indexOf('/');
  return i < 0 ? ['', gv] : [gv.slice(0, i), gv.slice(i + 1)];
}

/** Go: `schema.ParseGroupVersion`: "v1", "group/version"; more than one slash is an error. */
export function parseGroupVersion(gv: string): { group: string; version: string } | Error {
  if (gv === '' || gv === '/') return { group: '', version: '' };
  const parts = gv.split('/');
  if (parts.length === 1) return { group: '', version: gv };
  if (parts.length === 2) return { group: parts[0], version: parts[1] };
  return new Error(`unexpected GroupVersion string: ${gv}`);
}

const opKey = (op: Operation, g: GroupVersionResource) => `${op} ${g.group}/${g.version}/${g.resource}`;
