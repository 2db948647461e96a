/**
 * The endpoint controllers' event recorder: the fields of client/record.ts (client-go
 * tools/record `makeEvent`, `generateEvent`), with one addition. Go names an event
 * `<object>.<UnixNano in hex>`, which real time never repeats; virtual time repeats a
 * millisecond often (a controller records several events on one Service within one sync), and
 * the second write would fail with AlreadyExists and be dropped. So an event recorded in the same
 * virtual millisecond as the previous one is named a nanosecond later. Once client/record.ts does
 * the same, this file can go.
 */
import type { Clientset } from '../../client/clientset';
import { generateEventName, type EventSource } from '../../client/record';
import { rfc3339 } from '../../apiserver/registry/strategy';
import type { FakeClock } from '../../core/clock';
import type { KubeObject } from '../../core/object';

export type EventRecorder = (obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string) => void;

// Upstream: client-go tools/record/event.go (recorderImpl.generateEvent, makeEvent)
export function newEventRecorder(client: Clientset, clock: FakeClock, source: EventSource): EventRecorder {
  let lastMs = -1;
  let seq = 0;
  return (obj, type, reason, message) => {
    const now = clock.now();
    seq = now === lastMs ? seq + 1 : 0;
    lastMs = now;
    const m = obj.metadata;
    const namespace = m.namespace || 'default';
    const stamp = rfc3339(now);
    const event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: generateEventName(m.name ?? '', now * 1_000_000 + seq), namespace },
      involvedObject: { kind: obj.kind, ...(m.namespace ? { namespace: m.namespace } : {}), name: m.name, uid: m.uid, apiVersion: obj.apiVersion ?? 'v1', resourceVersion: m.resourceVersion },
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
    // Best effort, as the broadcaster's sink: a failed write is dropped.
    void client.coreV1().events(namespace).create(event as unknown as KubeObject).catch(() => undefined);
  };
}
