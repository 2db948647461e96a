/**
 * Lesson code blocks against the public API: type-check them with the generated `kubelab`
 * typings (the TypeScript compiler API, as Monaco would), and run them against src/sim with
 * their `console.log(...) // expected` comments checked.
 */
import ts from 'typescript';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, type CodeBlock } from './content';

/** Where `npm run gen` writes the typings (src/lab/generated/kubelab.d.ts). */
export const DTS_PATH = join(ROOT, 'src/lab/generated/kubelab.d.ts');

/**
 * The path of up-to-date `kubelab` typings: generates them with `node scripts/gen-dts.mjs` when
 * the file is missing, or when `--check` says it no longer matches src/sim (a stale file would
 * check the lessons against an old API).
 */
export function ensureTypings(): string {
  const gen = (args: string[]): void => {
    execFileSync(process.execPath, ['scripts/gen-dts.mjs', ...args], { cwd: ROOT, stdio: 'pipe' });
  };
  if (!existsSync(DTS_PATH)) gen([]);
  else {
    try {
      gen(['--check']);
    } catch {
      gen([]);
    }
  }
  return DTS_PATH;
}

export const COMPILER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  types: [],
  skipLibCheck: false,
};

/** True when a block is TypeScript that imports the public API. */
export function importsKubelab(block: CodeBlock): boolean {
  return (block.lang === 'ts' || block.lang === 'typescript') && /\bfrom\s+['"]kubelab['"]/.test(block.code);
}

/** A block's name in messages: `content/x.mdx:41` (the line of its opening fence). */
export function where(block: CodeBlock): string {
  return `${block.file}:${block.line}`;
}

/**
 * Compiles every block (one module file each) in one program with the typings. Returns one
 * message per diagnostic, located at the file and line in content/ where the error is.
 */
export function typeCheck(blocks: CodeBlock[], dtsPath: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'kubelab-lessons-'));
  const byPath = new Map<string, CodeBlock>();
  blocks.forEach((block, i) => {
    const p = join(dir, `block-${i}.ts`);
    // `export {}` keeps a block a module even if it only has `import type` lines.
    writeFileSync(p, `${block.code}\nexport {};\n`);
    byPath.set(p, block);
  });
  const program = ts.createProgram([dtsPath, ...byPath.keys()], COMPILER_OPTIONS);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    const block = d.file ? byPath.get(d.file.fileName) : undefined;
    if (!block || !d.file || d.start === undefined) {
      return `${d.file ? d.file.fileName : '(global)'}: TS${d.code} ${text}`;
    }
    const line = d.file.getLineAndCharacterOfPosition(d.start).line;
    return `${block.file}:${block.line + 1 + line} (code block at line ${block.line}): TS${d.code} ${text}`;
  });
}

/** A `console.log(...)` line with a trailing `// expected` comment, by 0-based line in the block. */
export interface Expectation {
  line: number;
  expected: string;
}

/**
 * The `console.log(x); // 5` lines of a block. The expected value is the comment's first word
 * (a trailing `:` or `,` dropped), so `// 1: ready, added now` expects `1`; a value with spaces
 * is quoted, so `// "options ndots:5" (the third line)` expects `options ndots:5`.
 */
export function expectations(code: string): Expectation[] {
  const out: Expectation[] = [];
  code.split('\n').forEach((text, line) => {
    const m = /^\s*console\.log\(.*\);?\s*\/\/\s*("[^"]*"|\S+)/.exec(text);
    if (m) out.push({ line, expected: m[1].startsWith('"') ? m[1] : m[1].replace(/[:,;]$/, '') });
  });
  return out;
}

export interface RunResult {
  /** What each annotated console.log printed, by 0-based block line (in execution order). */
  seen: Array<{ line: number; value: string }>;
  output: string[];
  error?: string;
}

/**
 * Runs a block against `api` (the module src/sim/index.ts): types are stripped with the
 * TypeScript compiler, `import { a, b as c } from 'kubelab'` becomes a destructuring of `api`,
 * `export` keywords are dropped, and the body runs as an async function (top-level await
 * works). Annotated `console.log` calls record their value. Gives up after `timeoutMs`.
 */
export async function runBlock(block: CodeBlock, api: Record<string, unknown>, timeoutMs = 2000): Promise<RunResult> {
  const result: RunResult = { seen: [], output: [] };
  const marked = new Set(expectations(block.code).map((e) => e.line));
  const source = block.code
    .split('\n')
    .map((text, line) => (marked.has(line) ? text.replace(/console\.log\(/, `__seen(${line}, `) : text))
    .join('\n');
  const js = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
  }).outputText;
  let body = js.replace(/^\s*import\s*\{([^}]*)\}\s*from\s*['"]kubelab['"];?/gm, (_m, names: string) => {
    const parts = names
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => s.replace(/\s+as\s+/, ': '));
    return `const { ${parts.join(', ')} } = __kubelab;`;
  });
  body = body.replace(/^\s*import\s*\*\s*as\s+(\w+)\s+from\s*['"]kubelab['"];?/gm, 'const $1 = __kubelab;');
  const otherImport = /^\s*import\b.*$/m.exec(body);
  if (otherImport) return { ...result, error: `cannot run a block that imports something other than kubelab: ${otherImport[0].trim()}` };
  body = body
    .replace(/^export\s+(?=(async\s+)?function|const|let|var|class)/gm, '')
    .replace(/^export\s*\{[^}]*\};?\s*$/gm, '')
    .replace(/^export\s+default\s+/gm, '');

  const fmt = (args: unknown[]): string => args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
  const fakeConsole = {
    log: (...args: unknown[]) => result.output.push(fmt(args)),
    error: (...args: unknown[]) => result.output.push(fmt(args)),
    warn: (...args: unknown[]) => result.output.push(fmt(args)),
    info: (...args: unknown[]) => result.output.push(fmt(args)),
  };
  const seen = (line: number, ...args: unknown[]): void => {
    result.seen.push({ line, value: fmt(args) });
    result.output.push(fmt(args));
  };
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
  const fn = new AsyncFunction('__kubelab', 'console', '__seen', body);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      fn(api, fakeConsole, seen),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`did not finish within ${timeoutMs} ms (waiting on a promise that never settles?)`)), timeoutMs);
      }),
    ]);
  } catch (err) {
    result.error = err instanceof Error ? err.message : String(err);
  } finally {
    clearTimeout(timer);
  }
  return result;
}
