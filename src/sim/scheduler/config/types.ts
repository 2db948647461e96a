/**
 * KubeSchedulerConfiguration as plain data: k8s.io/kube-scheduler config/v1/types.go at v0.34.0.
 * Extenders are functions here (the model has no HTTP): `filter`, `prioritize`, `bind` stand
 * for `filterVerb`, `prioritizeVerb`, `bindVerb`.
 */
import type { Node, Pod } from '../../api/core/v1';

export interface PluginRef {
  name: string;
  weight?: number;
}

export interface PluginSet {
  enabled?: PluginRef[];
  disabled?: PluginRef[];
}

/** Extension points in upstream's field order. */
export const extensionPoints = [
  'preEnqueue', 'queueSort', 'preFilter', 'filter', 'postFilter', 'preScore', 'score', 'reserve', 'permit', 'preBind', 'bind', 'postBind',
] as const;
export type ExtensionPoint = (typeof extensionPoints)[number];

export type Plugins = { [P in ExtensionPoint | 'multiPoint']?: PluginSet };

export interface PluginConfig {
  name: string;
  args?: unknown;
}

export interface KubeSchedulerProfile {
  schedulerName?: string;
  percentageOfNodesToScore?: number;
  plugins?: Plugins;
  pluginConfig?: PluginConfig[];
}

/** Go: `extenderv1.HostPriority`. */
export interface HostPriority {
  host: string;
  score: number;
}

/** An extender as functions (Go: config `Extender` + the HTTP verbs it calls). */
export interface Extender {
  /** Shown in tables and messages (Go: the extender's URLPrefix). */
  urlPrefix: string;
  weight?: number;
  ignorable?: boolean;
  nodeCacheCapable?: boolean;
  managedResources?: { name: string; ignoredByScheduler?: boolean }[];
  /** Go: filterVerb: nodes that pass, and failed nodes with their messages. */
  filter?(pod: Pod, nodes: Node[]): { nodes: Node[]; failedNodes?: Record<string, string>; failedAndUnresolvableNodes?: Record<string, string>; error?: string };
  /** Go: prioritizeVerb: a score per host in [0, MaxExtenderPriority = 10]. */
  prioritize?(pod: Pod, nodes: Node[]): HostPriority[];
  /** Go: bindVerb: binds instead of the DefaultBinder; return an error message to fail. */
  bind?(pod: Pod, nodeName: string): string | null | undefined | Promise<string | null | undefined>;
}

export interface KubeSchedulerConfiguration {
  apiVersion?: string;
  kind?: string;
  parallelism?: number;
  percentageOfNodesToScore?: number;
  podInitialBackoffSeconds?: number;
  podMaxBackoffSeconds?: number;
  profiles?: KubeSchedulerProfile[];
  extenders?: Extender[];
}

export const SchemeGroupVersion = 'kubescheduler.config.k8s.io/v1';
/** Go: `v1.DefaultSchedulerName`. */
export const DefaultSchedulerName = 'default-scheduler';
/** Go: `extenderv1.MaxExtenderPriority`. */
export const MaxExtenderPriority = 10;
