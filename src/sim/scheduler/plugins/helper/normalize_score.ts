/**
 * Upstream: pkg/scheduler/framework/plugins/helper/normalize_score.go (DefaultNormalizeScore)
 * Scales scores to [0, maxPriority] by the highest one, with Go's int64 division; `reverse`
 * turns the scale upside down (for plugins where a high raw score is bad, like TaintToleration).
 */
import type { NodeScore } from '../../framework/interface';

export function defaultNormalizeScore(maxPriority: number, reverse: boolean, scores: NodeScore[]): null {
  let maxCount = 0;
  for (const s of scores) if (s.score > maxCount) maxCount = s.score;
  if (maxCount === 0) {
    if (reverse) for (const s of scores) s.score = maxPriority;
    return null;
  }
  for (const s of scores) {
    let score = Math.trunc((maxPriority * s.score) / maxCount);
    if (reverse) score = maxPriority - score;
    s.score = score;
  }
  return null;
}
