/**
 * A node where the preemptor would fit once its victims are gone.
 * Upstream: pkg/scheduler/framework/preemption/preemption.go (Candidate, candidate,
 * candidateList) and k8s.io/kube-scheduler extender/v1 (Victims).
 */
import type { Pod } from '../../../api/core/v1';

/** Go: `extenderv1.Victims`: the pods to preempt, most important first, and how many violate a PDB. */
export interface Victims {
  pods: Pod[];
  numPDBViolations: number;
}

/** Go: `Candidate`. */
export interface Candidate {
  /** The node the preemptor gets nominated to. */
  name: string;
  victims: Victims;
}

/**
 * A list that keeps at most `size` candidates, as upstream's fixed-size array does: adds past
 * the capacity are dropped. Upstream: preemption.go (candidateList)
 */
export class CandidateList {
  readonly #items: Candidate[] = [];
  readonly #size: number;

  constructor(size: number) {
    this.#size = size;
  }

  add(c: Candidate): void {
    if (this.#items.length < this.#size) this.#items.push(c);
  }

  size(): number {
    return this.#items.length;
  }

  get(): Candidate[] {
    return [...this.#items];
  }
}
