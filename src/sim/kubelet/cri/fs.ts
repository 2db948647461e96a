/**
 * Files for the runtime model: the node's file system (`HostFs`, where the kubelet makes volume
 * directories) and a container's view of files (`ContainerFs`: its own writable layer, with the
 * CRI mounts mapping container paths onto host paths). A file written through a mount lands on
 * the host and survives a container restart; a file in the writable layer dies with the container.
 * Memory-medium emptyDirs are host directories made with `tmpfs: true`: the bytes a container
 * writes there count towards its memory (the kernel charges tmpfs pages to the writer's cgroup).
 */

export interface FileEntry {
  /** Text content (empty for a file filled by `dd`, which only has a size). */
  text: string;
  size: number;
  /** The container that last wrote it (its memory cgroup is charged for a tmpfs file). */
  owner?: string;
}

export function normalizePath(path: string): string {
  const parts: string[] = [];
  for (const p of path.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return `/${parts.join('/')}`;
}

export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** Errors worded like the libc errno texts tools print. */
export type FsError = 'No such file or directory' | 'Is a directory' | 'Not a directory' | 'Directory not empty' | 'File exists' | 'No space left on device';

/** A tree of directories and files; paths are absolute. */
export class Fs {
  readonly #dirs = new Map<string, { tmpfs: boolean; sizeBytes?: number }>([['/', { tmpfs: false }]]);
  readonly #files = new Map<string, FileEntry>();

  /** `mkdir -p`; `tmpfs` marks the directory as a memory-backed mount (its subtree inherits it). */
  mkdir(path: string, options: { tmpfs?: boolean; sizeBytes?: number } = {}): void {
    const p = normalizePath(path);
    if (this.#files.has(p)) throw new Error(`mkdir ${p}: File exists`);
    const chain: string[] = [];
    for (let d = p; !this.#dirs.has(d); d = parentOf(d)) chain.unshift(d);
    for (const d of chain) this.#dirs.set(d, { tmpfs: false });
    if (options.tmpfs) this.#dirs.set(p, { tmpfs: true, sizeBytes: options.sizeBytes });
  }

  /** Turns a tmpfs directory back into a plain one, dropping its files (what unmounting a tmpfs does). */
  unmountTmpfs(path: string): void {
    const p = normalizePath(path);
    if (!this.#dirs.get(p)?.tmpfs) return;
    this.rm(p, { recursive: true });
    this.#dirs.set(p, { tmpfs: false });
  }

  /** The tmpfs directory `path` lies on, if any. */
  #tmpfsRoot(path: string): { dir: string; sizeBytes?: number } | undefined {
    for (let d = normalizePath(path); ; d = parentOf(d)) {
      const entry = this.#dirs.get(d);
      if (entry?.tmpfs) return { dir: d, sizeBytes: entry.sizeBytes };
      if (d === '/') return undefined;
    }
  }

  /** Writes (or appends to) a file; its directory must exist. Returns an error text or undefined. */
  write(path: string, text: string, options: { append?: boolean; size?: number; owner?: string } = {}): FsError | undefined {
    const p = normalizePath(path);
    if (this.#dirs.has(p)) return 'Is a directory';
    if (!this.#dirs.has(parentOf(p))) return this.#files.has(parentOf(p)) ? 'Not a directory' : 'No such file or directory';
    const old = options.append ? this.#files.get(p) : undefined;
    const size = options.size ?? text.length;
    const root = this.#tmpfsRoot(p);
    if (root?.sizeBytes !== undefined) {
      const used = this.bytesUnder(root.dir) - (this.#files.get(p)?.size ?? 0) + (old?.size ?? 0);
      if (used + size > root.sizeBytes) return 'No space left on device';
    }
    this.#files.set(p, { text: (old?.text ?? '') + text, size: (old?.size ?? 0) + size, owner: options.owner });
    return undefined;
  }

  read(path: string): FileEntry | undefined {
    return this.#files.get(normalizePath(path));
  }

  isDir(path: string): boolean {
    return this.#dirs.has(normalizePath(path));
  }

  exists(path: string): boolean {
    const p = normalizePath(path);
    return this.#dirs.has(p) || this.#files.has(p);
  }

  /** Removes a file, or a directory (with `recursive`, its whole subtree). */
  rm(path: string, options: { recursive?: boolean } = {}): FsError | undefined {
    const p = normalizePath(path);
    if (this.#files.delete(p)) return undefined;
    if (!this.#dirs.has(p) || p === '/') return 'No such file or directory';
    const under = (k: string) => k.startsWith(`${p}/`);
    const hasChildren = [...this.#files.keys()].some(under) || [...this.#dirs.keys()].some(under);
    if (hasChildren && !options.recursive) return 'Directory not empty';
    for (const k of [...this.#files.keys()]) if (under(k)) this.#files.delete(k);
    for (const k of [...this.#dirs.keys()]) if (under(k)) this.#dirs.delete(k);
    this.#dirs.delete(p);
    return undefined;
  }

  /** Names directly under `dir`, sorted (undefined when `dir` is not a directory). */
  list(dir: string): string[] | undefined {
    const p = normalizePath(dir);
    if (!this.#dirs.has(p)) return undefined;
    const prefix = p === '/' ? '/' : `${p}/`;
    const names = new Set<string>();
    for (const k of [...this.#dirs.keys(), ...this.#files.keys()]) {
      if (k !== p && k.startsWith(prefix) && !k.slice(prefix.length).includes('/')) names.add(k.slice(prefix.length));
    }
    return [...names].sort();
  }

  /** Whether `path` lies on a memory-backed (tmpfs) directory. */
  isTmpfs(path: string): boolean {
    return this.#tmpfsRoot(path) !== undefined;
  }

  /** Bytes of the files under `dir` (itself a file: its size), only those `owner` wrote when given. */
  bytesUnder(dir: string, owner?: string): number {
    const p = normalizePath(dir);
    const mine = (f: FileEntry) => owner === undefined || f.owner === owner;
    const file = this.#files.get(p);
    if (file) return mine(file) ? file.size : 0;
    let total = 0;
    for (const [k, f] of this.#files) if (k.startsWith(p === '/' ? '/' : `${p}/`) && mine(f)) total += f.size;
    return total;
  }
}

export interface HostFsOptions {
  /** Called after any write or removal (the runtime re-checks memory limits). */
  onChange?: () => void;
}

/** The node's file system, as the kubelet sees it (`/var/lib/kubelet/pods/<uid>/volumes/...`). */
export class HostFs extends Fs {
  onChange: (() => void) | undefined;
  constructor(options: HostFsOptions = {}) {
    super();
    this.onChange = options.onChange;
  }
  override write(path: string, text: string, options: { append?: boolean; size?: number; owner?: string } = {}): FsError | undefined {
    const err = super.write(path, text, options);
    this.onChange?.();
    return err;
  }
  override rm(path: string, options: { recursive?: boolean } = {}): FsError | undefined {
    const err = super.rm(path, options);
    this.onChange?.();
    return err;
  }

  // The kubelet model's HostFs seam (volumes.ts): mkdirAll, mountTmpfs, unmount, removeAll, exists.
  /** `mkdir -p`. */
  mkdirAll(path: string): void {
    this.mkdir(path);
  }
  /** Mounts a tmpfs on `path` (a Memory-medium emptyDir), limited to `sizeBytes` when given. */
  mountTmpfs(path: string, sizeBytes: number | undefined): void {
    this.mkdir(path, { tmpfs: true, sizeBytes });
  }
  /** Unmounts the tmpfs on `path` (its files vanish); no-op when none is mounted. */
  unmount(path: string): void {
    this.unmountTmpfs(path);
    this.onChange?.();
  }
  /** `rm -rf`: no error when `path` is absent. */
  removeAll(path: string): void {
    this.rm(path, { recursive: true });
  }
}

export interface MountPoint {
  containerPath: string;
  hostPath: string;
  readonly: boolean;
}

/** Where a container path lives: on the host through a mount, or in the writable layer. */
interface Resolved {
  fs: Fs;
  path: string;
  mount?: MountPoint;
}

/** A container's files: the image's files copied into a fresh writable layer, plus the mounts. */
export class ContainerFs {
  readonly layer = new Fs();
  readonly mounts: MountPoint[];

  constructor(
    readonly host: HostFs,
    mounts: MountPoint[],
    imageFiles: Record<string, string> = {},
    /** The container id this view belongs to: files it writes on the host are its own. */
    readonly owner?: string,
    /** The working directory relative paths start from (the CRI workingDir or the image's WORKDIR). */
    readonly cwd = '/',
  ) {
    // Longest container path first, so /data/sub wins over /data.
    this.mounts = mounts.map((m) => ({ ...m, containerPath: normalizePath(m.containerPath), hostPath: normalizePath(m.hostPath) })).sort((a, b) => b.containerPath.length - a.containerPath.length);
    for (const d of ['/bin', '/dev', '/etc', '/proc', '/root', '/tmp', '/usr', '/var', '/home']) this.layer.mkdir(d);
    for (const [path, text] of Object.entries(imageFiles)) {
      this.layer.mkdir(parentOf(path));
      this.layer.write(path, text);
    }
    for (const m of this.mounts) if (!host.exists(m.hostPath) || host.isDir(m.hostPath)) this.layer.mkdir(m.containerPath);
    if (!this.resolve(cwd).mount) this.layer.mkdir(cwd); // runc creates a missing working directory
  }

  resolve(path: string): Resolved {
    const p = normalizePath(path.startsWith('/') ? path : `${this.cwd}/${path}`);
    for (const m of this.mounts) {
      if (p === m.containerPath || p.startsWith(`${m.containerPath}/`)) return { fs: this.host, path: m.hostPath + p.slice(m.containerPath.length), mount: m };
    }
    return { fs: this.layer, path: p };
  }

  write(path: string, text: string, options: { append?: boolean; size?: number } = {}): string | undefined {
    const r = this.resolve(path);
    if (r.mount?.readonly) return 'Read-only file system';
    return r.fs.write(r.path, text, { ...options, owner: this.owner });
  }
  read(path: string): FileEntry | undefined {
    const r = this.resolve(path);
    return r.fs.read(r.path);
  }
  isDir(path: string): boolean {
    const r = this.resolve(path);
    return r.fs.isDir(r.path);
  }
  exists(path: string): boolean {
    const r = this.resolve(path);
    return r.fs.exists(r.path);
  }
  mkdir(path: string): string | undefined {
    const r = this.resolve(path);
    if (r.mount?.readonly) return 'Read-only file system';
    try {
      r.fs.mkdir(r.path);
      return undefined;
    } catch {
      return 'File exists';
    }
  }
  rm(path: string, options: { recursive?: boolean } = {}): string | undefined {
    const r = this.resolve(path);
    if (r.mount?.readonly) return 'Read-only file system';
    return r.fs.rm(r.path, options);
  }
  list(path: string): string[] | undefined {
    const r = this.resolve(path);
    return r.fs.list(r.path);
  }

  /**
   * Bytes this container wrote to memory-backed mounts (counted in its working set). The kernel
   * charges tmpfs pages to the writer's cgroup: a restarted container starts with none of them.
   */
  tmpfsBytes(): number {
    let total = 0;
    for (const m of this.mounts) if (this.host.isTmpfs(m.hostPath)) total += this.host.bytesUnder(m.hostPath, this.owner ?? '');
    return total;
  }
}
