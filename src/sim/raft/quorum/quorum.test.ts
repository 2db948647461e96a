import { describe, expect, it } from 'vitest';
import { rngFromSeed } from '../../core/rng';
import { jointCommittedIndex, jointVoteResult, majorityCommittedIndex, majorityVoteResult, type VoteResult } from './quorum';

const cfg = (...ids: number[]) => new Set(ids);
const idx = (ids: number[], vals: Array<number | undefined>) => {
  const m = new Map<number, number>();
  ids.forEach((id, i) => {
    if (vals[i] !== undefined) m.set(id, vals[i]!);
  });
  return (id: number) => m.get(id);
};

describe('majority and joint quorums (quorum/testdata/*.txt, quorum/quick_test.go)', () => {
  // majority_commit.txt
  it.each<[number[], Array<number | undefined>, number]>([
    [[], [], Infinity], // the empty quorum commits everything
    [[1], [undefined], 0],
    [[1], [12], 12],
    [[1, 2], [undefined, undefined], 0],
    [[1, 2], [12, undefined], 0],
    [[1, 2], [12, 5], 5],
    [[1, 2, 3], [undefined, undefined, undefined], 0],
    [[1, 2, 3], [12, undefined, undefined], 0],
    [[1, 2, 3], [12, 5, undefined], 5],
    [[1, 2, 3], [12, 5, 4], 5],
    [[1, 2, 3], [5, 5, 4], 5],
    [[1, 2, 3, 4], [101, 104, 103, 103], 103],
    [[1, 2, 3, 4, 5], [101, 102, 103, 104, undefined], 102],
  ])('committed cfg=%j idx=%j -> %s (majority_commit.txt)', (ids, vals, w) => {
    expect(majorityCommittedIndex(cfg(...ids), idx(ids, vals))).toBe(w);
  });

  // majority_vote.txt
  it.each<[number[], Array<boolean | undefined>, VoteResult]>([
    [[], [], 'VoteWon'],
    [[1], [undefined], 'VotePending'],
    [[1], [false], 'VoteLost'],
    [[123], [true], 'VoteWon'],
    [[4, 8], [undefined, undefined], 'VotePending'],
    [[2, 3], [true, undefined], 'VotePending'],
    [[2, 3], [false, undefined], 'VoteLost'],
    [[2, 3], [true, true], 'VoteWon'],
    [[1, 2, 3], [true, false, undefined], 'VotePending'],
    [[1, 2, 3], [false, false, undefined], 'VoteLost'],
    [[1, 2, 3], [true, true, undefined], 'VoteWon'],
    [[1, 2, 3, 4], [true, true, false, undefined], 'VotePending'],
    [[1, 2, 3, 4], [true, true, true, undefined], 'VoteWon'],
    [[1, 2, 3, 4], [true, false, false, undefined], 'VoteLost'],
  ])('vote cfg=%j votes=%j -> %s (majority_vote.txt)', (ids, vs, w) => {
    const votes = new Map<number, boolean>();
    ids.forEach((id, i) => vs[i] !== undefined && votes.set(id, vs[i]!));
    expect(majorityVoteResult(cfg(...ids), votes)).toBe(w);
  });

  it('joint: the smaller committed index, lost when either half lost (joint_commit.txt, joint_vote.txt)', () => {
    const l = idx([1, 2, 3, 4], [100, 101, 99, 5]);
    expect(jointCommittedIndex([cfg(1, 2, 3), cfg(2, 3, 4)], l)).toBe(99);
    expect(jointCommittedIndex([cfg(1, 2, 3), undefined], l)).toBe(100);
    const votes = new Map([
      [1, true],
      [2, false],
      [3, false],
    ]);
    expect(jointVoteResult([cfg(1), cfg(1, 2)], new Map([[1, true]]))).toBe('VotePending');
    expect(jointVoteResult([cfg(1, 2, 3), cfg(1)], votes)).toBe('VoteLost');
    expect(jointVoteResult([cfg(1), cfg(1)], votes)).toBe('VoteWon');
  });

  // TestQuick: the committed index against a naive oracle (the largest index a majority has).
  it('agrees with a naive committed index over random configs (TestQuick)', () => {
    const rng = rngFromSeed('quorum-quick');
    for (let n = 0; n < 500; n++) {
      const size = 1 + rng.int(7);
      const ids = Array.from({ length: size }, (_, i) => i + 1 + rng.int(3) * 10);
      const unique = [...new Set(ids)];
      const vals = unique.map(() => (rng.chance(0.2) ? undefined : rng.int(20)));
      const l = idx(unique, vals);
      const got = majorityCommittedIndex(new Set(unique), l);
      // Naive: the largest i such that a majority has an index >= i.
      let want = 0;
      for (let i = 1; i <= 20; i++) {
        const have = unique.filter((id) => (l(id) ?? 0) >= i).length;
        if (have >= Math.floor(unique.length / 2) + 1) want = i;
      }
      expect(got).toBe(want);
    }
  });
});
