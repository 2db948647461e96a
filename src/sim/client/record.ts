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
import { rfc3339 } from '../apiserver/registry/strategy';

export interface EventSource {
  component: string;
  host?: string;
}

export interface EventRecorder {
  /** Go: `Eventf`; resolves once the write was tried. */
  event(object: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void>;
}

/** Go: `util.GenerateEventName`. */
export function generateEventName(refName: string, unixNano: number): string {
  return `${refName}.${unixNano.toString(16)}`;
}

/**
 * Go: `EventBroadcaster.NewRecorder(scheme, source)` writing through `client`. Go names an event
 * after the wall clock's nanoseconds, which never repeat; virtual time repeats a millisecond often
 * (a controller records several events in one sync), so an event recorded in the same virtual
 * millisecond as the previous one is named a nanosecond later rather than refused as AlreadyExists.
 */
export function newEventRecorder(client: Clientset, clock: FakeClock, source: EventSource): EventRecorder {
  let lastMs = -1;
  let seq = 0;
  return {
    async event(object, type, reason, message) {
      const now = clock.now();
      seq = now === lastMs ? seq + 1 : 0;
      lastMs = now;
      const stamp = rfc3339(now);
      const m = object.metadata;
      const namespace = m.namespace || 'default';
      const [group, version] = (object.apiVersion ?? 'v1').includes('/') ? (object.apiVersion ?? '').split('/') : ['', object.apiVersion ?? 'v1'];
      const event = {
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
      try {
        await client.coreV1().events(namespace).create(event as unknown as KubeObject);
      } catch {
        // Best effort, as the broadcaster's sink: a failed write is dropped.
      }
    },
  };
}
