/**
 * What `iptables-save` prints for a rule kube-proxy restored: the kernel keeps parsed matches,
 * and iptables-save writes them back in its own canonical form (iptables 1.8, libxtables
 * `xtables_save_string`, and the save functions of libxt_comment, tcp/udp/sctp, statistic, mark,
 * MARK, conntrack, addrtype, recent, nfacct). So `-m tcp -p tcp -d 10.96.0.1 --dport 443`
 * becomes `-d 10.96.0.1/32 -p tcp ... -m tcp --dport 443`, `--or-mark 0x4000` becomes
 * `--set-xmark 0x4000/0x4000`, and a probability is the kernel's 31-bit fixed-point value
 * printed with 11 decimals (`0.33333333349`). Modules the model does not know keep their words.
 */
import { ipFamilyOf } from '../util/ip';
import { formatIPTablesDump, parseIPTablesDump } from './save';

/** Splits a rule into words; a double-quoted string is one word, without its quotes. */
function words(rule: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  for (let m = re.exec(rule); m; m = re.exec(rule)) out.push(m[1] ?? m[2]);
  return out;
}

const noQuoteChars = /^[_\-0-9a-zA-Z]+$/;

// Upstream: libxtables (xtables_save_string): quote unless every character is safe.
function saveString(value: string): string {
  return noQuoteChars.test(value) ? value : `"${value.replace(/(["\\'])/g, '\\$1')}"`;
}

function withMask(addr: string): string {
  if (addr.includes('/')) return addr;
  return `${addr}/${ipFamilyOf(addr) === 'IPv6' ? 128 : 32}`;
}

const hex = (v: string) => `0x${BigInt(v).toString(16)}`;

// libxt_statistic: the kernel stores round(p * 2^31); iptables prints that / 2^31 with "%.11f".
// Computed exactly with integers, rounding half to even as glibc's printf does.
export function savedProbability(p: string): string {
  const k = BigInt(Math.round(Number(p) * 2 ** 31));
  const scaled = k * 10n ** 11n;
  const den = 2n ** 31n;
  let q = scaled / den;
  const r = scaled % den;
  if (r * 2n > den || (r * 2n === den && q % 2n === 1n)) q += 1n;
  const s = q.toString().padStart(12, '0');
  return `${s.slice(0, -11)}.${s.slice(-11)}`;
}

/** Which module an option belongs to, for options written after another module's `-m`. */
const optionModule: Record<string, string[]> = {
  '--comment': ['comment'],
  '--dport': ['tcp', 'udp', 'sctp'],
  '--sport': ['tcp', 'udp', 'sctp'],
  '--mode': ['statistic'],
  '--probability': ['statistic'],
  '--mark': ['mark'],
  '--ctstate': ['conntrack'],
  '--src-type': ['addrtype'],
  '--dst-type': ['addrtype'],
  '--set': ['recent'],
  '--rcheck': ['recent'],
  '--seconds': ['recent'],
  '--reap': ['recent'],
  '--name': ['recent'],
  '--nfacct-name': ['nfacct'],
};

/** Options that take no value. */
const flags = new Set(['--set', '--rcheck', '--reap', '--physdev-is-in', '--random-fully']);

interface Opt {
  name: string;
  value?: string;
  negated: boolean;
}

interface Match {
  module: string;
  opts: Opt[];
}

const neg = (o: Opt) => (o.negated ? '! ' : '');

// Upstream: the save function of each match module, in its own option order.
function saveMatch(m: Match): string {
  const get = (n: string) => m.opts.find((o) => o.name === n);
  const out: string[] = ['-m', m.module];
  switch (m.module) {
    case 'comment':
      out.push('--comment', saveString(get('--comment')?.value ?? ''));
      break;
    case 'tcp':
    case 'udp':
    case 'sctp':
      for (const n of ['--sport', '--dport']) {
        const o = get(n);
        if (o) out.push(`${neg(o)}${n}`, o.value!);
      }
      break;
    case 'statistic':
      out.push('--mode', get('--mode')?.value ?? 'random');
      if (get('--probability')) out.push('--probability', savedProbability(get('--probability')!.value!));
      break;
    case 'mark': {
      const o = get('--mark')!;
      const [v, mask] = o.value!.split('/');
      out.push(`${neg(o)}--mark`, mask === undefined ? hex(v) : `${hex(v)}/${hex(mask)}`);
      break;
    }
    case 'addrtype':
      for (const n of ['--src-type', '--dst-type']) {
        const o = get(n);
        if (o) out.push(`${neg(o)}${n}`, o.value!);
      }
      break;
    case 'recent':
      if (get('--set')) out.push('--set');
      if (get('--rcheck')) out.push('--rcheck');
      if (get('--seconds')) out.push('--seconds', get('--seconds')!.value!);
      if (get('--reap')) out.push('--reap');
      out.push('--name', get('--name')?.value ?? 'DEFAULT', '--mask', '255.255.255.255', '--rsource');
      break;
    case 'nfacct':
      // xtables_save_string adds its own leading space: iptables-save shows two.
      out.push(`--nfacct-name  ${saveString(get('--nfacct-name')?.value ?? '')}`);
      break;
    default:
      for (const o of m.opts) out.push(`${neg(o)}${o.name}`, ...(o.value !== undefined ? [o.value] : []));
  }
  return out.join(' ');
}

// Upstream: libxt_MARK (MARK_save): or-mark v is set-xmark v/v, xor-mark v is set-xmark v/0.
function saveTarget(target: string, opts: Opt[]): string {
  const out = ['-j', target];
  for (const o of opts) {
    if (target === 'MARK' && o.name === '--or-mark') out.push('--set-xmark', `${hex(o.value!)}/${hex(o.value!)}`);
    else if (target === 'MARK' && o.name === '--xor-mark') out.push('--set-xmark', `${hex(o.value!)}/0x0`);
    else out.push(o.name, ...(o.value !== undefined ? [o.value] : []));
  }
  return out.join(' ');
}

/** One `-A` rule as kube-proxy wrote it, in iptables-save's canonical form. */
export function canonicalRule(rule: string): string {
  const w = words(rule);
  const head = { src: '', dst: '', in: '', out: '', proto: '' };
  const matches: Match[] = [];
  let target = '';
  const targetOpts: Opt[] = [];
  let negated = false;
  for (let i = 2; i < w.length; i++) {
    const word = w[i];
    if (word === '!') {
      negated = true;
      continue;
    }
    const bang = negated ? '! ' : '';
    negated = false;
    if (word === '-s') head.src = `${bang}-s ${withMask(w[++i])}`;
    else if (word === '-d') head.dst = `${bang}-d ${withMask(w[++i])}`;
    else if (word === '-i') head.in = `${bang}-i ${w[++i]}`;
    else if (word === '-o') head.out = `${bang}-o ${w[++i]}`;
    else if (word === '-p') head.proto = `${bang}-p ${w[++i]}`;
    else if (word === '-m') matches.push({ module: w[++i], opts: [] });
    else if (word === '-j') target = w[++i];
    else if (word.startsWith('--')) {
      const opt: Opt = { name: word, negated: bang !== '' };
      if (!flags.has(word) && i + 1 < w.length) opt.value = w[++i];
      if (target) targetOpts.push(opt);
      else {
        const owners = optionModule[word];
        const owner = owners ? [...matches].reverse().find((m) => owners.includes(m.module)) : matches[matches.length - 1];
        (owner ?? matches[matches.length - 1])?.opts.push(opt);
      }
    }
  }
  const parts = [w[0], w[1], head.src, head.dst, head.in, head.out, head.proto, ...matches.map(saveMatch)];
  if (target) parts.push(saveTarget(target, targetOpts));
  return parts.filter(Boolean).join(' ');
}

/** A whole dump (as `iptablesSaveTable` gives it) with every rule in canonical form. */
export function canonicalIPTablesSave(text: string): string {
  const tables = parseIPTablesDump(text);
  for (const t of tables) for (const c of t.chains) c.rules = c.rules.map(canonicalRule);
  return formatIPTablesDump(tables);
}
