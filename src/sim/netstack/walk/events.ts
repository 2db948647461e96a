/**
 * The netstack's trace events: one `netstack.hop` per station of a walk and one `netstack.walk`
 * when a packet arrives or is stopped, so the shared timeline, the packet view and the terminal
 * read the same list.
 */
import { defineEvents, type AnyEventOf } from '../../core/events';
import type { JsonValue } from '../../core/trace';

export const FLANNEL_TAG = 'v0.27.4';

export type NetstackEventMap = {
  /** One hop of a walk; `hop` is the Hop as plain JSON, `leg` says request or reply. */
  'netstack.hop': { walk: number; leg: 'request' | 'reply'; hop: { [k: string]: JsonValue } };
  /** A walk's leg ended: outcome and who got it. */
  'netstack.walk': { walk: number; leg: 'request' | 'reply'; outcome: string; at: string; hops: number };
};

export type NetstackEvent = AnyEventOf<NetstackEventMap>;

export const netstackEvents = defineEvents<NetstackEventMap>(
  'netstack',
  { name: 'flannel', tag: FLANNEL_TAG, blobUrl: `https://github.com/flannel-io/flannel/blob/${FLANNEL_TAG}/` },
  {
    'netstack.hop': {
      text: (e) => `${e.leg} #${e.walk} hop ${String(e.hop.n)}: ${String(e.hop.node)} ${String(e.hop.where)}`,
      source: (e) =>
        e.hop.kind === 'encap' || e.hop.kind === 'decap'
          ? { file: 'pkg/backend/vxlan/vxlan_network.go', symbol: 'network.handleSubnetEvents' }
          : e.hop.kind === 'userspace'
            ? { file: 'pkg/backend/udp/udp_network_amd64.go', symbol: 'network.Run' }
            : undefined,
    },
    'netstack.walk': { text: (e) => `${e.leg} #${e.walk}: ${e.outcome}${e.at ? ` at ${e.at}` : ''} after ${e.hops} hops` },
  },
);
