/**
 * The page the learner read or worked on last, so the home page can offer to continue there.
 * Kept in localStorage under `kubelab:last-visit:v1`; lesson and lab pages record themselves.
 */
import type { KeyValueStore } from './persist';

export const LAST_VISIT_KEY = 'kubelab:last-visit:v1';

export interface LastVisit {
  path: string;
  title: string;
  kind: 'lesson' | 'lab';
}

/** Which pages count as a place to come back to: lessons and single labs, not indexes or the home page. */
export function visitKind(path: string): LastVisit['kind'] | undefined {
  if (/^\/labs\/[a-z0-9-]+\/?$/.test(path)) return 'lab';
  if (path === '/' || /^\/(labs|404)(\/|\.html)?$/.test(path) || path.startsWith('/reference/')) return undefined;
  return /^\/[a-z0-9-]+\/[a-z0-9-]+\/?$/.test(path) ? 'lesson' : undefined;
}

export function recordVisit(store: KeyValueStore | undefined, path: string, title: string): void {
  const kind = visitKind(path);
  if (!store || !kind || !title.trim()) return;
  try {
    store.setItem(LAST_VISIT_KEY, JSON.stringify({ path, title: title.trim(), kind } satisfies LastVisit));
  } catch {
    /* storage full or blocked: nothing to remember */
  }
}

export function lastVisit(store: KeyValueStore | undefined): LastVisit | undefined {
  try {
    const d = JSON.parse(store?.getItem(LAST_VISIT_KEY) ?? 'null') as Partial<LastVisit> | null;
    if (!d || typeof d.path !== 'string' || typeof d.title !== 'string') return undefined;
    const kind = visitKind(d.path);
    return kind && kind === d.kind ? { path: d.path, title: d.title, kind } : undefined;
  } catch {
    return undefined;
  }
}
