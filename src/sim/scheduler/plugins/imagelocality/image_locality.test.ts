/** Ported from pkg/scheduler/framework/plugins/imagelocality/image_locality_test.go (TestImageLocalityPriority, TestNormalizedImageName). */
import { describe, it, expect } from 'vitest';
import type { Container, Node, Pod } from '../../../api/core/v1';
import { CycleState } from '../../framework/cycle_state';
import { MaxNodeScore, type NodeScore } from '../../framework/interface';
import { newTestHandle } from '../../testing/handle';
import { calculatePriority, maxContainerThreshold, minThreshold, newImageLocality, normalizedImageName } from '.';

const mb = 1024 * 1024;
const images = (...names: string[]): Container[] => names.map((image, i) => ({ name: `c${i}`, image }));
const spec = (containers: string[], init: string[] = []): Pod => ({ metadata: {}, spec: { containers: images(...containers), ...(init.length ? { initContainers: images(...init) } : {}) } });
type Img = { names: string[]; sizeBytes: number };
const makeImageNode = (name: string, imgs: Img[]): Node => ({ metadata: { name }, status: { images: imgs } });

const test40250 = spec(['gcr.io/40', 'gcr.io/250']);
const test40300 = spec(['gcr.io/40', 'gcr.io/300']);
const testMinMax = spec(['gcr.io/10', 'gcr.io/4000']);
const test300600900 = spec(['gcr.io/300', 'gcr.io/600', 'gcr.io/900']);
const test3040 = spec(['gcr.io/30', 'gcr.io/40']);
const test30Init300 = spec(['gcr.io/30'], ['gcr.io/300']);

const node403002000: Img[] = [
  { names: ['gcr.io/40:latest', 'gcr.io/40:v1', 'gcr.io/40:v1'], sizeBytes: 40 * mb },
  { names: ['gcr.io/300:latest', 'gcr.io/300:v1'], sizeBytes: 300 * mb },
  { names: ['gcr.io/2000:latest'], sizeBytes: 2000 * mb },
];
const node25010: Img[] = [{ names: ['gcr.io/250:latest'], sizeBytes: 250 * mb }, { names: ['gcr.io/10:latest', 'gcr.io/10:v1'], sizeBytes: 10 * mb }];
const node60040900: Img[] = [{ names: ['gcr.io/600:latest'], sizeBytes: 600 * mb }, { names: ['gcr.io/40:latest'], sizeBytes: 40 * mb }, { names: ['gcr.io/900:latest'], sizeBytes: 900 * mb }];
const node300600900: Img[] = [{ names: ['gcr.io/300:latest'], sizeBytes: 300 * mb }, { names: ['gcr.io/600:latest'], sizeBytes: 600 * mb }, { names: ['gcr.io/900:latest'], sizeBytes: 900 * mb }];
const node400030: Img[] = [{ names: ['gcr.io/4000:latest'], sizeBytes: 4000 * mb }, { names: ['gcr.io/30:latest'], sizeBytes: 30 * mb }];
const node203040: Img[] = [{ names: ['gcr.io/20:latest'], sizeBytes: 20 * mb }, { names: ['gcr.io/30:latest'], sizeBytes: 30 * mb }, { names: ['gcr.io/40:latest'], sizeBytes: 40 * mb }];
const nodeWithNoImages: Img[] = [];

describe('TestImageLocalityPriority', () => {
  const ref = (n: string) => `TestImageLocalityPriority/${n}`;
  const cases: { ref: string; pod: Pod; nodes: Node[]; expected: NodeScore[] }[] = [
    {
      ref: ref('two images spread on two nodes, prefer the larger image one'), pod: test40250,
      nodes: [makeImageNode('node1', node403002000), makeImageNode('node2', node25010)], expected: [{ name: 'node1', score: 0 }, { name: 'node2', score: 5 }],
    },
    {
      ref: ref('two images on one node, prefer this node'), pod: test40300,
      nodes: [makeImageNode('node1', node403002000), makeImageNode('node2', node25010)], expected: [{ name: 'node1', score: 7 }, { name: 'node2', score: 0 }],
    },
    {
      ref: ref('if exceed limit, use limit'), pod: testMinMax,
      nodes: [makeImageNode('node1', node400030), makeImageNode('node2', node25010)], expected: [{ name: 'node1', score: MaxNodeScore }, { name: 'node2', score: 0 }],
    },
    {
      ref: ref('if exceed limit, use limit (with node which has no images present)'), pod: testMinMax,
      nodes: [makeImageNode('node1', node400030), makeImageNode('node2', node25010), makeImageNode('node3', nodeWithNoImages)],
      expected: [{ name: 'node1', score: 66 }, { name: 'node2', score: 0 }, { name: 'node3', score: 0 }],
    },
    {
      ref: ref('pod with multiple large images, node2 is preferred'), pod: test300600900,
      nodes: [makeImageNode('node1', node60040900), makeImageNode('node2', node300600900), makeImageNode('node3', nodeWithNoImages)],
      expected: [{ name: 'node1', score: 32 }, { name: 'node2', score: 36 }, { name: 'node3', score: 0 }],
    },
    {
      ref: ref('pod with multiple small images'), pod: test3040,
      nodes: [makeImageNode('node1', node203040), makeImageNode('node2', node400030)], expected: [{ name: 'node1', score: 1 }, { name: 'node2', score: 0 }],
    },
    {
      ref: ref('include InitContainers: two images spread on two nodes, prefer the larger image one'), pod: test30Init300,
      nodes: [makeImageNode('node1', node403002000), makeImageNode('node2', node203040)], expected: [{ name: 'node1', score: 6 }, { name: 'node2', score: 0 }],
    },
  ];
  for (const c of cases) {
    it(c.ref, () => {
      const h = newTestHandle({ nodes: c.nodes });
      const p = newImageLocality(undefined, h);
      const got = c.nodes.map((n) => {
        const [score, st] = p.score!(new CycleState(), c.pod, h.snapshot.nodeInfos().get(n.metadata.name!)) as [number, unknown];
        expect(st).toBeNull();
        return { name: n.metadata.name!, score };
      });
      expect(got).toEqual(c.expected);
    });
  }
});

describe('TestNormalizedImageName', () => {
  const digest = 'sha256:4a3f0a6b1b0e2c7d5f6a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e';
  const cases = [
    { ref: 'TestNormalizedImageName/add :latest postfix 1', input: 'root', output: 'root:latest' },
    { ref: 'TestNormalizedImageName/add :latest postfix 2', input: 'gcr.io:5000/root', output: 'gcr.io:5000/root:latest' },
    { ref: 'TestNormalizedImageName/keep it as is 1', input: 'root:tag', output: 'root:tag' },
    { ref: 'TestNormalizedImageName/keep it as is 2', input: `root@${digest}`, output: `root@${digest}` },
  ];
  for (const c of cases) it(c.ref, () => expect(normalizedImageName(c.input)).toBe(c.output));
});

describe('calculatePriority edge cases (Go int64 arithmetic)', () => {
  it('clamps with if/else as upstream: a sum under the minimum scores 0 even with no containers', () => {
    expect(calculatePriority(0, 0)).toBe(0);
    expect(calculatePriority(minThreshold - 1, 1)).toBe(0);
    expect(calculatePriority(maxContainerThreshold * 5, 1)).toBe(100);
  });
  it('truncates toward zero: (250MB/2 - 23MB) * 100 / (2000MB - 23MB) = 5', () => {
    expect(calculatePriority((250 * mb) / 2, 2)).toBe(5);
  });
});
