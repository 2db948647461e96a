/**
 * The whole path of a Deployment as a sequence diagram, a pure function of a lab session's
 * trace: lifelines (kubectl, kube-apiserver, etcd, the two controllers, kube-scheduler, and a
 * kubelet and containerd per node that got pods) and the messages between them, each tagged
 * with its step of the start page (./steps.ts), the object it concerns and its trace index.
 *
 * The API server's writes (`apiserver.request`, logged when a write answers) are the backbone:
 * they are in causal order, where the controllers' own events are not always (a controller's
 * `replicaset.podCreate` is traced when its call returns, after the scheduler and the kubelet
 * may already have seen the pod). The kubelet's config ADD, containerd's CRI events and PLEG
 * add what the API server does not see; `etcd.put` names what a create stored.
 */
import type { SourceLink, TraceEvent } from '../../../sim/index';
import { UPSTREAM, stepOf, type StepNo } from './steps';

export interface Lifeline {
  /** `kubectl`, `apiserver`, `etcd`, `deployment`, `replicaset`, `scheduler`, `kubelet:<node>`, `containerd:<node>`. */
  id: string;
  /** Short, for the diagram's header (`deployment`); diagram.ts says it in full (`the Deployment controller`). */
  name: string;
  /** The node of a kubelet or containerd lifeline. */
  node?: string;
}

export type MessageKind = 'request' | 'reply' | 'watch';

/** One row of the diagram: a message, or several alike (`create pod ×3`) grouped. */
export interface PathMessage {
  step: StepNo;
  from: string;
  to: string;
  /** What is sent, without the count (`POST pods`, `RunPodSandbox`). */
  label: string;
  kind: MessageKind;
  /** Deployment, ReplicaSet or Pod. */
  objectKind: string;
  /** Per member: the object (`namespace/name`), its trace index and virtual time, in trace order. */
  objects: string[];
  indices: number[];
  times: number[];
  /** The upstream function that sends it (its step's first one, or a closer one). */
  source: SourceLink;
}

export interface PathRun {
  /** `namespace/name` of the Deployment. */
  deployment: string;
  /** Trace index of the run's first message. */
  start: number;
  lifelines: Lifeline[];
  messages: PathMessage[];
}

/** A message before grouping: `order` breaks ties between messages read from one event. */
interface Raw {
  index: number;
  order: number;
  t: number;
  step: StepNo;
  from: string;
  to: string;
  label: string;
  kind: MessageKind;
  objectKind: string;
  object: string;
  source?: SourceLink;
}

interface Episode {
  deployment: string;
  raws: Raw[];
  /** Which controllers have been told (their watch arrow drawn) in this run. */
  told: Set<string>;
  /** Set (to 8) once the ReplicaSet controller counted a ready pod: the Deployment's status writes are step 8 from then on. */
  readyFlowed?: 8;
}

const KINDS: Record<string, string> = { deployments: 'Deployment', replicasets: 'ReplicaSet', pods: 'Pod' };
const REASONS: Record<number, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted', 409: 'Conflict', 422: 'Unprocessable Entity', 404: 'Not Found', 403: 'Forbidden' };

/** Who sent a request, from its User-Agent (the session's clients name themselves as upstream's do). */
export function actorOf(userAgent: string): string | undefined {
  if (userAgent.startsWith('kubectl/')) return 'kubectl';
  if (userAgent.includes('(deployment-controller)')) return 'deployment';
  if (userAgent.includes('(replicaset-controller)')) return 'replicaset';
  if (userAgent.startsWith('kube-scheduler/')) return 'scheduler';
  const kubelet = /^kubelet\/\S+ \([^)]*\) (\S+)$/.exec(userAgent);
  return kubelet ? `kubelet:${kubelet[1]}` : undefined;
}

/** `/apis/apps/v1/namespaces/default/deployments/web/status?x=y` -> namespace, resource, name, subresource. */
export function parseUri(uri: string): { ns: string; resource: string; name: string; sub: string } | undefined {
  const m = /\/namespaces\/([^/?]+)\/([^/?]+)(?:\/([^/?]+))?(?:\/([^/?]+))?(?:\?|$)/.exec(uri);
  return m ? { ns: m[1], resource: m[2], name: m[3] ?? '', sub: m[4] ?? '' } : undefined;
}

const nsOf = (key: string) => key.slice(0, key.indexOf('/'));

/** What the whole trace says about ownership and placement, read before the messages (see the header). */
function readAhead(trace: readonly TraceEvent[]) {
  const rsOwner = new Map<string, string>();
  const podNode = new Map<string, string>();
  const podPhases = new Map<string, string[]>();
  const rsStatus = new Map<string, Array<{ replicas: number; ready: number }>>();
  for (const e of trace) {
    if (e.component === 'deployment' && (e.type === 'deployment.newReplicaSet' || e.type === 'deployment.scale') && !e.collision) rsOwner.set(`${nsOf(String(e.deployment))}/${String(e.replicaSet)}`, String(e.deployment));
    else if (e.type === 'scheduler.bind' || e.type === 'cri.sandboxReady') podNode.set(String(e.pod), String(e.node));
    else if (e.type === 'kubelet.status' && e.op === 'patch') push(podPhases, String(e.pod), String(e.phase));
    else if (e.type === 'replicaset.status') push(rsStatus, String(e.key), { replicas: Number(e.replicas), ready: Number(e.ready) });
  }
  return { rsOwner, podNode, podPhases, rsStatus };
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** The paths the trace shows: one per Deployment and per write to it from outside the controllers (kubectl apply), in trace order. */
export function pathRuns(trace: readonly TraceEvent[]): PathRun[] {
  const ahead = readAhead(trace);
  const episodes: Episode[] = [];
  const current = new Map<string, Episode>();
  /** etcd puts of workload keys not yet matched to the create that wrote them. */
  const puts: Array<{ key: string; revision: number; create: boolean }> = [];
  const sandboxPod = new Map<string, string>();
  const containerPod = new Map<string, string>();
  /** Per node, the pod whose sandbox came up last (an image pull is for it). */
  const lastPod = new Map<string, string>();
  const seenPhases = new Map<string, number>();
  const seenRsStatus = new Map<string, number>();

  const rsOfPod = (pod: string): string | undefined => {
    const m = /^(.*)-[a-z0-9]{5}$/.exec(pod);
    return m && ahead.rsOwner.has(m[1]) ? m[1] : undefined;
  };
  const deploymentOf = (kind: string, key: string): string | undefined => {
    if (kind === 'Deployment') return key;
    if (kind === 'ReplicaSet') return ahead.rsOwner.get(key);
    const rs = rsOfPod(key);
    return rs ? ahead.rsOwner.get(rs) : undefined;
  };
  const episodeOf = (d: string, fresh = false): Episode => {
    let ep = current.get(d);
    if (!ep || fresh) {
      ep = { deployment: d, raws: [], told: new Set() };
      episodes.push(ep);
      current.set(d, ep);
    }
    return ep;
  };
  const add = (ep: Episode, e: TraceEvent, index: number, m: Omit<Raw, 'index' | 'order' | 't'>) => ep.raws.push({ index, order: ep.raws.length, t: e.t, ...m });
  /** The watch arrow that tells a controller about an object, drawn once per run before its first write. */
  const tell = (ep: Episode, e: TraceEvent, index: number, actor: string, step: StepNo, objectKind: string, object: string, label: string) => {
    if (ep.told.has(actor)) return;
    ep.told.add(actor);
    add(ep, e, index, { step, from: 'apiserver', to: actor, label, kind: 'watch', objectKind, object });
  };
  // The latest put that fits: a request is logged right after its write, and a put no request
  // claimed (a write this view does not draw) must not shift the pairs after it.
  const takePut = (prefix: string, exact: boolean) => {
    const i = puts.findLastIndex((p) => (exact ? p.key === prefix : p.create && p.key.startsWith(prefix)));
    return i < 0 ? undefined : puts.splice(i, 1)[0];
  };

  trace.forEach((e, index) => {
    switch (e.type) {
      case 'etcd.put': {
        const key = String(e.key);
        if (/^\/registry\/(deployments|replicasets|pods)\//.test(key)) puts.push({ key, revision: Number(e.revision), create: Number(e.version) === 1 });
        if (puts.length > 64) puts.shift();
        return;
      }
      case 'apiserver.request': {
        const actor = actorOf(String(e.userAgent));
        const uri = parseUri(String(e.uri));
        const verb = String(e.verb);
        if (!actor || !uri || !KINDS[uri.resource] || ['GET', 'LIST', 'WATCH'].includes(verb)) return;
        const code = Number(e.code);
        const ok = code >= 200 && code < 300;
        const prefix = `/registry/${uri.resource}/${uri.ns}/`;
        const put = !ok ? undefined : uri.name ? takePut(`${prefix}${uri.name}`, true) : takePut(prefix, false);
        const name = uri.name || (put ? put.key.slice(prefix.length) : '');
        if (!name) return;
        const objectKind = KINDS[uri.resource];
        const object = `${uri.ns}/${name}`;
        const d = deploymentOf(objectKind, object);
        if (!d) return;
        const path = `${uri.resource}${uri.sub ? `/${uri.sub}` : ''}`;
        const failed = ok ? '' : ` → ${code}`;
        if (actor === 'kubectl') {
          // A write from outside the controllers starts a new path of its Deployment (a delete ends the current one).
          const ep = episodeOf(d, objectKind === 'Deployment' && verb !== 'DELETE');
          add(ep, e, index, { step: 1, from: 'kubectl', to: 'apiserver', label: `${verb} ${path}${failed}`, kind: 'request', objectKind, object });
          const store = verb === 'POST' ? undefined : verb === 'DELETE' ? UPSTREAM.storeDelete : UPSTREAM.storeUpdate;
          if (put) add(ep, e, index, { step: 2, from: 'apiserver', to: 'etcd', label: `put ${put.key} (rev ${put.revision})`, kind: 'request', objectKind, object, source: store });
          add(ep, e, index, { step: 2, from: 'apiserver', to: 'kubectl', label: `${code} ${REASONS[code] ?? ''}`.trim(), kind: 'reply', objectKind, object, source: store });
          return;
        }
        const ep = episodeOf(d);
        if (actor === 'deployment') {
          tell(ep, e, index, actor, 3, 'Deployment', d, 'watch: Deployment');
          const step: StepNo = uri.sub === 'status' && ep.readyFlowed ? 8 : 3;
          const source = uri.sub === 'status' ? UPSTREAM.syncDeploymentStatus : objectKind === 'ReplicaSet' && verb !== 'POST' ? UPSTREAM.scaleReplicaSet : stepOf(3).links[1];
          add(ep, e, index, { step, from: actor, to: 'apiserver', label: `${verb} ${path}${failed}`, kind: 'request', objectKind, object, source });
        } else if (actor === 'replicaset') {
          tell(ep, e, index, actor, 4, 'ReplicaSet', objectKind === 'ReplicaSet' ? object : (rsOfPod(object) ?? object), 'watch: ReplicaSet');
          let label = `${verb} ${path}${failed}`;
          let step: StepNo = 4;
          if (uri.sub === 'status' && ok) {
            const k = seenRsStatus.get(object) ?? 0;
            seenRsStatus.set(object, k + 1);
            const said = ahead.rsStatus.get(object)?.[k];
            if (said) label += ` (${said.replicas} pods, ${said.ready} ready)`;
            // Ready pods counted: the kubelets' status has reached the ReplicaSet (step 8); before, it only counts its pods.
            if (said && said.ready > 0) step = ep.readyFlowed = 8 as const;
          }
          add(ep, e, index, { step, from: actor, to: 'apiserver', label, kind: 'request', objectKind, object, source: uri.sub === 'status' ? UPSTREAM.updateReplicaSetStatus : undefined });
        } else if (actor === 'scheduler') {
          tell(ep, e, index, actor, 5, 'Pod', object, 'watch: Pod without a node');
          const node = ahead.podNode.get(object);
          add(ep, e, index, { step: 5, from: actor, to: 'apiserver', label: `${verb} ${path}${node ? ` → ${node}` : ''}${failed}`, kind: 'request', objectKind, object, source: stepOf(5).links[1] });
        } else {
          let label = `${verb} ${path}${failed}`;
          if (uri.sub === 'status' && ok) {
            const k = seenPhases.get(object) ?? 0;
            seenPhases.set(object, k + 1);
            const phase = ahead.podPhases.get(object)?.[k];
            if (phase) label += ` (${phase})`;
          }
          add(ep, e, index, { step: 8, from: actor, to: 'apiserver', label, kind: 'request', objectKind, object });
        }
        return;
      }
      case 'kubelet.syncLoop': {
        if (e.channel !== 'config' || e.op !== 'ADD') return;
        for (const pod of e.pods as string[]) {
          const node = ahead.podNode.get(pod);
          const d = node && deploymentOf('Pod', pod);
          if (d) add(episodeOf(d), e, index, { step: 6, from: 'apiserver', to: `kubelet:${node}`, label: 'watch: Pod ADD', kind: 'watch', objectKind: 'Pod', object: pod, source: stepOf(6).links[1] });
        }
        return;
      }
      case 'kubelet.plegEvent': {
        if (e.event !== 'ContainerStarted') return;
        const pod = String(e.pod);
        const node = ahead.podNode.get(pod);
        const d = node && deploymentOf('Pod', pod);
        if (d) add(episodeOf(d), e, index, { step: 7, from: `containerd:${node}`, to: `kubelet:${node}`, label: `PLEG: ContainerStarted${String(e.containerId).includes('://') ? '' : ' (sandbox)'}`, kind: 'reply', objectKind: 'Pod', object: pod, source: UPSTREAM.relist });
        return;
      }
      case 'cri.sandboxReady':
      case 'cri.containerCreated':
      case 'cri.containerStarted':
      case 'cri.pullStart': {
        const node = String(e.node);
        let pod: string | undefined;
        let label: string;
        if (e.type === 'cri.sandboxReady') {
          pod = String(e.pod);
          sandboxPod.set(String(e.sandbox), pod);
          lastPod.set(node, pod);
          label = 'RunPodSandbox';
        } else if (e.type === 'cri.containerCreated') {
          pod = sandboxPod.get(String(e.sandbox));
          if (pod) containerPod.set(String(e.container), pod);
          label = `CreateContainer ${String(e.name)}`;
        } else if (e.type === 'cri.containerStarted') {
          pod = containerPod.get(String(e.container));
          label = `StartContainer ${String(e.name)}`;
        } else {
          pod = lastPod.get(node);
          label = `PullImage ${String(e.image).replace(/^docker\.io\/library\//, '')}`;
        }
        const d = pod && deploymentOf('Pod', pod);
        if (pod && d) add(episodeOf(d), e, index, { step: 7, from: `kubelet:${node}`, to: `containerd:${node}`, label, kind: 'request', objectKind: 'Pod', object: pod });
        return;
      }
      default:
        return;
    }
  });
  return episodes.filter((ep) => ep.raws.length > 0).map(toRun);
}

const FIXED: Array<[string, string]> = [
  ['kubectl', 'kubectl'],
  ['apiserver', 'apiserver'],
  ['etcd', 'etcd'],
  ['deployment', 'deployment'],
  ['replicaset', 'replicaset'],
  ['scheduler', 'scheduler'],
];

/** Groups alike messages (same step, ends and label) into the row of the first one. */
function toRun(ep: Episode): PathRun {
  const raws = [...ep.raws].sort((a, b) => a.index - b.index || a.order - b.order);
  const groups = new Map<string, PathMessage>();
  const messages: PathMessage[] = [];
  for (const r of raws) {
    const key = `${r.step}|${r.from}|${r.to}|${r.label}`;
    let g = groups.get(key);
    if (!g) {
      g = { step: r.step, from: r.from, to: r.to, label: r.label, kind: r.kind, objectKind: r.objectKind, objects: [], indices: [], times: [], source: r.source ?? stepOf(r.step).links[0] };
      groups.set(key, g);
      messages.push(g);
    }
    g.objects.push(r.object);
    g.indices.push(r.index);
    g.times.push(r.t);
  }
  const used = new Set(messages.flatMap((m) => [m.from, m.to]));
  const nodes = [...new Set([...used].filter((id) => id.includes(':')).map((id) => id.slice(id.indexOf(':') + 1)))].sort();
  const lifelines: Lifeline[] = [
    ...FIXED.filter(([id]) => used.has(id)).map(([id, name]) => ({ id, name })),
    ...nodes.flatMap((node) => [
      ...(used.has(`kubelet:${node}`) ? [{ id: `kubelet:${node}`, name: 'kubelet', node }] : []),
      ...(used.has(`containerd:${node}`) ? [{ id: `containerd:${node}`, name: 'containerd', node }] : []),
    ]),
  ];
  return { deployment: ep.deployment, start: raws[0].index, lifelines, messages };
}

/** How many of a row's members the cursor has reached (the first `cursor` events are shown). */
export const reached = (m: PathMessage, cursor: number): number => m.indices.filter((i) => i < cursor).length;

/** The run to show at the cursor: the last one begun before it (the first one before any began). */
export function runAt(runs: readonly PathRun[], cursor: number): number {
  let best = 0;
  runs.forEach((r, i) => {
    if (r.start < cursor && r.start >= runs[best].start) best = i;
  });
  return best;
}

/** Per step, the trace index at which a run first reaches it (undefined: not in the run). */
export function stepStarts(run: PathRun): Map<StepNo, number> {
  const first = new Map<StepNo, number>();
  for (const m of run.messages) if (!first.has(m.step) || m.indices[0] < first.get(m.step)!) first.set(m.step, m.indices[0]);
  return first;
}
