/**
 * The InterPodAffinity plugin: required pod affinity and anti-affinity (the incoming pod's and the
 * existing pods'), and scoring by preferred terms and existing pods' hard affinity.
 * Upstream: pkg/scheduler/framework/plugins/interpodaffinity/plugin.go, filtering.go, scoring.go (v1.34)
 */
import type { Node, Pod } from '../../../api/core/v1';
import type { LabelSet } from '../../../apimachinery/labels';
import { nothing } from '../../../apimachinery/labels';
import { toAggregate } from '../../../apimachinery/field';
import type { CycleState } from '../../framework/cycle_state';
import { ActionType, type ClusterEventWithHint, type QueueingHint } from '../../framework/events';
import type { Handle, NodeScore, Plugin, PreFilterExtensions, PreFilterResult, ScoreExtensions, SharedLister } from '../../framework/interface';
import { asStatus, newStatus, type MaybeStatus } from '../../framework/status';
import { PodInfo, type AffinityTerm, type NodeInfo } from '../../framework/types';
import { defaultInterPodAffinityArgs, validateInterPodAffinityArgs, type InterPodAffinityArgs } from './args';
import {
  Name, PreFilterState, filterNode, getExistingAntiAffinityCounts, getIncomingAffinityAntiAffinityCounts, getPreFilterState, preFilterStateKey,
} from './filtering';
import { PreScoreState, ScoreMap, appendScores, getPreScoreState, normalizeScores, preScoreStateKey, processExistingPod, scoreNode } from './scoring';
import { podInfoParseError, podMatchesAllAffinityTerms } from './terms';

export class InterPodAffinity implements Plugin {
  readonly name = Name;
  readonly args: Required<InterPodAffinityArgs>;
  readonly #lister: SharedLister;
  readonly #handle: Handle;

  constructor(args: Required<InterPodAffinityArgs>, handle: Handle) {
    this.args = args;
    this.#handle = handle;
    this.#lister = handle.snapshotSharedLister();
  }

  /**
   * Unrolls a term's namespaceSelector into its namespaces and leaves Nothing behind, so matching
   * the incoming pod's terms needs no namespace lookups; an empty (match-all) selector stays
   * (Go: `mergeAffinityTermNamespacesIfNotEmpty`).
   */
  mergeAffinityTermNamespacesIfNotEmpty(at: AffinityTerm): void {
    if (at.namespaceSelector.empty()) return;
    for (const ns of this.#handle.listers().namespaces()) {
      if (at.namespaceSelector.matches(ns.metadata.labels ?? {})) at.namespaces.add(ns.metadata.name ?? '');
    }
    at.namespaceSelector = nothing();
  }

  /** Go: `GetNamespaceLabelsSnapshot`: undefined for a namespace the lister lacks. */
  namespaceLabels(ns: string): LabelSet | undefined {
    const n = this.#handle.listers().getNamespace(ns);
    return n ? { ...(n.metadata.labels ?? {}) } : undefined;
  }

  preFilter(state: CycleState, pod: Pod, allNodes: NodeInfo[]): [PreFilterResult | null, MaybeStatus] {
    const nodesWithAnti = this.#lister.nodeInfos().havePodsWithRequiredAntiAffinityList();
    const parseErr = podInfoParseError(pod);
    if (parseErr) return [null, newStatus('UnschedulableAndUnresolvable', `parsing pod: ${parseErr}`)];
    const podInfo = new PodInfo(pod);
    for (const t of podInfo.requiredAffinityTerms) this.mergeAffinityTermNamespacesIfNotEmpty(t);
    for (const t of podInfo.requiredAntiAffinityTerms) this.mergeAffinityTermNamespacesIfNotEmpty(t);
    const s = new PreFilterState(podInfo, this.namespaceLabels(pod.metadata.namespace ?? ''));
    s.existingAntiAffinityCounts = getExistingAntiAffinityCounts(pod, s.namespaceLabels, nodesWithAnti);
    [s.affinityCounts, s.antiAffinityCounts] = getIncomingAffinityAntiAffinityCounts(podInfo, allNodes);
    if (s.existingAntiAffinityCounts.size === 0 && podInfo.requiredAffinityTerms.length === 0 && podInfo.requiredAntiAffinityTerms.length === 0) {
      return [null, newStatus('Skip')];
    }
    state.write(preFilterStateKey, s);
    return [null, null];
  }

  preFilterExtensions(): PreFilterExtensions {
    const update = (state: CycleState, pi: PodInfo, nodeInfo: NodeInfo, m: number): MaybeStatus => {
      try {
        const s = getPreFilterState(state);
        if (nodeInfo.node) s.updateWithPod(pi, nodeInfo.node, m);
      } catch (e) {
        return asStatus(e);
      }
      return null;
    };
    return {
      addPod: (state, _podToSchedule, pi, nodeInfo) => update(state, pi, nodeInfo, 1),
      removePod: (state, _podToSchedule, pi, nodeInfo) => update(state, pi, nodeInfo, -1),
    };
  }

  filter(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): MaybeStatus {
    return filterNode(state, nodeInfo);
  }

  preScore(state: CycleState, pod: Pod, _nodes: NodeInfo[]): MaybeStatus {
    const a = pod.spec.affinity;
    const hasConstraints = (a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0
      || (a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0;
    // Optionally, existing pods' preferences count only for a pod that has some of its own.
    if (this.args.ignorePreferredTermsOfExistingPods && !hasConstraints) return newStatus('Skip');
    const lister = this.#lister.nodeInfos();
    // Without preferred terms of its own, only pods with affinity can score the pod.
    const allNodes = hasConstraints ? lister.list() : lister.havePodsWithAffinityList();
    const parseErr = podInfoParseError(pod);
    if (parseErr) return asStatus(new Error(`failed to parse pod: ${parseErr}`));
    const podInfo = new PodInfo(pod);
    for (const t of podInfo.preferredAffinityTerms) this.mergeAffinityTermNamespacesIfNotEmpty(t);
    for (const t of podInfo.preferredAntiAffinityTerms) this.mergeAffinityTermNamespacesIfNotEmpty(t);
    const s = new PreScoreState(podInfo, this.namespaceLabels(pod.metadata.namespace ?? ''));
    let any = false;
    for (const ni of allNodes) {
      if (!ni.node) continue;
      const topoScore = new ScoreMap();
      for (const existing of hasConstraints ? ni.pods : ni.podsWithAffinity) {
        processExistingPod(s, existing, ni.node, pod, this.args.hardPodAffinityWeight, topoScore);
      }
      if (topoScore.size > 0) {
        any = true;
        appendScores(s.topologyScore, topoScore);
      }
    }
    if (!any) return newStatus('Skip');
    state.write(preScoreStateKey, s);
    return null;
  }

  score(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): [number, MaybeStatus] {
    try {
      return [scoreNode(getPreScoreState(state), nodeInfo), null];
    } catch (e) {
      return [0, asStatus(e)];
    }
  }

  scoreExtensions(): ScoreExtensions {
    return {
      normalizeScore: (state: CycleState, _pod: Pod, scores: NodeScore[]) => {
        try {
          normalizeScores(getPreScoreState(state), scores);
        } catch (e) {
          return asStatus(e);
        }
        return null;
      },
    };
  }

  /**
   * Go: `EventsToRegister` with SchedulingQueueHint on (v1.34's default): no UpdateNodeTaint, which
   * only stood in for a NodeAdd the queue's preCheck dropped, gone with QHint (kubernetes#127220).
   */
  eventsToRegister(): ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'Pod', actionType: ActionType.Add | ActionType.UpdatePodLabel | ActionType.Delete },
        queueingHintFn: (pod, oldObj, newObj) => this.isSchedulableAfterPodChange(pod, oldObj as Pod | null, newObj as Pod | null),
      },
      {
        event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel },
        queueingHintFn: (pod, oldObj, newObj) => this.isSchedulableAfterNodeChange(pod, oldObj as Node | null, newObj as Node),
      },
    ];
  }

  /** Go: `isSchedulableAfterPodChange`: all affinity terms must match one pod, as Filter requires. */
  isSchedulableAfterPodChange(pod: Pod, originalPod: Pod | null | undefined, modifiedPod: Pod | null | undefined): QueueingHint {
    if ((modifiedPod && !modifiedPod.spec.nodeName) || (originalPod && !originalPod.spec.nodeName)) return 'QueueSkip';
    let pi: PodInfo;
    try {
      if (podInfoParseError(pod)) return 'Queue';
      pi = new PodInfo(pod);
    } catch {
      return 'Queue';
    }
    const terms = pi.requiredAffinityTerms;
    const antiTerms = pi.requiredAntiAffinityTerms;
    if (modifiedPod && originalPod) {
      if (!podMatchesAllAffinityTerms(terms, originalPod) && podMatchesAllAffinityTerms(terms, modifiedPod)) return 'Queue';
      if (podMatchesAllAffinityTerms(antiTerms, originalPod) && !podMatchesAllAffinityTerms(antiTerms, modifiedPod)) return 'Queue';
      return 'QueueSkip';
    }
    if (modifiedPod) return podMatchesAllAffinityTerms(terms, modifiedPod) ? 'Queue' : 'QueueSkip';
    return originalPod && podMatchesAllAffinityTerms(antiTerms, originalPod) ? 'Queue' : 'QueueSkip';
  }

  /**
   * Go: `isSchedulableAfterNodeChange` (fine-grained since kubernetes#127470). Affinity: a new node
   * with a term's key, a node that gains the key, or one whose value changes. Anti-affinity: any new
   * node (a node without the key always takes the pod), a node that loses the key, or a changed value.
   */
  isSchedulableAfterNodeChange(pod: Pod, originalNode: Node | null | undefined, modifiedNode: Node): QueueingHint {
    if (podInfoParseError(pod)) return 'Queue';
    const pi = new PodInfo(pod);
    const mod = modifiedNode.metadata.labels ?? {};
    const orig = originalNode ? originalNode.metadata.labels ?? {} : null;
    const has = (ls: Record<string, string>, k: string) => Object.hasOwn(ls, k);
    for (const t of pi.requiredAffinityTerms) {
      const k = t.topologyKey;
      if (!orig) {
        if (has(mod, k)) return 'Queue';
        continue;
      }
      if (!has(orig, k) && has(mod, k)) return 'Queue';
      if (has(orig, k) && has(mod, k) && orig[k] !== mod[k]) return 'Queue';
    }
    for (const t of pi.requiredAntiAffinityTerms) {
      const k = t.topologyKey;
      if (!orig) return 'Queue';
      if (has(orig, k) && !has(mod, k)) return 'Queue';
      if (has(orig, k) && has(mod, k) && orig[k] !== mod[k]) return 'Queue';
    }
    return 'QueueSkip';
  }
}

/** Go: `New`: validates the (defaulted) args; throws the aggregated field errors. */
export function newInterPodAffinity(args: unknown, handle: Handle): InterPodAffinity {
  const a = defaultInterPodAffinityArgs((args ?? {}) as InterPodAffinityArgs);
  const agg = toAggregate(validateInterPodAffinityArgs(null, a));
  if (agg) throw agg;
  return new InterPodAffinity(a, handle);
}
