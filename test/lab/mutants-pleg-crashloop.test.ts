// Mutants of the pleg-crashloop lab: plausible wrong timelines, each caught by the check against
// the real (modelled) kubelet, with a message naming the restart or the moment that differs.
import { describe, expect, it } from 'vitest';
import { mountLabCluster } from '../../src/lab/lab-cluster';
import { labManifests, readLab } from '../../src/lab/node/labs';
import { createShell, stripAnsi, type ShellIO } from '../../src/lab/shell/index';
import { defineMutants } from './mutants';

const lab = 'pleg-crashloop';

defineMutants([
  {
    name: 'the first restart also waits 10 s',
    lab,
    from: 'const delay = i === 0 ? 0 : Math.min(INITIAL_S * 2 ** (i - 1), MAX_S);',
    to: 'const delay = Math.min(INITIAL_S * 2 ** i, MAX_S);',
    fails: ['predictsRestarts'],
  },
  {
    name: 'no doubling: 10 s every time',
    lab,
    from: 'Math.min(INITIAL_S * 2 ** (i - 1), MAX_S)',
    to: 'INITIAL_S',
    fails: ['predictsRestarts'],
  },
  {
    name: 'no cap: 320 s after the seventh exit',
    lab,
    from: 'Math.min(INITIAL_S * 2 ** (i - 1), MAX_S)',
    to: 'INITIAL_S * 2 ** (i - 1)',
    fails: ['predictsRestarts'],
  },
  {
    name: 'the doubling starts at 20 s',
    lab,
    from: 'Math.min(INITIAL_S * 2 ** (i - 1), MAX_S)',
    to: 'Math.min(INITIAL_S * 2 ** i, MAX_S)',
    fails: ['predictsRestarts'],
  },
  {
    name: 'CrashLoopBackOff right after each exit (no Error window)',
    lab,
    from: "return t < start + RUN_S + RESYNC_S ? 'Error' : 'CrashLoopBackOff';",
    to: "return 'CrashLoopBackOff';",
    fails: ['predictsStatus'],
    passes: ['predictsRestarts'],
  },
  {
    name: 'Error for the whole wait',
    lab,
    from: "return t < start + RUN_S + RESYNC_S ? 'Error' : 'CrashLoopBackOff';",
    to: "return 'Error';",
    fails: ['predictsStatus'],
  },
  {
    name: 'Completed instead of Error after a non-zero exit',
    lab,
    from: "? 'Error' :",
    to: "? 'Completed' :",
    fails: ['predictsStatus'],
  },
]);

describe('pleg-crashloop in the terminal (a session cluster with a node)', () => {
  it('the crash pod restarts and shows Error, then CrashLoopBackOff, with its BackOff event', async () => {
    const l = readLab(lab);
    const shell = createShell();
    const lines: string[] = [];
    const io: ShellIO = { print: (t) => lines.push(stripAnsi(t)), error: (t) => lines.push(`E: ${stripAnsi(t)}`), clear: () => {} };
    await mountLabCluster({ shell, io, seed: 1, files: labManifests(l), apply: ['crash.yaml'], scheduler: true, nodes: 1 });
    const run = async (line: string) => {
      lines.length = 0;
      await shell.execute(line, io);
      return lines.join('\n');
    };
    await run('sleep 60s');
    expect(await run('kubectl get pod crash')).toMatch(/crash +0\/1 +(CrashLoopBackOff|Error) +[3-5] \(\d+s ago\)/);
    const d = await run('kubectl describe pod crash');
    expect(d).toMatch(/Last State: +Terminated\n +Reason: +Error\n +Exit Code: +1/);
    expect(d).toMatch(/Warning +BackOff +.*kubelet +Back-off restarting failed container app in pod crash_default/);
  });
});
