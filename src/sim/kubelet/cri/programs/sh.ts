/**
 * A small busybox `sh` (ash): enough for the scripts pod specs carry. Lists with `;`, newlines,
 * `&&`, `||`; `while/until ... do ... done`, `if ... then ... elif/else ... fi`, `for x in ...`;
 * `{ ...; }`; `!`; quotes, `$VAR`, `${VAR}`, `$?`, `$$`, `$(cmd)`; `>`, `>>`, `2>`, `2>&1`,
 * `>/dev/null`; assignments and `export`; `exit`, `trap 'cmd' TERM`, `exec`, `:`; the applets of
 * applets.ts; other binaries of the image run as child processes. Not modelled: pipes,
 * background jobs (`&` runs in the foreground), functions, arithmetic `$((..))`, globbing.
 */
import { APPLETS, type ShellIo } from './applets';
import { Process, parseSignal, resolveBinary, type Signal } from '../process';
import { runProgram } from './index';
import { ShellSyntaxError, matchParen, parse, type Node, type Redirect, type Word } from './sh_parse';

export { ShellSyntaxError, parse, tokenize } from './sh_parse';

class ExitNow {
  constructor(readonly code: number) {}
}

/** The shell's state while a script runs. */
export class Shell {
  status = 0;
  readonly traps = new Map<Signal, string>();
  readonly #pendingTraps: Signal[] = [];
  #busyIterations = 0;
  #busySince = -1;

  constructor(
    readonly p: Process,
    readonly env: Map<string, string>,
    readonly io: ShellIo,
  ) {}

  /** Runs a script to its end; resolves with the exit status. */
  async run(script: string): Promise<number> {
    let tree: Node;
    try {
      tree = parse(script);
    } catch (e) {
      if (!(e instanceof ShellSyntaxError)) throw e;
      this.io.err(`sh: ${e.message}\n`);
      return 2;
    }
    try {
      return await this.#eval(tree, this.io);
    } catch (e) {
      if (e instanceof ExitNow) return e.code;
      throw e;
    }
  }

  async #eval(node: Node, io: ShellIo): Promise<number> {
    switch (node.kind) {
      case 'list': {
        let status = 0;
        for (const item of node.items) {
          if (this.p.exited) throw new ExitNow(this.p.exited.exitCode); // killed: nothing more runs
          if (item.op === '&&' && status !== 0) continue;
          if (item.op === '||' && status === 0) continue;
          status = await this.#eval(item.node, io);
          this.status = status;
          await this.#runTraps(io);
        }
        return status;
      }
      case 'not':
        return (await this.#eval(node.node, io)) === 0 ? 1 : 0;
      case 'group':
        return this.#eval(node.body, io);
      case 'while': {
        let status = 0;
        for (;;) {
          const c = await this.#eval(node.cond, io);
          if ((c === 0) === node.until) break;
          status = await this.#eval(node.body, io);
          await this.#yieldIfBusy();
        }
        if (this.p.cpuMilli >= 1000) this.p.setUsage({ cpuMilli: 0 });
        return status;
      }
      case 'if': {
        for (const b of node.branches) if ((await this.#eval(b.cond, io)) === 0) return this.#eval(b.body, io);
        return node.otherwise ? this.#eval(node.otherwise, io) : 0;
      }
      case 'for': {
        let status = 0;
        for (const w of node.items) {
          for (const value of await this.#expand(w, io)) {
            this.env.set(node.name, value);
            status = await this.#eval(node.body, io);
          }
        }
        return status;
      }
      case 'simple':
        return this.#simple(node, io);
    }
  }

  /** A `while true` without a sleep spins a CPU: let virtual time move and show the CPU use. */
  async #yieldIfBusy(): Promise<void> {
    const now = this.p.clock.now();
    if (now !== this.#busySince) {
      this.#busySince = now;
      this.#busyIterations = 0;
      if (this.p.cpuMilli >= 1000) this.p.setUsage({ cpuMilli: 0 });
      return;
    }
    if (++this.#busyIterations >= 1000) {
      this.p.setUsage({ cpuMilli: 1000 });
      await this.p.sleep(10);
    }
  }

  async #runTraps(io: ShellIo): Promise<void> {
    while (this.#pendingTraps.length) {
      const sig = this.#pendingTraps.shift()!;
      const action = this.traps.get(sig);
      if (action) {
        const saved = this.status;
        const tree = parse(action);
        await this.#eval(tree, io);
        this.status = saved;
      }
    }
  }

  async #simple(node: Extract<Node, { kind: 'simple' }>, io: ShellIo): Promise<number> {
    const argv: string[] = [];
    for (const w of node.words) argv.push(...(await this.#expand(w, io)));
    const values = [];
    for (const a of node.assigns) values.push({ name: a.name, value: (await this.#expand(a.value, io, false)).join('') });
    if (argv.length === 0) {
      for (const v of values) this.env.set(v.name, v.value);
      return 0;
    }
    const cmdIo = await this.#redirect(node.redirects, io);
    if (!cmdIo) return 1;
    const [name, ...args] = argv;
    switch (name) {
      case 'exit':
        throw new ExitNow(args[0] === undefined ? this.status : Number.parseInt(args[0], 10) & 0xff);
      case ':':
        return 0;
      case 'export':
        for (const a of args) {
          const eq = a.indexOf('=');
          if (eq > 0) this.env.set(a.slice(0, eq), a.slice(eq + 1));
        }
        return 0;
      case 'trap':
        return this.#trap(args, cmdIo);
      case 'exec':
        if (args.length === 0) return 0;
        return this.#external(args, cmdIo, values, true);
    }
    const applet = APPLETS[name];
    if (applet) {
      const status = await applet(values.length ? { ...cmdIo, env: new Map([...cmdIo.env, ...values.map((v) => [v.name, v.value] as [string, string])]) } : cmdIo, args);
      return status;
    }
    return this.#external(argv, cmdIo, values, false);
  }

  #trap(args: string[], io: ShellIo): number {
    if (args.length < 2) return 0;
    const [action, ...sigs] = args;
    for (const s of sigs) {
      const sig = s === 'EXIT' || s === '0' ? undefined : parseSignal(s);
      if (!sig) {
        if (s !== 'EXIT' && s !== '0') io.err(`sh: trap: ${s}: invalid signal specification\n`);
        continue;
      }
      if (action === '-') {
        this.traps.delete(sig);
        this.p.onSignal(sig, undefined);
      } else {
        this.traps.set(sig, action);
        // An empty action ignores the signal (the handler swallows it).
        this.p.onSignal(sig, (got) => {
          if (this.traps.get(got)) this.#pendingTraps.push(got);
        });
      }
    }
    return 0;
  }

  /** Runs a binary of the image as a child (or, for `exec`, in place of the shell). */
  async #external(argv: string[], io: ShellIo, values: Array<{ name: string; value: string }>, replace: boolean): Promise<number> {
    const path = resolveBinary(this.p.host.image, argv[0]);
    if (!path) {
      io.err(`sh: ${argv[0]}: not found\n`);
      return 127;
    }
    const env = Object.fromEntries([...this.env, ...values.map((v) => [v.name, v.value] as [string, string])]);
    if (replace) {
      this.p.argv = argv;
      await runProgram(this.p);
      return new Promise(() => {}); // the shell is gone: the program owns the process now
    }
    const child = new Process({ ...this.p.host, env, stdout: io.out, stderr: io.err }, argv, false);
    const done = new Promise<number>((resolve) => child.onExit((e) => resolve(e.exitCode)));
    this.p.defer(() => child.kill('SIGKILL'));
    await runProgram(child);
    return done;
  }

  async #redirect(redirects: Redirect[], io: ShellIo): Promise<ShellIo | undefined> {
    let out = io.out;
    let err = io.err;
    for (const r of redirects) {
      const target = (await this.#expand(r.target, io, false)).join('');
      if (r.op === '>&') {
        if (r.fd === 2) err = out;
        else out = err;
        continue;
      }
      let sink: (text: string) => void;
      if (target === '/dev/null') sink = () => {};
      else if (target === '/dev/stdout') sink = io.out;
      else if (target === '/dev/stderr') sink = io.err;
      else {
        const fs = this.p.host.fs;
        const error = fs.write(target, '', { append: r.op === '>>' });
        if (error) {
          io.err(`sh: can't create ${target}: ${error === 'No such file or directory' ? 'nonexistent directory' : error}\n`);
          return undefined;
        }
        sink = (text) => {
          fs.write(target, text, { append: true });
          this.p.host.usageChanged();
        };
      }
      if (r.fd === 1) out = sink;
      else err = sink;
    }
    return { ...io, out, err };
  }

  /** Parameter expansion, command substitution and field splitting of one word. */
  async #expand(word: Word, io: ShellIo, split = true): Promise<string[]> {
    const fields: string[] = [];
    let cur = '';
    let hasQuoted = false;
    for (const part of word) {
      if (part.quote === 'single') {
        cur += part.text;
        hasQuoted = true;
        continue;
      }
      const expanded = await this.#substitute(part.text, io, part.quote === 'double');
      if (part.quote === 'double') {
        cur += expanded;
        hasQuoted = true;
      } else if (!split) cur += expanded;
      else {
        const pieces = expanded.split(/[ \t\n]+/);
        cur += pieces[0];
        for (const piece of pieces.slice(1)) {
          if (cur !== '' || hasQuoted) fields.push(cur);
          cur = piece;
          hasQuoted = false;
        }
      }
    }
    if (cur !== '' || hasQuoted) fields.push(cur);
    return fields;
  }

  async #substitute(text: string, io: ShellIo, quoted: boolean): Promise<string> {
    let out = '';
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (quoted && c === '\\' && i + 1 < text.length) {
        out += text[++i];
        continue;
      }
      if (c !== '$') {
        out += c;
        continue;
      }
      const rest = text.slice(i + 1);
      if (rest.startsWith('(')) {
        const end = matchParen(text, i + 1);
        let captured = '';
        const sub = new Shell(this.p, new Map(this.env), { ...io, out: (t) => (captured += t) });
        await sub.run(text.slice(i + 2, end));
        out += captured.replace(/\n+$/, '');
        i = end;
        continue;
      }
      let m = /^\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?\}/.exec(rest);
      if (m) {
        const v = this.env.get(m[1]);
        out += v === undefined || (v === '' && m[2]) ? (m[3] ?? '') : v;
        i += m[0].length;
        continue;
      }
      m = /^([A-Za-z_][A-Za-z0-9_]*|\?|\$|#|[0-9])/.exec(rest);
      if (m) {
        const name = m[1];
        out += name === '?' ? String(this.status) : name === '$' ? '1' : name === '#' ? '0' : (this.env.get(name) ?? '');
        i += name.length;
        continue;
      }
      out += '$';
    }
    return out;
  }
}

/** `sh -c "<script>"` (or `sh` with nothing to read: stdin is empty in a pod, so it exits 0). */
export async function shProgram(p: Process): Promise<void> {
  const env = new Map(Object.entries(p.host.env));
  const io: ShellIo = { p, env, out: (t) => void (p.exited || p.host.stdout(t)), err: (t) => void (p.exited || p.host.stderr(t)) };
  const shell = new Shell(p, env, io);
  const args = p.argv.slice(1);
  let script = '';
  if (args[0] === '-c') {
    if (args.length < 2) {
      io.err('sh: -c requires an argument\n');
      p.exit(2);
      return;
    }
    script = args[1];
  } else if (args.length > 0) {
    const file = p.host.fs.read(args[0]);
    if (!file) {
      io.err(`sh: can't open '${args[0]}': No such file or directory\n`);
      p.exit(2);
      return;
    }
    script = file.text;
  }
  const code = await shell.run(script);
  p.exit(code);
}
