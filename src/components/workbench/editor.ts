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

// VS Code's dark theme with comments a shade lighter, so they meet WCAG AA contrast (4.5:1)
// on the editor background; the light theme already does.
monaco.editor.defineTheme('kubelab-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [{ token: 'comment', foreground: '7CA668' }],
  colors: {},
});
const themeName = (dark: boolean) => (dark ? 'kubelab-dark' : 'vs');

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
        originalAriaLabel: 'Your code',
        modifiedAriaLabel: 'Solution',
      });
      diff.setModel({ original: left, modified: right });
      return {
        dispose() {
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
