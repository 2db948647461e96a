import { describe, expect, it } from 'vitest';
import { createShell, registerWorkbenchCommands, Shell, ShellUsageError, type ShellIO } from './index';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  let clears = 0;
  const io: ShellIO = {
    print: (t) => out.push(t),
    error: (t) => err.push(t),
    clear: () => clears++,
  };
  return { io, out, err, clears: () => clears };
}

describe('Shell registry', () => {
  it('runs a registered command with parsed arguments', async () => {
    const shell = createShell();
    let got: string[] = [];
    shell.register('echo', { summary: 'print', run: (args, { io }) => void io.print((got = args).join(' ')) });
    const c = capture();
    expect(await shell.execute(`echo "a b" 'c'`, c.io)).toBe(0);
    expect(got).toEqual(['a b', 'c']);
    expect(c.out).toEqual(['a b c']);
  });

  it('answers an unknown command with the exact message and status 127', async () => {
    const c = capture();
    expect(await createShell().execute('foo bar', c.io)).toBe(127);
    expect(c.err).toEqual([`kubelab: command not found: foo (try 'help')`]);
  });

  it('reports a parse error without running anything', async () => {
    const shell = createShell();
    let ran = false;
    shell.register('x', { summary: '', run: () => void (ran = true) });
    const c = capture();
    expect(await shell.execute('x "open', c.io)).toBe(2);
    expect(ran).toBe(false);
    expect(c.err[0]).toMatch(/unterminated double quote/);
  });

  it('turns a usage error into the usage line and status 2, any other throw into status 1', async () => {
    const shell = createShell();
    shell.register('u', { summary: '', usage: 'u <n>', run: () => { throw new ShellUsageError('missing n'); } });
    shell.register('boom', { summary: '', run: async () => { throw new Error('kaput'); } });
    const c = capture();
    expect(await shell.execute('u', c.io)).toBe(2);
    expect(c.err).toContain('u: missing n');
    expect(c.out).toContain('usage: u <n>');
    expect(await shell.execute('boom', c.io)).toBe(1);
    expect(c.err).toContain('boom: kaput');
  });

  it('returns the status a command returns', async () => {
    const shell = new Shell().register('false', { summary: '', run: () => 1 });
    expect(await shell.execute('false', capture().io)).toBe(1);
    expect(await shell.execute('   ', capture().io)).toBe(0);
  });

  it('refuses duplicate and malformed names', () => {
    const shell = createShell();
    expect(() => shell.register('help', { summary: '', run: () => {} })).toThrow(/already registered/);
    expect(() => shell.register('Bad Name', { summary: '', run: () => {} })).toThrow(/invalid command name/);
  });

  it('help lists every command with its summary, sorted', async () => {
    const shell = createShell();
    shell.register('kubectl', { summary: 'talk to the apiserver', run: () => {} });
    const c = capture();
    await shell.execute('help', c.io);
    const lines = c.out.filter((l) => l.startsWith('  ')).map((l) => l.trim().split(/\s+/)[0]);
    expect(lines).toEqual(['clear', 'help', 'kubectl']);
    expect(c.out.join('\n')).toMatch(/kubectl\s+talk to the apiserver/);
  });

  it('help <command> shows its usage; help <unknown> fails', async () => {
    const shell = createShell();
    const c = capture();
    expect(await shell.execute('help help', c.io)).toBe(0);
    expect(c.out).toContain('usage: help [command]');
    expect(await shell.execute('help nope', c.io)).toBe(1);
    expect(c.err).toContain('help: no such command: nope');
  });

  it('clear asks the terminal to clear', async () => {
    const c = capture();
    await createShell().execute('clear', c.io);
    expect(c.clears()).toBe(1);
  });
});

describe('Shell completion', () => {
  const shell = createShell();
  shell.register('seed', { summary: '', run: () => {} });
  shell.register('kubectl', {
    summary: '',
    run: () => {},
    complete: (args) => (args.length === 0 ? ['get', 'describe', 'delete'] : args[0] === 'get' ? ['pods', 'my pod'] : []),
  });

  it('completes command names from the first word', () => {
    expect(shell.complete('s')).toEqual({ from: 0, candidates: ['seed'], common: 'seed' });
    expect(shell.complete('').candidates).toEqual(['clear', 'help', 'kubectl', 'seed']);
  });

  it("delegates later words to the command's complete, filtered by the prefix", () => {
    expect(shell.complete('kubectl de')).toEqual({ from: 8, candidates: ['delete', 'describe'], common: 'de' });
    expect(shell.complete('kubectl get ').candidates).toEqual(["'my pod'", 'pods']);
  });

  it('offers nothing for unknown commands or commands without completion', () => {
    expect(shell.complete('nope x').candidates).toEqual([]);
    expect(shell.complete('seed ').candidates).toEqual([]);
  });

  it('help completes command names', () => {
    expect(shell.complete('help ki').candidates).toEqual([]);
    expect(shell.complete('help k').candidates).toEqual(['kubectl']);
  });
});

describe('workbench commands', () => {
  function setup() {
    const calls: string[] = [];
    let seed = 1;
    const shell = registerWorkbenchCommands(createShell(), {
      run: async () => void calls.push('run'),
      check: async () => void calls.push('check'),
      reset: async () => void calls.push('reset'),
      getSeed: () => seed,
      setSeed: (n) => void (seed = n),
    });
    return { shell, calls, seed: () => seed };
  }

  it('run, check and reset call the workbench actions', async () => {
    const { shell, calls } = setup();
    const c = capture();
    for (const cmd of ['run', 'check', 'reset']) expect(await shell.execute(cmd, c.io)).toBe(0);
    expect(calls).toEqual(['run', 'check', 'reset']);
    expect(await shell.execute('run now', c.io)).toBe(2);
    expect(calls).toHaveLength(3);
  });

  it('seed alone prints the seed; seed n sets it', async () => {
    const s = setup();
    const c = capture();
    await s.shell.execute('seed', c.io);
    expect(c.out).toEqual(['seed 1']);
    expect(await s.shell.execute('seed 42', c.io)).toBe(0);
    expect(s.seed()).toBe(42);
    expect(c.out).toContain('seed set to 42');
  });

  it('seed rejects what is not an unsigned 32-bit integer', async () => {
    const s = setup();
    for (const bad of ['-1', '1.5', 'abc', '4294967296', '1 2']) {
      const c = capture();
      expect(await s.shell.execute(`seed ${bad}`, c.io)).toBe(2);
      expect(c.out.some((l) => l.startsWith('usage: seed'))).toBe(true);
    }
    expect(s.seed()).toBe(1);
  });

  it('help lists the workbench commands', async () => {
    const c = capture();
    await setup().shell.execute('help', c.io);
    const names = c.out.filter((l) => l.startsWith('  ')).map((l) => l.trim().split(/\s+/)[0]);
    expect(names).toEqual(['check', 'clear', 'help', 'reset', 'run', 'seed']);
  });
});

describe('nested shells (ssh node-a, kubectl exec -it)', () => {
  it('sends lines to the innermost shell until exit, with its prompt and completion', async () => {
    const outer = createShell();
    const inner = new Shell().register('hostname', { summary: 'print the host name', run: (_a, { io }) => {
      io.print('node-a');
    } });
    const out: string[] = [];
    const io = { print: (t: string) => out.push(t), error: (t: string) => out.push(`E:${t}`), clear: () => {} };
    let exited = false;
    outer.enter({ prompt: 'root@node-a:~# ', shell: inner, farewell: 'Connection to node-a closed.', onExit: () => (exited = true) });
    expect(outer.nestedPrompt()).toBe('root@node-a:~# ');
    expect(await outer.execute('hostname', io)).toBe(0);
    expect(outer.complete('host').candidates).toEqual(['hostname']);
    // The outer shell's commands are not there inside.
    expect(await outer.execute('help', io)).toBe(127);
    expect(await outer.execute('exit', io)).toBe(0);
    expect(exited).toBe(true);
    expect(outer.nestedPrompt()).toBeUndefined();
    expect(out).toEqual(['node-a', 'E:kubelab: command not found: help (try \'help\')', 'Connection to node-a closed.']);
    expect(await outer.execute('hostname', io)).toBe(127);
  });
});
