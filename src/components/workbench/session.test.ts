// LabSession without a page: a root that holds no elements, and an in-memory store.
import { describe, expect, it } from 'vitest';
import { stateKey, type KeyValueStore } from './persist';
import { LabSession, type LabData } from './session';

const noPage = { querySelector: () => null, querySelectorAll: () => [] } as unknown as HTMLElement;

function memoryStore(): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

const lab: LabData = {
  id: 'demo',
  title: 'Demo',
  hash: 'h1',
  seed: 1,
  entry: 'main.ts',
  files: { 'main.ts': 'starter' },
  solution: 'solution',
  checks: ['first', 'second'],
  visualization: 'none',
};

describe('LabSession completion', () => {
  it('completes when every step check has passed, and reports it once', () => {
    const s = new LabSession(noPage, lab, memoryStore());
    expect(s.recordCheck('first', true)).toBe(false);
    expect(s.state.completed).toBe(false);
    expect(s.recordCheck('second', true)).toBe(true);
    expect(s.state.completed).toBe(true);
    expect(s.recordCheck('second', true)).toBe(false);
  });

  it('keeps a completed lab completed when a later Check fails, and across a reload', () => {
    const store = memoryStore();
    const s = new LabSession(noPage, lab, store);
    s.recordCheck('first', true);
    s.recordCheck('second', true);
    s.recordCheck('second', false);
    expect(s.state.steps).toEqual({ first: 'pass', second: 'fail' });
    expect(s.state.completed).toBe(true);
    const again = new LabSession(noPage, lab, store);
    expect(again.state.completed).toBe(true);
    expect(JSON.parse(store.data.get(stateKey('demo'))!).completed).toBe(true);
  });

  it('keeps the learner files and adds files the lab gained', () => {
    const store = memoryStore();
    new LabSession(noPage, lab, store).saveFiles({ 'main.ts': 'mine' });
    const grown = new LabSession(noPage, { ...lab, hash: 'h2', files: { 'main.ts': 'starter 2', 'util.ts': 'u' } }, store);
    expect(grown.files).toEqual({ 'main.ts': 'mine', 'util.ts': 'u' });
    expect(grown.edited).toBe(true);
  });
});
