/**
 * The programs the runtime can run, by the basename of argv[0]. A binary must also be in the
 * image (`ImageSpec.binaries`): the runtime checks that first (runc's "executable file not found").
 */
import { APPLETS, type ShellIo } from './applets';
import { agnhostProgram } from './agnhost';
import { etcdProgram, kubeApiserverProgram, kubeControllerManagerProgram, kubeSchedulerProgram } from './controlplane';
import { apacheProgram } from './hpa';
import { dockerEntrypointProgram, nginxProgram } from './nginx';
import { pauseProgram } from './pause';
import { shProgram } from './sh';
import { stressProgram } from './stress';
import type { Process, Program } from '../process';

export const PROGRAMS: Record<string, Program> = {
  sh: shProgram,
  bash: shProgram,
  nginx: nginxProgram,
  'docker-entrypoint.sh': dockerEntrypointProgram,
  agnhost: agnhostProgram,
  pause: pauseProgram,
  stress: stressProgram,
  'apache2-foreground': apacheProgram,
  // kubeadm's static pods (wt-machine)
  'kube-apiserver': kubeApiserverProgram,
  etcd: etcdProgram,
  'kube-controller-manager': kubeControllerManagerProgram,
  'kube-scheduler': kubeSchedulerProgram,
};

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Runs the program `p.argv[0]` names; an applet runs alone and exits with its status. */
export async function runProgram(p: Process): Promise<void> {
  const name = basename(p.argv[0] ?? '');
  const program = PROGRAMS[name];
  if (program) {
    await program(p);
    return;
  }
  const applet = APPLETS[name];
  if (applet) {
    const io: ShellIo = { p, env: new Map(Object.entries(p.host.env)), out: (t) => void (p.exited || p.host.stdout(t)), err: (t) => void (p.exited || p.host.stderr(t)) };
    const code = await applet(io, p.argv.slice(1));
    p.exit(code);
    return;
  }
  p.stderr(`${name}: this binary has no model in KubeLab's runtime`);
  p.exit(127);
}
