import type { ManifestFs } from '../config_file';

/** A directory tree in memory: paths of files; a directory exists when some file is under it or it is listed. */
export function memoryManifestFs(files: Record<string, string>, dirs: string[] = []): ManifestFs & { files: Record<string, string> } {
  const isDir = (p: string) => dirs.includes(p) || Object.keys(files).some((f) => f.startsWith(`${p}/`));
  return {
    files,
    stat: (p) => (p in files ? 'file' : isDir(p) ? 'dir' : undefined),
    readDir: (p) => [...new Set([...Object.keys(files), ...dirs].filter((f) => f.startsWith(`${p}/`)).map((f) => f.slice(p.length + 1).split('/')[0]))],
    readFile: (p) => {
      if (!(p in files)) throw new Error(`open ${p}: no such file or directory`);
      return files[p];
    },
  };
}
