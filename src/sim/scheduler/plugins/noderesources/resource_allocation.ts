/**
 * What the resource scoring strategies share: pkg/scheduler/framework/plugins/noderesources/
 * resource_allocation.go at v1.34 (`resourceAllocationScorer`). Requests and allocatable are
 * listed in the order of the configured resources; a scorer turns the two lists into a score.
 */
import type { Pod } from '../../../api/core/v1';
import { newStatus, type Status } from '../../framework/status';
import type { NodeInfo } from '../../framework/types';
import type { ResourceSpec } from './args';
import { isScalarResourceName, podRequestAmounts, type ResourceRequestsOptions } from './requests';

/** Go: the `scorer func(requested, allocable []int64) int64` field. */
export type Scorer = (requested: number[], allocatable: number[]) => number;

export class ResourceAllocationScorer {
  constructor(
    readonly name: string,
    readonly scorer: Scorer,
    readonly resources: ResourceSpec[],
    /** Score on the requests as they are (BalancedAllocation) rather than the non-zero requests. */
    readonly useRequested: boolean,
    readonly opts: ResourceRequestsOptions,
  ) {}

  /** Scratch lists for `score`, reused node after node: the scorers read them and keep nothing. */
  #requested: number[] = [];
  #allocatable: number[] = [];

  // Upstream: resource_allocation.go (resourceAllocationScorer.score)
  score(nodeInfo: NodeInfo, podRequests: number[]): [number, Status | null] {
    const n = this.resources.length;
    if (n === 0) return [0, newStatus('Error', 'resources not found')];
    if (this.#requested.length !== n) {
      this.#requested = new Array<number>(n).fill(0);
      this.#allocatable = new Array<number>(n).fill(0);
    }
    const requested = this.#requested;
    const allocatable = this.#allocatable;
    for (let i = 0; i < n; i++) {
      const name = this.resources[i].name;
      // The two halves of calculateResourceAllocatableRequest, without a pair per node and resource.
      const alloc = this.#allocatableOf(nodeInfo, name, podRequests[i]) ?? 0;
      // A resource the node does not offer stays out of the score.
      allocatable[i] = alloc;
      requested[i] = alloc === 0 ? 0 : this.#requestedWith(nodeInfo, name, podRequests[i]);
    }
    return [this.scorer(requested, allocatable), null];
  }

  /**
   * The node's allocatable amount and what would be requested with the pod on it; (0, 0) for an
   * extended resource the pod does not ask for, so that it is not scored.
   */
  // Upstream: resource_allocation.go (resourceAllocationScorer.calculateResourceAllocatableRequest)
  calculateResourceAllocatableRequest(nodeInfo: NodeInfo, resource: string, podRequest: number): [number, number] {
    const alloc = this.#allocatableOf(nodeInfo, resource, podRequest);
    return alloc === undefined ? [0, 0] : [alloc, this.#requestedWith(nodeInfo, resource, podRequest)];
  }

  /** The node's allocatable amount; undefined where upstream returns (0, 0). */
  #allocatableOf(nodeInfo: NodeInfo, resource: string, podRequest: number): number | undefined {
    if (podRequest === 0 && isScalarResourceName(resource)) return undefined;
    switch (resource) {
      case 'cpu':
        return nodeInfo.allocatable.milliCPU;
      case 'memory':
        return nodeInfo.allocatable.memory;
      case 'ephemeral-storage':
        return nodeInfo.allocatable.ephemeralStorage;
      default:
        return nodeInfo.allocatable.scalarResources.get(resource);
    }
  }

  /** What the node's pods request of the resource, the pod's request added. */
  #requestedWith(nodeInfo: NodeInfo, resource: string, podRequest: number): number {
    const requested = this.useRequested ? nodeInfo.requested : nodeInfo.nonZeroRequested;
    switch (resource) {
      case 'cpu':
        return requested.milliCPU + podRequest;
      case 'memory':
        return requested.memory + podRequest;
      case 'ephemeral-storage':
        return nodeInfo.requested.ephemeralStorage + podRequest;
      default:
        return (nodeInfo.requested.scalarResources.get(resource) ?? 0) + podRequest;
    }
  }

  /** The pod's request of one resource; with the non-zero defaults unless `useRequested`. */
  // Upstream: resource_allocation.go (resourceAllocationScorer.calculatePodResourceRequest)
  calculatePodResourceRequest(pod: Pod, resourceName: string): number {
    return podRequestAmounts(pod, this.opts, !this.useRequested).get(resourceName) ?? 0;
  }

  // Upstream: resource_allocation.go (resourceAllocationScorer.calculatePodResourceRequestList)
  calculatePodResourceRequestList(pod: Pod): number[] {
    const amounts = podRequestAmounts(pod, this.opts, !this.useRequested);
    return this.resources.map((r) => amounts.get(r.name) ?? 0);
  }

  // Upstream: resource_allocation.go (resourceAllocationScorer.isBestEffortPod)
  isBestEffortPod(podRequests: number[]): boolean {
    return podRequests.every((r) => r === 0);
  }
}
