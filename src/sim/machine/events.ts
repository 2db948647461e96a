/**
 * Trace events of a machine: its kubelet model starting and stopping with the systemd unit, and
 * addresses bound and closed on the machines' network (what another machine can dial).
 */
import { defineEvents, type AnyEventOf } from '../core/events';

export type MachineEventMap = {
  /** The kubelet unit's process became the kubelet model (`start`, with its static pod path), or it ended (`stop`). */
  'machine.kubelet': { machine: string; op: 'start' | 'stop'; pid: number; staticPodPath: string; server: string };
  /** A process bound or closed `ip:port` on the network (`api`: an API server model answers there). */
  'machine.listen': { machine: string; address: string; process: string; op: 'listen' | 'close'; api: boolean };
};

export type MachineTraceEvent = AnyEventOf<MachineEventMap>;

export const machineEvents = defineEvents<MachineEventMap>(
  'machine',
  { name: 'kubernetes', tag: 'v1.34.0', blobUrl: 'https://github.com/kubernetes/kubernetes/blob/v1.34.0/' },
  {
    'machine.kubelet': { text: (e) => `${e.machine}: kubelet ${e.op === 'start' ? `started (pid ${e.pid}, static pods from ${e.staticPodPath}, API server ${e.server})` : `stopped (pid ${e.pid})`}`, source: { file: 'cmd/kubelet/app/server.go', symbol: 'RunKubelet' } },
    'machine.listen': { text: (e) => `${e.machine}: ${e.process} ${e.op === 'listen' ? 'listens on' : 'closed'} ${e.address}${e.api ? ' (API server)' : ''}` },
  },
);
