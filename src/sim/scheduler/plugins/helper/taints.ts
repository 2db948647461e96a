/**
 * Taints and tolerations: k8s.io/api core/v1 toleration.go (`Toleration.ToleratesTaint`),
 * taint.go (`Taint.ToString`) and k8s.io/component-helpers scheduling/corev1/helpers.go
 * (`TolerationsTolerateTaint`, `FindMatchingUntoleratedTaint`) at v0.34.0.
 */
import type { Taint, Toleration } from '../../../api/core/v1';

/** Go: `Toleration.ToleratesTaint`. An empty key with Exists tolerates everything. */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? '') {
    case '':
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

/** Go: `TolerationsTolerateTaint`. */
export function tolerationsTolerateTaint(tolerations: readonly Toleration[] | undefined, taint: Taint): boolean {
  if (!tolerations) return false;
  for (const t of tolerations) if (toleratesTaint(t, taint)) return true;
  return false;
}

/** The first taint that passes `inclusionFilter` and no toleration tolerates (Go: `FindMatchingUntoleratedTaint`). */
export function findMatchingUntoleratedTaint(
  taints: readonly Taint[] | undefined, tolerations: readonly Toleration[] | undefined, inclusionFilter?: (t: Taint) => boolean,
): Taint | undefined {
  if (!taints) return undefined;
  for (const taint of taints) {
    if (inclusionFilter && !inclusionFilter(taint)) continue;
    if (!tolerationsTolerateTaint(tolerations, taint)) return taint;
  }
  return undefined;
}

/** Go: `Taint.ToString`: `key=value:effect`, `key:effect` without a value. */
export function taintToString(t: Taint): string {
  return t.value ? `${t.key}=${t.value}:${t.effect}` : `${t.key}:${t.effect}`;
}

/** Go's `%v` of a v1.Taint as the TaintToleration plugin prints it: `{key: value}`. */
export function taintKeyValue(t: Taint): string {
  return `{${t.key}: ${t.value ?? ''}}`;
}
