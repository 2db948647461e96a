/** client-go's leader election (tools/leaderelection v0.34.0) over a Lease lock. */
export { newLeaderElector, LeaderElector, JitterFactor, newLeaderHealthzAdaptor, type HealthzAdaptor, type LeaderCallbacks, type LeaderElectionConfig } from './leaderelection';
export {
  LeaseLock,
  newResourceLock,
  LeasesResourceLock,
  leaseSpecToLeaderElectionRecord,
  leaderElectionRecordToLeaseSpec,
  rawRecord,
  emptyRecord,
  type LeaderElectionRecord,
  type LeaseLockOptions,
  type ResourceLock,
} from './resourcelock';
export { Context, jitter, jitterUntil, pollUntilContextTimeout, Canceled, DeadlineExceeded, type ElectionClock } from './context';
export { leaderElectionIdentity, newUUID } from './identity';
export { leaderElectionEvents, type LeaderElectionEventMap, type LeaderElectionTraceEvent } from './events';
export { newPartitionableTransport, newSkewedClock, type PartitionMode, type PartitionableTransport } from './testing';
export { runComponentElection, type ComponentElection, type ComponentElectionOptions, type ComponentLeaderElection } from './component';
