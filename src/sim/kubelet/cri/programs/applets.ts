/**
 * busybox applets the shell model runs (each also runs alone: `cat /tmp/healthy` as an exec
 * probe). Messages are busybox 1.36's (`cat: can't open 'x': No such file or directory`).
 */
import { formatBusyboxDate } from '../logs';
import type { Process } from '../process';

/** Where an applet reads and writes: the process's files and env, and its (redirectable) output. */
export interface ShellIo {
  p: Process;
  env: Map<string, string>;
  out(text: string): void;
  err(text: string): void;
}

export type Applet = (io: ShellIo, args: string[]) => number | Promise<number>;

/** `10`, `1.5`, `2m`, `1h`, `infinity` -> milliseconds (NaN when unreadable). */
export function parseSleep(arg: string): number {
  if (arg === 'inf' || arg === 'infinity') return 365 * 24 * 3600_000;
  const m = /^(\d+(?:\.\d+)?|\.\d+)([smhd]?)$/.exec(arg);
  if (!m) return Number.NaN;
  const unit = { '': 1000, s: 1000, m: 60_000, h: 3600_000, d: 86_400_000 }[m[2]]!;
  return Math.round(Number(m[1]) * unit);
}

/** `1M`, `512k`, `100` (dd block sizes) -> bytes. */
function parseDdSize(s: string): number {
  const m = /^(\d+)([kKMG]?)$/.exec(s);
  if (!m) return Number.NaN;
  return Number(m[1]) * ({ '': 1, k: 1024, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2]] ?? 1);
}

function splitFlags(args: string[]): { flags: string; rest: string[] } {
  let flags = '';
  const rest: string[] = [];
  for (const a of args) {
    if (a.length > 1 && a.startsWith('-') && rest.length === 0) flags += a.slice(1);
    else rest.push(a);
  }
  return { flags, rest };
}

export const APPLETS: Record<string, Applet> = {
  true: () => 0,
  false: () => 1,
  echo(io, args) {
    const noNewline = args[0] === '-n';
    const text = (noNewline ? args.slice(1) : args).join(' ');
    io.out(noNewline ? text : `${text}\n`);
    return 0;
  },
  async sleep(io, args) {
    if (args.length === 0) {
      io.err('BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: sleep [N]...\n');
      return 1;
    }
    let total = 0;
    for (const a of args) {
      const ms = parseSleep(a);
      if (Number.isNaN(ms)) {
        io.err(`sleep: invalid number '${a}'\n`);
        return 1;
      }
      total += ms;
    }
    await io.p.sleep(total);
    return 0;
  },
  cat(io, args) {
    let status = 0;
    for (const f of args) {
      const file = io.p.host.fs.read(f);
      if (file) io.out(file.text);
      else {
        io.err(`cat: ${io.p.host.fs.isDir(f) ? `read error: Is a directory` : `can't open '${f}': No such file or directory`}\n`);
        status = 1;
      }
    }
    return status;
  },
  touch(io, args) {
    let status = 0;
    for (const f of args) {
      if (io.p.host.fs.exists(f)) continue;
      const err = io.p.host.fs.write(f, '');
      if (err) {
        io.err(`touch: ${f}: ${err}\n`);
        status = 1;
      }
    }
    io.p.host.usageChanged();
    return status;
  },
  rm(io, args) {
    const { flags, rest } = splitFlags(args);
    let status = 0;
    for (const f of rest) {
      const fs = io.p.host.fs;
      if (fs.isDir(f) && !flags.includes('r') && !flags.includes('R')) {
        io.err(`rm: '${f}' is a directory\n`);
        status = 1;
        continue;
      }
      const err = fs.rm(f, { recursive: true });
      if (err && !flags.includes('f')) {
        io.err(`rm: can't remove '${f}': ${err}\n`);
        status = 1;
      }
    }
    io.p.host.usageChanged();
    return status;
  },
  mkdir(io, args) {
    const { flags, rest } = splitFlags(args);
    let status = 0;
    const fs = io.p.host.fs;
    for (const d of rest) {
      if (fs.exists(d) && !flags.includes('p')) {
        io.err(`mkdir: can't create directory '${d}': File exists\n`);
        status = 1;
        continue;
      }
      const parent = d.includes('/') ? d.slice(0, d.lastIndexOf('/')) || '/' : '.';
      if (!flags.includes('p') && parent !== '.' && !fs.isDir(parent)) {
        io.err(`mkdir: can't create directory '${d}': No such file or directory\n`);
        status = 1;
        continue;
      }
      const err = fs.mkdir(d);
      if (err) {
        io.err(`mkdir: can't create directory '${d}': ${err}\n`);
        status = 1;
      }
    }
    return status;
  },
  ls(io, args) {
    const { rest } = splitFlags(args);
    let status = 0;
    for (const d of rest.length ? rest : ['/']) {
      const names = io.p.host.fs.list(d);
      if (names) {
        if (names.length) io.out(`${names.join('\n')}\n`);
      } else if (io.p.host.fs.exists(d)) io.out(`${d}\n`);
      else {
        io.err(`ls: ${d}: No such file or directory\n`);
        status = 1;
      }
    }
    return status;
  },
  date(io) {
    io.out(`${formatBusyboxDate(io.p.clock.now())}\n`);
    return 0;
  },
  hostname(io) {
    io.out(`${io.p.host.hostname}\n`);
    return 0;
  },
  env(io) {
    for (const [k, v] of io.env) io.out(`${k}=${v}\n`);
    return 0;
  },
  printenv(io, args) {
    if (args.length === 0) return APPLETS.env(io, args) as number;
    let status = 0;
    for (const k of args) {
      const v = io.env.get(k);
      if (v === undefined) status = 1;
      else io.out(`${v}\n`);
    }
    return status;
  },
  dd(io, args) {
    const opts = Object.fromEntries(args.map((a) => a.split('=') as [string, string]));
    const bs = parseDdSize(opts.bs ?? '512');
    const count = Number(opts.count ?? '0');
    if (opts.if !== '/dev/zero' || !opts.of || Number.isNaN(bs) || !Number.isInteger(count)) {
      io.err('dd: only if=/dev/zero of=FILE bs=N count=N is modelled\n');
      return 1;
    }
    const err = io.p.host.fs.write(opts.of, '', { size: bs * count });
    if (err) {
      io.err(err === 'No space left on device' ? `dd: error writing '${opts.of}': ${err}\n` : `dd: can't open '${opts.of}': ${err}\n`);
      return 1;
    }
    io.err(`${count}+0 records in\n${count}+0 records out\n`);
    io.p.host.usageChanged();
    return 0;
  },
  test: (io, args) => testExpr(io, args),
  '[': (io, args) => {
    if (args[args.length - 1] !== ']') {
      io.err('[: missing ]\n');
      return 2;
    }
    return testExpr(io, args.slice(0, -1));
  },
};

function testExpr(io: ShellIo, args: string[]): number {
  if (args[0] === '!') return testExpr(io, args.slice(1)) === 0 ? 1 : 0;
  const fs = io.p.host.fs;
  const ok = (b: boolean) => (b ? 0 : 1);
  if (args.length === 0) return 1;
  if (args.length === 1) return ok(args[0] !== '');
  if (args.length === 2) {
    const [op, x] = args;
    if (op === '-f') return ok(fs.exists(x) && !fs.isDir(x));
    if (op === '-d') return ok(fs.isDir(x));
    if (op === '-e') return ok(fs.exists(x));
    if (op === '-s') return ok((fs.read(x)?.size ?? 0) > 0);
    if (op === '-z') return ok(x === '');
    if (op === '-n') return ok(x !== '');
  }
  if (args.length === 3) {
    const [a, op, b] = args;
    const n = (s: string) => Number.parseInt(s, 10);
    switch (op) {
      case '=':
      case '==':
        return ok(a === b);
      case '!=':
        return ok(a !== b);
      case '-eq':
        return ok(n(a) === n(b));
      case '-ne':
        return ok(n(a) !== n(b));
      case '-lt':
        return ok(n(a) < n(b));
      case '-le':
        return ok(n(a) <= n(b));
      case '-gt':
        return ok(n(a) > n(b));
      case '-ge':
        return ok(n(a) >= n(b));
    }
  }
  io.err(`test: syntax error\n`);
  return 2;
}
