import type { Proto } from './types';

/** The headers netfilter looks at, plus the skb mark and the interfaces it came in / goes out on. */
export interface Packet {
  proto: Proto;
  src: string;
  dst: string;
  sport: number;
  dport: number;
  /** skb->mark (kube-proxy's 0x4000 masquerade bit lives here). */
  mark: number;
  inIface?: string;
  outIface?: string;
}

export function endpointOf(ip: string, port: number): string {
  return `${ip}:${port}`;
}

export function describePacket(p: Packet): string {
  return `${p.proto} ${p.src}:${p.sport} -> ${p.dst}:${p.dport}${p.mark ? ` mark=0x${p.mark.toString(16)}` : ''}`;
}
