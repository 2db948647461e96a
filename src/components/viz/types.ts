import type { TraceEvent } from '../../sim/index';

/**
 * A model's view: draws the state after the first `cursor` events of `trace`, and nothing
 * else. It keeps no state of its own between calls, so scrubbing back and forth is exact.
 */
export interface ModelView {
  render(trace: readonly TraceEvent[], cursor: number): void;
  /** One line for the timeline caption describing `event` (default: a generic formatter). */
  describe?(event: TraceEvent): string | undefined;
  destroy?(): void;
}

export type ModelViewFactory = (root: HTMLElement) => ModelView;
