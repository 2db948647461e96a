// Mutants of the kubectl-by-url lab: plausible wrong versions of its solution, each caught by the
// check written for that mistake while the others still pass.
import { defineMutants } from './mutants';

const lab = 'kubectl-by-url';

defineMutants([
  {
    name: 'every group under /api',
    lab,
    from: "const parts = ref.group === '' ? ['api', ref.version] : ['apis', ref.group, ref.version];",
    to: "const parts = ['api', ...(ref.group ? [ref.group] : []), ref.version];",
    fails: ['buildsPaths'],
    passes: ['sendsListOptions', 'predictsStatusCodes', 'readsVerboseOutput'],
  },
  {
    name: 'subresource dropped',
    lab,
    from: 'if (ref.subresource) parts.push(ref.subresource);',
    to: '',
    fails: ['buildsPaths'],
    passes: ['sendsListOptions', 'resolvesThroughDiscovery'],
  },
  {
    name: 'a namespaces segment even for cluster-scoped and all-namespaces requests',
    lab,
    from: "if (ref.namespace) parts.push('namespaces', ref.namespace);",
    to: "parts.push('namespaces', ref.namespace ?? 'default');",
    fails: ['buildsPaths'],
  },
  {
    name: 'watch without its resourceVersion',
    lab,
    from: 'if (options.resourceVersion !== undefined) q.resourceVersion = options.resourceVersion;',
    to: '',
    fails: ['sendsListOptions'],
    passes: ['buildsPaths', 'resolvesThroughDiscovery'],
  },
  {
    name: 'continue token ignored (every page is the first)',
    lab,
    from: 'if (options.continue) q.continue = options.continue;',
    to: '',
    fails: ['sendsListOptions'],
    passes: ['buildsPaths'],
  },
  {
    name: 'label selector sent as `selector`',
    lab,
    from: 'q.labelSelector = options.labelSelector;',
    to: 'q.selector = options.labelSelector;',
    fails: ['sendsListOptions'],
  },
  {
    name: 'discovery of the core group only',
    lab,
    from: "for (const g of groups.groups) groupVersions.push({ group: g.name, version: g.preferredVersion.version });",
    to: 'void groups;',
    fails: ['resolvesThroughDiscovery'],
    passes: ['buildsPaths', 'sendsListOptions'],
  },
  {
    name: 'discovery ignoring short names',
    lab,
    from: "const names = [r.name, r.singularName ?? '', r.kind.toLowerCase(), ...(r.shortNames ?? [])];",
    to: "const names = [r.name, r.singularName ?? '', r.kind.toLowerCase()];",
    fails: ['resolvesThroughDiscovery'],
  },
  {
    name: 'discovery taking the last listed version instead of the preferred one',
    lab,
    from: 'version: g.preferredVersion.version',
    to: "version: (g as unknown as { versions: Array<{ version: string }> }).versions.at(-1)!.version",
    fails: ['resolvesThroughDiscovery'],
    passes: ['buildsPaths'],
  },
  {
    name: 'prediction: a list in a missing namespace is a 404',
    lab,
    from: "listMissingNamespace: { code: 200, reason: '' },",
    to: "listMissingNamespace: { code: 404, reason: 'NotFound' },",
    fails: ['predictsStatusCodes'],
    passes: ['buildsPaths', 'readsVerboseOutput'],
  },
  {
    name: 'prediction: a too-old watch is an HTTP 410 Gone',
    lab,
    from: "watchTooOld: { code: 410, reason: 'Expired' },",
    to: "watchTooOld: { code: 410, reason: 'Gone' },",
    fails: ['predictsStatusCodes'],
  },
  {
    name: 'prediction: a stale update is AlreadyExists',
    lab,
    from: "updateStale: { code: 409, reason: 'Conflict' },",
    to: "updateStale: { code: 409, reason: 'AlreadyExists' },",
    fails: ['predictsStatusCodes'],
  },
  {
    name: 'seen with -v=8: kubectl patch sends JSON merge patches',
    lab,
    from: "patchContentType: 'application/strategic-merge-patch+json',",
    to: "patchContentType: 'application/merge-patch+json',",
    fails: ['readsVerboseOutput'],
    passes: ['predictsStatusCodes'],
  },
  {
    name: 'seen with -v=8: the watch carries no resourceVersion',
    lab,
    from: "watchParams: ['resourceVersion', 'watch'],",
    to: "watchParams: ['watch'],",
    fails: ['readsVerboseOutput'],
  },
]);
