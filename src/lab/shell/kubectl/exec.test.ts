import { describe, expect, it } from 'vitest';
import { newEnv, newLabCluster, runUntilIdle, type KubeObject } from '../../../sim/index';
import { createShell, Shell, stripAnsi, type ShellIO } from '../index';
import { VirtualFs } from '../vfs';
import { registerKubectl } from './index';
import type { PodExec } from './cmd/exec';

// kubectl exec after kubectl v0.34.0 pkg/cmd/exec/exec.go (Complete, Validate, Run) and podcmd.go.
async function setup(runtime?: PodExec) {
  const cluster = await newLabCluster({ env: newEnv({ seed: 1 }) });
  const shell = createShell();
  registerKubectl(shell, { transport: cluster.apiServer, clock: cluster.clock, files: new VirtualFs({ files: {} }), podExec: () => runtime });
  const run = async (line: string) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: ShellIO = { print: (s) => out.push(stripAnsi(s)), error: (s) => err.push(stripAnsi(s)), clear: () => {} };
    const p = shell.execute(line, io);
    await runUntilIdle(cluster.clock, { forMs: 5000 });
    const code = await p;
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  const cs = cluster.clientset();
  const pod = async (name: string, containers: string[], phase?: string, extra: Record<string, unknown> = {}) => {
    const p = cs.coreV1().pods('default').create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'web' }, ...extra }, spec: { nodeName: 'node-a', containers: containers.map((c) => ({ name: c, image: 'busybox' })) } } as KubeObject);
    await runUntilIdle(cluster.clock, { forMs: 100 });
    const created = (await p) as KubeObject;
    if (!phase) return;
    const u = cs.coreV1().pods('default').updateStatus({ ...created, status: { phase, containerStatuses: containers.map((c) => ({ name: c, ready: true, restartCount: 0, state: phase === 'Running' ? { running: {} } : { terminated: { exitCode: 0 } } })) } } as KubeObject);
    await runUntilIdle(cluster.clock, { forMs: 100 });
    await u;
  };
  return { shell, run, pod };
}

const echo: PodExec = {
  async run(target, argv, io) {
    if (argv[0] === 'false') return 1;
    io.print(`${target.pod.metadata.name}/${target.container}: ${argv.join(' ')}`);
    return 0;
  },
  shell: (target) => ({ prompt: '/ # ', shell: new Shell(), farewell: `(left ${target.pod.metadata.name})` }),
};

describe('kubectl exec', () => {
  it('runs the command after -- in the first container, saying which it defaulted to', async () => {
    const h = await setup(echo);
    await h.pod('web', ['nginx', 'sidecar'], 'Running');
    const r = await h.run('kubectl exec web -- cat /etc/resolv.conf');
    // podcmd writes the notice to stderr, the command's output stays on stdout.
    expect(r).toEqual({ code: 0, out: 'web/nginx: cat /etc/resolv.conf', err: 'Defaulted container "nginx" out of: nginx, sidecar' });
    expect((await h.run('kubectl exec web -c sidecar -- ls -l')).out).toBe('web/sidecar: ls -l');
    expect((await h.run('kubectl exec deploy/none -- ls')).err).toBe('Error from server (NotFound): deployments.apps "none" not found');
  });

  it("reports the container's exit status as kubectl does", async () => {
    const h = await setup(echo);
    await h.pod('web', ['nginx'], 'Running');
    expect(await h.run('kubectl exec web -- false')).toEqual({ code: 1, out: '', err: 'command terminated with exit code 1' });
  });

  it('refuses as kubectl v1.34 refuses', async () => {
    const h = await setup(echo);
    await h.pod('web', ['nginx'], 'Running');
    await h.pod('done', ['job'], 'Succeeded');
    await h.pod('pending', ['nginx']);
    expect((await h.run('kubectl exec web ls')).err).toBe("error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples");
    expect((await h.run('kubectl exec web')).err).toBe('error: you must specify at least one command for the container');
    expect((await h.run('kubectl exec -- ls')).err).toBe('error: pod, type/name or --filename must be specified');
    expect((await h.run('kubectl exec nope -- ls')).err).toBe('Error from server (NotFound): pods "nope" not found');
    expect((await h.run('kubectl exec done -- ls')).err).toBe('error: cannot exec into a container in a completed pod; current phase is Succeeded');
    expect((await h.run('kubectl exec pending -- ls')).err).toBe('error: unable to upgrade connection: container not found ("nginx")');
    expect((await h.run('kubectl exec web -c nope -- ls')).err).toBe('error: container nope not found in pod web');
  });

  it('-it ... -- sh enters a shell in the container until exit', async () => {
    const h = await setup(echo);
    await h.pod('web', ['nginx'], 'Running');
    expect((await h.run('kubectl exec -it web -- sh')).code).toBe(0);
    expect(h.shell.nestedPrompt()).toBe('/ # ');
    expect((await h.run('exit')).out).toBe('(left web)');
    expect(h.shell.nestedPrompt()).toBeUndefined();
  });
});
