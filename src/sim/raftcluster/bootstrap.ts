/**
 * A new cluster's first boot, as etcd's StartNode does it: the log starts with one committed
 * ConfChangeAddNode entry per initial member (term 1), so a member that joins later learns the
 * initial voters by replaying the log.
 */
import { None } from '../raft/util';
import { marshalConfChange, type Entry } from '../raft/raftpb';
import type { RawNode } from '../raft/rawnode';

// Upstream: etcd-io/raft bootstrap.go (RawNode.Bootstrap), node.go (StartNode)
export function bootstrap(rn: RawNode, peers: readonly number[]): void {
  const r = rn.raft;
  if (r.raftLog.lastIndex() !== 0) throw new Error("can't bootstrap a nonempty Storage");
  // Nothing is persisted yet: the first Ready carries the HardState.
  rn.prevHardSt = { term: 0, vote: 0, commit: 0 };
  r.becomeFollower(1, None);
  const ents: Entry[] = peers.map((id, i) => ({ type: 'EntryConfChange', term: 1, index: i + 1, data: marshalConfChange({ type: 'ConfChangeAddNode', nodeId: id }) }));
  r.raftLog.append(...ents);
  // Applied here so the node can campaign at once; the Ready loop applies them again (raftLog.applied stays 0).
  r.raftLog.committed = ents.length;
  for (const id of peers) r.applyConfChange({ type: 'ConfChangeAddNode', nodeId: id });
}
