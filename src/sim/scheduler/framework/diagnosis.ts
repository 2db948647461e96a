/**
 * Why a pod did not fit: pkg/scheduler/framework/types.go at v1.34 (`NodeToStatus`, `Diagnosis`,
 * `FitError`, `FitError.Error`) — the text of the FailedScheduling event.
 */
import type { NodeInfoLister, NodeToStatusReader } from './interface';
import { newStatus, Status, type Code } from './status';
import type { NodeInfo } from './types';

/** Go: `NodeToStatus`: explicit statuses, and one status for every node not listed. */
export class NodeToStatus implements NodeToStatusReader {
  readonly nodeToStatus = new Map<string, Status>();
  #absent: Status = newStatus('UnschedulableAndUnresolvable');

  get(nodeName: string): Status {
    return this.nodeToStatus.get(nodeName) ?? this.#absent;
  }
  set(nodeName: string, s: Status): void {
    this.nodeToStatus.set(nodeName, s);
  }
  len(): number {
    return this.nodeToStatus.size;
  }
  absentNodesStatus(): Status {
    return this.#absent;
  }
  setAbsentNodesStatus(s: Status): void {
    this.#absent = s;
  }

  /** Go: `NodesForStatusCode`: absent nodes first when their status has the code, then the explicit ones. */
  nodesForStatusCode(lister: NodeInfoLister, code: Code): NodeInfo[] {
    const out: NodeInfo[] = [];
    if (this.#absent.code === code) {
      const all = lister.list();
      if (this.nodeToStatus.size === 0) return [...all];
      for (const n of all) if (!this.nodeToStatus.has(n.name)) out.push(n);
    }
    for (const [name, s] of this.nodeToStatus) if (s.code === code) out.push(lister.get(name));
    return out;
  }
}

/** Go: `framework.ExtenderName`: stands in UnschedulablePlugins when an extender rejected nodes. */
export const ExtenderName = 'Extender';

/** Go: `Diagnosis`. */
export class Diagnosis {
  nodeToStatus = new NodeToStatus();
  unschedulablePlugins = new Set<string>();
  pendingPlugins = new Set<string>();
  preFilterMsg = '';
  postFilterMsg = '';

  /** Go: `AddPluginStatus`. */
  addPluginStatus(s: Status): void {
    if (!s.plugin) return;
    if (s.code === 'Unschedulable' || s.code === 'UnschedulableAndUnresolvable' || s.code === 'Pending') this.unschedulablePlugins.add(s.plugin);
    if (s.code === 'Pending') this.pendingPlugins.add(s.plugin);
  }
}

/** Go: `NoNodeAvailableMsg`. */
export const NoNodeAvailableMsg = (n: number): string => `0/${n} nodes are available`;

/** Go: `FitError`: the pod fits no node. */
export class FitError extends Error {
  readonly podName: string;
  readonly numAllNodes: number;
  readonly diagnosis: Diagnosis;

  constructor(podName: string, numAllNodes: number, diagnosis: Diagnosis) {
    super('');
    this.name = 'FitError';
    this.podName = podName;
    this.numAllNodes = numAllNodes;
    this.diagnosis = diagnosis;
    Object.defineProperty(this, 'message', { get: () => this.error() });
  }

  /** Go: `FitError.Error`: "0/N nodes are available: <prefilter or sorted filter histogram>. <postfilter>". */
  error(): string {
    let msg = `${NoNodeAvailableMsg(this.numAllNodes)}:`;
    const d = this.diagnosis;
    if (d.preFilterMsg !== '') {
      msg += ` ${d.preFilterMsg}.`;
    } else {
      const reasons = new Map<string, number>();
      for (const s of d.nodeToStatus.nodeToStatus.values()) for (const r of s.allReasons()) reasons.set(r, (reasons.get(r) ?? 0) + 1);
      const explicit = d.nodeToStatus.len();
      if (explicit < this.numAllNodes) {
        for (const r of d.nodeToStatus.absentNodesStatus().allReasons()) reasons.set(r, (reasons.get(r) ?? 0) + this.numAllNodes - explicit);
      }
      // Go sorts the "<count> <reason>" strings bytewise, so "10 x" comes before "2 y".
      const sorted = [...reasons].map(([r, n]) => `${n} ${r}`).sort();
      if (sorted.length) msg += ` ${sorted.join(', ')}.`;
    }
    if (d.postFilterMsg !== '') msg += ` ${d.postFilterMsg}`;
    return msg;
  }
}

/** Go: `ErrNoNodesAvailable`. */
export const ErrNoNodesAvailable = 'no nodes available to schedule pods';
