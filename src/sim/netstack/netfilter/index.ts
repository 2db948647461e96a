export * from './types';
export { parseIptablesSave, mergeRulesets } from './parse';
export { formatIptablesSave, countRules } from './save';
export { IptablesRestoreError, IPTABLES_VERSION } from './errors';
export { tokenizeRuleLine } from './tokenize';
export { RecentLists, type RecentEntry } from './recent';
export { traverseTable, ruleMatches, type CtState, type NetfilterEnv, type NfTraceStep, type NatAction, type ChainResult } from './eval';
export { runHook, HOOK_TABLES, type Hook, type HookResult } from './hooks';
export { describePacket, endpointOf, type Packet } from './packet';
