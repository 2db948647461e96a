import type { Headers, Hop, WalkResult } from './types';

/** One text rendering of a walk, shared by the terminal (`curl -v`-like trace) and golden files. */
export function formatWalk(w: WalkResult, opts: { rules?: boolean } = {}): string {
  const out: string[] = [];
  const section = (title: string, r: WalkResult) => {
    out.push(`${title}: ${hdr(r.sent)}`);
    for (const h of r.hops) out.push(...formatHop(h, opts.rules ?? true));
    out.push(`=> ${r.outcome}${r.at ? ` at ${r.at}` : ''}${r.received ? ` as ${hdr(r.received)}` : ''}`);
  };
  section('request', w);
  if (w.reply) {
    out.push('');
    section('reply', w.reply);
  }
  return out.join('\n') + '\n';
}

function formatHop(h: Hop, rules: boolean): string[] {
  const place = `${h.node}${h.netns === 'root' ? '' : `[${h.netns}]`}${h.iface ? ` ${h.iface}` : ''}`;
  const changed = hdr(h.before) !== hdr(h.after) ? `  ${hdr(h.before)} -> ${hdr(h.after)}` : '';
  const lines = [`${String(h.n).padStart(2)}. ${place}: ${h.where}${changed}`];
  if (h.outer && (h.kind === 'encap' || h.kind === 'decap' || h.kind === 'wire' || h.kind === 'userspace')) {
    const o = h.outer;
    lines.push(`      outer: eth ${o.ethSrc} > ${o.ethDst} | ip ${o.ipSrc} > ${o.ipDst} | udp ${o.udpSport} > ${o.udpDport}${o.vni !== undefined ? ` | vxlan vni ${o.vni} | inner eth ${o.innerEthSrc} > ${o.innerEthDst}` : ''}`);
  }
  if (rules && h.matched) for (const r of h.matched) lines.push(`      ${r === h.matched.at(-1) && h.decisive ? '*' : '+'} ${r.table}:${r.line} ${r.text}`);
  if (h.conntrack) lines.push(`      ct ${h.conntrack.action}: ${h.conntrack.entry}`);
  if (h.note) lines.push(`      note: ${h.note}`);
  return lines;
}

function hdr(h: Headers): string {
  return `${h.proto} ${h.src}:${h.sport} > ${h.dst}:${h.dport}`;
}
