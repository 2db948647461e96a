/**
 * A copy of a NodeInfo that can take pods in and out without touching the snapshot's.
 * Upstream: pkg/scheduler/framework/types.go (NodeInfo.Snapshot)
 */
import type { NodeInfo } from '../types';

export function copyNodeInfo(n: NodeInfo): NodeInfo {
  return n.snapshot();
}
