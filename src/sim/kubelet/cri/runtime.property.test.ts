import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CriError } from './api';
import { containerConfig, newTestRuntime, sandboxConfig } from './testing';

const MiB = 1024 * 1024;
const PROGRAMS: Array<{ image: string; command?: string[]; limit?: number }> = [
  { image: 'busybox', command: ['sleep', '3600'] },
  { image: 'busybox', command: ['sh', '-c', 'sleep 2; exit 3'] },
  { image: 'busybox', command: ['sh', '-c', "trap 'exit 0' TERM; while true; do sleep 1; done"] },
  { image: 'busybox', command: ['nosuch'] },
  { image: 'polinux/stress', command: ['stress', '--vm', '1', '--vm-bytes', '250M'], limit: 100 * MiB },
  { image: 'nginx' },
];

type Op =
  | { k: 'sandbox' }
  | { k: 'stopSandbox' | 'removeSandbox'; i: number }
  | { k: 'create'; i: number; prog: number }
  | { k: 'start' | 'remove'; j: number }
  | { k: 'stop'; j: number; timeout: number }
  | { k: 'advance'; ms: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ k: 'sandbox' as const }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constantFrom('stopSandbox' as const, 'removeSandbox' as const), i: fc.nat(2) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('create' as const), i: fc.nat(2), prog: fc.nat(PROGRAMS.length - 1) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('start' as const), j: fc.nat(4) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('remove' as const), j: fc.nat(4) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('stop' as const), j: fc.nat(4), timeout: fc.constantFrom(0, 2, 30) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 5000 }) }) },
);

/**
 * Protocol invariants of the runtime over random CRI call sequences: no container runs in a
 * sandbox that is not ready; an exited container keeps its exit code and reason; ids are never
 * reused; reasons agree with exit codes as containerd sets them.
 */
describe('runtime invariants over random CRI call sequences', () => {
  it('hold for every sequence', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 10, maxLength: 30 }), async (ops) => {
        const t = newTestRuntime();
        for (const image of ['busybox', 'polinux/stress', 'nginx']) await t.run(t.rt.pullImage(image));
        const sandboxes: string[] = [];
        const containers: string[] = [];
        const seen = new Set<string>();
        const exits = new Map<string, { exitCode: number; reason: string }>();
        let attempt = 0;
        const fresh = (id: string) => {
          expect(seen.has(id)).toBe(false);
          seen.add(id);
        };
        for (const o of ops) {
          try {
            switch (o.k) {
              case 'sandbox': {
                const id = await t.run(t.rt.runPodSandbox(sandboxConfig(`p${sandboxes.length}`)));
                fresh(id);
                sandboxes.push(id);
                break;
              }
              case 'stopSandbox':
                if (sandboxes[o.i]) await t.run(t.rt.stopPodSandbox(sandboxes[o.i]));
                break;
              case 'removeSandbox':
                if (sandboxes[o.i]) await t.run(t.rt.removePodSandbox(sandboxes.splice(o.i, 1)[0]));
                break;
              case 'create': {
                const sid = sandboxes[o.i];
                if (!sid) break;
                const prog = PROGRAMS[o.prog];
                const pod = sandboxConfig(`p${o.i}`);
                const cfg = containerConfig(pod, 'c', prog.image, { metadata: { name: 'c', attempt: attempt++ }, command: prog.command, linux: prog.limit ? { resources: { memoryLimitInBytes: prog.limit } } : undefined });
                const id = await t.run(t.rt.createContainer(sid, cfg, pod));
                fresh(id);
                containers.push(id);
                break;
              }
              case 'start':
                if (containers[o.j]) await t.run(t.rt.startContainer(containers[o.j]));
                break;
              case 'stop':
                if (containers[o.j]) await t.run(t.rt.stopContainer(containers[o.j], o.timeout));
                break;
              case 'remove':
                if (containers[o.j]) await t.run(t.rt.removeContainer(containers.splice(o.j, 1)[0]));
                break;
              case 'advance':
                await t.advance(o.ms);
                break;
            }
          } catch (e) {
            if (!(e instanceof CriError)) throw e;
          }
          const ready = new Set((await t.run(t.rt.listPodSandbox({ state: 'SANDBOX_READY' }))).map((s) => s.id));
          for (const c of await t.run(t.rt.listContainers())) {
            if (c.state === 'CONTAINER_RUNNING') expect(ready.has(c.podSandboxId)).toBe(true);
            const st = await t.run(t.rt.containerStatus(c.id));
            const before = exits.get(c.id);
            if (before) expect({ state: st.state, exitCode: st.exitCode, reason: st.reason }).toEqual({ state: 'CONTAINER_EXITED', ...before });
            if (st.state === 'CONTAINER_EXITED') {
              exits.set(c.id, { exitCode: st.exitCode, reason: st.reason });
              const expected = st.reason === 'StartError' ? 128 : st.reason === 'Completed' ? 0 : undefined;
              if (expected !== undefined) expect(st.exitCode).toBe(expected);
              if (st.reason === 'OOMKilled') expect(st.exitCode).toBe(137);
              if (st.reason === 'Error') expect(st.exitCode).not.toBe(0);
            }
          }
        }
      }),
      { numRuns: 120 },
    );
  });

  it('the same seed gives the same trace', async () => {
    const once = async () => {
      const t = newTestRuntime();
      const pod = sandboxConfig('p');
      await t.run(t.rt.pullImage('busybox'));
      const sid = await t.run(t.rt.runPodSandbox(pod));
      const cid = await t.run(t.rt.createContainer(sid, containerConfig(pod, 'c', 'busybox', { command: ['sh', '-c', 'echo a; sleep 1; exit 2'] }), pod));
      await t.run(t.rt.startContainer(cid));
      await t.advance(2000);
      return JSON.stringify(t.trace.events) + JSON.stringify(t.rt.containerLog(cid));
    };
    expect(await once()).toBe(await once());
  });
});
