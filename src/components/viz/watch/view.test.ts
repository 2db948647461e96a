// The watch streams rebuilt from the trace: list -> watch from its rv -> events -> 410 Gone ->
// backoff -> relist -> watch -> the server's timeout -> watch again; and the view drawing them.
import { describe, expect, it } from 'vitest';
import {
  FakeClock,
  Replayer,
  TraceRecorder,
  newFakeControllerSource,
  newSharedIndexInformer,
  replayOnce,
  rngFromSeed,
  runUntilIdle,
  type KubeObject,
} from '../../../sim/index';
import { MAX_EVENTS, MAX_SEGMENTS, lanesReducer, type LanesState, type Segment } from './lanes';
import { createWatchView } from './view';

const pod = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' } }) as KubeObject;

async function drive(changes = 2) {
  const trace = new TraceRecorder();
  const clock = new FakeClock();
  const source = newFakeControllerSource<KubeObject>({ clock, trace, name: 'pods', honorTimeoutSeconds: true });
  source.add(pod('a'));
  const informer = newSharedIndexInformer<KubeObject>(source, { clock, trace, rng: rngFromSeed('lanes'), name: 'pods' });
  const done = informer.run();
  await runUntilIdle(clock, { forMs: 100 });
  for (let i = 0; i < changes; i++) source.modify(pod('a'));
  await runUntilIdle(clock, { forMs: 100 });
  source.expireWatches('too old resource version');
  await runUntilIdle(clock, { forMs: 5_000 });
  await runUntilIdle(clock, { forMs: 700_000 });
  informer.stop();
  await done;
  return trace.events;
}

/** A segment as one short line, to compare sequences. */
function line(seg: Segment): string {
  if (seg.kind === 'list') return `${seg.relist ? `relist(${seg.relist})` : 'list'} ${seg.requestRV}->${seg.rv}`;
  if (seg.kind === 'backoff') return 'backoff';
  const end = seg.end ? ` end:${seg.end.reason}${seg.end.code ? `/${seg.end.code}` : ''}${seg.server?.end?.reason === 'timeout' ? '/timeout' : ''}` : '';
  return `watch ${seg.fromRV} [${seg.events.map((e) => `${e.type} ${e.rv}`).join(', ')}]${end}`;
}

describe('watch lanes from the trace', () => {
  it('follow one reflector through list, watch, 410 Gone, backoff, relist, timeout and stop', async () => {
    const events = await drive();
    const s = replayOnce(lanesReducer, events);
    const lane = s.lanes.get('pods')!;
    expect(lane.source).toBe('pods');
    const lines = lane.segments.map(line);
    expect(lines.slice(0, 7)).toEqual([
      'list 0->1',
      'watch 1 [MODIFIED 2, MODIFIED 3] end:expired/410',
      'backoff',
      'relist(expired) 3->3',
      'watch 3 [] end:closed/timeout',
      'watch 3 [] end:stopped',
      'backoff',
    ]);
    expect(lane.counts).toMatchObject({ lists: 2, watches: 3, events: 2, gone: 1, timeouts: 1, relists: 1, backoffs: 2 });
    expect(lane.stopped).toBe(true);
    expect(lane.lastSyncRV).toBe('3');
  });

  it('keep a bounded state: the last segments and the last events of each watch, the rest counted', async () => {
    const events = await drive(MAX_EVENTS + 10);
    const lane = replayOnce(lanesReducer, events).lanes.get('pods')!;
    const watch = lane.segments.find((seg): seg is Extract<Segment, { kind: 'watch' }> => seg.kind === 'watch')!;
    expect(watch.total).toBe(MAX_EVENTS + 10);
    expect(watch.events).toHaveLength(MAX_EVENTS);
    expect(lane.segments.length).toBeLessThanOrEqual(MAX_SEGMENTS);
  });

  it('time travel gives the state replayed from scratch at any cursor', async () => {
    const events = await drive();
    const replayer = new Replayer(lanesReducer, events, { interval: 4 });
    const plain = (s: LanesState) => JSON.parse(JSON.stringify(s, (_k, v) => (v instanceof Map ? [...v] : v)));
    const rng = rngFromSeed('lanes-cursors');
    for (let i = 0; i < 50; i++) {
      const c = rng.int(events.length + 1);
      expect(plain(replayer.at(c))).toEqual(plain(replayOnce(lanesReducer, events, c)));
    }
  });

  it('the view draws lists, watches from their rv, events, 410 Gone and the timeout, and marks the current segment', async () => {
    const events = await drive();
    const root = { innerHTML: '', classList: { add() {} } } as unknown as HTMLElement;
    const view = createWatchView(root);
    view.render(events, events.length);
    const text = root.innerHTML.replace(/<span class="sr-only">[^<]*<\/span>/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toMatch(/LIST at rv 0 → 1 item at rv 1/);
    expect(text).toMatch(/WATCH from rv 1 .* 2 events/);
    expect(text).toMatch(/410 Gone \(Expired\): too old resource version/);
    expect(text).toMatch(/RELIST after the watch got 410 Gone at rv 3 → 1 item at rv 3/);
    expect(text).toMatch(/timeout ?: the server ended it at timeoutSeconds \d+/);
    expect(text).toMatch(/1 × 410 Gone/);
    const gone = events.findIndex((e) => e.type === 'reflector.watchEnded' && e.reason === 'expired');
    view.render(events, gone + 1);
    expect(root.innerHTML).toMatch(/<li class="kl-wl-seg is-watch is-current">/);
    view.render(events, 0);
    expect(root.innerHTML).toMatch(/No reflector has listed or watched yet/);
  });

  it('a bookmark counts apart from events and shows in the watch', () => {
    const trace = new TraceRecorder();
    trace.emit(0, 'reflector', 'reflector.watch', { reflector: 'r', rv: '5', timeoutSeconds: 300 });
    trace.emit(1, 'reflector', 'reflector.event', { reflector: 'r', eventType: 'BOOKMARK', key: '', rv: '9' });
    const s = replayOnce(lanesReducer, trace.events);
    const lane = s.lanes.get('r')!;
    expect(lane.counts.bookmarks).toBe(1);
    expect(lane.counts.events).toBe(0);
    expect(lane.lastSyncRV).toBe('9');
    const root = { innerHTML: '', classList: { add() {} } } as unknown as HTMLElement;
    createWatchView(root).render(trace.events, 2);
    expect(root.innerHTML).toContain('kl-wl-ev is-bookmark is-current');
  });
});
