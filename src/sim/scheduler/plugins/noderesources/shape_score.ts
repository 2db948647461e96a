/**
 * The broken-linear function RequestedToCapacityRatio scores with (and VolumeBinding, later):
 * pkg/scheduler/framework/plugins/helper/shape_score.go at v1.34. It lives here until the
 * shared plugins/helper folder has it.
 */

/** Go: `helper.FunctionShapePoint`. */
export interface FunctionShapePoint {
  utilization: number;
  score: number;
}

/**
 * f(p) is shape[0].score left of the first point, shape[n-1].score right of the last, and
 * linear between points, in int64 arithmetic (the division truncates toward zero).
 */
// Upstream: pkg/scheduler/framework/plugins/helper/shape_score.go (BuildBrokenLinearFunction)
export function buildBrokenLinearFunction(shape: readonly FunctionShapePoint[]): (p: number) => number {
  return (p: number): number => {
    for (let i = 0; i < shape.length; i++) {
      if (p <= shape[i].utilization) {
        if (i === 0) return shape[0].score;
        const prev = shape[i - 1];
        return prev.score + Math.trunc(((shape[i].score - prev.score) * (p - prev.utilization)) / (shape[i].utilization - prev.utilization));
      }
    }
    return shape[shape.length - 1].score;
  };
}
