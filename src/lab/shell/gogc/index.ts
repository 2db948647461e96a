/**
 * The Go session's commands: `./app` (the lab's program on the pacer driver), `gctrace on|off`,
 * `gc now|step`, `heap`, and the environment commands a Go engineer sets GOGC/GOMEMLIMIT/GODEBUG
 * with (`export`, `unset`, `env`; `NAME=value ./app` works through the shell).
 */
import { ShellUsageError, type Shell } from '../registry';
import { APP_USAGE, runApp } from './app';
import { gctraceLevel, withGctrace } from './env';
import { GC_USAGE, runGc } from './gc';
import { heapText } from './heap';
import type { GoSessionTarget } from './target';

export { type GoSessionTarget, type AppWorkload } from './target';
export { LiveProcess, STEP_NS, type LiveCycle } from './process';
export { goprocEvents, type GoprocEvent, type GoprocEventMap } from '../../../sim/gogc/goproc_events';
export { recordHeap } from './gc';
export { heapSnapshot, heapText } from './heap';

const VAR = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `declare -x NAME="value"`, as bash's export lists its table. */
function declare(name: string, value: string): string {
  return `declare -x ${name}="${value.replace(/(["\\$`])/g, '\\$1')}"`;
}

export function registerGoCommands(shell: Shell, target: GoSessionTarget): void {
  shell.register('./app', {
    summary: 'run the lab\'s Go program (virtual time; GOGC=, GOMEMLIMIT=, GODEBUG=gctrace=1 before it or exported)',
    usage: APP_USAGE,
    complete: (args) => (args.length === 0 ? ['-for'] : []),
    run: (args, ctx) => runApp(target, args, ctx),
  });
  shell.register('gctrace', {
    summary: 'KubeLab shorthand for export GODEBUG=gctrace=1 (on) or gctrace=0 (off)',
    usage: 'gctrace [on|off]   (no argument: show the setting)',
    complete: (args) => (args.length === 0 ? ['on', 'off'] : []),
    run(args, { io }) {
      if (args.length > 1 || (args.length === 1 && args[0] !== 'on' && args[0] !== 'off')) throw new ShellUsageError('takes on or off');
      if (args.length === 1) {
        const godebug = withGctrace(target.exported.get('GODEBUG'), args[0] === 'on' ? 1 : 0);
        target.exported.set('GODEBUG', godebug);
        io.print(`export GODEBUG=${godebug}`);
      }
      const on = gctraceLevel(target.exported.get('GODEBUG')) > 0;
      io.print(
        on
          ? "gctrace is on: ./app prints one line per GC cycle to stderr; so does 'gc now' in the live process (a real process reads GODEBUG's gctrace only when it starts)"
          : 'gctrace is off (GODEBUG has no gctrace=1): ./app and gc now print no per-cycle line',
      );
    },
  });
  shell.register('gc', {
    summary: 'collect the live process: gc now (runtime.GC()), gc step [n] (one scheduler turn at a time)',
    usage: GC_USAGE,
    complete: (args) => (args.length === 0 ? ['now', 'step'] : []),
    run: (args, ctx) => runGc(target, args, ctx),
  });
  shell.register('heap', {
    summary: "the live process's heap: objects by colour (white, grey, black), spans, roots; -v: every object",
    usage: 'heap [-v]',
    complete: (args) => (args.length === 0 ? ['-v'] : []),
    run(args, { io }) {
      if (args.some((a) => a !== '-v')) throw new ShellUsageError(`unknown flag "${args.find((a) => a !== '-v')}"`);
      io.print(heapText(target.live.collector, { verbose: args.includes('-v') }));
    },
  });
  shell.register('export', {
    summary: 'export NAME=value for the programs started from now on (no argument: list them)',
    usage: 'export [NAME=value ...]   (e.g. export GOGC=50 GOMEMLIMIT=256MiB)',
    complete: () => ['GOGC=', 'GOMEMLIMIT=', 'GODEBUG=gctrace=1'],
    run(args, { io }) {
      if (args.length === 0) {
        for (const [k, v] of [...target.exported].sort(([a], [b]) => a.localeCompare(b))) io.print(declare(k, v));
        return 0;
      }
      let status = 0;
      for (const a of args) {
        const eq = a.indexOf('=');
        const name = eq < 0 ? a : a.slice(0, eq);
        if (!VAR.test(name)) {
          io.error(`export: \`${a}': not a valid identifier`);
          status = 1;
          continue;
        }
        // `export NAME` with no value exports nothing new here (this shell has no unexported variables).
        if (eq >= 0) target.exported.set(name, a.slice(eq + 1));
      }
      return status;
    },
  });
  shell.register('unset', {
    summary: 'remove exported variables (unset GOGC: the runtime default again)',
    usage: 'unset NAME ...',
    complete: () => [...target.exported.keys()],
    run(args) {
      if (args.length === 0) throw new ShellUsageError('needs a variable name');
      for (const a of args) target.exported.delete(a);
    },
  });
  shell.register('env', {
    summary: 'print the exported environment',
    usage: 'env',
    run(args, { io }) {
      if (args.length) throw new ShellUsageError('takes no arguments here (to run a program with a variable: NAME=value ./app)');
      for (const [k, v] of [...target.exported].sort(([a], [b]) => a.localeCompare(b))) io.print(`${k}=${v}`);
    },
  });
}
