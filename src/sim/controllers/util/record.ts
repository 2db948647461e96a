/**
 * Events a controller records on an object, as client-go's EventRecorder writes them through the
 * core/v1 Events API (tools/record: `recorder.generateEvent`, `makeEvent`). Best effort, as
 * upstream's broadcaster: a failed write is dropped.
 */
import type { Clientset } from '../../client/clientset';
import type { FakeClock } from '../../core/clock';
import type { KubeObject } from '../../core/object';
import { rfc3339 } from '../../apiserver/registry/strategy';

export type EventRecorder = (obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string) => void;

/** An EventRecorder writing core/v1 Events from `component` (Go: `EventSource{Component}`). */
// Upstream: client-go tools/record/event.go (recorder.generateEvent, makeEvent)
export function newEventRecorder(client: Clientset, clock: FakeClock, component: string): EventRecorder {
  // Go names an event `<object>.<UnixNano in hex>`; virtual time repeats a millisecond often, so later events in one add a nanosecond each.
  let lastMs = -1;
  let seq = 0;
  return (obj, type, reason, message) => {
    const now = clock.now();
    seq = now === lastMs ? seq + 1 : 0;
    lastMs = now;
    const ns = obj.metadata.namespace || 'default';
    const ts = rfc3339(now);
    const event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${obj.metadata.name}.${(now * 1_000_000 + seq).toString(16)}`, namespace: ns },
      involvedObject: { kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name, uid: obj.metadata.uid, apiVersion: obj.apiVersion, resourceVersion: obj.metadata.resourceVersion },
      reason,
      message,
      source: { component },
      firstTimestamp: ts,
      lastTimestamp: ts,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: component,
      reportingInstance: '',
    };
    void client.coreV1().events(ns).create(event as unknown as KubeObject).catch(() => undefined);
  };
}
