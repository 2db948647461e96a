/**
 * The learner's session on one lab page: the saved state (code, seed, check results, one-step
 * undo) and the parts of the page that show it (step marks, notices, the undo button). Part of
 * the small boot bundle, so it runs before Monaco and xterm are loaded.
 */
import {
  browserStore,
  isComplete,
  loadLabState,
  saveLabState,
  type CheckStatus,
  type KeyValueStore,
  type SavedLabState,
} from './persist';
import type { SessionControllers, SessionNetwork, SessionNodes } from '../../lab/lab-cluster';
import type { GoSessionConfig } from '../../lab/gogc-session';

/** What the page embeds for the client (JSON in #kl-lab-data). */
export interface LabData {
  id: string;
  title: string;
  /** Hash of the starter files; a different saved hash means the starter changed since. */
  hash: string;
  seed: number;
  entry: string;
  /** Starter files by name (`main.ts` first). */
  files: Record<string, string>;
  /** The solution of the entry file. */
  solution: string;
  /** Check names, one per step that has a check, in step order. */
  checks: string[];
  /** The model views shown on one timeline, in order (lab.yaml `visualization`; empty: none). */
  visualization: string[];
  /** The lab's session cluster (lab.yaml `cluster`), or undefined. */
  cluster?: { apply: string[]; scheduler?: boolean | { config?: string }; network?: SessionNetwork; garbageCollector?: boolean; controllers?: SessionControllers; nodes?: SessionNodes; metrics?: boolean };
  /** The lab's raft session (lab.yaml `raft`), or undefined. */
  raft?: { members: number; preVote?: boolean; checkQuorum?: boolean; etcd?: boolean; apiServer?: boolean };
  /** The lab's Go session (lab.yaml `go`), or undefined. */
  go?: GoSessionConfig;
}

export type NoticeKind = 'info' | 'warn';

const UNDO_LABELS: Record<string, string> = {
  reset: 'Undo reset',
  solution: 'Undo replace',
  share: 'Restore my code',
};

export class LabSession {
  state: SavedLabState;
  /** Lines for the terminal, kept until it exists. */
  readonly pendingNotes: string[] = [];
  /** Whether anything was saved before this visit. */
  readonly hadSavedState: boolean;
  private readonly store: KeyValueStore | undefined;

  constructor(
    readonly root: HTMLElement,
    readonly data: LabData,
    store: KeyValueStore | undefined = browserStore(),
  ) {
    this.store = store;
    const loaded = loadLabState(store, data.id);
    this.hadSavedState = loaded.status === 'ok';
    this.state = {
      schema: 1,
      labHash: data.hash,
      files: { ...data.files },
      seed: data.seed,
      steps: {},
      completed: false,
    };
    if (loaded.status === 'ok') {
      const saved = loaded.state;
      // Keep the learner's files; add files the lab gained since, drop none.
      this.state = { ...saved, files: { ...data.files, ...saved.files } };
      if (saved.labHash !== data.hash) {
        this.notice(
          'warn',
          'This lab’s starter code has changed since you saved your work. Your code is kept as it was; Reset loads the new starter (and Undo brings yours back).',
          'starter-changed',
          () => {
            this.state.labHash = this.data.hash;
            this.save();
          },
        );
      }
    } else if (loaded.status === 'unreadable') {
      this.notice(
        'warn',
        `Saved progress for this lab could not be read (${loaded.reason}), so the starter code is shown. ` +
          (loaded.backupKey
            ? `That unreadable data is kept in localStorage under “${loaded.backupKey}”.`
            : 'That unreadable data could not be backed up (browser storage is full) and will be replaced when your work is saved.'),
        'unreadable',
      );
    }
    // Completion is kept once reached: a later failing Check shows on its step, not on the lab.
    this.state.completed = this.state.completed || isComplete(data.checks, this.state.steps);
    this.renderSteps();
    this.renderUndo();
    this.renderSeed();
  }

  get files(): Record<string, string> {
    return this.state.files;
  }

  get seed(): number {
    return this.state.seed;
  }

  /** Whether the entry file differs from the starter. */
  get edited(): boolean {
    return this.state.files[this.data.entry] !== this.data.files[this.data.entry];
  }

  /** Saves the state; when storage refuses, a notice says so (and goes once a save works again). */
  save(): boolean {
    const ok = saveLabState(this.store, this.data.id, this.state);
    if (!ok && this.store && !this.saveFailed) {
      this.saveFailed = true;
      this.notice(
        'warn',
        'Your work could not be saved in this browser (its storage is full or blocked), so it will be lost when you close this page. Keep a copy: Share makes a link with your code, or copy it from the editor.',
        'save-failed',
      );
    } else if (ok && this.saveFailed) {
      this.saveFailed = false;
      this.dismiss('save-failed', false);
    }
    return ok;
  }

  /** Whether the last save failed (the notice is showing). */
  saveFailed = false;

  saveFiles(files: Record<string, string>): void {
    const same = Object.entries(files).every(([k, v]) => this.state.files[k] === v);
    if (same) return;
    this.state.files = { ...this.state.files, ...files };
    this.save();
  }

  setSeed(seed: number): void {
    this.state.seed = seed;
    this.save();
    this.renderSeed();
  }

  /** Records one check's result; returns true when this made the lab complete (the first time). */
  recordCheck(name: string, passed: boolean): boolean {
    const status: CheckStatus = passed ? 'pass' : 'fail';
    const was = this.state.completed;
    this.state.steps = { ...this.state.steps, [name]: status };
    this.state.completed = was || isComplete(this.data.checks, this.state.steps);
    this.save();
    this.renderSteps();
    return !was && this.state.completed;
  }

  /** Replaces all files, keeping the current ones as the one-step undo. */
  replaceFiles(files: Record<string, string>, reason: 'reset' | 'solution' | 'share'): void {
    this.state.undo = { files: { ...this.state.files }, reason };
    this.state.files = { ...this.state.files, ...files };
    if (reason === 'reset') this.state.labHash = this.data.hash;
    this.save();
    this.renderUndo();
    if (reason === 'reset') this.dismiss('starter-changed');
  }

  /**
   * Loads code from a share link into the entry file. The learner's own code is never lost: it
   * becomes the undo (“Restore my code”), unless what is shown is not theirs — the code an
   * earlier link loaded, untouched, or the starter — in which case the undo they already have is
   * kept. Returns false when the link's code is what is shown already.
   */
  loadShared(code: string): boolean {
    const entry = this.data.entry;
    const current = this.state.files[entry];
    if (code === current) return false;
    const notTheirs = (this.state.sharedCode !== undefined && current === this.state.sharedCode) || current === this.data.files[entry];
    if (!(notTheirs && this.state.undo)) this.state.undo = { files: { ...this.state.files }, reason: 'share' };
    this.state.files = { ...this.state.files, [entry]: code };
    this.state.sharedCode = code;
    this.save();
    this.renderUndo();
    return true;
  }

  /** Takes the undo files (and forgets them); undefined if there is nothing to undo. */
  takeUndo(): Record<string, string> | undefined {
    const undo = this.state.undo;
    if (!undo) return undefined;
    delete this.state.undo;
    this.state.files = { ...this.state.files, ...undo.files };
    this.save();
    this.renderUndo();
    return undo.files;
  }

  // ---- the page ----

  renderSteps(): void {
    const labels: Record<string, string> = { pass: 'passed', fail: 'failed', none: 'not checked yet' };
    const marks: Record<string, string> = { pass: '✓', fail: '✗', none: '·' };
    for (const li of this.root.querySelectorAll<HTMLElement>('[data-step-check]')) {
      const status = this.state.steps[li.dataset.stepCheck!] ?? 'none';
      li.dataset.status = status;
      const mark = li.querySelector('.kl-step-mark');
      const label = li.querySelector('.kl-step-label');
      if (mark) mark.textContent = marks[status];
      if (label) label.textContent = labels[status];
    }
    const done = this.root.querySelector<HTMLElement>('.kl-done-badge');
    if (done) done.hidden = !this.state.completed;
    const passed = this.data.checks.filter((c) => this.state.steps[c] === 'pass').length;
    const progress = this.root.querySelector('.kl-steps-progress');
    if (progress) progress.textContent = `${passed}/${this.data.checks.length} passed`;
  }

  renderUndo(): void {
    const btn = this.root.querySelector<HTMLButtonElement>('[data-action="undo"]');
    if (!btn) return;
    const undo = this.state.undo;
    btn.hidden = !undo;
    if (undo) {
      const label = UNDO_LABELS[undo.reason] ?? 'Undo';
      btn.textContent = label;
      btn.title = `${label}: put back the code you had before`;
    }
  }

  renderSeed(): void {
    const input = this.root.querySelector<HTMLInputElement>('.kl-seed input');
    if (input && input.value !== String(this.state.seed)) input.value = String(this.state.seed);
  }

  /** Shows a notice above the workbench (one per `key`); `onDismiss` runs when it is closed. */
  notice(kind: NoticeKind, text: string, key: string, onDismiss?: () => void, extra?: HTMLElement): HTMLElement | undefined {
    const area = this.root.querySelector<HTMLElement>('.kl-notices');
    if (!area) return undefined;
    this.dismiss(key, false);
    const box = document.createElement('div');
    box.className = `kl-notice kl-notice-${kind}`;
    box.dataset.key = key;
    box.setAttribute('role', kind === 'warn' ? 'alert' : 'status');
    const p = document.createElement('p');
    p.textContent = text;
    box.append(p);
    if (extra) box.append(extra);
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'kl-notice-close';
    close.textContent = 'Dismiss';
    close.setAttribute('aria-label', 'Dismiss this notice');
    close.addEventListener('click', () => {
      this.dismiss(key);
      onDismiss?.();
    });
    box.append(close);
    area.append(box);
    area.hidden = false;
    return box;
  }

  dismiss(key: string, refocus = true): void {
    const area = this.root.querySelector<HTMLElement>('.kl-notices');
    const box = area?.querySelector(`[data-key="${key}"]`);
    if (!area || !box) return;
    const hadFocus = box.contains(document.activeElement);
    box.remove();
    area.hidden = area.childElementCount === 0;
    if (hadFocus && refocus) this.root.querySelector<HTMLElement>('[data-action="run"]')?.focus();
  }
}
