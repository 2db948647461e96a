// The session's `watch` command (procps watch): reruns a command every interval of virtual time
// until Ctrl+C, so a rollout can be watched across several resource types at once.
import { describe, expect, it } from 'vitest';
import { mountLabCluster } from '../../src/lab/lab-cluster';
import { createShell, stripAnsi, type ShellIO } from '../../src/lab/shell/index';

async function session() {
  const shell = createShell();
  const lines: string[] = [];
  let clears = 0;
  const io: ShellIO = { print: (t) => lines.push(stripAnsi(t)), error: (t) => lines.push(stripAnsi(t)), clear: () => void clears++ };
  await mountLabCluster({ shell, io, seed: 1, files: {}, apply: [] });
  return { shell, io, lines, clears: () => clears };
}

describe('watch', () => {
  it('reruns the command every -n seconds of virtual time until interrupted', async () => {
    const s = await session();
    const ctl = new AbortController();
    const io: ShellIO = { ...s.io, print: (t) => {
      s.io.print(t);
      if (s.lines.filter((l) => l.startsWith('Every')).length === 3) ctl.abort();
    } };
    const code = await s.shell.execute('watch -n 5 kubectl get deploy,rs,pods', io, { signal: ctl.signal });
    expect(code).toBe(130);
    const headers = s.lines.filter((l) => l.startsWith('Every'));
    expect(headers[0]).toMatch(/^Every 5\.0s: kubectl get deploy,rs,pods {4}\(virtual time /);
    expect(headers).toHaveLength(3);
    expect(s.lines.filter((l) => l === 'No resources found in default namespace.').length).toBeGreaterThanOrEqual(2);
    expect(s.clears()).toBe(3);
  });

  it('refuses a bad interval or a missing command', async () => {
    const s = await session();
    expect(await s.shell.execute('watch -n x kubectl get pods', s.io)).not.toBe(0);
    expect(s.lines.join('\n')).toContain("failed to parse argument: 'x'");
    expect(await s.shell.execute('watch', s.io)).not.toBe(0);
    expect(s.lines.join('\n')).toContain('needs a command to run');
  });
});
