import { describe, expect, it } from 'vitest';
import type { Node, Pod } from '../../../api/core/v1';
import { MaxNodeScore } from '../../framework/interface';
import { makeNode, makePod } from '../../testing/wrappers';
import type { ResourceSpec, UtilizationShapePoint } from './args';
import { newFit } from './fit';
import { buildBrokenLinearFunction, type FunctionShapePoint } from './shape_score';
import { defaultResources, makeResourceNode, refd, runScore } from './test_helpers';

const node = (name: string, rl: Record<string, string>): Node => makeNode().name(name).capacity(rl).obj();
const rtcr = (resources: ResourceSpec[], shape: UtilizationShapePoint[]) =>
  newFit({ scoringStrategy: { type: 'RequestedToCapacityRatio', resources, requestedToCapacityRatio: { shape } } });

describe('NodeResourcesFit RequestedToCapacityRatio', () => {
  const shape = [{ utilization: 0, score: 10 }, { utilization: 100, score: 0 }];
  const cases: { name: string; pod: Pod; nodes: Node[]; existing: Pod[]; want: [string, number][] }[] = [
    {
      name: 'nothing scheduled, nothing requested (default - least requested nodes have priority)', pod: makePod().obj(),
      nodes: [node('node1', { cpu: '4000', memory: '10000' }), node('node2', { cpu: '4000', memory: '10000' })],
      existing: [makePod().node('node1').obj(), makePod().node('node1').obj()], want: [['node1', MaxNodeScore], ['node2', MaxNodeScore]],
    },
    {
      name: 'nothing scheduled, resources requested, differently sized nodes (default - least requested nodes have priority)',
      pod: makePod().req({ cpu: '1000', memory: '2000' }).req({ cpu: '2000', memory: '3000' }).obj(),
      nodes: [node('node1', { cpu: '4000', memory: '10000' }), node('node2', { cpu: '6000', memory: '10000' })],
      existing: [makePod().node('node1').obj(), makePod().node('node1').obj()], want: [['node1', 38], ['node2', 50]],
    },
    {
      name: 'no resources requested, pods scheduled with resources (default - least requested nodes have priority)', pod: makePod().obj(),
      nodes: [node('node1', { cpu: '4000', memory: '10000' }), node('node2', { cpu: '6000', memory: '10000' })],
      existing: [makePod().node('node1').req({ cpu: '3000', memory: '5000' }).obj(), makePod().node('node2').req({ cpu: '3000', memory: '5000' }).obj()],
      want: [['node1', 38], ['node2', 50]],
    },
  ];
  for (const c of refd('TestRequestedToCapacityRatioScoringStrategy', cases)) {
    it(c.ref, () => {
      const r = runScore(rtcr(defaultResources, shape), c.pod, c.nodes, c.existing, false);
      expect(r.scores.map((s) => [s.name, s.score])).toEqual(c.want);
    });
  }

  const brokenLinear: { name: string; points: FunctionShapePoint[]; assertions: [number, number][] }[] = [
    {
      name: 'case_0', points: [{ utilization: 10, score: 1 }, { utilization: 90, score: 9 }],
      assertions: [[-10, 1], [0, 1], [9, 1], [10, 1], [15, 1], [19, 1], [20, 2], [89, 8], [90, 9], [99, 9], [100, 9], [110, 9]],
    },
    {
      name: 'case_1', points: [{ utilization: 0, score: 2 }, { utilization: 40, score: 10 }, { utilization: 100, score: 0 }],
      assertions: [[-10, 2], [0, 2], [20, 6], [30, 8], [40, 10], [70, 5], [100, 0], [110, 0]],
    },
    {
      name: 'case_2', points: [{ utilization: 0, score: 2 }, { utilization: 40, score: 2 }, { utilization: 100, score: 2 }],
      assertions: [[-10, 2], [0, 2], [20, 2], [30, 2], [40, 2], [70, 2], [100, 2], [110, 2]],
    },
  ];
  for (const c of refd('TestBrokenLinearFunction', brokenLinear)) {
    it(c.ref, () => {
      const f = buildBrokenLinearFunction(c.points);
      expect(c.assertions.map(([p]) => [p, f(p)])).toEqual(c.assertions);
    });
  }

  const fooBar = (foo: number, bar?: number) => ({ 'intel.com/foo': foo, ...(bar !== undefined ? { 'intel.com/bar': bar } : {}) });
  const single: { name: string; pod: Pod; pods: Pod[]; want: [string, number][] }[] = [
    { name: 'nothing scheduled, nothing requested', pod: makePod().obj(), pods: [], want: [['node1', 0], ['node2', 0]] },
    {
      name: 'resources requested, pods scheduled with less resources', pod: makePod().req({ 'intel.com/foo': '2' }).obj(),
      pods: [makePod().obj()], want: [['node1', 2], ['node2', 5]],
    },
    {
      name: 'resources requested, pods scheduled with resources, on node with existing pod running ', pod: makePod().req({ 'intel.com/foo': '2' }).obj(),
      pods: [makePod().req({ 'intel.com/foo': '2' }).node('node2').obj()], want: [['node1', 2], ['node2', 10]],
    },
    {
      name: 'resources requested, pods scheduled with more resources', pod: makePod().req({ 'intel.com/foo': '4' }).obj(),
      pods: [makePod().obj()], want: [['node1', 5], ['node2', 10]],
    },
  ];
  for (const c of refd('TestResourceBinPackingSingleExtended', single)) {
    it(c.ref, () => {
      const nodes = [makeResourceNode('node1', 4000, 10000 * 1024 * 1024, fooBar(8)), makeResourceNode('node2', 4000, 10000 * 1024 * 1024, fooBar(4))];
      const p = rtcr([{ name: 'intel.com/foo', weight: 1 }], [{ utilization: 0, score: 0 }, { utilization: 100, score: 1 }]);
      const r = runScore(p, c.pod, nodes, c.pods, false);
      expect(r.scores.map((s) => [s.name, s.score])).toEqual(c.want);
    });
  }

  const multiple: { name: string; pod: Pod; pods: Pod[]; want: [string, number][] }[] = [
    { name: 'nothing scheduled, nothing requested', pod: makePod().obj(), pods: [], want: [['node1', 0], ['node2', 0]] },
    {
      name: 'resources requested, pods scheduled with less resources', pod: makePod().req({ 'intel.com/foo': '2', 'intel.com/bar': '2' }).obj(),
      pods: [makePod().obj()], want: [['node1', 4], ['node2', 3]],
    },
    {
      name: 'resources requested, pods scheduled with resources, on node with existing pod running ',
      pod: makePod().req({ 'intel.com/foo': '2', 'intel.com/bar': '2' }).obj(),
      pods: [makePod().req({ 'intel.com/foo': '4', 'intel.com/bar': '2' }).node('node2').obj()], want: [['node1', 4], ['node2', 7]],
    },
    {
      name: 'resources requested, pods scheduled with more resources', pod: makePod().req({ 'intel.com/foo': '4', 'intel.com/bar': '2' }).obj(),
      pods: [makePod().obj()], want: [['node1', 5], ['node2', 5]],
    },
  ];
  for (const c of refd('TestResourceBinPackingMultipleExtended', multiple)) {
    it(c.ref, () => {
      const nodes = [makeResourceNode('node1', 4000, 10000 * 1024 * 1024, fooBar(8, 4)), makeResourceNode('node2', 4000, 10000 * 1024 * 1024, fooBar(4, 8))];
      const p = rtcr([{ name: 'intel.com/foo', weight: 3 }, { name: 'intel.com/bar', weight: 5 }], [{ utilization: 0, score: 0 }, { utilization: 100, score: 1 }]);
      const r = runScore(p, c.pod, nodes, c.pods, false);
      expect(r.scores.map((s) => [s.name, s.score])).toEqual(c.want);
    });
  }
});
