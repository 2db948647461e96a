/**
 * Monaco behind one small interface. This is the only file that imports `monaco-editor`; the
 * workbench loads it with a dynamic import() after first paint, so lesson pages never see it.
 */
import * as monaco from 'monaco-editor';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import kubelabTypes from '../../lab/generated/kubelab.d.ts?raw';

// Monaco 0.57 needs a worker for every label. The TS worker is created from the same URL Monaco
// uses internally so Vite bundles it once (see notes/stack-facts.md Q4).
self.MonacoEnvironment = {
  getWorker(_workerId: string, label: string) {
    if (label === 'typescript' || label === 'javascript') {
      return new Worker(
        new URL('../../../node_modules/monaco-editor/esm/vs/languages/features/typescript/ts.worker.js', import.meta.url),
        { type: 'module' },
      );
    }
    return new EditorWorker();
  },
};

const ts = monaco.typescript;
ts.typescriptDefaults.setCompilerOptions({
  target: ts.ScriptTarget.ESNext,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.NodeJs,
  strict: true,
  allowNonTsExtensions: true,
  noEmit: true,
  skipLibCheck: true,
  lib: ['es2022', 'dom'],
});
ts.typescriptDefaults.setDiagnosticsOptions({ noSemanticValidation: false, noSyntaxValidation: false });
ts.typescriptDefaults.addExtraLib(kubelabTypes, 'file:///node_modules/@types/kubelab/index.d.ts');

/** A place in a file, 1-based, with the message to show there. */
export interface EditorMarker {
  file: string;
  line: number;
  column: number;
  message: string;
}

export interface LabEditor {
  /** The Monaco editor (for the test hook). */
  readonly editor: monaco.editor.IStandaloneCodeEditor;
  readonly fileNames: string[];
  readonly activeFile: string;
  getFiles(): Record<string, string>;
  getValue(file: string): string;
  /** Replaces a file's text as one undoable edit (Ctrl+Z brings the old text back). */
  setValue(file: string, text: string): void;
  show(file: string): void;
  onChange(fn: () => void): void;
  /** Markers from the last run (syntax or runtime errors); an empty list clears them. */
  setRunMarkers(markers: EditorMarker[]): void;
  /** Binds a key chord inside the editor, e.g. Ctrl/Cmd+Enter. */
  bind(keys: number, fn: () => void): void;
  readonly KeyMod: typeof monaco.KeyMod;
  readonly KeyCode: typeof monaco.KeyCode;
  /** Opens a read-only diff (learner left, `modified` right) in `host`. */
  openDiff(host: HTMLElement, original: string, modified: string): { dispose(): void };
  setDark(dark: boolean): void;
  focus(): void;
  dispose(): void;
}

const MARKER_OWNER = 'kubelab-run';

// The editor's themes: VS Code's light and dark themes with a few token colours and the diff
// colours adjusted so that every TypeScript token (and the bracket-pair and line-number colours)
// meets WCAG AA contrast (4.5:1) on the editor background and on the solution diff's removed
// (red) and inserted (green) line and changed-text backgrounds, which stack. The lowest ratio over
// all tokens and backgrounds is 4.60:1 (light) and 4.58:1 (dark). Beside each colour: its lowest
// ratio now, and that of the colour it replaces on Monaco's own diff backgrounds.
// test/e2e/lab.test.ts runs axe on the open diff in both themes.
monaco.editor.defineTheme('kubelab-light', {
  base: 'vs',
  inherit: true,
  rules: [
    { token: 'comment', foreground: '006600' }, // 4.68 (008000: 2.70 on removed text)
    { token: 'type', foreground: '006161' }, // 4.71 (008080: 2.51)
    { token: 'number', foreground: '076542' }, // 4.60 (098658: 2.42); number.hex keeps 3030c0 (5.87)
    { token: 'invalid', foreground: 'a42727' }, // 4.68 (cd3131: 2.70)
  ],
  colors: {
    // Paler than Monaco's #ff000033 / #9bb95533 line and #ff000033 / #9ccc2c40 text backgrounds.
    'diffEditor.removedLineBackground': '#ff00001a', // line #ffe5e4
    'diffEditor.removedTextBackground': '#ff000029', // changed text #ffc0bf
    'diffEditor.insertedLineBackground': '#2ea04326', // line #e0f1e2
    'diffEditor.insertedTextBackground': '#2ea04333', // changed text #bce1c2
    'editorBracketHighlight.foreground2': '#216321', // 4.72 (#319331: 2.06, and 3.92 even on white)
    // Also on changed text: F7's accessible diff viewer puts line numbers there.
    'editorLineNumber.foreground': '#1c5f74', // 4.62 (#237893: 2.64)
  },
});
monaco.editor.defineTheme('kubelab-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [
    { token: 'comment', foreground: '82AA6E' }, // 4.64 (7CA668: 2.70 on inserted text)
    { token: 'keyword', foreground: '64A4D9' }, // 4.60 (569CD6: 2.56)
    { token: 'regexp', foreground: 'C78DB0' }, // 4.60 (B46695: 1.90, and 4.19 on the plain background)
    { token: 'invalid', foreground: 'F77777' }, // 4.60 (F44747: 2.10)
  ],
  colors: {
    // Darker than Monaco's #4b1818 / #373d29 lines and #6f1313 / #4b5a2a changed text.
    'diffEditor.removedLineBackground': '#ff00001f', // line #391a1a
    'diffEditor.removedTextBackground': '#ff00002e', // changed text #5d1616
    'diffEditor.insertedLineBackground': '#2ea04317', // line #1f2a21
    'diffEditor.insertedTextBackground': '#2ea04324', // changed text #213a26
    'editorBracketHighlight.foreground2': '#DD7AD9', // 4.60 (#DA70D6: 2.61)
    'editorBracketHighlight.foreground3': '#24A4FF', // 4.58 (#179FFF: 2.67)
    'editorLineNumber.foreground': '#9F9F9F', // 4.64 (#858585: 2.05)
  },
});
const themeName = (dark: boolean) => (dark ? 'kubelab-dark' : 'kubelab-light');

/** What a screen reader announces for each side of the solution diff. */
const DIFF_LABELS = { original: 'Your code (read-only)', modified: 'Solution (read-only)' } as const;

/**
 * Gives an editor a fixed aria-label and keeps it. Monaco 0.57's diff editor drops its
 * `originalAriaLabel` / `modifiedAriaLabel` options: it pushes options to its two inner editors
 * right after creating them (and again whenever the layout switches between side by side and
 * inline), each time with an empty ariaLabel.
 */
function pinAriaLabel(ed: monaco.editor.ICodeEditor, label: string): monaco.IDisposable {
  const apply = () => {
    if (ed.getOption(monaco.editor.EditorOption.ariaLabel) !== label) ed.updateOptions({ ariaLabel: label });
  };
  apply();
  return ed.onDidChangeConfiguration((e) => {
    if (e.hasChanged(monaco.editor.EditorOption.ariaLabel)) apply();
  });
}

function languageOf(file: string): string {
  if (/\.tsx?$/.test(file)) return 'typescript';
  if (/\.ya?ml$/.test(file)) return 'yaml';
  if (/\.json$/.test(file)) return 'json';
  return 'plaintext';
}

export function createLabEditor(
  host: HTMLElement,
  files: Record<string, string>,
  opts: { dark: boolean; fontFamily: string; initialFile?: string },
): LabEditor {
  const models = new Map<string, monaco.editor.ITextModel>();
  for (const [name, text] of Object.entries(files)) {
    const uri = monaco.Uri.parse(`file:///${name}`);
    monaco.editor.getModel(uri)?.dispose();
    models.set(name, monaco.editor.createModel(text, languageOf(name), uri));
  }
  const fileNames = [...models.keys()];
  let active = opts.initialFile && models.has(opts.initialFile) ? opts.initialFile : fileNames[0];
  const viewStates = new Map<string, monaco.editor.ICodeEditorViewState | null>();

  monaco.editor.setTheme(themeName(opts.dark));
  const editor = monaco.editor.create(host, {
    model: models.get(active)!,
    automaticLayout: true,
    fontFamily: opts.fontFamily,
    fontSize: 13,
    lineHeight: 20,
    minimap: { enabled: false },
    scrollBeyondLastLine: false,
    tabSize: 2,
    fixedOverflowWidgets: true,
    padding: { top: 8, bottom: 8 },
    lineNumbersMinChars: 3,
    renderLineHighlightOnlyWhenFocus: true,
    ariaLabel: `${active}: code editor. Escape then Tab leaves the editor. Alt+F1: accessibility help.`,
  });

  // Keyboard users are never trapped: Escape, then Tab moves focus out of the editor (Monaco's
  // tab focus mode for one key press). Ctrl+M toggles it for good, as in VS Code.
  let escapeArmed = false;
  editor.onKeyDown((e) => {
    if (e.keyCode === monaco.KeyCode.Escape) {
      escapeArmed = true;
      editor.updateOptions({ tabFocusMode: true });
    } else if (escapeArmed && e.keyCode !== monaco.KeyCode.Tab && e.keyCode !== monaco.KeyCode.Shift) {
      escapeArmed = false;
      editor.updateOptions({ tabFocusMode: false });
    }
  });
  editor.onDidBlurEditorText(() => {
    if (escapeArmed) {
      escapeArmed = false;
      editor.updateOptions({ tabFocusMode: false });
    }
  });

  const api: LabEditor = {
    editor,
    fileNames,
    get activeFile() {
      return active;
    },
    getFiles() {
      return Object.fromEntries([...models].map(([name, m]) => [name, m.getValue()]));
    },
    getValue(file) {
      return models.get(file)?.getValue() ?? '';
    },
    setValue(file, text) {
      const model = models.get(file);
      if (!model || model.getValue() === text) return;
      model.pushStackElement();
      model.pushEditOperations([], [{ range: model.getFullModelRange(), text }], () => null);
      model.pushStackElement();
    },
    show(file) {
      const model = models.get(file);
      if (!model || file === active) return;
      viewStates.set(active, editor.saveViewState());
      active = file;
      editor.setModel(model);
      const vs = viewStates.get(file);
      if (vs) editor.restoreViewState(vs);
      editor.updateOptions({ ariaLabel: `${file}: code editor. Escape then Tab leaves the editor. Alt+F1: accessibility help.` });
    },
    onChange(fn) {
      for (const m of models.values()) m.onDidChangeContent(fn);
    },
    setRunMarkers(markers) {
      for (const [name, model] of models) {
        const mine = markers.filter((m) => m.file === name || (m.file.replace(/^.*\//, '') === name));
        monaco.editor.setModelMarkers(
          model,
          MARKER_OWNER,
          mine.map((m) => {
            const line = Math.min(Math.max(1, m.line), model.getLineCount());
            const column = Math.max(1, m.column);
            const word = model.getWordAtPosition({ lineNumber: line, column });
            return {
              severity: monaco.MarkerSeverity.Error,
              message: m.message,
              startLineNumber: line,
              startColumn: word ? word.startColumn : column,
              endLineNumber: line,
              endColumn: word ? word.endColumn : Math.min(column + 1, model.getLineMaxColumn(line)) || column + 1,
            };
          }),
        );
      }
    },
    bind(keys, fn) {
      editor.addCommand(keys, fn);
    },
    KeyMod: monaco.KeyMod,
    KeyCode: monaco.KeyCode,
    openDiff(diffHost, original, modified) {
      const left = monaco.editor.createModel(original, 'typescript');
      const right = monaco.editor.createModel(modified, 'typescript');
      const diff = monaco.editor.createDiffEditor(diffHost, {
        readOnly: true,
        originalEditable: false,
        automaticLayout: true,
        fontFamily: opts.fontFamily,
        fontSize: 13,
        lineHeight: 20,
        minimap: { enabled: false },
        renderSideBySide: true,
        useInlineViewWhenSpaceIsLimited: true,
        scrollBeyondLastLine: false,
        // Faded "unused" code falls below 4.5:1 contrast; in a read-only comparison it is noise.
        showUnused: false,
      });
      diff.setModel({ original: left, modified: right });
      const labels = [
        pinAriaLabel(diff.getOriginalEditor(), DIFF_LABELS.original),
        pinAriaLabel(diff.getModifiedEditor(), DIFF_LABELS.modified),
      ];
      // An empty drawing surface for moved-code arrows, otherwise exposed as an unnamed image.
      diffHost.querySelector('svg.moved-blocks-lines')?.setAttribute('aria-hidden', 'true');
      return {
        dispose() {
          for (const l of labels) l.dispose();
          diff.dispose();
          left.dispose();
          right.dispose();
        },
      };
    },
    setDark(dark) {
      monaco.editor.setTheme(themeName(dark));
    },
    focus() {
      editor.focus();
    },
    dispose() {
      editor.dispose();
      for (const m of models.values()) m.dispose();
    },
  };
  return api;
}
