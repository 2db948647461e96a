/**
 * Upstream: pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go (NodeAffinity.PreFilter,
 * Filter, PreScore, Score, NormalizeScore, EventsToRegister, isSchedulableAfterNodeChange, New) at v1.34.
 * Filter: the profile's added affinity (if any), then the pod's nodeSelector and required node
 * affinity; parse errors in the pod's terms count as no match. PreFilter narrows the nodes to the
 * names of `matchFields metadata.name In` terms. Score: the weights of the matching preferred terms
 * (the pod's and the added ones), normalized to [0, 100]. Modelled with SchedulerQueueingHints on (GA and locked on in v1.34).
 */
import { Aggregate } from '../../../apimachinery/field';
import type { Node, Pod } from '../../../api/core/v1';
import type { CycleState } from '../../framework/cycle_state';
import { ActionType, type ClusterEventWithHint, type QueueingHint } from '../../framework/events';
import { MaxNodeScore, type Handle, type NodeScore, type Plugin, type PreFilterResult, type ScoreExtensions } from '../../framework/interface';
import { asStatus, newStatus, type MaybeStatus } from '../../framework/status';
import type { NodeInfo } from '../../framework/types';
import { defaultNormalizeScore, getRequiredNodeAffinity, newNodeSelector, PreferredSchedulingTerms, type NodeSelectorMatcher, type RequiredNodeAffinity } from '../helper';
import { validateNodeAffinityArgs, type NodeAffinityArgs } from './args';

export const Name = 'NodeAffinity';
export const ErrReasonPod = "node(s) didn't match Pod's node affinity/selector";
export const errReasonEnforced = "node(s) didn't match scheduler-enforced node affinity";
export const errReasonConflict = 'pod affinity terms conflict';
const preFilterStateKey = 'PreFilter' + Name;
const preScoreStateKey = 'PreScore' + Name;

export class NodeAffinity implements Plugin, ScoreExtensions {
  readonly name = Name;
  readonly addedNodeSelector: NodeSelectorMatcher | null;
  readonly addedPrefSchedTerms: PreferredSchedulingTerms | null;

  constructor(args: NodeAffinityArgs) {
    const added = args.addedAffinity;
    const req = added?.requiredDuringSchedulingIgnoredDuringExecution;
    this.addedNodeSelector = req ? newNodeSelector(req) : null;
    const pref = added?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
    this.addedPrefSchedTerms = pref.length ? new PreferredSchedulingTerms(pref) : null;
  }

  preFilter(state: CycleState, pod: Pod): [PreFilterResult | null, MaybeStatus] {
    const required = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (!required && !this.addedNodeSelector && pod.spec.nodeSelector === undefined) return [null, newStatus('Skip')];
    state.write(preFilterStateKey, getRequiredNodeAffinity(pod));
    const terms = required?.nodeSelectorTerms ?? [];
    if (terms.length === 0) return [null, null];
    // Terms are ORed: a term without a metadata.name In requirement leaves every node eligible.
    let nodeNames = null as Set<string> | null;
    for (const t of terms) {
      let termNames = null as Set<string> | null;
      for (const r of t.matchFields ?? []) {
        if (r.key !== 'metadata.name' || r.operator !== 'In') continue;
        const s = new Set<string>(r.values ?? []);
        termNames = termNames ? intersect(termNames, s) : s;
      }
      if (!termNames) return [null, null];
      nodeNames = new Set([...(nodeNames ?? new Set<string>()), ...termNames]);
    }
    if (nodeNames && nodeNames.size === 0) return [null, newStatus('UnschedulableAndUnresolvable', errReasonConflict)];
    return nodeNames && nodeNames.size > 0 ? [{ nodeNames }, null] : [null, null];
  }

  preFilterExtensions(): null {
    return null;
  }

  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): MaybeStatus {
    const node = nodeInfo.node as Node;
    if (this.addedNodeSelector && !this.addedNodeSelector.match(node)) return newStatus('UnschedulableAndUnresolvable', errReasonEnforced);
    // Without PreFilter (disabled), compute it here; parse errors are ignored for backwards compatibility.
    const required = state.tryRead<RequiredNodeAffinity>(preFilterStateKey) ?? getRequiredNodeAffinity(pod);
    if (!required.match(node)[0]) return newStatus('UnschedulableAndUnresolvable', ErrReasonPod);
    return null;
  }

  preScore(state: CycleState, pod: Pod): MaybeStatus {
    let preferred: PreferredSchedulingTerms | null;
    try {
      preferred = podPreferredNodeAffinity(pod);
    } catch (e) {
      return asStatus(e);
    }
    if (!preferred && !this.addedPrefSchedTerms) return newStatus('Skip');
    state.write(preScoreStateKey, { preferred });
    return null;
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): [number, MaybeStatus] {
    const node = nodeInfo.node as Node;
    let count = this.addedPrefSchedTerms ? this.addedPrefSchedTerms.score(node) : 0;
    let s = state.tryRead<{ preferred: PreferredSchedulingTerms | null }>(preScoreStateKey);
    if (!s) {
      try {
        s = { preferred: podPreferredNodeAffinity(pod) };
      } catch (e) {
        return [0, asStatus(e)];
      }
    }
    if (s.preferred) count += s.preferred.score(node);
    return [count, null];
  }

  scoreExtensions(): ScoreExtensions {
    return this;
  }

  normalizeScore(_state: CycleState, _pod: Pod, scores: NodeScore[]): MaybeStatus {
    return defaultNormalizeScore(MaxNodeScore, false, scores);
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [{ event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel }, queueingHintFn: (p, o, n) => this.isSchedulableAfterNodeChange(p, o, n) }];
  }

  /** Queue for an added node that matches, or an update that turned a mismatch into a match. */
  isSchedulableAfterNodeChange(pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint {
    if (!isNode(newObj) || (oldObj != null && !isNode(oldObj))) return 'Queue';
    if (this.addedNodeSelector && !this.addedNodeSelector.match(newObj)) return 'QueueSkip';
    const required = getRequiredNodeAffinity(pod);
    const [isMatched, err] = required.match(newObj);
    if (err) return 'Queue';
    if (!isMatched) return 'QueueSkip';
    if (oldObj == null) return 'Queue';
    const [wasMatched, oldErr] = required.match(oldObj as Node);
    if (oldErr) return 'Queue';
    return wasMatched ? 'QueueSkip' : 'Queue';
  }
}

/** Go: `getPodPreferredNodeAffinity`: null when the pod has no preferred terms; throws parse errors. */
function podPreferredNodeAffinity(pod: Pod): PreferredSchedulingTerms | null {
  const terms = pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
  return terms ? new PreferredSchedulingTerms(terms) : null;
}

function intersect(a: Set<string>, b: Set<string>): Set<string> {
  return new Set([...a].filter((n) => b.has(n)));
}

function isNode(o: unknown): o is Node {
  return typeof o === 'object' && o !== null && 'metadata' in o;
}

/** Go: `New`: the args are validated first (errors name their `addedAffinity.…` path). */
export function newNodeAffinity(args: unknown, _handle?: Handle): Plugin {
  const a = (args ?? {}) as NodeAffinityArgs;
  const errs = validateNodeAffinityArgs(null, a);
  if (errs.length) throw new Aggregate(errs);
  return new NodeAffinity(a);
}
