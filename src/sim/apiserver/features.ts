/**
 * kube-apiserver's feature gates the model reads, at v1.34 (read from the environment's
 * `features`, as `--feature-gates` sets them; gates of other components are ignored here).
 * Upstream: apiserver pkg/features/kube_features.go (defaultVersionedKubernetesFeatureGates)
 */
import { UsageError } from '../core/errors';
import type { SimEnv } from '../core/env';

/** The gates, their v1.34 defaults, maturity, and whether they are locked to the default. */
export const apiserverFeatureGates = {
  /** Consistent lists (`resourceVersion=""`) are served from the watch cache once it caught up (GA, locked, v1.34). */
  ConsistentListFromCache: { default: true, preRelease: 'GA', locked: true },
  /** Exact-resourceVersion lists and continue pages are served from the watch cache's snapshots (Beta, on, v1.34). */
  ListFromCacheSnapshot: { default: true, preRelease: 'Beta', locked: false },
  /** Streaming lists: `sendInitialEvents` on watches, and watches from `""` / `"0"` default to it (Beta, on, v1.34). */
  WatchList: { default: true, preRelease: 'Beta', locked: false },
  /** An uninitialized watch cache answers 429 instead of blocking (GA, locked, v1.34). */
  ResilientWatchCacheInitialization: { default: true, preRelease: 'GA', locked: true },
  /** generateName conflicts are retried up to 8 times (GA, locked, v1.32). */
  RetryGenerateName: { default: true, preRelease: 'GA', locked: true },
} as const;

export type ApiServerFeature = keyof typeof apiserverFeatureGates;
export type ApiServerGates = Record<ApiServerFeature, boolean>;

/** The gates in force for a server in `env`; throws for a locked gate set away from its default. */
// Upstream: component-base featuregate (featureGate.SetFromMap: "cannot set feature gate %v to %v, feature is locked to %v")
export function apiserverGates(env: Pick<SimEnv, 'features'>): ApiServerGates {
  const out = {} as ApiServerGates;
  for (const [name, spec] of Object.entries(apiserverFeatureGates) as Array<[ApiServerFeature, (typeof apiserverFeatureGates)[ApiServerFeature]]>) {
    const set = env.features?.[name];
    if (set !== undefined && spec.locked && set !== spec.default) throw new UsageError(`cannot set feature gate ${name} to ${set}, feature is locked to ${spec.default}`);
    out[name] = set ?? spec.default;
  }
  return out;
}
