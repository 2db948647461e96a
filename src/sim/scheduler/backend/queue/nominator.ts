/**
 * Pods nominated to a node by preemption, counted by the filters of lower-priority pods so that
 * the room preemption freed is not taken by them: pkg/scheduler/backend/queue/nominator.go at
 * v1.34 (`nominator`: `AddNominatedPod`, `DeleteNominatedPodIfExists`, `NominatedPodsForNode`).
 */
import type { Pod } from '../../../api/core/v1';
import type { PodInfo } from '../../framework/types';

const NONE: PodInfo[] = [];

export class Nominator {
  /** Node name -> pods nominated to it, in nomination order. */
  readonly nominatedPods = new Map<string, PodInfo[]>();
  /** Pod UID -> node name. */
  readonly nominatedPodToNode = new Map<string, string>();

  addNominatedPod(pi: PodInfo, nodeName: string): void {
    this.deleteNominatedPodIfExists(pi.pod);
    const uid = pi.pod.metadata.uid ?? '';
    this.nominatedPodToNode.set(uid, nodeName);
    const list = this.nominatedPods.get(nodeName) ?? [];
    list.push(pi);
    this.nominatedPods.set(nodeName, list);
  }

  deleteNominatedPodIfExists(pod: Pod): void {
    const uid = pod.metadata.uid ?? '';
    const node = this.nominatedPodToNode.get(uid);
    if (node === undefined) return;
    const list = (this.nominatedPods.get(node) ?? []).filter((p) => p.pod.metadata.uid !== uid);
    if (list.length) this.nominatedPods.set(node, list);
    else this.nominatedPods.delete(node);
    this.nominatedPodToNode.delete(uid);
  }

  nominatedPodsForNode(nodeName: string): PodInfo[] {
    const list = this.nominatedPods.get(nodeName);
    return list ? [...list] : NONE;
  }
}
