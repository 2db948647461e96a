/**
 * The lab workbench's own commands: `run`, `check`, `reset`, `seed [n]`. The workbench passes
 * the actions in, so the commands stay DOM-free and testable.
 */
import { ShellUsageError, type Shell } from './registry';

export interface WorkbenchActions {
  /** Runs the editor's code (like the Run button); resolves when the run has ended. */
  run(): Promise<void>;
  /** Runs the lab's checks against the editor's code (like the Check button). */
  check(): Promise<void>;
  /** Puts the starter code back (asks first, like the Reset button). */
  reset(): Promise<void>;
  getSeed(): number;
  setSeed(seed: number): void;
}

/** Largest seed accepted: seeds are unsigned 32-bit integers. */
export const MAX_SEED = 0xffffffff;

export function registerWorkbenchCommands(shell: Shell, actions: WorkbenchActions): Shell {
  const noArgs = (name: string, summary: string, action: () => Promise<void>) =>
    shell.register(name, {
      summary,
      async run(args) {
        if (args.length) throw new ShellUsageError('takes no arguments');
        await action();
      },
    });
  noArgs('run', 'run main.ts (Ctrl+Enter)', () => actions.run());
  noArgs('check', "run the lab's checks against your code (Ctrl+Shift+Enter)", () => actions.check());
  noArgs('reset', 'put the starter code back (asks first; undo keeps your last code)', () => actions.reset());
  shell.register('seed', {
    summary: 'show the seed, or set the seed used by run and check',
    usage: 'seed [n]   (n: an integer from 0 to 4294967295)',
    run(args, { io }) {
      if (args.length === 0) {
        io.print(`seed ${actions.getSeed()}`);
        return 0;
      }
      if (args.length > 1) throw new ShellUsageError('too many arguments');
      if (!/^\d+$/.test(args[0]) || Number(args[0]) > MAX_SEED) {
        throw new ShellUsageError(`not a seed: ${args[0]}`);
      }
      actions.setSeed(Number(args[0]));
      io.print(`seed set to ${Number(args[0])}`);
      return 0;
    },
  });
  return shell;
}
