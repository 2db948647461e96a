/**
 * `kubectl describe`: the object, then what the describer for its kind fetches (events with a
 * field selector on the involved object; a Deployment's ReplicaSets; a ReplicaSet's pods; a
 * Service's EndpointSlices; a Node's pods and Lease), printed as the describers print them.
 */
import type { ApiResource } from '../client/discovery';
import { resourcePath } from '../client/discovery';
import { AggregateError, KubectlError, StatusError } from '../client/errors';
import { getObject, listObjects, resolveTargets } from '../builder';
import type { KubectlContext, Subcommand } from '../context';
import { visitManifests, type Obj } from '../manifest';
import { jsonEqual } from '../patch';
import { describeDeployment, describeGeneric, describeNamespace, describeNode, describePod, describePodDisruptionBudget, describePriorityClass, describeReplicaSet, describeService, selectorString } from '../printers/describe';
import { withTypeMeta } from '../builder';
import { describeDaemonSet, describeHorizontalPodAutoscalerV1, describeHorizontalPodAutoscalerV2, describeJob, describeStatefulSet, type PodCounts } from '../printers/describe-workloads';

interface Described {
  resource: ApiResource;
  namespace: string;
  name: string;
}

/** The Events of an object: client-go's GetFieldSelector over name, namespace, kind and uid. */
// Upstream: kubectl pkg/describe/describe.go (searchEvents)
async function searchEvents(ctx: KubectlContext, namespace: string, name: string, kind: string | undefined, uid: string | undefined): Promise<Obj[]> {
  const terms: Record<string, string> = { 'involvedObject.name': name, 'involvedObject.namespace': namespace };
  if (kind) terms['involvedObject.kind'] = kind;
  if (uid) terms['involvedObject.uid'] = uid;
  const fieldSelector = Object.keys(terms)
    .sort()
    .map((k) => `${k}=${terms[k]}`)
    .join(',');
  const path = namespace ? `/api/v1/namespaces/${namespace}/events` : '/api/v1/events';
  const items: Obj[] = [];
  let cont = '';
  for (;;) {
    const query: Record<string, string> = { fieldSelector, limit: '500' };
    if (cont) query.continue = cont;
    const list = await ctx.rest.do<Obj>({ verb: 'GET', path, query });
    items.push(...(list.items ?? []));
    cont = list.metadata?.continue ?? '';
    if (!cont) break;
  }
  return items;
}

async function listEvents(ctx: KubectlContext, obj: Obj, withKind: boolean): Promise<Obj[] | undefined> {
  try {
    return await searchEvents(ctx, obj.metadata?.namespace ?? '', obj.metadata?.name ?? '', withKind ? obj.kind : undefined, obj.metadata?.uid);
  } catch {
    return undefined;
  }
}

const isCore = (r: ApiResource, kind: string, group = '') => r.group === group && r.kind === kind;

/** One object's describe text (the describer kubectl picks for its kind). */
// Upstream: kubectl pkg/describe/describe.go (PodDescriber, DeploymentDescriber, ReplicaSetDescriber, StatefulSetDescriber, DaemonSetDescriber,
// JobDescriber, HorizontalPodAutoscalerDescriber, ServiceDescriber, NodeDescriber, genericDescriber)
async function describeOne(ctx: KubectlContext, d: Described): Promise<string> {
  const r = d.resource;
  const ns = d.namespace || undefined;
  const get = async (res: ApiResource, name: string, namespace: string | undefined) =>
    withTypeMeta(await ctx.rest.do<Obj>({ verb: 'GET', path: resourcePath(res, namespace, name) }), res);
  const now = ctx.now();
  if (isCore(r, 'Pod')) {
    const pod = await get(r, d.name, ns);
    const events = await listEvents(ctx, pod, false);
    return describePod(pod, events, now);
  }
  if (isCore(r, 'Deployment', 'apps')) {
    const dep = await get(r, d.name, ns);
    const events = await listEvents(ctx, dep, true);
    const rsResource = await ctx.discovery.resourceFor('replicasets.apps');
    let oldRSs: Obj[] = [];
    let newRSs: Obj[] = [];
    try {
      const { items } = await listObjects(ctx, rsResource, { labelSelector: selectorString(dep.spec?.selector) });
      const owned = items.filter((rs) => (rs.metadata?.ownerReferences ?? []).some((o: Obj) => o.controller && o.uid === dep.metadata?.uid));
      const byAge = [...owned].sort((a, b) => (Date.parse(a.metadata?.creationTimestamp) || 0) - (Date.parse(b.metadata?.creationTimestamp) || 0));
      const newRS = byAge.find((rs) => equalIgnoreHash(rs.spec?.template, dep.spec?.template));
      newRSs = newRS ? [newRS] : [];
      oldRSs = owned.filter((rs) => rs !== newRS);
    } catch {
      // kubectl describes the deployment without its replica sets when listing fails
    }
    return describeDeployment(dep, oldRSs, newRSs, events, now);
  }
  if (isCore(r, 'ReplicaSet', 'apps')) {
    const rs = await get(r, d.name, ns);
    const counts = await podCounts(ctx, rs);
    const events = await listEvents(ctx, rs, true);
    return describeReplicaSet(rs, events, counts, now);
  }
  if (isCore(r, 'StatefulSet', 'apps') || isCore(r, 'DaemonSet', 'apps')) {
    const obj = await get(r, d.name, ns);
    const counts = await podCounts(ctx, obj);
    const events = await listEvents(ctx, obj, true);
    return r.kind === 'StatefulSet' ? describeStatefulSet(obj, events, counts, now) : describeDaemonSet(obj, events, counts, now);
  }
  if (isCore(r, 'Job', 'batch')) {
    const job = await get(r, d.name, ns);
    return describeJob(job, await listEvents(ctx, job, true), now);
  }
  if (isCore(r, 'HorizontalPodAutoscaler', 'autoscaling')) {
    // Upstream: HorizontalPodAutoscalerDescriber.Describe: autoscaling/v2 first, v1 if that fails.
    const path = (v: string) => `/apis/autoscaling/${v}/namespaces/${d.namespace}/horizontalpodautoscalers/${d.name}`;
    let v2: Obj | undefined;
    try {
      v2 = await ctx.rest.do<Obj>({ verb: 'GET', path: path('v2') });
    } catch {
      const v1 = await ctx.rest.do<Obj>({ verb: 'GET', path: path('v1') });
      return describeHorizontalPodAutoscalerV1(v1, await listEvents(ctx, { kind: 'HorizontalPodAutoscaler', ...v1 }, true), now);
    }
    return describeHorizontalPodAutoscalerV2(v2, await listEvents(ctx, { kind: 'HorizontalPodAutoscaler', ...v2 }, true), now);
  }
  if (isCore(r, 'Service')) {
    const svc = await get(r, d.name, ns);
    let slices: Obj[] = [];
    try {
      const sliceResource = await ctx.discovery.resourceFor('endpointslices.discovery.k8s.io');
      const list = await ctx.rest.do<Obj>({ verb: 'GET', path: resourcePath(sliceResource, ns), query: { labelSelector: `kubernetes.io/service-name=${d.name}` } });
      slices = list.items ?? [];
    } catch {
      slices = [];
    }
    const events = await listEvents(ctx, svc, true);
    return describeService(svc, slices, events, now);
  }
  if (isCore(r, 'Node')) {
    const node = await get(r, d.name, undefined);
    const podResource = await ctx.discovery.resourceFor('pods');
    let pods: Obj[] | undefined;
    try {
      pods = (
        await listObjects(ctx, podResource, {
          fieldSelector: `spec.nodeName=${d.name},status.phase!=Succeeded,status.phase!=Failed`,
          allNamespaces: true,
        })
      ).items;
    } catch (err) {
      if (!(err instanceof StatusError && err.code === 403)) throw err;
    }
    let events: Obj[] | undefined;
    try {
      events = [...(await searchEvents(ctx, '', d.name, 'Node', node.metadata?.uid)), ...(await searchEvents(ctx, '', d.name, 'Node', d.name))];
    } catch {
      events = undefined;
    }
    let lease: Obj | Error | undefined;
    try {
      lease = await ctx.rest.do<Obj>({ verb: 'GET', path: `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${d.name}` });
    } catch (err) {
      lease = err as Error;
    }
    return describeNode(node, pods, events, lease, now);
  }
  if (isCore(r, 'Namespace')) return describeNamespace(await get(r, d.name, undefined));
  const obj = await get(r, d.name, ns);
  const events = await listEvents(ctx, obj, true);
  if (r.group === 'scheduling.k8s.io' && r.kind === 'PriorityClass') return describePriorityClass(obj, events, now);
  if (r.group === 'policy' && r.kind === 'PodDisruptionBudget') return describePodDisruptionBudget(obj, events, now);
  return describeGeneric(obj, events, now);
}

/** Running, Pending, Succeeded and Failed pods the object controls (its selector, then its controller ref). */
// Upstream: describe.go (getPodStatusForController)
async function podCounts(ctx: KubectlContext, owner: Obj): Promise<PodCounts> {
  const podResource = await ctx.discovery.resourceFor('pods');
  const counts: PodCounts = [0, 0, 0, 0];
  const { items } = await listObjects(ctx, podResource, { labelSelector: selectorString(owner.spec?.selector) });
  for (const p of items) {
    if (!(p.metadata?.ownerReferences ?? []).some((o: Obj) => o.controller && o.uid === owner.metadata?.uid)) continue;
    const i = ['Running', 'Pending', 'Succeeded', 'Failed'].indexOf(p.status?.phase);
    if (i >= 0) counts[i]++;
  }
  return counts;
}

/** deploymentutil.EqualIgnoreHash: pod templates equal apart from the pod-template-hash label. */
function equalIgnoreHash(a: Obj | undefined, b: Obj | undefined): boolean {
  const strip = (t: Obj | undefined) => {
    if (!t) return t;
    const labels = { ...(t.metadata?.labels ?? {}) };
    delete labels['pod-template-hash'];
    return { ...t, metadata: { ...(t.metadata ?? {}), labels } };
  };
  return jsonEqual(strip(a), strip(b));
}

export const describeCommand: Subcommand = {
  name: 'describe',
  summary: 'Show details of a specific resource or group of resources',
  usage: 'kubectl describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [flags]',
  examples: `  # Describe a node
  kubectl describe nodes node-1

  # Describe a pod
  kubectl describe pods/web

  # Describe all pods managed by the 'web' deployment
  kubectl describe pods -l app=web`,
  flags: [
    { name: 'selector', short: 'l', type: 'string', help: 'Selector (label query) to filter on.' },
    { name: 'all-namespaces', short: 'A', type: 'bool', help: 'If present, list the requested object(s) across all namespaces.' },
    { name: 'filename', short: 'f', type: 'stringArray', help: 'Filename, directory, or URL to files containing the resource to describe' },
    { name: 'show-events', type: 'bool', def: 'true', help: 'If true, display events related to the described object.' },
  ],
  // Upstream: kubectl pkg/cmd/describe/describe.go (DescribeOptions.Run, DescribeMatchingResources)
  async run(ctx, args) {
    const f = ctx.flags;
    if (args.length === 0 && f.list('filename').length === 0) {
      throw new KubectlError(`You must specify the type of resource to describe. Use "${ctx.commandName} api-resources" for a complete list of supported resources.\n`);
    }
    const errors: Error[] = [];
    const items: Described[] = [];
    if (f.list('filename').length) {
      for (const v of await visitManifests(ctx.files, f.list('filename'), ctx.discovery, ctx.namespace, ctx.explicitNamespace)) {
        if (v.error) errors.push(v.error);
        else items.push({ resource: v.info.resource, namespace: v.info.namespace, name: v.info.name });
      }
    } else {
      for (const t of await resolveTargets(ctx, args)) {
        if (t.names.length === 0) {
          const { items: objs } = await listObjects(ctx, t.resource, { labelSelector: f.str('selector'), allNamespaces: f.bool('all-namespaces') });
          for (const o of objs) items.push({ resource: t.resource, namespace: o.metadata?.namespace ?? '', name: o.metadata?.name ?? '' });
          continue;
        }
        for (const name of t.names) {
          try {
            const o = await getObject(ctx, t.resource, name);
            items.push({ resource: t.resource, namespace: o.metadata?.namespace ?? '', name });
          } catch (err) {
            if (err instanceof StatusError && err.code === 404 && args.length === 2 && !args[0].includes('/')) {
              // describe TYPE PREFIX: every object whose name starts with the prefix.
              const { items: objs } = await listObjects(ctx, t.resource, {});
              const matches = objs.filter((o) => String(o.metadata?.name ?? '').startsWith(name));
              if (matches.length === 0) errors.push(err);
              for (const o of matches) items.push({ resource: t.resource, namespace: o.metadata?.namespace ?? '', name: o.metadata?.name ?? '' });
            } else errors.push(err as Error);
          }
        }
      }
    }
    const texts: string[] = [];
    for (const item of items) {
      try {
        texts.push(await describeOne(ctx, item));
      } catch (err) {
        if (!errors.some((e) => e.message === (err as Error).message)) errors.push(err as Error);
      }
    }
    if (texts.length) ctx.io.print(texts.join('\n\n').replace(/\n$/, ''));
    if (items.length === 0 && errors.length === 0) {
      ctx.io.print(f.bool('all-namespaces') ? 'No resources found' : `No resources found in ${ctx.namespace} namespace.`);
    }
    if (errors.length) throw new AggregateError(errors);
    return 0;
  },
};
