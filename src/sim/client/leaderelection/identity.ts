/**
 * A candidate's identity as kube-controller-manager and kube-scheduler make it: the hostname, `_`,
 * and a random UUID, "so that two processes on the same host don't accidentally both become
 * active" (a restarted process is a new candidate).
 */
import type { Rng } from '../../core/rng';

/** A version 4 UUID drawn from `rng` (Go: uuid.NewUUID in k8s.io/apimachinery/pkg/util/uuid). */
export function newUUID(rng: Rng): string {
  const hex = (n: number) => rng.uint32().toString(16).padStart(8, '0').slice(0, n);
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${(8 + rng.int(4)).toString(16)}${hex(3)}-${hex(8)}${hex(4)}`;
}

// Upstream: cmd/kube-controller-manager/app/controllermanager.go (Run: id = hostname + "_" + uuid),
// cmd/kube-scheduler/app/options/options.go (makeLeaderElectionConfig)
export function leaderElectionIdentity(hostname: string, rng: Rng): string {
  return `${hostname}_${newUUID(rng)}`;
}
