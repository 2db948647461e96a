/**
 * Hosts a model view over a run's trace with the shared timeline. The view is redrawn from
 * (trace, cursor) once per animation frame at most, however fast the cursor moves.
 */
import { eventSource, type TraceEvent } from '../../sim/index';
import { formatEvent } from './format';
import { modelViews } from './registry';
import { createTimeline, type Timeline } from './timeline';
import type { ModelView, SourceLink } from './types';

export interface VizHost {
  /** Shows a new trace; the cursor jumps to the end (the state after the run). */
  setTrace(events: readonly TraceEvent[]): void;
  /** One line for an event: the model view's own words where it has them. */
  describe(event: TraceEvent): string;
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
    const event = cursor > 0 ? trace[cursor - 1] : undefined;
    const text = event ? (view?.describe?.(event) ?? formatEvent(event)).replace(/\s+/g, ' ') : trace.length ? 'Before the first event.' : '';
    const source = event && (view?.source?.(event) ?? eventSource(event));
    if (!text) parts.caption.replaceChildren();
    else {
      const span = document.createElement('span');
      span.className = 'kl-viz-caption-text';
      span.textContent = text;
      parts.caption.replaceChildren(span, ...(source ? [sourceLink(source)] : []));
    }
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
    describe: (event) => view?.describe?.(event) ?? formatEvent(event),
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

/** The caption's link to the upstream function an event models (opens in a new tab). */
function sourceLink(source: SourceLink): HTMLAnchorElement {
  const a = document.createElement('a');
  a.className = 'kl-viz-source';
  a.href = source.href;
  a.target = '_blank';
  a.rel = 'noopener';
  a.title = `Upstream source: ${source.title}`;
  a.setAttribute('aria-label', `${source.label}: upstream source, ${source.title} (opens in a new tab)`);
  a.textContent = `${source.label} ↗`;
  return a;
}
