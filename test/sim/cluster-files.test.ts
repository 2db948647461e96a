// The lab's files as learner code reads them (labFile) and manifests parsed as kubectl's reader does.
import { afterEach, describe, expect, it } from 'vitest';
import { labFile, labFiles, parseManifests } from '../../src/sim/index';
import { useLabFiles } from '../../src/sim/runtime';

afterEach(() => {
  useLabFiles(undefined);
});

describe('labFile', () => {
  it('returns the tab as it is now, with or without ./', () => {
    useLabFiles({ 'app.yaml': 'kind: Pod\n', 'main.ts': '' });
    expect(labFile('app.yaml')).toBe('kind: Pod\n');
    expect(labFile('./app.yaml')).toBe('kind: Pod\n');
    expect(labFiles()).toEqual(['app.yaml', 'main.ts']);
  });

  it('names the files there are when one is missing', () => {
    useLabFiles({ 'crd.yaml': '' });
    expect(() => labFile('crds.yaml')).toThrow("labFile('crds.yaml'): no such file in this lab (files: crd.yaml)");
    useLabFiles(undefined);
    expect(() => labFile('x')).toThrow('(files: none)');
  });
});

describe('parseManifests', () => {
  it('splits a stream, skips empty documents and flattens a List', () => {
    const text = [
      '# leading comment',
      '---',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: a}',
      '---',
      '---',
      'apiVersion: v1',
      'kind: List',
      'items:',
      '- {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}',
      '- {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}',
    ].join('\n');
    expect(parseManifests(text).map((o) => o.metadata?.name)).toEqual(['a', 'b', 'c']);
  });

  it('locates a syntax error by file, line and column', () => {
    expect(() => parseManifests('apiVersion: v1\nkind: Pod\nmetadata:\n  name: [web\n', 'pod.yaml')).toThrow(/^pod\.yaml:\d+:\d+: /);
  });

  it('reads YAML 1.2 core: "no" and dates stay what they are written as', () => {
    const [cm] = parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {on: "yes", when: 2024-01-01}\n');
    expect((cm as unknown as { data: Record<string, unknown> }).data).toEqual({ on: 'yes', when: '2024-01-01' });
  });

  it('rejects documents without apiVersion or kind, naming the document', () => {
    expect(() => parseManifests('kind: Pod\n', 'p.yaml')).toThrow("p.yaml: document 1: Object 'apiVersion' is missing");
    expect(() => parseManifests('apiVersion: v1\n---\napiVersion: v1\n', 'p.yaml')).toThrow("p.yaml: document 1: Object 'Kind' is missing");
    expect(() => parseManifests('- a\n', 'p.yaml')).toThrow('p.yaml: document 1: not an object');
  });
});
