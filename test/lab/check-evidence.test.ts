// What a check observes cannot be forged by the learner code it calls (issue 7: learner code
// could make Check pass without the right answer). The check's recorder is reachable neither
// through activeTrace() (learner code gets the run's recorder) nor through the models the check
// hands over (their state, emitters and environment are #private); the stall watchdog tells a
// long simulation from code that waits on nothing.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/lab/checks';
import type { LabChecks } from '../../src/lab/host';
import { newDelayingQueue, newQueue, type Queue } from '../../src/sim/index';
import { runInHost } from './run-host';

const fakeLab = (checks: Record<string, unknown>): (() => Promise<LabChecks>) => async () => ({
  checks,
  steps: Object.keys(checks).map((name) => ({ check: name })),
});

const ATTACK = `import { activeTrace, type Queue } from 'kubelab';
export function attack(q: Queue<string>): string[] {
  const tried: string[] = [];
  const t = activeTrace();
  // 1. forge evidence in the recorder activeTrace() gives
  t?.emit(0, 'workqueue', 'workqueue.add', { queue: q.name, item: 'forged', result: 'queued', len: 1 });
  // 2. reach the queue's insides
  const any = q as unknown as Record<string, any>;
  for (const field of ['dirty', 'processing', 'queue', 'events', 'metrics', 'trace', 'env']) {
    if (any[field] !== undefined) tried.push(field);
  }
  tried.push('keys:' + Object.keys(q).join(','));
  return tried;
}
`;

describe('check evidence', () => {
  it("learner code reaches neither the check's recorder nor its queue's internals", async () => {
    let seen: string[] = [];
    let checkEvents: string[] = [];
    const lab = fakeLab({
      evidence: check('forging', async ({ learner, trace }) => {
        const q = newQueue<string>({ name: 'check' });
        q.add('real');
        seen = (learner.attack as (q: Queue<string>) => string[])(q);
        checkEvents = trace.events.filter((e) => e.type === 'workqueue.add').map((e) => String(e.item));
        expect(q.snapshot().dirty).toEqual(['real']);
      }),
    });
    const out = await runInHost(ATTACK, { mode: 'check', host: { loadLab: lab } });
    expect(out.errors).toEqual([]);
    expect(out.checks).toEqual([expect.objectContaining({ name: 'evidence', passed: true })]);
    // The forged event went to the run's own recorder, never to the check's.
    expect(checkEvents).toEqual(['real']);
    // No internal field is reachable; the only own keys are the public read-only ones.
    expect(seen).toEqual(['keys:clock,name']);
  });

  it("in a Run, activeTrace() is the run's recorder: what the learner emits shows in the run's trace", async () => {
    const out = await runInHost(`import { activeTrace, newQueue } from 'kubelab';
newQueue({ name: 'mine' }).add('a');
activeTrace()?.emit(0, 'demo', 'demo.note', { text: 'hello' });
console.log(activeTrace()?.events.filter((e) => e.queue === 'mine').length);
`);
    expect(out.errors).toEqual([]);
    expect(Number(out.stdout.trim())).toBeGreaterThan(0);
    const types = out.messages.flatMap((m) => (m.type === 'trace' ? m.events.map((e) => e.type) : []));
    expect(types).toContain('demo.note');
  });

  it('host hooks are not part of the learner API', async () => {
    const out = await runInHost(`import * as k from 'kubelab';
console.log(['useEnv', 'setActiveTrace', 'setQuiescenceBarrier', 'quiescenceCount'].map((n) => typeof (k as Record<string, unknown>)[n]).join(' '));
`);
    expect(out.errors).toEqual([]);
    expect(out.stdout).toBe('undefined undefined undefined undefined\n');
  });

  it('a delaying queue handed to learner code exposes no heap, timer or inner queue', () => {
    const q = newDelayingQueue<string>({ name: 'd' }) as unknown as Record<string, unknown>;
    expect(Object.keys(q).sort()).toEqual(['clock', 'name']);
    for (const field of ['queue', 'waitingForQueue', 'waitingEntryByData', 'nextReadyAtTimer', 'events', 'metrics']) expect(q[field], field).toBeUndefined();
  });
});

describe('the stall watchdog', () => {
  it('does not stop a simulation that keeps making progress for longer than the stall time', async () => {
    // Thousands of clock moves, each reaching quiescence: well over 60 ms of wall time here.
    const out = await runInHost(
      `import { FakeClock, newDelayingQueue, runUntilIdle } from 'kubelab';
const clock = new FakeClock();
const q = newDelayingQueue<number>({ clock, name: 'long' });
let handled = 0;
for (let i = 0; i < 4000; i++) q.addAfter(i, i + 1);
void (async () => { for (;;) { const { item, shutdown } = await q.get(); if (shutdown) return; handled++; q.done(item!); } })();
await runUntilIdle(clock, { forMs: 10_000 });
console.log(handled);
`,
      { host: { stallMs: 60 } },
    );
    expect(out.errors).toEqual([]);
    expect(out.stdout).toBe('4000\n');
  });

  it('still stops code that waits on a promise nothing will settle', async () => {
    const out = await runInHost(`import { newQueue } from 'kubelab';\nawait newQueue().get();\n`, { host: { stallMs: 60 } });
    expect(out.errors).toEqual([expect.objectContaining({ kind: 'runtime', message: expect.stringMatching(/stopped making progress/) })]);
  });
});
