// The informer-relist checks catch the mistakes they are written for.
import { defineMutants } from './mutants';

const lab = 'informer-relist';

defineMutants([
  {
    name: 'a ListerWatcher that copies only resourceVersion and timeoutSeconds (no bookmarks)',
    lab,
    from: 'watch: (options: ListOptions) => pods.watch({ ...options }),',
    to: 'watch: (options: ListOptions) => pods.watch({ resourceVersion: options.resourceVersion, timeoutSeconds: options.timeoutSeconds }),',
    fails: ['keepsBookmarks'],
    passes: ['predictsRelists'],
  },
  {
    name: 'no relist because the watch never times out (timeoutSeconds dropped)',
    lab,
    from: 'watch: (options: ListOptions) => pods.watch({ ...options }),',
    to: 'watch: (options: ListOptions) => pods.watch({ ...options, timeoutSeconds: undefined }),',
    fails: ['keepsBookmarks'],
    passes: ['predictsRelists'],
  },
  {
    name: 'every watch from "" (the newest state) instead of the last resourceVersion',
    lab,
    from: 'watch: (options: ListOptions) => pods.watch({ ...options }),',
    to: "watch: (options: ListOptions) => pods.watch({ ...options, resourceVersion: '' }),",
    fails: ['keepsBookmarks'],
  },
  {
    name: 'predicts that an etcd compaction forces a relist',
    lab,
    from: "afterEtcdCompaction: 'rewatches'",
    to: "afterEtcdCompaction: 'relists'",
    fails: ['predictsRelists'],
    passes: ['keepsBookmarks'],
  },
  {
    name: 'predicts that the relist after a 410 is a consistent read',
    lab,
    from: "relistListsAt: 'the last one it saw'",
    to: "relistListsAt: '\"\" (a consistent read)'",
    fails: ['predictsRelists'],
    passes: ['keepsBookmarks'],
  },
  {
    name: 'predicts a relist after every dropped watch',
    lab,
    from: "afterWatchesDrop: 'rewatches'",
    to: "afterWatchesDrop: 'relists'",
    fails: ['predictsRelists'],
  },
]);
