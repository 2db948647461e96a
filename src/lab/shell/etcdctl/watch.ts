/**
 * `etcdctl watch <key> [range_end] [--prefix] [--rev=N] [--prev-kv]`: prints each event as
 * etcdctl's simple printer does (the type, the previous key-value with --prev-kv, the key-value)
 * until Ctrl+C. With --rev it starts from history; a compacted revision ends it as etcd ends it.
 * Virtual time moves only with the lab's other commands, so a watch typed now shows history and
 * what a Run (replayed into the lab's cluster) writes.
 * Upstream: etcd v3.6.0 etcdctl/ctlv3/command/watch_command.go (watchCommandFunc, printWatchCh),
 * printer_simple.go (Watch)
 */
import type { ShellIO } from '../registry';
import { EXIT_BAD_ARGS, EXIT_ERROR, EXIT_INTERRUPTED, EtcdctlExit } from './exit';

interface WatchKV {
  key: string;
  value: string;
}
export interface WatchResponseLike {
  events: Array<{ type: 'PUT' | 'DELETE'; kv: WatchKV; prevKv?: WatchKV }>;
  canceled: boolean;
  compactRevision: number;
  err?: Error;
}
export type WatchFn = (key: string, opts: { prefix?: boolean; rangeEnd?: string; startRevision?: number; prevKv?: boolean }, handler: (resp: WatchResponseLike) => void) => () => void;

export async function watch(
  watchFn: WatchFn | undefined,
  pos: string[],
  o: { prefix: boolean; rev: number; prevKv: boolean },
  io: ShellIO,
  signal: AbortSignal | undefined,
  /** Lets the store's watch sync run (history is sent by etcd's 100 ms sync loop). */
  settle: () => Promise<void>,
): Promise<number> {
  if (pos.length < 1 || pos.length > 2) throw new EtcdctlExit(EXIT_BAD_ARGS, 'watch in non-interactive mode requires one or two arguments as key and optional range_end');
  if (pos.length === 2 && o.prefix) throw new EtcdctlExit(EXIT_BAD_ARGS, '`range_end` and `--prefix` are mutually exclusive');
  if (!watchFn) throw new EtcdctlExit(EXIT_ERROR, "this lab's etcd cannot watch");
  let canceled: string | undefined;
  let wake = () => {};
  const cancel = watchFn(
    pos[0],
    { ...(o.prefix ? { prefix: true } : {}), ...(pos[1] !== undefined ? { rangeEnd: pos[1] } : {}), ...(o.rev > 0 ? { startRevision: o.rev } : {}), ...(o.prevKv ? { prevKv: true } : {}) },
    (resp) => {
      if (resp.canceled) {
        canceled = resp.err?.message ?? (resp.compactRevision ? 'etcdserver: mvcc: required revision has been compacted' : 'canceled');
        wake();
        return;
      }
      for (const e of resp.events) {
        io.print(e.type);
        if (e.prevKv) {
          io.print(e.prevKv.key);
          io.print(e.prevKv.value);
        }
        io.print(e.kv.key);
        io.print(e.kv.value);
      }
    },
  );
  try {
    await settle();
    if (canceled === undefined) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        if (signal?.aborted) resolve();
        signal?.addEventListener('abort', () => resolve(), { once: true });
      });
    }
  } finally {
    cancel();
  }
  if (canceled !== undefined) {
    io.error(`watch was canceled (${canceled})`);
    throw new EtcdctlExit(EXIT_INTERRUPTED, 'watch is canceled by the server');
  }
  return 0;
}
