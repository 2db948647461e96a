import type { TraceEvent } from '../../sim/index';

/**
 * A model's view: draws the state after the first `cursor` events of `trace`, and nothing
 * else. It keeps no state of its own between calls, so scrubbing back and forth is exact.
 */
export interface ModelView {
  render(trace: readonly TraceEvent[], cursor: number): void;
  /** One line for the timeline caption describing `event` (default: a generic formatter). */
  describe?(event: TraceEvent): string | undefined;
  /** The upstream function that `event` models, linked under the caption (optional). */
  source?(event: TraceEvent): SourceLink | undefined;
  destroy?(): void;
}

export type ModelViewFactory = (root: HTMLElement) => ModelView;

/** A link to upstream source at a pinned tag: `label` is shown, `title` says it in full. */
export interface SourceLink {
  label: string;
  href: string;
  title: string;
}
