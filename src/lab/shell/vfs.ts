/**
 * The lab's virtual file system: a small in-memory tree of text files (the lab's manifests, under
 * `/home/learner` by default) that the shell's `ls` and `cat`, kubectl's `-f` and learner code all
 * read. The workbench writes a manifest tab's text here on every edit, so `kubectl apply -f
 * web.yaml` sees what the tab shows. No DOM, no real file system.
 */
import { ShellUsageError, type Shell } from './registry';

/** A failed file operation, with the errno name and the POSIX wording (`No such file or directory`). */
export class VfsError extends Error {
  constructor(
    readonly code: 'ENOENT' | 'EISDIR' | 'ENOTDIR' | 'EEXIST' | 'EINVAL',
    readonly path: string,
  ) {
    super(`${path}: ${VfsError.describe(code)}`);
    this.name = 'VfsError';
  }

  /** The strerror text coreutils print for the code. */
  static describe(code: VfsError['code']): string {
    switch (code) {
      case 'ENOENT':
        return 'No such file or directory';
      case 'EISDIR':
        return 'Is a directory';
      case 'ENOTDIR':
        return 'Not a directory';
      case 'EEXIST':
        return 'File exists';
      default:
        return 'Invalid argument';
    }
  }
}

/** What changed: a file written (created or updated) or removed. */
export interface VfsChange {
  type: 'write' | 'remove';
  /** Absolute path. */
  path: string;
}

/**
 * The read-only view handed to learner code (and anything else that must not write): absolute or
 * relative paths, relative to the shell's working directory.
 */
export interface ReadonlyFs {
  readFile(path: string): string;
  readdir(path?: string): string[];
  exists(path: string): boolean;
  isDirectory(path: string): boolean;
  /** Absolute paths of every file, sorted. */
  files(): string[];
  cwd(): string;
}

export interface VirtualFsOptions {
  /** The home directory (`~`); created if missing. Default `/home/learner`. */
  home?: string;
  /** The initial working directory. Default: `home`. */
  cwd?: string;
  /** Initial files: path (absolute, or relative to `home`) -> text. */
  files?: Record<string, string>;
}

type Node = { kind: 'file'; content: string } | { kind: 'dir'; children: Map<string, Node> };

/**
 * Invariants: the root is a directory; every path handed out is absolute and normalized (no `.`,
 * `..`, `//` or trailing `/` except the root); children iterate in insertion order but every listing
 * is sorted, so output never depends on the order files were added.
 */
export class VirtualFs {
  readonly home: string;
  #cwd: string;
  readonly #root: Node = { kind: 'dir', children: new Map() };
  readonly #listeners = new Set<(change: VfsChange) => void>();

  constructor(opts: VirtualFsOptions = {}) {
    this.home = normalize(opts.home ?? '/home/learner', '/');
    this.mkdirp(this.home);
    this.#cwd = this.home;
    for (const [path, content] of Object.entries(opts.files ?? {})) {
      this.writeFile(path.startsWith('/') ? path : `${this.home}/${path}`, content);
    }
    if (opts.cwd) this.chdir(opts.cwd);
  }

  get cwd(): string {
    return this.#cwd;
  }

  /** The absolute, normalized path: `~` is the home, relative paths start at the working directory. */
  resolve(path: string): string {
    if (path === '~' || path.startsWith('~/')) path = this.home + path.slice(1);
    return normalize(path, this.#cwd);
  }

  chdir(path: string): void {
    const abs = this.resolve(path);
    const node = this.#lookup(abs);
    if (!node) throw new VfsError('ENOENT', path);
    if (node.kind !== 'dir') throw new VfsError('ENOTDIR', path);
    this.#cwd = abs;
  }

  exists(path: string): boolean {
    return this.#find(path) !== undefined;
  }

  isDirectory(path: string): boolean {
    return this.#find(path)?.kind === 'dir';
  }

  isFile(path: string): boolean {
    return this.#find(path)?.kind === 'file';
  }

  readFile(path: string): string {
    const node = this.#lookup(this.resolve(path), path);
    if (!node) throw new VfsError('ENOENT', path);
    if (node.kind === 'dir') throw new VfsError('EISDIR', path);
    return node.content;
  }

  /** Names in a directory, sorted (byte order, as `LC_ALL=C ls`). */
  readdir(path = '.'): string[] {
    const node = this.#lookup(this.resolve(path), path);
    if (!node) throw new VfsError('ENOENT', path);
    if (node.kind !== 'dir') throw new VfsError('ENOTDIR', path);
    return [...node.children.keys()].sort(byteOrder);
  }

  /** Creates or replaces a file, creating its parent directories. */
  writeFile(path: string, content: string): void {
    const abs = this.resolve(path);
    if (abs === '/') throw new VfsError('EISDIR', path);
    const slash = abs.lastIndexOf('/');
    const parent = this.mkdirp(abs.slice(0, slash) || '/');
    const name = abs.slice(slash + 1);
    const existing = parent.children.get(name);
    if (existing?.kind === 'dir') throw new VfsError('EISDIR', path);
    if (existing?.kind === 'file' && existing.content === content) return;
    parent.children.set(name, { kind: 'file', content: String(content) });
    this.#emit({ type: 'write', path: abs });
  }

  /** Removes a file (not a directory). Returns false when there was none. */
  removeFile(path: string): boolean {
    const abs = this.resolve(path);
    const slash = abs.lastIndexOf('/');
    const parent = this.#lookup(abs.slice(0, slash) || '/');
    const node = parent?.kind === 'dir' ? parent.children.get(abs.slice(slash + 1)) : undefined;
    if (!node || parent?.kind !== 'dir') return false;
    if (node.kind === 'dir') throw new VfsError('EISDIR', path);
    parent.children.delete(abs.slice(slash + 1));
    this.#emit({ type: 'remove', path: abs });
    return true;
  }

  /** Every file's absolute path, sorted. */
  files(): string[] {
    const out: string[] = [];
    const walk = (dir: Node & { kind: 'dir' }, prefix: string) => {
      for (const [name, child] of dir.children) {
        const p = prefix === '/' ? `/${name}` : `${prefix}/${name}`;
        if (child.kind === 'file') out.push(p);
        else walk(child, p);
      }
    };
    walk(this.#root as Node & { kind: 'dir' }, '/');
    return out.sort(byteOrder);
  }

  /** Called after every write or removal; returns the unsubscribe function. */
  onChange(listener: (change: VfsChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A view without write access, for learner code. */
  readonly(): ReadonlyFs {
    return Object.freeze({
      readFile: (p: string) => this.readFile(p),
      readdir: (p?: string) => this.readdir(p),
      exists: (p: string) => this.exists(p),
      isDirectory: (p: string) => this.isDirectory(p),
      files: () => this.files(),
      cwd: () => this.cwd,
    });
  }

  /** Creates a directory and its parents; returns it. */
  mkdirp(path: string): Node & { kind: 'dir' } {
    const abs = this.resolve(path);
    let node = this.#root as Node & { kind: 'dir' };
    for (const part of abs.split('/').filter(Boolean)) {
      let next = node.children.get(part);
      if (!next) {
        next = { kind: 'dir', children: new Map() };
        node.children.set(part, next);
      }
      if (next.kind !== 'dir') throw new VfsError('ENOTDIR', path);
      node = next;
    }
    return node;
  }

  /** The node at a path, or undefined (also when a file sits where a directory should be). */
  #find(path: string): Node | undefined {
    try {
      return this.#lookup(this.resolve(path));
    } catch {
      return undefined;
    }
  }

  #lookup(abs: string, shown = abs): Node | undefined {
    let node: Node = this.#root;
    for (const part of abs.split('/').filter(Boolean)) {
      if (node.kind !== 'dir') throw new VfsError('ENOTDIR', shown);
      const next = node.children.get(part);
      if (!next) return undefined;
      node = next;
    }
    return node;
  }

  #emit(change: VfsChange): void {
    for (const l of [...this.#listeners]) l(change);
  }
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Joins `path` onto `base` (when relative) and removes `.`, `..` and repeated slashes. */
export function normalize(path: string, base: string): string {
  const parts: string[] = [];
  const full = path.startsWith('/') ? path : `${base}/${path}`;
  for (const part of full.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return '/' + parts.join('/');
}

/**
 * Completion candidates for a path being typed: entries of the directory part, directories with a
 * trailing `/` (so Tab can keep descending), the typed prefix kept as typed (`./`, `~/`, `../`).
 */
export function completePath(fs: VirtualFs, partial: string): string[] {
  const slash = partial.lastIndexOf('/');
  const dirTyped = slash >= 0 ? partial.slice(0, slash + 1) : '';
  const dir = dirTyped === '' ? '.' : dirTyped;
  let names: string[];
  try {
    names = fs.readdir(dir);
  } catch {
    return [];
  }
  return names.map((n) => dirTyped + n + (fs.isDirectory(dirTyped + n) ? '/' : ''));
}

/** Registers `ls`, `cat`, `pwd` and `cd` over the file system. */
export function registerFsCommands(shell: Shell, fs: VirtualFs): Shell {
  shell.setFileReader((path) => fs.readFile(path));
  const pathComplete = (_args: string[], partial: string) => (partial.startsWith('-') ? [] : completePath(fs, partial));
  shell.register('ls', {
    summary: "list the lab's files (manifests you can kubectl apply -f)",
    usage: 'ls [-1] [-a] [-l] [path...]',
    run(args, { io }) {
      const flags = new Set<string>();
      const paths: string[] = [];
      for (const a of args) {
        if (a.startsWith('-') && a.length > 1) {
          for (const f of a.slice(1)) {
            if (!'1al'.includes(f)) throw new ShellUsageError(`invalid option -- '${f}'`);
            flags.add(f);
          }
        } else paths.push(a);
      }
      if (paths.length === 0) paths.push('.');
      let status = 0;
      const files: string[] = [];
      const dirs: string[] = [];
      for (const p of paths) {
        if (!fs.exists(p)) {
          io.error(`ls: cannot access '${p}': No such file or directory`);
          status = 2;
        } else if (fs.isDirectory(p)) dirs.push(p);
        else files.push(p);
      }
      const format = (dir: string | undefined, names: string[]) => {
        if (flags.has('l')) {
          return names.map((n) => {
            const full = dir === undefined ? n : `${dir}/${n}`;
            const isDir = fs.isDirectory(full);
            const size = isDir ? 4096 : utf8Length(fs.readFile(full));
            return `${isDir ? 'drwxr-xr-x' : '-rw-r--r--'} 1 learner learner ${String(size).padStart(5)} ${n}`;
          });
        }
        return flags.has('1') ? names : [names.join('  ')].filter(Boolean);
      };
      const blocks: string[] = [];
      if (files.length) blocks.push(format(undefined, files.sort(byteOrder)).join('\n'));
      for (const d of dirs.sort(byteOrder)) {
        const names = fs.readdir(d).filter((n) => flags.has('a') || !n.startsWith('.'));
        const listing = flags.has('a') && !flags.has('l') ? ['.', '..', ...names] : names;
        const body = format(d, listing).join('\n');
        blocks.push(paths.length > 1 ? `${d}:${body ? `\n${body}` : ''}` : body);
      }
      const text = blocks.filter((b) => b !== '').join('\n\n');
      if (text) io.print(text);
      return status;
    },
    complete: pathComplete,
  });
  shell.register('cat', {
    summary: 'print a file (e.g. cat web.yaml)',
    usage: 'cat path...',
    run(args, { io }) {
      if (args.length === 0) throw new ShellUsageError('missing file operand');
      let status = 0;
      for (const p of args) {
        try {
          const text = fs.readFile(p);
          io.print(text.endsWith('\n') ? text.slice(0, -1) : text);
        } catch (err) {
          if (!(err instanceof VfsError)) throw err;
          io.error(`cat: ${p}: ${VfsError.describe(err.code)}`);
          status = 1;
        }
      }
      return status;
    },
    complete: pathComplete,
  });
  shell.register('pwd', {
    summary: 'print the working directory',
    run(args, { io }) {
      if (args.length) throw new ShellUsageError('takes no arguments');
      io.print(fs.cwd);
    },
  });
  shell.register('cd', {
    summary: 'change the working directory (cd alone: home)',
    usage: 'cd [dir]',
    run(args, { io }) {
      if (args.length > 1) throw new ShellUsageError('too many arguments');
      try {
        fs.chdir(args[0] ?? '~');
      } catch (err) {
        if (!(err instanceof VfsError)) throw err;
        io.error(`cd: ${args[0]}: ${VfsError.describe(err.code)}`);
        return 1;
      }
      return 0;
    },
    complete: (_a, partial) => completePath(fs, partial).filter((p) => p.endsWith('/')),
  });
  return shell;
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}
