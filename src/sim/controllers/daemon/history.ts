/**
 * The DaemonSet's history as ControllerRevisions. Each revision stores, as `data`, a strategic
 * merge patch that swaps in one pod template (`{"spec":{"template":{..., "$patch":"replace"}}}`),
 * is named `<ds>-<hash>` and labelled `controller-revision-hash: <hash>`; the sync finds the
 * revision whose data equals the current template (creating it when none does), renumbers it past
 * the others, and its hash label becomes the label of every new pod. `kubectl rollout undo ds`
 * sends an old revision's data back as the patch.
 * Upstream: pkg/controller/daemon/update.go (constructHistory, cleanupHistory, maxRevision,
 * dedupCurHistories, controlledHistories, Match, getPatch, snapshot, historiesByRevision)
 */
import type { Pod } from '../../api/core/v1';
import { isAlreadyExists } from '../../apimachinery/errors';
import { labelSelectorAsSelector } from '../../apimachinery/labels';
import { StrategicMergePatchType } from '../../apimachinery/patch';
import type { Clientset } from '../../client/clientset';
import { deepCopy, type KubeObject } from '../../core/object';
import { computeHash } from '../deployment/hash';
import type { PodTemplateSpec } from '../deployment/types';
import { marshalGoJSON, newControllerRef, revisionDataRaw, type ControllerRevision } from '../history';
import { ControllerRevisionControllerRefManager, recheckDeletionTimestamp } from '../util/controller_ref_manager';
import { controllerKind, type DaemonSet } from './types';
import { DefaultDaemonSetUniqueLabelKey } from './util';

/** What the history functions need from the controller: the API, its caches, its pods. */
export interface DaemonSetHistoryDeps {
  client: Clientset;
  /** Every ControllerRevision of the namespace in the informer's cache (Go: `historyLister`). */
  listRevisions(namespace: string): ControllerRevision[];
  getDaemonPods(ds: DaemonSet): Promise<Pod[]>;
  getNodesToDaemonPods(ds: DaemonSet, includeDeletedTerminal: boolean): Promise<Map<string, Pod[]>>;
  /** Told of each write to the history (for the trace). */
  onRevision?(op: 'create' | 'renumber' | 'delete' | 'label', revision: ControllerRevision): void;
}

/** The patch that restores the DaemonSet's current pod template (the revision's data). */
// Upstream: update.go (getPatch)
export function getPatch(ds: DaemonSet): { spec: { template: Record<string, unknown> } } {
  return { spec: { template: { ...(deepCopy(ds.spec.template) as unknown as Record<string, unknown>), $patch: 'replace' } } };
}

/** Whether the revision holds the DaemonSet's current template: its data bytes equal getPatch's. */
// Upstream: update.go (Match)
export function match(ds: DaemonSet, history: ControllerRevision): boolean {
  return marshalGoJSON(getPatch(ds)) === revisionDataRaw(history);
}

/** The highest revision number, 0 for none. */
// Upstream: update.go (maxRevision)
export function maxRevision(histories: readonly ControllerRevision[]): number {
  return histories.reduce((m, h) => Math.max(m, h.revision), 0);
}

/** By revision number only, stable (Go: sort.Sort(historiesByRevision), which is not stable: ties keep list order here). */
const byRevision = (hs: ControllerRevision[]) => [...hs].sort((a, b) => a.revision - b.revision);

const revisions = (d: DaemonSetHistoryDeps, ns: string | undefined) => d.client.appsV1().controllerRevisions(ns ?? '');

/**
 * The DaemonSet's revisions after claiming them: orphans its selector matches are adopted, owned
 * ones it no longer matches are released (only within its namespace).
 */
// Upstream: update.go (controlledHistories)
export async function controlledHistories(d: DaemonSetHistoryDeps, ds: DaemonSet): Promise<ControllerRevision[]> {
  const selector = labelSelectorAsSelector(ds.spec.selector);
  const histories = d.listRevisions(ds.metadata.namespace ?? '');
  const canAdopt = recheckDeletionTimestamp(async () => {
    const fresh = (await d.client.appsV1().daemonSets(ds.metadata.namespace).get(ds.metadata.name ?? '')) as unknown as DaemonSet;
    if (fresh.metadata.uid !== ds.metadata.uid) throw new Error(`original DaemonSet ${ds.metadata.namespace}/${ds.metadata.name} is gone: got uid ${fresh.metadata.uid}, wanted ${ds.metadata.uid}`);
    return fresh as unknown as KubeObject;
  });
  const crControl = { patchControllerRevision: async (ns: string, name: string, patch: string) => void (await revisions(d, ns).patch(name, StrategicMergePatchType, JSON.parse(patch))) };
  const cm = new ControllerRevisionControllerRefManager(crControl, ds as unknown as KubeObject, selector, controllerKind, canAdopt);
  const { claimed, err } = await cm.claimControllerRevisions(histories);
  if (err) throw err;
  return claimed;
}

/**
 * The current revision (the one holding the current template, created if missing, renumbered to
 * the top if an older number) and the old ones. Revisions without the hash label get their name
 * as the label; duplicates of the current one are merged into the newest.
 */
// Upstream: update.go (constructHistory)
export async function constructHistory(d: DaemonSetHistoryDeps, ds: DaemonSet): Promise<{ cur: ControllerRevision; old: ControllerRevision[] }> {
  const currentHistories: ControllerRevision[] = [];
  const old: ControllerRevision[] = [];
  for (let history of await controlledHistories(d, ds)) {
    if (history.metadata.labels?.[DefaultDaemonSetUniqueLabelKey] === undefined) {
      // The name, not a fresh hash: a collision-bumped name stays unique.
      const toUpdate = deepCopy(history);
      toUpdate.metadata.labels = { ...(toUpdate.metadata.labels ?? {}), [DefaultDaemonSetUniqueLabelKey]: toUpdate.metadata.name ?? '' };
      history = (await revisions(d, ds.metadata.namespace).update(toUpdate)) as ControllerRevision;
      d.onRevision?.('label', history);
    }
    if (match(ds, history)) currentHistories.push(history);
    else old.push(history);
  }
  const currRevision = maxRevision(old) + 1;
  let cur: ControllerRevision;
  if (currentHistories.length === 0) {
    cur = await snapshot(d, ds, currRevision);
  } else {
    cur = await dedupCurHistories(d, ds, currentHistories);
    if (cur.revision < currRevision) {
      // Rolled back to an older template: it becomes the newest revision again.
      const toUpdate = deepCopy(cur);
      toUpdate.revision = currRevision;
      d.onRevision?.('renumber', (await revisions(d, ds.metadata.namespace).update(toUpdate)) as ControllerRevision);
    }
  }
  return { cur, old };
}

/**
 * Deletes the oldest old revisions beyond revisionHistoryLimit, skipping any whose hash a live pod
 * still carries (a pod of that revision may be rolled back to without a restart).
 */
// Upstream: update.go (cleanupHistory)
export async function cleanupHistory(d: DaemonSetHistoryDeps, ds: DaemonSet, old: ControllerRevision[]): Promise<void> {
  // Deleted terminal pods count too: their revision is still in use.
  const nodesToDaemonPods = await d.getNodesToDaemonPods(ds, true);
  let toKill = old.length - (ds.spec.revisionHistoryLimit ?? 10);
  if (toKill <= 0) return;
  const liveHashes = new Set<string>();
  for (const pods of nodesToDaemonPods.values()) {
    for (const pod of pods) {
      const hash = pod.metadata.labels?.[DefaultDaemonSetUniqueLabelKey];
      if (hash) liveHashes.add(hash);
    }
  }
  for (const history of byRevision(old)) {
    if (toKill <= 0) break;
    if (liveHashes.has(history.metadata.labels?.[DefaultDaemonSetUniqueLabelKey] ?? '')) continue;
    await revisions(d, ds.metadata.namespace).delete(history.metadata.name ?? '');
    d.onRevision?.('delete', history);
    toKill--;
  }
}

/**
 * Several revisions hold the current template (a race, or an upgrade): keep the highest-numbered,
 * relabel the pods of the others with its hash, and delete the others.
 */
// Upstream: update.go (dedupCurHistories)
export async function dedupCurHistories(d: DaemonSetHistoryDeps, ds: DaemonSet, curHistories: ControllerRevision[]): Promise<ControllerRevision> {
  if (curHistories.length === 1) return curHistories[0];
  let keepCur = curHistories[0];
  let maxRev = 0;
  for (const cur of curHistories) {
    if (cur.revision >= maxRev) {
      keepCur = cur;
      maxRev = cur.revision;
    }
  }
  const keepHash = keepCur.metadata.labels?.[DefaultDaemonSetUniqueLabelKey] ?? '';
  for (const pod of await d.getDaemonPods(ds)) {
    if (pod.metadata.labels?.[DefaultDaemonSetUniqueLabelKey] === keepHash) continue;
    await d.client.coreV1().pods(ds.metadata.namespace).patch(pod.metadata.name ?? '', 'application/merge-patch+json', { metadata: { labels: { [DefaultDaemonSetUniqueLabelKey]: keepHash } } });
  }
  for (const cur of curHistories) {
    if (cur.metadata.name === keepCur.metadata.name) continue;
    await revisions(d, ds.metadata.namespace).delete(cur.metadata.name ?? '');
    d.onRevision?.('delete', cur);
  }
  return keepCur;
}

/**
 * Creates the revision of the current template, numbered `revision`. On a name clash with other
 * data the DaemonSet's status.collisionCount goes up (the next sync hashes to a new name) and the
 * AlreadyExists error is returned so the sync retries.
 */
// Upstream: update.go (snapshot)
export async function snapshot(d: DaemonSetHistoryDeps, ds: DaemonSet, revision: number): Promise<ControllerRevision> {
  const patch = getPatch(ds);
  const hash = computeHash(ds.spec.template as unknown as PodTemplateSpec, ds.status?.collisionCount);
  const name = `${ds.metadata.name}-${hash}`;
  const history: ControllerRevision = {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name,
      namespace: ds.metadata.namespace,
      labels: { ...(ds.spec.template.metadata?.labels ?? {}), [DefaultDaemonSetUniqueLabelKey]: hash },
      ...(ds.metadata.annotations ? { annotations: { ...ds.metadata.annotations } } : {}),
      ownerReferences: [newControllerRef(ds as unknown as KubeObject, controllerKind)],
    },
    data: patch,
    revision,
  };
  const client = revisions(d, ds.metadata.namespace);
  try {
    const created = (await client.create(history)) as ControllerRevision;
    d.onRevision?.('create', created);
    return created;
  } catch (outerErr) {
    if (!isAlreadyExists(outerErr)) throw outerErr;
    const existed = (await client.get(name)) as ControllerRevision;
    if (match(ds, existed)) return existed;
    // A different template under the same name: a hash collision.
    const dsClient = d.client.appsV1().daemonSets(ds.metadata.namespace);
    const currDS = (await dsClient.get(ds.metadata.name ?? '')) as unknown as DaemonSet;
    if (currDS.status?.collisionCount !== ds.status?.collisionCount) {
      throw new Error(`found a stale collision count (${ds.status?.collisionCount}, expected ${currDS.status?.collisionCount}) of DaemonSet "${ds.metadata.name}" while processing; will retry until it is updated`);
    }
    currDS.status = { ...(currDS.status ?? {}), collisionCount: (currDS.status?.collisionCount ?? 0) + 1 };
    await dsClient.updateStatus(currDS as unknown as KubeObject);
    throw outerErr;
  }
}
