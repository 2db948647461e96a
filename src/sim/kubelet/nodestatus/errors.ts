/**
 * The texts the kubelet puts in a NotReady node's Ready condition, and Go's ways of printing them:
 * pkg/kubelet/runtime.go (runtimeState.runtimeErrors, networkErrors), pkg/kubelet/pleg/generic.go
 * (Healthy), apimachinery util/errors (aggregate.Error), Go's time.Duration.String.
 */

// Upstream: pkg/kubelet/runtime.go (runtimeState.runtimeErrors)
export const runtimeStatusCheckPending = 'container runtime status check may not have completed yet';
export const runtimeDown = 'container runtime is down';
// Upstream: pkg/kubelet/kubelet.go (updateRuntimeUp, the network condition from the CRI status)
export const networkPluginNotReady = 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized';

/** Go's time.Duration.String for whole milliseconds: `0s`, `500ms`, `3m0s`, `1h2m3.5s`. */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  const neg = ms < 0;
  let rest = Math.abs(Math.round(ms));
  let out: string;
  if (rest < 1000) out = `${rest}ms`;
  else {
    const h = Math.floor(rest / 3_600_000);
    rest -= h * 3_600_000;
    const m = Math.floor(rest / 60_000);
    rest -= m * 60_000;
    const s = (rest / 1000).toString();
    out = h > 0 ? `${h}h${m}m${s}s` : m > 0 ? `${m}m${s}s` : `${s}s`;
  }
  return neg ? `-${out}` : out;
}

/** The PLEG health check's error, as the Ready condition quotes it through the runtime's health checks. */
// Upstream: pkg/kubelet/pleg/generic.go (GenericPLEG.Healthy), runtime.go (runtimeErrors: "%s is not healthy: %v")
export function plegNotHealthy(sinceActiveMs: number, thresholdMs = 3 * 60_000): string {
  return `PLEG is not healthy: pleg was last seen active ${goDuration(sinceActiveMs)} ago; threshold is ${goDuration(thresholdMs)}`;
}

/** utilerrors.NewAggregate(errs).Error(): one message as is, several deduplicated in `[a, b]`; none is ''. */
// Upstream: apimachinery pkg/util/errors/errors.go (aggregate.Error)
export function aggregateError(messages: readonly string[]): string {
  const seen: string[] = [];
  for (const m of messages) if (!seen.includes(m)) seen.push(m);
  if (messages.length === 1) return messages[0];
  if (seen.length === 0) return '';
  return seen.length === 1 ? seen[0] : `[${seen.join(', ')}]`;
}
