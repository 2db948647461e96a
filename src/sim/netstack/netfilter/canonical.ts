import { formatCidr } from '../ip';
import type { Match, Rule, Target } from './types';

/**
 * A rule as `iptables-save` prints it back from the kernel: the IP header fields first (`-s`, `-d`,
 * `-i`, `-o`, `-p`, addresses with their prefix), then each match module in the order loaded, with
 * its options in the module's own order, then the target with what its save function prints
 * (MARK always as `--set-xmark value/mask`, REJECT with `--reject-with`).
 */
// Upstream: iptables iptables/iptables.c (print_firewall_line / save_ipv4_addr), extensions/libxt_*.c (*_save)
export function canonicalRuleText(rule: Rule): string {
  const out = [`-A ${rule.chain}`];
  const neg = (m: Match) => (m.negate ? '! ' : '');
  const header = (kind: Match['kind'], flag: string, value: (m: Match) => string) => {
    const m = rule.matches.find((x) => x.kind === kind);
    if (m) out.push(`${neg(m)}${flag} ${value(m)}`);
  };
  header('src', '-s', (m) => formatCidr((m as Extract<Match, { cidr: unknown }>).cidr));
  header('dst', '-d', (m) => formatCidr((m as Extract<Match, { cidr: unknown }>).cidr));
  header('inIface', '-i', (m) => (m as Extract<Match, { kind: 'inIface' | 'outIface' }>).name);
  header('outIface', '-o', (m) => (m as Extract<Match, { kind: 'inIface' | 'outIface' }>).name);
  header('proto', '-p', (m) => (m as Extract<Match, { proto: string; kind: 'proto' }>).proto);

  let portsPrinted = false;
  const ports = () => {
    portsPrinted = true;
    const ps = rule.matches.filter((m): m is Extract<Match, { kind: 'sport' | 'dport' }> => m.kind === 'sport' || m.kind === 'dport');
    // libxt_tcp/udp save: --sport before --dport, whatever the order written.
    return [...ps.filter((p) => p.kind === 'sport'), ...ps.filter((p) => p.kind === 'dport')]
      .map((p) => ` ${neg(p)}--${p.kind} ${p.lo === p.hi ? p.lo : `${p.lo}:${p.hi}`}`)
      .join('');
  };
  for (const m of rule.matches) {
    switch (m.kind) {
      case 'src': case 'dst': case 'inIface': case 'outIface': case 'proto':
        break;
      case 'module':
        if (!portsPrinted) out.push(`-m ${m.name}${ports()}`);
        break;
      case 'sport': case 'dport':
        if (!portsPrinted) out.push(`-m ${m.proto}${ports()}`);
        break;
      case 'comment':
        out.push(`-m comment --comment ${saveString(m.comment)}`);
        break;
      case 'multiport': {
        const flag = m.dir === 'src' ? '--sports' : m.dir === 'dst' ? '--dports' : '--ports';
        out.push(`-m multiport ${neg(m)}${flag} ${m.ranges.map(([lo, hi]) => (lo === hi ? lo : `${lo}:${hi}`)).join(',')}`);
        break;
      }
      case 'statistic':
        // libxt_statistic prints the probability back from the kernel's 31-bit threshold, with 11 decimals.
        out.push(m.mode === 'random'
          ? `-m statistic --mode random ${neg(m)}--probability ${thresholdProbabilityText(m.threshold)}`
          : `-m statistic --mode nth ${neg(m)}--every ${m.every} --packet ${m.packet}`);
        break;
      case 'recent': {
        const parts = [`-m recent`, `${m.negate ? '! ' : ''}--${m.op}`];
        if (m.seconds !== undefined) parts.push(`--seconds ${m.seconds}`);
        if (m.reap) parts.push('--reap');
        if (m.hitcount !== undefined) parts.push(`--hitcount ${m.hitcount}`);
        parts.push(`--name ${m.name}`, `--mask ${maskText(m.mask)}`, m.side === 'dst' ? '--rdest' : '--rsource');
        out.push(parts.join(' '));
        break;
      }
      case 'mark':
        out.push(`-m mark ${neg(m)}--mark ${hex(m.value)}${m.mask === 0xffffffff ? '' : `/${hex(m.mask)}`}`);
        break;
      case 'addrtype':
        out.push(`-m addrtype ${neg(m)}--${m.side}-type ${m.type}`);
        break;
      case 'conntrack': {
        const state = m.text.includes('-m state');
        out.push(`-m ${state ? 'state' : 'conntrack'} ${neg(m)}--${state ? 'state' : 'ctstate'} ${orderStates(m.states).join(',')}`);
        break;
      }
      case 'set':
        out.push(`-m set ${neg(m)}--match-set ${m.name} ${m.flags.join(',')}`);
        break;
      case 'physdev':
        out.push(`-m physdev ${neg(m)}--physdev-${m.test}`);
        break;
      case 'nfacct':
        // libxt_nfacct's save prints the name after two blanks.
        out.push(`-m nfacct --nfacct-name  ${m.name}`);
        break;
    }
  }
  if (rule.target) out.push(targetText(rule.target));
  return out.join(' ');
}

function targetText(t: Target): string {
  switch (t.kind) {
    case 'jump': return `-j ${t.chain}`;
    case 'goto': return `-g ${t.chain}`;
    case 'ACCEPT': case 'DROP': case 'RETURN': return `-j ${t.kind}`;
    case 'REJECT': return `-j REJECT --reject-with ${t.rejectWith ?? 'icmp-port-unreachable'}`;
    case 'DNAT': return `-j DNAT --to-destination ${t.to}`;
    case 'SNAT': return `-j SNAT --to-source ${t.to}${t.randomFully ? ' --random-fully' : ''}`;
    case 'MASQUERADE': return `-j MASQUERADE${t.toPorts ? ` --to-ports ${t.toPorts}` : ''}${t.randomFully ? ' --random-fully' : ''}`;
    case 'MARK': return `-j MARK --set-xmark ${hex(t.value)}/${hex(t.mask)}`;
  }
}

/** libxt_conntrack prints states in its bit order. */
const STATE_ORDER = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'];
function orderStates(states: string[]): string[] {
  return [...states].sort((a, b) => STATE_ORDER.indexOf(a) - STATE_ORDER.indexOf(b));
}

function hex(n: number): string {
  return `0x${(n >>> 0).toString(16)}`;
}

function maskText(mask: number): string {
  return [mask >>> 24, (mask >>> 16) & 255, (mask >>> 8) & 255, mask & 255].join('.');
}

/**
 * libxt_statistic's save: the kernel's 31-bit threshold over 2^31, printed with `%.11f`. Computed
 * exactly with integers, rounding half to even as glibc's printf does (toFixed would round the
 * exact ties, such as 2^19 / 2^31 for 1/4096, up).
 */
export function thresholdProbabilityText(threshold: number): string {
  const scaled = BigInt(threshold) * 10n ** 11n;
  const den = 2n ** 31n;
  let q = scaled / den;
  const r = scaled % den;
  if (r * 2n > den || (r * 2n === den && q % 2n === 1n)) q += 1n;
  const s = q.toString().padStart(12, '0');
  return `${s.slice(0, -11)}.${s.slice(-11)}`;
}

// Upstream: iptables libxtables/xtables.c (xtables_save_string): quoted unless every character is
// a letter, a digit, `_` or `-`; inside quotes `"`, `\` and `'` are escaped.
function saveString(value: string): string {
  return /^[_\-0-9a-zA-Z]+$/.test(value) ? value : `"${value.replace(/(["\\'])/g, '\\$1')}"`;
}
