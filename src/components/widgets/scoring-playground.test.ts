import { describe, expect, it } from 'vitest';
import { score } from './scoring-playground';
import { runSchedulingCycle, makeNode, makePod } from '../../sim/index';

// The widget's scores are the plugins' own: the same numbers runSchedulingCycle's record shows.
describe('ScoringPlayground scores', () => {
  const loads = [
    { name: 'node-1', cpu: 4000, mem: 8192, usedCpu: 3000, usedMem: 2048 },
    { name: 'node-2', cpu: 4000, mem: 8192, usedCpu: 1000, usedMem: 1024 },
    { name: 'node-3', cpu: 8000, mem: 16384, usedCpu: 0, usedMem: 0 },
  ];
  it.each(['LeastAllocated', 'MostAllocated'] as const)('%s matches NodeResourcesFit and BalancedAllocation in a real cycle', (strategy) => {
    const nodes = loads.map((l) => makeNode().name(l.name).capacity({ cpu: `${l.cpu}m`, memory: `${l.mem}Mi` }).obj());
    const pods = loads.filter((l) => l.usedCpu).map((l) => makePod().name(`on-${l.name}`).uid(`on-${l.name}`).node(l.name).req({ cpu: `${l.usedCpu}m`, memory: `${l.usedMem}Mi` }).obj());
    const r = runSchedulingCycle({
      pod: makePod().name('p').uid('p').req({ cpu: '500m', memory: '512Mi' }).obj(), nodes, pods,
      profile: { pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: { type: strategy, resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }] } } }] },
    });
    for (const w of score(loads, 500, 512, strategy)) {
      expect(w.fit).toBe(r.record.score[w.name].NodeResourcesFit.raw);
      expect(w.balanced).toBe(r.record.score[w.name].NodeResourcesBalancedAllocation.raw);
    }
  });

  it('a node the pod does not fit on gets no score', () => {
    expect(score(loads, 1500, 512, 'LeastAllocated')[0]).toEqual({ name: 'node-1', fits: false, fit: 0, balanced: 0, total: 0 });
  });
});
