/**
 * The preemption algorithm shared by preemption plugins: pkg/scheduler/framework/preemption/
 * preemption.go at v1.34 (Evaluator: Preempt, findCandidates, callExtenders, SelectCandidate,
 * prepareCandidate, prepareCandidateAsync, getLowerPriorityNominatedPods, DryRunPreemption).
 *
 * Upstream dry-runs nodes on 16 goroutines and cancels once enough candidates are found; the
 * model walks the same offset order one node at a time and stops at the same count, so it checks
 * the fewest nodes the parallel run could have. v1.34 (SchedulerAsyncPreemption, beta, on)
 * deletes victims in a goroutine after PostFilter returns; here the deletions are started as
 * promises that PostFilter does not await (see `settled()`).
 */
import type { Pod } from '../../../api/core/v1';
import type { PodDisruptionBudget } from '../../../api/policy/v1';
import { newAggregate } from '../../../apimachinery/field';
import { DefaultSchedulerName } from '../../config/types';
import type { CycleState } from '../cycle_state';
import { Diagnosis, FitError, NodeToStatus } from '../diagnosis';
import type { NodeToStatusReader, PostFilterResult } from '../interface';
import { asError, asStatus, isSuccess, newStatus, type MaybeStatus, type Status } from '../status';
import type { NodeInfo } from '../types';
import { CandidateList, type Candidate, type Victims } from './candidate';
import { copyNodeInfo } from './node_copy';
import { pickOneNodeForPreemption } from './pick_node';
import { podPriority } from './pod_util';
import type { PreemptionHandle, PreemptionInterface, PreemptionReason } from './types';

/** Where preempt leaves the victims it chose, in the cycle state (the model's addition). */
export const PreemptionVictimsKey = 'kubelab/preemptionVictims';

/** Go: `framework.NewPostFilterResultWithNominatedNode`. */
export function newPostFilterResultWithNominatedNode(name: string): PostFilterResult {
  return { nominatingInfo: { nominatedNodeName: name, nominatingMode: 'ModeOverride' } };
}

/** Go: `apierrors.NewNotFound(v1.Resource("pod"), name).Error()`, the pod lister's miss. */
function podNotFound(name: string): Error {
  return new Error(`pod "${name}" not found`);
}

export class Evaluator {
  readonly pluginName: string;
  readonly handle: PreemptionHandle;
  readonly iface: PreemptionInterface;
  readonly enableAsyncPreemption: boolean;
  /** Preemptors whose victims are being deleted in the background (Go: `preempting`). */
  readonly #preempting = new Set<string>();
  /** The background preemptions still running, for tests and hosts that step virtual time. */
  readonly #inFlight = new Set<Promise<void>>();

  constructor(pluginName: string, handle: PreemptionHandle, iface: PreemptionInterface, enableAsyncPreemption: boolean) {
    this.pluginName = pluginName;
    this.handle = handle;
    this.iface = iface;
    this.enableAsyncPreemption = enableAsyncPreemption;
  }

  /** Go: `IsPodRunningPreemption`. */
  isPodRunningPreemption(uid: string | undefined): boolean {
    return uid !== undefined && this.#preempting.has(uid);
  }

  /** Resolves once every deletion started so far has finished. */
  async settled(): Promise<void> {
    while (this.#inFlight.size) await Promise.all([...this.#inFlight]);
  }

  /**
   * [null, Error] for a transient error, [null, Unschedulable] to keep the nomination as is,
   * [result with nominatedNodeName "", Unschedulable] when preemption cannot help, and
   * [result with the node, Success] after starting the victims' deletion.
   * Upstream: preemption.go (Evaluator.Preempt)
   */
  preempt(state: CycleState, podIn: Pod, m: NodeToStatusReader): [PostFilterResult | null, Status] {
    // 0) The informer's latest copy of the preemptor.
    const ns = podIn.metadata.namespace ?? 'default';
    const pod = this.handle.listers().pods().find((p) => (p.metadata.namespace ?? 'default') === ns && p.metadata.name === podIn.metadata.name);
    if (!pod) return [null, asStatus(podNotFound(podIn.metadata.name ?? ''))];

    // 1) Is the preemptor eligible?
    const nominatedNodeStatus = m.get(pod.status?.nominatedNodeName ?? '');
    const [ok, msg] = this.iface.podEligibleToPreemptOthers(pod, nominatedNodeStatus);
    if (!ok) return [null, newStatus('Unschedulable', msg)];

    // 2) Candidates.
    const allNodes = this.handle.snapshotSharedLister().nodeInfos().list();
    let candidates: Candidate[];
    let nodeToStatus: NodeToStatus;
    try {
      const [cs, statuses, err] = this.findCandidates(state, allNodes, pod, m);
      if (err && cs.length === 0) return [null, asStatus(err)];
      candidates = cs;
      nodeToStatus = statuses;
    } catch (e) {
      return [null, asStatus(e)];
    }
    if (candidates.length === 0) {
      const diagnosis = new Diagnosis();
      diagnosis.nodeToStatus = nodeToStatus;
      diagnosis.nodeToStatus.setAbsentNodesStatus(newStatus('UnschedulableAndUnresolvable', 'Preemption is not helpful for scheduling'));
      const fitError = new FitError(pod.metadata.name ?? '', allNodes.length, diagnosis);
      // The empty nomination clears a stale nominatedNodeName.
      return [newPostFilterResultWithNominatedNode(''), newStatus('Unschedulable', fitError.error())];
    }

    // 3) Extenders may drop candidates.
    const [filtered, extStatus] = this.callExtenders(pod, candidates);
    if (!isSuccess(extStatus)) return [null, extStatus!];

    // 4) The best candidate.
    const best = this.selectCandidate(filtered);
    if (!best || best.name === '') return [null, newStatus('Unschedulable', 'no candidate node for preemption')];

    // 5) Delete the victims, clear lower-priority nominations.
    if (this.enableAsyncPreemption) this.prepareCandidateAsync(best, pod);
    else this.prepareCandidate(best, pod);
    // The model also leaves the chosen victims in the cycle state (upstream only logs them), so a cycle
    // record shows them at once, before their deletions run.
    state.write(PreemptionVictimsKey, [...best.victims.pods]);
    return [newPostFilterResultWithNominatedNode(best.name), newStatus('Success')];
  }

  /**
   * The Unschedulable nodes (UnschedulableAndUnresolvable ones cannot be helped by removing
   * pods), dry-run from a random offset. Upstream: preemption.go (findCandidates)
   */
  findCandidates(state: CycleState, allNodes: NodeInfo[], pod: Pod, m: NodeToStatusReader): [Candidate[], NodeToStatus, Error | undefined] {
    if (allNodes.length === 0) throw new Error('no nodes available');
    const potentialNodes = m.nodesForStatusCode(this.handle.snapshotSharedLister().nodeInfos(), 'Unschedulable');
    if (potentialNodes.length === 0) return [[], new NodeToStatus(), undefined];
    const pdbs = this.handle.listers().podDisruptionBudgets();
    const [offset, numCandidates] = this.iface.getOffsetAndNumCandidates(potentialNodes.length);
    return this.dryRunPreemption(state, pod, potentialNodes, pdbs, offset, numCandidates);
  }

  /**
   * Victims on each node from `offset` round, on copies of the node and the state, until
   * `candidatesNum` candidates are found and at least one violates no PDB. Non-violating
   * candidates come first. Upstream: preemption.go (DryRunPreemption)
   */
  dryRunPreemption(
    state: CycleState, pod: Pod, potentialNodes: NodeInfo[], pdbs: PodDisruptionBudget[], offset: number, candidatesNum: number,
  ): [Candidate[], NodeToStatus, Error | undefined] {
    const nonViolating = new CandidateList(candidatesNum);
    const violating = new CandidateList(candidatesNum);
    const nodeStatuses = new NodeToStatus();
    const errs: Error[] = [];
    for (let i = 0; i < potentialNodes.length; i++) {
      const nodeInfoCopy = copyNodeInfo(potentialNodes[(offset + i) % potentialNodes.length]);
      const [pods, numPDBViolations, s] = this.iface.selectVictimsOnNode(state.clone(), pod, nodeInfoCopy, pdbs);
      let status = s;
      if (isSuccess(status) && pods.length !== 0) {
        const c: Candidate = { name: nodeInfoCopy.name, victims: { pods, numPDBViolations } };
        if (numPDBViolations === 0) nonViolating.add(c);
        else violating.add(c);
        if (nonViolating.size() > 0 && nonViolating.size() + violating.size() >= candidatesNum) break;
        continue;
      }
      if (isSuccess(status)) status = asStatus(new Error(`expected at least one victim pod on node "${nodeInfoCopy.name}"`));
      if (status!.code === 'Error') errs.push(asError(status)!);
      nodeStatuses.set(nodeInfoCopy.name, status!);
    }
    return [[...nonViolating.get(), ...violating.get()], nodeStatuses, newAggregate(errs)];
  }

  /**
   * Extenders that support preemption may drop nodes or change victims; candidates are rebuilt
   * from their answer (upstream from a Go map, in random order; here in the map's order).
   * Upstream: preemption.go (callExtenders)
   */
  callExtenders(pod: Pod, candidates: Candidate[]): [Candidate[], MaybeStatus] {
    const extenders = this.handle.preemptionExtenders?.() ?? [];
    if (extenders.length === 0) return [candidates, null];
    let victimsMap: Map<string, Victims | null> = this.iface.candidatesToVictimsMap(candidates);
    if (victimsMap.size === 0) return [candidates, null];
    const lister = this.handle.snapshotSharedLister().nodeInfos();
    for (const ext of extenders) {
      if (!ext.supportsPreemption() || !ext.isInterested(pod)) continue;
      let answer: Map<string, Victims | null>;
      try {
        answer = ext.processPreemption(pod, victimsMap as Map<string, Victims>, lister);
      } catch (e) {
        if (ext.ignorable) continue;
        return [[], asStatus(e)];
      }
      for (const [nodeName, victims] of [...answer]) {
        if (victims && victims.pods.length) continue;
        if (ext.ignorable) {
          answer.delete(nodeName);
          continue;
        }
        return [[], asStatus(new Error(`expected at least one victim pod on node "${nodeName}"`))];
      }
      victimsMap = answer;
      if (victimsMap.size === 0) break;
    }
    return [[...victimsMap].map(([name, victims]) => ({ name, victims: victims! })), null];
  }

  /** Upstream: preemption.go (SelectCandidate) */
  selectCandidate(candidates: Candidate[]): Candidate | null {
    if (candidates.length === 0) return null;
    if (candidates.length === 1) return candidates[0];
    const victimsMap = this.iface.candidatesToVictimsMap(candidates);
    const node = pickOneNodeForPreemption(victimsMap, this.iface.orderedScoreFuncs(victimsMap));
    const victims = victimsMap.get(node);
    if (victims) return { name: node, victims };
    // Not reached for DefaultPreemption; upstream falls back to the first candidate too.
    return candidates[0];
  }

  /** Pods nominated to the node with a lower priority than the preemptor. Upstream: preemption.go (getLowerPriorityNominatedPods) */
  lowerPriorityNominatedPods(pod: Pod, nodeName: string): Pod[] {
    const prio = podPriority(pod);
    return this.handle.nominatedPodsForNode(nodeName).map((pi) => pi.pod).filter((p) => podPriority(p) < prio);
  }

  /**
   * The DisruptionTarget condition and the event the victim's deletion carries.
   * Upstream: preemption.go (NewEvaluator's PreemptPod)
   */
  preemptionReason(preemptor: Pod, nodeName: string): PreemptionReason {
    return {
      message: `Preempted by pod ${preemptor.metadata.uid ?? ''} on node ${nodeName}`,
      reason: 'Preempted',
      condition: {
        type: 'DisruptionTarget',
        status: 'True',
        reason: 'PreemptionByScheduler',
        // The API server defaults schedulerName; a model pod may leave it out.
        message: `${preemptor.spec.schedulerName ?? DefaultSchedulerName}: preempting to accommodate a higher priority pod`,
      },
    };
  }

  /** Go: `Evaluator.PreemptPod`: patch the condition, then delete (both through handle.deletePod). */
  async preemptPod(c: Candidate, preemptor: Pod, victim: Pod): Promise<void> {
    await this.handle.deletePod?.(victim, this.preemptionReason(preemptor, c.name));
  }

  async #clearNominations(pod: Pod, nodeName: string): Promise<Error[]> {
    const errs: Error[] = [];
    for (const p of this.lowerPriorityNominatedPods(pod, nodeName)) {
      if (!p.status?.nominatedNodeName) continue;
      try {
        await this.handle.clearNominatedNodeName?.(p);
      } catch (e) {
        errs.push(e as Error);
      }
    }
    return errs;
  }

  #track(p: Promise<void>): void {
    this.#inFlight.add(p);
    const done = (): void => {
      this.#inFlight.delete(p);
    };
    p.then(done, done);
  }

  /**
   * With SchedulerAsyncPreemption off: every victim not already terminating is deleted, then
   * lower-priority nominations are cleared. Upstream awaits the deletions and fails the cycle
   * with their error; PostFilter is synchronous here, so they run in the background in the same
   * order and a failure only shows in `settled()`. Upstream: preemption.go (prepareCandidate)
   */
  prepareCandidate(c: Candidate, pod: Pod): void {
    const run = async (): Promise<void> => {
      await Promise.all(c.victims.pods.filter((v) => !v.metadata.deletionTimestamp).map((v) => this.preemptPod(c, pod, v)));
      await this.#clearNominations(pod, c.name);
    };
    this.#track(run());
  }

  /**
   * v1.34's asynchronous preparation: victims already terminating get no second delete; the
   * preemptor is marked as preempting (PreEnqueue holds it back), then in the background the
   * lower-priority nominations are cleared, all victims but the last are deleted, the mark is
   * dropped, and the last victim is deleted, so the queue sees that deletion only after the
   * preemptor may move again. A failure re-activates the preemptor.
   * Upstream: preemption.go (prepareCandidateAsync), with kubernetes#133213 as v1.34.0 shipped it
   */
  prepareCandidateAsync(c: Candidate, pod: Pod): void {
    const victims = c.victims.pods.filter((v) => !v.metadata.deletionTimestamp);
    if (victims.length === 0) return;
    const uid = pod.metadata.uid ?? '';
    this.#preempting.add(uid);
    const run = async (): Promise<void> => {
      let failed = (await this.#clearNominations(pod, c.name)).length > 0;
      const results = await Promise.allSettled(victims.slice(0, -1).map((v) => this.preemptPod(c, pod, v)));
      if (results.some((r) => r.status === 'rejected')) failed = true;
      this.#preempting.delete(uid);
      try {
        await this.preemptPod(c, pod, victims[victims.length - 1]);
      } catch {
        failed = true;
      }
      // The pod could otherwise wait in the unschedulable pool for an event that never comes.
      if (failed) this.handle.activate?.([pod]);
    };
    this.#track(run());
  }
}
