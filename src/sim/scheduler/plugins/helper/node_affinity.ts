/**
 * Node selectors as the scheduler evaluates them: k8s.io/component-helpers
 * scheduling/corev1/nodeaffinity/nodeaffinity.go at v0.34.0 (`NodeSelector`,
 * `LazyErrorNodeSelector`, `PreferredSchedulingTerms`, `RequiredNodeAffinity`,
 * `nodeSelectorRequirementsAsSelector`, `nodeSelectorRequirementsAsFieldSelector`).
 * Terms are ORed, requirements inside a term ANDed; an empty term matches nothing.
 * Parse errors are field errors with upstream's paths (`nodeSelectorTerms[0].matchFields[0].values`),
 * flattened into one aggregate as `errors.Flatten(errors.NewAggregate(errs))` does.
 */
import { Aggregate, Path, invalid, newAggregate, notSupported } from '../../../apimachinery/field';
import { newRequirement, newSelector, selectorFromSet, type Operator, type Requirement, type Selector } from '../../../apimachinery/labels';
import type { Node, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, Pod, PreferredSchedulingTerm } from '../../../api/core/v1';

const labelOps: Record<string, Operator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!', Gt: 'gt', Lt: 'lt' };
const validSelectorOperators = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'];
const validFieldSelectorOperators = ['In', 'NotIn'];

/** Go's methods on a nil `*field.Path` work: `nil.Index(0)` prints `[0]`, `nil.Child("a")` prints `a`. */
function child(p: Path | null, name: string): Path {
  return p ? p.child(name) : new Path(name, '', null);
}
function index(p: Path | null, i: number): Path {
  return p ? p.index(i) : new Path('', String(i), null);
}

/** Nested aggregates flattened into their field errors (Go: `errors.Flatten`). */
function flatten(errs: readonly Error[]): Error[] {
  return errs.flatMap((e) => (e instanceof Aggregate ? flatten(e.errors) : [e]));
}

/** Go: `errors.Flatten(errors.NewAggregate(errs))`; undefined for none. */
function flatAggregate(errs: readonly Error[]): Aggregate | undefined {
  return newAggregate(flatten(errs));
}

/** Go: `nodeSelectorRequirementsAsSelector`. */
function requirementsAsSelector(reqs: NodeSelectorRequirement[], path: Path): [Selector | null, Error[]] {
  const errs: Error[] = [];
  const out: Requirement[] = [];
  reqs.forEach((expr, i) => {
    const p = index(path, i);
    const op = labelOps[expr.operator];
    if (!op) {
      errs.push(notSupported(p.child('operator'), expr.operator, validSelectorOperators));
      return;
    }
    try {
      out.push(newRequirement(expr.key, op, [...(expr.values ?? [])], p));
    } catch (e) {
      errs.push(e as Error);
    }
  });
  if (errs.length) return [null, errs];
  return [newSelector().add(...out), []];
}

/** The fields a node selector can match: `metadata.name`, only when the node has a name (Go: `extractNodeFields`). */
type FieldSet = Record<string, string>;
type FieldMatch = (fields: FieldSet) => boolean;

/** Go: `nodeSelectorRequirementsAsFieldSelector`: In / NotIn with exactly one value, any key. */
function requirementsAsFieldSelector(reqs: NodeSelectorRequirement[], path: Path): [FieldMatch | null, Error[]] {
  const errs: Error[] = [];
  const checks: FieldMatch[] = [];
  reqs.forEach((expr, i) => {
    const p = index(path, i);
    const vals = expr.values ?? [];
    if (expr.operator !== 'In' && expr.operator !== 'NotIn') {
      errs.push(notSupported(p.child('operator'), expr.operator, validFieldSelectorOperators));
      return;
    }
    if (vals.length !== 1) {
      errs.push(invalid(p.child('values'), vals, 'must have one element'));
      return;
    }
    const [key, v] = [expr.key, vals[0]];
    checks.push(expr.operator === 'In' ? (f) => (f[key] ?? '') === v : (f) => (f[key] ?? '') !== v);
  });
  if (errs.length) return [null, errs];
  return [(f) => checks.every((c) => c(f)), []];
}

function isEmptyTerm(term: NodeSelectorTerm): boolean {
  return (term.matchExpressions ?? []).length === 0 && (term.matchFields ?? []).length === 0;
}

function nodeFields(node: Node): FieldSet {
  const name = node.metadata.name ?? '';
  return name ? { 'metadata.name': name } : {};
}

/** A parsed, non-empty term (Go: `nodeSelectorTerm`). */
class ParsedTerm {
  matchLabels: Selector | null = null;
  matchFields: FieldMatch | null = null;
  parseErrs: Error[] = [];

  constructor(term: NodeSelectorTerm, path: Path) {
    if ((term.matchExpressions ?? []).length) {
      const [sel, errs] = requirementsAsSelector(term.matchExpressions ?? [], child(path, 'matchExpressions'));
      this.matchLabels = sel;
      this.parseErrs.push(...errs);
    }
    if ((term.matchFields ?? []).length) {
      const [sel, errs] = requirementsAsFieldSelector(term.matchFields ?? [], child(path, 'matchFields'));
      this.matchFields = sel;
      this.parseErrs.push(...errs);
    }
  }

  /** Go: `nodeSelectorTerm.match`: field requirements are skipped for a node without a name. */
  match(labels: Record<string, string>, fields: FieldSet): [boolean, Error[]] {
    if (this.parseErrs.length) return [false, this.parseErrs];
    if (this.matchLabels && !this.matchLabels.matches(labels)) return [false, []];
    if (this.matchFields && Object.keys(fields).length > 0 && !this.matchFields(fields)) return [false, []];
    return [true, []];
  }
}

/** Go: `LazyErrorNodeSelector`: parse errors surface only when no term matches. */
export class LazyErrorNodeSelector {
  readonly terms: ParsedTerm[] = [];

  /** Go: `NewLazyErrorNodeSelector(ns, field.WithPath(path))`; empty terms are dropped. */
  constructor(ns: NodeSelector, path: Path | null = null) {
    const termsPath = child(path, 'nodeSelectorTerms');
    (ns.nodeSelectorTerms ?? []).forEach((t, i) => {
      if (!isEmptyTerm(t)) this.terms.push(new ParsedTerm(t, index(termsPath, i)));
    });
  }

  /** True when some term matches; otherwise false with the parse errors aggregated (Go: `Match`). */
  matchErr(node: Node | null): [boolean, Aggregate | null] {
    if (!node) return [false, null];
    const labels = node.metadata.labels ?? {};
    const fields = nodeFields(node);
    const errs: Error[] = [];
    for (const t of this.terms) {
      const [ok, e] = t.match(labels, fields);
      if (e.length) {
        errs.push(...e);
        continue;
      }
      if (ok) return [true, null];
    }
    return [false, flatAggregate(errs) ?? null];
  }

  /** As `matchErr`, with the error as its message. */
  match(node: Node | null): [boolean, string | null] {
    const [ok, err] = this.matchErr(node);
    return [ok, err ? err.message : null];
  }
}

/** A selector whose parse errors were reported at construction (Go: `NodeSelector`). */
export class NodeSelectorMatcher {
  constructor(readonly lazy: LazyErrorNodeSelector) {}

  /** Go: `NodeSelector.Match`. */
  match(node: Node | null): boolean {
    return this.lazy.matchErr(node)[0];
  }
}

/** Go: `NewNodeSelector`: throws the aggregate of every term's parse errors. */
export function newNodeSelector(ns: NodeSelector, path: Path | null = null): NodeSelectorMatcher {
  const lazy = new LazyErrorNodeSelector(ns, path);
  const agg = flatAggregate(lazy.terms.flatMap((t) => t.parseErrs));
  if (agg) throw agg;
  return new NodeSelectorMatcher(lazy);
}

/** Go: `PreferredSchedulingTerms`. */
export class PreferredSchedulingTerms {
  readonly #terms: { term: ParsedTerm; weight: number }[] = [];

  /**
   * Throws the aggregated parse errors (Go: `NewPreferredSchedulingTerms` returns them). Terms with
   * weight 0 or an empty preference are skipped unparsed.
   */
  constructor(terms: PreferredSchedulingTerm[], path: Path | null = null) {
    const errs: Error[] = [];
    terms.forEach((t, i) => {
      if (!t.weight || isEmptyTerm(t.preference ?? {})) return;
      const parsed = new ParsedTerm(t.preference, index(path, i));
      if (parsed.parseErrs.length) errs.push(...parsed.parseErrs);
      else this.#terms.push({ term: parsed, weight: t.weight });
    });
    const agg = flatAggregate(errs);
    if (agg) throw agg;
  }

  /** The sum of the weights of the terms the node matches (Go: `Score`). */
  score(node: Node): number {
    const labels = node.metadata.labels ?? {};
    const fields = nodeFields(node);
    let score = 0;
    for (const { term, weight } of this.#terms) if (term.match(labels, fields)[0]) score += weight;
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

  /** Go: `RequiredNodeAffinity.Match`: [matches, error message]. */
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

/** Go: component-helpers `MatchNodeSelectorTerms(node, nodeSelector)`: the lazy selector's match, errors as text. */
export function matchNodeSelectorTerms(node: Node | null, ns: NodeSelector | null): [boolean, string | null] {
  if (!node || !ns) return [false, null];
  return new LazyErrorNodeSelector(ns).match(node);
}
