import type { Process } from '../process';
import { parseSleep } from './applets';

/** stress's size suffixes are binary: `250M` = 250 MiB. */
function parseStressBytes(s: string): number {
  const m = /^(\d+)([bBkKmMgG]?)$/.exec(s);
  if (!m) return Number.NaN;
  const unit = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2].toLowerCase()]!;
  return Number(m[1]) * unit;
}

/**
 * polinux/stress (stress 1.0.4): `--cpu N` spins N CPUs; `--vm N --vm-bytes B` allocates and
 * touches B bytes per worker (`--vm-hang S` keeps it S seconds before freeing; the model keeps
 * it); `--timeout T` ends the run. Over a memory limit the OOM killer ends the container.
 */
export function stressProgram(p: Process): void {
  const args = p.argv.slice(1);
  const opt = (name: string, short: string) => {
    const i = args.findIndex((a) => a === `--${name}` || a === `-${short}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  if (args.length === 0 || args.includes('--help')) {
    p.stdout("`stress' imposes certain types of compute stress on your system");
    p.stdout('');
    p.stdout('Usage: stress [OPTION [ARG]] ...');
    p.exit(args.length === 0 ? 1 : 0);
    return;
  }
  const cpu = Number(opt('cpu', 'c') ?? 0);
  const vm = Number(opt('vm', 'm') ?? 0);
  const vmBytes = parseStressBytes(opt('vm-bytes', 'vm-bytes') ?? '256M');
  const hang = opt('vm-hang', 'vm-hang');
  const timeout = opt('timeout', 't');
  if (!Number.isInteger(cpu) || !Number.isInteger(vm) || Number.isNaN(vmBytes)) {
    p.stderr('stress: FAIL: [1] (244) invalid number in argument');
    p.exit(1);
    return;
  }
  p.stdout(`stress: info: [1] dispatching hogs: ${cpu} cpu, 0 io, ${vm} vm, 0 hdd`);
  const vmCpu = vm * (hang !== undefined ? 20 : 1000);
  p.setUsage({ cpuMilli: cpu * 1000 + vmCpu, memoryBytes: 1024 * 1024 });
  // The workers fault their pages in within a moment.
  if (vm > 0) p.after(100, () => p.setUsage({ memoryBytes: 1024 * 1024 + vm * vmBytes }));
  if (timeout) {
    const ms = parseSleep(timeout);
    p.after(ms, () => {
      p.stdout(`stress: info: [1] successful run completed in ${Math.round(ms / 1000)}s`);
      p.exit(0);
    });
  }
}
