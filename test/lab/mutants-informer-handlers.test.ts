// The informer-handlers checks catch the mistakes they are written for.
import { defineMutants } from './mutants';

const lab = 'informer-handlers';

defineMutants([
  {
    name: 'keys without the namespace',
    lab,
    from: 'queue.add(deletionHandlingMetaNamespaceKeyFunc(obj))',
    to: 'queue.add(obj instanceof DeletedFinalStateUnknown ? obj.key.split("/")[1] : obj.metadata.name!)',
    fails: ['queuesKeys'],
    passes: ['indexesByNode', 'leavesCacheUntouched', 'predictsNotifications'],
  },
  {
    name: 'the pod object on the queue instead of its key',
    lab,
    from: 'queue.add(deletionHandlingMetaNamespaceKeyFunc(obj))',
    to: 'queue.add(obj as unknown as string)',
    fails: ['queuesKeys', 'handlesTombstones'],
    passes: ['indexesByNode', 'leavesCacheUntouched'],
  },
  {
    name: 'status-only updates skipped (only spec and metadata compared)',
    lab,
    from: 'if (oldPod.metadata.resourceVersion === newPod.metadata.resourceVersion) return;',
    to: 'if (JSON.stringify(oldPod.spec) === JSON.stringify(newPod.spec) && JSON.stringify(oldPod.metadata.labels) === JSON.stringify(newPod.metadata.labels)) return;',
    fails: ['queuesKeys'],
    passes: ['indexesByNode', 'handlesTombstones', 'leavesCacheUntouched'],
  },
  {
    name: "Pending pods filed under ''",
    lab,
    from: "if (nodeName === '') return [];",
    to: '',
    fails: ['indexesByNode'],
    passes: ['queuesKeys', 'handlesTombstones', 'leavesCacheUntouched'],
  },
  {
    name: 'no index added',
    lab,
    from: 'informer.addIndexers({ [NodeNameIndex]: podNodeName });',
    to: '',
    fails: ['indexesByNode'],
    passes: ['queuesKeys', 'handlesTombstones'],
  },
  {
    name: 'deleteFunc reads metadata without checking for a tombstone',
    lab,
    from: 'enqueue(obj);\n    },\n  });',
    to: 'queue.add(`${(obj as Pod).metadata.namespace}/${(obj as Pod).metadata.name}`);\n    },\n  });',
    fails: ['handlesTombstones'],
    passes: ['queuesKeys', 'indexesByNode', 'leavesCacheUntouched'],
  },
  {
    name: 'deleteFunc ignores tombstones',
    lab,
    from: "console.log(`  delete  ${obj.key} (tombstone; last seen as ${describe(obj.obj)})`);",
    to: 'return;',
    fails: ['handlesTombstones'],
    passes: ['queuesKeys', 'indexesByNode', 'leavesCacheUntouched'],
  },
  {
    name: 'a handler fills in a default on the cached pod',
    lab,
    from: "return `${pod.metadata.namespace}/${pod.metadata.name} on ${pod.spec?.nodeName || '<none>'}",
    to: "pod.metadata.labels ??= {};\n  return `${pod.metadata.namespace}/${pod.metadata.name} on ${pod.spec?.nodeName || '<none>'}",
    fails: ['leavesCacheUntouched'],
    passes: ['queuesKeys', 'indexesByNode', 'handlesTombstones'],
  },
  {
    name: 'predicts that a status-only change notifies nobody',
    lab,
    from: "statusOnlyChange: 'updateFunc'",
    to: "statusOnlyChange: 'nothing'",
    fails: ['predictsNotifications'],
    passes: ['queuesKeys'],
  },
]);
