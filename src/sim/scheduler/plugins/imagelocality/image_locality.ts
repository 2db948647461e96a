/**
 * Upstream: pkg/scheduler/framework/plugins/imagelocality/image_locality.go (ImageLocality.Score,
 * calculatePriority, sumImageScores, scaledImageScore, normalizedImageName) at v1.34.
 * Each image of the pod's init and regular containers already on the node adds its size scaled by
 * the share of nodes that have it (spread), and the sum maps linearly from [23MB, 1000MB × containers]
 * to [0, 100] with Go's int64 division. No NormalizeScore.
 */
import type { Pod } from '../../../api/core/v1';
import { MaxNodeScore, type Handle, type Plugin } from '../../framework/interface';
import { asStatus, type MaybeStatus } from '../../framework/status';
import type { ImageStateSummary, NodeInfo } from '../../framework/types';

export const Name = 'ImageLocality';

const mb = 1024 * 1024;
/** The image score range: sizes of 90% of Docker Hub's images, compressed, fall in it. */
export const minThreshold = 23 * mb;
export const maxContainerThreshold = 1000 * mb;

/** Go: `normalizedImageName`: a name without a tag after its last `/` gets `:latest`. */
export function normalizedImageName(name: string): string {
  return name.lastIndexOf(':') <= name.lastIndexOf('/') ? `${name}:latest` : name;
}

/** Go: `scaledImageScore`: `int64(float64(size) * float64(numNodes)/float64(totalNumNodes))`. */
export function scaledImageScore(state: ImageStateSummary, totalNumNodes: number): number {
  const spread = state.numNodes / totalNumNodes;
  return Math.trunc(state.size * spread);
}

/**
 * Score normalizes every container's image again on every node; the names repeat, so each is
 * normalized once (a pure function; bounded, so a long session cannot grow it without end).
 */
const normalizedNames = new Map<string, string>();
function normalizedNameOf(name: string): string {
  let n = normalizedNames.get(name);
  if (n === undefined) {
    if (normalizedNames.size >= 1024) normalizedNames.clear();
    normalizedNames.set(name, (n = normalizedImageName(name)));
  }
  return n;
}

function addImageScores(sum: number, containers: readonly { image?: string }[] | undefined, nodeInfo: NodeInfo, totalNumNodes: number): number {
  if (!containers) return sum;
  for (const c of containers) {
    const state = nodeInfo.imageStates.get(normalizedNameOf(c.image ?? ''));
    if (state) sum += scaledImageScore(state, totalNumNodes);
  }
  return sum;
}

/** Go: `sumImageScores`: init containers first, then containers, each image counted per container. */
export function sumImageScores(nodeInfo: NodeInfo, pod: Pod, totalNumNodes: number): number {
  const sum = addImageScores(0, pod.spec.initContainers, nodeInfo, totalNumNodes);
  return addImageScores(sum, pod.spec.containers, nodeInfo, totalNumNodes);
}

/** Go: `calculatePriority`. */
export function calculatePriority(sumScores: number, numContainers: number): number {
  const maxThreshold = maxContainerThreshold * numContainers;
  // An if/else, not a clamp: with no containers (max 0) a small sum still scores 0, as upstream.
  let s = sumScores;
  if (s < minThreshold) s = minThreshold;
  else if (s > maxThreshold) s = maxThreshold;
  // `|| 0`: Go's int64 has no negative zero (0 / -x).
  return Math.trunc((MaxNodeScore * (s - minThreshold)) / (maxThreshold - minThreshold)) || 0;
}

export class ImageLocality implements Plugin {
  readonly name = Name;
  constructor(private readonly handle: Handle) {}

  score(_state: unknown, pod: Pod, nodeInfo: NodeInfo): [number, MaybeStatus] {
    let total: number;
    try {
      total = this.handle.snapshotSharedLister().nodeInfos().list().length;
    } catch (e) {
      return [0, asStatus(e)];
    }
    const numContainers = (pod.spec.initContainers?.length ?? 0) + pod.spec.containers.length;
    return [calculatePriority(sumImageScores(nodeInfo, pod, total), numContainers), null];
  }

  scoreExtensions(): null {
    return null;
  }
}

export function newImageLocality(_args: unknown, handle: Handle): Plugin {
  return new ImageLocality(handle);
}
