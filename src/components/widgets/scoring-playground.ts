/**
 * The live part of <ScoringPlayground>: NodeResourcesFit's three scoring strategies and
 * NodeResourcesBalancedAllocation on a few nodes, computed by the model's own scorer functions
 * (src/sim/scheduler/plugins/noderesources, after kube-scheduler v1.34's least_allocated.go,
 * most_allocated.go, requested_to_capacity_ratio.go and balanced_allocation.go). Requests count
 * the pod being placed; a node the pod does not fit on is filtered out and gets no score.
 */
import { leastResourceScorer } from '../../sim/scheduler/plugins/noderesources/least_allocated';
import { mostResourceScorer } from '../../sim/scheduler/plugins/noderesources/most_allocated';
import { requestedToCapacityRatioScorer } from '../../sim/scheduler/plugins/noderesources/requested_to_capacity_ratio';
import { balancedResourceScorer } from '../../sim/scheduler/plugins/noderesources/balanced_allocation';

export type Strategy = 'LeastAllocated' | 'MostAllocated' | 'RequestedToCapacityRatio';

export interface NodeLoad {
  name: string;
  /** Allocatable and already requested: milli-CPU and MiB. */
  cpu: number;
  mem: number;
  usedCpu: number;
  usedMem: number;
}

export interface NodeResult {
  name: string;
  fits: boolean;
  fit: number;
  balanced: number;
  total: number;
}

const resources = [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }];
// The bin-packing shape the scheduler's documentation shows: 0 % -> 0, 100 % -> 10.
const binPacking = [{ utilization: 0, score: 0 }, { utilization: 100, score: 10 }];

/** Scores every node for a pod asking `cpu` milli-CPU and `mem` MiB (weights 1 and 1, as the default profile). */
export function score(nodes: NodeLoad[], cpu: number, mem: number, strategy: Strategy): NodeResult[] {
  const scorer = strategy === 'LeastAllocated' ? leastResourceScorer(resources) : strategy === 'MostAllocated' ? mostResourceScorer(resources) : requestedToCapacityRatioScorer(resources, binPacking);
  return nodes.map((n) => {
    const requested = [n.usedCpu + cpu, (n.usedMem + mem) * 1024 * 1024];
    const allocatable = [n.cpu, n.mem * 1024 * 1024];
    const fits = requested[0] <= allocatable[0] && requested[1] <= allocatable[1];
    if (!fits) return { name: n.name, fits, fit: 0, balanced: 0, total: 0 };
    const fit = scorer(requested, allocatable);
    const balanced = balancedResourceScorer(requested, allocatable);
    return { name: n.name, fits, fit, balanced, total: fit + balanced };
  });
}

export function mount(root: HTMLElement): void {
  const inputs = [...root.querySelectorAll<HTMLInputElement>('input[data-field]')];
  const select = root.querySelector<HTMLSelectElement>('select[data-strategy]')!;
  const out = root.querySelector<HTMLElement>('[data-results]')!;
  const live = root.querySelector<HTMLElement>('[data-live]');
  const num = (name: string) => Number(root.querySelector<HTMLInputElement>(`input[data-field="${name}"]`)?.value ?? 0) || 0;
  const names = [...new Set(inputs.map((i) => i.dataset.node).filter((x): x is string => !!x))];
  const render = () => {
    const nodes = names.map((name) => ({ name, cpu: num(`${name}.cpu`) * 1000, mem: num(`${name}.mem`) * 1024, usedCpu: num(`${name}.usedCpu`), usedMem: num(`${name}.usedMem`) }));
    const results = score(nodes, num('pod.cpu'), num('pod.mem'), select.value as Strategy);
    const best = Math.max(...results.filter((r) => r.fits).map((r) => r.total));
    out.replaceChildren(...results.map((r) => {
      const tr = document.createElement('tr');
      const win = r.fits && r.total === best;
      if (win) tr.className = 'is-winner';
      const cells = r.fits ? [String(r.fit), String(r.balanced), String(r.total)] : ['—', '—', 'does not fit'];
      for (const [i, text] of [`${win ? '★ ' : ''}${r.name}`, ...cells].entries()) {
        const td = document.createElement(i === 0 ? 'th' : 'td');
        if (i === 0) td.setAttribute('scope', 'row');
        td.textContent = text;
        tr.append(td);
      }
      return tr;
    }));
    const winners = results.filter((r) => r.fits && r.total === best).map((r) => r.name);
    if (live) live.textContent = winners.length ? `Highest score: ${winners.join(', ')} (${best})` : 'The pod fits on no node';
  };
  for (const i of inputs) {
    i.disabled = false;
    i.addEventListener('input', render);
  }
  select.disabled = false;
  select.addEventListener('change', render);
  root.querySelector('[data-status]')?.replaceChildren('Live: change a number or the strategy.');
  root.removeAttribute('data-kl-pending');
  render();
}
