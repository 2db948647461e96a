/**
 * File-system errors shaped like Go's: `*fs.PathError` prints `op path: err`
 * (`open /etc/x: no such file or directory`), `*os.LinkError` prints `op old new: err`, and the
 * error texts are the syscall package's lowercase strerror. kubeadm wraps these texts in its own
 * messages, so the model keeps them byte for byte. Shell commands print the C library's
 * capitalised wording instead (`No such file or directory`): `strerror` gives that.
 */

export type Errno = 'ENOENT' | 'EEXIST' | 'ENOTDIR' | 'EISDIR' | 'ENOTEMPTY' | 'ELOOP' | 'EINVAL' | 'EACCES' | 'EADDRINUSE';

/** Go's syscall.Errno.Error() texts. */
const GO_TEXT: Record<Errno, string> = {
  ENOENT: 'no such file or directory',
  EEXIST: 'file exists',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  ENOTEMPTY: 'directory not empty',
  ELOOP: 'too many levels of symbolic links',
  EINVAL: 'invalid argument',
  EACCES: 'permission denied',
  EADDRINUSE: 'address already in use',
};

/** glibc's strerror: what coreutils print (`ls: cannot access 'x': No such file or directory`). */
export function strerror(errno: Errno): string {
  const t = GO_TEXT[errno];
  return t[0].toUpperCase() + t.slice(1);
}

/** Go's `*fs.PathError`: `op path: err`. */
// Upstream: go src/io/fs/fs.go (PathError.Error)
export class PathError extends Error {
  constructor(
    readonly op: string,
    readonly path: string,
    readonly errno: Errno,
  ) {
    super(`${op} ${path}: ${GO_TEXT[errno]}`);
    this.name = 'PathError';
  }
}

/** Go's `*os.LinkError` (symlink, rename): `op old new: err`. */
// Upstream: go src/os/file.go (LinkError.Error)
export class LinkError extends Error {
  constructor(
    readonly op: string,
    readonly oldPath: string,
    readonly newPath: string,
    readonly errno: Errno,
  ) {
    super(`${op} ${oldPath} ${newPath}: ${GO_TEXT[errno]}`);
    this.name = 'LinkError';
  }
}

/** os.IsNotExist */
export const isNotExist = (err: unknown): boolean => (err instanceof PathError || err instanceof LinkError) && err.errno === 'ENOENT';
