import { describe, expect, it } from 'vitest';
import { schedulerPerf } from './perf';

describe('schedulerPerf (the benchmarks\' workload)', () => {
  it('schedules every pod of the SchedulingBasic shape on a small cluster', () => {
    expect(schedulerPerf({ nodes: 120, pods: 60 })).toEqual({ scheduled: 60 });
  });
  it('stops scheduling when the nodes are full (4 CPU / 100m = 40 pods per node)', () => {
    expect(schedulerPerf({ nodes: 2, pods: 100 })).toEqual({ scheduled: 80 });
  });
});
