/**
 * Checks of the scheduler-custom-plugin lab. The learner's plugins run inside the scheduler model's
 * framework (src/sim/scheduler, kube-scheduler v1.34), through runSchedulingCycle: the filter's
 * status per node, the scores after NormalizeScore, the framework's range check, an Error status
 * for a plugin that throws, and the profile's weights are all read off the cycle's record.
 */
import { AssertionError } from 'chai';
import { check, exportedFunction } from '../../src/lab/checks';
import { cycleTable } from '../../src/lab/scheduler-lab';
import type { Node, Pod } from '../../src/sim/api/core/v1';
import {
  makeNode, makePod, runSchedulingCycle, type KubeSchedulerProfile, type PluginFactory, type SchedulingCycleResult,
} from '../../src/sim/index';

const ZONE = 'topology.kubernetes.io/zone';
const REASON = 'node(s) were under maintenance';

const node = (name: string, zone: string | undefined, labels: Record<string, string> = {}, cpu = '8'): Node => {
  const w = makeNode().name(name).labels(labels).capacity({ cpu, memory: '16Gi', pods: '110' });
  if (zone) w.label(ZONE, zone);
  return w.obj();
};
/** A node registered without any labels (metadata.labels undefined), as a hand-made Node can be. */
const bareNode = (name: string): Node => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: {}, status: { allocatable: { cpu: '2', memory: '4Gi', pods: '110' } } });

/** The cluster of main.ts. */
export function labNodes(): Node[] {
  return [
    node('node-a1', 'a', {}, '4'),
    node('node-a2', 'a', { maintenance: 'true' }),
    node('node-b1', 'b'),
    node('node-c1', 'c'),
    bareNode('node-new'),
  ];
}
export function labPods(): Pod[] {
  return [
    makePod().name('db-0').node('node-a1').req({ cpu: '2', memory: '4Gi' }).obj(),
    makePod().name('queue-0').node('node-b1').req({ cpu: '1', memory: '2Gi' }).obj(),
    makePod().name('queue-1').node('node-c1').req({ cpu: '1', memory: '2Gi' }).obj(),
  ];
}
const web = () => makePod().name('web').req({ cpu: '1', memory: '1Gi' }).obj();

function factories(learner: Record<string, unknown>) {
  return {
    NodeMaintenance: exportedFunction<PluginFactory>(learner, 'newNodeMaintenance'),
    ZonePreference: exportedFunction<PluginFactory>(learner, 'newZonePreference'),
  };
}

/** One cycle of `pod` with the learner's plugins registered; a profile the config layer refuses fails the check with its message. */
function cycle(learner: Record<string, unknown>, nodes: Node[], profile: KubeSchedulerProfile, pods: Pod[] = [], pod = web(), seed = 1): SchedulingCycleResult {
  try {
    return runSchedulingCycle({ pod, nodes, pods, profile, plugins: factories(learner), rng: seed });
  } catch (e) {
    if (e instanceof AssertionError) throw e;
    throw new AssertionError(`the scheduler refused the profile ${JSON.stringify(profile)}: ${(e as Error).message}`);
  }
}

/** Only NodeMaintenance added to the default profile. */
const FILTER_ONLY: KubeSchedulerProfile = { plugins: { multiPoint: { enabled: [{ name: 'NodeMaintenance' }] } } };

export const filterSurvivesBareNode = check(
  'NodeMaintenance does not throw on a node without labels, so the cycle schedules the pod',
  ({ learner, seed, log }) => {
    const r = cycle(learner, [node('node-a1', 'a'), bareNode('node-new'), node('node-b1', 'b')], FILTER_ONLY, [], web(), seed);
    const bare = r.filter['node-new']?.NodeMaintenance;
    if (r.record.result === 'Error' || bare?.code === 'Error') {
      log(cycleTable(r));
      throw new AssertionError(
        `your filter threw on node-new, a node with no labels at all. The framework turned the throw into an Error status naming the plugin — "${r.message ?? bare?.reasons.join(', ')}" — and an Error in any Filter ends the whole cycle: web was placed nowhere, although other nodes fit (a Go plugin's panic would take down kube-scheduler).`,
      );
    }
    if (!r.selectedNode) {
      log(cycleTable(r));
      throw new AssertionError(`web was not scheduled: ${r.message}. Only nodes labelled maintenance=true should be rejected.`);
    }
  },
  { hint: 'metadata.labels is optional in every Kubernetes object; so is nodeInfo.node in the type. What does `x!.y` do when x is undefined?' },
);

export const maintenanceFilter = check(
  'NodeMaintenance rejects exactly the nodes labelled maintenance=true, UnschedulableAndUnresolvable, with the reason "node(s) were under maintenance"',
  ({ learner, seed, log }) => {
    const nodes = [
      node('node-a1', 'a', { maintenance: 'true' }),
      node('node-a2', 'a', { maintenance: 'false' }),
      node('node-b1', 'b', { maintenance: 'true', team: 'web' }),
      node('node-b2', 'b', { team: 'maintenance' }),
    ];
    const r = cycle(learner, nodes, FILTER_ONLY, [], web(), seed);
    let problems: string[] = [];
    for (const n of nodes) {
      const name = n.metadata.name!;
      const got = r.filter[name]?.NodeMaintenance;
      const labels = n.metadata.labels?.maintenance === undefined ? 'no maintenance label' : `maintenance=${n.metadata.labels.maintenance}`;
      const under = n.metadata.labels?.maintenance === 'true';
      if (!got) problems.push(`NodeMaintenance did not run on ${name} (is it enabled as a Filter, and did an earlier Filter reject the node?)`);
      else if (!under && got.code !== 'Success') problems.push(`${name} (${labels}) was rejected (${got.code}: ${got.reasons.join(', ')}); only maintenance=true is`);
      else if (under && got.code === 'Success') problems.push(`${name} (${labels}) passed; it is under maintenance`);
      else if (under && got.code === 'Unschedulable') problems.push(`code Unschedulable on the nodes under maintenance tells PostFilter (DefaultPreemption) that evicting pods from the node might make room, so it dry-runs preemption there for nothing. No eviction ends maintenance: use UnschedulableAndUnresolvable, as NodeUnschedulable does for a cordoned node`);
      else if (under && got.code !== 'UnschedulableAndUnresolvable') problems.push(`${name}: code ${got.code}${got.reasons.length ? ` (${got.reasons.join(', ')})` : ''}; a rejection is Unschedulable or UnschedulableAndUnresolvable`);
      else if (under && (got.reasons.length !== 1 || got.reasons[0] !== REASON)) problems.push(`${name}: reasons ${JSON.stringify(got.reasons)}; expected ["${REASON}"]: the reason is what kubectl describe shows, counted per node`);
    }
    problems = [...new Set(problems)];
    // Every node under maintenance: the pod's FailedScheduling message counts the reason.
    const all = cycle(learner, [nodes[0], nodes[2]], FILTER_ONLY, [], web(), seed);
    const want = `0/2 nodes are available: 2 ${REASON}.`;
    if (!problems.length && !all.message?.startsWith(want)) problems.push(`with both nodes under maintenance, FailedScheduling reads "${all.message}"; expected it to start with "${want}"`);
    if (!problems.length) return;
    log(cycleTable(r, FILTER_ONLY));
    throw new AssertionError(`NodeMaintenance's verdicts (the cycle is printed above):\n  - ${problems.join('\n  - ')}`);
  },
  { hint: "A Filter returns null to pass a node, or newStatus(code, reason) to reject it. Which code tells DefaultPreemption that evicting pods there would be useless?" },
);

/** The reference: the position of the node's zone in `zones` from the end, scaled so the best is 100. */
function expectedZoneScores(nodes: Node[], zones: string[]): Record<string, number> {
  const raw = nodes.map((n) => {
    const i = zones.indexOf(n.metadata.labels?.[ZONE] ?? '');
    return i < 0 ? 0 : zones.length - i;
  });
  const max = Math.max(0, ...raw);
  return Object.fromEntries(nodes.map((n, i) => [n.metadata.name!, max === 0 ? 0 : Math.trunc((100 * raw[i]) / max)]));
}

export const zoneScores = check(
  "ZonePreference scores by the zone's position in args.zones, normalized to [0, 100] with the best node at 100",
  ({ learner, seed, log }) => {
    const nodes = [node('n-a', 'a'), node('n-b', 'b'), node('n-c', 'c'), node('n-d', 'd'), node('n-none', undefined)];
    const cases: { args?: { zones: string[] }; zones: string[] }[] = [
      { zones: ['a'] },
      { args: { zones: ['a', 'b'] }, zones: ['a', 'b'] },
      { args: { zones: ['c', 'b', 'a'] }, zones: ['c', 'b', 'a'] },
      { args: { zones: ['x', 'd', 'b'] }, zones: ['x', 'd', 'b'] },
      { args: { zones: ['x'] }, zones: ['x'] },
    ];
    for (const c of cases) {
      const profile: KubeSchedulerProfile = {
        plugins: { multiPoint: { enabled: [{ name: 'ZonePreference', weight: 1 }] } },
        ...(c.args ? { pluginConfig: [{ name: 'ZonePreference', args: c.args }] } : {}),
      };
      const r = cycle(learner, nodes, profile, [], web(), seed);
      const what = c.args ? `with args ${JSON.stringify(c.args)}` : 'without args (default zones ["a"])';
      if (r.record.result === 'Error') {
        log(cycleTable(r, profile));
        throw new AssertionError(`${what}, the cycle failed: ${r.message}. The framework checks every score after NormalizeScore: an integer in [0, 100].`);
      }
      const want = expectedZoneScores(nodes, c.zones);
      const got = Object.fromEntries(nodes.map((n) => [n.metadata.name!, r.score[n.metadata.name!]?.ZonePreference]));
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        log(cycleTable(r, profile));
        const raw = Object.fromEntries(nodes.map((n) => [n.metadata.name!, r.record.score[n.metadata.name!]?.ZonePreference?.raw]));
        throw new AssertionError(`${what}: ZonePreference's scores after NormalizeScore are ${JSON.stringify(got)} (raw ${JSON.stringify(raw)}); expected ${JSON.stringify(want)}`);
      }
    }
  },
  { hint: 'Score gives the raw value (first zone of n: n, ..., not listed: 0). NormalizeScore rewrites the scores in place so the highest becomes MaxNodeScore — defaultNormalizeScore(MaxNodeScore, false, scores) does it with Go\'s integer division.' },
);

export const profileWeights = check(
  'Your profile adds both plugins to the defaults with ZonePreference at weight 5, and web moves from node-a2 to node-a1',
  ({ learner, seed, log }) => {
    const profile = learner.profile as KubeSchedulerProfile | undefined;
    if (!profile || typeof profile !== 'object') throw new AssertionError('main.ts must export `profile`, a KubeSchedulerProfile');
    const before = cycle(learner, labNodes().filter((n) => n.metadata.name !== 'node-new'), {}, labPods(), web(), seed);
    const r = cycle(learner, labNodes(), profile, labPods(), web(), seed);
    if (r.record.result === 'Error') {
      log(cycleTable(r, profile));
      throw new AssertionError(`with your profile the cycle failed before any score: ${r.message}`);
    }
    const problems: string[] = [];
    const ran = (p: string) => Object.values(r.filter).some((byPlugin) => byPlugin[p]);
    if (!ran('NodeMaintenance')) problems.push('NodeMaintenance ran on no node: enable it in plugins.multiPoint.enabled');
    if (!ran('TaintToleration') || !Object.values(r.score).some((s) => s.NodeResourcesFit)) problems.push("the default plugins are gone (TaintToleration's filter or NodeResourcesFit's score did not run): add to the defaults, do not disable them");
    const zp = Object.entries(r.record.score).map(([n, s]) => [n, s.ZonePreference] as const).filter(([, s]) => s);
    if (!zp.length) problems.push('ZonePreference scored no node: enable it in plugins.multiPoint.enabled');
    const scaled = zp.find(([, s]) => s.normalized > 0);
    if (scaled && scaled[1].weighted !== 5 * scaled[1].normalized) problems.push(`ZonePreference on ${scaled[0]}: ${scaled[1].normalized} after NormalizeScore, ${scaled[1].weighted} weighted: its weight is ${scaled[1].weighted / scaled[1].normalized}, not 5`);
    if (!problems.length && r.selectedNode !== 'node-a1') problems.push(`web went to ${r.selectedNode ?? 'no node'} (${r.message ?? 'see the table'}); with the default profile it goes to ${before.selectedNode}`);
    if (!problems.length) return;
    log(cycleTable(r, profile));
    throw new AssertionError(`with your profile (the cycle is printed above):\n  - ${problems.join('\n  - ')}`);
  },
  { hint: 'An entry in plugins.multiPoint.enabled adds a plugin at every extension point it implements, after the defaults; a Score plugin\'s entry carries its weight.' },
);
