/**
 * The trace events of the DNS model: what a pod's resolver sends and gets back, and what CoreDNS
 * answers. A lookup does not move the clock (timeouts are virtual time added to the send time),
 * so each event carries the time of the packet it stands for.
 */
import { defineEvents, type AnyEventOf } from '../core/events';
import type { TraceRecorder } from '../core/trace';

export const GLIBC_TAG = 'glibc-2.36';
export const COREDNS_TAG = 'v1.12.1';

/** Event type -> fields, for the pod side (component `resolver`). */
export type ResolverEventMap = {
  /** /etc/hosts answered (no query sent). */
  'resolver.files': { name: string; addresses: string };
  /** A query left for `server`. */
  'resolver.query': { server: string; name: string; qtype: string; id: number };
  /** Its reply came back. */
  'resolver.reply': { server: string; name: string; qtype: string; id: number; rcode: string; answers: number };
  /** No reply within the timeout; the resolver moves to the next server. */
  'resolver.timeout': { server: string; name: string; qtype: string; id: number; waitMs: number };
};

/** Event type -> fields, for the server side (component `coredns`). */
export type CoreDNSEventMap = {
  /** A query answered; `plugin` is who wrote the reply. */
  'coredns.serve': { name: string; qtype: string; rcode: string; answers: number; plugin: 'kubernetes' | 'forward' };
};

export type ResolverEvent = AnyEventOf<ResolverEventMap>;
export type CoreDNSEvent = AnyEventOf<CoreDNSEventMap>;

const resSource = (file: string, symbol: string) => ({ file: `resolv/${file}`, symbol });

export const resolverEvents = defineEvents<ResolverEventMap>(
  'resolver',
  { name: 'glibc', tag: GLIBC_TAG, blobUrl: `https://github.com/bminor/glibc/blob/${GLIBC_TAG}/` },
  {
    'resolver.files': { text: (e) => `/etc/hosts: ${e.name} -> ${e.addresses}`, source: { file: 'nss/nss_files/files-hosts.c', symbol: '_nss_files_gethostbyname4_r' } },
    'resolver.query': { text: (e) => `${e.qtype}? ${e.name} -> ${e.server} (id ${e.id})`, source: resSource('res_send.c', '__res_context_send') },
    'resolver.reply': { text: (e) => `${e.qtype} ${e.name} <- ${e.server}: ${e.rcode}, ${e.answers} answer${e.answers === 1 ? '' : 's'}`, source: resSource('res_query.c', '__res_context_query') },
    'resolver.timeout': { text: (e) => `${e.qtype}? ${e.name} to ${e.server} timed out after ${e.waitMs}ms`, source: resSource('res_send.c', 'send_dg') },
  },
);

export const corednsEvents = defineEvents<CoreDNSEventMap>(
  'coredns',
  { name: 'coredns', tag: COREDNS_TAG, blobUrl: `https://github.com/coredns/coredns/blob/${COREDNS_TAG}/` },
  {
    'coredns.serve': {
      text: (e) => `${e.qtype} ${e.name}: ${e.rcode}, ${e.answers} answer${e.answers === 1 ? '' : 's'} (${e.plugin})`,
      source: (e) => (e.plugin === 'kubernetes' ? { file: 'plugin/kubernetes/handler.go', symbol: 'Kubernetes.ServeDNS' } : { file: 'plugin/forward/forward.go', symbol: 'Forward.ServeDNS' }),
    },
  },
);

/** Records one event of a catalog at an explicit time (the packet's, not the clock's). */
export function emitAt<M extends Record<string, Record<string, string | number>>, K extends keyof M & string>(trace: TraceRecorder | undefined, component: string, t: number, type: K, fields: M[K]): void {
  trace?.emit(t, component, type, fields);
}

/** The DNS events of a trace as text, one line each: `<t> <component> <text>`. */
export function formatDNSTrace(events: readonly { t: number; component: string; type: string }[]): string {
  const lines: string[] = [];
  for (const e of events) {
    const text = resolverEvents.text(e as never) ?? corednsEvents.text(e as never);
    if (text !== undefined) lines.push(`${String(e.t).padStart(6)}ms ${e.component.padEnd(8)} ${text}`);
  }
  return lines.join('\n');
}
