/**
 * The simulated shell behind the lab terminal: a registry of commands, with no DOM and no
 * terminal. The workbench feeds it lines and prints what commands write; later modules add
 * their own commands (kubectl, etcdctl, kubeadm) with `register`.
 */
import { parseLine, quoteWord } from './parse';

/** Where a command writes. Text may contain newlines and ANSI styles. */
export interface ShellIO {
  /** Writes text followed by a newline. */
  print(text: string): void;
  /** Writes an error line (the terminal shows it in red). */
  error(text: string): void;
  /** Clears the screen (a no-op where there is none, e.g. in tests). */
  clear(): void;
}

export interface CommandContext {
  io: ShellIO;
  shell: Shell;
  /** The command's name as typed (argv[0]). */
  name: string;
  /** What `command < file` read (the lab's files), as a program's standard input. */
  stdin?: string;
  /** Aborted when the user presses Ctrl+C while the command runs (long commands such as `kubectl get -w` stop on it). */
  signal?: AbortSignal;
  /** `NAME=value command`: the assignments typed before the command, as its environment's additions. */
  env?: Readonly<Record<string, string>>;
}

/** One command. `run` returns its exit status (0 = success; nothing = 0). */
export interface Command {
  /** One line shown by `help`. */
  summary: string;
  /** Usage shown by `help <name>` and on a usage error, e.g. `seed [n]`. Defaults to the name. */
  usage?: string;
  run(args: string[], ctx: CommandContext): void | number | Promise<void | number>;
  /**
   * Candidates for the word being typed. `args` are the complete words before it (without the
   * command name); `partial` is what has been typed of the current word.
   */
  complete?(args: string[], partial: string, ctx: { shell: Shell }): string[];
}

/** Thrown by a command when its arguments are wrong: the shell prints the usage, status 2. */
export class ShellUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShellUsageError';
  }
}

export interface Completion {
  /** Index in the line where the replaced word starts. */
  from: number;
  /** Full candidates for that word (already quoted where needed), sorted. */
  candidates: string[];
  /** The longest common prefix of the candidates, to insert when there are several. */
  common: string;
}

// A program in the working directory is run as `./name` (e.g. the Go session's `./app`).
const NAME = /^(\.\/)?[a-z][a-z0-9-]*$/;
/** A leading `NAME=value` word (POSIX: a name is letters, digits and _, not starting with a digit). */
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

/**
 * A shell entered from this one (`ssh node-a`, `kubectl exec -it web -- sh`): its own commands
 * and prompt, until `exit`.
 */
export interface NestedSession {
  /** The prompt while inside, e.g. `root@node-a:~# `. */
  prompt: string;
  shell: Shell;
  /** Runs when the session ends (`exit`, `logout`, Ctrl+D). */
  onExit?: () => void;
  /** What `exit` prints, e.g. `Connection to node-a closed.` */
  farewell?: string;
}

export class Shell {
  private readonly commands = new Map<string, Command>();
  #readFile: ((path: string) => string) | undefined;
  readonly #sessions: NestedSession[] = [];

  /** Enters a nested shell: lines go to it until `exit`. */
  enter(session: NestedSession): void {
    this.#sessions.push(session);
  }

  /** The prompt of the innermost nested shell, or undefined at the top. */
  nestedPrompt(): string | undefined {
    return this.#sessions.at(-1)?.prompt;
  }

  /** Where `command < file` reads from (the lab's files); unset, `<` is refused. */
  setFileReader(read: (path: string) => string): void {
    this.#readFile = read;
  }

  /** Adds a command; throws if the name is taken or not a lowercase word. */
  register(name: string, command: Command): this {
    if (!NAME.test(name)) throw new Error(`invalid command name "${name}": use lowercase letters, digits and - (a program: ./name)`);
    if (this.commands.has(name)) throw new Error(`command "${name}" is already registered`);
    if (typeof command?.run !== 'function') throw new Error(`command "${name}" has no run function`);
    this.commands.set(name, command);
    return this;
  }

  unregister(name: string): boolean {
    return this.commands.delete(name);
  }

  has(name: string): boolean {
    return this.commands.has(name);
  }

  get(name: string): Command | undefined {
    return this.commands.get(name);
  }

  /** Registered command names, sorted. */
  names(): string[] {
    return [...this.commands.keys()].sort();
  }

  usage(name: string): string {
    return this.commands.get(name)?.usage ?? name;
  }

  /**
   * Parses and runs one line; resolves to the exit status: 0 ok, 1 the command failed,
   * 2 usage or parse error, 127 unknown command. Never rejects: errors are printed.
   */
  async execute(line: string, io: ShellIO, options: { signal?: AbortSignal } = {}): Promise<number> {
    const inner = this.#sessions.at(-1);
    if (inner) {
      const word = line.trim().split(/\s+/)[0];
      if (word === 'exit' || word === 'logout') {
        this.#sessions.pop();
        if (inner.farewell) io.print(inner.farewell);
        inner.onExit?.();
        return 0;
      }
      return inner.shell.execute(line, io, options);
    }
    const parsed = parseLine(line);
    if (parsed.error) {
      io.error(`kubelab: ${parsed.error}`);
      return 2;
    }
    if (parsed.argv.length === 0) return 0;
    // `GOGC=50 ./app`: leading assignments are the command's environment (see CommandContext.env).
    const env: Record<string, string> = {};
    let first = 0;
    for (let m; first < parsed.argv.length && (m = ASSIGNMENT.exec(parsed.argv[first])); first++) env[m[1]] = m[2];
    if (first === parsed.argv.length) {
      io.error(`kubelab: ${parsed.argv[0]} sets nothing a program here sees: type 'export ${parsed.argv[0]}', or put it before the command ('${parsed.argv[0]} ./app')`);
      return 2;
    }
    const [name, ...args] = parsed.argv.slice(first);
    const command = this.commands.get(name);
    if (!command) {
      io.error(`kubelab: command not found: ${name} (try 'help')`);
      return 127;
    }
    // `command ... < file`: the file (one of the lab's) becomes the command's standard input.
    let stdin: string | undefined;
    const lt = args.indexOf('<');
    if (lt >= 0) {
      if (lt !== args.length - 2) {
        io.error("kubelab: '<' takes one file name, at the end of the line");
        return 2;
      }
      if (!this.#readFile) {
        io.error("kubelab: this lab has no files for '<' to read");
        return 1;
      }
      try {
        stdin = this.#readFile(args[lt + 1]);
      } catch (err) {
        io.error(`kubelab: ${err instanceof Error ? err.message : String(err)}`);
        return 1;
      }
      args.splice(lt, 2);
    }
    try {
      const status = await command.run(args, { io, shell: this, name, signal: options.signal, stdin, ...(first > 0 ? { env } : {}) });
      return typeof status === 'number' ? status : 0;
    } catch (err) {
      if (err instanceof ShellUsageError) {
        io.error(`${name}: ${err.message}`);
        io.print(`usage: ${this.usage(name)}`);
        return 2;
      }
      io.error(`${name}: ${err instanceof Error ? err.message : String(err)}`);
      return 1;
    }
  }

  /** Completion for the word under the end of `line`. */
  complete(line: string): Completion {
    const inner = this.#sessions.at(-1);
    if (inner) return inner.shell.complete(line);
    const parsed = parseLine(line);
    const from = parsed.lastWordStart;
    const words = parsed.argv;
    const partial = parsed.endsInWord ? (words[words.length - 1] ?? '') : '';
    const before = parsed.endsInWord ? words.slice(0, -1) : words;
    let raw: string[];
    if (before.length === 0) {
      raw = this.names().filter((n) => n.startsWith(partial));
    } else {
      const command = this.commands.get(before[0]);
      raw = command?.complete ? command.complete(before.slice(1), partial, { shell: this }).filter((c) => c.startsWith(partial)) : [];
    }
    const candidates = [...new Set(raw)].sort();
    return { from, candidates: candidates.map(quoteWord), common: commonPrefix(candidates) };
  }
}

function commonPrefix(words: string[]): string {
  if (words.length === 0) return '';
  let prefix = words[0];
  for (const w of words) {
    while (!w.startsWith(prefix)) prefix = prefix.slice(0, -1);
  }
  return prefix;
}

/**
 * A shell with the commands every terminal has: `help [command]` and `clear`.
 */
export function createShell(): Shell {
  const shell = new Shell();
  shell.register('help', {
    summary: 'list commands, or show how to use one',
    usage: 'help [command]',
    run(args, { io, shell: sh }) {
      if (args.length > 1) throw new ShellUsageError('too many arguments');
      if (args.length === 1) {
        const cmd = sh.get(args[0]);
        if (!cmd) {
          io.error(`help: no such command: ${args[0]}`);
          return 1;
        }
        io.print(`${args[0]} - ${cmd.summary}`);
        io.print(`usage: ${sh.usage(args[0])}`);
        return 0;
      }
      const names = sh.names();
      const width = Math.max(...names.map((n) => n.length));
      io.print('Commands:');
      for (const n of names) io.print(`  ${n.padEnd(width)}  ${sh.get(n)!.summary}`);
      io.print("Type 'help <command>' for its usage.");
      return 0;
    },
    complete: (args, _partial, { shell: sh }) => (args.length === 0 ? sh.names() : []),
  });
  shell.register('clear', {
    summary: 'clear the terminal',
    run(args, { io }) {
      if (args.length) throw new ShellUsageError('takes no arguments');
      io.clear();
    },
  });
  return shell;
}
