// Mutants of the endpointslice-packing lab: packings a reader of reconciler.go could plausibly
// write — the wrong fill order, the first slice with room instead of the closest to full, no
// filling of slices being updated, no recycling of deleted slices, ports ignored, emptied
// slices kept — and a prediction that forgets finalize.
import { defineMutants } from './mutants';

const lab = 'endpointslice-packing';

defineMutants([
  {
    name: 'slices being updated filled emptiest first',
    lab,
    from: 'for (const s of [...changed].sort((a, b) => b.pods.length - a.pods.length)) {',
    to: 'for (const s of [...changed].sort((a, b) => a.pods.length - b.pods.length)) {',
    fails: ['packsLikeTheReconciler'],
    passes: ['predictsTheSlices'],
  },
  {
    name: 'slices being updated not filled: new endpoints only go to new or untouched slices',
    lab,
    from: 'while (left.size > 0 && s.pods.length < max) s.pods.push(take());',
    to: 'void s;',
    fails: ['packsLikeTheReconciler', 'portMappingsPackApart'],
  },
  {
    name: 'the remainder goes into the first untouched slice with room, not the one closest to full',
    lab,
    from: 'if (room >= 0 && room < bestRoom) {',
    to: 'if (room >= 0 && best === undefined) {',
    fails: ['packsLikeTheReconciler'],
    passes: ['predictsTheSlices'],
  },
  {
    name: 'the remainder always gets a new slice (getSliceToFill never asked)',
    lab,
    from: 'let target = left.size < max ? closestToFull(unchanged, left.size, max) : undefined;',
    to: 'let target: SliceView | undefined = undefined;',
    fails: ['packsLikeTheReconciler', 'portMappingsPackApart'],
  },
  {
    name: 'no finalize: a create and a delete stay two writes of two objects',
    lab,
    from: 'while (toCreate.length > 0 && toDelete.length > 0) {',
    to: 'while (false) {',
    fails: ['portMappingsPackApart'],
    passes: ['predictsTheSlices'],
  },
  {
    name: 'ports ignored: every pod packed into one group',
    lab,
    from: 'for (const m of members) {',
    to: 'for (const m of members.map((x) => ({ ...x, port: members[0].port }))) {',
    fails: ['portMappingsPackApart'],
    passes: ['predictsTheSlices', 'packsLikeTheReconciler'],
  },
  {
    name: 'a slice that lost every endpoint kept (as an update) instead of deleted',
    lab,
    from: 'else if (stay.length === 0) toDelete.push(s);',
    to: '',
    fails: ['packsLikeTheReconciler'],
  },
  {
    name: 'the port change predicted as four creates and four deletes (finalize forgotten)',
    lab,
    from: 'portTo9090: { sizes: [5, 5, 5, 2], created: 0, updated: 4, deleted: 0 },',
    to: 'portTo9090: { sizes: [5, 5, 5, 2], created: 4, updated: 0, deleted: 4 },',
    fails: ['predictsTheSlices'],
    passes: ['packsLikeTheReconciler', 'portMappingsPackApart'],
  },
  {
    name: 'the scale to 17 predicted as rebalanced into full slices',
    lab,
    from: 'scaleTo17: { sizes: [5, 5, 4, 3], created: 2, updated: 0, deleted: 0 },',
    to: 'scaleTo17: { sizes: [5, 5, 5, 2], created: 2, updated: 1, deleted: 0 },',
    fails: ['predictsTheSlices'],
  },
]);
