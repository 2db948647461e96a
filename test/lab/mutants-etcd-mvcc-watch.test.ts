// Mutants of the etcd-mvcc-watch lab: plausible wrong mirrors, each caught by the check written
// for that mistake.
import { defineMutants } from './mutants';

const lab = 'etcd-mvcc-watch';

defineMutants([
  {
    name: 'resume watches from the revision it already has: the last event comes twice',
    lab,
    from: 'startRevision: this.revision + 1',
    to: 'startRevision: this.revision',
    fails: ['resumesWithoutGaps'],
    passes: ['predictsRevisions'],
  },
  {
    name: 'resume lists again every time',
    lab,
    from: '  async resume(): Promise<void> {\n    this.#watch();',
    to: '  async resume(): Promise<void> {\n    await this.start();',
    fails: ['resumesWithoutGaps'],
    passes: ['mirrorFollows'],
  },
  {
    name: 'deletes ignored',
    lab,
    from: '      else this.items.delete(ev.kv.key);\n',
    to: '',
    fails: ['mirrorFollows'],
  },
  {
    name: 'a cancelled watch is left cancelled: the mirror stops following',
    lab,
    from: '      if (resp.compactRevision > 0) await this.start();\n',
    to: '',
    fails: ['survivesCompaction'],
    passes: ['resumesWithoutGaps'],
  },
  {
    name: 'the prediction counts a txn as two revisions',
    lab,
    from: 'revisions: [2, 3, 4, 5, 6]',
    to: 'revisions: [2, 3, 4, 6, 7]',
    fails: ['predictsRevisions'],
  },
]);
