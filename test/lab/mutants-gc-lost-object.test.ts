// Mutants of the gc-lost-object lab: schedules that scan one thing too few or too many before g0
// moves b, wrong predictions, and a barrier other than the hybrid one.
import { defineMutants } from './mutants';

const lab = 'gc-lost-object';
const LOSING = "export const schedule: Turn[] = ['M', 'M', 'M', 0, 0, 0, 0, 0, 0];";

defineMutants([
  {
    name: 'cache not scanned yet when b is stored into it (two marker turns): cache is grey and the marker finds b later',
    lab,
    from: LOSING,
    to: "export const schedule: Turn[] = ['M', 'M', 0, 0, 0, 0, 0, 0];",
    fails: ['scheduleLosesObject', 'hybridKeepsIt'],
    passes: ['predictsFreed'],
  },
  {
    name: 'a scanned too (four marker turns): b is already grey before the move',
    lab,
    from: LOSING,
    to: "export const schedule: Turn[] = ['M', 'M', 'M', 'M', 0, 0, 0, 0, 0, 0];",
    fails: ['scheduleLosesObject'],
  },
  {
    name: "b loaded before g0's stack is scanned: the stack scan shades it",
    lab,
    from: LOSING,
    to: "export const schedule: Turn[] = ['M', 0, 0, 0, 'M', 'M', 0, 0, 0];",
    fails: ['scheduleLosesObject'],
  },
  {
    name: 'a schedule naming a goroutine that does not exist',
    lab,
    from: LOSING,
    to: "export const schedule: Turn[] = ['M', 'M', 'M', 1, 1, 1];",
    fails: ['scheduleLosesObject', 'hybridKeepsIt'],
  },
  {
    name: 'b predicted freed too (it is reachable from cache after the move)',
    lab,
    from: "export const predictedFreed: string[] = ['old'];",
    to: "export const predictedFreed: string[] = ['old', 'b'];",
    fails: ['predictsFreed'],
    passes: ['scheduleLosesObject', 'hybridKeepsIt'],
  },
  {
    name: 'nothing predicted freed (old is garbage even though it points to b)',
    lab,
    from: "export const predictedFreed: string[] = ['old'];",
    to: 'export const predictedFreed: string[] = [];',
    fails: ['predictsFreed'],
  },
  {
    name: "Dijkstra's barrier: it keeps b, but is not the barrier Go compiles",
    lab,
    from: "export const barrier: BarrierKind = 'hybrid';",
    to: "export const barrier: BarrierKind = 'dijkstra';",
    fails: ['hybridKeepsIt'],
    passes: ['predictsFreed', 'scheduleLosesObject'],
  },
  {
    name: 'the barrier left off',
    lab,
    from: "export const barrier: BarrierKind = 'hybrid';",
    to: "export const barrier: BarrierKind = 'none';",
    fails: ['hybridKeepsIt'],
  },
]);
