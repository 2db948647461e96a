/**
 * The file and machine commands of a node's shell, as pure functions over a `Host`: `ls [-l]
 * [-a] [-d]`, `cat`, `cd`, `pwd`, `hostname`, `nproc`, `uname [-r|-a]`, `free [-m|-g|-h]`.
 * Output after GNU coreutils 9.1 and procps-ng 4.0 (Debian 12); errors in their words
 * (`ls: cannot access '/x': No such file or directory`).
 */
import type { Host } from '../../../sim/host/host';
import { PathError, strerror, type FileInfo } from '../../../sim/host/index';
import type { ShellIO } from '../registry';
import { bool, OptError, parseOpts, type OptSpec } from '../node/flags';

/** Where a node's shell is: the working directory (`cd` changes it; ssh lands in /root). */
export interface ShellPlace {
  cwd: string;
}

/** An absolute path from what the user typed. */
export function absolute(place: ShellPlace, p: string): string {
  if (p === '~' || p.startsWith('~/')) return `/root${p.slice(1)}`;
  return p.startsWith('/') ? p : `${place.cwd === '/' ? '' : place.cwd}/${p}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** `drwxr-xr-x` */
export function modeString(info: Pick<FileInfo, 'type' | 'mode'>): string {
  const kind = info.type === 'dir' ? 'd' : info.type === 'symlink' ? 'l' : info.type === 'socket' ? 's' : '-';
  let bits = '';
  for (let shift = 6; shift >= 0; shift -= 3) {
    const v = (info.mode >> shift) & 7;
    bits += (v & 4 ? 'r' : '-') + (v & 2 ? 'w' : '-') + (v & 1 ? 'x' : '-');
  }
  if (info.mode & 0o1000) bits = bits.slice(0, 8) + (bits[8] === 'x' ? 't' : 'T');
  return kind + bits;
}

/** ls's recent-file time: `Dec  5 10:00`. */
function lsTime(ms: number): string {
  const d = new Date(ms); // allow-nondeterminism: formats a given virtual time
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}

const LS_OPTS: OptSpec[] = [
  { name: 'long', short: 'l', type: 'bool' },
  { name: 'all', short: 'a', type: 'bool' },
  { name: 'almost-all', short: 'A', type: 'bool' },
  { name: 'directory', short: 'd', type: 'bool' },
  { name: 'human', short: 'h', type: 'bool' },
  { name: 'one', short: '1', type: 'bool' },
];

/** `ls`: names in one line when they fit 80 columns, else one per line; `-l` the long listing with `total`. */
// Upstream: GNU coreutils src/ls.c (print_long_format, gobble_file: nlink of a directory = 2 + subdirectories)
export function runLs(host: Host, place: ShellPlace, argv: string[], io: ShellIO): number {
  let o;
  try {
    o = parseOpts(argv, LS_OPTS);
  } catch (err) {
    io.error(`ls: ${(err as OptError).message}\nTry 'ls --help' for more information.`);
    return 2;
  }
  const long = bool(o, 'long');
  const all = bool(o, 'all');
  const paths = o.args.length ? o.args : ['.'];
  let status = 0;
  const files: Array<{ shown: string; path: string }> = [];
  const dirs: Array<{ shown: string; path: string }> = [];
  for (const p of paths) {
    const path = p === '.' ? place.cwd : absolute(place, p);
    try {
      const info = host.fs.lstat(path);
      const followed = info.type === 'symlink' && !long ? host.fs.stat(path) : info;
      if (followed.isDir && !bool(o, 'directory')) dirs.push({ shown: p, path });
      else files.push({ shown: p, path });
    } catch {
      io.error(`ls: cannot access '${p}': ${strerror('ENOENT')}`);
      status = 2;
    }
  }
  const blocks: string[] = [];
  if (files.length) blocks.push(render(host, files.map((f) => ({ name: f.shown, path: f.path })), long, false));
  for (const d of dirs) {
    const names = host.fs.readDir(d.path).filter((n) => all || bool(o, 'almost-all') || !n.startsWith('.'));
    const entries = [...(all ? ['.', '..'] : []), ...names].map((n) => ({ name: n, path: n === '.' ? d.path : n === '..' ? d.path.replace(/\/[^/]+$/, '') || '/' : `${d.path === '/' ? '' : d.path}/${n}` }));
    const body = render(host, entries, long, true);
    blocks.push(paths.length > 1 ? `${d.shown}:${body ? `\n${body}` : ''}` : body);
  }
  const text = blocks.filter((b, i) => b !== '' || (paths.length > 1 && i > 0)).join('\n\n');
  if (text) io.print(text);
  return status;
}

function render(host: Host, entries: Array<{ name: string; path: string }>, long: boolean, isDirListing: boolean): string {
  if (!long) {
    const names = entries.map((e) => e.name);
    if (names.length === 0) return '';
    const line = names.join('  ');
    return line.length <= 80 ? line : names.join('\n');
  }
  const rows = entries.map((e) => {
    const info = host.fs.lstat(e.path);
    const nlink = info.isDir ? 2 + host.fs.readDir(e.path).filter((n) => host.fs.lstat(`${e.path === '/' ? '' : e.path}/${n}`).isDir).length : 1;
    const target = info.type === 'symlink' ? ` -> ${host.fs.readlink(e.path)}` : '';
    const kb = info.isDir ? 4 : info.type === 'file' && info.size > 0 ? Math.ceil(info.size / 4096) * 4 : 0;
    return { mode: modeString(info), nlink: String(nlink), owner: 'root', group: 'root', size: String(info.size), time: lsTime(info.mtimeMs), name: e.name + target, kb };
  });
  const w = (k: 'nlink' | 'size') => Math.max(...rows.map((r) => r[k].length));
  const lines = rows.map((r) => `${r.mode} ${r.nlink.padStart(w('nlink'))} ${r.owner} ${r.group} ${r.size.padStart(w('size'))} ${r.time} ${r.name}`);
  if (isDirListing) lines.unshift(`total ${rows.reduce((n, r) => n + r.kb, 0)}`);
  return lines.join('\n');
}

/** `cat FILE...` */
// Upstream: GNU coreutils src/cat.c
export function runCat(host: Host, place: ShellPlace, argv: string[], io: ShellIO): number {
  if (argv.length === 0) {
    io.error('cat: reading standard input is not supported here; give a file');
    return 1;
  }
  let status = 0;
  const out: string[] = [];
  for (const p of argv) {
    try {
      out.push(host.fs.readFile(absolute(place, p)));
    } catch (err) {
      const errno = err instanceof PathError ? err.errno : 'ENOENT';
      if (out.length) io.print(out.splice(0).join('').replace(/\n$/, ''));
      io.error(`cat: ${p}: ${strerror(errno)}`);
      status = 1;
    }
  }
  if (out.length) io.print(out.join('').replace(/\n$/, ''));
  return status;
}

/** `cd [DIR]` (bash's builtin). */
export function runCd(host: Host, place: ShellPlace, argv: string[], io: ShellIO): number {
  const target = argv[0] ?? '/root';
  const path = absolute(place, target);
  try {
    if (!host.fs.stat(path).isDir) {
      io.error(`-bash: cd: ${target}: Not a directory`);
      return 1;
    }
  } catch {
    io.error(`-bash: cd: ${target}: No such file or directory`);
    return 1;
  }
  place.cwd = host.fs.resolve(path);
  return 0;
}

/** `free [-m|-g|-h]`: procps-ng 4's table (KiB by default). */
// Upstream: procps-ng src/free.c (main: the header and the Mem:/Swap: rows)
export function runFree(host: Host, argv: string[], io: ShellIO): number {
  const unit = argv.includes('-g') ? 'g' : argv.includes('-h') ? 'h' : argv.includes('-m') ? 'm' : 'k';
  const m = host.memory();
  const swap = host.swapTotalMB();
  const fmt = (mb: number): string => {
    if (unit === 'm') return String(mb);
    if (unit === 'g') return String(Math.floor(mb / 1024));
    if (unit === 'k') return String(mb * 1024);
    if (mb === 0) return '0B';
    if (mb >= 1024) return `${(mb / 1024).toFixed(1)}Gi`;
    return `${mb}Mi`;
  };
  const row = (label: string, values: number[]) => label.padEnd(8) + values.map((v) => fmt(v).padStart(12)).join('');
  io.print(
    [
      '               total        used        free      shared  buff/cache   available',
      row('Mem:', [m.total, m.used, m.free, m.shared, m.buffCache, m.available]),
      row('Swap:', [swap, 0, swap]),
    ].join('\n'),
  );
  return 0;
}

/** `uname [-r|-a|-s|-n]` */
export function runUname(host: Host, argv: string[], io: ShellIO): number {
  const k = host.state.kernel;
  if (argv.includes('-a')) io.print(`Linux ${host.name} ${k} #1 SMP PREEMPT_DYNAMIC Debian x86_64 GNU/Linux`);
  else if (argv.includes('-r')) io.print(k);
  else if (argv.includes('-n')) io.print(host.name);
  else io.print('Linux');
  return 0;
}
