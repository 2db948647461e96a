/**
 * The `rollout` view: a Deployment's rollout step by step (chart.ts draws it, state.ts reads the
 * trace). Thin on purpose: it keeps the steps of the trace it was last given and redraws on a
 * new cursor.
 */
import { type TraceEvent } from '../../../sim/index';
import { deploymentEvents } from '../../../sim/controllers/deployment/events';
import { replicaSetEvents } from '../../../sim/controllers/replicaset/events';
import type { ModelView } from '../types';
import { rolloutMarkup } from './chart';
import { rolloutRuns, runAt, type RolloutRun } from './state';
import './rollout.css';

export function createRolloutView(root: HTMLElement): ModelView {
  root.classList.add('kl-ro');
  let trace: readonly TraceEvent[] | undefined;
  let runs: RolloutRun[] = [];
  let drawn = '';
  let seen = 0;
  return {
    render(t, cursor) {
      // A lab session hands over the same growing array after each command: its length says it grew.
      if (t !== trace || t.length !== seen) runs = rolloutRuns((trace = t));
      seen = t.length;
      const html = rolloutMarkup(t, runs, runAt(runs, cursor), cursor);
      if (html !== drawn) root.innerHTML = html;
      drawn = html;
    },
    describe: (event) => deploymentEvents.text(event) ?? replicaSetEvents.text(event),
    source: (event) => deploymentEvents.source(event) ?? replicaSetEvents.source(event),
    destroy() {
      trace = undefined;
      runs = [];
      drawn = '';
      root.innerHTML = '';
    },
  };
}
