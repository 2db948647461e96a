/**
 * Defaults of KubeSchedulerConfiguration v1: pkg/scheduler/apis/config/v1/defaults.go
 * (`SetDefaults_KubeSchedulerConfiguration`, `setDefaults_KubeSchedulerProfile`) and
 * default_plugins.go (`getDefaultPlugins`, `mergePlugins`, `mergePluginSet`) at v1.34.
 */
import { deepCopy } from '../../core/object';
import type { Registry } from '../framework/interface';
import { DefaultSchedulerName, extensionPoints, type KubeSchedulerConfiguration, type KubeSchedulerProfile, type PluginRef, type PluginSet, type Plugins } from './types';

/** Go: `getDefaultPlugins` in v1.34 (the in-tree volume limit plugins left in v1.31; DRA is GA and on, so DynamicResources sits before DefaultPreemption). */
export function getDefaultPlugins(): Plugins {
  return {
    multiPoint: {
      enabled: [
        { name: 'SchedulingGates' },
        { name: 'PrioritySort' },
        { name: 'NodeUnschedulable' },
        { name: 'NodeName' },
        { name: 'TaintToleration', weight: 3 },
        { name: 'NodeAffinity', weight: 2 },
        { name: 'NodePorts' },
        { name: 'NodeResourcesFit', weight: 1 },
        { name: 'VolumeRestrictions' },
        { name: 'NodeVolumeLimits' },
        { name: 'VolumeBinding' },
        { name: 'VolumeZone' },
        { name: 'PodTopologySpread', weight: 2 },
        { name: 'InterPodAffinity', weight: 2 },
        { name: 'DynamicResources' },
        { name: 'DefaultPreemption' },
        { name: 'NodeResourcesBalancedAllocation', weight: 1 },
        { name: 'ImageLocality', weight: 1 },
        { name: 'DefaultBinder' },
      ],
    },
  };
}

/** Go: `mergePluginSet`: `disabled` removes defaults (`*` all of them); an enabled default keeps its place with the custom settings. */
export function mergePluginSet(defaults: PluginSet, custom: PluginSet | undefined): PluginSet {
  if (!custom) return { enabled: [...(defaults.enabled ?? [])], disabled: [...(defaults.disabled ?? [])] };
  const disabledNames = new Set<string>();
  const disabled: PluginRef[] = [];
  for (const p of custom.disabled ?? []) {
    disabled.push({ name: p.name });
    disabledNames.add(p.name);
  }
  for (const p of defaults.disabled ?? []) {
    disabled.push({ name: p.name });
    disabledNames.add(p.name);
  }
  const customByName = new Map<string, { index: number; plugin: PluginRef }>();
  (custom.enabled ?? []).forEach((plugin, index) => customByName.set(plugin.name, { index, plugin }));
  const replaced = new Set<number>();
  const enabled: PluginRef[] = [];
  if (!disabledNames.has('*')) {
    for (const def of defaults.enabled ?? []) {
      if (disabledNames.has(def.name)) continue;
      const c = customByName.get(def.name);
      if (c) {
        replaced.add(c.index);
        enabled.push({ ...c.plugin });
      } else {
        enabled.push({ ...def });
      }
    }
  }
  (custom.enabled ?? []).forEach((p, i) => {
    if (!replaced.has(i)) enabled.push({ ...p });
  });
  return { enabled, disabled };
}

/** Go: `mergePlugins`. */
export function mergePlugins(defaults: Plugins, custom: Plugins | undefined): Plugins {
  const out: Plugins = {};
  for (const point of ['multiPoint', ...extensionPoints] as const) {
    out[point] = mergePluginSet(defaults[point] ?? {}, custom?.[point]);
  }
  return out;
}

/** Every plugin name a profile enables anywhere (Go: `pluginsNames` over the profile). */
export function enabledPluginNames(plugins: Plugins): Set<string> {
  const names = new Set<string>();
  for (const set of Object.values(plugins)) for (const p of set?.enabled ?? []) names.add(p.name);
  return names;
}

/** Fills absent fields of `args` from `defaults`, one level down into plain objects (the SetDefaults_*Args functions fill field by field). */
export function fillArgs(defaults: unknown, args: unknown): unknown {
  if (args === undefined || args === null) return deepCopy(defaults);
  if (typeof defaults !== 'object' || defaults === null || typeof args !== 'object' || Array.isArray(args)) return args;
  const out: Record<string, unknown> = { ...(args as Record<string, unknown>) };
  for (const [k, v] of Object.entries(defaults as Record<string, unknown>)) {
    if (out[k] === undefined) out[k] = deepCopy(v);
  }
  return out;
}

/** Go: `setDefaults_KubeSchedulerProfile`: merged plugins, and args for each enabled plugin that has them. */
export function setDefaultsProfile(profile: KubeSchedulerProfile, registry: Registry): KubeSchedulerProfile {
  const plugins = mergePlugins(getDefaultPlugins(), profile.plugins);
  const pluginConfig = (profile.pluginConfig ?? []).map((pc) => {
    const reg = registry.get(pc.name);
    const args = reg?.setDefaults && pc.args !== undefined && pc.args !== null ? reg.setDefaults(pc.args) : reg?.defaultArgs ? fillArgs(reg.defaultArgs(), pc.args) : pc.args;
    return { name: pc.name, ...(args !== undefined ? { args } : {}) };
  });
  const configured = new Set(pluginConfig.map((pc) => pc.name));
  for (const name of [...enabledPluginNames(plugins)].sort()) {
    const reg = registry.get(name);
    if (reg?.defaultArgs && !configured.has(name)) pluginConfig.push({ name, args: reg.defaultArgs() });
  }
  return { ...profile, plugins, pluginConfig };
}

/** Go: `SetDefaults_KubeSchedulerConfiguration`: one default profile, parallelism 16, backoff 1 s to 10 s. */
export function setDefaults(cfg: KubeSchedulerConfiguration, registry: Registry): KubeSchedulerConfiguration {
  const profiles = (cfg.profiles && cfg.profiles.length ? cfg.profiles : [{}]).map((p) => setDefaultsProfile(p, registry));
  // Only a lone profile gets the default name; with several, each must be named (validation says so).
  if (profiles.length === 1 && profiles[0].schedulerName === undefined) profiles[0].schedulerName = DefaultSchedulerName;
  return {
    apiVersion: cfg.apiVersion ?? 'kubescheduler.config.k8s.io/v1',
    kind: cfg.kind ?? 'KubeSchedulerConfiguration',
    parallelism: cfg.parallelism ?? 16,
    percentageOfNodesToScore: cfg.percentageOfNodesToScore ?? 0,
    podInitialBackoffSeconds: cfg.podInitialBackoffSeconds ?? 1,
    podMaxBackoffSeconds: cfg.podMaxBackoffSeconds ?? 10,
    profiles,
    extenders: cfg.extenders ?? [],
  };
}
