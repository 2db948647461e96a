import { describe, expect, it } from 'vitest';
import type { KeyValueStore } from './persist';
import { LAST_VISIT_KEY, lastVisit, recordVisit, visitKind } from './last-visit';

const memoryStore = (): KeyValueStore & { data: Map<string, string> } => {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
};

describe('last visit', () => {
  it.each([
    ['/workqueues/the-queue/', 'lesson'],
    ['/start/control-loops/', 'lesson'],
    ['/labs/workqueue-dedup/', 'lab'],
    ['/', undefined],
    ['/labs/', undefined],
    ['/404', undefined],
    ['/reference/lab-format/', undefined],
    ['/workqueues/', undefined],
  ])('%s counts as %s', (path, kind) => {
    expect(visitKind(path)).toBe(kind);
  });

  it('remembers the last lesson or lab, ignores other pages, and tolerates junk', () => {
    const store = memoryStore();
    recordVisit(store, '/workqueues/the-queue/', '  The queue — add, get, done ');
    recordVisit(store, '/labs/', 'Labs');
    expect(lastVisit(store)).toEqual({ path: '/workqueues/the-queue/', title: 'The queue — add, get, done', kind: 'lesson' });
    recordVisit(store, '/labs/workqueue-backoff/', 'Exponential backoff');
    expect(lastVisit(store)?.kind).toBe('lab');
    store.setItem(LAST_VISIT_KEY, '{"path":"https://evil.example/","title":"x","kind":"lesson"}');
    expect(lastVisit(store)).toBeUndefined();
    store.setItem(LAST_VISIT_KEY, 'not json');
    expect(lastVisit(store)).toBeUndefined();
    expect(lastVisit(undefined)).toBeUndefined();
  });
});
