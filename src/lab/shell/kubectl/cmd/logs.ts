/**
 * `kubectl logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]`: picks the pod (a workload's first pod
 * by kubectl's logging order), defaults the container, and GETs `pods/<name>/log`, which the API
 * server proxies to the pod's kubelet.
 * Upstream: kubectl v0.34.0 pkg/cmd/logs/logs.go (Complete, Validate, RunLogs),
 * pkg/polymorphichelpers/logsforobject.go, helpers.go (GetFirstPod), pkg/util/podutils (ByLogging).
 */
import { KubectlError } from '../client/errors';
import { getObject, resolveTargets } from '../builder';
import type { KubectlContext, Subcommand } from '../context';
import type { Obj } from '../manifest';
import { selectorString } from '../printers/describe';

const USAGE_ERROR = "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command";
/** The tail a selector gets when --tail is not given. */
const selectorTail = 10;
/** How long `-f` lets the cluster run, at most, before it stops following. */
const followLimitMs = 30 * 60_000;
const followPollMs = 1000;

const isReady = (p: Obj) => (p.status?.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True');
const restarts = (p: Obj) => Math.max(0, ...(p.status?.containerStatuses ?? []).map((c: Obj) => c.restartCount ?? 0));
const readyTime = (p: Obj) => Date.parse((p.status?.conditions ?? []).find((c: Obj) => c.type === 'Ready')?.lastTransitionTime ?? '') || 0;

/** kubectl's logging order: assigned, Running, ready, ready longer, more restarts, older first. */
// Upstream: pkg/util/podutils/podutils.go (ByLogging.Less)
export function byLogging(a: Obj, b: Obj): number {
  const an = a.spec?.nodeName ?? '';
  const bn = b.spec?.nodeName ?? '';
  if (an !== bn && (!an || !bn)) return an ? -1 : 1;
  const phase: Record<string, number> = { Running: 0, Unknown: 1, Pending: 2 };
  const ap = phase[a.status?.phase] ?? 3;
  const bp = phase[b.status?.phase] ?? 3;
  if (ap !== bp) return ap - bp;
  if (isReady(a) !== isReady(b)) return isReady(a) ? -1 : 1;
  if (isReady(a) && isReady(b) && readyTime(a) !== readyTime(b)) return readyTime(a) - readyTime(b);
  if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
  return (Date.parse(a.metadata?.creationTimestamp ?? '') || Infinity) - (Date.parse(b.metadata?.creationTimestamp ?? '') || Infinity);
}

/** `Defaulted container "a" out of: a, b, init (init)`. */
// Upstream: pkg/cmd/util/podcmd/podcmd.go (AllContainerNames)
const allContainerNames = (pod: Obj) => [...(pod.spec?.containers ?? []).map((c: Obj) => c.name), ...(pod.spec?.initContainers ?? []).map((c: Obj) => `${c.name} (init)`)].join(', ');

/** The pods whose logs to read, and the container of each. */
async function podsFor(ctx: KubectlContext, args: string[]): Promise<Obj[]> {
  const selector = ctx.flags.str('selector');
  if (args.length === 0 && !selector) throw new KubectlError(USAGE_ERROR);
  if (args.length >= 1 && selector) throw new KubectlError('only a selector (-l) or a POD name is allowed');
  if (args.length > 2) throw new KubectlError(USAGE_ERROR);
  if (selector) {
    const list = await ctx.rest.do<Obj>({ verb: 'GET', path: `/api/v1/namespaces/${ctx.namespace}/pods`, query: { labelSelector: selector } });
    return list.items ?? [];
  }
  const arg = args[0];
  if (!arg.includes('/')) {
    try {
      return [await ctx.rest.do<Obj>({ verb: 'GET', path: `/api/v1/namespaces/${ctx.namespace}/pods/${arg}` })];
    } catch (err) {
      if ((err as { status?: { code?: number } }).status?.code === 404) throw new KubectlError(`error from server (NotFound): pods "${arg}" not found in namespace "${ctx.namespace}"`);
      throw err;
    }
  }
  const [target] = await resolveTargets(ctx, [arg]);
  const obj = await getObject(ctx, target.resource, target.names[0]);
  if (obj.kind === 'Pod') return [obj];
  const sel = obj.spec?.selector;
  if (!sel || typeof sel !== 'object') throw new KubectlError(`cannot get the logs from ${target.resource.kind}: selector for ${target.resource.kind} not implemented`);
  const list = await ctx.rest.do<Obj>({ verb: 'GET', path: `/api/v1/namespaces/${ctx.namespace}/pods`, query: { labelSelector: obj.kind === 'Service' ? Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(',') : selectorString(sel) } });
  const pods = [...(list.items ?? [])].sort(byLogging);
  if (pods.length === 0) throw new KubectlError('timed out waiting for the condition');
  if (pods.length > 1) ctx.io.error(`Found ${pods.length} pods, using pod/${pods[0].metadata.name}`);
  return [pods[0]];
}

// Upstream: pkg/cmd/logs/logs.go (LogsOptions.Validate)
function validate(ctx: KubectlContext, container: string): void {
  const f = ctx.flags;
  if (f.has('since') && f.has('since-time')) throw new KubectlError('at most one of `sinceTime` or `sinceSeconds` may be specified');
  if (f.bool('all-containers') && container) throw new KubectlError(`--all-containers=true should not be specified with container name ${container}`);
  if (f.has('limit-bytes') && f.int('limit-bytes', 0) <= 0) throw new KubectlError('--limit-bytes must be greater than 0');
  if (f.int('tail', -1) < -1) throw new KubectlError('--tail must be greater than or equal to -1');
}

/** `--since=5m` as seconds (a Go duration). */
function sinceSeconds(v: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(v);
  if (!m) throw new KubectlError(`invalid argument "${v}" for "--since" flag: time: invalid duration "${v}"`);
  const secs = Math.ceil((Number(m[1]) * ({ ms: 0.001, s: 1, m: 60, h: 3600 } as const)[m[2] as 'ms' | 's' | 'm' | 'h']));
  if (secs <= 0) throw new KubectlError('--since must be greater than 0');
  return secs;
}

export const logsCommand: Subcommand = {
  name: 'logs',
  summary: 'Print the logs for a container in a pod',
  usage: 'kubectl logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]',
  examples: `  # Return snapshot logs from pod nginx with only one container
  kubectl logs nginx

  # Return snapshot of previous terminated ruby container logs from pod web-1
  kubectl logs -p -c ruby web-1

  # Begin streaming the logs of the ruby container in pod web-1
  kubectl logs -f -c ruby web-1

  # Display only the most recent 20 lines of output in pod nginx
  kubectl logs --tail=20 nginx

  # Return snapshot logs from container nginx-1 of a deployment named nginx
  kubectl logs deployment/nginx -c nginx-1`,
  flags: [
    { name: 'container', short: 'c', type: 'string', help: 'Print the logs of this container' },
    { name: 'previous', short: 'p', type: 'bool', help: 'If true, print the logs for the previous instance of the container in a pod if it exists.' },
    { name: 'follow', short: 'f', type: 'bool', help: 'Specify if the logs should be streamed.' },
    { name: 'tail', type: 'int', def: '-1', help: 'Lines of recent log file to display. Defaults to -1 with no selector, showing all log lines otherwise 10, if a selector is provided.' },
    { name: 'timestamps', type: 'bool', help: 'Include timestamps on each line in the log output' },
    { name: 'since', type: 'string', help: 'Only return logs newer than a relative duration like 5s, 2m, or 3h. Defaults to all logs. Only one of since-time / since may be used.' },
    { name: 'since-time', type: 'string', help: 'Only return logs after a specific date (RFC3339). Defaults to all logs. Only one of since-time / since may be used.' },
    { name: 'limit-bytes', type: 'int', def: '0', help: 'Maximum bytes of logs to return. Defaults to no limit.' },
    { name: 'all-containers', type: 'bool', help: "Get all containers' logs in the pod(s)." },
    { name: 'selector', short: 'l', type: 'string', help: 'Selector (label query) to filter on.' },
    { name: 'prefix', type: 'bool', help: 'Prefix each log line with the log source (pod name and container name)' },
  ],
  async run(ctx, args) {
    const f = ctx.flags;
    if (args.length === 2 && f.has('container')) throw new KubectlError('only one of -c or an inline [CONTAINER] arg is allowed');
    const explicit = args.length === 2 ? args[1] : f.str('container');
    validate(ctx, explicit);
    const pods = await podsFor(ctx, args.slice(0, 1));
    if (pods.length === 0) {
      ctx.io.error(`No resources found in ${ctx.namespace} namespace.`);
      return 0;
    }
    const query: Record<string, string> = {};
    if (f.bool('previous')) query.previous = 'true';
    if (f.bool('timestamps')) query.timestamps = 'true';
    const tail = f.has('tail') ? f.int('tail', -1) : f.str('selector') ? selectorTail : -1;
    if (tail >= 0) query.tailLines = String(tail);
    if (f.has('since')) query.sinceSeconds = String(sinceSeconds(f.str('since')));
    if (f.has('since-time')) {
      const t = Date.parse(f.str('since-time'));
      if (Number.isNaN(t)) throw new KubectlError(`--since-time only accepts times matching RFC3339, eg '2006-01-02T15:04:05Z'`);
      query.sinceSeconds = String(Math.max(1, Math.ceil((ctx.now() - t) / 1000)));
    }
    if (f.has('limit-bytes')) query.limitBytes = String(f.int('limit-bytes', 0));
    const requests: Array<{ pod: Obj; container: string }> = [];
    for (const pod of pods) {
      const names: string[] = (pod.spec?.containers ?? []).map((c: Obj) => c.name);
      const inits: string[] = (pod.spec?.initContainers ?? []).map((c: Obj) => c.name);
      if (f.bool('all-containers')) {
        for (const c of [...inits, ...names]) requests.push({ pod, container: c });
        continue;
      }
      let container = explicit;
      const annotated = pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container'];
      if (!container && annotated) {
        if ([...names, ...inits].includes(annotated)) container = annotated;
        else ctx.io.error(`Default container name "${annotated}" not found in pod ${pod.metadata.name}`);
      }
      if (!container) {
        container = names[0];
        if ((names.length > 1 || inits.length > 0) && pods.length === 1) ctx.io.error(`Defaulted container "${container}" out of: ${allContainerNames(pod)}`);
      }
      if (![...names, ...inits].includes(container)) throw new KubectlError(`container ${container} is not valid for pod ${pod.metadata.name}`);
      requests.push({ pod, container });
    }
    const prefix = f.bool('prefix') || pods.length > 1;
    const fetch = async (r: { pod: Obj; container: string }, q: Record<string, string> = query) =>
      String((await ctx.rest.do<string>({ verb: 'GET', path: `/api/v1/namespaces/${r.pod.metadata.namespace}/pods/${r.pod.metadata.name}/log`, query: { ...q, container: r.container } })) ?? '');
    const print = (r: { pod: Obj; container: string }, text: string) => {
      if (!text) return;
      const lines = text.replace(/\n$/, '').split('\n');
      ctx.io.print(prefix ? lines.map((l) => `[pod/${r.pod.metadata.name}/${r.container}] ${l}`).join('\n') : lines.join('\n'));
    };
    for (const r of requests) {
      const text = await fetch(r);
      print(r, text);
      if (!f.bool('follow')) continue;
      // Follow: poll the log as the cluster's time runs; new lines print as they come. The stream
      // ends when the container stops (its next attempt is a new log), or on Ctrl+C.
      const whole = { ...query };
      delete whole.tailLines;
      delete whole.sinceSeconds;
      delete whole.limitBytes;
      let seen = (await fetch(r, whole)).length;
      const end = ctx.now() + followLimitMs;
      let stop = false;
      while (!stop && !ctx.interrupt.interrupted && ctx.now() < end) {
        const until = ctx.now() + followPollMs;
        await ctx.passTime?.(() => ctx.now() >= until || ctx.interrupt.interrupted, followPollMs);
        if (!ctx.passTime) break;
        const all = await fetch(r, whole);
        const current = await ctx.rest.do<Obj>({ verb: 'GET', path: `/api/v1/namespaces/${r.pod.metadata.namespace}/pods/${r.pod.metadata.name}` }).catch(() => undefined);
        const cs = (current?.status?.containerStatuses ?? []).find((c: Obj) => c.name === r.container);
        if (all.length > seen) print(r, all.slice(seen));
        seen = Math.max(seen, all.length);
        stop = !cs?.state?.running;
      }
      if (ctx.interrupt.interrupted) return 1;
    }
    return 0;
  },
};
