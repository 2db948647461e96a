/**
 * The core/v1 event recorder controllers use: client-go v0.34.0 tools/record/event.go
 * (`recorderImpl.makeEvent`, `generateEvent`) and util/reference. An event is named
 * `<object>.<unix nanoseconds in hex>`, stamped with the virtual clock, and written best effort.
 * Shared by every controller model.
 * Divergence: no EventCorrelator, so a repeated event is a new Event rather than a count bump on
 * the old one (the correlator's aggregation and spam filter are not modelled).
 */
import type { FakeClock } from '../core/clock';
import type { KubeObject } from '../core/object';
import type { Clientset } from './clientset';
import { StrategicMergePatchType } from '../apimachinery/patch';
import { rfc3339 } from '../apiserver/registry/strategy';

export interface EventSource {
  component: string;
  host?: string;
}

export interface EventRecorder {
  /** Go: `Eventf`; resolves once the write was tried. */
  event(object: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, options?: EventOptions): Promise<void>;
}

/** Go: `util.GenerateEventName`. */
export function generateEventName(refName: string, unixNano: number): string {
  return `${refName}.${unixNano.toString(16)}`;
}

/** What `event` may add: the involved object's field path (`spec.containers{nginx}`, as the kubelet sets it). */
export interface EventOptions {
  fieldPath?: string;
}

/**
 * Go: `EventBroadcaster.NewRecorder(scheme, source)` writing through `client`, each event passed
 * through the broadcaster's EventCorrelator first: a repeat of an event is a PATCH of the first
 * one's count and lastTimestamp (what `kubectl describe` shows as `(x7 over 3m)`), the eleventh
 * distinct message of one reason within 10 minutes is combined, and an object's source gets a burst
 * of 25 events and then one per 5 minutes. Go names an event after the wall clock's nanoseconds,
 * which never repeat; virtual time repeats a millisecond often (a controller records several
 * events in one sync), so an event recorded in the same virtual millisecond as the previous one is
 * named a nanosecond later rather than refused as AlreadyExists.
 */
// Upstream: tools/record/event.go (recorderImpl.generateEvent, recordToSink, recordEvent)
export function newEventRecorder(client: Clientset, clock: FakeClock, source: EventSource): EventRecorder {
  let lastMs = -1;
  let seq = 0;
  const correlator = newEventCorrelator(clock);
  let queue: Promise<void> = Promise.resolve();
  return {
    async event(object, type, reason, message, options: EventOptions = {}) {
      const now = clock.now();
      seq = now === lastMs ? seq + 1 : 0;
      lastMs = now;
      const stamp = rfc3339(now);
      const m = object.metadata;
      const namespace = m.namespace || 'default';
      const [group, version] = (object.apiVersion ?? 'v1').includes('/') ? (object.apiVersion ?? '').split('/') : ['', object.apiVersion ?? 'v1'];
      const event: CoreEvent = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: generateEventName(m.name ?? '', now * 1_000_000 + seq), namespace },
        involvedObject: {
          kind: object.kind,
          ...(m.namespace ? { namespace: m.namespace } : {}),
          name: m.name,
          uid: m.uid,
          apiVersion: group ? `${group}/${version}` : version,
          resourceVersion: m.resourceVersion,
          ...(options.fieldPath ? { fieldPath: options.fieldPath } : {}),
        },
        reason,
        message,
        source,
        firstTimestamp: stamp,
        lastTimestamp: stamp,
        count: 1,
        type,
        eventTime: null,
        reportingComponent: '',
        reportingInstance: '',
      };
      // The broadcaster's watcher handles one event at a time (correlate, then write): a repeat is
      // correlated only after the first one's write came back with its name.
      const write = async () => {
        const result = correlator.eventCorrelate(event, now * 1_000_000 + seq);
        if (result.skip) return;
        const events = client.coreV1().events(namespace);
        // Best effort, as the broadcaster's sink: a failed write is dropped.
        try {
          let written: KubeObject | undefined;
          if (result.patch) {
            try {
              written = await events.patch(result.event.metadata.name, StrategicMergePatchType, result.patch);
            } catch (err) {
              if ((err as { status?: { code?: number } }).status?.code !== 404) throw err;
            }
          }
          written ??= await events.create({ ...result.event, metadata: { ...result.event.metadata, resourceVersion: undefined } } as unknown as KubeObject);
          correlator.updateState(written as unknown as CoreEvent);
        } catch {
          // dropped
        }
      };
      queue = queue.then(write);
      return queue;
    },
  };
}

/** The core/v1 Event fields the correlator reads and writes. */
export interface CoreEvent {
  apiVersion: 'v1';
  kind: 'Event';
  metadata: { name: string; namespace: string; resourceVersion?: string };
  involvedObject: { kind?: string; namespace?: string; name?: string; uid?: string; apiVersion?: string; resourceVersion?: string; fieldPath?: string };
  reason: string;
  message: string;
  source: EventSource;
  firstTimestamp: string;
  lastTimestamp: string;
  count: number;
  type: string;
  eventTime: null;
  reportingComponent: string;
  reportingInstance: string;
}

const maxLruCacheEntries = 4096;
const defaultAggregateMaxEvents = 10;
const defaultAggregateIntervalMs = 600_000;
const defaultSpamBurst = 25;
const defaultSpamQps = 1 / 300;

/** A small LRU (k8s.io/utils/lru): the least recently used key goes when full. */
class Lru<V> {
  readonly #map = new Map<string, V>();
  constructor(readonly size: number) {}
  get(key: string): V | undefined {
    const v = this.#map.get(key);
    if (v !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, v);
    }
    return v;
  }
  add(key: string, v: V): void {
    this.#map.delete(key);
    this.#map.set(key, v);
    if (this.#map.size > this.size) this.#map.delete(this.#map.keys().next().value as string);
  }
}

const io = (e: CoreEvent) => e.involvedObject;
// Upstream: tools/record/events_cache.go (getEventKey)
const getEventKey = (e: CoreEvent) => [e.source.component, e.source.host ?? '', io(e).kind, io(e).namespace, io(e).name, io(e).fieldPath, io(e).uid, io(e).apiVersion, e.type, e.reason, e.message].map((x) => x ?? '').join('');
// Upstream: events_cache.go (getSpamKey)
const getSpamKey = (e: CoreEvent) => [e.source.component, e.source.host ?? '', io(e).kind, io(e).namespace, io(e).name, io(e).uid, io(e).apiVersion, e.type].map((x) => x ?? '').join('');
// Upstream: events_cache.go (EventAggregatorByReasonFunc)
const aggregateKeyOf = (e: CoreEvent) => [e.source.component, e.source.host ?? '', io(e).kind, io(e).namespace, io(e).name, io(e).uid, io(e).apiVersion, e.type, e.reason, e.reportingComponent, e.reportingInstance].map((x) => x ?? '').join('');

export interface EventCorrelateResult {
  event: CoreEvent;
  /** A strategic merge patch of the existing event (count, lastTimestamp, message) when this one repeats it. */
  patch?: { count: number; lastTimestamp: string; message: string };
  skip: boolean;
}

/**
 * client-go's EventCorrelator: the aggregator, the event logger (dedupe by count) and the
 * per-object spam filter (a passive token bucket of 25, refilled at one per 300 s).
 */
// Upstream: tools/record/events_cache.go (NewEventCorrelator, EventCorrelate, UpdateState)
export function newEventCorrelator(clock: { now(): number }) {
  const aggregates = new Lru<{ localKeys: Set<string>; lastMs: number }>(maxLruCacheEntries);
  const observed = new Lru<{ count: number; firstTimestamp: string; name: string; resourceVersion?: string }>(maxLruCacheEntries);
  const spam = new Lru<{ tokens: number; lastMs: number }>(maxLruCacheEntries);

  // Upstream: events_cache.go (EventAggregator.EventAggregate)
  const aggregate = (e: CoreEvent, nowNs: number): [CoreEvent, string] => {
    const now = clock.now();
    const key = aggregateKeyOf(e);
    let record = aggregates.get(key);
    if (!record || now - record.lastMs > defaultAggregateIntervalMs) record = { localKeys: new Set(), lastMs: now };
    record.localKeys.add(e.message);
    record.lastMs = now;
    aggregates.add(key, record);
    if (record.localKeys.size < defaultAggregateMaxEvents) return [e, getEventKey(e)];
    record.localKeys.delete(record.localKeys.values().next().value as string);
    const stamp = rfc3339(now);
    const combined: CoreEvent = { ...e, metadata: { name: generateEventName(io(e).name ?? '', nowNs), namespace: e.metadata.namespace }, count: 1, firstTimestamp: stamp, lastTimestamp: stamp, message: `(combined from similar events): ${e.message}` };
    return [combined, key];
  };

  // Upstream: events_cache.go (EventSourceObjectSpamFilter.Filter) over flowcontrol's passive token bucket
  const filter = (e: CoreEvent): boolean => {
    const now = clock.now();
    const key = getSpamKey(e);
    const r = spam.get(key) ?? { tokens: defaultSpamBurst, lastMs: now };
    r.tokens = Math.min(defaultSpamBurst, r.tokens + ((now - r.lastMs) / 1000) * defaultSpamQps);
    r.lastMs = now;
    const accept = r.tokens >= 1;
    if (accept) r.tokens -= 1;
    spam.add(key, r);
    return !accept;
  };

  return {
    eventCorrelate(e: CoreEvent, nowNs: number): EventCorrelateResult {
      const [agg, key] = aggregate(e, nowNs);
      // Upstream: events_cache.go (eventLogger.eventObserve)
      const last = observed.get(key);
      let event = agg;
      let patch: EventCorrelateResult['patch'];
      if (last && last.count > 0) {
        event = { ...agg, metadata: { ...agg.metadata, name: last.name, resourceVersion: last.resourceVersion }, firstTimestamp: last.firstTimestamp, count: last.count + 1 };
        patch = { count: event.count, lastTimestamp: event.lastTimestamp, message: event.message };
      }
      observed.add(key, { count: event.count, firstTimestamp: event.firstTimestamp, name: event.metadata.name, resourceVersion: event.metadata.resourceVersion });
      if (filter(event)) return { event, skip: true };
      return { event, patch, skip: false };
    },
    updateState(e: CoreEvent): void {
      observed.add(getEventKey(e), { count: e.count, firstTimestamp: e.firstTimestamp, name: e.metadata.name, resourceVersion: e.metadata.resourceVersion });
    },
  };
}
