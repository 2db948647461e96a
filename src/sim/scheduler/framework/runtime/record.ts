/**
 * What one scheduling cycle did, plugin by plugin: the model's superset of
 * kube-scheduler-simulator's result annotations (prefilter, filter, postfilter, prescore, score,
 * finalscore, reserve, permit, prebind, bind, selected node). Plain data for tables, the view,
 * the terminal and checks. Timings are wall-clock and only present when the host injects a
 * stopwatch; they never enter the trace.
 */
import type { Code } from '../status';

export interface StatusRecord {
  code: Code;
  reasons: string[];
  plugin: string;
}

export interface ScoreRecord {
  /** What Score returned. */
  raw: number;
  /** After the plugin's NormalizeScore (= raw without one). */
  normalized: number;
  /** normalized × the plugin's weight. */
  weighted: number;
}

export interface CycleRecord {
  pod: string;
  profile: string;
  /** Each PreFilter plugin that ran, in order: its status and the node names it narrowed to (null = all). */
  preFilter: { plugin: string; status: StatusRecord; nodeNames: string[] | null }[];
  /** Per node, each Filter plugin that ran on it (upstream stops at the first rejection). */
  filter: Record<string, Record<string, StatusRecord>>;
  postFilter: { plugin: string; status: StatusRecord; nominatedNodeName?: string; victims?: string[] }[];
  preScore: { plugin: string; status: StatusRecord }[];
  /** Per node, per Score plugin. */
  score: Record<string, Record<string, ScoreRecord>>;
  /** Per node, per extender: the extender's score scaled and weighted. */
  extenderScore: Record<string, Record<string, number>>;
  finalScore: Record<string, number>;
  reserve: { plugin: string; status: StatusRecord }[];
  permit: { plugin: string; status: StatusRecord; timeoutMs?: number }[];
  preBind: { plugin: string; status: StatusRecord }[];
  bind: { plugin: string; status: StatusRecord }[];
  /** Wall ms per plugin per extension point, summed over nodes (only with a stopwatch). */
  timings: Record<string, Record<string, number>>;
  /** Nodes in the snapshot, nodes whose filters ran, and nodes that passed. */
  numAllNodes: number;
  evaluatedNodes: number;
  feasibleNodes: number;
  selectedNode?: string;
  /** The top nodes by score, best first (Go: numberOfHighestScoredNodesToReport = 3). */
  topNodes: { name: string; totalScore: number }[];
  /** FailedScheduling message when the pod did not fit, or the error. */
  message?: string;
  result: 'Scheduled' | 'Unschedulable' | 'Error';
}

export function newCycleRecord(pod: string, profile: string): CycleRecord {
  return {
    pod, profile, preFilter: [], filter: {}, postFilter: [], preScore: [], score: {}, extenderScore: {}, finalScore: {},
    reserve: [], permit: [], preBind: [], bind: [], timings: {}, numAllNodes: 0, evaluatedNodes: 0, feasibleNodes: 0, topNodes: [],
    result: 'Unschedulable',
  };
}
