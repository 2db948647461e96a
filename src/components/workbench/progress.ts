/**
 * All of a learner's lab progress as one file: export it from one browser, import it in another
 * (a training-room machine, a new laptop), or clear it. Used by the labs index page.
 */
import { loadLabState, parseLabState, saveLabState, stateKey, type KeyValueStore, type SavedLabState } from './persist';

export const PROGRESS_KIND = 'kubelab-progress';

/** The exported file: saved lab states by lab id. */
export interface ProgressFile {
  kind: typeof PROGRESS_KIND;
  version: 1;
  labs: Record<string, SavedLabState>;
}

export interface ImportReport {
  /** Lab ids whose saved state was replaced by the file's. */
  imported: string[];
  /** Entries that were not imported, with why. */
  skipped: Array<{ id: string; reason: string }>;
}

/** The saved state of every lab in `labIds` that has one. */
export function exportProgress(store: KeyValueStore | undefined, labIds: readonly string[]): ProgressFile {
  const labs: Record<string, SavedLabState> = {};
  for (const id of labIds) {
    const loaded = loadLabState(store, id);
    if (loaded.status === 'ok') labs[id] = loaded.state;
  }
  return { kind: PROGRESS_KIND, version: 1, labs };
}

/**
 * Reads an exported file and saves each lab's state over this browser's. Throws an Error with a
 * readable message when the file as a whole is not a KubeLab progress file; single bad entries
 * are skipped and reported.
 */
export function importProgress(store: KeyValueStore, text: string, labIds: readonly string[]): ImportReport {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`the file is not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const d = data as Partial<ProgressFile> | null;
  if (typeof d !== 'object' || d === null || d.kind !== PROGRESS_KIND) {
    throw new Error(`the file is not a KubeLab progress export (expected "kind": "${PROGRESS_KIND}")`);
  }
  if (d.version !== 1) throw new Error(`the file has version ${JSON.stringify(d.version)}; this KubeLab reads version 1`);
  if (typeof d.labs !== 'object' || d.labs === null || Array.isArray(d.labs)) throw new Error('the file has no "labs" object');
  const known = new Set(labIds);
  const report: ImportReport = { imported: [], skipped: [] };
  for (const [id, value] of Object.entries(d.labs)) {
    if (!known.has(id)) {
      report.skipped.push({ id, reason: 'no lab with this id here' });
      continue;
    }
    const state = parseLabState(value);
    if (typeof state === 'string') {
      report.skipped.push({ id, reason: state });
      continue;
    }
    if (saveLabState(store, id, state)) report.imported.push(id);
    else report.skipped.push({ id, reason: 'this browser refused to store it (storage full or blocked)' });
  }
  return report;
}

/** Removes the saved state of every lab in `labIds`; returns how many had one. */
export function clearProgress(store: KeyValueStore & { removeItem(key: string): void }, labIds: readonly string[]): number {
  let cleared = 0;
  for (const id of labIds) {
    const key = stateKey(id);
    if (store.getItem(key) === null) continue;
    store.removeItem(key);
    cleared++;
  }
  return cleared;
}

/** The report as one sentence for the page. */
export function describeImport(report: ImportReport): string {
  const n = report.imported.length;
  const head = n === 0 ? 'Nothing was imported.' : `Imported ${n} lab${n === 1 ? '' : 's'}: ${report.imported.join(', ')}.`;
  if (report.skipped.length === 0) return head;
  return `${head} Skipped ${report.skipped.map((s) => `${s.id} (${s.reason})`).join('; ')}.`;
}
