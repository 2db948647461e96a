/**
 * Hosts a lab's model views over a run's trace with the one timeline they share. Each view draws
 * (trace, cursor) in its own section of the stage; a lab with several stacks them, each behind a
 * heading that shows or hides it (a hidden view is not drawn). The views are redrawn once per
 * animation frame at most, however fast the cursor moves, and one caption under them says what
 * the event at the cursor did, with a link to the upstream function it models.
 */
import { eventSource, type TraceEvent } from '../../sim/index';
import { formatEvent } from './format';
import { modelViews } from './registry';
import { createTimeline, type Timeline } from './timeline';
import { VIEW_COMPONENTS, VIEW_INFO, viewAnchor } from './titles';
import type { ModelView, SourceLink, ViewContext } from './types';

/** Events replayed per frame on the first way through a long trace (a few ms for every view together; bench/scrub.ts measures it). */
const REPLAY_CHUNK = 4096;

export interface VizHost {
  /** Shows a new trace; the cursor jumps to the end (the state after the run). */
  setTrace(events: readonly TraceEvent[]): void;
  /** One line for an event: a model view's own words where it has them. */
  describe(event: TraceEvent): string;
  readonly timeline: Timeline;
  destroy(): void;
}

interface Mounted {
  name: string;
  view: ModelView;
  /** The view's section (absent for a lone view drawn straight into the stage). */
  section?: HTMLElement;
  body: HTMLElement;
  toggle?: HTMLButtonElement;
  expanded: boolean;
}

export async function createVizHost(
  panel: HTMLElement,
  models: string | readonly string[],
  parts: { stage: HTMLElement; timeline: HTMLElement; caption: HTMLElement },
  hooks: Pick<ViewContext, 'command'> = {},
): Promise<VizHost> {
  const names = [...new Set(typeof models === 'string' ? [models] : models)].filter((n) => n !== 'none');
  layoutSections(parts.stage, names);
  const sections = new Map(names.map((n) => [n, parts.stage.querySelector<HTMLElement>(`[data-view="${n}"]`) ?? undefined]));
  const context: ViewContext = { viewAnchor: (name) => (sections.get(name) ? viewAnchor(name) : undefined), ...hooks };
  const factories = await Promise.all(names.map((n) => modelViews[n]?.() ?? Promise.resolve(undefined)));
  const mounted: Mounted[] = [];
  names.forEach((name, i) => {
    const factory = factories[i];
    if (!factory) return;
    const section = sections.get(name);
    let body = section?.querySelector<HTMLElement>('.kl-viz-view-body') ?? undefined;
    if (!body) {
      if (section) body = section;
      else if (names.length === 1) body = parts.stage;
      else {
        body = document.createElement('div');
        parts.stage.append(body);
      }
    }
    const toggle = section?.querySelector<HTMLButtonElement>('.kl-viz-toggle') ?? undefined;
    mounted.push({ name, view: factory(body, context), section, body, toggle, expanded: toggle?.getAttribute('aria-expanded') !== 'false' });
  });

  let trace: readonly TraceEvent[] = [];
  let frame = 0;
  let pending = -1;
  let drawn = -1;
  /** How far into the trace every view has replayed (see draw). */
  let replayed = 0;

  const renderView = (m: Mounted, cursor: number) => {
    try {
      m.view.render(trace, cursor);
    } catch (err) {
      // A view's bug must not take the timeline, the terminal or the other views down with it.
      console.error(`[kubelab] the ${m.name} view failed to draw:`, err);
      m.body.textContent = `This view could not draw this point of the trace (${err instanceof Error ? err.message : String(err)}).`;
    }
  };

  const describeEvent = (event: TraceEvent): string => {
    for (const m of mounted) {
      const text = m.view.describe?.(event);
      if (text !== undefined) return text;
    }
    return formatEvent(event);
  };
  const sourceOf = (event: TraceEvent): SourceLink | undefined => {
    for (const m of mounted) {
      const link = m.view.source?.(event);
      if (link) return link;
    }
    return eventSource(event);
  };

  const draw = () => {
    frame = 0;
    const cursor = pending;
    if (cursor < 0) return;
    // The first way through a long trace is replayed a chunk per frame (each view keeps the
    // checkpoints), so no frame replays more than REPLAY_CHUNK events; later jumps start from them.
    if (cursor > replayed + REPLAY_CHUNK) {
      replayed += REPLAY_CHUNK;
      for (const m of mounted) if (m.expanded) (m.view.prepare ? m.view.prepare(trace, replayed) : renderView(m, replayed));
      const span = document.createElement('span');
      span.className = 'kl-viz-caption-text';
      span.textContent = `Replaying the trace… ${Math.floor((100 * replayed) / trace.length)}% of ${trace.length} events`;
      parts.caption.replaceChildren(span);
      frame = requestAnimationFrame(draw);
      return;
    }
    replayed = Math.max(replayed, cursor);
    drawn = cursor;
    for (const m of mounted) if (m.expanded) renderView(m, cursor);
    const event = cursor > 0 ? trace[cursor - 1] : undefined;
    // With several views, mark the ones whose model the event at the cursor belongs to.
    if (mounted.length > 1) for (const m of mounted) m.section?.toggleAttribute('data-current', !!event && (VIEW_COMPONENTS[m.name]?.includes(event.component) ?? false));
    const text = event ? describeEvent(event).replace(/\s+/g, ' ') : trace.length ? 'Before the first event.' : '';
    const source = event && sourceOf(event);
    if (!text) parts.caption.replaceChildren();
    else {
      const span = document.createElement('span');
      span.className = 'kl-viz-caption-text';
      span.textContent = text;
      parts.caption.replaceChildren(span, ...(source ? [sourceLink(source)] : []));
    }
  };

  const setExpanded = (m: Mounted, expanded: boolean) => {
    m.expanded = expanded;
    m.toggle?.setAttribute('aria-expanded', String(expanded));
    m.body.hidden = !expanded;
    m.section?.classList.toggle('is-collapsed', !expanded);
    if (expanded && drawn >= 0) renderView(m, drawn);
  };

  const onClick = (e: MouseEvent) => {
    const target = e.target as Element;
    const toggle = target.closest<HTMLButtonElement>('.kl-viz-toggle');
    const byToggle = toggle && mounted.find((m) => m.toggle === toggle);
    if (byToggle) {
      setExpanded(byToggle, !byToggle.expanded);
      return;
    }
    // A view's link to another view (the pipeline's workqueue box to the workqueue view).
    const link = target.closest<HTMLAnchorElement>('a[data-view-link]');
    const to = link && mounted.find((m) => m.name === link.dataset.viewLink);
    if (to?.section) {
      e.preventDefault();
      if (!to.expanded) setExpanded(to, true);
      const reduce = matchMedia('(prefers-reduced-motion: reduce)').matches;
      to.section.scrollIntoView({ block: 'start', behavior: reduce ? 'auto' : 'smooth' });
      (to.toggle ?? to.section).focus({ preventScroll: true });
    }
  };
  parts.stage.addEventListener('click', onClick);

  const timeline = createTimeline(parts.timeline, {
    label: names.length === 1 ? `${VIEW_INFO[names[0]]?.title ?? names[0]} timeline` : 'Model views timeline',
    onCursor(cursor) {
      pending = cursor;
      if (!frame) frame = requestAnimationFrame(draw);
    },
  });

  // Until the first run, each view says what it will show.
  for (const m of mounted) renderView(m, 0);
  panel.dataset.state = 'ready';
  return {
    timeline,
    describe: describeEvent,
    setTrace(events) {
      trace = events;
      replayed = 0;
      panel.dataset.state = events.length ? 'trace' : 'empty';
      timeline.setTrace(events.map((e) => e.t));
      // A broken safety property is marked on the scrubber where it broke.
      const marks: Array<{ index: number; label: string }> = [];
      events.forEach((e, i) => {
        if (e.type.endsWith('.violation')) marks.push({ index: i + 1, label: describeEvent(e).replace(/\s+/g, ' ') });
      });
      timeline.setMarks(marks);
    },
    destroy() {
      if (frame) cancelAnimationFrame(frame);
      parts.stage.removeEventListener('click', onClick);
      timeline.destroy();
      for (const m of mounted) m.view.destroy?.();
    },
  };
}

/**
 * Makes the stage hold one section per view, in order, as Workbench.astro renders them: the page
 * renders the lab's views, and a page asked for other views (`?views=`) gets them built here.
 */
function layoutSections(stage: HTMLElement, names: readonly string[]): void {
  const present = [...stage.querySelectorAll<HTMLElement>(':scope > [data-view]')].map((s) => s.dataset.view);
  if (present.length === names.length && present.every((n, i) => n === names[i])) return;
  const stacked = names.length > 1;
  stage.replaceChildren(
    ...names.map((name) => {
      const info = VIEW_INFO[name] ?? { title: name, empty: 'Run your code to see the model.' };
      const anchor = viewAnchor(name);
      const section = document.createElement('section');
      section.className = stacked ? 'kl-viz-view is-stacked' : 'kl-viz-view';
      section.id = anchor;
      section.dataset.view = name;
      section.tabIndex = -1;
      section.setAttribute('aria-labelledby', stacked ? `${anchor}-h` : 'kl-viz-h');
      if (stacked) {
        const h = document.createElement('h3');
        h.className = 'kl-viz-view-h';
        h.id = `${anchor}-h`;
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'kl-viz-toggle';
        button.setAttribute('aria-expanded', 'true');
        button.setAttribute('aria-controls', `${anchor}-body`);
        button.innerHTML = '<svg class="kl-viz-chevron" viewBox="0 0 24 24" width="14" height="14" aria-hidden="true"><path d="M7 10l5 5 5-5z" fill="currentColor" /></svg>';
        button.append(info.title);
        h.append(button);
        section.append(h);
      }
      const body = document.createElement('div');
      body.className = 'kl-viz-view-body';
      body.id = `${anchor}-body`;
      section.append(body);
      return section;
    }),
  );
  const heading = stage.closest('.kl-viz')?.querySelector('#kl-viz-h');
  if (heading) heading.textContent = stacked ? 'Model views' : (VIEW_INFO[names[0]]?.title ?? names[0] ?? '');
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
