import { describe, expect, it } from 'vitest';
import { logLines, newTestRuntime, runPod } from '../testing';

async function runScript(script: string, ms = 100) {
  const t = newTestRuntime();
  const { containerId } = await runPod(t, 'p', 'busybox:1.36', { command: ['sh', '-c', script], envs: [{ key: 'POD_NAME', value: 'p' }] });
  await t.advance(ms);
  const st = await t.run(t.rt.containerStatus(containerId));
  return { t, containerId, lines: logLines(t, containerId), state: st.state, exitCode: st.exitCode };
}

// The busybox ash behaviour pod scripts rely on (wording of busybox 1.36).
describe('sh -c: the busybox shell model', () => {
  it.each([
    ['lists', 'echo a; echo b', ['a', 'b'], 0],
    ['&& and ||', 'false && echo no || echo yes', ['yes'], 0],
    ['parameters and quotes', `X=1; echo $X \${X} "$X" '$X' $UNSET.`, ['1 1 1 $X .'], 0],
    ['env from the CRI config', 'echo $POD_NAME $HOSTNAME', ['p p'], 0],
    ['echo -n', 'echo -n a; echo b', ['ab'], 0],
    ['for loops', 'for i in 1 2 3; do echo $i; done', ['1', '2', '3'], 0],
    ['if / test', 'touch /tmp/a; if [ -f /tmp/a ]; then echo y; else echo n; fi; if test -d /tmp/a; then echo d; fi', ['y'], 0],
    ['files with > and >>', 'echo hi > /tmp/f; cat /tmp/f; echo more >> /tmp/f; cat /tmp/f', ['hi', 'hi', 'more'], 0],
    ['command substitution and $?', 'false; echo $? $(echo nested)', ['1 nested'], 0],
    ['exit status', 'echo bye; exit 42', ['bye'], 42],
    ['the last status is the exit code', 'cat /nope', ["cat: can't open '/nope': No such file or directory"], 1],
    ['unknown commands', 'nosuch', ['sh: nosuch: not found'], 127],
    ['2>/dev/null', 'cat /nope 2>/dev/null; echo $?', ['1'], 0],
    ['mkdir without -p', 'mkdir /a/b', ["mkdir: can't create directory '/a/b': No such file or directory"], 1],
    ['mkdir -p', 'mkdir -p /a/b && echo ok > /a/b/f && cat /a/b/f', ['ok'], 0],
    ['rm and rm -f', 'rm /nope; rm -f /nope; echo $?', ["rm: can't remove '/nope': No such file or directory", '0'], 0],
    ['a redirect into a missing directory', 'echo x > /no/such/f', ["sh: can't create /no/such/f: nonexistent directory"], 1],
    ['date', 'date', ['Sat Dec  5 07:45:00 UTC 2026'], 0],
    ['until loops', 'until [ -f /tmp/x ]; do touch /tmp/x; echo made; done', ['made'], 0],
    ['syntax errors', 'echo (', ['sh: syntax error: unexpected "("'], 2],
    ['unterminated if', 'if true; then echo x', ['sh: syntax error: unexpected end of file (expecting "fi")'], 2],
    ['exec replaces the shell', 'exec echo replaced', ['replaced'], 0],
    ['child processes of the image', 'sleep 1 && echo slept', ['slept'], 0],
  ])('%s: %j', async (_name, script, lines, exitCode) => {
    const r = await runScript(script, 2000);
    expect(r.lines).toEqual(lines);
    expect(r.state).toBe('CONTAINER_EXITED');
    expect(r.exitCode).toBe(exitCode);
  });

  it('sleep takes virtual time: the classic liveness script keeps running', async () => {
    const r = await runScript('touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600', 29_000);
    expect(r.state).toBe('CONTAINER_RUNNING');
    await r.t.advance(602_000);
    expect((await r.t.run(r.t.rt.containerStatus(r.containerId))).state).toBe('CONTAINER_EXITED');
  });

  it('a while loop with sleep logs once per iteration', async () => {
    const r = await runScript('while true; do echo tick; sleep 1; done', 3500);
    expect(r.lines).toEqual(['tick', 'tick', 'tick', 'tick']);
  });

  it('a busy loop spins one CPU without stopping time', async () => {
    const r = await runScript('while true; do :; done', 1000);
    expect(r.state).toBe('CONTAINER_RUNNING');
    const [a] = await r.t.run(r.t.rt.listContainerStats({ id: r.containerId }));
    await r.t.advance(1000);
    const [b] = await r.t.run(r.t.rt.listContainerStats({ id: r.containerId }));
    expect((b.cpu.usageCoreNanoSeconds - a.cpu.usageCoreNanoSeconds) / 1e9).toBeCloseTo(1, 1);
  });
});
