// Mutants of the pleg-crashloop lab: plausible wrong timelines, each caught by the check against
// the real (modelled) kubelet, with a message naming the restart or the moment that differs.
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
