// Mutants of the finalizer-controller lab: plausible wrong controllers, each caught by the check
// written for that mistake — and one different but correct controller that passes them all.
import { defineMutants } from './mutants';

const lab = 'finalizer-controller';
const ADD_WITH_RETRY = /      await retryOnConflict\(DefaultRetry, clock, async \(\) => \{\n        const current = await client\.get\(name\);\n        if \(current\.metadata\.deletionTimestamp[^\n]*\n[^\n]*\n[^\n]*\n      \}\);\n      log\(/;
const REMOVE_WITH_RETRY = /      await retryOnConflict\(DefaultRetry, clock, async \(\) => \{\n        const current = await client\.get\(name\);\n        const rest[^\n]*\n[^\n]*\n[^\n]*\n[^\n]*\n      \}\);\n      return;/;

defineMutants([
  {
    name: 'the finalizer added with a merge patch of the whole list, computed from the lister copy',
    lab,
    from: ADD_WITH_RETRY,
    to: "      await client.patch(name, 'application/merge-patch+json', { metadata: { finalizers: [...finalizers, FINALIZER] } });\n      log(",
    fails: ['keepsOthersFinalizers'],
    passes: ['addsFinalizer', 'cleansUpOnDelete', 'retriesStuckCleanup'],
  },
  {
    name: 'all finalizers removed after the cleanup, not only ours',
    lab,
    from: 'current.metadata.finalizers = rest;',
    to: 'current.metadata.finalizers = [];',
    fails: ['cleansUpOnDelete', 'keepsOthersFinalizers'],
    passes: ['addsFinalizer', 'retriesStuckCleanup'],
  },
  {
    name: 'cleanup of every terminating object, ours or not',
    lab,
    from: '      if (!finalizers.includes(FINALIZER)) return;\n',
    to: '',
    fails: ['cleansUpOnDelete'],
    passes: ['addsFinalizer', 'retriesStuckCleanup'],
  },
  {
    name: 'a failed cleanup ignored: the finalizer is removed anyway',
    lab,
    from: 'await store.delete(key);',
    to: 'await store.delete(key).catch(() => undefined);',
    fails: ['retriesStuckCleanup'],
    passes: ['addsFinalizer', 'cleansUpOnDelete', 'keepsOthersFinalizers'],
  },
  {
    name: 'a failed cleanup swallowed: no error, so no retry',
    lab,
    from: 'await store.delete(key);',
    to: 'try {\n        await store.delete(key);\n      } catch {\n        return;\n      }',
    fails: ['retriesStuckCleanup'],
    passes: ['addsFinalizer', 'cleansUpOnDelete', 'keepsOthersFinalizers'],
  },
  {
    name: 'published before the finalizer is added',
    lab,
    from: "    if (!finalizers.includes(FINALIZER)) {\n",
    to: "    await store.put(key, (cm.data ?? {}) as Record<string, string>);\n    if (!finalizers.includes(FINALIZER)) {\n",
    fails: ['addsFinalizer'],
    passes: ['cleansUpOnDelete', 'keepsOthersFinalizers', 'retriesStuckCleanup'],
  },
  {
    name: 'the finalizer added to every ConfigMap, labelled or not',
    lab,
    from: "    if (cm.metadata.labels?.[PUBLISH_LABEL] !== 'true') return; // not ours\n",
    to: '',
    fails: ['addsFinalizer'],
  },
  {
    name: "also correct: updates from the lister's copy, a 409 requeues the key",
    lab,
    from: REMOVE_WITH_RETRY,
    to: '      await client.update({ ...cm, metadata: { ...cm.metadata, finalizers: finalizers.filter((f) => f !== FINALIZER) } });\n      return;',
    fails: [],
    passes: ['predictsDeletion', 'addsFinalizer', 'cleansUpOnDelete', 'keepsOthersFinalizers', 'retriesStuckCleanup'],
  },
]);
