// The Go session's commands, each on a fresh shell: the environment (NAME=value prefixes, export,
// unset, env, gctrace), ./app's flags and the runtime's texts, Ctrl+C, and bounded outputs.
import { describe, expect, it } from 'vitest';
import { mountGoSession, type GoSessionConfig } from '../../gogc-session';
import { createShell, type ShellIO } from '../registry';
import { MAX_GCTRACE_LINES } from './app';
import { formatGoDuration, gctraceLevel, parseGoDuration, withGctrace } from './env';

function session(config: GoSessionConfig = {}, seed = 1) {
  const shell = createShell();
  const s = mountGoSession({ shell, seed, config, yieldToPage: async () => {} });
  const out: string[] = [];
  const io: ShellIO = { print: (t) => out.push(t), error: (t) => out.push(`E: ${t}`), clear: () => {} };
  const run = async (line: string, signal?: AbortSignal) => {
    out.length = 0;
    const code = await shell.execute(line, io, { signal });
    return { code, text: out.join('\n'), lines: [...out] };
  };
  return { shell, s, run, io };
}

describe('GODEBUG, durations', () => {
  it('reads gctrace as the runtime does at start-up: last wins, unparsable values skipped', () => {
    expect(gctraceLevel(undefined)).toBe(0);
    expect(gctraceLevel('gctrace=1')).toBe(1);
    expect(gctraceLevel('madvdontneed=1,gctrace=2')).toBe(2);
    expect(gctraceLevel('gctrace=1,gctrace=0')).toBe(0);
    expect(gctraceLevel('gctrace=yes')).toBe(0);
    expect(gctraceLevel('gctrace=1,gctrace=x')).toBe(1);
    expect(gctraceLevel('gctrace=+1')).toBe(1);
    expect(gctraceLevel('gctrace')).toBe(0);
  });
  it('sets gctrace in GODEBUG and keeps the other settings', () => {
    expect(withGctrace(undefined, 1)).toBe('gctrace=1');
    expect(withGctrace('madvdontneed=1,gctrace=1', 0)).toBe('madvdontneed=1,gctrace=0');
  });
  it('parses Go durations and refuses what time.ParseDuration refuses', () => {
    expect(parseGoDuration('10s')).toBe(10_000);
    expect(parseGoDuration('1m30s')).toBe(90_000);
    expect(parseGoDuration('1.5s')).toBe(1500);
    expect(parseGoDuration('250ms')).toBe(250);
    expect(parseGoDuration('0')).toBe(0);
    for (const bad of ['', '10', 's', '-1s', '1 s', '1d', 'abc']) expect(parseGoDuration(bad)).toBeUndefined();
    expect(formatGoDuration(90_000)).toBe('1m30s');
    expect(formatGoDuration(2000)).toBe('2s');
    expect(formatGoDuration(250)).toBe('250ms');
  });
});

describe('the shell: NAME=value before a command, ./name programs', () => {
  it('gives the assignments to the command as its environment, and only to it', async () => {
    const shell = createShell();
    const seen: Array<Record<string, string> | undefined> = [];
    shell.register('./prog', { summary: 'p', run: (_args, ctx) => void seen.push(ctx.env ? { ...ctx.env } : undefined) });
    const io: ShellIO = { print: () => {}, error: () => {}, clear: () => {} };
    expect(await shell.execute('GOGC=50 GODEBUG=gctrace=1,x=2 ./prog', io)).toBe(0);
    expect(await shell.execute('./prog A=1', io)).toBe(0);
    expect(seen).toEqual([{ GOGC: '50', GODEBUG: 'gctrace=1,x=2' }, undefined]);
  });
  it('refuses a bare assignment with what to type instead', async () => {
    const { run } = session();
    expect(await run('GOGC=50')).toEqual({ code: 2, text: "E: kubelab: GOGC=50 sets nothing a program here sees: type 'export GOGC=50', or put it before the command ('GOGC=50 ./app')", lines: expect.any(Array) });
  });
  it('still refuses names that are neither words nor ./words', () => {
    expect(() => createShell().register('../x', { summary: '', run: () => {} })).toThrow(/invalid command name/);
    expect(() => createShell().register('./X', { summary: '', run: () => {} })).toThrow(/invalid command name/);
  });
});

describe('export, unset, env, gctrace', () => {
  it('keeps an export table as bash lists it', async () => {
    const { run } = session({ gogc: 100 });
    expect((await run('export GOGC=50 GOMEMLIMIT=256MiB')).code).toBe(0);
    expect((await run('export')).text).toBe('declare -x GOGC="50"\ndeclare -x GOMEMLIMIT="256MiB"');
    expect((await run('export 1X=2')).text).toBe("E: export: `1X=2': not a valid identifier");
    await run('unset GOMEMLIMIT');
    expect((await run('env')).text).toBe('GOGC=50');
  });
  it('gctrace on|off edits GODEBUG; other words are refused', async () => {
    const { run } = session();
    expect((await run('gctrace')).text).toMatch(/^gctrace is off/);
    expect((await run('gctrace on')).lines[0]).toBe('export GODEBUG=gctrace=1');
    expect((await run('env')).text).toBe('GODEBUG=gctrace=1');
    expect((await run('gctrace off')).lines[0]).toBe('export GODEBUG=gctrace=0');
    const bad = await run('gctrace maybe');
    expect(bad.code).toBe(2);
    expect(bad.lines).toEqual(['E: gctrace: takes on or off', 'usage: gctrace [on|off]   (no argument: show the setting)']);
  });
});

describe('./app', () => {
  it('prints gctrace lines to stderr only with gctrace on, then the MemStats summary', async () => {
    const { run } = session({ workload: { duration: '500ms' } });
    const quiet = await run('./app');
    expect(quiet.code).toBe(0);
    expect(quiet.lines.filter((l) => l.startsWith('E: '))).toEqual([]);
    expect(quiet.lines[0]).toBe('app: ran 500ms with GOGC=unset (100), GOMEMLIMIT=off, GOMAXPROCS=4');
    const traced = await run('GODEBUG=gctrace=1 ./app');
    const gc = traced.lines.filter((l) => l.startsWith('E: gc '));
    expect(gc.length).toBeGreaterThan(3);
    expect(gc[0]).toMatch(/^E: gc 1 @0\.\d{3}s \d+%: [0-9.+]+ ms clock, [0-9.+/]+ ms cpu, \d+->\d+->\d+ MB, \d+ MB goal, \d+ MB stacks, \d+ MB globals, 4 P$/);
    expect(traced.lines.slice(gc.length)).toEqual(quiet.lines);
  });
  it('reads GOGC at start: a lower GOGC collects more often; a bad GOGC is 100, silently', async () => {
    const { run } = session({ gctrace: true, workload: { duration: '1s' } });
    const count = async (line: string) => (await run(line)).lines.filter((l) => l.startsWith('E: gc ')).length;
    const at100 = await count('./app');
    expect(await count('GOGC=50 ./app')).toBeGreaterThan(at100);
    expect(await count('GOGC=400 ./app')).toBeLessThan(at100);
    expect(await count('GOGC=abc ./app')).toBe(at100);
    expect((await run('GOGC=abc ./app')).lines.at(-2)).toBe('app: ran 1s with GOGC=abc (not a number the runtime takes: read as 100), GOMEMLIMIT=off, GOMAXPROCS=4');
    expect(await count('GOGC=off ./app')).toBe(0);
  });
  it('dies on a malformed GOMEMLIMIT with the runtime text and status 2', async () => {
    const { run } = session();
    for (const v of ['2GB', '-1', '1e9', '512 MiB']) {
      expect(await run(`GOMEMLIMIT='${v}' ./app`)).toEqual({
        code: 2,
        text: `E: GOMEMLIMIT=${v}\nE: fatal error: malformed GOMEMLIMIT; see \`go doc runtime/debug.SetMemoryLimit\``,
        lines: expect.any(Array),
      });
    }
  });
  it('a GOMEMLIMIT under the GOGC goal pulls the goal down', async () => {
    const { run } = session({ gctrace: true, workload: { duration: '1s' } });
    const goals = async (line: string) => (await run(line)).lines.filter((l) => l.startsWith('E: gc ')).map((l) => Number(/(\d+) MB goal/.exec(l)![1]));
    expect(Math.max(...(await goals('./app')))).toBeGreaterThan(150);
    expect(Math.max(...(await goals('GOMEMLIMIT=100MiB ./app')))).toBeLessThanOrEqual(100);
  });
  it("answers bad flags as Go's flag package does, with status 2", async () => {
    const { run } = session();
    const usage = ['E: Usage of ./app:\n  -for duration\n    \thow long the program runs, in virtual time (default 2s)'];
    expect(await run('./app -x')).toEqual({ code: 2, text: expect.any(String), lines: ['E: flag provided but not defined: -x', ...usage] });
    expect((await run('./app --verbose=1')).lines[0]).toBe('E: flag provided but not defined: -verbose');
    expect((await run('./app -for abc')).lines[0]).toBe('E: invalid value "abc" for flag -for: parse error');
    expect((await run('./app -for')).lines[0]).toBe('E: flag needs an argument: -for');
    expect((await run('./app -for 1h')).lines).toEqual(['E: ./app: -for 1h is longer than this terminal runs a program (at most 5m0s of virtual time)']);
    expect((await run('./app -h')).lines).toEqual(usage);
    expect((await run('./app --for=100ms')).code).toBe(0);
  });
  it('Ctrl+C stops a long run between cycles (status 130, no summary)', async () => {
    const shell = createShell();
    const ctl = new AbortController();
    let turns = 0;
    const s = mountGoSession({ shell, seed: 1, config: { gctrace: true }, yieldToPage: async () => void (++turns === 2 && ctl.abort()) });
    const lines: string[] = [];
    const code = await shell.execute('./app -for 5m', { print: (t) => lines.push(t), error: (t) => lines.push(t), clear: () => {} }, { signal: ctl.signal });
    expect(code).toBe(130);
    expect(lines.length).toBe(50); // two chunks of 25 cycles, then the interrupt
    expect(lines.some((l) => l.startsWith('app:'))).toBe(false);
    const exit = s.events.filter((e) => e.type === 'goproc.exit').at(-1)!;
    expect(exit).toMatchObject({ status: 130, numgc: 50 });
  });
  it('prints at most MAX_GCTRACE_LINES gctrace lines of a run, then says how many it left out', async () => {
    const { run } = session({ gctrace: true, workload: { allocRate: '4GiB', live: '8MiB' } });
    const r = await run('./app -for 5m');
    const gc = r.lines.filter((l) => l.startsWith('E: gc '));
    expect(gc.length).toBe(MAX_GCTRACE_LINES);
    expect(r.lines).toContainEqual(expect.stringMatching(/^E: \(\d+ more gctrace lines not shown: this terminal prints the first 500 of a run\)$/));
  });
});

describe('gc and heap', () => {
  it('refuses unknown subcommands, flags and counts', async () => {
    const { run } = session();
    expect((await run('gc')).lines[0]).toBe('E: gc: needs a subcommand: now or step');
    expect((await run('gc later')).lines[0]).toBe('E: gc: unknown subcommand "later"');
    expect((await run('gc step 0')).code).toBe(2);
    expect((await run('gc step 1001')).code).toBe(2);
    expect((await run('gc step x')).code).toBe(2);
    expect((await run('gc now 2')).code).toBe(2);
    expect((await run('heap --all')).lines[0]).toBe('E: heap: unknown flag "--all"');
  });
  it('gc step stops at the end of a cycle and the next step starts the next one', async () => {
    const { run } = session();
    const r = await run('gc step 1000');
    expect(r.lines.at(-1)).toMatch(/^\(cycle 1 finished after \d+ of 1000 steps; the next 'gc step' starts a new one\)$/);
    const n = Number(/after (\d+)/.exec(r.lines.at(-1)!)![1]) + 1;
    expect((await run('gc step')).lines).toEqual([
      `step ${n}: stop the world (GC sweep termination)`,
      `step ${n}: phase sweeptermination (barrier hybrid)`,
      `step ${n}: phase mark (barrier hybrid)`,
      `step ${n}: start the world (GC sweep termination, paused 17µs)`,
    ]);
  });
  it('gc now with gctrace off says what it freed; with gctrace on prints the forced line', async () => {
    const { run } = session();
    expect((await run('gc now')).lines).toEqual([expect.stringMatching(/^gc 1: freed \d+ objects; \d+ left \(gctrace is off: 'gctrace on' prints the runtime's line\)$/)]);
    await run('gctrace on');
    expect((await run('gc now')).lines).toEqual([expect.stringMatching(/^E: gc 2 @0\.000s \d+%: .* MB, 4 MB goal, 0 MB stacks, 0 MB globals, 1 P \(forced\)$/)]);
  });
  it('gc now in the middle of a cycle finishes it, then runs a whole one (runtime.GC)', async () => {
    const { run } = session({ gctrace: true });
    await run('gc step 5');
    const r = await run('gc now');
    expect(r.lines.map((l) => /^E: gc (\d+) /.exec(l)?.[1])).toEqual(['1', '2']);
  });
  it('heap bounds its lists', async () => {
    const { run } = session({ heap: { objects: 64 } });
    const r = await run('heap');
    expect(r.text).toMatch(/white {2}obj1 obj2 .* obj40 \.\.\. and 24 more/);
  });
});

describe('completion', () => {
  it('completes ./app, the Go variables after export, and what is exported after unset', () => {
    const { shell } = session({ gogc: 50 });
    expect(shell.complete('./a').candidates).toEqual(['./app']);
    expect(shell.complete('export GOM').candidates).toEqual(['GOMEMLIMIT=']);
    expect(shell.complete('unset ').candidates).toEqual(['GOGC']);
    expect(shell.complete('gc ').candidates).toEqual(['now', 'step']);
  });
});

describe('a run the cycle limit cuts short', () => {
  it('says so and reports the time it reached, not the time asked for', async () => {
    const { run } = session({ workload: { allocRate: '1GiB', live: '64MiB' } });
    const r = await run('GOMEMLIMIT=32MiB ./app -for 5m');
    expect(r.lines[0]).toMatch(/^E: \(the run stopped after 2000 GC cycles, [0-9.ms]+ into it: this terminal's limit for one run\)$/);
    expect(r.lines[1]).toMatch(/^app: ran [0-9.ms]+ with GOGC=unset \(100\), GOMEMLIMIT=32MiB, GOMAXPROCS=4$/);
    expect(r.lines[1]).not.toContain('5m0s');
  });
});

describe('the live process under Green Tea', () => {
  it('heap shows the span queue mid-cycle; gc step prints the span scans', async () => {
    const { run } = session({ heap: { marker: 'greentea', objects: 24, fields: 4 } }, 2);
    await run('gc step 12');
    const heap = await run('heap');
    expect(heap.text.split('\n')[0]).toMatch(/^phase mark, step 12; barrier hybrid, marker greentea$/);
    expect(heap.text).toMatch(/^span queue: (-|span \d+( span \d+)*)$/m);
    expect((await run('gc step 1000')).text).toMatch(/^step \d+: scanSpan span \d+ \(class \d+(, one mark)?\): obj\d+/m);
  });
});

describe('GOMAXPROCS', () => {
  it('is read as schedinit reads it: a positive number is the P count, anything else the CPUs', async () => {
    const { run } = session({ gctrace: true, workload: { duration: '300ms' } });
    const first = async (line: string) => (await run(line)).lines[0];
    expect(await first('GOMAXPROCS=2 ./app')).toMatch(/^E: gc 1 .* ms clock, 0\.040\+.* 2 P$/);
    // More Ps than CPUs: the stop-the-world phases still use only the 4 CPUs (work.stwprocs).
    expect(await first('GOMAXPROCS=8 ./app')).toMatch(/^E: gc 1 .* ms clock, 0\.080\+.* 8 P$/);
    for (const v of ['abc', '0', '-3', '']) expect(await first(`GOMAXPROCS=${v} ./app`)).toMatch(/ 4 P$/);
    expect((await run('GOMAXPROCS=1000 ./app')).lines).toEqual(['E: ./app: GOMAXPROCS=1000 is more Ps than this terminal runs a program with (at most 256)']);
  });
});
