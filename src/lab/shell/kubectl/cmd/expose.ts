/**
 * `kubectl expose (-f FILENAME | TYPE NAME) [--port=...] [--protocol=...] [--target-port=...]
 * [--name=...] [--type=...] [--cluster-ip=None] ...`: a Service whose selector, ports and labels
 * come from the object exposed.
 * Upstream: kubectl v0.34.0 pkg/cmd/expose/expose.go (RunExpose, createService, parseLabels,
 * makeProtocols, parseProtocols) and pkg/polymorphichelpers (canBeExposed,
 * mapBasedSelectorForObject, portsForObject, multiProtocolsForObject, MakeLabels).
 * Go iterates maps in random order; here selectors and labels keep the object's key order.
 */
import { resourcePath } from '../client/discovery';
import { KubectlError } from '../client/errors';
import { getObject, resolveTargets } from '../builder';
import type { KubectlContext, Subcommand } from '../context';
import { visitManifests, type Obj } from '../manifest';
import { dryRun, printResult, validationQuery } from './apply';

/** Go: `validation.DNS1035LabelMaxLength`. */
const DNS1035LabelMaxLength = 63;

// Upstream: polymorphichelpers/canbeexposed.go (canBeExposed)
function canBeExposed(group: string, kind: string): void {
  const ok = (group === '' && ['ReplicationController', 'Service', 'Pod'].includes(kind)) || (group === 'apps' && ['Deployment', 'ReplicaSet'].includes(kind));
  if (!ok) throw new KubectlError(`cannot expose a ${group ? `${kind}.${group}` : kind}`);
}

const makeLabels = (labels: Record<string, string> | undefined): string =>
  Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

/** Go's `%+v` of a []LabelSelectorRequirement. */
const formatExpressions = (exprs: Obj[]): string => `[${exprs.map((e) => `{Key:${e.key} Operator:${e.operator} Values:[${((e.values as string[]) ?? []).join(' ')}]}`).join(' ')}]`;

// Upstream: polymorphichelpers/mapbasedselectorforobject.go (mapBasedSelectorForObject)
function selectorFor(kind: string, o: Obj): string {
  switch (kind) {
    case 'ReplicationController':
      return makeLabels(o.spec?.selector);
    case 'Pod':
      if (Object.keys(o.metadata?.labels ?? {}).length === 0) throw new Error('the pod has no labels and cannot be exposed');
      return makeLabels(o.metadata.labels);
    case 'Service':
      if (!o.spec?.selector) throw new Error('the service has no pod selector set');
      return makeLabels(o.spec.selector);
    default: {
      const what = kind === 'Deployment' ? 'deployment' : 'replicaset';
      const sel = o.spec?.selector as Obj | undefined;
      if (!sel || Object.keys(sel.matchLabels ?? {}).length === 0) throw new Error(`invalid ${what}: no selectors, therefore cannot be exposed`);
      if ((sel.matchExpressions ?? []).length > 0) throw new Error(`couldn't convert expressions - "${formatExpressions(sel.matchExpressions)}" to map-based selector format`);
      return makeLabels(sel.matchLabels);
    }
  }
}

/** Each port of the object with its protocols, in order (Go: portsForObject + multiProtocolsForObject). */
function portsFor(kind: string, o: Obj): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (port: unknown, protocol: unknown) => {
    const key = String(port);
    out.set(key, [...(out.get(key) ?? []), typeof protocol === 'string' && protocol ? protocol : 'TCP']);
  };
  if (kind === 'Service') for (const p of (o.spec?.ports as Obj[]) ?? []) add(p.port, p.protocol);
  else {
    const spec = kind === 'Pod' ? o.spec : o.spec?.template?.spec;
    for (const c of (spec?.containers as Obj[]) ?? []) for (const p of (c.ports as Obj[]) ?? []) add(p.containerPort, p.protocol);
  }
  return out;
}

// Upstream: expose.go (parseLabels)
function parseLabels(spec: string): Record<string, string> {
  if (!spec) throw new KubectlError('no label spec passed');
  const labels: Record<string, string> = {};
  for (const part of spec.split(',')) {
    const kv = part.split('=');
    if (kv.length !== 2) throw new KubectlError(`unexpected label spec: ${part}`);
    if (!kv[0]) throw new KubectlError('unexpected empty label key');
    labels[kv[0]] = kv[1];
  }
  return labels;
}

/** Go's `strconv.Atoi` error text. */
function atoi(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw new KubectlError(`strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  return Number(s);
}

interface ExposeInput {
  name: string;
  selector: string;
  labels: string;
  port: string;
  /** Set iff --port is empty and the object has several ports. */
  ports: string;
  protocols: Map<string, string[]>;
}

// Upstream: expose.go (ExposeServiceOptions.createService)
function createService(ctx: KubectlContext, input: ExposeInput): Obj {
  const f = ctx.flags;
  if (!input.selector) throw new KubectlError('selector must be specified');
  const selector = parseLabels(input.selector);
  const labels = input.labels ? parseLabels(input.labels) : undefined;
  const name = f.str('name') || input.name;
  if (!name) throw new KubectlError('name must be specified');
  const portString = input.ports || input.port;
  const ports: Obj[] = [];
  const protocol = f.str('protocol');
  if (portString) {
    const list = portString.split(',');
    list.forEach((s, i) => {
      const port = atoi(s);
      const portName = list.length > 1 ? `port-${i + 1}` : undefined;
      let proto = protocol;
      if (!proto && input.protocols.size === 0) proto = 'TCP';
      else if (!proto) {
        proto = 'TCP';
        const found = input.protocols.get(s);
        if (found?.length === 1) proto = found[0];
        else if (found) {
          // One Service port per protocol, named after it: port-1-tcp, port-1-udp.
          for (const p of found) ports.push({ name: `port-${i + 1}-${p.toLowerCase()}`, port, protocol: p });
          return;
        }
      }
      ports.push({ ...(portName ? { name: portName } : {}), port, protocol: proto });
    });
  }
  const targetPort = f.str('target-port');
  for (const p of ports) p.targetPort = targetPort ? (/^\d+$/.test(targetPort) ? Number(targetPort) : targetPort) : p.port;
  const spec: Obj = { ports, selector };
  const externalIP = f.str('external-ip');
  if (externalIP) spec.externalIPs = [externalIP];
  const type = f.str('type');
  if (type) spec.type = type;
  if (type === 'LoadBalancer') spec.loadBalancerIP = f.str('load-balancer-ip');
  const affinity = f.str('session-affinity');
  if (affinity) {
    if (affinity !== 'None' && affinity !== 'ClientIP') throw new KubectlError(`unknown session affinity: ${affinity}`);
    spec.sessionAffinity = affinity;
  }
  const clusterIP = f.str('cluster-ip');
  if (clusterIP) spec.clusterIP = clusterIP;
  return { kind: 'Service', apiVersion: 'v1', metadata: { name, ...(labels ? { labels } : {}) }, spec };
}

// Upstream: expose.go (RunExpose, its visitor)
async function exposeOne(ctx: KubectlContext, group: string, kind: string, obj: Obj): Promise<void> {
  canBeExposed(group, kind);
  const f = ctx.flags;
  let selector = f.str('selector');
  if (!selector) {
    try {
      selector = selectorFor(kind, obj);
    } catch (err) {
      throw new KubectlError(`couldn't retrieve selectors via --selector flag or introspection: ${(err as Error).message}`);
    }
  }
  const protocols = portsFor(kind, obj);
  let port = f.str('port');
  let ports = '';
  if (!port) {
    const found = [...protocols.keys()];
    if (found.length === 0 && f.str('cluster-ip') !== 'None') throw new KubectlError("couldn't find port via --port flag or introspection");
    if (found.length === 1) port = found[0];
    else if (found.length > 1) ports = found.join(',');
  }
  const service = createService(ctx, {
    name: String(obj.metadata?.name ?? '').slice(0, DNS1035LabelMaxLength),
    selector,
    labels: f.str('labels') || makeLabels(obj.metadata?.labels),
    port,
    ports,
    protocols,
  });
  const services = await ctx.discovery.resourceFor('services');
  if (dryRun(ctx) === 'client') {
    if (ctx.explicitNamespace) service.metadata.namespace = ctx.namespace;
    printResult(ctx, service, 'exposed');
    return;
  }
  const created = await ctx.rest.do<Obj>({ verb: 'POST', path: resourcePath(services, ctx.namespace), query: validationQuery(ctx, 'kubectl-expose'), body: service });
  printResult(ctx, { apiVersion: 'v1', kind: 'Service', ...created }, 'exposed');
}

async function run(ctx: KubectlContext, args: string[]): Promise<number> {
  const files = ctx.flags.list('filename');
  if (files.length > 0) {
    const visits = await visitManifests(ctx.files, files, ctx.discovery, ctx.namespace, ctx.explicitNamespace, false);
    for (const v of visits) {
      if (v.error) throw v.error;
      const live = await getObject(ctx, v.info.resource, v.info.name);
      await exposeOne(ctx, v.info.resource.group, v.info.resource.kind, live);
    }
    return 0;
  }
  const targets = await resolveTargets(ctx, args);
  if (targets.length === 0 || targets.every((t) => t.names.length === 0)) {
    throw new KubectlError(`You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'`);
  }
  for (const t of targets) {
    for (const name of t.names) await exposeOne(ctx, t.resource.group, t.resource.kind, await getObject(ctx, t.resource, name));
  }
  return 0;
}

export const exposeCommand: Subcommand = {
  name: 'expose',
  summary: 'Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service',
  usage: 'kubectl expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] [--type=type] [options]',
  examples: `  # Create a service for a pod valid-pod, which serves on port 444 with the name "frontend"
  kubectl expose pod valid-pod --port=444 --name=frontend

  # Create a second service based on the above service, exposing the container port 8443 as port 443 with the name "nginx-https"
  kubectl expose service nginx --port=443 --target-port=8443 --name=nginx-https

  # Create a service for a replicated nginx using replica set, which serves on port 80 and connects to the containers on port 8000
  kubectl expose rs nginx --port=80 --target-port=8000

  # Create a service for an nginx deployment, which serves on port 80 and connects to the containers on port 8000
  kubectl expose deployment nginx --port=80 --target-port=8000`,
  flags: [
    { name: 'protocol', type: 'string', help: "The network protocol for the service to be created. Default is 'TCP'." },
    { name: 'port', type: 'string', help: 'The port that the service should serve on. Copied from the resource being exposed, if unspecified' },
    { name: 'type', type: 'string', help: "Type for this service: ClusterIP, NodePort, LoadBalancer, or ExternalName. Default is 'ClusterIP'.", values: ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] },
    { name: 'load-balancer-ip', type: 'string', help: 'IP to assign to the LoadBalancer. If empty, an ephemeral IP will be created and used (cloud-provider specific).' },
    { name: 'selector', type: 'string', help: 'A label selector to use for this service. Only equality-based selector requirements are supported. If empty (the default) infer the selector from the replication controller or replica set.)' },
    { name: 'labels', short: 'l', type: 'string', help: 'Labels to apply to the service created by this call.' },
    { name: 'target-port', type: 'string', help: 'Name or number for the port on the container that the service should direct traffic to. Optional.' },
    { name: 'external-ip', type: 'string', help: 'Additional external IP address (not managed by Kubernetes) to accept for the service. If this IP is routed to a node, the service can be accessed by this IP in addition to its generated service IP.' },
    { name: 'name', type: 'string', help: 'The name for the newly created object.' },
    { name: 'session-affinity', type: 'string', help: "If non-empty, set the session affinity for the service to this; legal values: 'None', 'ClientIP'", values: ['None', 'ClientIP'] },
    { name: 'cluster-ip', type: 'string', help: "ClusterIP to be assigned to the service. Leave empty to auto-allocate, or set to 'None' to create a headless service." },
    { name: 'filename', short: 'f', type: 'stringArray', help: 'Filename, directory, or URL to files identifying the resource to expose a service' },
    { name: 'output', short: 'o', type: 'string', help: 'Output format. One of: (json, yaml, name).', values: ['json', 'yaml', 'name'] },
    { name: 'dry-run', type: 'string', def: 'none', help: 'Must be "none", "server", or "client".', values: ['none', 'server', 'client'] },
    { name: 'field-manager', type: 'string', def: 'kubectl-expose', help: 'Name of the manager used to track field ownership.' },
    { name: 'validate', type: 'string', def: 'strict', help: 'Must be one of: strict (or true), warn, ignore (or false).' },
  ],
  run,
};
