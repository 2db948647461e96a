// The event recorder's correlator, after client-go v0.34.0 tools/record/events_cache_test.go
// (TestEventCorrelator's table, TestEventAggregatorByReasonMessageFunc) and an end-to-end check
// that a repeated event becomes one Event with a count on the API server.
import { describe, expect, it } from 'vitest';
import { newLabCluster } from '../cluster/index';
import type { KubeObject } from '../core/object';
import { newClientset } from './clientset';
import { newEventCorrelator, newEventRecorder, type CoreEvent } from './record';

const ref = (name: string, namespace: string, fieldPath?: string) => ({ kind: 'Pod', name, namespace, uid: `${name}-uid`, apiVersion: 'v1', ...(fieldPath ? { fieldPath } : {}) });
const makeEvent = (reason: string, message: string, involvedObject: CoreEvent['involvedObject']): CoreEvent => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: `${involvedObject.name}.${reason}`, namespace: involvedObject.namespace ?? 'default' },
  involvedObject,
  reason,
  message,
  source: { component: 'kubelet', host: 'kublet.node1' },
  firstTimestamp: '',
  lastTimestamp: '',
  count: 1,
  type: 'Normal',
  eventTime: null,
  reportingComponent: '',
  reportingInstance: '',
});
const times = (n: number, e: CoreEvent) => Array.from({ length: n }, () => ({ ...e }));
const similar = (n: number, e: CoreEvent, prefix: string) => times(n, e).map((x, i) => ({ ...x, message: `${prefix}-${i}-${x.message}` }));
const unique = (n: number) => Array.from({ length: n }, (_, i) => makeEvent(`reason-${i}`, `message-${i}`, ref(`pod-${i}`, `ns-${i}`)));

const first = makeEvent('first', 'i am first', ref('my-pod', 'my-ns'));
const duplicate = makeEvent('duplicate', 'me again', ref('my-pod', 'my-ns'));
const uniqueEvent = makeEvent('unique', 'snowflake', ref('my-pod', 'my-ns'));
const similarEvent = makeEvent('similar', 'similar message', ref('my-pod', 'my-ns', 'spec.containers{container1}'));
const otherContainer = { ...similarEvent, involvedObject: { ...similarEvent.involvedObject, fieldPath: 'spec.containers{container2}' } };
const combined = '(combined from similar events): similar message';

describe('EventCorrelator (TestEventCorrelator)', () => {
  it.each([
    ['create-a-single-event', [], first, 5, { count: 1, message: 'i am first' }],
    ['the-same-event-should-just-count', times(1, duplicate), duplicate, 5, { count: 2, message: 'me again' }],
    ['the-same-event-should-just-count-even-if-more-than-aggregate', times(10, duplicate), duplicate, 30, { count: 11, message: 'me again' }],
    ['the-same-event-is-spam-if-happens-too-frequently', times(26, duplicate), duplicate, 1, 'skip'],
    ['create-many-unique-events', unique(30), uniqueEvent, 5, { count: 1, message: 'snowflake' }],
    ['similar-events-should-aggregate-event', similar(9, similarEvent, similarEvent.message), similarEvent, 5, { count: 1, message: combined }],
    ['similar-events-many-times-should-count-the-aggregate', similar(10, similarEvent, similarEvent.message), similarEvent, 5, { count: 2, message: combined }],
    ['events-from-different-containers-do-not-aggregate', times(1, otherContainer), similarEvent, 5, { count: 1, message: 'similar message' }],
    ['similar-events-whose-interval-is-greater-than-aggregate-interval-do-not-aggregate', similar(9, similarEvent, similarEvent.message), similarEvent, 600, { count: 1, message: 'similar message' }],
  ] as const)('%s', (_name, previous, next, intervalSeconds, expected) => {
    // SimpleIntervalClock: every reading of the clock moves it by the interval.
    let t = 0;
    const clock = { now: () => (t += intervalSeconds * 1000) };
    const c = newEventCorrelator(clock);
    for (const e of previous) {
      const r = c.eventCorrelate({ ...e }, t * 1e6);
      if (!r.skip) c.updateState(r.event);
    }
    const r = c.eventCorrelate({ ...next }, t * 1e6);
    if (expected === 'skip') return expect(r.skip).toBe(true);
    expect(r.skip).toBe(false);
    expect({ count: r.event.count, message: r.event.message }).toEqual(expected);
  });
});

describe('newEventRecorder', () => {
  it('a repeated event is one Event whose count and lastTimestamp grow (kubectl describe: x3 over 20s)', async () => {
    const cluster = await newLabCluster();
    const cs = newClientset(cluster.apiServer, { qps: -1 });
    const pod = (await cs.coreV1().pods('default').create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } as KubeObject)) as KubeObject;
    const rec = newEventRecorder(cs, cluster.clock, { component: 'kubelet', host: 'node-1' });
    for (let i = 0; i < 3; i++) {
      await rec.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container web in pod web_default(uid)', { fieldPath: 'spec.containers{web}' });
      cluster.clock.step(10_000);
    }
    const events = (await cs.coreV1().events('default').list()).items as unknown as CoreEvent[];
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ count: 3, reason: 'BackOff', involvedObject: { fieldPath: 'spec.containers{web}', name: 'web' } });
    expect(Date.parse(events[0].lastTimestamp) - Date.parse(events[0].firstTimestamp)).toBe(20_000);
  });
});
