import { afterEach, describe, expect, it, vi } from 'vitest';
import { isComplete, isLabCompleted, loadLabState, saveLabState, stateKey, type KeyValueStore, type SavedLabState } from './persist';

function memoryStore(init: Record<string, string> = {}): KeyValueStore & { data: Map<string, string> } {
  const data = new Map(Object.entries(init));
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

const state: SavedLabState = {
  schema: 1,
  labHash: 'abc123',
  files: { 'main.ts': 'console.log(1)' },
  seed: 7,
  steps: { dedupes: 'pass', backoff: 'fail' },
  completed: false,
};

afterEach(() => vi.restoreAllMocks());

describe('lab state persistence', () => {
  it('uses the versioned key kubelab:lab:<id>:v1', () => {
    expect(stateKey('workqueue-dedup')).toBe('kubelab:lab:workqueue-dedup:v1');
  });

  it('round-trips a saved state', () => {
    const store = memoryStore();
    expect(saveLabState(store, 'lab', state)).toBe(true);
    expect(loadLabState(store, 'lab')).toEqual({ status: 'ok', state });
  });

  it('reports empty when nothing is saved or storage is unavailable', () => {
    expect(loadLabState(memoryStore(), 'lab')).toEqual({ status: 'empty' });
    expect(loadLabState(undefined, 'lab')).toEqual({ status: 'empty' });
  });

  it('ignores malformed JSON with a warning and keeps the raw text in a backup key', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const store = memoryStore({ [stateKey('lab')]: '{"schema":1,"files":' });
    const r = loadLabState(store, 'lab');
    expect(r).toMatchObject({ status: 'unreadable', reason: 'not valid JSON', backupKey: 'kubelab:lab:lab:v1:corrupt' });
    expect(store.data.get('kubelab:lab:lab:v1:corrupt')).toBe('{"schema":1,"files":');
    expect(warn).toHaveBeenCalledOnce();
  });

  it('keeps a later unreadable value under a key of its own, without overwriting an earlier backup', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const store = memoryStore({ [stateKey('lab')]: 'new junk', 'kubelab:lab:lab:v1:corrupt': 'first junk' });
    expect(loadLabState(store, 'lab')).toMatchObject({ status: 'unreadable', backupKey: 'kubelab:lab:lab:v1:corrupt:2' });
    expect(store.data.get('kubelab:lab:lab:v1:corrupt')).toBe('first junk');
    expect(store.data.get('kubelab:lab:lab:v1:corrupt:2')).toBe('new junk');
    // Loading the same unreadable value again reuses its backup.
    expect(loadLabState(store, 'lab')).toMatchObject({ backupKey: 'kubelab:lab:lab:v1:corrupt:2' });
  });

  it('says so when the backup itself cannot be written', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const full: KeyValueStore = { getItem: (k) => (k === stateKey('lab') ? 'junk' : null), setItem: () => { throw new DOMException('full', 'QuotaExceededError'); } };
    expect(loadLabState(full, 'lab')).toMatchObject({ status: 'unreadable', backupKey: undefined });
  });

  it('treats an unknown schema or missing files as unreadable, not as empty', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    for (const bad of [{ ...state, schema: 2 }, { ...state, files: {} }, { ...state, files: { 'main.ts': 42 } }, [1, 2]]) {
      const r = loadLabState(memoryStore({ [stateKey('lab')]: JSON.stringify(bad) }), 'lab');
      expect(r.status).toBe('unreadable');
    }
  });

  it('keeps the files of a state with damaged optional fields', () => {
    const damaged = { schema: 1, files: { 'main.ts': 'x' }, seed: -3, steps: { a: 'pass', b: 'maybe' }, completed: 'yes' };
    const r = loadLabState(memoryStore({ [stateKey('lab')]: JSON.stringify(damaged) }), 'lab');
    expect(r).toEqual({ status: 'ok', state: { schema: 1, labHash: '', files: { 'main.ts': 'x' }, seed: 1, steps: { a: 'pass' }, completed: false } });
  });

  it('falls back to seed 1 when the saved seed is not an unsigned 32-bit integer', () => {
    for (const seed of [2 ** 32, 1e20, 1.5, '7']) {
      const r = loadLabState(memoryStore({ [stateKey('lab')]: JSON.stringify({ schema: 1, files: { 'main.ts': 'x' }, seed }) }), 'lab');
      expect(r.status === 'ok' && r.state.seed).toBe(1);
    }
    const max = loadLabState(memoryStore({ [stateKey('lab')]: JSON.stringify({ schema: 1, files: { 'main.ts': 'x' }, seed: 2 ** 32 - 1 }) }), 'lab');
    expect(max.status === 'ok' && max.state.seed).toBe(2 ** 32 - 1);
  });

  it('returns false instead of throwing when storage is full', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const full: KeyValueStore = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); } };
    expect(saveLabState(full, 'lab', state)).toBe(false);
  });
});

describe('completion', () => {
  it('is complete only when every check has passed', () => {
    expect(isComplete(['a', 'b'], { a: 'pass', b: 'pass' })).toBe(true);
    expect(isComplete(['a', 'b'], { a: 'pass', b: 'fail' })).toBe(false);
    expect(isComplete(['a', 'b'], { a: 'pass' })).toBe(false);
    expect(isComplete([], {})).toBe(false);
  });

  it('isLabCompleted reads the completed flag and tolerates junk', () => {
    const store = memoryStore({
      [stateKey('done')]: JSON.stringify({ ...state, completed: true }),
      [stateKey('open')]: JSON.stringify(state),
      [stateKey('junk')]: '{',
    });
    expect(isLabCompleted(store, 'done')).toBe(true);
    expect(isLabCompleted(store, 'open')).toBe(false);
    expect(isLabCompleted(store, 'junk')).toBe(false);
    expect(isLabCompleted(store, 'missing')).toBe(false);
  });
});
