/**
 * A KubeSchedulerConfiguration from YAML (what `kube-scheduler --config` reads): js-yaml for
 * the syntax, then the group/version/kind check and strict decoding of the fields v1 knows
 * (upstream: pkg/scheduler/apis/config/scheme and the strict serializer, whose errors read
 * `strict decoding error: unknown field "..."`). Defaulting and validation come after, in
 * setDefaults and validateKubeSchedulerConfiguration.
 */
import { CORE_SCHEMA, load, YAMLException } from 'js-yaml';
import { UsageError } from '../../core/errors';
import { extensionPoints, SchemeGroupVersion, type KubeSchedulerConfiguration } from './types';

const topFields = new Set(['apiVersion', 'kind', 'parallelism', 'leaderElection', 'clientConnection', 'enableProfiling', 'enableContentionProfiling', 'percentageOfNodesToScore', 'podInitialBackoffSeconds', 'podMaxBackoffSeconds', 'profiles', 'extenders', 'delayCacheUntilActive']);
const profileFields = new Set(['schedulerName', 'percentageOfNodesToScore', 'plugins', 'pluginConfig']);
const pluginsFields = new Set(['multiPoint', ...extensionPoints]);
const pluginConfigFields = new Set(['name', 'args']);

function unknownFields(obj: unknown, allowed: Set<string>, path: string, out: string[]): void {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return;
  for (const k of Object.keys(obj)) if (!allowed.has(k)) out.push(`unknown field "${path}${k}"`);
}

/** Parses and checks a configuration; throws UsageError naming `source`, the line and the column, or the unknown fields. */
export function loadSchedulerConfig(text: string, source = 'scheduler-config.yaml'): KubeSchedulerConfiguration {
  let doc: unknown;
  try {
    doc = load(text, { schema: CORE_SCHEMA, filename: source });
  } catch (err) {
    if (err instanceof YAMLException) {
      const { line, column } = err.mark ?? { line: 0, column: 0 };
      throw new UsageError(`${source}:${line + 1}:${column + 1}: ${err.reason}`);
    }
    throw err;
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new UsageError(`${source}: not a KubeSchedulerConfiguration object`);
  const cfg = doc as Record<string, unknown>;
  if (cfg.kind !== 'KubeSchedulerConfiguration') throw new UsageError(`${source}: no kind "${String(cfg.kind ?? '')}" is registered for version "${String(cfg.apiVersion ?? '')}" in scheme "pkg/scheduler/apis/config/scheme/scheme.go:35"`);
  if (cfg.apiVersion !== SchemeGroupVersion) throw new UsageError(`${source}: no kind "KubeSchedulerConfiguration" is registered for version "${String(cfg.apiVersion ?? '')}" in scheme "pkg/scheduler/apis/config/scheme/scheme.go:35" (KubeLab models ${SchemeGroupVersion})`);
  const unknown: string[] = [];
  unknownFields(cfg, topFields, '', unknown);
  const profiles = Array.isArray(cfg.profiles) ? cfg.profiles : [];
  profiles.forEach((p, i) => {
    unknownFields(p, profileFields, `profiles[${i}].`, unknown);
    unknownFields((p as { plugins?: unknown }).plugins, pluginsFields, `profiles[${i}].plugins.`, unknown);
    const pcs = (p as { pluginConfig?: unknown }).pluginConfig;
    if (Array.isArray(pcs)) pcs.forEach((pc, j) => unknownFields(pc, pluginConfigFields, `profiles[${i}].pluginConfig[${j}].`, unknown));
  });
  if (unknown.length) throw new UsageError(`${source}: strict decoding error: ${unknown.join(', ')}`);
  if (Array.isArray(cfg.extenders) && cfg.extenders.some((e) => typeof (e as { filter?: unknown }).filter !== 'function' && typeof (e as { prioritize?: unknown }).prioritize !== 'function' && typeof (e as { bind?: unknown }).bind !== 'function')) {
    throw new UsageError(`${source}: extenders: KubeLab has no HTTP; pass extenders as objects with filter/prioritize/bind functions, not URLs`);
  }
  return cfg as KubeSchedulerConfiguration;
}
