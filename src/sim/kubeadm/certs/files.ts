/**
 * Where kubeadm's PKI goes. kubeadm writes with os.WriteFile / certutil.WriteCert; the model writes
 * through this small interface so a simulated host's file system can stand in (another part of
 * the simulation owns hosts), and tests use the in-memory one below.
 */
export interface FileWriter {
  /** Creates or replaces `path` (absolute) with `data` and permission bits `mode` (e.g. 0o600). */
  writeFile(path: string, data: string, mode: number): void;
  /** The file's contents, or undefined when it does not exist. */
  readFile(path: string): string | undefined;
}

/** A FileWriter over a Map: path -> { data, mode }, in write order. */
export class MemoryFiles implements FileWriter {
  readonly files = new Map<string, { data: string; mode: number }>();

  writeFile(path: string, data: string, mode: number): void {
    this.files.set(path, { data, mode });
  }

  readFile(path: string): string | undefined {
    return this.files.get(path)?.data;
  }

  /** Every path, sorted (as `ls -R` would list them). */
  paths(): string[] {
    return [...this.files.keys()].sort();
  }
}

/** filepath.Join for the absolute, clean paths kubeadm uses. */
export function joinPath(dir: string, name: string): string {
  return `${dir.replace(/\/+$/, '')}/${name}`;
}
