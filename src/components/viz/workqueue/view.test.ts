import { describe, expect, it } from 'vitest';
import { FakeClock, TraceRecorder, newDelayingQueue, newQueue } from '../../../sim/index';
import { createWorkqueueView } from './view';

/** The view only needs a root with `innerHTML` and `classList.add` (no DOM in unit tests). */
function fakeRoot() {
  return { innerHTML: '', classList: { add() {} } } as unknown as HTMLElement;
}

/** Chip texts of one lane (`queue`, `dirty`, `processing`, `delayed`) in the rendered HTML. */
function lane(html: string, name: string): string[] {
  const m = new RegExp(`<dt[^>]*>${name} <span[^>]*>\\d+</span></dt><dd>(.*?)</dd>`, 's').exec(html);
  if (!m) throw new Error(`lane ${name} not found`);
  return [...m[1].matchAll(/<li class="kl-wq-chip[^"]*">([^<]*)/g)].map((x) => x[1]);
}

describe('workqueue view', () => {
  it('draws the state after `cursor` events, so scrubbing back and forth is exact', async () => {
    const trace = new TraceRecorder();
    const q = newQueue<string>({ name: 'pods', trace });
    q.add('a');
    q.add('b');
    q.add('a'); // deduped
    const marks = { afterAdds: trace.events.length };
    const got = await q.get(); // a -> processing
    expect(got.item).toBe('a');
    q.add('a'); // deferred: dirty again, not queued
    const root = fakeRoot();
    const view = createWorkqueueView(root);

    view.render(trace.events, trace.events.length);
    expect(lane(root.innerHTML, 'queue')).toEqual(['b']);
    expect(lane(root.innerHTML, 'processing')).toEqual(['a']);
    expect(lane(root.innerHTML, 'dirty').sort()).toEqual(['a', 'b']);

    view.render(trace.events, marks.afterAdds);
    expect(lane(root.innerHTML, 'queue')).toEqual(['a', 'b']);
    expect(lane(root.innerHTML, 'processing')).toEqual([]);

    view.render(trace.events, 0);
    expect(root.innerHTML).toMatch(/No workqueue has been created yet/);
  });

  it('shows delayed items with their ready times, and escapes item text', () => {
    const trace = new TraceRecorder();
    const clock = new FakeClock();
    const q = newDelayingQueue<string>({ name: 'delayed', clock, trace });
    q.addAfter('<b>x</b>', 150);
    const root = fakeRoot();
    createWorkqueueView(root).render(trace.events, trace.events.length);
    expect(root.innerHTML).toContain('&lt;b&gt;x&lt;/b&gt; <span class="kl-wq-at">@150ms</span>');
    expect(root.innerHTML).not.toContain('<b>x</b>');
  });

  it('flags a queue that is shutting down', () => {
    const trace = new TraceRecorder();
    const q = newQueue<string>({ name: 'q', trace });
    q.shutDown();
    const root = fakeRoot();
    createWorkqueueView(root).render(trace.events, trace.events.length);
    expect(root.innerHTML).toMatch(/shutting down/);
  });

  it('shows one busy worker per processing item and the workers blocked in get()', async () => {
    const trace = new TraceRecorder();
    const q = newQueue<string>({ name: 'w', trace });
    q.add('a');
    await q.get(); // a busy worker holds a
    const waiting = [q.get(), q.get()]; // two workers block in get()
    const root = fakeRoot();
    const view = createWorkqueueView(root);
    view.render(trace.events, trace.events.length);
    const workers = [...root.innerHTML.matchAll(/<li class="kl-wq-chip kl-wq-worker[^"]*">([^<]*)/g)].map((m) => m[1]);
    expect(workers).toEqual(['busy: a', 'waiting in get()', 'waiting in get()']);
    q.shutDown();
    await Promise.all(waiting);
  });
});
