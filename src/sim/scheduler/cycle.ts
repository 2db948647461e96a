/**
 * One scheduling cycle on plain lists, with no API server: the contract in DESIGN.md
 * (`runSchedulingCycle({ pod, nodes, pods, profile?, rng? })`). It builds the snapshot the
 * cache would, runs schedulePod and, when the pod fits nowhere, PostFilter (preemption), and
 * returns every plugin's verdict and score per node. Nothing is bound and no victim is deleted:
 * preemption's victims are reported instead.
 */
import type { Namespace, Node, PersistentVolume, PersistentVolumeClaim, Pod } from '../api/core/v1';
import type { PodDisruptionBudget } from '../api/policy/v1';
import type { StorageClass } from '../api/storage/v1';
import { rngFromSeed } from '../core/rng';
import type { KubeObject } from '../core/object';
import { setDefaults } from './config/defaults';
import type { Extender, KubeSchedulerProfile } from './config/types';
import { SchedulerConfigError, validateKubeSchedulerConfiguration } from './config/validation';
import { CycleState } from './framework/cycle_state';
import { FitError } from './framework/diagnosis';
import type { Handle, PluginRegistration, Registry } from './framework/interface';
import { Framework } from './framework/runtime/framework';
import { newCycleRecord, type CycleRecord, type StatusRecord } from './framework/runtime/record';
import { PodInfo } from './framework/types';
import { newSnapshot } from './backend/cache/snapshot';
import { listersOf } from './backend/listers';
import { newInTreeRegistry } from './plugins/registry';
import { schedulePod } from './schedule_one';
import { hostStopwatchFn } from './stopwatch';
import { EventEmitter } from '../core/events';
import { resolveEnv } from '../core/env';
import { cycleEventFields, schedulerEvents } from './events';

export interface SchedulingCycleInput {
  pod: Pod;
  nodes: Node[];
  /** Pods already in the cluster; those with `spec.nodeName` count on their node. */
  pods?: Pod[];
  /** One `KubeSchedulerConfiguration.profiles[]` entry; omitted = upstream's default profile. */
  profile?: KubeSchedulerProfile;
  /** Seed or RNG for selectHost's tie-break and preemption's offset. */
  rng?: { int(n: number): number } | number;
  /** Out-of-tree plugins (a learner's), by name. */
  plugins?: Record<string, PluginRegistration['factory'] | PluginRegistration>;
  extenders?: Extender[];
  percentageOfNodesToScore?: number;
  namespaces?: Namespace[];
  persistentVolumes?: PersistentVolume[];
  persistentVolumeClaims?: PersistentVolumeClaim[];
  storageClasses?: StorageClass[];
  podDisruptionBudgets?: PodDisruptionBudget[];
  /** Services and ReplicaSets, for PodTopologySpread's system default constraints (helper.DefaultSelector). */
  services?: KubeObject[];
  replicaSets?: KubeObject[];
  /** Pods nominated to nodes by an earlier preemption: node name -> pods. */
  nominatedPods?: Record<string, Pod[]>;
  /** Wall-clock ms for plugin timings (display only). */
  stopwatch?: () => number;
  /** Time each plugin with the stopwatch the host lends (the lab's wall clock), into `record.timings`. */
  timings?: boolean;
}

export interface SchedulingCycleResult {
  selectedNode?: string;
  /** Per node, each Filter plugin that ran on it. */
  filter: Record<string, Record<string, StatusRecord>>;
  /** Per node, each Score plugin's score after NormalizeScore, before the weight. */
  score: Record<string, Record<string, number>>;
  /** Per node, the weighted sum (plus extenders). */
  finalScore: Record<string, number>;
  /** FailedScheduling's message when nothing fits. */
  message?: string;
  /** Set by preemption: the node the pod is nominated to, and the pods it would evict. */
  nominatedNodeName?: string;
  victims: string[];
  /** Each Score plugin's weight in this profile. */
  weights: Record<string, number>;
  /** Everything the cycle did, plugin by plugin. */
  record: CycleRecord;
}

/** The in-tree registry plus `extra` (factories or full registrations). */
export function registryWith(extra: SchedulingCycleInput['plugins'] = {}): Registry {
  const r = newInTreeRegistry();
  for (const [name, p] of Object.entries(extra)) r.set(name, typeof p === 'function' ? { factory: p } : { ...p, inTree: false });
  return r;
}

/** Runs one scheduling cycle for `pod`. Throws SchedulerConfigError for an invalid profile. */
/** A pod of a plain list may have no UID (the API server would give it one): it gets `namespace/name`, as the caches key pods by UID. */
function withUid(p: Pod): Pod {
  if (p.metadata.uid) return p;
  return { ...p, metadata: { ...p.metadata, uid: `${p.metadata.namespace ?? 'default'}/${p.metadata.name ?? ''}` } };
}

export function runSchedulingCycle(rawInput: SchedulingCycleInput): SchedulingCycleResult {
  const input = { ...rawInput, pod: withUid(rawInput.pod), pods: rawInput.pods?.map(withUid) };
  const registry = registryWith(input.plugins);
  const cfg = setDefaults({ profiles: [input.profile ?? {}], extenders: input.extenders, percentageOfNodesToScore: input.percentageOfNodesToScore }, registry);
  const errs = validateKubeSchedulerConfiguration(cfg, registry);
  if (errs.length) throw new SchedulerConfigError(errs.map((e) => e.message));
  const rng = typeof input.rng === 'number' || input.rng === undefined ? rngFromSeed(input.rng ?? 1) : input.rng;
  const snapshot = newSnapshot(input.pods ?? [], input.nodes);
  const victims: string[] = [];
  const nominated = new Map(Object.entries(input.nominatedPods ?? {}).map(([n, ps]) => [n, ps.map((p) => new PodInfo(p))]));
  const handle: Handle = {
    snapshotSharedLister: () => snapshot,
    // The informer's pods include the one being scheduled (preemption looks it up there).
    listers: () => ({
      ...listersOf({
        pods: [...(input.pods ?? []), input.pod], nodes: input.nodes, namespaces: input.namespaces, pvs: input.persistentVolumes, pvcs: input.persistentVolumeClaims,
        storageClasses: input.storageClasses, pdbs: input.podDisruptionBudgets,
      }),
      services: (ns: string) => (input.services ?? []).filter((o) => (o.metadata.namespace ?? 'default') === ns),
      replicaSets: (ns: string) => (input.replicaSets ?? []).filter((o) => (o.metadata.namespace ?? 'default') === ns),
    }) as ReturnType<typeof listersOf>,
    nominatedPodsForNode: (n) => nominated.get(n) ?? [],
    rng: () => rng,
    parallelism: () => cfg.parallelism ?? 16,
    deletePod: async (pod) => {
      const key = `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`;
      if (!victims.includes(key)) victims.push(key);
    },
    clearNominatedNodeName: async () => {},
    bindPod: async () => {},
  };
  const profile = cfg.profiles![0];
  const stopwatch = input.stopwatch ?? (input.timings ? hostStopwatchFn() : undefined);
  const fwk = new Framework(profile, { registry, handle, path: 'profiles[0]', stopwatch });
  const pod = input.pod;
  const rec = newCycleRecord(`${pod.metadata.namespace ?? 'default'}/${pod.metadata.name ?? ''}`, fwk.profileName);
  const state = new CycleState();
  const ctx = { snapshot, extenders: cfg.extenders ?? [], percentageOfNodesToScore: cfg.percentageOfNodesToScore ?? 0, nextStartNodeIndex: 0, rng };
  let nominatedNodeName: string | undefined;
  try {
    const r = schedulePod(ctx, fwk, state, pod, rec);
    rec.result = 'Scheduled';
    rec.selectedNode = r.suggestedHost;
  } catch (err) {
    if (err instanceof FitError) {
      if (fwk.hasPostFilterPlugins()) {
        const [result, status] = fwk.runPostFilterPlugins(state, pod, err.diagnosis.nodeToStatus, rec);
        err.diagnosis.postFilterMsg = status.message();
        nominatedNodeName = result?.nominatingInfo?.nominatedNodeName || undefined;
        // The victims preemption chose, now (their deletions run after PostFilter, as upstream's goroutine).
        for (const v of state.tryRead<Pod[]>('kubelab/preemptionVictims') ?? []) {
          const key = `${v.metadata.namespace ?? 'default'}/${v.metadata.name}`;
          if (!victims.includes(key)) victims.push(key);
        }
      }
      rec.result = 'Unschedulable';
    } else {
      rec.result = 'Error';
    }
    rec.message = (err as Error).message;
  }
  const events = new EventEmitter(schedulerEvents, resolveEnv({ rng: undefined }), {});
  if (events.recording) events.emit('scheduler.cycle', cycleEventFields(rec, fwk.scorePluginWeight, snapshot, 200, nominatedNodeName ?? ''));
  const score: Record<string, Record<string, number>> = {};
  for (const [node, byPlugin] of Object.entries(rec.score)) {
    score[node] = {};
    for (const [plugin, s] of Object.entries(byPlugin)) score[node][plugin] = s.normalized;
  }
  return {
    ...(rec.selectedNode ? { selectedNode: rec.selectedNode } : {}),
    filter: rec.filter,
    score,
    finalScore: rec.finalScore,
    ...(rec.message ? { message: rec.message } : {}),
    ...(nominatedNodeName ? { nominatedNodeName } : {}),
    victims,
    weights: Object.fromEntries(fwk.scorePluginWeight),
    record: rec,
  };
}

/** Two profiles on the same pod, nodes and seed: each result, and per node the totals side by side. */
export interface ProfileComparison {
  results: [SchedulingCycleResult, SchedulingCycleResult];
  /** Node -> [total under the first profile, under the second] (null: filtered out or not scored). */
  totals: Record<string, [number | null, number | null]>;
}

/** Runs one cycle per profile, each from the same seed (kube-scheduler-simulator's comparison, in one call). */
export function compareProfiles(input: Omit<SchedulingCycleInput, 'profile' | 'rng'> & { seed?: number }, a: KubeSchedulerProfile, b: KubeSchedulerProfile): ProfileComparison {
  const ra = runSchedulingCycle({ ...input, profile: a, rng: input.seed ?? 1 });
  const rb = runSchedulingCycle({ ...input, profile: b, rng: input.seed ?? 1 });
  const totals: Record<string, [number | null, number | null]> = {};
  for (const n of input.nodes) {
    const name = n.metadata.name ?? '';
    totals[name] = [ra.finalScore[name] ?? null, rb.finalScore[name] ?? null];
  }
  return { results: [ra, rb], totals };
}
