/**
 * The node's image store (containerd's CRI image service): images pulled from the catalog, known
 * by id, by the tags pulled and by repo digest. A pull takes the registry's resolve time plus the
 * layers' size over the node's bandwidth; concurrent pulls of one reference share one download.
 */
import type { FakeClock } from '../../core/clock';
import type { EventEmitter } from '../../core/events';
import type { Image } from './api';
import type { ContainerRuntimeEventMap } from './events';
import { findImage, normalizeImageRef, pullError, type ImageSpec } from './images';

/** Resolving a reference at the registry (ms), before any layer is fetched. */
export const PULL_RESOLVE_MS = 200;
/** The node's download bandwidth for layers: 25 MB/s (~200 Mbit/s). */
export const DEFAULT_PULL_BANDWIDTH_BYTES_PER_SEC = 25_000_000;

export class ImageStore {
  readonly #specs = new Map<string, ImageSpec>(); // image id -> spec
  readonly #tags = new Map<string, string[]>(); // image id -> references pulled, in order
  readonly #pulls = new Map<string, Promise<string>>();

  constructor(
    readonly clock: FakeClock,
    readonly catalog: readonly ImageSpec[],
    readonly bandwidthBytesPerSec: number,
    readonly events: EventEmitter<ContainerRuntimeEventMap, { node: string }>,
    preloaded: readonly string[],
  ) {
    for (const ref of preloaded) {
      const parsed = normalizeImageRef(ref);
      const spec = parsed.ok ? findImage(catalog, parsed.ref) : undefined;
      if (spec && parsed.ok) this.#add(spec, parsed.ref);
    }
  }

  /** The local image a reference or id names: by id, or by a tag / digest that was pulled. */
  get(image: string): ImageSpec | undefined {
    const byId = this.#specs.get(image) ?? this.#specs.get(`sha256:${image}`);
    if (byId) return byId;
    const parsed = normalizeImageRef(image);
    if (!parsed.ok) return undefined;
    const spec = findImage(this.catalog, parsed.ref);
    if (!spec || !this.#specs.has(spec.id)) return undefined;
    return parsed.digest || this.#tags.get(spec.id)?.includes(parsed.ref) ? spec : undefined;
  }

  has(id: string): boolean {
    return this.#specs.has(id);
  }

  /** The first tag pulled for an image id (what ContainerStatus shows as the image). */
  firstTag(id: string): string | undefined {
    return this.#tags.get(id)?.[0];
  }

  toImage(spec: ImageSpec): Image {
    return { id: spec.id, repoTags: [...(this.#tags.get(spec.id) ?? [])], repoDigests: [spec.repoDigest], size: spec.sizeBytes };
  }

  list(filter?: { image?: string }): Image[] {
    const want = filter?.image ? this.get(filter.image) : undefined;
    return [...this.#specs.values()].filter((i) => !filter?.image || i === want).map((i) => this.toImage(i));
  }

  // Upstream: containerd internal/cri/server/images/image_pull.go (PullImage)
  pull(image: string): Promise<string> {
    const parsed = normalizeImageRef(image);
    const key = parsed.ok ? parsed.ref : image;
    const inflight = this.#pulls.get(key);
    if (inflight) return inflight;
    const started = this.clock.now();
    this.events.emit('cri.pullStart', { image: key });
    const pull = (async () => {
      await this.clock.sleep(PULL_RESOLVE_MS);
      const err = pullError(this.catalog, image);
      if (err || !parsed.ok) {
        const desc = err?.desc ?? 'invalid reference format';
        this.events.emit('cri.pullEnd', { image: key, ref: '', ms: this.clock.now() - started, error: desc });
        throw err;
      }
      const spec = findImage(this.catalog, parsed.ref)!;
      if (!this.#specs.has(spec.id)) await this.clock.sleep(Math.ceil((spec.sizeBytes * 1000) / this.bandwidthBytesPerSec));
      this.#add(spec, parsed.ref);
      this.events.emit('cri.pullEnd', { image: key, ref: spec.id, ms: this.clock.now() - started, error: '' });
      return spec.id;
    })();
    this.#pulls.set(key, pull);
    const forget = () => this.#pulls.delete(key);
    pull.then(forget, forget);
    return pull;
  }

  // Upstream: containerd internal/cri/server/images/image_remove.go (RemoveImage: a missing image is not an error)
  remove(image: string): void {
    const spec = this.get(image);
    if (!spec) return;
    this.#specs.delete(spec.id);
    this.#tags.delete(spec.id);
  }

  #add(spec: ImageSpec, ref: string): void {
    this.#specs.set(spec.id, spec);
    const tags = this.#tags.get(spec.id) ?? [];
    if (!ref.includes('@') && !tags.includes(ref)) tags.push(ref);
    this.#tags.set(spec.id, tags);
  }
}
