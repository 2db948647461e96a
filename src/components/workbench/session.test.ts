// LabSession without a page: a root that holds no elements, and an in-memory store.
import { describe, expect, it, vi } from 'vitest';
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
  visualization: [],
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

describe('LabSession and share links', () => {
  it('keeps the learner’s own code recoverable after two links in a row', () => {
    const s = new LabSession(noPage, lab, memoryStore());
    s.saveFiles({ 'main.ts': 'my own code' });
    expect(s.loadShared('link one')).toBe(true);
    expect(s.loadShared('link two')).toBe(true);
    expect(s.files['main.ts']).toBe('link two');
    expect(s.state.undo).toEqual({ files: { 'main.ts': 'my own code' }, reason: 'share' });
    expect(s.takeUndo()).toEqual({ 'main.ts': 'my own code' });
  });

  it('treats link code the learner edited as their own', () => {
    const s = new LabSession(noPage, lab, memoryStore());
    s.saveFiles({ 'main.ts': 'mine' });
    s.loadShared('link one');
    s.saveFiles({ 'main.ts': 'link one, edited' });
    s.loadShared('link two');
    expect(s.state.undo?.files['main.ts']).toBe('link one, edited');
  });

  it('does not touch anything when the link carries the code already shown', () => {
    const s = new LabSession(noPage, lab, memoryStore());
    s.saveFiles({ 'main.ts': 'same' });
    expect(s.loadShared('same')).toBe(false);
    expect(s.state.undo).toBeUndefined();
  });
});

describe('LabSession saving', () => {
  it('says so when storage refuses a save, and stops saying so once a save works', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    let full = false;
    const data = new Map<string, string>();
    const store: KeyValueStore = {
      getItem: (k) => data.get(k) ?? null,
      setItem: (k, v) => {
        if (full) throw new DOMException('quota', 'QuotaExceededError');
        data.set(k, v);
      },
    };
    const s = new LabSession(noPage, lab, store);
    full = true;
    s.saveFiles({ 'main.ts': 'unsaved edit' });
    expect(s.saveFailed).toBe(true);
    full = false;
    s.saveFiles({ 'main.ts': 'saved edit' });
    expect(s.saveFailed).toBe(false);
    expect(JSON.parse(data.get(stateKey('demo'))!).files['main.ts']).toBe('saved edit');
  });
});
