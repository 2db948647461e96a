/**
 * The lab page's first script, kept small: restores the learner's state, makes the layout
 * usable, and loads the heavy workbench (Monaco + xterm) with a dynamic import() on the first
 * interaction with the workbench, or once the page has been idle for a moment after load,
 * whichever comes first. Button clicks and shortcuts before then are queued, not lost.
 */
import { recordVisit } from './last-visit';
import { setupLayout } from './layout';
import { Mirror } from './mirror';
import { browserStore } from './persist';
import { LabSession, type LabData } from './session';
import { decodeShare } from './share';
import { showPlainCode } from './static-code';

/** After the load event, wait this long (then for an idle moment) before fetching the editor. */
const IDLE_DELAY_MS = 2500;

type Workbench = Awaited<ReturnType<typeof import('./workbench')['mountWorkbench']>>;

declare global {
  interface Window {
    /** Test and debugging hook; see workbench.ts for the full shape once loaded. */
    __kubelab?: Record<string, unknown>;
  }
}

const root = document.querySelector<HTMLElement>('.kl-workbench');
if (root) boot(root);

function boot(root: HTMLElement) {
  const data = JSON.parse(root.querySelector('#kl-lab-data')!.textContent!) as LabData;
  const session = new LabSession(root, data);
  recordVisit(browserStore(), location.pathname, data.title);
  const mirror = new Mirror(root.querySelector<HTMLElement>('[data-testid="terminal-mirror"]')!);
  try {
    setupLayout(root);
    announceShortcuts(root);
  } catch (err) {
    // A layout problem must not take Run, Check and the learner's code down with it.
    console.error('[kubelab] layout setup failed:', err);
  }
  if (session.edited) showPlainCode(root, data.entry, session.files[data.entry]);

  // A share link (#code=...&seed=N) loads its code but never runs it.
  const shared = location.hash.includes('code=') ? applyShareLink(root, session) : Promise.resolve();
  addEventListener('hashchange', () => {
    if (location.hash.includes('code=')) location.reload();
  });

  let loading: Promise<Workbench> | undefined;
  let mounted = false;
  let runQueued = false;
  const status = root.querySelector<HTMLElement>('.kl-term-placeholder');
  const load = (): Promise<Workbench> =>
    (loading ??= shared
      .then(() => {
        root.dataset.loading = 'true';
        return import('./workbench');
      })
      .then((m) => m.mountWorkbench({ root, session, mirror, runQueued: () => runQueued }))
      .then((wb) => {
        mounted = true;
        delete root.dataset.loading;
        return wb;
      })
      .catch((err: unknown) => {
        loading = undefined;
        delete root.dataset.loading;
        const msg = `The editor could not be loaded (${err instanceof Error ? err.message : String(err)}). Reload the page to try again; your code is saved.`;
        if (status) status.textContent = msg;
        mirror.append(msg + '\n');
        throw err;
      }));

  const act = (action: string) => {
    if (!mounted && (action === 'run' || action === 'check')) runQueued = true;
    void load().then((wb) => wb.action(action), () => {});
  };

  root.addEventListener('click', (e) => {
    const btn = (e.target as Element).closest<HTMLElement>('[data-action]');
    if (btn && root.contains(btn)) act(btn.dataset.action!);
    // File tabs work before the editor is up: they switch the static views (the editor opens
    // on the selected tab).
    const tab = (e.target as Element).closest<HTMLElement>('[role="tab"][data-file]');
    if (tab && root.dataset.live === undefined) selectStaticTab(root, tab.dataset.file!);
  });
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' || !(e.ctrlKey || e.metaKey) || e.altKey) return;
    const target = e.target as Element | null;
    // Inside Monaco the editor's own key binding runs the same action; elsewhere on the page
    // (the search dialog, say) the shortcut is not ours.
    if (target?.closest?.('.monaco-editor')) return;
    if (target && target !== document.body && !root.contains(target)) return;
    e.preventDefault();
    act(e.shiftKey ? 'check' : 'run');
  });
  const onFirstInteraction = () => {
    for (const type of ['pointerdown', 'focusin', 'keydown'] as const) root.removeEventListener(type, onFirstInteraction, true);
    void load().catch(() => {});
  };
  for (const type of ['pointerdown', 'focusin', 'keydown'] as const) root.addEventListener(type, onFirstInteraction, true);

  const whenIdle = () => {
    const go = () => void load().catch(() => {});
    if ('requestIdleCallback' in window) requestIdleCallback(go, { timeout: 3000 });
    else setTimeout(go, 0);
  };
  if (document.readyState === 'complete') setTimeout(whenIdle, IDLE_DELAY_MS);
  else addEventListener('load', () => setTimeout(whenIdle, IDLE_DELAY_MS), { once: true });

  window.__kubelab = {
    ready: false,
    load,
    getCode: () => session.files[data.entry],
    terminalText: () => mirror.text,
  };
}

async function applyShareLink(root: HTMLElement, session: LabSession): Promise<void> {
  const entry = session.data.entry;
  try {
    const shared = await decodeShare(location.hash);
    if (!shared) return;
    if (session.loadShared(shared.code)) showPlainCode(root, entry, shared.code);
    if (shared.seed !== undefined && shared.seed !== session.seed) session.setSeed(shared.seed);
    const seedText = shared.seed !== undefined ? ` with seed ${shared.seed}` : '';
    session.notice(
      'info',
      `Loaded code from a shared link${seedText}. It has not been run: read it, then press Run.${session.state.undo ? ` “${session.state.undo.reason === 'share' ? 'Restore my code' : 'Undo'}” brings back your own code.` : ''}`,
      'shared',
    );
    session.pendingNotes.push(`Loaded ${entry} from a shared link${seedText}. Nothing has run yet: press Run (Ctrl+Enter) when you are ready.`);
  } catch (err) {
    session.notice('warn', `This share link could not be opened: ${err instanceof Error ? err.message : String(err)}. Your own code is shown.`, 'shared');
  } finally {
    // The code now lives in the editor (and localStorage); a reload must not load it again.
    history.replaceState(history.state, '', location.pathname + location.search);
  }
}

function selectStaticTab(root: HTMLElement, file: string) {
  for (const t of root.querySelectorAll<HTMLElement>('[role="tab"][data-file]')) {
    const on = t.dataset.file === file;
    t.setAttribute('aria-selected', String(on));
    t.tabIndex = on ? 0 : -1;
  }
  for (const v of root.querySelectorAll<HTMLElement>('.kl-static-code[data-file]')) v.hidden = v.dataset.file !== file;
}

/** On Apple platforms the shortcuts use Cmd; say so in titles. */
function announceShortcuts(root: HTMLElement) {
  const mac = /Mac|iPhone|iPad/.test(navigator.userAgent);
  if (!mac) return;
  for (const el of root.querySelectorAll<HTMLElement>('[title*="Ctrl+"]')) el.title = el.title.replace(/Ctrl\+/g, '⌘');
}
