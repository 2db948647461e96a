/**
 * The node's file system: directories, text files and symbolic links with mode, owner and
 * modification time, as plain data (`FsState`, one record per absolute path) so a host can be
 * copied, compared and replayed. Calls follow Go's `os` package (`ReadFile`, `WriteFile`,
 * `MkdirAll`, `Remove`, `RemoveAll`, `ReadDir`, `Stat`, `Lstat`, `Symlink`) and fail with Go's
 * errors, since kubeadm's messages quote them.
 *
 * Invariants: every key of `nodes` is a normalized absolute path; `/` always exists and is a
 * directory; a path's parent exists and is a directory. Listing a directory sorts names, as
 * `os.ReadDir` does.
 */
import { LinkError, PathError } from './errors';

/** `socket`: a listening Unix socket (containerd's), present while its server runs. */
export type FileType = 'dir' | 'file' | 'symlink' | 'socket';

export interface FsNode {
  type: FileType;
  /** Permission bits (0o644, 0o755...). */
  mode: number;
  uid: number;
  gid: number;
  /** Virtual ms of the last write. */
  mtimeMs: number;
  /** A file's text. */
  content?: string;
  /** A symlink's target as written (absolute or relative to the link's directory). */
  target?: string;
}

export interface FsState {
  nodes: Record<string, FsNode>;
}

export interface FileInfo {
  name: string;
  path: string;
  type: FileType;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtimeMs: number;
  isDir: boolean;
}

export interface FsChange {
  op: 'write' | 'mkdir' | 'remove' | 'symlink' | 'chmod';
  path: string;
}

const MAX_LINKS = 40; // Linux's MAXSYMLINKS

/** `path.Clean` for absolute paths: collapses `//`, `.` and `..`. Relative paths are taken from `/`. */
export function cleanPath(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}

const parentOf = (p: string) => (p === '/' ? '/' : p.slice(0, p.lastIndexOf('/')) || '/');
const baseOf = (p: string) => (p === '/' ? '/' : p.slice(p.lastIndexOf('/') + 1));

export class HostFS {
  readonly state: FsState;
  #now: () => number;
  #onChange: ((c: FsChange) => void) | undefined;

  constructor(opts: { now: () => number; state?: FsState; onChange?: (c: FsChange) => void }) {
    this.#now = opts.now;
    this.#onChange = opts.onChange;
    this.state = opts.state ?? { nodes: { '/': { type: 'dir', mode: 0o755, uid: 0, gid: 0, mtimeMs: opts.now() } } };
  }

  /** Sets who hears about changes (the host's trace). */
  setOnChange(fn: ((c: FsChange) => void) | undefined): void {
    this.#onChange = fn;
  }

  /**
   * The real path of `p`: symlinks in every component resolved (the last one too when
   * `followLast`). Missing components are kept as written, so callers can tell ENOENT from ENOTDIR.
   */
  resolve(p: string, followLast = true, op = 'stat'): string {
    let path = cleanPath(p);
    for (let hops = 0; ; hops++) {
      if (hops > MAX_LINKS) throw new PathError(op, p, 'ELOOP');
      const parts = path.split('/').filter(Boolean);
      let cur = '';
      let redirected = false;
      for (let i = 0; i < parts.length; i++) {
        const next = `${cur}/${parts[i]}`;
        const node = this.state.nodes[next];
        const last = i === parts.length - 1;
        if (node?.type === 'symlink' && (!last || followLast)) {
          const target = node.target!.startsWith('/') ? node.target! : `${cur || ''}/${node.target}`;
          path = cleanPath([target, ...parts.slice(i + 1)].join('/'));
          redirected = true;
          break;
        }
        if (!node) return cleanPath([next, ...parts.slice(i + 1)].join('/'));
        if (!last && node.type !== 'dir') throw new PathError(op, p, 'ENOTDIR');
        cur = next;
      }
      if (!redirected) return path;
    }
  }

  #get(p: string, op: string, followLast = true): { real: string; node: FsNode } {
    const real = this.resolve(p, followLast, op);
    const node = this.state.nodes[real];
    if (!node) throw new PathError(op, p, 'ENOENT');
    return { real, node };
  }

  /** The parent of `p` (resolved) must be an existing directory. */
  #parentDir(p: string, op: string): string {
    const real = this.resolve(p, false, op);
    const parent = this.state.nodes[parentOf(real)];
    if (!parent) throw new PathError(op, p, 'ENOENT');
    if (parent.type !== 'dir') throw new PathError(op, p, 'ENOTDIR');
    return real;
  }

  #info(path: string, node: FsNode): FileInfo {
    return {
      name: baseOf(path),
      path,
      type: node.type,
      mode: node.mode,
      uid: node.uid,
      gid: node.gid,
      size: node.type === 'file' ? utf8Length(node.content ?? '') : node.type === 'symlink' ? node.target!.length : node.type === 'socket' ? 0 : 4096,
      mtimeMs: node.mtimeMs,
      isDir: node.type === 'dir',
    };
  }

  /** os.Stat: follows symlinks. */
  stat(p: string): FileInfo {
    const { real, node } = this.#get(p, 'stat');
    return { ...this.#info(real, node), name: baseOf(cleanPath(p)), path: cleanPath(p) };
  }

  /** os.Lstat: the link itself. */
  lstat(p: string): FileInfo {
    const { real, node } = this.#get(p, 'lstat', false);
    return this.#info(real, node);
  }

  exists(p: string): boolean {
    try {
      this.stat(p);
      return true;
    } catch {
      return false;
    }
  }

  isDir(p: string): boolean {
    try {
      return this.stat(p).isDir;
    } catch {
      return false;
    }
  }

  /** os.ReadFile */
  readFile(p: string): string {
    const { node } = this.#get(p, 'open');
    if (node.type === 'dir') throw new PathError('read', cleanPath(p), 'EISDIR');
    return node.content ?? '';
  }

  /** os.WriteFile: creates or truncates; the parent must exist. An existing file keeps its mode. */
  writeFile(p: string, content: string, mode = 0o644, owner: { uid?: number; gid?: number } = {}): void {
    const real = this.#parentDir(this.resolve(p, true, 'open'), 'open');
    const old = this.state.nodes[real];
    if (old?.type === 'dir') throw new PathError('open', cleanPath(p), 'EISDIR');
    this.state.nodes[real] = { type: 'file', mode: old?.mode ?? mode, uid: old?.uid ?? owner.uid ?? 0, gid: old?.gid ?? owner.gid ?? 0, mtimeMs: this.#now(), content };
    this.#onChange?.({ op: 'write', path: real });
  }

  /**
   * What kubeadm's writers do (certutil.WriteCert, kubeconfigutil.WriteToDisk): MkdirAll the
   * directory (0755), then write the file with `mode` (an existing file takes the new mode too).
   */
  writeFileAll(p: string, content: string, mode = 0o644): void {
    const dir = cleanPath(p).replace(/\/[^/]*$/, '') || '/';
    this.mkdirAll(dir);
    this.writeFile(p, content, mode);
    this.chmod(p, mode);
  }

  /** The file's text, or undefined when it does not exist or is a directory. */
  tryReadFile(p: string): string | undefined {
    try {
      return this.readFile(p);
    } catch {
      return undefined;
    }
  }

  /** os.Mkdir */
  mkdir(p: string, mode = 0o755): void {
    const real = this.#parentDir(p, 'mkdir');
    if (this.state.nodes[real]) throw new PathError('mkdir', cleanPath(p), 'EEXIST');
    this.state.nodes[real] = { type: 'dir', mode, uid: 0, gid: 0, mtimeMs: this.#now() };
    this.#onChange?.({ op: 'mkdir', path: real });
  }

  /** os.MkdirAll: nothing to do when it exists as a directory; a file in the way is ENOTDIR. */
  mkdirAll(p: string, mode = 0o755): void {
    const parts = cleanPath(p).split('/').filter(Boolean);
    let cur = '';
    for (const part of parts) {
      cur = `${cur}/${part}`;
      let real: string;
      try {
        real = this.resolve(cur, true, 'mkdir');
      } catch (err) {
        if (err instanceof PathError && err.errno === 'ENOTDIR') throw new PathError('mkdir', cur, 'ENOTDIR');
        throw err;
      }
      const node = this.state.nodes[real];
      if (node?.type === 'dir') continue;
      if (node) throw new PathError('mkdir', cur, 'ENOTDIR');
      this.state.nodes[real] = { type: 'dir', mode, uid: 0, gid: 0, mtimeMs: this.#now() };
      this.#onChange?.({ op: 'mkdir', path: real });
    }
  }

  /** os.ReadDir: the entries' names, sorted. */
  readDir(p: string): string[] {
    const { real, node } = this.#get(p, 'open');
    if (node.type !== 'dir') throw new PathError('readdirent', cleanPath(p), 'ENOTDIR');
    return this.#children(real).sort();
  }

  #children(dir: string): string[] {
    const prefix = dir === '/' ? '/' : `${dir}/`;
    const names: string[] = [];
    for (const key of Object.keys(this.state.nodes)) {
      if (key !== '/' && key.startsWith(prefix) && !key.slice(prefix.length).includes('/')) names.push(key.slice(prefix.length));
    }
    return names;
  }

  /** os.Remove: a file, a link, or an empty directory. */
  remove(p: string): void {
    const { real, node } = this.#get(p, 'remove', false);
    if (real === '/') throw new PathError('remove', '/', 'EACCES');
    if (node.type === 'dir' && this.#children(real).length > 0) throw new PathError('remove', cleanPath(p), 'ENOTEMPTY');
    delete this.state.nodes[real];
    this.#onChange?.({ op: 'remove', path: real });
  }

  /** os.RemoveAll: the path and everything under it; a missing path is not an error. */
  removeAll(p: string): void {
    let real: string;
    try {
      real = this.resolve(p, false, 'unlinkat');
    } catch {
      return;
    }
    if (!this.state.nodes[real] || real === '/') return;
    const prefix = `${real}/`;
    for (const key of Object.keys(this.state.nodes)) if (key === real || key.startsWith(prefix)) delete this.state.nodes[key];
    this.#onChange?.({ op: 'remove', path: real });
  }

  /** os.Symlink(target, link) */
  symlink(target: string, link: string): void {
    let real: string;
    try {
      real = this.#parentDir(link, 'symlink');
    } catch (err) {
      throw new LinkError('symlink', target, link, (err as PathError).errno);
    }
    if (this.state.nodes[real]) throw new LinkError('symlink', target, link, 'EEXIST');
    this.state.nodes[real] = { type: 'symlink', mode: 0o777, uid: 0, gid: 0, mtimeMs: this.#now(), target };
    this.#onChange?.({ op: 'symlink', path: real });
  }

  /** Creates a listening Unix socket at `p` (a server's bind); replaces what was there. */
  bindSocket(p: string, mode = 0o660): void {
    const real = this.#parentDir(p, 'bind');
    this.state.nodes[real] = { type: 'socket', mode, uid: 0, gid: 0, mtimeMs: this.#now() };
    this.#onChange?.({ op: 'write', path: real });
  }

  /** os.Readlink */
  readlink(p: string): string {
    const { node } = this.#get(p, 'readlink', false);
    if (node.type !== 'symlink') throw new PathError('readlink', cleanPath(p), 'EINVAL');
    return node.target!;
  }

  /** os.Chmod */
  chmod(p: string, mode: number): void {
    const { real, node } = this.#get(p, 'chmod');
    node.mode = mode;
    this.#onChange?.({ op: 'chmod', path: real });
  }

  /** Every path under `dir` (itself excluded), depth first and sorted: `find dir`. */
  walk(dir: string): string[] {
    const { real } = this.#get(dir, 'lstat');
    const out: string[] = [];
    const visit = (d: string) => {
      for (const name of this.#children(d).sort()) {
        const child = d === '/' ? `/${name}` : `${d}/${name}`;
        out.push(child);
        if (this.state.nodes[child].type === 'dir') visit(child);
      }
    };
    visit(real);
    return out;
  }
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
