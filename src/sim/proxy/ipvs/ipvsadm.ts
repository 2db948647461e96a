/**
 * Text views of the IPVS state as the tools print it: `ipvsadm -Ln` (ipvsadm 1.31's
 * print_title / print_service_entry, numeric) and `ip addr show kube-ipvs0`.
 */
import { joinHostPort } from '../util/ip';
import { defaultDummyDevice, type VirtualServer } from './proxier';

const pad = (s: string | number, n: number) => String(s).padEnd(n);

/** `ipvsadm -Ln`: virtual servers in `virtualServers` order, each with its real servers; no traffic counted. */
export function ipvsadmList(virtualServers: VirtualServer[]): string {
  const lines = [
    'IP Virtual Server version 1.2.1 (size=4096)',
    'Prot LocalAddress:Port Scheduler Flags',
    '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
  ];
  for (const vs of virtualServers) {
    let head = `${vs.protocol}  ${joinHostPort(vs.address, vs.port)} ${vs.scheduler}`;
    if (vs.flags.includes('persistent')) head += ` persistent ${vs.timeout}`;
    lines.push(head);
    // kube-proxy creates real servers in NAT (masquerading) forward mode.
    for (const rs of vs.realServers) lines.push(`  -> ${pad(joinHostPort(rs.address, rs.port), 28)} ${pad('Masq', 7)} ${pad(rs.weight, 6)} ${pad(0, 10)} ${pad(0, 10)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `ip addr show kube-ipvs0`: a down dummy device holding every bound service address. */
export function ipAddrShowDummy(addresses: string[], ifindex = 3): string {
  const lines = [
    `${ifindex}: ${defaultDummyDevice}: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN group default`,
    '    link/ether 00:00:00:00:00:00 brd ff:ff:ff:ff:ff:ff',
  ];
  for (const a of addresses) {
    if (a.includes(':')) lines.push(`    inet6 ${a}/128 scope global`, '       valid_lft forever preferred_lft forever');
    else lines.push(`    inet ${a}/32 scope global ${defaultDummyDevice}`, '       valid_lft forever preferred_lft forever');
  }
  return `${lines.join('\n')}\n`;
}
