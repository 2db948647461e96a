/**
 * How many cases each property test runs. `npm test` uses the number written at each property
 * (budgets count seeds, not seconds); `npm run fuzz -- --seeds N` sets KUBELAB_FUZZ_RUNS and every
 * property runs N cases instead. fast-check prints the seed and the shrunk case of a failure;
 * rerun it with `fc.assert(..., { seed, path })`.
 */
export function runs(inTestSuite: number): number {
  const n = Number(process.env.KUBELAB_FUZZ_RUNS);
  return Number.isInteger(n) && n > 0 ? n : inTestSuite;
}
