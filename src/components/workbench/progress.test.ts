import { describe, expect, it, vi } from 'vitest';
import { loadLabState, saveLabState, stateKey, type KeyValueStore, type SavedLabState } from './persist';
import { clearProgress, describeImport, exportProgress, importProgress } from './progress';

function memoryStore(): KeyValueStore & { removeItem(k: string): void; data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}

const state = (code: string, completed = false): SavedLabState => ({
  schema: 1,
  labHash: 'h',
  files: { 'main.ts': code },
  seed: 3,
  steps: completed ? { a: 'pass' } : { a: 'fail' },
  completed,
});

const labs = ['dedup', 'backoff', 'loop'];

describe('progress export and import', () => {
  it('round-trips every saved lab to another browser, replacing what it had', () => {
    const from = memoryStore();
    saveLabState(from, 'dedup', state('mine', true));
    saveLabState(from, 'loop', state('loop code'));
    const file = exportProgress(from, labs);
    expect(Object.keys(file.labs)).toEqual(['dedup', 'loop']);

    const to = memoryStore();
    saveLabState(to, 'dedup', state('old'));
    const report = importProgress(to, JSON.stringify(file), labs);
    expect(report).toEqual({ imported: ['dedup', 'loop'], skipped: [] });
    expect(loadLabState(to, 'dedup')).toEqual({ status: 'ok', state: state('mine', true) });
    expect(loadLabState(to, 'loop')).toEqual({ status: 'ok', state: state('loop code') });
  });

  it('skips unknown labs and unusable entries, and says why', () => {
    const to = memoryStore();
    const text = JSON.stringify({ kind: 'kubelab-progress', version: 1, labs: { gone: state('x'), dedup: { schema: 2 }, backoff: state('b') } });
    const report = importProgress(to, text, labs);
    expect(report.imported).toEqual(['backoff']);
    expect(report.skipped).toEqual([
      { id: 'gone', reason: 'no lab with this id here' },
      { id: 'dedup', reason: 'unknown schema 2' },
    ]);
    expect(to.data.has(stateKey('dedup'))).toBe(false);
    expect(describeImport(report)).toBe('Imported 1 lab: backoff. Skipped gone (no lab with this id here); dedup (unknown schema 2).');
  });

  it.each([
    ['not json', /not JSON/],
    ['[1, 2]', /not a KubeLab progress export/],
    ['{"kind":"something-else"}', /not a KubeLab progress export/],
    ['{"kind":"kubelab-progress","version":2,"labs":{}}', /version 2; this KubeLab reads version 1/],
    ['{"kind":"kubelab-progress","version":1}', /no "labs" object/],
  ])('refuses %s with a clear message', (text, message) => {
    expect(() => importProgress(memoryStore(), text, labs)).toThrow(message);
  });

  it('reports labs the browser refused to store', () => {
    const full = { ...memoryStore(), setItem: () => { throw new Error('QuotaExceededError'); } };
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const report = importProgress(full, JSON.stringify({ kind: 'kubelab-progress', version: 1, labs: { loop: state('l') } }), labs);
    expect(report.skipped).toEqual([{ id: 'loop', reason: 'this browser refused to store it (storage full or blocked)' }]);
  });

  it('clears only the listed labs', () => {
    const store = memoryStore();
    saveLabState(store, 'dedup', state('a'));
    saveLabState(store, 'loop', state('b'));
    store.setItem('other-app', 'keep');
    expect(clearProgress(store, labs)).toBe(2);
    expect([...store.data.keys()]).toEqual(['other-app']);
  });
});
