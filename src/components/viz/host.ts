/**
 * Hosts a model view over a run's trace with the shared timeline. The view is redrawn from
 * (trace, cursor) once per animation frame at most, however fast the cursor moves.
 */
import type { TraceEvent } from '../../sim/index';
import { formatEvent } from './format';
import { modelViews } from './registry';
import { createTimeline, type Timeline } from './timeline';
import type { ModelView } from './types';

export interface VizHost {
  /** Shows a new trace; the cursor jumps to the end (the state after the run). */
  setTrace(events: readonly TraceEvent[]): void;
  readonly timeline: Timeline;
  destroy(): void;
}

export async function createVizHost(
  panel: HTMLElement,
  model: string,
  parts: { stage: HTMLElement; timeline: HTMLElement; caption: HTMLElement },
): Promise<VizHost> {
  const load = modelViews[model];
  let view: ModelView | undefined;
  if (load) {
    const factory = await load();
    view = factory(parts.stage);
  }
  let trace: readonly TraceEvent[] = [];
  let frame = 0;
  let pending = -1;

  const draw = () => {
    frame = 0;
    const cursor = pending;
    if (cursor < 0) return;
    view?.render(trace, cursor);
    parts.caption.textContent =
      cursor === 0
        ? trace.length
          ? 'Before the first event.'
          : ''
        : (view?.describe?.(trace[cursor - 1]) ?? formatEvent(trace[cursor - 1])).replace(/\s+/g, ' ');
  };

  const timeline = createTimeline(parts.timeline, {
    label: `${model} timeline`,
    onCursor(cursor) {
      pending = cursor;
      if (!frame) frame = requestAnimationFrame(draw);
    },
  });

  panel.dataset.state = 'ready';
  return {
    timeline,
    setTrace(events) {
      trace = events;
      panel.dataset.state = events.length ? 'trace' : 'empty';
      timeline.setTrace(events.map((e) => e.t));
    },
    destroy() {
      if (frame) cancelAnimationFrame(frame);
      timeline.destroy();
      view?.destroy?.();
    },
  };
}
