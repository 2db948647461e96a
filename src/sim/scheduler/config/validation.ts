/**
 * Validation of KubeSchedulerConfiguration: pkg/scheduler/apis/config/validation/validation.go
 * at v1.34 (`ValidateKubeSchedulerConfiguration`, `validateKubeSchedulerProfile`,
 * `validatePluginConfig`, `validateCommonQueueSort`, `validateExtenders`), run on the defaulted
 * configuration as kube-scheduler runs it. Plugin args go to each plugin's own validation.
 */
import { duplicate, invalid, newPath, required, type ErrorList, type Path } from '../../apimachinery/field';
import type { Registry } from '../framework/interface';
import type { KubeSchedulerConfiguration, KubeSchedulerProfile, PluginSet } from './types';
import { extensionPoints } from './types';

/** Plugins v1 no longer accepts (Go: `invalidPluginsByVersion`). */
const removedPlugins = new Set(['AzureDiskLimits', 'CinderLimits', 'EBSLimits', 'GCEPDLimits']);

/** A configuration that failed validation: every error, each naming its field path. */
export class SchedulerConfigError extends Error {
  readonly errors: string[];
  constructor(errors: string[]) {
    // Go prints an aggregate of one error as the error, of several as `[a, b]`.
    super(errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`);
    this.name = 'SchedulerConfigError';
    this.errors = errors;
  }
}

function validatePercentage(path: Path, v: number | undefined): ErrorList {
  if (v !== undefined && v !== null && (v < 0 || v > 100)) return [invalid(path, v, 'not in valid range [0-100]')];
  return [];
}

function validateRemovedPlugins(path: Path, apiVersion: string, set: PluginSet | undefined): ErrorList {
  const errs: ErrorList = [];
  (set?.enabled ?? []).forEach((p, i) => {
    if (removedPlugins.has(p.name)) errs.push(invalid(path.child('enabled').index(i), p.name, `was invalid in version "kubescheduler.config.k8s.io/v1" (KubeSchedulerConfiguration is version "${apiVersion}")`));
  });
  return errs;
}

function validateProfile(path: Path, apiVersion: string, profile: KubeSchedulerProfile, registry: Registry): ErrorList {
  const errs: ErrorList = [];
  if (!profile.schedulerName) errs.push(required(path.child('schedulerName'), ''));
  errs.push(...validatePercentage(path.child('percentageOfNodesToScore'), profile.percentageOfNodesToScore));
  const pluginsPath = path.child('plugins');
  for (const point of extensionPoints) errs.push(...validateRemovedPlugins(pluginsPath.child(point), apiVersion, profile.plugins?.[point]));
  const seen = new Set<string>();
  (profile.pluginConfig ?? []).forEach((pc, i) => {
    const p = path.child('pluginConfig').index(i);
    if (seen.has(pc.name)) errs.push(duplicate(p, pc.name));
    else seen.add(pc.name);
    if (removedPlugins.has(pc.name)) {
      errs.push(invalid(p, pc.name, `was invalid in version "kubescheduler.config.k8s.io/v1" (KubeSchedulerConfiguration is version "${apiVersion}")`));
      return;
    }
    const validate = registry.get(pc.name)?.validateArgs;
    if (!validate) return;
    if (pc.args === null || typeof pc.args !== 'object' || Array.isArray(pc.args)) {
      errs.push(invalid(p.child('args'), pc.args, 'has to match plugin args'));
      return;
    }
    errs.push(...validate(p.child('args'), pc.args));
  });
  return errs;
}

function sameJSON(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** Go: `validateCommonQueueSort`: every profile sorts the one queue the same way. */
function validateCommonQueueSort(path: Path, profiles: KubeSchedulerProfile[]): ErrorList {
  const errs: ErrorList = [];
  const canon = profiles[0].plugins?.queueSort;
  const name = canon?.enabled?.[0]?.name ?? '';
  if ((canon?.enabled?.length ?? 0) > 1) errs.push(invalid(path.index(0).child('plugins', 'queueSort', 'Enabled'), canon?.enabled?.length, 'only one queue sort plugin can be enabled'));
  const canonArgs = profiles[0].pluginConfig?.find((c) => name && c.name === name)?.args;
  for (let i = 1; i < profiles.length; i++) {
    const curr = profiles[i].plugins?.queueSort;
    if (!sameJSON(canon, curr)) errs.push(invalid(path.index(i).child('plugins', 'queueSort'), curr ?? {}, 'must be the same for all profiles'));
    for (const c of profiles[i].pluginConfig ?? []) {
      if (c.name === name && !sameJSON(canonArgs, c.args)) errs.push(invalid(path.index(i).child('pluginConfig', 'args'), c.args, 'queueSort must be the same for all profiles'));
    }
  }
  return errs;
}

/** Go: `validateExtenders`. */
function validateExtenders(path: Path, cfg: KubeSchedulerConfiguration): ErrorList {
  const errs: ErrorList = [];
  let binders = 0;
  (cfg.extenders ?? []).forEach((e, i) => {
    if (e.prioritize && (e.weight ?? 0) <= 0) errs.push(invalid(path.index(i).child('weight'), e.weight ?? 0, 'must have a positive weight applied to it'));
    if (e.bind) binders++;
  });
  if (binders > 1) errs.push(invalid(path, `found ${binders} extenders implementing bind`, 'only one extender can implement bind'));
  return errs;
}

/** Go: `ValidateKubeSchedulerConfiguration` over a defaulted configuration. */
export function validateKubeSchedulerConfiguration(cfg: KubeSchedulerConfiguration, registry: Registry): ErrorList {
  const errs: ErrorList = [];
  const apiVersion = cfg.apiVersion ?? 'kubescheduler.config.k8s.io/v1';
  if ((cfg.parallelism ?? 16) <= 0) errs.push(invalid(newPath('parallelism'), cfg.parallelism, 'should be an integer value greater than zero'));
  const profilesPath = newPath('profiles');
  const profiles = cfg.profiles ?? [];
  if (profiles.length === 0) errs.push(required(profilesPath, ''));
  else {
    const existing = new Map<string, number>();
    profiles.forEach((p, i) => {
      errs.push(...validateProfile(profilesPath.index(i), apiVersion, p, registry));
      const name = p.schedulerName ?? '';
      const prev = existing.get(name);
      if (prev !== undefined) errs.push(duplicate(profilesPath.index(i).child('schedulerName'), profilesPath.index(prev).child('schedulerName').toString()));
      existing.set(name, i);
    });
    errs.push(...validateCommonQueueSort(profilesPath, profiles));
  }
  errs.push(...validatePercentage(newPath('percentageOfNodesToScore'), cfg.percentageOfNodesToScore));
  const initial = cfg.podInitialBackoffSeconds ?? 1;
  const max = cfg.podMaxBackoffSeconds ?? 10;
  if (initial <= 0) errs.push(invalid(newPath('podInitialBackoffSeconds'), initial, 'must be greater than 0'));
  if (max < initial) errs.push(invalid(newPath('podMaxBackoffSeconds'), max, 'must be greater than or equal to PodInitialBackoffSeconds'));
  errs.push(...validateExtenders(newPath('extenders'), cfg));
  return errs;
}
