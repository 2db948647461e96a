/**
 * The live workbench, loaded by boot.ts with a dynamic import(): xterm, the lab runtime client,
 * the simulated shell and the model visualization, wired to the page's buttons. Monaco (several
 * MB) is a separate chunk that loads in parallel: until it is up, Run and Check use the code the
 * static view shows (the learner cannot have edited it yet), so a Run clicked the moment the page
 * opens does not wait for the editor.
 */
import { DEFAULT_BUDGET_MS, createLabClient } from '../../lab/client';
import type { RenderedLine, Tone } from '../../lab/render';
import { createRunController, type RunOutcome } from '../../lab/run-controller';
import type { LabClusterSession } from '../../lab/lab-cluster';
import type { RaftSession } from '../../lab/raft-session';
import type { GoSession } from '../../lab/gogc-session';
import { LineEditor, MAX_SEED, ansi, createShell, registerTraceCommand, registerWorkbenchCommands, stripAnsi } from '../../lab/shell/index';
import { GUTTER_COLUMNS, LEARNER_GUTTER, plainTerminalText, sanitizeTerminalText, wrapColumns } from '../../lab/terminal-text';
import type { TraceEvent } from '../../sim/index';
import { formatEvent } from '../viz/format';
import { createVizHost, type VizHost } from '../viz/host';
import { modelViews } from '../viz/registry';
import type { EditorMarker, LabEditor } from './editor';
import type { Mirror } from './mirror';
import type { LabSession } from './session';
import { MAX_SHARED_BYTES, encodeShare } from './share';
import { showPlainCode } from './static-code';
import { createLabTerminal } from './terminal';

/** How each tone of the renderer's lines is painted in the terminal. */
const TONES: Record<Tone, ((s: string) => string) | undefined> = {
  plain: undefined,
  muted: ansi.gray,
  error: ansi.red,
  ok: ansi.green,
  warn: ansi.yellow,
  accent: ansi.cyan,
};
/** The gutter that marks learner output (stderr in red): learner text cannot produce it. */
const GUTTERS = { stdout: ansi.gray(LEARNER_GUTTER), stderr: ansi.red(LEARNER_GUTTER) };
const RESET = '\x1b[0m';
const PROMPT = `${ansi.green('kubelab')}${ansi.gray('$')} `;

export interface Workbench {
  action(name: string): Promise<void>;
}

/** How long a queued first run may hold the editor back (it normally ends within ~50 ms). */
const EDITOR_HOLD_MS = 1500;

export async function mountWorkbench({
  root,
  session,
  mirror,
  runQueued = () => false,
}: {
  root: HTMLElement;
  session: LabSession;
  mirror: Mirror;
  /** True when Run or Check was pressed before the workbench was up: it runs first. */
  runQueued?: () => boolean;
}): Promise<Workbench> {
  const data = session.data;
  const entry = data.entry;
  const isDark = () => document.documentElement.dataset.theme !== 'light';
  const fontFamily = getComputedStyle(root).getPropertyValue('--kl-mono').trim() || 'ui-monospace, Menlo, Consolas, monospace';
  const $ = <T extends HTMLElement>(sel: string) => root.querySelector<T>(sel)!;

  /** The lab's session cluster, once mounted (labs with `cluster` in lab.yaml). */
  let labCluster: LabClusterSession | undefined;

  // ---- running: start the runner worker first, it warms while the rest loads ----
  const client = createLabClient();
  void client.warm().catch(() => {});
  // The run controller prints through the terminal, which is created below (before any run).
  const controller = createRunController({
    client,
    budgetMs: DEFAULT_BUDGET_MS,
    print: (lines) => writeLines(lines),
    recordCheck: (name, passed) => session.recordCheck(name, passed),
  });

  // ---- editor (Monaco loads in parallel; see the file comment) ----
  const fileNames = Object.keys(data.files);
  const tabs = [...root.querySelectorAll<HTMLButtonElement>('[role="tab"][data-file]')];
  let editor: LabEditor | undefined;
  let pendingMarkers: EditorMarker[] = [];
  const files = (): Record<string, string> => (editor ? editor.getFiles() : Object.fromEntries(fileNames.map((n) => [n, session.files[n] ?? data.files[n]])));
  const getValue = (name: string): string => (editor ? editor.getValue(name) : files()[name]);
  const setValue = (name: string, text: string) => {
    if (editor) editor.setValue(name, text);
    else {
      session.saveFiles({ [name]: text });
      showPlainCode(root, name, text);
    }
  };
  const setRunMarkers = (markers: EditorMarker[]) => {
    if (editor) editor.setRunMarkers(markers);
    else pendingMarkers = markers;
  };

  // Parsing Monaco takes the main thread for a few hundred ms. When a Run was pressed before
  // the workbench was up, that run goes first and the editor loads once it has ended, so its
  // output is not held up (the code is on screen meanwhile). Otherwise the editor loads at once.
  let firstRunEnded: () => void = () => {};
  const firstRun = new Promise<void>((resolve) => (firstRunEnded = resolve));
  const editorGate = runQueued() ? Promise.race([firstRun, pause(EDITOR_HOLD_MS)]) : Promise.resolve();
  const editorReady: Promise<LabEditor> = editorGate.then(() => import('./editor')).then(({ createLabEditor }) => {
    const activeTab = tabs.find((t) => t.getAttribute('aria-selected') === 'true')?.dataset.file ?? entry;
    const staticHadFocus = !!document.activeElement?.closest('.kl-static-code');
    const ed = createLabEditor($('.kl-monaco'), files(), { dark: isDark(), fontFamily, initialFile: activeTab });
    editor = ed;
    $('.kl-editor-body').classList.add('is-live');
    root.dataset.live = '';
    if (staticHadFocus) ed.focus();
    if (pendingMarkers.length) ed.setRunMarkers(pendingMarkers);

    const selectTab = (file: string, focus = false) => {
      for (const t of tabs) {
        const on = t.dataset.file === file;
        t.setAttribute('aria-selected', String(on));
        t.tabIndex = on ? 0 : -1;
        if (on && focus) t.focus();
      }
      ed.show(file);
    };
    for (const t of tabs) {
      t.addEventListener('click', () => selectTab(t.dataset.file!));
      t.addEventListener('keydown', (e) => {
        const i = tabs.indexOf(t);
        const next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : -2;
        if (next === -2) return;
        e.preventDefault();
        selectTab(tabs[(next + tabs.length) % tabs.length].dataset.file!, true);
      });
    }

    let saveTimer: ReturnType<typeof setTimeout> | undefined;
    ed.onChange(() => {
      ed.setRunMarkers([]);
      // kubectl apply -f and cat read what the tabs hold now, even a keystroke ago.
      labCluster?.setFiles(ed.getFiles());
      clearTimeout(saveTimer);
      saveTimer = setTimeout(() => session.saveFiles(ed.getFiles()), 400);
    });
    addEventListener('pagehide', () => session.saveFiles(ed.getFiles()));
    ed.bind(ed.KeyMod.CtrlCmd | ed.KeyCode.Enter, () => void action('run'));
    ed.bind(ed.KeyMod.CtrlCmd | ed.KeyMod.Shift | ed.KeyCode.Enter, () => void action('check'));

    window.__kubelab = {
      ready: true,
      editor: ed.editor,
      setCode: (code: string) => ed.setValue(entry, code),
      setFile: (name: string, text: string) => ed.setValue(name, text),
      getCode: () => ed.getValue(entry),
      terminalText: () => mirror.text,
      terminalBuffer: () => term.bufferText(),
      terminalBufferType: () => term.bufferType(),
      terminalInvisibleCells: () => term.invisibleCells(),
      action,
      load: () => Promise.resolve(api),
    };
    return ed;
  });
  editorReady.catch((err: unknown) => {
    out(`The editor could not be loaded (${err instanceof Error ? err.message : String(err)}). Run and Check still work on the code shown; reload the page to edit.`, ansi.red);
  });

  // Declared before the terminal exists: a command typed while the view still loads may run.
  let running: Promise<void> | undefined;
  const seedInput = root.querySelector<HTMLInputElement>('.kl-seed input');

  // ---- terminal + shell ----
  const termHost = $('.kl-term-host');
  termHost.querySelector('.kl-term-placeholder')?.remove();
  const term = createLabTerminal(termHost, { dark: isDark(), fontFamily });

  let line: LineEditor;
  /**
   * Prints the workbench's own text (a line or several) without disturbing what is being typed
   * at the prompt. Colours stay; anything else that could drive the terminal is dropped (the
   * shell prints names that come from learner code).
   */
  const out = (text: string, style?: (s: string) => string) => {
    const body = sanitizeTerminalText(text.replace(/\r\n/g, '\n')).replace(/\n$/, '');
    const styled = style ? body.split('\n').map((l) => (l ? style(l) : l)).join('\n') : body;
    line.suspend();
    term.write(styled + '\n');
    line.restore();
    mirror.append(stripAnsi(body) + '\n');
  };
  /**
   * Prints rendered runner lines in one write. Learner output gets the gutter on every row (the
   * line is wrapped here, not by the terminal) and a style reset at its end.
   */
  const writeLines = (lines: RenderedLine[]) => {
    if (lines.length === 0) return;
    let text = '';
    let plain = '';
    const width = Math.max(10, term.cols() - GUTTER_COLUMNS);
    for (const l of lines) {
      if (l.learner) {
        const safe = sanitizeTerminalText(l.text);
        for (const row of wrapColumns(safe, width)) text += `${GUTTERS[l.learner]}${row}${RESET}\n`;
        // The mirror (screen readers, tests) reads the line whole.
        plain += `${LEARNER_GUTTER}${plainTerminalText(safe)}\n`;
      } else {
        const style = TONES[l.tone];
        const body = l.strong && style ? ansi.bold(style(l.text)) : style ? style(l.text) : l.text;
        text += `${body}\n`;
        plain += `${l.text}\n`;
      }
    }
    line.suspend();
    term.write(text);
    line.restore();
    mirror.append(plain);
  };
  const io = {
    print: (t: string) => out(t),
    error: (t: string) => out(t, ansi.red),
    clear: () => {
      term.clear();
      mirror.clear();
    },
  };

  const shell = registerWorkbenchCommands(createShell(), {
    run: () => execute('run'),
    check: () => execute('check'),
    reset: () => reset(),
    getSeed: () => session.seed,
    setSeed: (n) => session.setSeed(n),
  });
  shell.register('undo', {
    summary: 'bring back the code you had before the last reset, replace or shared link',
    run: () => undo(),
  });
  shell.register('share', { summary: 'make a link to this code and seed (copied to the clipboard)', run: () => share() });
  let lastTrace: readonly TraceEvent[] = [];
  registerTraceCommand(shell, {
    events: () => lastTrace,
    format: (e) => viz?.describe(e) ?? formatEvent(e),
    show: data.visualization.length ? (n) => viz?.timeline.setCursor(n) : undefined,
  });

  let commandInProgress: AbortController | undefined;
  line = new LineEditor({
    // Inside `ssh node-a` or `kubectl exec -it`, the nested shell's prompt.
    prompt: () => shell.nestedPrompt() ?? PROMPT,
    write: (d) => term.write(d),
    complete: (l) => shell.complete(l),
    onSubmit: (l) => {
      mirror.append(`${shell.nestedPrompt() ?? '$ '}${l}\n`);
      // Ctrl+C while a command waits (kubectl get -w) aborts that command, not the run.
      const command = new AbortController();
      commandInProgress = command;
      void shell.execute(l, io, { signal: command.signal }).then(() => {
        if (commandInProgress === command) commandInProgress = undefined;
        line.prompt();
      });
    },
    onInterrupt: () => {
      // Ctrl+C ends what waits: a command such as kubectl get -w, and a run in progress.
      commandInProgress?.abort();
      commandInProgress = undefined;
      void action('stop');
    },
    onClearScreen: () => io.clear(),
  });
  term.onData((d) => line.feed(d));

  out(`KubeLab terminal. Type ${ansi.bold('help')} for commands. Run: Ctrl+Enter · Check: Ctrl+Shift+Enter.`, ansi.gray);
  for (const note of session.pendingNotes.splice(0)) out(note, ansi.yellow);
  line.prompt();

  // ---- the lab's cluster (kubectl, etcdctl, ls, cat, sleep in the terminal) ----
  if (data.cluster) {
    const { mountLabCluster } = await import('../../lab/lab-cluster');
    labCluster = await mountLabCluster({
      shell, io, seed: session.seed, files: files(), apply: data.cluster.apply, scheduler: data.cluster.scheduler, network: data.cluster.network, garbageCollector: data.cluster.garbageCollector,
      controllers: data.cluster.controllers, nodes: data.cluster.nodes, metrics: data.cluster.metrics,
      // A curl in the terminal walks its packet through the nodes: the packet view shows the walk, at its end.
      onNetworkTrace: (events) => {
        lastTrace = events;
        viz?.setTrace(events);
      },
      // A kubectl delete the collector acted on: the owner graph shows the cascade, at its end.
      onGcTrace: (events) => {
        lastTrace = events;
        viz?.setTrace(events);
      },
      // Time passed with controllers or kubelets running: the rollout, HPA and kubelet views show what they did.
      onClusterTrace: (events) => {
        lastTrace = events;
        viz?.setTrace(events);
      },
    });
    out('This lab has a cluster: kubectl, etcdctl, ls and cat work in this terminal, and each Run starts from it (labCluster() in your code); reloading the page starts a fresh one.', ansi.gray);
    if (data.cluster.network) out(`Its nodes run the cluster network: ${ansi.bold('kubectl exec client -- curl -s http://web')}, ${ansi.bold('ssh node-a iptables-save -t nat')}, ${ansi.bold('ssh node-a')} for a shell on the node (${ansi.bold('exit')} to leave).`, ansi.gray);
    if (data.cluster.controllers) out(`Its controller manager runs the workload controllers: ${ansi.bold('kubectl apply -f deployment.yaml')}, then ${ansi.bold('kubectl rollout status deploy/<name>')}, ${ansi.bold('watch kubectl get deploy,rs,pods')} (Ctrl+C stops), ${ansi.bold('kubectl rollout history|undo')}.`, ansi.gray);
    if (data.cluster.nodes) out(`Its nodes run a kubelet and containerd: pods really start, probe, crash and restart. ${ansi.bold('kubectl describe pod <name>')}, ${ansi.bold('kubectl logs <name> --previous')}, ${ansi.bold('sleep 30s')} to let time pass.`, ansi.gray);
    if (data.cluster.garbageCollector) out(`Its controller manager runs the garbage collector: ${ansi.bold('kubectl delete <owner> --cascade=foreground')} (or orphan, or background) cascades to the objects whose ownerReferences name it; ${ansi.bold("kubectl get pods -o jsonpath='{.items[*].metadata.ownerReferences[*].name}'")} shows who owns what. The namespace controller runs too: ${ansi.bold('kubectl delete ns <name>')} empties it first, and ${ansi.bold('kubectl describe ns <name>')} shows what it still waits for.`, ansi.gray);
  }

  // ---- the lab's raft session (cluster commands in the terminal, the raft view) ----
  let raftSession: RaftSession | undefined;
  if (data.raft) {
    const { mountRaftSession } = await import('../../lab/raft-session');
    // With etcd the session is an EtcdCluster (its RaftCluster is what the cluster commands and the view use).
    const etcdSession = data.raft.etcd ? (await import('../../lab/etcd-session')).etcdSessionCluster : undefined;
    raftSession = mountRaftSession({
      shell,
      seed: session.seed,
      config: data.raft,
      cluster: etcdSession,
      // After each cluster command the view shows the session, at its end (a Run shows the run's trace).
      onChange: (events) => {
        lastTrace = events;
        viz?.setTrace(events);
      },
    });
    out(`This lab has a raft cluster of ${data.raft.members} members: type ${ansi.bold('cluster status')}, ${ansi.bold('cluster run 2s')}, ${ansi.bold('cluster crash <id>')} (${ansi.bold('help cluster')} for more), or click a member in the view. Reloading the page starts a fresh one.`, ansi.gray);
    if (data.raft.etcd) {
      out(`etcd v3.6 runs on its members: ${ansi.bold('etcdctl member list -w table')}, ${ansi.bold('etcdctl endpoint status -w table')}, ${ansi.bold('etcdctl put /k v')}, ${ansi.bold('etcdctl get /k --consistency=s')} (${ansi.bold('help etcdctl')}).${data.raft.apiServer ? ` An API server stores in it through member 1: ${ansi.bold('kubectl apply -f web-pod.yaml')}, ${ansi.bold('kubectl get pods')}.` : ''} A request that waits lets virtual time pass.`, ansi.gray);
    }
  }
  // ---- the lab's Go session (./app, gctrace, gc, heap in the terminal) ----
  let goSession: GoSession | undefined;
  if (data.go) {
    const { mountGoSession, goSessionIntro } = await import('../../lab/gogc-session');
    goSession = mountGoSession({
      shell,
      seed: session.seed,
      config: data.go,
      onChange: (events) => {
        lastTrace = events;
        viz?.setTrace(events);
      },
    });
    goSessionIntro({ print: (t) => out(t, ansi.gray) }, ansi.bold);
  }
  /** Runs `cmd` as if typed at the prompt (a view's button): echoed, then executed. */
  const runTyped = async (cmd: string) => {
    line.suspend();
    term.write(`${PROMPT}${cmd}\r\n`);
    mirror.append(`$ ${cmd}\n`);
    await shell.execute(cmd, io);
    line.restore();
  };

  // ---- visualization ----
  let viz: VizHost | undefined;
  const vizPanel = root.querySelector<HTMLElement>('.kl-viz');
  if (vizPanel && data.visualization.length) {
    viz = await createVizHost(
      vizPanel,
      viewsAsked() ?? data.visualization,
      {
        stage: $('.kl-viz-stage'),
        timeline: $('.kl-viz-timeline'),
        caption: $('.kl-viz-caption'),
      },
      raftSession ? { command: (cmd) => void runTyped(cmd) } : {},
    );
    if (raftSession) {
      lastTrace = raftSession.events;
      viz.setTrace(raftSession.events);
    }
    if (goSession) {
      lastTrace = goSession.events;
      viz.setTrace(goSession.events);
    }
  }

  // ---- theme ----
  new MutationObserver(() => {
    editor?.setDark(isDark());
    term.setDark(isDark());
  }).observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });

  // ---- running ----

  const setRunning = (mode: 'run' | 'check' | undefined) => {
    if (mode) root.dataset.running = mode;
    else delete root.dataset.running;
    const stop = root.querySelector<HTMLButtonElement>('[data-action="stop"]');
    // Read before hiding: Chromium moves focus off a hidden button at once.
    const stopHadFocus = !!stop && document.activeElement === stop;
    if (stop) stop.hidden = !mode;
    for (const b of root.querySelectorAll<HTMLButtonElement>('[data-action="run"], [data-action="check"]')) {
      b.setAttribute('aria-disabled', String(!!mode));
    }
    if (!mode && stopHadFocus) root.querySelector<HTMLElement>('[data-action="run"]')?.focus();
  };

  function execute(mode: 'run' | 'check'): Promise<void> {
    if (running) {
      out('A run is already in progress: press Stop (or Ctrl+C in the terminal) to end it.', ansi.yellow);
      return running;
    }
    commitSeedInput();
    running = doExecute(mode).finally(() => {
      running = undefined;
      setRunning(undefined);
      firstRunEnded();
    });
    return running;
  }

  async function doExecute(mode: 'run' | 'check') {
    const runFiles = files();
    session.saveFiles(runFiles);
    setRunMarkers([]);
    setRunning(mode);
    const seed = session.seed;
    out(`▶ ${mode} ${entry} · seed ${seed}`, ansi.cyan);
    let outcome: RunOutcome | undefined;
    try {
      labCluster?.setFiles(runFiles);
      outcome = await controller.execute({ labId: data.id, files: runFiles, entry, seed, mode, ...(labCluster ? { cluster: labCluster.log() } : {}) });
    } catch (err) {
      out(`internal error (a KubeLab bug): ${err instanceof Error ? err.message : String(err)}`, ansi.red);
      return;
    }
    if (!outcome) return;
    if (mode === 'check' && !outcome.result.killed && outcome.completed) {
      out('Lab complete: every step’s check has passed. Try the reflection question at the end of the steps.', ansi.green);
    }
    if (outcome.cluster && labCluster) {
      // What the run wrote reaches the session cluster now (a kubectl get -w running sees it).
      await labCluster.apply(outcome.cluster.changes, outcome.cluster.clockMs);
    }
    if (outcome.markers.length) setRunMarkers(outcome.markers);
    lastTrace = outcome.trace;
    viz?.setTrace(outcome.trace);
  }

  // ---- other actions ----
  const getFilesNow = () => files();
  const setAll = (files: Record<string, string>) => {
    for (const name of fileNames) if (files[name] !== undefined) setValue(name, files[name]);
    session.saveFiles(getFilesNow());
  };

  async function reset() {
    if (!window.confirm(`Reset ${fileNames.join(', ')} to the starter code?\n\nYour current code is kept for one Undo.`)) {
      out('reset cancelled', ansi.gray);
      return;
    }
    session.saveFiles(files());
    session.replaceFiles({ ...data.files }, 'reset');
    setAll(data.files);
    out('Starter code restored. “Undo reset” (or the undo command) brings your code back.', ansi.yellow);
  }

  async function undo() {
    const files = session.takeUndo();
    if (!files) {
      out('nothing to undo', ansi.gray);
      return;
    }
    setAll(files);
    out('Your previous code is back.', ansi.yellow);
  }

  async function share() {
    const code = getValue(entry);
    const size = new TextEncoder().encode(code).length;
    if (size > MAX_SHARED_BYTES) {
      out(`${entry} is ${Math.ceil(size / 1024)} KB; a share link carries at most ${MAX_SHARED_BYTES / 1024} KB of code, so none was made.`, ansi.yellow);
      return;
    }
    const hash = await encodeShare(code, session.seed);
    const url = new URL(location.href);
    url.hash = hash;
    let copied = false;
    try {
      await navigator.clipboard.writeText(url.href);
      copied = true;
    } catch {
      /* no clipboard permission: the link is shown to copy by hand */
    }
    out(`Share link ${copied ? 'copied to the clipboard' : 'made'} (${url.href.length} characters; it is also shown above the editor). It carries main.ts and seed ${session.seed}.`, ansi.cyan);
    const field = document.createElement('input');
    field.type = 'text';
    field.readOnly = true;
    field.value = url.href;
    field.className = 'kl-share-url';
    field.setAttribute('aria-label', 'Share link');
    field.addEventListener('focus', () => field.select());
    session.notice(
      'info',
      `${copied ? 'Link copied to the clipboard.' : 'Copy this link.'} Whoever opens it gets this code and seed ${session.seed}; nothing runs until they press Run.`,
      'share',
      undefined,
      field,
    );
    field.focus();
  }

  async function openSolution() {
    const dlg = root.querySelector<HTMLDialogElement>('dialog.kl-diff');
    if (!dlg) return;
    const editor = await editorReady;
    const diff = editor.openDiff(dlg.querySelector<HTMLElement>('.kl-diff-host')!, editor.getValue(entry), data.solution);
    dlg.returnValue = '';
    dlg.showModal();
    dlg.addEventListener(
      'close',
      () => {
        diff.dispose();
        if (dlg.returnValue === 'replace') {
          session.saveFiles(editor.getFiles());
          session.replaceFiles({ [entry]: data.solution }, 'solution');
          setAll({ [entry]: data.solution });
          out(`${entry} now holds the solution. “Undo replace” brings your code back.`, ansi.yellow);
        }
        root.querySelector<HTMLElement>('[data-action="solution"]')?.focus();
      },
      { once: true },
    );
  }
  const replaceBtn = root.querySelector<HTMLButtonElement>('dialog.kl-diff [value="replace"]');
  replaceBtn?.addEventListener('click', (e) => {
    if (!window.confirm(`Replace your ${entry} with the solution?\n\nYour code is kept for one Undo.`)) e.preventDefault();
  });

  /** Takes the seed field's value; also before a run, as Ctrl+Enter in the field fires no change event. */
  function commitSeedInput() {
    if (!seedInput || seedInput.value === String(session.seed)) return;
    const v = seedInput.value.trim();
    if (/^\d+$/.test(v) && Number(v) <= MAX_SEED) {
      session.setSeed(Number(v));
      out(`seed set to ${Number(v)}`, ansi.gray);
    } else {
      seedInput.value = String(session.seed);
      out(`not a seed: ${v || '(empty)'} (use an integer from 0 to ${MAX_SEED})`, ansi.red);
    }
  }
  seedInput?.addEventListener('change', commitSeedInput);

  async function action(name: string): Promise<void> {
    switch (name) {
      case 'run':
      case 'check':
        return execute(name);
      case 'stop':
        if (running) controller.stop();
        return;
      case 'solution':
        return openSolution();
      case 'share':
        return share();
      case 'reset':
        return reset();
      case 'undo':
        return undo();
      case 'focus-terminal':
        term.focus();
        return;
    }
  }

  const api: Workbench = { action };
  if (!editor) {
    // The editor is still loading: the hook reports what it can; editorReady fills in the rest.
    window.__kubelab = {
      ready: false,
      getCode: () => getValue(entry),
      terminalText: () => mirror.text,
      terminalBuffer: () => term.bufferText(),
      action,
      load: () => editorReady.then(() => api),
    };
  }
  return api;
}

/**
 * The views the page's address asks for (`?views=informer,etcd`), when they differ from the
 * lab's: a trainer's link can show more of the model than the lab names. Unknown names are ignored.
 */
function viewsAsked(): string[] | undefined {
  const asked = new URLSearchParams(location.search).get('views');
  if (asked === null) return undefined;
  const names = [...new Set(asked.split(/[\s,]+/))].filter((n) => n in modelViews);
  return names.length ? names : undefined;
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
