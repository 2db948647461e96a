/**
 * A copy of a NodeInfo that can take pods in and out. NodeInfo.snapshot() builds its copy with
 * Object.create, which skips the constructor, so the copy lacks the class's private members and
 * addPod/removePod throw "Receiver must be an instance of class NodeInfo"; this copies the
 * snapshot's fields onto a constructed NodeInfo instead. (Reported to the framework's owner:
 * once snapshot() constructs its copy, this is just snapshot().)
 * Upstream: pkg/scheduler/framework/types.go (NodeInfo.Snapshot)
 */
import { NodeInfo } from '../types';

export function copyNodeInfo(n: NodeInfo): NodeInfo {
  return Object.assign(new NodeInfo(), n.snapshot());
}
