/**
 * `kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [-i] [-t] -- COMMAND [args...]`: runs a command
 * in a pod's container. Upstream kubectl posts to the pods/exec subresource and streams over
 * SPDY/WebSocket to the kubelet; here the node model runs the command (`PodExec`), after the same
 * checks kubectl makes.
 * Upstream: kubectl v0.34.0 pkg/cmd/exec/exec.go (Complete, Validate, Run),
 * pkg/cmd/util/podcmd/podcmd.go (FindOrDefaultContainerByName), polymorphichelpers
 * (AttachablePodForObjectFn: a controller's first running pod).
 */
import type { NestedSession, ShellIO } from '../../registry';
import { KubectlError } from '../client/errors';
import { getObject, listObjects, resolveTargets } from '../builder';
import type { KubectlContext, Subcommand } from '../context';
import type { Obj } from '../manifest';

export interface ExecTarget {
  namespace: string;
  pod: Obj;
  container: string;
}

/** What runs a command in a container: the node model behind the lab's cluster. */
export interface PodExec {
  /** Runs argv in the container; resolves its exit status, or throws when the exec cannot start. */
  run(target: ExecTarget, argv: string[], io: ShellIO): Promise<number>;
  /** An interactive shell in the container (`-it ... -- sh`), when argv names one. */
  shell?(target: ExecTarget, argv: string[]): NestedSession | undefined;
}

const SHELLS = new Set(['sh', 'bash', '/bin/sh', '/bin/bash', 'ash', '/bin/ash']);

// Upstream: podcmd.go (FindOrDefaultContainerByName, AllContainerNames)
function containerOf(ctx: KubectlContext, pod: Obj, name: string): string {
  const containers = (pod.spec?.containers as Obj[]) ?? [];
  if (name) {
    const all = [...containers, ...((pod.spec?.initContainers as Obj[]) ?? []), ...((pod.spec?.ephemeralContainers as Obj[]) ?? [])];
    if (!all.some((c) => c.name === name)) throw new KubectlError(`error: container ${name} not found in pod ${pod.metadata.name}`);
    return name;
  }
  if (containers.length === 0) throw new KubectlError(`error: pod ${pod.metadata.namespace}/${pod.metadata.name} does not have any containers`);
  const annotated = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  if (annotated && containers.some((c) => c.name === annotated)) return annotated;
  if (containers.length > 1 && !ctx.flags.bool('quiet')) {
    ctx.io.error(`Defaulted container "${containers[0].name}" out of: ${[...containers, ...((pod.spec?.initContainers as Obj[]) ?? [])].map((c) => c.name).join(', ')}`);
  }
  return containers[0].name;
}

/** Go: AttachablePodForObjectFn: a pod as is; a workload's or Service's first pod by its selector. */
async function attachablePod(ctx: KubectlContext, resourceName: string): Promise<Obj> {
  const [target] = await resolveTargets(ctx, resourceName.includes('/') ? [resourceName] : ['pods', resourceName]);
  const obj = await getObject(ctx, target.resource, target.names[0]);
  if (target.resource.kind === 'Pod') return obj;
  const selector = (obj.spec?.selector?.matchLabels as Record<string, string> | undefined) ?? (target.resource.kind === 'Service' ? (obj.spec?.selector as Record<string, string> | undefined) : undefined);
  if (!selector) throw new KubectlError(`error: cannot attach to ${target.resource.kind}.${target.resource.group || ''}`.replace(/\.$/, ''));
  const pods = await listObjects(ctx, await ctx.discovery.resourceFor('pods'), { labelSelector: Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',') });
  // Go sorts by podutils.ActivePods (running and ready first, then the oldest): the first running pod by name here.
  const sorted = pods.items.sort((a, b) => Number(b.status?.phase === 'Running') - Number(a.status?.phase === 'Running') || String(a.metadata.name).localeCompare(String(b.metadata.name)));
  if (sorted.length === 0) throw new KubectlError(`error: no pods found for ${target.resource.kind.toLowerCase()}/${target.names[0]}`);
  return sorted[0];
}

export const execCommand: Subcommand = {
  name: 'exec',
  summary: 'Execute a command in a container',
  usage: 'kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...]',
  examples: `  # Get output from running the 'cat /etc/resolv.conf' command from pod web, using the first container by default
kubectl exec web -- cat /etc/resolv.conf

# Switch to raw terminal mode; sends stdin to 'sh' in the web container from pod web
kubectl exec -it web -c nginx -- sh

# Get output from running 'nslookup kubernetes.default' from the first pod of the deployment client
kubectl exec deploy/client -- nslookup kubernetes.default`,
  flags: [
    { name: 'container', short: 'c', type: 'string', help: 'Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the container to be attached or the first container in the pod will be chosen' },
    { name: 'stdin', short: 'i', type: 'bool', help: 'Pass stdin to the container' },
    { name: 'tty', short: 't', type: 'bool', help: 'Stdin is a TTY' },
    { name: 'quiet', short: 'q', type: 'bool', help: 'Only print output from the remote session' },
    { name: 'pod-running-timeout', type: 'string', def: '1m0s', help: 'The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running' },
  ],
  async run(ctx, args) {
    // Go: Complete: the resource before `--`, the command after it.
    const dash = ctx.flags.parsed.argsLenAtDash;
    if (dash < 0 && args.length > 1) {
      throw new KubectlError(`error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples`);
    }
    const resourceName = dash !== 0 ? (args[0] ?? '') : '';
    const command = dash >= 0 ? args.slice(dash) : [];
    if (!resourceName) throw new KubectlError('error: pod, type/name or --filename must be specified');
    if (command.length === 0) throw new KubectlError('error: you must specify at least one command for the container');
    const pod = await attachablePod(ctx, resourceName);
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') throw new KubectlError(`error: cannot exec into a container in a completed pod; current phase is ${phase}`);
    const container = containerOf(ctx, pod, ctx.flags.str('container'));
    const running = ((pod.status?.containerStatuses as Obj[]) ?? []).some((s) => s.name === container && s.state?.running);
    const runtime = ctx.podExec?.();
    if (!runtime || !pod.spec?.nodeName || !running) throw new KubectlError(`error: unable to upgrade connection: container not found ("${container}")`);
    const target: ExecTarget = { namespace: String(pod.metadata.namespace ?? ctx.namespace), pod, container };
    if (ctx.flags.bool('stdin') && ctx.flags.bool('tty') && command.length === 1 && SHELLS.has(command[0]) && runtime.shell) {
      const session = runtime.shell(target, command);
      if (session) {
        ctx.shell?.enter(session);
        return 0;
      }
    }
    let status: number;
  try {
    status = await runtime.run(target, command, ctx.io);
  } catch (e) {
    // The runtime refused the exec itself (no such binary): the API error, without an exit status.
    throw new KubectlError(`error: ${(e as Error).message}`);
  }
    // Go: exec.CodeExitError: kubectl reports the container's status and exits with it.
    if (status !== 0) {
      ctx.io.error(`command terminated with exit code ${status}`);
      return status;
    }
    return 0;
  },
};
