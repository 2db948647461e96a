/**
 * The namespace deleter's status conditions: each sync sets all five condition types, the
 * failing ones True with what failed, the others False with their "ok" reason, so a condition
 * that cleared says so instead of lingering.
 * Upstream: pkg/controller/namespace/deletion/status_condition_utils.go (kubernetes v1.34)
 */

export type NamespaceConditionType =
  | 'NamespaceDeletionDiscoveryFailure'
  | 'NamespaceDeletionGroupVersionParsingFailure'
  | 'NamespaceDeletionContentFailure'
  | 'NamespaceContentRemaining'
  | 'NamespaceFinalizersRemaining';

export interface NamespaceCondition {
  type: NamespaceConditionType | string;
  status: 'True' | 'False' | 'Unknown';
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** The condition types the deleter maintains, in the order it writes them (Go: `conditionTypes`). */
export const conditionTypes: readonly NamespaceConditionType[] = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
];

export const okMessages: Record<NamespaceConditionType, string> = {
  NamespaceDeletionDiscoveryFailure: 'All resources successfully discovered',
  NamespaceDeletionGroupVersionParsingFailure: 'All legacy kube types successfully parsed',
  NamespaceDeletionContentFailure: 'All content successfully deleted, may be waiting on finalization',
  NamespaceContentRemaining: 'All content successfully removed',
  NamespaceFinalizersRemaining: 'All content-preserving finalizers finished',
};

export const okReasons: Record<NamespaceConditionType, string> = {
  NamespaceDeletionDiscoveryFailure: 'ResourcesDiscovered',
  NamespaceDeletionGroupVersionParsingFailure: 'ParsedGroupVersions',
  NamespaceDeletionContentFailure: 'ContentDeleted',
  NamespaceContentRemaining: 'ContentRemoved',
  NamespaceFinalizersRemaining: 'ContentHasNoFinalizers',
};

/** A discovery failure for some groups (Go: `discovery.ErrGroupDiscoveryFailed`). */
export class ErrGroupDiscoveryFailed extends Error {
  constructor(readonly groups: Map<string, Error>) {
    const parts = [...groups].map(([gv, e]) => `${gv}: ${e.message}`).sort();
    super(`unable to retrieve the complete list of server APIs: ${parts.join(', ')}`);
  }
}

/** What remains after one pass: instances per resource ("pods." for core), instances per finalizer. */
export interface ContentTotals {
  gvrToNumRemaining: Map<string, number>;
  finalizersToNumRemaining: Map<string, number>;
}

// Upstream: status_condition_utils.go (namespaceConditionUpdater)
export class NamespaceConditionUpdater {
  readonly newConditions: NamespaceCondition[] = [];
  readonly deleteContentErrors: Error[] = [];
  constructor(private readonly now: () => string) {}

  // Upstream: status_condition_utils.go (ProcessGroupVersionErr)
  processGroupVersionErr(err: Error): void {
    this.newConditions.push({ type: 'NamespaceDeletionGroupVersionParsingFailure', status: 'True', lastTransitionTime: this.now(), reason: 'GroupVersionParsingFailed', message: err.message });
  }

  // Upstream: status_condition_utils.go (ProcessDiscoverResourcesErr)
  processDiscoverResourcesErr(err: Error): void {
    const message = err instanceof ErrGroupDiscoveryFailed ? `Discovery failed for some groups, ${err.groups.size} failing: ${err.message}` : err.message;
    this.newConditions.push({ type: 'NamespaceDeletionDiscoveryFailure', status: 'True', lastTransitionTime: this.now(), reason: 'DiscoveryFailed', message });
  }

  // Upstream: status_condition_utils.go (ProcessContentTotals)
  processContentTotals(t: ContentTotals): void {
    // Go sorts the formatted parts "for stable updates": map order would flip the message each pass.
    const resources = [...t.gvrToNumRemaining].filter(([, n]) => n > 0).map(([gr, n]) => `${gr} has ${n} resource instances`).sort();
    if (t.gvrToNumRemaining.size > 0) {
      this.newConditions.push({ type: 'NamespaceContentRemaining', status: 'True', lastTransitionTime: this.now(), reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${resources.join(', ')}` });
    }
    const byFinalizer = [...t.finalizersToNumRemaining].filter(([, n]) => n > 0).map(([f, n]) => `${f} in ${n} resource instances`).sort();
    if (t.finalizersToNumRemaining.size > 0) {
      this.newConditions.push({ type: 'NamespaceFinalizersRemaining', status: 'True', lastTransitionTime: this.now(), reason: 'SomeFinalizersRemain', message: `Some content in the namespace has finalizers remaining: ${byFinalizer.join(', ')}` });
    }
  }

  // Upstream: status_condition_utils.go (ProcessDeleteContentErr)
  processDeleteContentErr(err: Error): void {
    this.deleteContentErrors.push(err);
  }

  /** Writes the conditions into `status` (changed in place); true when anything changed (Go: `Update`). */
  // Upstream: status_condition_utils.go (Update, makeDeleteContentCondition)
  update(status: { conditions?: NamespaceCondition[] }): boolean {
    if (!this.newConditions.some((c) => c.type === 'NamespaceDeletionContentFailure') && this.deleteContentErrors.length > 0) {
      const msgs = this.deleteContentErrors.map((e) => e.message).sort();
      this.newConditions.push({
        type: 'NamespaceDeletionContentFailure',
        status: 'True',
        lastTransitionTime: this.now(),
        reason: 'ContentDeletionFailed',
        message: `Failed to delete all resource types, ${msgs.length} remaining: ${msgs.join(', ')}`,
      });
    }
    return updateConditions(status, this.newConditions, this.now);
  }
}

/** Sets every maintained type: the new condition or its "ok" variant; lastTransitionTime moves only when status flips. */
// Upstream: status_condition_utils.go (updateConditions, newSuccessfulCondition)
export function updateConditions(status: { conditions?: NamespaceCondition[] }, newConditions: NamespaceCondition[], now: () => string): boolean {
  let changed = false;
  const conditions = (status.conditions ??= []);
  for (const type of conditionTypes) {
    const next = newConditions.find((c) => c.type === type) ?? { type, status: 'False', lastTransitionTime: now(), reason: okReasons[type], message: okMessages[type] };
    const old = conditions.find((c) => c.type === type);
    if (!old) {
      conditions.push({ ...next });
      changed = true;
    } else if (old.status !== next.status || old.message !== next.message || old.reason !== next.reason) {
      if (old.status !== next.status) old.lastTransitionTime = now();
      old.status = next.status;
      old.reason = next.reason;
      old.message = next.message;
      changed = true;
    }
  }
  return changed;
}
