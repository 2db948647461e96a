/**
 * What the controller expects its informer to show: k8s.io/endpointslice
 * util/endpointslice_tracker.go at v0.34.0. After each write the controller records the slice's
 * generation (or that it expects the slice gone); an informer event that only echoes its own write
 * then triggers no sync, and a sync whose cache is older than its writes stops with a stale-cache
 * error and retries.
 */
import type { Service } from '../../api/core/v1';
import { LabelServiceName, type EndpointSlice } from '../../api/discovery/v1';

/** The generation recorded for a slice the controller deleted. */
const deletionExpected = -1;

/** Slice UID -> expected generation (or deletionExpected). */
export type GenerationsBySlice = Map<string, number>;

const serviceNN = (s: EndpointSlice) => `${s.metadata.namespace ?? ''}/${s.metadata.labels?.[LabelServiceName] ?? ''}`;
const uidOf = (s: EndpointSlice) => s.metadata.uid ?? '';
const generationOf = (s: EndpointSlice) => s.metadata.generation ?? 0;

// Upstream: endpointslice util/endpointslice_tracker.go (EndpointSliceTracker)
export class EndpointSliceTracker {
  /** `namespace/service` -> the generations expected of its slices. */
  readonly generationsByService = new Map<string, GenerationsBySlice>();

  /** Whether the slice is tracked at all. */
  has(slice: EndpointSlice): boolean {
    return this.generationsForSlice(slice)?.has(uidOf(slice)) ?? false;
  }

  /** False when the slice is our own write echoed (its generation is not newer than the one recorded). */
  shouldSync(slice: EndpointSlice): boolean {
    const gfs = this.generationsForSlice(slice);
    if (!gfs) return true;
    const g = gfs.get(uidOf(slice));
    return g === undefined || generationOf(slice) > g;
  }

  /**
   * Whether the listed slices are older than what the controller wrote: one expected deleted or at a
   * newer generation, or one the controller wrote missing from the list.
   */
  staleSlices(service: Service, slices: EndpointSlice[]): boolean {
    const gfs = this.generationsByService.get(`${service.metadata.namespace ?? ''}/${service.metadata.name ?? ''}`);
    if (!gfs) return false;
    const provided = new Set<string>();
    for (const s of slices) {
      provided.add(uidOf(s));
      const g = gfs.get(uidOf(s));
      if (g !== undefined && (g === deletionExpected || g > generationOf(s))) return true;
    }
    for (const [uid, g] of gfs) if (g !== deletionExpected && !provided.has(uid)) return true;
    return false;
  }

  /** Records the generation of a slice the controller just created or updated. */
  update(slice: EndpointSlice): void {
    this.#gfsFor(slice).set(uidOf(slice), generationOf(slice));
  }

  deleteService(namespace: string, name: string): void {
    this.generationsByService.delete(`${namespace}/${name}`);
  }

  /** Records that the controller deleted the slice. */
  expectDeletion(slice: EndpointSlice): void {
    this.#gfsFor(slice).set(uidOf(slice), deletionExpected);
  }

  /** Forgets the slice; false if its deletion was not the controller's doing (so the Service needs a sync). */
  handleDeletion(slice: EndpointSlice): boolean {
    const gfs = this.generationsForSlice(slice);
    if (gfs) {
      const g = gfs.get(uidOf(slice));
      gfs.delete(uidOf(slice));
      if (g !== undefined && g !== deletionExpected) return false;
    }
    return true;
  }

  generationsForSlice(slice: EndpointSlice): GenerationsBySlice | undefined {
    return this.generationsByService.get(serviceNN(slice));
  }

  #gfsFor(slice: EndpointSlice): GenerationsBySlice {
    let gfs = this.generationsForSlice(slice);
    if (!gfs) this.generationsByService.set(serviceNN(slice), (gfs = new Map()));
    return gfs;
  }
}
