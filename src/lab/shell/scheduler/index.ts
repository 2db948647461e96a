/**
 * The `scheduler` command: what the session's kube-scheduler did and holds. `scheduler explain
 * <pod>` prints the last scheduling cycle of a pod as a node table (filter verdict, each score
 * plugin's normalized and weighted score, the total, the winner), `scheduler queue` where each
 * pending pod waits, `scheduler config` the profiles' plugins in the order they run.
 */
import { configText, explain, queueText } from '../../../sim/scheduler/format';
import type { Scheduler } from '../../../sim/scheduler/scheduler';
import { ShellUsageError, type Shell } from '../registry';

export interface SchedulerTarget {
  /** The running scheduler, or undefined when the lab has none. */
  scheduler(): Scheduler | undefined;
  now(): number;
}

const USAGE = `scheduler explain <pod> [-n namespace] [--nodes N]
scheduler queue
scheduler config`;

export function registerSchedulerCommand(shell: Shell, target: SchedulerTarget): void {
  shell.register('scheduler', {
    summary: "the session's kube-scheduler: explain a pod's placement, the scheduling queue, the profiles",
    usage: USAGE,
    complete: (args) => (args.length === 0 ? ['explain', 'queue', 'config'] : []),
    async run(args, { io }) {
      const s = target.scheduler();
      if (!s) {
        io.error('this lab runs no kube-scheduler in the terminal (pods stay Pending unless your code schedules them)');
        return 1;
      }
      const [sub, ...rest] = args;
      if (sub === 'queue') {
        io.print(queueText(s.queue, target.now()));
        return 0;
      }
      if (sub === 'config') {
        io.print([...s.profiles.values()].map(configText).join('\n'));
        return 0;
      }
      if (sub !== 'explain') throw new ShellUsageError(sub ? `unknown subcommand "${sub}"` : 'needs a subcommand');
      let ns = 'default';
      let maxNodes = 50;
      const names: string[] = [];
      for (let i = 0; i < rest.length; i++) {
        const a = rest[i];
        if (a === '-n' || a === '--namespace') ns = rest[++i] ?? ns;
        else if (a.startsWith('--namespace=')) ns = a.slice('--namespace='.length);
        else if (a === '--nodes') maxNodes = Number(rest[++i]);
        else if (a.startsWith('--nodes=')) maxNodes = Number(a.slice('--nodes='.length));
        else names.push(a.replace(/^pods?\//, ''));
      }
      if (names.length !== 1) throw new ShellUsageError('needs one pod name');
      if (!Number.isInteger(maxNodes) || maxNodes < 1) throw new ShellUsageError('--nodes needs a positive whole number');
      const key = names[0].includes('/') ? names[0] : `${ns}/${names[0]}`;
      const rec = s.lastRecord(key);
      if (!rec) {
        io.error(`no scheduling cycle recorded for pod ${key} (it was bound by someone else, not yet tried, or the name is wrong)`);
        return 1;
      }
      const fwk = s.profiles.get(rec.profile);
      io.print(explain(rec, fwk?.scorePluginWeight ?? new Map(), { maxNodes }));
      return 0;
    },
  });
}
