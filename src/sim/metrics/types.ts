import type { Pod } from '../api/core/v1';

/** One container's usage at a sample: CPU in millicores, memory (working set) in bytes. */
export interface ContainerUsage {
  name: string;
  cpuMilli: number;
  memoryBytes: number;
}

/** A pod's usage as the kubelet's resource metrics endpoint reports it (one entry per running container). */
export interface PodUsage {
  containers: ContainerUsage[];
}

/** What a source knows besides the pod: the time of the sample and every pod scraped with it. */
export interface SampleContext {
  nowMs: number;
  /** The running pods of this scrape (a load profile shares its load among them). */
  pods: readonly Pod[];
}

/**
 * Where usage comes from: the kubelet's `/metrics/resource` in a real cluster, here a function the
 * lead wires to the kubelet model, or a scripted load profile (`load.ts`). `undefined`: no data
 * for the pod (the kubelet has not seen its containers yet).
 */
export type MetricsSource = (pod: Pod, ctx: SampleContext) => PodUsage | undefined;

/** A node's own usage (undefined: the sum of its pods', see README divergences). */
export type NodeMetricsSource = (nodeName: string, ctx: SampleContext) => { cpuMilli: number; memoryBytes: number } | undefined;
