/**
 * `kubectl api-resources` (what discovery lists, preferred versions) and `kubectl api-versions`.
 */
import { KubectlError } from '../client/errors';
import type { Subcommand } from '../context';
import { TABLE_TABWRITER, TabWriter } from '../format/tabwriter';

export const apiResourcesCommand: Subcommand = {
  name: 'api-resources',
  summary: 'Print the supported API resources on the server',
  usage: 'kubectl api-resources [flags]',
  examples: `  # Print the supported API resources
  kubectl api-resources

  # Print the supported namespaced resources
  kubectl api-resources --namespaced=true

  # Print the supported API resources with a specific APIGroup
  kubectl api-resources --api-group=apps`,
  flags: [
    { name: 'output', short: 'o', type: 'string', help: 'Output format. One of: (wide, name).', values: ['wide', 'name'] },
    { name: 'api-group', type: 'string', help: 'Limit to resources in the specified API group.' },
    { name: 'namespaced', type: 'bool', def: 'true', help: 'If false, non-namespaced resources will be returned, otherwise returning namespaced resources by default.' },
    { name: 'verbs', type: 'stringArray', help: 'Limit to resources that support the specified verbs.' },
    { name: 'categories', type: 'stringArray', help: 'Limit to resources that belong to the specified categories.' },
    { name: 'sort-by', type: 'string', help: "If non-empty, sort list of resources using specified field. The field can be either 'name' or 'kind'.", values: ['name', 'kind'] },
    { name: 'no-headers', type: 'bool', help: "When using the default or custom-column output format, don't print headers (default print headers)." },
    { name: 'cached', type: 'bool', help: 'Use the cached list of resources if available.' },
  ],
  // Upstream: kubectl pkg/cmd/apiresources/apiresources.go (RunAPIResources), print_flags.go
  async run(ctx) {
    const f = ctx.flags;
    const output = f.str('output');
    if (output && output !== 'wide' && output !== 'name') {
      throw new KubectlError(`unable to match a printer suitable for the output format "${output}", allowed formats are: json,name,wide,yaml`);
    }
    const sortBy = f.str('sort-by');
    if (sortBy && sortBy !== 'name' && sortBy !== 'kind') throw new KubectlError(`--sort-by accepts only name or kind`);
    if (!f.bool('cached')) ctx.discovery.invalidate();
    const verbs = f.list('verbs').flatMap((v) => v.split(','));
    const categories = f.list('categories').flatMap((v) => v.split(','));
    const resources = (await ctx.discovery.resources())
      .filter((r) => r.preferred && r.verbs.length > 0)
      .filter((r) => !f.has('api-group') || r.group === f.str('api-group'))
      .filter((r) => !f.has('namespaced') || r.namespaced === f.bool('namespaced'))
      .filter((r) => verbs.every((v) => r.verbs.includes(v)))
      .filter((r) => categories.every((c) => r.categories.includes(c)));
    const key = (r: (typeof resources)[number]) => (sortBy === 'name' ? r.name : sortBy === 'kind' ? r.kind : r.group);
    const sorted = resources
      .map((r, i) => ({ r, i }))
      .sort((a, b) => (key(a.r) < key(b.r) ? -1 : key(a.r) > key(b.r) ? 1 : a.r.name < b.r.name ? -1 : a.r.name > b.r.name ? 1 : a.i - b.i))
      .map((x) => x.r);
    if (output === 'name') {
      for (const r of sorted) ctx.io.print(r.group ? `${r.name}.${r.group}` : r.name);
      return 0;
    }
    const w = new TabWriter(TABLE_TABWRITER);
    if (!f.bool('no-headers')) w.write(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', ...(output === 'wide' ? ['VERBS', 'CATEGORIES'] : [])].join('\t') + '\n');
    for (const r of sorted) {
      const gv = r.group ? `${r.group}/${r.version}` : r.version;
      const cells = [r.name, r.shortNames.join(','), gv, String(r.namespaced), r.kind];
      if (output === 'wide') cells.push(r.verbs.join(','), r.categories.join(','));
      w.write(cells.join('\t') + '\n');
    }
    const text = w.flush();
    if (text) ctx.io.print(text.replace(/\n$/, ''));
    return 0;
  },
};

export const apiVersionsCommand: Subcommand = {
  name: 'api-versions',
  summary: 'Print the supported API versions on the server, in the form of "group/version"',
  usage: 'kubectl api-versions',
  flags: [],
  // Upstream: kubectl pkg/cmd/apiresources/apiversions.go (RunAPIVersions)
  async run(ctx, args) {
    if (args.length) throw new KubectlError(`unexpected arguments: [${args.join(' ')}]`);
    ctx.discovery.invalidate();
    const gvs = [...new Set((await ctx.discovery.resources()).map((r) => (r.group ? `${r.group}/${r.version}` : r.version)))].sort();
    for (const gv of gvs) ctx.io.print(gv);
    return 0;
  },
};
