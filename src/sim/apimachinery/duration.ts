/**
 * apimachinery's human durations, as `kubectl get` ages and kubeadm's TTL and RESIDUAL TIME
 * columns print them.
 */

/** 45s, 12m, 23h, 6d, 2y; `<invalid>` once more than a second in the past. */
// Upstream: k8s.io/apimachinery pkg/util/duration/duration.go (ShortHumanDuration)
export function shortHumanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.trunc(ms / 3_600_000);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${Math.trunc(hours / 24)}d`;
  return `${Math.trunc(ms / 3_600_000 / 24 / 365)}y`;
}
