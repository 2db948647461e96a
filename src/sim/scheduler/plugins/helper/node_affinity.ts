/**
 * Node selectors as the scheduler evaluates them: k8s.io/component-helpers
 * scheduling/corev1/nodeaffinity/nodeaffinity.go at v0.34.0 (`NodeSelector`,
 * `LazyErrorNodeSelector`, `PreferredSchedulingTerms`, `RequiredNodeAffinity`,
 * `nodeSelectorRequirementsAsSelector`, `nodeSelectorRequirementsAsFieldSelector`).
 * Terms are ORed, requirements inside a term ANDed; an empty term matches nothing.
 */
import { newRequirement, newSelector, selectorFromSet, type Operator, type Requirement, type Selector } from '../../../apimachinery/labels';
import type { Node, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, Pod, PreferredSchedulingTerm } from '../../../api/core/v1';

const labelOps: Record<string, Operator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!', Gt: 'gt', Lt: 'lt' };

function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** Go: `nodeSelectorRequirementsAsSelector`. */
function requirementsAsSelector(reqs: NodeSelectorRequirement[], path: string): [Selector | null, string[]] {
  const errs: string[] = [];
  const out: Requirement[] = [];
  reqs.forEach((expr, i) => {
    const op = labelOps[expr.operator];
    if (!op) {
      errs.push(`${path}[${i}].operator: Invalid value: ${goQuote(String(expr.operator))}: not a valid selector operator`);
      return;
    }
    try {
      out.push(newRequirement(expr.key, op, [...(expr.values ?? [])]));
    } catch (e) {
      errs.push(`${path}[${i}]: ${(e as Error).message}`);
    }
  });
  if (errs.length) return [null, errs];
  return [newSelector().add(...out), []];
}

/** Field requirements: only `metadata.name`, In or NotIn with exactly one value (Go: `nodeSelectorRequirementsAsFieldSelector`). */
type FieldMatch = (name: string) => boolean;
function requirementsAsFieldSelector(reqs: NodeSelectorRequirement[], path: string): [FieldMatch | null, string[]] {
  const errs: string[] = [];
  const checks: FieldMatch[] = [];
  reqs.forEach((expr, i) => {
    const p = `${path}[${i}]`;
    if (expr.key !== 'metadata.name') {
      errs.push(`${p}.key: Invalid value: ${goQuote(expr.key)}: field label not supported: ${expr.key}`);
      return;
    }
    const vals = expr.values ?? [];
    if (expr.operator !== 'In' && expr.operator !== 'NotIn') {
      errs.push(`${p}.operator: Invalid value: ${goQuote(String(expr.operator))}: not a valid field selector operator`);
      return;
    }
    if (vals.length !== 1) {
      errs.push(`${p}.values: Invalid value: ${JSON.stringify(vals)}: must have one element`);
      return;
    }
    const v = vals[0];
    checks.push(expr.operator === 'In' ? (name) => name === v : (name) => name !== v);
  });
  if (errs.length) return [null, errs];
  return [(name) => checks.every((c) => c(name)), []];
}

/** A parsed term (Go: `nodeSelectorTerm`). */
class ParsedTerm {
  matchLabels: Selector | null = null;
  matchFields: FieldMatch | null = null;
  parseErrs: string[] = [];

  constructor(term: NodeSelectorTerm, path: string) {
    if ((term.matchExpressions ?? []).length) {
      const [sel, errs] = requirementsAsSelector(term.matchExpressions ?? [], `${path}.matchExpressions`);
      this.matchLabels = sel;
      this.parseErrs.push(...errs);
    }
    if ((term.matchFields ?? []).length) {
      const [sel, errs] = requirementsAsFieldSelector(term.matchFields ?? [], `${path}.matchFields`);
      this.matchFields = sel;
      this.parseErrs.push(...errs);
    }
  }

  isEmpty(): boolean {
    return this.matchLabels === null && this.matchFields === null && this.parseErrs.length === 0;
  }

  /** Go: `nodeSelectorTerm.match`. */
  match(labels: Record<string, string>, nodeName: string | undefined): [boolean, string[]] {
    if (this.isEmpty()) return [false, []];
    if (this.parseErrs.length) return [false, this.parseErrs];
    if (this.matchLabels && !this.matchLabels.matches(labels)) return [false, []];
    if (this.matchFields && nodeName !== undefined && !this.matchFields(nodeName)) return [false, []];
    return [true, []];
  }
}

/** Go: `LazyErrorNodeSelector`: parse errors surface only when no term matches. */
export class LazyErrorNodeSelector {
  readonly #terms: ParsedTerm[];

  constructor(ns: NodeSelector) {
    this.#terms = (ns.nodeSelectorTerms ?? []).map((t, i) => new ParsedTerm(t, `nodeSelectorTerms[${i}]`));
  }

  /** True when some term matches; otherwise false, with the parse errors joined (Go's aggregate). */
  match(node: Node): [boolean, string | null] {
    const labels = node.metadata.labels ?? {};
    const errs: string[] = [];
    for (const t of this.#terms) {
      const [ok, e] = t.match(labels, node.metadata.name);
      if (ok) return [true, null];
      errs.push(...e);
    }
    return [false, errs.length ? aggregate(errs) : null];
  }
}

/** Go's `utilerrors.NewAggregate(...).Error()`: one message, or `[a, b]`. */
function aggregate(errs: string[]): string {
  return errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`;
}

/** Go: `PreferredSchedulingTerms`. */
export class PreferredSchedulingTerms {
  readonly #terms: { term: ParsedTerm; weight: number }[] = [];

  /** Throws the aggregated parse errors (Go: `NewPreferredSchedulingTerms` returns them). */
  constructor(terms: PreferredSchedulingTerm[]) {
    const errs: string[] = [];
    terms.forEach((t, i) => {
      if (!t.weight) return;
      const parsed = new ParsedTerm(t.preference ?? {}, `[${i}]`);
      if (parsed.parseErrs.length) errs.push(...parsed.parseErrs);
      else this.#terms.push({ term: parsed, weight: t.weight });
    });
    if (errs.length) throw new Error(aggregate(errs));
  }

  /** The sum of the weights of the terms the node matches (Go: `Score`). */
  score(node: Node): number {
    let score = 0;
    for (const { term, weight } of this.#terms) if (term.match(node.metadata.labels ?? {}, node.metadata.name)[0]) score += weight;
    return score;
  }
}

/** A pod's nodeSelector and required node affinity together (Go: `RequiredNodeAffinity`). */
export class RequiredNodeAffinity {
  readonly labelSelector: Selector | null;
  readonly nodeSelector: LazyErrorNodeSelector | null;

  constructor(pod: Pod) {
    const ns = pod.spec.nodeSelector;
    this.labelSelector = ns && Object.keys(ns).length ? selectorFromSet(ns) : null;
    const req = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    this.nodeSelector = req ? new LazyErrorNodeSelector(req) : null;
  }

  /** Go: `RequiredNodeAffinity.Match`: [matches, error]. */
  match(node: Node): [boolean, string | null] {
    if (this.labelSelector && !this.labelSelector.matches(node.metadata.labels ?? {})) return [false, null];
    if (this.nodeSelector) return this.nodeSelector.match(node);
    return [true, null];
  }
}

/** Go: `GetRequiredNodeAffinity`. */
export function getRequiredNodeAffinity(pod: Pod): RequiredNodeAffinity {
  return new RequiredNodeAffinity(pod);
}
