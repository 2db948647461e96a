export { TABLE_NAMES, BUILTIN_CHAINS } from './types';
// Generic names get an Nf prefix at the public edge (kubelab exports many models side by side).
export type {
  TableName, Proto as NfProto, Match as NfMatch, MarkOp, Target as NfTarget, Rule as NfRule, Chain as NfChain,
  Table as NfTable, Ruleset,
} from './types';
export { parseIptablesSave, mergeRulesets } from './parse';
export { formatIptablesSave, countTableRules } from './save';
export { canonicalRuleText } from './canonical';
export { IptablesRestoreError, IPTABLES_VERSION } from './errors';
export { tokenizeRuleLine } from './tokenize';
export { RecentLists, type RecentEntry } from './recent';
export { traverseTable, ruleMatches, type CtState, type NetfilterEnv, type NfTraceStep, type NatAction, type ChainResult } from './eval';
export { runHook, HOOK_TABLES, type Hook, type HookResult } from './hooks';
export { describePacket, endpointOf, type Packet } from './packet';
