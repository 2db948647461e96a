import { parseCidr, parseIPv4 } from '../ip';
import type { Match, MarkOp, Target } from './types';

/** Match modules the model understands (`-m NAME`); others are refused like a missing .so. */
const MODULES = new Set([
  'tcp', 'udp', 'sctp', 'comment', 'statistic', 'recent', 'mark', 'addrtype', 'conntrack',
  'multiport', 'set', 'physdev', 'nfacct', 'state', 'icmp',
]);
const TARGETS_WITH_OPTIONS = new Set(['DNAT', 'SNAT', 'MASQUERADE', 'MARK', 'REJECT']);
const STANDARD_TARGETS = new Set(['ACCEPT', 'DROP', 'RETURN']);

export interface ParsedRule {
  matches: Match[];
  target?: Target;
}

/** A Match without the fields `push` fills in. */
type MatchBody = Match extends unknown ? (Match extends infer M ? (M extends Match ? Omit<M, 'negate' | 'text'> : never) : never) : never;

/** A reason iptables would print; the caller adds the line. */
export class RuleSyntaxError extends Error {}

/**
 * Turns the words after `-A CHAIN` into matches and a target, with iptables' option names.
 * `!` negates the option that follows it; `--dport` belongs to the protocol or `-m tcp` match.
 */
// Upstream: iptables iptables/xshared.c (do_parse) and extensions/libxt_*.c option tables
export function parseRuleArgs(words: string[]): ParsedRule {
  const matches: Match[] = [];
  let target: Target | undefined;
  let negate = false;
  let module = '';
  let i = 0;
  const next = (opt: string): string => {
    const v = words[++i];
    if (v === undefined) throw new RuleSyntaxError(`option "${opt}" requires an argument`);
    return v;
  };
  const push = (m: MatchBody, text: string) => {
    matches.push({ ...m, negate, text: (negate ? '! ' : '') + text } as Match);
    negate = false;
  };
  const recentOf = (): Extract<Match, { kind: 'recent' }> => {
    for (let k = matches.length - 1; k >= 0; k--) {
      const m = matches[k];
      if (m.kind === 'recent') return m;
    }
    throw new RuleSyntaxError('recent: options given before -m recent');
  };

  for (; i < words.length; i++) {
    const w = words[i];
    if (w === '!') {
      negate = true;
      continue;
    }
    switch (w) {
      case '-s': case '--source': case '-d': case '--destination': {
        const v = next(w);
        push({ kind: w.startsWith('-s') || w === '--source' ? 'src' : 'dst', cidr: cidrOrThrow(v) }, `${w} ${v}`);
        break;
      }
      case '-p': case '--protocol': {
        const v = next(w).toLowerCase();
        push({ kind: 'proto', proto: v }, `-p ${v}`);
        break;
      }
      case '-i': case '--in-interface': case '-o': case '--out-interface': {
        const v = next(w);
        push({ kind: w === '-i' || w === '--in-interface' ? 'inIface' : 'outIface', name: v }, `${w} ${v}`);
        break;
      }
      case '-m': case '--match': {
        module = next(w);
        if (!MODULES.has(module)) throw new RuleSyntaxError(`Couldn't load match \`${module}':No such file or directory`);
        if (module === 'tcp' || module === 'udp' || module === 'sctp') push({ kind: 'module', name: module }, `-m ${module}`);
        // xt_recent's defaults: list DEFAULT, source address, full mask; an action must follow.
        if (module === 'recent') push({ kind: 'recent', name: 'DEFAULT', op: 'rcheck', reap: false, mask: 0xffffffff, side: 'src' }, '-m recent');
        break;
      }
      case '--dport': case '--destination-port': case '--sport': case '--source-port': {
        const v = next(w);
        const [lo, hi] = portRange(v);
        const proto = ['tcp', 'udp', 'sctp'].includes(module) ? module : lastProto(matches);
        if (!proto) throw new RuleSyntaxError(`unknown option "${w}"`);
        push({ kind: w === '--dport' || w === '--destination-port' ? 'dport' : 'sport', lo, hi, proto }, `${w} ${v}`);
        break;
      }
      case '--dports': case '--sports': case '--ports': case '--destination-ports': case '--source-ports': {
        const v = next(w);
        const dir = w.includes('dport') || w.includes('destination') ? 'dst' : w === '--ports' ? 'any' : 'src';
        push({ kind: 'multiport', dir, ranges: v.split(',').map(portRange) }, `-m multiport ${w} ${v}`);
        break;
      }
      case '--comment': {
        // iptables-save quotes comments with blanks; some test fixtures leave them bare, so a
        // bare comment runs to the next option word.
        let v = next(w);
        while (i + 1 < words.length && !words[i + 1].startsWith('-') && words[i + 1] !== '!') v += ' ' + words[++i];
        push({ kind: 'comment', comment: v }, `-m comment --comment ${quoteIfNeeded(v)}`);
        break;
      }
      case '--mode': {
        const mode = next(w);
        if (mode !== 'random' && mode !== 'nth') throw new RuleSyntaxError(`statistic: bad mode "${mode}"`);
        if (mode === 'random') push({ kind: 'statistic', mode, probability: 1, threshold: 0x80000000 }, '-m statistic --mode random');
        else push({ kind: 'statistic', mode, every: 1, packet: 0 }, '-m statistic --mode nth');
        break;
      }
      case '--probability': case '--every': case '--packet': {
        const v = next(w);
        const m = matches[matches.length - 1];
        if (!m || m.kind !== 'statistic') throw new RuleSyntaxError(`statistic: ${w} needs --mode first`);
        m.text += ` ${w} ${v}`;
        if (w === '--probability' && m.mode === 'random') {
          const p = Number(v);
          if (!(p >= 0 && p <= 1)) throw new RuleSyntaxError(`--probability must be between 0 and 1`);
          m.probability = p;
          // xt_statistic compares a 31-bit random number with round(2^31 * p).
          m.threshold = Math.round(0x80000000 * p);
        } else if (w === '--every' && m.mode === 'nth') m.every = Number(v);
        else if (w === '--packet' && m.mode === 'nth') m.packet = Number(v);
        break;
      }
      case '--name': {
        const v = next(w);
        const m = recentOf();
        m.name = v;
        m.text += ` --name ${v}`;
        break;
      }
      case '--set': case '--rcheck': case '--update': case '--remove': {
        const m = recentOf();
        m.op = w.slice(2) as 'set';
        m.text += ` ${negate ? '! ' : ''}${w}`;
        if (negate) m.negate = true;
        negate = false;
        break;
      }
      case '--seconds': case '--hitcount': {
        const v = next(w);
        const m = recentOf();
        if (w === '--seconds') m.seconds = Number(v);
        else m.hitcount = Number(v);
        m.text += ` ${w} ${v}`;
        break;
      }
      case '--reap': case '--rsource': case '--rdest': {
        const m = recentOf();
        if (w === '--reap') m.reap = true;
        else m.side = w === '--rdest' ? 'dst' : 'src';
        m.text += ` ${w}`;
        break;
      }
      case '--mask': {
        const v = next(w);
        const m = recentOf();
        m.mask = parseIPv4(v);
        m.text += ` ${w} ${v}`;
        break;
      }
      case '--mark': {
        const v = next(w);
        const [value, mask] = markPair(v, 0xffffffff);
        push({ kind: 'mark', value, mask }, `-m mark --mark ${v}`);
        break;
      }
      case '--dst-type': case '--src-type': {
        const v = next(w);
        push({ kind: 'addrtype', side: w === '--dst-type' ? 'dst' : 'src', type: v }, `-m addrtype ${w} ${v}`);
        break;
      }
      case '--ctstate': case '--state': {
        const v = next(w);
        push({ kind: 'conntrack', states: v.split(',') }, `-m ${module || 'conntrack'} ${w} ${v}`);
        break;
      }
      case '--match-set': {
        const name = next(w);
        const flags = next(w);
        push({ kind: 'set', name, flags: flags.split(',') as ('src' | 'dst')[] }, `-m set --match-set ${name} ${flags}`);
        break;
      }
      case '--physdev-is-in': case '--physdev-is-out': case '--physdev-is-bridged':
        push({ kind: 'physdev', test: w.slice('--physdev-'.length) as 'is-in' }, `-m physdev ${w}`);
        break;
      case '--nfacct-name': {
        const v = next(w);
        push({ kind: 'nfacct', name: v }, `-m nfacct --nfacct-name ${v}`);
        break;
      }
      case '-j': case '--jump': case '-g': case '--goto': {
        const name = next(w);
        const isGoto = w === '-g' || w === '--goto';
        target = STANDARD_TARGETS.has(name) && !isGoto
          ? { kind: name as 'ACCEPT' }
          : TARGETS_WITH_OPTIONS.has(name)
            ? initialTarget(name)
            : { kind: isGoto ? 'goto' : 'jump', chain: name };
        break;
      }
      case '--to-destination': case '--to-source': case '--to-ports': case '--reject-with': {
        const v = next(w);
        if (target?.kind === 'DNAT' && w === '--to-destination') target.to = v;
        else if (target?.kind === 'SNAT' && w === '--to-source') target.to = v;
        else if (target?.kind === 'MASQUERADE' && w === '--to-ports') target.toPorts = v;
        else if (target?.kind === 'REJECT' && w === '--reject-with') target.rejectWith = v;
        else throw new RuleSyntaxError(`unknown option "${w}"`);
        break;
      }
      case '--random-fully': case '--random': {
        if (target?.kind === 'MASQUERADE' || target?.kind === 'SNAT') target.randomFully = w === '--random-fully';
        else throw new RuleSyntaxError(`unknown option "${w}"`);
        break;
      }
      case '--set-xmark': case '--set-mark': case '--or-mark': case '--xor-mark': case '--and-mark': {
        const v = next(w);
        if (target?.kind !== 'MARK') throw new RuleSyntaxError(`unknown option "${w}"`);
        const op = w.slice(2) as MarkOp;
        const [value, mask] = markPair(v, op === 'set-xmark' || op === 'set-mark' ? 0xffffffff : 0);
        Object.assign(target, markSemantics(op, value, mask));
        break;
      }
      default:
        throw new RuleSyntaxError(`unknown option "${w}"`);
    }
  }
  if (negate) throw new RuleSyntaxError('! must come before an option');
  if (target?.kind === 'DNAT' && !target.to) throw new RuleSyntaxError('DNAT: option "--to-destination" must be specified');
  if (target?.kind === 'SNAT' && !target.to) throw new RuleSyntaxError('SNAT: option "--to-source" must be specified');
  return { matches, target };
}

/** The protocol a bare `-p tcp --dport 80` loaded its port options from. */
function lastProto(matches: Match[]): string | undefined {
  for (let k = matches.length - 1; k >= 0; k--) {
    const m = matches[k];
    if (m.kind === 'proto' && !m.negate) return m.proto;
  }
  return undefined;
}

function initialTarget(name: string): Target {
  switch (name) {
    case 'DNAT': return { kind: 'DNAT', to: '' };
    case 'SNAT': return { kind: 'SNAT', to: '', randomFully: false };
    case 'MASQUERADE': return { kind: 'MASQUERADE', randomFully: false };
    case 'REJECT': return { kind: 'REJECT' };
    default: return { kind: 'MARK', op: 'set-xmark', value: 0, mask: 0 };
  }
}

/** Keeps the operator the rule used, with value/mask as xt_MARK applies them: mark = (mark & ~mask) ^ value. */
function markSemantics(op: MarkOp, value: number, mask: number): { op: MarkOp; value: number; mask: number } {
  switch (op) {
    case 'or-mark': return { op, value, mask: value }; // libxt_MARK: --or-mark x == --set-xmark x/x
    case 'xor-mark': return { op, value, mask: 0 }; // --xor-mark x == --set-xmark x/0
    case 'and-mark': return { op, value: 0, mask: ~value >>> 0 }; // --and-mark x == --set-xmark 0/~x
    case 'set-mark': return { op, value, mask: (mask | value) >>> 0 }; // --set-mark x/m == --set-xmark x/(x|m)
    default: return { op, value, mask };
  }
}

function markPair(text: string, defaultMask: number): [number, number] {
  const [v, m] = text.split('/');
  const value = Number(v);
  const mask = m === undefined ? defaultMask : Number(m);
  if (!Number.isInteger(value) || !Number.isInteger(mask) || value < 0 || mask < 0 || value > 0xffffffff || mask > 0xffffffff) {
    throw new RuleSyntaxError(`Bad MARK value "${text}"`);
  }
  return [value >>> 0, mask >>> 0];
}

function portRange(text: string): [number, number] {
  const [a, b] = text.split(':');
  const lo = a === '' ? 0 : Number(a);
  const hi = b === undefined ? lo : b === '' ? 65535 : Number(b);
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || hi > 65535 || lo > hi) {
    throw new RuleSyntaxError(`invalid port/service \`${text}' specified`);
  }
  return [lo, hi];
}

function cidrOrThrow(text: string) {
  try {
    return parseCidr(text);
  } catch {
    throw new RuleSyntaxError(`host/network \`${text}' not found`);
  }
}

function quoteIfNeeded(v: string): string {
  return /[\s"]/.test(v) ? `"${v.replace(/"/g, '\\"')}"` : v;
}
