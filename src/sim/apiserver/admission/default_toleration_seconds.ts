/**
 * The DefaultTolerationSeconds admission plugin: every pod that does not already tolerate the
 * NoExecute taints node.kubernetes.io/not-ready and node.kubernetes.io/unreachable gets a
 * toleration of each for 300 s (`--default-not-ready-toleration-seconds`,
 * `--default-unreachable-toleration-seconds`), so its pods leave a dead node five minutes after
 * the node lifecycle controller taints it, rather than at once.
 * Upstream: kubernetes plugin/pkg/admission/defaulttolerationseconds/admission.go (Plugin.Admit)
 */
import type { KubeObject } from '../../core/object';

export const defaultNotReadyTolerationSeconds = 300;
export const defaultUnreachableTolerationSeconds = 300;

const TaintNodeNotReady = 'node.kubernetes.io/not-ready';
const TaintNodeUnreachable = 'node.kubernetes.io/unreachable';

interface TolerationLike {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/** Whether `t` covers the NoExecute taint `key`: the same key or an empty one, NoExecute or any effect. */
const covers = (t: TolerationLike, key: string) => (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect);

/** Adds the missing not-ready / unreachable tolerations to a pod being created (in place). */
// Upstream: defaulttolerationseconds/admission.go (Plugin.Admit)
export function admitDefaultTolerationSeconds(pod: KubeObject, opts: { notReadySeconds?: number; unreachableSeconds?: number } = {}): void {
  const spec = (pod.spec ?? {}) as { tolerations?: TolerationLike[] };
  const tolerations = Array.isArray(spec.tolerations) ? spec.tolerations : [];
  const toleratesNotReady = tolerations.some((t) => covers(t, TaintNodeNotReady));
  const toleratesUnreachable = tolerations.some((t) => covers(t, TaintNodeUnreachable));
  if (!toleratesNotReady) tolerations.push({ key: TaintNodeNotReady, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: opts.notReadySeconds ?? defaultNotReadyTolerationSeconds });
  if (!toleratesUnreachable) tolerations.push({ key: TaintNodeUnreachable, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: opts.unreachableSeconds ?? defaultUnreachableTolerationSeconds });
  spec.tolerations = tolerations;
  pod.spec = spec;
}
