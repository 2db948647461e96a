/**
 * The learner's progress for one lab, kept in localStorage under `kubelab:lab:<id>:v1`.
 * Small on purpose: the sidebar and the labs index import it on every page.
 *
 * Never lose work: an unreadable value is copied to a backup key of its own (`<key>:corrupt`,
 * then `<key>:corrupt:2`, …; an earlier backup is never overwritten) before anything is written
 * over it, and saved code from an older starter is kept (the page shows a notice instead).
 */

export type CheckStatus = 'pass' | 'fail';

export interface SavedLabState {
  schema: 1;
  /** Hash of the lab's starter files when the learner's code was saved. */
  labHash: string;
  /** The learner's files by name (`main.ts`, ...). */
  files: Record<string, string>;
  seed: number;
  /** Last result per check name. */
  steps: Record<string, CheckStatus>;
  /** Every step that has a check has passed. */
  completed: boolean;
  /** The files before the last Reset / Replace with solution / shared link (one-step undo). */
  undo?: { files: Record<string, string>; reason: string };
  /** The code the last share link loaded (so a second link knows it is not the learner's own). */
  sharedCode?: string;
}

/** The part of `Storage` we use (so tests can pass a Map-backed fake). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export const stateKey = (labId: string) => `kubelab:lab:${labId}:v1`;

export type LoadResult =
  | { status: 'empty' }
  | { status: 'ok'; state: SavedLabState }
  /** The stored value could not be used; it was copied to `backupKey` (undefined: it could not be, storage is full). */
  | { status: 'unreadable'; reason: string; backupKey: string | undefined };

/** How many backups of unreadable values one lab keeps at most. */
const MAX_BACKUPS = 20;

const isStringRecord = (v: unknown): v is Record<string, string> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');

/** The default store, or undefined where localStorage is unavailable (private mode, SSR). */
export function browserStore(): KeyValueStore | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

export function loadLabState(store: KeyValueStore | undefined, labId: string): LoadResult {
  if (!store) return { status: 'empty' };
  const key = stateKey(labId);
  let raw: string | null;
  try {
    raw = store.getItem(key);
  } catch {
    return { status: 'empty' };
  }
  if (raw === null) return { status: 'empty' };
  const reject = (reason: string): LoadResult => {
    const backupKey = keepBackup(store, `${key}:corrupt`, raw!);
    console.warn(`[kubelab] ignoring saved state for lab "${labId}": ${reason} (${backupKey ? `the raw value is kept under ${backupKey}` : 'the raw value could not be backed up'})`);
    return { status: 'unreadable', reason, backupKey };
  };
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return reject('not valid JSON');
  }
  const parsed = parseLabState(data);
  return typeof parsed === 'string' ? reject(parsed) : { status: 'ok', state: parsed };
}

/**
 * Stores `raw` under `base`, or `base:2`, `base:3`… (the first free key; the key that already
 * holds this very value). Undefined when storage refused.
 */
function keepBackup(store: KeyValueStore, base: string, raw: string): string | undefined {
  try {
    for (let i = 1; i <= MAX_BACKUPS; i++) {
      const k = i === 1 ? base : `${base}:${i}`;
      const held = store.getItem(k);
      if (held === raw) return k;
      if (held === null) {
        store.setItem(k, raw);
        return k;
      }
    }
  } catch {
    /* storage full or blocked */
  }
  return undefined;
}

/**
 * A saved state from parsed JSON, repaired where it can be (unknown step results dropped, a bad
 * seed replaced by 1); a string saying why when it cannot be used.
 */
export function parseLabState(data: unknown): SavedLabState | string {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return 'not an object';
  const d = data as Record<string, unknown>;
  if (d.schema !== 1) return `unknown schema ${JSON.stringify(d.schema)}`;
  if (!isStringRecord(d.files) || Object.keys(d.files).length === 0) return 'no files';
  const steps: Record<string, CheckStatus> = {};
  if (typeof d.steps === 'object' && d.steps !== null) {
    for (const [name, v] of Object.entries(d.steps)) if (v === 'pass' || v === 'fail') steps[name] = v;
  }
  const undo =
    typeof d.undo === 'object' && d.undo !== null && isStringRecord((d.undo as { files?: unknown }).files)
      ? { files: (d.undo as { files: Record<string, string> }).files, reason: String((d.undo as { reason?: unknown }).reason ?? 'reset') }
      : undefined;
  return {
    schema: 1,
    labHash: typeof d.labHash === 'string' ? d.labHash : '',
    files: d.files,
    seed: Number.isInteger(d.seed) && (d.seed as number) >= 0 && (d.seed as number) <= 0xffffffff ? (d.seed as number) : 1,
    steps,
    completed: d.completed === true,
    ...(undo ? { undo } : {}),
    ...(typeof d.sharedCode === 'string' ? { sharedCode: d.sharedCode } : {}),
  };
}

/** Writes the state; returns false when storage refused (full, blocked). */
export function saveLabState(store: KeyValueStore | undefined, labId: string, state: SavedLabState): boolean {
  if (!store) return false;
  try {
    store.setItem(stateKey(labId), JSON.stringify(state));
    return true;
  } catch (err) {
    console.warn(`[kubelab] could not save lab "${labId}":`, err);
    return false;
  }
}

/** A lab is completed when every step that names a check has passed. */
export function isComplete(checkNames: string[], steps: Record<string, CheckStatus>): boolean {
  return checkNames.length > 0 && checkNames.every((name) => steps[name] === 'pass');
}

/** Whether the learner has completed `labId` (false when nothing or nothing usable is saved). */
export function isLabCompleted(store: KeyValueStore | undefined, labId: string): boolean {
  if (!store) return false;
  try {
    const raw = store.getItem(stateKey(labId));
    if (!raw) return false;
    const d = JSON.parse(raw);
    return d?.schema === 1 && d.completed === true;
  } catch {
    return false;
  }
}
