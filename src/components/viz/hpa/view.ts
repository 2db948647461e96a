/**
 * The `hpa` view: a HorizontalPodAutoscaler over time (chart.ts draws it, state.ts reads the
 * controller's `hpa.reconcile` events). Thin on purpose: it keeps the samples of the trace it
 * was last given and redraws on a new cursor.
 */
import { type TraceEvent } from '../../../sim/index';
import { hpaEvents } from '../../../sim/controllers/podautoscaler/events';
import type { ModelView } from '../types';
import { hpaMarkup } from './chart';
import { hpaAt, hpaRuns, type HpaRun } from './state';
import './hpa.css';

export function createHpaView(root: HTMLElement): ModelView {
  root.classList.add('kl-hpa');
  let trace: readonly TraceEvent[] | undefined;
  let runs: HpaRun[] = [];
  let drawn = '';
  let seen = 0;
  return {
    render(t, cursor) {
      // A lab session hands over the same growing array after each command: its length says it grew.
      if (t !== trace || t.length !== seen) runs = hpaRuns((trace = t));
      seen = t.length;
      const html = hpaMarkup(t, runs, hpaAt(runs, cursor), cursor);
      if (html !== drawn) root.innerHTML = html;
      drawn = html;
    },
    describe: (event) => hpaEvents.text(event),
    source: (event) => hpaEvents.source(event),
    destroy() {
      trace = undefined;
      runs = [];
      drawn = '';
      root.innerHTML = '';
    },
  };
}
