/**
 * The kubelet's journal: klog lines as `journalctl -u kubelet` shows them, for the decisions the
 * model makes. klog's structured form: a quoted message, then `key=value` pairs with strings
 * quoted and lists in brackets: `I1205 07:45:00.123456    1234 kubelet.go:2468] "SyncLoop ADD"
 * source="api" pods=["default/web-0"]`. Each line is also a `kubelet.log` trace event.
 */
import { goQuote } from '../cache/go_strings';
import type { EventEmitter } from '../core/events';
import type { KubeletEventBase, KubeletEventMap } from './events';

export type KlogValue = string | number | boolean | string[] | Record<string, string | number>;

const LETTER = { info: 'I', warning: 'W', error: 'E' } as const;

function formatValue(v: KlogValue): string {
  if (typeof v === 'string') return goQuote(v);
  if (Array.isArray(v)) return `[${v.map(goQuote).join(',')}]`;
  if (typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${goQuote(k)}:${typeof x === 'string' ? goQuote(x) : x}`).join(',')}}`;
  return String(v);
}

/** klog's header: severity, MMDD, time with microseconds, the thread id padded to 7, file:line. */
// Upstream: k8s.io/klog/v2 klog.go (formatHeader) and internal/serialize (KVListFormat)
export function klogLine(level: keyof typeof LETTER, tMs: number, pid: number, source: string, msg: string, kv: Record<string, KlogValue> = {}): string {
  const d = new Date(Math.floor(Math.max(0, tMs))); // allow-nondeterminism: formats the given virtual time, reads no clock
  const two = (n: number) => String(n).padStart(2, '0');
  const micros = String(Math.floor((Math.max(0, tMs) % 1000) * 1000)).padStart(6, '0');
  const stamp = `${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${micros}`;
  const pairs = Object.entries(kv).map(([k, v]) => ` ${k}=${formatValue(v)}`).join('');
  return `${LETTER[level]}${stamp} ${String(pid).padStart(7)} ${source}] ${goQuote(msg)}${pairs}`;
}

/**
 * The source positions printed in the header. klog prints the caller's file:line; the lines here
 * are indicative (they move between releases: "SyncLoop ADD" was kubelet.go:2407 to 2468 across
 * 1.29–1.34), the files are the ones that log.
 */
export const LOG_SOURCES = {
  syncLoopAdd: 'kubelet.go:2468',
  syncLoopUpdate: 'kubelet.go:2474',
  syncLoopRemove: 'kubelet.go:2480',
  syncLoopDelete: 'kubelet.go:2477',
  syncLoopReconcile: 'kubelet.go:2483',
  syncLoopPleg: 'kubelet.go:2500',
  syncLoopProbe: 'kubelet.go:2537',
  receivingPod: 'config.go:399',
  containerFinished: 'generic.go:358',
  killing: 'kuberuntime_container.go:809',
  backOff: 'pod_workers.go:1301',
  syncTerminating: 'kubelet.go:2066',
  statusPatched: 'status_manager.go:1002',
  statusDeleted: 'status_manager.go:895',
  plegUnhealthy: 'kubelet.go:2414',
} as const;

export class Journal {
  /** Every line so far, header included (what journalctl prints after the `kubelet[pid]:` prefix). */
  readonly lines: string[] = [];
  /** Who else reads each written line as it is written (journald reading the process's stderr). */
  readonly #writers: Array<(line: string) => void> = [];

  /**
   * @param verbosity klog's -v: lines logged at a higher V are traced (with `v`) but not written
   * to `lines`. Most kubelets run at -v=2, where "SyncLoop RECONCILE" (V(4)) is not seen.
   */
  constructor(
    private readonly clock: { now(): number },
    private readonly events: EventEmitter<KubeletEventMap, KubeletEventBase>,
    readonly pid = 1234,
    readonly verbosity = 2,
  ) {}

  log(level: keyof typeof LETTER, v: number, source: string, msg: string, kv: Record<string, KlogValue> = {}): void {
    const line = klogLine(level, this.clock.now(), this.pid, source, msg, kv);
    if (v <= this.verbosity) {
      this.lines.push(line);
      for (const w of this.#writers) w(line);
    }
    this.events.emit('kubelet.log', { message: line.slice(line.indexOf('] ') + 2), level, source, v });
  }

  /** Calls `fn` with every line written from now on (what `lines` gets); returns a function that stops it. */
  onLine(fn: (line: string) => void): () => void {
    this.#writers.push(fn);
    return () => {
      const i = this.#writers.indexOf(fn);
      if (i >= 0) this.#writers.splice(i, 1);
    };
  }

  /** klog.V(v).InfoS */
  info(v: number, source: string, msg: string, kv?: Record<string, KlogValue>): void {
    this.log('info', v, source, msg, kv);
  }

  /** klog.ErrorS (always printed) */
  error(source: string, msg: string, kv?: Record<string, KlogValue>): void {
    this.log('error', 0, source, msg, kv);
  }
}
