/**
 * Checkers that stand outside the models: a linearizability checker after Porcupine v1.3.0 with
 * kv and register models, raft's Figure 3 safety properties over node views, and a seeded
 * nemesis. See README.md in this folder.
 */
export {
  DEFAULT_BUDGET,
  checkEvents,
  checkOperations,
  describeOperations,
  eventsToOperations,
  isLinearization,
  type CheckOptions,
  type CheckResult,
  type CheckResultKind,
  type HistoryEvent,
  type LinearizationInfo,
  type Model,
  type Operation,
  type PartitionInfo,
} from './linearizability';
export { kvModel, newRegisterModel, registerModel, type KvInput, type KvOutput, type KvState, type RegisterInput, type RegisterOutput } from './models';
export {
  dataKey,
  newSafetyChecker,
  raftView,
  type EntryView,
  type NodeView,
  type RaftLike,
  type SafetyChecker,
  type SafetyProperty,
  type SafetyViolation,
} from './raft_safety';
export {
  ALL_FAULTS,
  applyAction,
  drawSchedule,
  formatAction,
  formatSchedule,
  parseSchedule,
  scheduleOn,
  type NemesisAction,
  type NemesisFault,
  type NemesisOptions,
  type NemesisTarget,
  type TimedAction,
} from './nemesis';
export { raftcheckEvents, type RaftcheckEvent, type RaftcheckEventMap } from './events';
