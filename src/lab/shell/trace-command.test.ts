import { describe, expect, it } from 'vitest';
import { TraceRecorder, formatWorkqueueEvent, newQueue, type TraceEvent } from '../../sim/index';
import { createShell, type ShellIO } from './index';
import { registerTraceCommand } from './trace-command';

async function setup(withRun = true, shown: number[] = []) {
  let events: readonly TraceEvent[] = [];
  if (withRun) {
    const trace = new TraceRecorder();
    const q = newQueue<string>({ name: 'pods', trace });
    q.add('a');
    q.add('b');
    q.add('a');
    const { item } = await q.get();
    q.done(item!);
    const other = newQueue<string>({ name: 'nodes', trace });
    other.add('n1');
    events = trace.events;
  }
  const shell = registerTraceCommand(createShell(), { events: () => events, format: formatWorkqueueEvent, show: (n) => shown.push(n) });
  const out: string[] = [];
  const err: string[] = [];
  const io: ShellIO = { print: (t) => out.push(...t.split('\n')), error: (t) => err.push(t), clear() {} };
  return { shell, io, out, err, events };
}

describe('trace command', () => {
  it('prints the events without metrics, numbered by their place on the timeline', async () => {
    const { shell, io, out, events } = await setup();
    expect(await shell.execute('trace', io)).toBe(0);
    const lines = out.slice(0, -1);
    expect(lines.map((l) => l.replace(/^#\d+\s+t=0ms\s+/, ''))).toEqual([
      'pods  new queue',
      'pods  add a -> queued (len 1)',
      'pods  add b -> queued (len 2)',
      'pods  add a -> deduped (len 2)',
      'pods  get a (waited 0ms, len 1)',
      'pods  done a (worked 0ms) -> finished (len 1)',
      'nodes  new queue',
      'nodes  add n1 -> queued (len 1)',
    ]);
    // #N is the index on the timeline (metrics included in the count).
    const addB = events.findIndex((e) => e.type === 'workqueue.add' && e.item === 'b');
    expect(lines[2]).toMatch(new RegExp(`^#${addB + 1}\\s`));
    expect(out.at(-1)).toMatch(new RegExp(`^8 of ${events.length} events; `));
  });

  it('filters by type, item and queue, and keeps the last N', async () => {
    const { shell, io, out } = await setup();
    await shell.execute('trace --type add --item a --queue pods', io);
    expect(out.slice(0, -1).map((l) => l.replace(/^#\d+\s+t=0ms\s+/, ''))).toEqual(['pods  add a -> queued (len 1)', 'pods  add a -> deduped (len 2)']);
    out.length = 0;
    await shell.execute('trace -n 1 --queue pods', io);
    expect(out[0]).toMatch(/done a/);
    expect(out[1]).toMatch(/1 of \d+ events \(5 earlier matches not shown\)/);
    out.length = 0;
    await shell.execute('trace --type metric -n 2', io);
    expect(out.slice(0, 2).every((l) => / metric /.test(l))).toBe(true);
  });

  it('says when there is nothing to show, and refuses bad options with the usage', async () => {
    const empty = await setup(false);
    expect(await empty.shell.execute('trace', empty.io)).toBe(0);
    expect(empty.out).toEqual(['no trace yet: run your code first (run, or Ctrl+Enter)']);
    const { shell, io, out, err } = await setup();
    expect(await shell.execute('trace --item zzz', io)).toBe(1);
    expect(out[0]).toMatch(/^no events match \(the run has \d+ events\)$/);
    expect(await shell.execute('trace -n 0', io)).toBe(2);
    expect(await shell.execute('trace --colour', io)).toBe(2);
    expect(await shell.execute('trace --type', io)).toBe(2);
    expect(err.join('\n')).toMatch(/-n needs a positive integer, not 0[\s\S]*unknown option: --colour[\s\S]*--type needs a value/);
  });

  it('completes options, the values seen in the trace, and the event types its models declare', async () => {
    const { shell } = await setup();
    expect(shell.complete('trace --').candidates).toEqual(['--item', '--metrics', '--queue', '--type']);
    expect(shell.complete('trace --item ').candidates).toEqual(['a', 'b', 'n1']);
    expect(shell.complete('trace --queue p').candidates).toEqual(['pods']);
    // `add` was emitted; addAfter and addRateLimited are declared by the workqueue's event catalog.
    expect(shell.complete('trace --type ad').candidates).toEqual(['add', 'addAfter', 'addRateLimited']);
  });

  it('goto moves the timeline to an event the trace printed, within the run', async () => {
    const shown: number[] = [];
    const { shell, io, out, err } = await setup(true, shown);
    expect(await shell.execute('goto 2', io)).toBe(0);
    expect(out).toEqual(['timeline at #2: t=0ms      pods  add a -> queued (len 1)']);
    expect(await shell.execute('goto 0', io)).toBe(0);
    expect(await shell.execute('goto 999', io)).toBe(2);
    expect(await shell.execute('goto x', io)).toBe(2);
    expect(shown).toEqual([2, 0]);
    expect(err.join('\n')).toMatch(/#999 is past its end[\s\S]*needs one event number/);
    const bare = registerTraceCommand(createShell(), { events: () => [], format: String });
    expect(bare.has('goto')).toBe(false);
  });
});
