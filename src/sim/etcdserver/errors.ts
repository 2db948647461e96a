/**
 * The server's errors as a client sees them: server/etcdserver/errors/errors.go mapped by
 * v3rpc's togRPCError to api/v3rpc/rpctypes/error.go (gRPC code and text, word for word).
 */
import { EtcdError, type EtcdErrorSpec, type GrpcCode } from '../etcd/errors';

const spec = (code: GrpcCode, message: string): EtcdErrorSpec => Object.freeze({ code, message });

// Upstream: api/v3rpc/rpctypes/error.go (ErrGRPC*); errors without a mapping are codes.Unknown (v3rpc/util.go togRPCError)
export const serverErrors = Object.freeze({
  ErrNoLeader: spec('Unavailable', 'etcdserver: no leader'),
  ErrNotLeader: spec('FailedPrecondition', 'etcdserver: not leader'),
  ErrLeaderChanged: spec('Unavailable', 'etcdserver: leader changed'),
  ErrStopped: spec('Unavailable', 'etcdserver: server stopped'),
  ErrTimeout: spec('Unavailable', 'etcdserver: request timed out'),
  ErrTimeoutDueToLeaderFail: spec('Unavailable', 'etcdserver: request timed out, possibly due to previous leader failure'),
  ErrTimeoutDueToConnectionLost: spec('Unavailable', 'etcdserver: request timed out, possibly due to connection lost'),
  ErrTimeoutLeaderTransfer: spec('Unknown', 'etcdserver: request timed out, leader transfer took too long'),
  ErrBadLeaderTransferee: spec('FailedPrecondition', 'etcdserver: bad leader transferee'),
  ErrNotSupportedForLearner: spec('FailedPrecondition', 'etcdserver: rpc not supported for learner'),
  ErrLearnerNotReady: spec('FailedPrecondition', 'etcdserver: can only promote a learner member which is in sync with leader'),
  ErrMemberNotFound: spec('NotFound', 'etcdserver: member not found'),
  ErrMemberExist: spec('FailedPrecondition', 'etcdserver: member ID already exist'),
  ErrMemberNotLearner: spec('FailedPrecondition', 'etcdserver: can only promote a learner member'),
  // raft.ErrProposalDropped has no mapping: codes.Unknown with raft's text.
  ErrProposalDropped: spec('Unknown', 'raft proposal dropped'),
  // Upstream: client/v3/client.go (ErrNoAvailableEndpoints)
  ErrNoAvailableEndpoints: spec('Unavailable', 'etcdclient: no available endpoints'),
});

export function serverError(s: EtcdErrorSpec): EtcdError {
  return new EtcdError(s);
}
