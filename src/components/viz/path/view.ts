/**
 * The `path` view: one Deployment's whole path as a sequence diagram (state.ts reads the trace,
 * diagram.ts draws it). Thin on purpose: it keeps the runs of the trace it was last given and
 * redraws on a new cursor.
 */
import { eventSource, eventText } from '../../../sim/catalogs';
import type { TraceEvent } from '../../../sim/index';
import type { ModelView } from '../types';
import { pathMarkup } from './diagram';
import { pathRuns, runAt, type PathRun } from './state';
import './path.css';

export function createPathView(root: HTMLElement): ModelView {
  root.classList.add('kl-pa');
  let trace: readonly TraceEvent[] | undefined;
  let runs: PathRun[] = [];
  let drawn = '';
  let seen = 0;
  return {
    render(t, cursor) {
      // A lab session hands over the same growing array after each command: its length says it grew.
      if (t !== trace || t.length !== seen) runs = pathRuns((trace = t));
      seen = t.length;
      const html = pathMarkup(t, runs, runAt(runs, cursor), cursor);
      if (html !== drawn) root.innerHTML = html;
      drawn = html;
    },
    describe: (event) => eventText(event),
    source: (event) => eventSource(event),
    destroy() {
      trace = undefined;
      runs = [];
      drawn = '';
      root.innerHTML = '';
    },
  };
}
