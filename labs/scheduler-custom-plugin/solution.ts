import {
  defaultNormalizeScore, explainCycle, getDefaultPlugins, makeNode, makePod, MaxNodeScore, newStatus, runSchedulingCycle,
  type KubeSchedulerProfile, type SchedulerPlugin,
} from 'kubelab';

const ZONE = 'topology.kubernetes.io/zone';

/**
 * Filter: a node labelled maintenance=true is not for new pods. UnschedulableAndUnresolvable, as
 * NodeUnschedulable answers for a cordoned node: evicting pods there would not help, so
 * DefaultPreemption does not even try the node.
 */
export function newNodeMaintenance(): SchedulerPlugin {
  return {
    name: 'NodeMaintenance',
    filter(_state, _pod, nodeInfo) {
      // A node may have no labels at all: labels is optional in ObjectMeta.
      if (nodeInfo.node?.metadata.labels?.maintenance === 'true') {
        return newStatus('UnschedulableAndUnresolvable', 'node(s) were under maintenance');
      }
      return null;
    },
  };
}

/**
 * Score: the earlier a node's zone comes in args.zones, the higher it scores (the first of n
 * zones n, the last 1, a zone not listed 0); NormalizeScore scales the best node to 100.
 */
export function newZonePreference(args: unknown): SchedulerPlugin {
  const zones = (args as { zones?: string[] } | undefined)?.zones ?? ['a'];
  return {
    name: 'ZonePreference',
    score(_state, _pod, nodeInfo) {
      const i = zones.indexOf(nodeInfo.node?.metadata.labels?.[ZONE] ?? '');
      return i < 0 ? 0 : zones.length - i;
    },
    scoreExtensions() {
      // The framework rejects any score outside [0, 100] after NormalizeScore; the helper
      // divides by the highest raw score (and leaves all-zero scores alone).
      return { normalizeScore: (_state, _pod, scores) => defaultNormalizeScore(MaxNodeScore, false, scores) };
    },
  };
}

/** The default profile plus both plugins: multiPoint enables each at every point it implements. */
export const profile: KubeSchedulerProfile = {
  plugins: { multiPoint: { enabled: [{ name: 'NodeMaintenance' }, { name: 'ZonePreference', weight: 5 }] } },
  pluginConfig: [{ name: 'ZonePreference', args: { zones: ['a', 'b'] } }],
};

// ---- The cluster: five nodes; node-new has just registered and carries no labels yet ----
const nodes = [
  makeNode().name('node-a1').label(ZONE, 'a').capacity({ cpu: '4', memory: '8Gi' }).obj(),
  makeNode().name('node-a2').label(ZONE, 'a').label('maintenance', 'true').capacity({ cpu: '8', memory: '16Gi' }).obj(),
  makeNode().name('node-b1').label(ZONE, 'b').capacity({ cpu: '8', memory: '16Gi' }).obj(),
  makeNode().name('node-c1').label(ZONE, 'c').capacity({ cpu: '8', memory: '16Gi' }).obj(),
  { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-new' }, spec: {}, status: { allocatable: { cpu: '2', memory: '4Gi', pods: '110' } } },
];
const running = [
  makePod().name('db-0').node('node-a1').req({ cpu: '2', memory: '4Gi' }).obj(),
  makePod().name('queue-0').node('node-b1').req({ cpu: '1', memory: '2Gi' }).obj(),
  makePod().name('queue-1').node('node-c1').req({ cpu: '1', memory: '2Gi' }).obj(),
];
const web = makePod().name('web').req({ cpu: '1', memory: '1Gi' }).obj();

// ---- Run me: the default profile, then yours ----
const plugins = { NodeMaintenance: newNodeMaintenance, ZonePreference: newZonePreference };
const weights = new Map(getDefaultPlugins().multiPoint!.enabled!.map((p) => [p.name, p.weight ?? 1] as [string, number]));
for (const p of profile.plugins!.multiPoint!.enabled!) weights.set(p.name, p.weight ?? 1);
for (const [label, prof] of [['default profile', undefined], ['your profile', profile]] as const) {
  const r = runSchedulingCycle({ pod: web, nodes, pods: running, profile: prof, plugins });
  console.log(`--- ${label}: web -> ${r.selectedNode ?? 'none'}`);
  console.log(explainCycle(r.record, weights) + '\n');
}
