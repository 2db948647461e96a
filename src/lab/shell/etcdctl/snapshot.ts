/**
 * `etcdctl snapshot save <file>` (one endpoint) and `etcdutl snapshot status <file>` over the lab's
 * files. The model has no bbolt file: a snapshot file holds the member's keyspace as JSON, and
 * status reads it as etcdutl reads a db: the CRC-32C of what it holds, the revision, the keys
 * (every key with history in it) and the size.
 * Upstream: etcd v3.6.0 etcdctl/ctlv3/command/snapshot_command.go (snapshotSaveCommandFunc),
 * client/v3/snapshot/v3_snapshot.go (SaveWithVersion), etcdutl/snapshot/v3_snapshot.go (Status),
 * etcdutl/etcdutl/printer.go (makeDBStatusTable)
 */
import type { Shell, ShellIO } from '../registry';
import { EXIT_BAD_ARGS, EXIT_BAD_FEATURE, EXIT_ERROR, EXIT_INTERRUPTED, EtcdctlExit } from './exit';
import { humanizeBytes, renderTable } from './table';

/** What a snapshot file holds (the model's stand-in for a bbolt db). */
export interface SnapshotFile {
  format: 'kubelab-etcd-snapshot/v1';
  version: string;
  revision: number;
  /** Every key in the key index (live or with history not yet compacted), with its revisions. */
  keys: Array<{ key: string; revs: string[] }>;
  /** The live key-values at `revision`. */
  kvs: Array<{ key: string; value: string; createRevision: number; modRevision: number; version: number; lease: number }>;
}

export interface SnapshotFiles {
  writeFile(path: string, text: string): void;
  readFile(path: string): string;
}

let crcTable: Uint32Array | undefined;

/** CRC-32C (Castagnoli), as etcdutl hashes a db. */
export function crc32c(text: string): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of new TextEncoder().encode(text)) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** `snapshot save <file>`: `take` reads the member's keyspace once the one endpoint answered. */
export async function snapshotSave(args: string[], endpoints: string[], take: () => Promise<SnapshotFile>, files: SnapshotFiles | undefined, io: ShellIO): Promise<number> {
  if (args.length !== 1) throw new EtcdctlExit(EXIT_BAD_ARGS, 'snapshot save expects one argument <filename>');
  if (endpoints.length !== 1) throw new EtcdctlExit(EXIT_INTERRUPTED, `snapshot must be requested to one selected node, not multiple [${endpoints.join(' ')}]`);
  if (!files) throw new EtcdctlExit(EXIT_INTERRUPTED, `could not open ${args[0]}.part (this lab's terminal has no files to write)`);
  const snap = await take();
  files.writeFile(args[0], JSON.stringify(snap, null, 1) + '\n');
  io.print(`Snapshot saved at ${args[0]}`);
  io.print(`Server version ${snap.version}`);
  return 0;
}

/** Registers `etcdutl snapshot status <file> [-w simple|table|json]`. */
export function registerEtcdutl(shell: Shell, files: SnapshotFiles): void {
  shell.register('etcdutl', {
    summary: 'read a snapshot file saved with etcdctl snapshot save (etcdutl v3.6: snapshot status)',
    usage: 'etcdutl snapshot status <file> [-w simple|table|json]',
    run(args, { io }) {
      try {
        return snapshotStatus(args, files, io);
      } catch (err) {
        if (err instanceof EtcdctlExit) {
          io.error(`Error: ${err.message}`);
          return err.code;
        }
        throw err;
      }
    },
    complete: (args) => (args.length === 0 ? ['snapshot'] : args.length === 1 ? ['status'] : []),
  });
}

function snapshotStatus(args: string[], files: SnapshotFiles, io: ShellIO): number {
  let out = 'simple';
  const pos: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-w' || a === '--write-out') out = args[++i] ?? '';
    else if (a.startsWith('--write-out=')) out = a.slice('--write-out='.length);
    else if (a.startsWith('-w=')) out = a.slice(3);
    else pos.push(a);
  }
  if (pos[0] !== 'snapshot' || pos[1] !== 'status') throw new EtcdctlExit(EXIT_BAD_ARGS, `unknown command "${pos.join(' ')}": etcdutl here has snapshot status <file>`);
  if (pos.length !== 3) throw new EtcdctlExit(EXIT_BAD_ARGS, 'snapshot status requires exactly one argument');
  if (out !== 'simple' && out !== 'table' && out !== 'json') throw new EtcdctlExit(EXIT_BAD_FEATURE, `unsupported output format ${out}`);
  let text: string;
  try {
    text = files.readFile(pos[2]);
  } catch (err) {
    throw new EtcdctlExit(EXIT_ERROR, `stat ${pos[2]}: no such file or directory`);
  }
  let snap: SnapshotFile;
  try {
    snap = JSON.parse(text) as SnapshotFile;
    if (snap.format !== 'kubelab-etcd-snapshot/v1') throw new Error('not a snapshot');
  } catch {
    throw new EtcdctlExit(EXIT_ERROR, `snapshot file integrity check failed: ${pos[2]} is not a snapshot saved by etcdctl snapshot save`);
  }
  const status = { hash: crc32c(text), revision: snap.revision, totalKey: snap.keys.length, totalSize: new TextEncoder().encode(text).length, version: snap.version };
  const row = [status.hash.toString(16), String(status.revision), String(status.totalKey), humanizeBytes(status.totalSize), status.version];
  if (out === 'json') io.print(JSON.stringify(status));
  else if (out === 'table') io.print(renderTable(['HASH', 'REVISION', 'TOTAL KEYS', 'TOTAL SIZE', 'VERSION'], [row]));
  else io.print(row.join(', '));
  return 0;
}
