import type { SourceLink, TraceEvent } from '../../sim/index';

export type { SourceLink };

/**
 * A model's view: draws the state after the first `cursor` events of `trace`, and nothing
 * else. What it keeps between calls (a checkpointed replayer of the trace it was last given) is a
 * cache of that function, so scrubbing back and forth is exact and fast.
 */
export interface ModelView {
  render(trace: readonly TraceEvent[], cursor: number): void;
  /**
   * Replays `trace` up to `cursor` without drawing (building the checkpoints a later render at or
   * after it starts from), so the host can spread the first replay of a long trace over frames.
   */
  prepare?(trace: readonly TraceEvent[], cursor: number): void;
  /** One line for the timeline caption describing `event` (default: a generic formatter). */
  describe?(event: TraceEvent): string | undefined;
  /** The upstream function that `event` models, linked under the caption (default: the event's catalog). */
  source?(event: TraceEvent): SourceLink | undefined;
  destroy?(): void;
}

/** What a view may know about the workbench around it. */
export interface ViewContext {
  /**
   * The id of the element holding another view of this workbench (e.g. `workqueue`), so a view
   * can link to it instead of drawing the same state twice; undefined when that view is not shown.
   */
  viewAnchor(name: string): string | undefined;
  /**
   * Runs `line` in the lab's terminal as if typed (echoed there), e.g. `cluster crash 3` from a
   * member's popover; undefined when the page has nothing to run it on (no lab session).
   */
  command?(line: string): void;
}

export type ModelViewFactory = (root: HTMLElement, context?: ViewContext) => ModelView;
