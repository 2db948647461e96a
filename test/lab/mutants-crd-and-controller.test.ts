// Mutants of the crd-and-controller lab: plausible wrong versions of its solution (CRD and
// controller), each caught by the check written for that mistake.
import { defineMutants } from './mutants';

const lab = 'crd-and-controller';

defineMutants([
  {
    name: 'CRD without the status subresource',
    lab,
    from: '    subresources:\n      status: {}          # PUT .../widgets/<name>/status writes status, and only status\n',
    to: '',
    fails: ['crdValidates', 'statusTracksGeneration'],
    passes: ['reconcileCreatesChild'],
  },
  {
    name: 'CRD keeping unknown fields in spec',
    lab,
    from: '            required: [color, size]\n',
    to: '            required: [color, size]\n            x-kubernetes-preserve-unknown-fields: true\n',
    fails: ['crdValidates'],
    passes: ['reconcileCreatesChild', 'statusTracksGeneration', 'survivesConflictsAndDeletes'],
  },
  {
    name: 'CRD with size a number instead of an integer',
    lab,
    from: '              size:\n                type: integer',
    to: '              size:\n                type: number',
    fails: ['crdValidates'],
  },
  {
    name: 'child without an ownerReference',
    lab,
    from: 'metadata: { name: cmName, namespace, ownerReferences: [controllerRef(widget)] },',
    to: 'metadata: { name: cmName, namespace },',
    fails: ['reconcileCreatesChild'],
    passes: ['crdValidates'],
  },
  {
    name: 'controller that takes over a ConfigMap it does not own',
    lab,
    from: 'if (ref?.uid !== widget.metadata.uid) {',
    to: 'if (false) {',
    fails: ['reconcileCreatesChild'],
    passes: ['statusTracksGeneration', 'survivesConflictsAndDeletes'],
  },
  {
    name: 'child never updated when the spec changes',
    lab,
    from: 'if (JSON.stringify(cm.data) !== JSON.stringify(data)) {',
    to: 'if (false) {',
    fails: ['statusTracksGeneration'],
    passes: ['reconcileCreatesChild'],
  },
  {
    name: 'status written through the main resource',
    lab,
    from: 'await widgetClient.namespace(widget.metadata.namespace ?? \'\').updateStatus(copy);',
    to: 'await widgetClient.namespace(widget.metadata.namespace ?? \'\').update(copy);',
    fails: ['statusTracksGeneration'],
    passes: ['crdValidates', 'reconcileCreatesChild'],
  },
  {
    name: 'child stamped on every sync (each stamp is an event that syncs it again)',
    lab,
    from: 'if (JSON.stringify(cm.data) !== JSON.stringify(data)) {',
    to: "if (true) {\n      cm = { ...cm, metadata: { ...cm.metadata, annotations: { 'example.com/synced-from': `${cm.metadata.resourceVersion}` } } };",
    fails: ['statusTracksGeneration'],
    passes: ['crdValidates', 'reconcileCreatesChild', 'survivesConflictsAndDeletes'],
  },
  {
    name: 'errors dropped instead of requeued',
    lab,
    from: 'queue.addRateLimited(key);',
    to: 'queue.forget(key);',
    fails: ['survivesConflictsAndDeletes'],
    passes: ['reconcileCreatesChild', 'statusTracksGeneration'],
  },
  {
    name: 'a deleted Widget treated as an error',
    lab,
    from: 'if (isNotFound(err)) return;\n      throw err;',
    to: 'throw err;',
    fails: ['survivesConflictsAndDeletes'],
    passes: ['reconcileCreatesChild', 'statusTracksGeneration'],
  },
  {
    name: 'delete handler that does not unwrap tombstones',
    lab,
    from: 'if (obj instanceof DeletedFinalStateUnknown) {',
    to: 'if (false) {',
    fails: ['survivesConflictsAndDeletes'],
    passes: ['reconcileCreatesChild', 'statusTracksGeneration'],
  },
]);
