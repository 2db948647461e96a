/**
 * Endpoints versions the controller has already replaced: pkg/controller/endpoint/endpoints_tracker.go
 * (kubernetes v1.34). Seeing such a version in the informer means the cache lags the controller's
 * own update, so the sync fails and retries instead of writing from stale data.
 */
import type { Endpoints } from '../../api/core/v1';

const nn = (e: Endpoints) => `${e.metadata.namespace ?? ''}/${e.metadata.name ?? ''}`;

// Upstream: pkg/controller/endpoint/endpoints_tracker.go (staleEndpointsTracker)
export class StaleEndpointsTracker {
  readonly staleResourceVersionByEndpoints = new Map<string, string>();

  stale(e: Endpoints): void {
    this.staleResourceVersionByEndpoints.set(nn(e), e.metadata.resourceVersion ?? '');
  }

  isStale(e: Endpoints): boolean {
    const rv = this.staleResourceVersionByEndpoints.get(nn(e));
    return rv !== undefined && rv === (e.metadata.resourceVersion ?? '');
  }

  delete(namespace: string, name: string): void {
    this.staleResourceVersionByEndpoints.delete(`${namespace}/${name}`);
  }
}
