/**
 * Checks of the scheduler-spread lab. A Deployment's replicas are placed one cycle at a time on
 * the scheduler model (runSchedulingCycle, kube-scheduler v1.34), each bound pod counted by the
 * next cycles, as the scheduler cache counts an assumed pod. For the system default constraints
 * the check gives PodTopologySpread a ReplicaSet lister (runSchedulingCycle has none, so a pod
 * without constraints gets no default spreading there).
 */
import { AssertionError } from 'chai';
import { check } from '../../src/lab/checks';
import { cycleTable, rejection } from '../../src/lab/scheduler-lab';
import type { Node, Pod, TopologySpreadConstraint } from '../../src/sim/api/core/v1';
import { makeNode, makePod, rngFromSeed, runSchedulingCycle, type FrameworkHandle, type SchedulingCycleResult } from '../../src/sim/index';
import { labelSelectorAsSelector } from '../../src/sim/apimachinery/labels';
import { newPodTopologySpread, type ReplicaSet } from '../../src/sim/scheduler/plugins/podtopologyspread/index';

const ZONE = 'topology.kubernetes.io/zone';
const REPLICAS = 10;

/** The cluster of main.ts, fresh for every use. */
export function labNodes(): Node[] {
  return [
    makeNode().name('a1').label(ZONE, 'a').capacity({ cpu: '4', memory: '16Gi', pods: '110' }).obj(),
    makeNode().name('a2').label(ZONE, 'a').capacity({ cpu: '4', memory: '16Gi', pods: '110' }).obj(),
    makeNode().name('b1').label(ZONE, 'b').capacity({ cpu: '4', memory: '16Gi', pods: '110' }).obj(),
    makeNode().name('c1').label(ZONE, 'c').capacity({ cpu: '2', memory: '8Gi', pods: '110' }).obj(),
  ];
}
const LAB_NODES = labNodes().map((n) => n.metadata.name!);

/** A random cluster of three zones, 1-3 nodes each, of 2, 3 or 4 CPUs. */
function randomNodes(seed: number): Node[] {
  const rng = rngFromSeed(seed);
  const nodes: Node[] = [];
  for (const z of ['x', 'y', 'z']) {
    for (let i = 1 + rng.int(3); i > 0; i--) nodes.push(makeNode().name(`${z}${i}`).label(ZONE, z).capacity({ cpu: rng.pick(['2', '3', '4']), memory: '16Gi', pods: '110' }).obj());
  }
  return nodes;
}

const REPLICA_SET: ReplicaSet = { metadata: { name: 'web-5d4f8', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'web' } } } };

/** Replica i, owned by the ReplicaSet, with `constraints`. */
function replica(i: number, constraints: TopologySpreadConstraint[]): Pod {
  const pod = makePod().name(`web-${i}`).uid(`web-${i}`).label('app', 'web').req({ cpu: '1', memory: '1Gi' }).obj();
  pod.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: REPLICA_SET.metadata.name!, uid: 'rs-web', controller: true }];
  if (constraints.length) pod.spec.topologySpreadConstraints = constraints.map((c) => JSON.parse(JSON.stringify(c)) as TopologySpreadConstraint);
  return pod;
}

/** PodTopologySpread as kube-scheduler builds it, with the informers' ReplicaSets in its listers. */
const withReplicaSets = {
  PodTopologySpread: (args: unknown, h: FrameworkHandle) => newPodTopologySpread(args, { ...h, listers: () => ({ ...h.listers(), replicaSets: () => [REPLICA_SET] }) }),
};

interface Rollout { zones: Record<string, number>[]; nodesOf: string[]; firstPending?: { index: number; r: SchedulingCycleResult }; placed: number }

/** Replicas 1..n, one cycle each; zones[i] is the per-zone count after replica i+1's cycle. */
function rollout(nodes: Node[], constraints: TopologySpreadConstraint[], seed: number, n = REPLICAS): Rollout {
  const bound: Pod[] = [];
  const out: Rollout = { zones: [], nodesOf: [], placed: 0 };
  const zoneOf = new Map(nodes.map((x) => [x.metadata.name!, x.metadata.labels![ZONE]]));
  const rng = rngFromSeed(seed);
  for (let i = 1; i <= n; i++) {
    const pod = replica(i, constraints);
    let r: SchedulingCycleResult;
    try {
      r = runSchedulingCycle({ pod, nodes, pods: bound, rng, plugins: withReplicaSets });
    } catch (e) {
      throw new AssertionError(`the scheduler could not run web-${i}: ${(e as Error).message}`);
    }
    if (r.record.result === 'Error') throw new AssertionError(`web-${i}'s cycle failed: ${r.message}. Is the constraint valid (a labelSelector, maxSkew ≥ 1, whenUnsatisfiable DoNotSchedule or ScheduleAnyway)?`);
    if (r.selectedNode) bound.push({ ...pod, spec: { ...pod.spec, nodeName: r.selectedNode } });
    else out.firstPending ??= { index: i, r };
    out.nodesOf.push(r.selectedNode ?? 'Pending');
    const zones = Object.fromEntries([...new Set(zoneOf.values())].sort().map((z) => [z, 0]));
    for (const p of bound) zones[zoneOf.get(p.spec.nodeName!)!]++;
    out.zones.push(zones);
  }
  out.placed = bound.length;
  return out;
}

const zonesText = (z: Record<string, number>) => Object.entries(z).map(([k, v]) => `${k}=${v}`).join(' ');
const skew = (z: Record<string, number>) => Math.max(...Object.values(z)) - Math.min(...Object.values(z));
const history = (o: Rollout) => o.nodesOf.map((n, i) => `web-${i + 1} -> ${n}   ${zonesText(o.zones[i])}`).join('\n');

const CORRECT: TopologySpreadConstraint = { maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } };

/** What in the learner's constraint explains a bad rollout, as a sentence (or ''). */
function diagnose(cs: TopologySpreadConstraint[]): string {
  if (!cs.length) return ' No constraint yet: spread is still null.';
  const c = cs[0];
  let selects = false;
  try {
    selects = !!c.labelSelector && labelSelectorAsSelector(c.labelSelector).matches({ app: 'web' });
  } catch {
    // An invalid selector selects nothing.
  }
  if (c.topologyKey !== ZONE) return ` Your topologyKey is ${JSON.stringify(c.topologyKey)}: the skew is counted per value of that node label, and the zone label is ${ZONE}.`;
  if (!selects) return ` Your labelSelector ${JSON.stringify(c.labelSelector ?? null)} does not select web's pods (app=web): every zone counts 0 of them, so no node is ever too full.`;
  if (c.whenUnsatisfiable !== 'DoNotSchedule') return ` With whenUnsatisfiable ${JSON.stringify(c.whenUnsatisfiable)} the constraint only scores nodes; it never filters one out.`;
  if (c.maxSkew !== 1) return ` Your maxSkew is ${JSON.stringify(c.maxSkew)}.`;
  if (c.minDomains !== undefined) return ` Your minDomains is ${c.minDomains}, with 3 zones in the cluster: with fewer zones than minDomains, the smallest counts as 0.`;
  return '';
}

/** The learner's constraints: [] while `spread` is still null (the run then shows the pile-up). */
function learnerSpread(learner: Record<string, unknown>): TopologySpreadConstraint[] {
  const c = learner.spread as TopologySpreadConstraint | undefined | null;
  if (c === null) return [];
  if (!c || typeof c !== 'object') throw new AssertionError('main.ts must export `spread`, one TopologySpreadConstraint (maxSkew, topologyKey, whenUnsatisfiable, labelSelector)');
  return [JSON.parse(JSON.stringify(c)) as TopologySpreadConstraint];
}

export const spreadsEvenly = check(
  'With your constraint, no zone is ever more than one web pod ahead — on the lab cluster and on random ones — even if a replica has to wait',
  ({ learner, seeds, log }) => {
    const cs = learnerSpread(learner);
    const clusters = [{ what: 'the lab cluster', nodes: labNodes(), seed: seeds[0] }, ...seeds.map((s) => ({ what: `random cluster ${s}`, nodes: randomNodes(s), seed: s }))];
    for (const { what, nodes, seed } of clusters) {
      const o = rollout(nodes, cs, seed);
      const bad = o.zones.findIndex((z) => skew(z) > 1);
      if (bad >= 0) {
        log(`${what} (${nodes.map((n) => `${n.metadata.name} ${n.metadata.labels![ZONE]} ${n.status!.allocatable!.cpu} CPU`).join(', ')}):\n${history(o)}\n`);
        throw new AssertionError(`on ${what}, after web-${bad + 1} the zones hold ${zonesText(o.zones[bad])}: ${skew(o.zones[bad])} apart. The replicas are printed above.${diagnose(cs)}`);
      }
      const want = rollout(nodes, [CORRECT], seed);
      if (o.placed < want.placed) {
        log(`${what}:\n${history(o)}\n`);
        throw new AssertionError(`on ${what}, only ${o.placed} of ${REPLICAS} replicas run; an even spread with maxSkew 1 fits ${want.placed}. Is your constraint stricter than it needs to be?${diagnose(cs)}`);
      }
    }
  },
  { hint: 'The skew is per topologyKey value: count pods per zone, not per node. Only the pods matching labelSelector count. And ask yourself what the scheduler must do with a replica that would break the balance: ScheduleAnyway only lowers a score.' },
);

type Predictions = { firstPending?: unknown; zones?: Record<string, unknown>; rejectedBy?: Record<string, unknown>; placed?: Record<string, unknown> };
const predictionsOf = (learner: Record<string, unknown>): Predictions => {
  const p = learner.predictions as Predictions | undefined;
  if (!p || typeof p !== 'object') throw new AssertionError('main.ts must export `predictions`');
  return p;
};

export const predictsPending = check(
  'Predicts the first replica that stays Pending with maxSkew 1, the zones at that moment, and which Filter rejects it on each node',
  ({ learner, seed, log }) => {
    const p = predictionsOf(learner);
    const open = [
      ...(p.firstPending === '?' || p.firstPending === undefined ? ['firstPending'] : []),
      ...['a', 'b', 'c'].filter((z) => p.zones?.[z] === '?' || p.zones?.[z] === undefined).map((z) => `zones.${z}`),
      ...LAB_NODES.filter((n) => p.rejectedBy?.[n] === '?' || p.rejectedBy?.[n] === undefined).map((n) => `rejectedBy.${n}`),
    ];
    if (open.length) throw new AssertionError(`Predict before you look: ${open.join(', ')} ${open.length === 1 ? 'is' : 'are'} still '?'`);
    const o = rollout(labNodes(), [CORRECT], seed);
    const f = o.firstPending!;
    const at = o.zones[f.index - 1];
    const problems: string[] = [];
    if (p.firstPending !== f.index) problems.push(`the first Pending replica is web-${f.index}, not ${JSON.stringify(p.firstPending)}: ${zonesText(at)} — zone c is full, and one more pod in a or b would put it 2 ahead of c`);
    for (const z of Object.keys(at)) if (p.zones![z] !== at[z]) problems.push(`zone ${z} holds ${at[z]} web pods then, not ${JSON.stringify(p.zones![z])}`);
    for (const n of LAB_NODES) {
      const rej = rejection(f.r, n)!;
      if (p.rejectedBy![n] !== rej.plugin) problems.push(`${n}: ${rej.plugin} rejects web-${f.index} (${rej.reasons.join(', ')}), not ${JSON.stringify(p.rejectedBy![n])}${rej.plugin === 'NodeResourcesFit' ? ': it runs before PodTopologySpread, and the first Filter that fails is the one recorded' : ''}`);
    }
    if (!problems.length) return;
    log(`${history(o)}\n\n${cycleTable(f.r)}\n`);
    throw new AssertionError(`${problems.length} prediction(s) differ (the replicas and web-${f.index}'s cycle are printed above):\n  - ${problems.join('\n  - ')}`);
  },
  { hint: 'Skew = pods in the zone the pod would join (counting it) − the fewest pods in any eligible zone. A zone whose only node is full still counts as a domain with its pods: it holds the minimum down.' },
);

export const predictsVariants = check(
  'Predicts how many of the 10 replicas run with ScheduleAnyway, with minDomains 4, and with no constraint (the system defaults)',
  ({ learner, seed, log }) => {
    const said = predictionsOf(learner).placed ?? {};
    const variants: [string, TopologySpreadConstraint[], string][] = [
      ['scheduleAnyway', [{ ...CORRECT, whenUnsatisfiable: 'ScheduleAnyway' }], 'a ScheduleAnyway constraint is a Score, never a Filter: a pod goes to a node that breaks it when no better one fits'],
      ['minDomains4', [{ ...CORRECT, minDomains: 4 }], 'with fewer eligible zones (3) than minDomains (4), the global minimum is taken as 0, so a zone may hold at most maxSkew pods'],
      ['systemDefaults', [], 'a pod without constraints of its own gets the system defaults (hostname maxSkew 3, zone maxSkew 5), both ScheduleAnyway, from its ReplicaSet\'s selector'],
    ];
    const open = variants.map(([k]) => k).filter((k) => said[k] === '?' || said[k] === undefined);
    if (open.length) throw new AssertionError(`Predict before you look: ${open.map((k) => `placed.${k}`).join(', ')} ${open.length === 1 ? 'is' : 'are'} still '?'`);
    const problems: string[] = [];
    for (const [k, cs, why] of variants) {
      const o = rollout(labNodes(), cs, seed);
      if (said[k] === o.placed) continue;
      log(`${k}:\n${history(o)}\n`);
      problems.push(`${k}: ${o.placed} of ${REPLICAS} run, not ${JSON.stringify(said[k])} — ${why}`);
    }
    if (problems.length) throw new AssertionError(`${problems.length} prediction(s) differ (the replicas are printed above):\n  - ${problems.join('\n  - ')}`);
  },
  { hint: 'Only DoNotSchedule constraints filter. minDomains changes what the smallest zone counts as when there are fewer zones than it asks for.' },
);
