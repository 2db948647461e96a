/**
 * client-go's feature gates, as the cache models read them. Upstream they are process-wide
 * (`clientgofeaturegate.FeatureGates().Enabled(...)`, set with `KUBE_FEATURE_<name>=true|false`);
 * here each informer (or informer factory) is given its gates as an option, so two simulations in
 * one page can run with different gates.
 * Upstream: client-go features/known_features.go at v0.34.0 (defaultKubernetesFeatureGates).
 */
import { UsageError } from '../core/errors';

/** A gate's maturity (Go: `featuregate.prerelease`). */
export type FeaturePreRelease = 'Alpha' | 'Beta' | 'GA' | 'Deprecated';

/**
 * client-go's gates at v0.34.0 with their defaults (Go: `defaultKubernetesFeatureGates`). Only
 * `InOrderInformers` changes what the models do; the others are listed for the lessons.
 */
export const clientGoFeatureGates = {
  /** Clients may use CBOR (not modelled). */
  ClientsAllowCBOR: { default: false, preRelease: 'Alpha' },
  /** Clients prefer CBOR (not modelled). */
  ClientsPreferCBOR: { default: false, preRelease: 'Alpha' },
  /**
   * Informers deliver watch events in order, one at a time: a shared informer's queue is a
   * RealFIFO; off, a DeltaFIFO (Beta, on by default since v1.33).
   */
  InOrderInformers: { default: true, preRelease: 'Beta' },
  /** `LastSyncResourceVersion` of the informer's controller (not modelled). */
  InformerResourceVersion: { default: false, preRelease: 'Alpha' },
  /** Streaming lists (the Reflector models the LIST + WATCH path only: this gate is off). */
  WatchListClient: { default: false, preRelease: 'Beta' },
} as const satisfies Record<string, { default: boolean; preRelease: FeaturePreRelease }>;

/** The gates a model can be given (those that change what it does). */
export const modelledClientGoFeatures = ['InOrderInformers'] as const;

/**
 * Gates given to an informer or a factory, by upstream name; an absent gate has its default.
 * `{ InOrderInformers: false }` is `KUBE_FEATURE_InOrderInformers=false`.
 */
export interface ClientGoFeatures {
  InOrderInformers?: boolean;
}

/**
 * Whether `name` is on in `features` (its default when absent). Throws a UsageError for a gate
 * that is not a modelled client-go gate or a value that is not a boolean, naming what is modelled.
 */
// Upstream: client-go features/features.go (FeatureGates().Enabled)
export function featureEnabled(features: ClientGoFeatures | undefined, name: (typeof modelledClientGoFeatures)[number]): boolean {
  checkFeatures(features);
  return features?.[name] ?? clientGoFeatureGates[name].default;
}

/** Throws a UsageError for an unknown or unmodelled gate, or a value that is not a boolean. */
export function checkFeatures(features: ClientGoFeatures | undefined): void {
  if (features === undefined) return;
  if (typeof features !== 'object' || features === null) {
    throw new UsageError(`features: expected an object such as { InOrderInformers: false }, got ${String(features)}`);
  }
  for (const [name, value] of Object.entries(features)) {
    if (!(modelledClientGoFeatures as readonly string[]).includes(name)) {
      const known = name in clientGoFeatureGates ? `client-go gate ${name} is not modelled` : `unknown client-go feature gate ${JSON.stringify(name)}`;
      throw new UsageError(`features: ${known} (modelled: ${modelledClientGoFeatures.join(', ')})`);
    }
    if (value !== undefined && typeof value !== 'boolean') {
      throw new UsageError(`features.${name}: expected true or false, got ${JSON.stringify(value)}`);
    }
  }
}

/** The modelled client-go gates among a process's gates (an environment's `features`). */
export function clientGoGatesOf(features: Readonly<Record<string, boolean>>): ClientGoFeatures | undefined {
  const out: ClientGoFeatures = {};
  let any = false;
  for (const name of modelledClientGoFeatures) {
    if (typeof features[name] === 'boolean') {
      out[name] = features[name];
      any = true;
    }
  }
  return any ? out : undefined;
}
