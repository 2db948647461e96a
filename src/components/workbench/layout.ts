/**
 * Resizable panes: three splitters (steps | editor | visualization, and the terminal below) and
 * the collapsible steps column. Sizes live in CSS custom properties on the workbench and in
 * localStorage (`kubelab:layout:v1`). Each splitter is a focusable separator: arrow keys move it,
 * Home/End go to the limits.
 */

interface Limits {
  min: number;
  max: () => number;
}

type Pane = 'steps' | 'viz' | 'term';

const KEY = 'kubelab:layout:v1';
const VAR: Record<Pane, string> = { steps: '--kl-steps-w', viz: '--kl-viz-w', term: '--kl-term-h' };

function readLayout(): Partial<Record<Pane | 'collapsed', number | boolean>> {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '{}');
    return typeof v === 'object' && v ? v : {};
  } catch {
    return {};
  }
}

function writeLayout(patch: Record<string, number | boolean>): void {
  try {
    localStorage.setItem(KEY, JSON.stringify({ ...readLayout(), ...patch }));
  } catch {
    /* private mode: sizes just are not remembered */
  }
}

export function setupLayout(root: HTMLElement): void {
  const grid = root.querySelector<HTMLElement>('.kl-grid')!;
  const limits: Record<Pane, Limits> = {
    steps: { min: 200, max: () => Math.max(220, grid.clientWidth * 0.4) },
    viz: { min: 260, max: () => Math.max(280, grid.clientWidth * 0.55) },
    term: { min: 96, max: () => Math.max(120, grid.clientHeight - 160) },
  };
  const panes: Record<Pane, HTMLElement | null> = {
    steps: grid.querySelector('.kl-steps'),
    viz: grid.querySelector('.kl-viz'),
    term: grid.querySelector('.kl-term'),
  };
  /** The pane's current size as laid out (the CSS default is responsive until someone resizes). */
  const size = (pane: Pane): number => {
    const el = panes[pane];
    if (!el) return limits[pane].min;
    return pane === 'term' ? el.getBoundingClientRect().height : el.getBoundingClientRect().width;
  };
  const describe = (pane: Pane, v: number) => {
    const { min, max } = limits[pane];
    const sep = grid.querySelector<HTMLElement>(`[data-split="${pane}"]`);
    if (sep) {
      sep.setAttribute('aria-valuenow', String(v));
      sep.setAttribute('aria-valuemin', String(min));
      sep.setAttribute('aria-valuemax', String(Math.round(max())));
      sep.setAttribute('aria-valuetext', `${v} pixels`);
    }
  };
  const apply = (pane: Pane, px: number, persist = true) => {
    const { min, max } = limits[pane];
    const v = Math.round(Math.max(min, Math.min(max(), px)));
    grid.style.setProperty(VAR[pane], `${v}px`);
    describe(pane, v);
    if (persist) writeLayout({ [pane]: v });
  };

  const saved = readLayout();
  for (const pane of Object.keys(VAR) as Pane[]) {
    const v = saved[pane];
    if (typeof v === 'number') apply(pane, v, false);
    else describe(pane, Math.round(size(pane)));
  }

  for (const sep of grid.querySelectorAll<HTMLElement>('[data-split]')) {
    const pane = sep.dataset.split as Pane;
    const horizontal = pane === 'term';
    // Moving the pointer right grows the steps column but shrinks the visualization.
    const sign = pane === 'steps' ? 1 : -1;
    sep.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      e.preventDefault();
      sep.setPointerCapture(e.pointerId);
      const start = horizontal ? e.clientY : e.clientX;
      const initial = size(pane);
      grid.classList.add('is-resizing');
      const onMove = (ev: PointerEvent) => {
        const delta = (horizontal ? ev.clientY : ev.clientX) - start;
        apply(pane, initial + sign * delta, false);
      };
      const onUp = () => {
        sep.removeEventListener('pointermove', onMove);
        grid.classList.remove('is-resizing');
        apply(pane, size(pane));
      };
      sep.addEventListener('pointermove', onMove);
      sep.addEventListener('pointerup', onUp, { once: true });
      sep.addEventListener('pointercancel', onUp, { once: true });
    });
    sep.addEventListener('keydown', (e) => {
      const step = e.shiftKey ? 64 : 16;
      const grow = horizontal ? 'ArrowUp' : pane === 'steps' ? 'ArrowRight' : 'ArrowLeft';
      const shrink = horizontal ? 'ArrowDown' : pane === 'steps' ? 'ArrowLeft' : 'ArrowRight';
      let next: number | undefined;
      if (e.key === grow) next = size(pane) + step;
      else if (e.key === shrink) next = size(pane) - step;
      else if (e.key === 'Home') next = limits[pane].min;
      else if (e.key === 'End') next = limits[pane].max();
      if (next === undefined) return;
      e.preventDefault();
      apply(pane, next);
    });
  }

  // The steps column collapses to a rail with one button.
  const toggle = root.querySelector<HTMLButtonElement>('[data-layout="toggle-steps"]');
  const setCollapsed = (collapsed: boolean, persist = true) => {
    grid.classList.toggle('is-steps-collapsed', collapsed);
    if (toggle) {
      toggle.setAttribute('aria-expanded', String(!collapsed));
      toggle.title = collapsed ? 'Show the steps' : 'Hide the steps';
      const label = toggle.querySelector('.kl-toggle-label');
      if (label) label.textContent = collapsed ? 'Show steps' : 'Hide steps';
    }
    const sep = grid.querySelector<HTMLElement>('[data-split="steps"]');
    if (sep) {
      sep.tabIndex = collapsed ? -1 : 0;
      sep.toggleAttribute('aria-hidden', collapsed);
    }
    if (persist) writeLayout({ collapsed });
  };
  setCollapsed(saved.collapsed === true, false);
  toggle?.addEventListener('click', () => setCollapsed(!grid.classList.contains('is-steps-collapsed')));
}
