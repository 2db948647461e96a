/**
 * kubectl describe's text for Pod, Deployment, ReplicaSet, Service, Node, PriorityClass,
 * PodDisruptionBudget and any other kind (the generic describer), with the same layout: a
 * tabwriter (padding 2) over prefix-indented lines, labels and annotations one per line, the
 * Events table last.
 */
import { DESCRIBE_TABWRITER, TabWriter } from '../format/tabwriter';
import { formatRFC1123Z, translateTimestampSince } from '../format/duration';
import { addQuantity, formatQuantity, parseQuantity, quantityValue, zeroQuantity, type Quantity } from '../quantity';
import { escapeTerminal } from './table-printer';
import { findNodeRoles, formatLabelSelector, formatLabels, joinHostPort } from './tables';

const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

type Obj = Record<string, any>;

/** kubectl's PrefixWriter: two spaces per level, terminal escapes removed. */
export class PrefixWriter {
  readonly tw = new TabWriter(DESCRIBE_TABWRITER);
  write(level: number, text: string): void {
    this.tw.write(escapeTerminal('  '.repeat(level) + text));
  }
  line(text: string): void {
    this.write(0, text + '\n');
  }
  done(): string {
    return this.tw.flush();
  }
}

const L0 = 0;
const L1 = 1;
const L2 = 2;
const L3 = 3;

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));
const goBool = (v: unknown) => (v ? 'true' : 'false');

// Upstream: kubectl pkg/describe/describe.go (printLabelsMultilineWithIndent)
export function printLabelsMultiline(w: PrefixWriter, title: string, labels: Record<string, string> | undefined, initialIndent = '', innerIndent = '\t'): void {
  w.write(L0, `${initialIndent}${title}:${innerIndent}`);
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) {
    w.line('<none>');
    return;
  }
  keys.forEach((k, i) => {
    if (i !== 0) w.write(L0, initialIndent + innerIndent);
    w.write(L0, `${k}=${labels![k]}\n`);
  });
}

const MAX_ANNOTATION_LEN = 140;

// Upstream: describe.go (printAnnotationsMultiline)
export function printAnnotationsMultiline(w: PrefixWriter, title: string, annotations: Record<string, string> | undefined): void {
  w.write(L0, `${title}:\t`);
  const keys = Object.keys(annotations ?? {})
    .filter((k) => k !== LAST_APPLIED_ANNOTATION)
    .sort();
  if (keys.length === 0) {
    w.line('<none>');
    return;
  }
  keys.forEach((k, i) => {
    if (i !== 0) w.write(L0, '\t');
    const value = str(annotations![k]).replace(/\n$/, '');
    if (value.length + k.length + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(L0, `${k}:\n`);
      for (const s of value.split('\n')) w.write(L0, `\t  ${s.length > MAX_ANNOTATION_LEN - 2 ? s.slice(0, MAX_ANNOTATION_LEN - 2) + '...' : s}\n`);
    } else w.write(L0, `${k}: ${value}\n`);
  });
}

// Upstream: describe.go (printTolerationsMultilineWithIndent)
function printTolerationsMultiline(w: PrefixWriter, title: string, tolerations: Obj[] | undefined, initialIndent = ''): void {
  w.write(L0, `${initialIndent}${title}:\t`);
  const ts = [...(tolerations ?? [])].sort((a, b) => (str(a.key) < str(b.key) ? -1 : str(a.key) > str(b.key) ? 1 : 0));
  if (ts.length === 0) {
    w.line('<none>');
    return;
  }
  ts.forEach((t, i) => {
    if (i !== 0) w.write(L0, `${initialIndent}\t`);
    let s = str(t.key);
    if (t.value) s += `=${t.value}`;
    if (t.effect) s += `:${t.effect}`;
    if (t.operator === 'Exists' && !t.value) s += t.key || t.effect ? ' op=Exists' : 'op=Exists';
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) s += ` for ${t.tolerationSeconds}s`;
    w.write(L0, s + '\n');
  });
}

export function printController(o: Obj): string {
  const ref = (o.metadata?.ownerReferences ?? []).find((r: Obj) => r.controller);
  return ref ? `${ref.kind}/${ref.name}` : '';
}

const sortedKeys = (o: Obj | undefined) => Object.keys(o ?? {}).sort();

// Upstream: describe.go (describeResources)
function describeResources(resources: Obj | undefined, w: PrefixWriter, level: number): void {
  if (!resources) return;
  const limits = resources.limits ?? {};
  const requests = resources.requests ?? {};
  if (sortedKeys(limits).length) w.write(level, 'Limits:\n');
  for (const k of sortedKeys(limits)) w.write(level + 1, `${k}:\t${canonical(limits[k])}\n`);
  if (sortedKeys(requests).length) w.write(level, 'Requests:\n');
  for (const k of sortedKeys(requests)) w.write(level + 1, `${k}:\t${canonical(requests[k])}\n`);
}

function canonical(v: unknown): string {
  const q = parseQuantity(v);
  return q ? formatQuantity(q) : str(v);
}

function portsString(ports: Obj[] | undefined, host: boolean): string {
  return (ports ?? [])
    .map((p) => {
      let s = `${host ? p.hostPort ?? 0 : p.containerPort}/${p.protocol ?? 'TCP'}`;
      if (p.name) s += ` (${p.name})`;
      return s;
    })
    .join(', ');
}

// Upstream: describe.go (DescribeProbe)
function describeProbe(p: Obj): string {
  const attrs = `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 1}s period=${p.periodSeconds ?? 10}s #success=${p.successThreshold ?? 1} #failure=${p.failureThreshold ?? 3}`;
  if (p.exec) return `exec [${(p.exec.command ?? []).join(' ')}] ${attrs}`;
  if (p.httpGet) {
    const scheme = str(p.httpGet.scheme || 'HTTP').toLowerCase();
    const port = str(p.httpGet.port);
    const host = port ? joinHostPort(str(p.httpGet.host), port) : str(p.httpGet.host);
    return `http-get ${scheme}://${host}${str(p.httpGet.path)} ${attrs}`;
  }
  if (p.tcpSocket) return `tcp-socket ${str(p.tcpSocket.host)}:${str(p.tcpSocket.port)} ${attrs}`;
  if (p.grpc) return `grpc <pod>:${p.grpc.port} ${str(p.grpc.service)} ${attrs}`;
  return `unknown ${attrs}`;
}

// Upstream: describe.go (describeStatus)
function describeStatus(name: string, state: Obj | undefined, w: PrefixWriter): void {
  if (state?.running) {
    w.write(L2, `${name}:\tRunning\n`);
    w.write(L3, `Started:\t${formatRFC1123Z(state.running.startedAt)}\n`);
  } else if (state?.waiting) {
    w.write(L2, `${name}:\tWaiting\n`);
    if (state.waiting.reason) w.write(L3, `Reason:\t${state.waiting.reason}\n`);
  } else if (state?.terminated) {
    const t = state.terminated;
    w.write(L2, `${name}:\tTerminated\n`);
    if (t.reason) w.write(L3, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(L3, `Message:\t${t.message}\n`);
    w.write(L3, `Exit Code:\t${t.exitCode ?? 0}\n`);
    if (t.signal > 0) w.write(L3, `Signal:\t${t.signal}\n`);
    w.write(L3, `Started:\t${formatRFC1123Z(t.startedAt)}\n`);
    w.write(L3, `Finished:\t${formatRFC1123Z(t.finishedAt)}\n`);
  } else w.write(L2, `${name}:\tWaiting\n`);
}

// Upstream: describe.go (describeContainers and its helpers)
function describeContainers(label: string, containers: Obj[] | undefined, statuses: Obj[] | undefined, w: PrefixWriter, space: string, pod?: Obj): void {
  const cs = containers ?? [];
  const byName = new Map<string, Obj>((statuses ?? []).map((s) => [s.name, s]));
  w.write(L0, `${space}${label}:${cs.length === 0 ? ' <none>' : ''}\n`);
  for (const c of cs) {
    const status = byName.get(c.name);
    const nameIndent = space ? ' ' : '';
    w.write(L1, `${nameIndent}${c.name}:\n`);
    if (status) w.write(L2, `Container ID:\t${str(status.containerID)}\n`);
    w.write(L2, `Image:\t${str(c.image)}\n`);
    if (status) w.write(L2, `Image ID:\t${str(status.imageID)}\n`);
    const ports = portsString(c.ports, false);
    if (ports.includes(',')) w.write(L2, `Ports:\t${ports}\n`);
    else w.write(L2, `Port:\t${ports || '<none>'}\n`);
    const hostPorts = portsString(c.ports, true);
    if (hostPorts.includes(',')) w.write(L2, `Host Ports:\t${hostPorts}\n`);
    else w.write(L2, `Host Port:\t${hostPorts || '<none>'}\n`);
    if (c.command?.length) {
      w.write(L2, 'Command:\n');
      for (const cmd of c.command) for (const s of str(cmd).split('\n')) w.write(L3, `${s}\n`);
    }
    if (c.args?.length) {
      w.write(L2, 'Args:\n');
      for (const a of c.args) for (const s of str(a).split('\n')) w.write(L3, `${s}\n`);
    }
    if (status) {
      describeStatus('State', status.state, w);
      if (status.lastState?.terminated) describeStatus('Last State', status.lastState, w);
      w.write(L2, `Ready:\t${status.ready ? 'True' : 'False'}\n`);
      w.write(L2, `Restart Count:\t${status.restartCount ?? 0}\n`);
    }
    describeResources(c.resources, w, L2);
    if (c.livenessProbe) w.write(L2, `Liveness:\t${describeProbe(c.livenessProbe)}\n`);
    if (c.readinessProbe) w.write(L2, `Readiness:\t${describeProbe(c.readinessProbe)}\n`);
    if (c.startupProbe) w.write(L2, `Startup:\t${describeProbe(c.startupProbe)}\n`);
    if (c.envFrom?.length) {
      w.write(L2, 'Environment Variables from:\n');
      for (const e of c.envFrom) {
        const from = e.configMapRef ? 'ConfigMap' : e.secretRef ? 'Secret' : '';
        const ref = e.configMapRef ?? e.secretRef ?? {};
        const optional = goBool(ref.optional);
        if (e.prefix) w.write(L3, `${str(ref.name)}\t${from} with prefix '${e.prefix}'\tOptional: ${optional}\n`);
        else w.write(L3, `${str(ref.name)}\t${from}\tOptional: ${optional}\n`);
      }
    }
    const env: Obj[] = c.env ?? [];
    w.write(L2, `Environment:${env.length === 0 ? '\t<none>' : ''}\n`);
    for (const e of env) {
      if (!e.valueFrom) {
        str(e.value)
          .split('\n')
          .forEach((s, i) => w.write(L3, i === 0 ? `${e.name}:\t${s}\n` : `\t${s}\n`));
      } else if (e.valueFrom.fieldRef) {
        const value = pod ? fieldPathValue(pod, str(e.valueFrom.fieldRef.fieldPath)) : '';
        w.write(L3, `${e.name}:\t${value} (${e.valueFrom.fieldRef.apiVersion ?? 'v1'}:${e.valueFrom.fieldRef.fieldPath})\n`);
      } else if (e.valueFrom.resourceFieldRef) {
        w.write(L3, `${e.name}:\t (${e.valueFrom.resourceFieldRef.resource})\n`);
      } else if (e.valueFrom.secretKeyRef) {
        const r = e.valueFrom.secretKeyRef;
        w.write(L3, `${e.name}:\t<set to the key '${r.key}' in secret '${r.name}'>\tOptional: ${goBool(r.optional)}\n`);
      } else if (e.valueFrom.configMapKeyRef) {
        const r = e.valueFrom.configMapKeyRef;
        w.write(L3, `${e.name}:\t<set to the key '${r.key}' of config map '${r.name}'>\tOptional: ${goBool(r.optional)}\n`);
      }
    }
    const mounts: Obj[] = [...(c.volumeMounts ?? [])].sort((a, b) => (str(a.mountPath) < str(b.mountPath) ? -1 : 1));
    w.write(L2, `Mounts:${mounts.length === 0 ? '\t<none>' : ''}\n`);
    for (const m of mounts) {
      const flags = [m.readOnly ? 'ro' : 'rw'];
      if (m.subPath) flags.push(`path=${JSON.stringify(m.subPath)}`);
      w.write(L3, `${m.mountPath} from ${m.name} (${flags.join(',')})\n`);
    }
  }
}

/** fieldpath.ExtractFieldPathAsString for the downward API paths pods use. */
function fieldPathValue(pod: Obj, path: string): string {
  const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (m) return str(pod.metadata?.[m[1]]?.[m[2]]);
  const v = path.split('.').reduce<any>((o, k) => (o === undefined || o === null ? undefined : o[k]), pod);
  return typeof v === 'object' ? '' : str(v);
}

// Upstream: describe.go (describeVolumes) for the volume sources labs use
function describeVolumes(volumes: Obj[] | undefined, w: PrefixWriter, space: string): void {
  const vs = volumes ?? [];
  if (vs.length === 0) {
    w.write(L0, `${space}Volumes:\t<none>\n`);
    return;
  }
  w.write(L0, `${space}Volumes:\n`);
  for (const v of vs) {
    w.write(L1, `${space ? ' ' : ''}${v.name}:\n`);
    if (v.hostPath) w.write(L2, `Type:\tHostPath (bare host directory volume)\n    Path:\t${str(v.hostPath.path)}\n    HostPathType:\t${v.hostPath.type ?? '<none>'}\n`);
    else if (v.emptyDir) {
      const limit = v.emptyDir.sizeLimit && parseQuantity(v.emptyDir.sizeLimit)?.milli ? canonical(v.emptyDir.sizeLimit) : '<unset>';
      w.write(L2, `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${str(v.emptyDir.medium)}\n    SizeLimit:\t${limit}\n`);
    } else if (v.secret) w.write(L2, `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${str(v.secret.secretName)}\n    Optional:\t${goBool(v.secret.optional)}\n`);
    else if (v.configMap) w.write(L2, `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${str(v.configMap.name)}\n    Optional:\t${goBool(v.configMap.optional)}\n`);
    else if (v.persistentVolumeClaim) {
      w.write(L2, `Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t${str(v.persistentVolumeClaim.claimName)}\n    ReadOnly:\t${goBool(v.persistentVolumeClaim.readOnly)}\n`);
    } else if (v.downwardAPI) {
      w.write(L2, 'Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n');
      for (const item of v.downwardAPI.items ?? []) {
        if (item.fieldRef) w.write(L3, `${item.fieldRef.fieldPath} -> ${item.path}\n`);
        if (item.resourceFieldRef) w.write(L3, `${item.resourceFieldRef.resource} -> ${item.path}\n`);
      }
    } else if (v.projected) {
      w.write(L2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n');
      for (const s of v.projected.sources ?? []) {
        if (s.secret) w.write(L2, `SecretName:\t${str(s.secret.name)}\n    Optional:\t${goBool(s.secret.optional)}\n`);
        else if (s.downwardAPI) w.write(L2, 'DownwardAPI:\ttrue\n');
        else if (s.configMap) w.write(L2, `ConfigMapName:\t${str(s.configMap.name)}\n    Optional:\t${goBool(s.configMap.optional)}\n`);
        else if (s.serviceAccountToken) w.write(L2, `TokenExpirationSeconds:\t${s.serviceAccountToken.expirationSeconds ?? 3600}\n`);
      }
    } else w.write(L1, '<unknown>\n');
  }
}

/** qos.GetPodQOS (status.qosClass when the kubelet set it). */
// Upstream: kubernetes pkg/apis/core/v1/helper/qos/qos.go (GetPodQOS, ComputePodQOS)
export function podQOS(pod: Obj): string {
  if (pod.status?.qosClass) return pod.status.qosClass;
  const containers: Obj[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  let anyRequest = false;
  let guaranteed = true;
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    for (const r of ['cpu', 'memory']) {
      const rq = parseQuantity(req[r] ?? lim[r]);
      const lq = parseQuantity(lim[r]);
      if (rq && rq.milli !== 0n) anyRequest = true;
      if (lq && lq.milli !== 0n) anyRequest = true;
      if (!lq || !rq || rq.milli !== lq.milli) guaranteed = false;
    }
  }
  if (!anyRequest) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** The Events section (sorted by last timestamp, as event.SortableEvents). */
// Upstream: describe.go (DescribeEvents)
export function describeEvents(events: Obj[] | undefined, w: PrefixWriter, now: number): void {
  if (events === undefined) return;
  if (events.length === 0) {
    w.write(L0, 'Events:\t<none>\n');
    return;
  }
  const ts = (e: Obj) => Date.parse(e.lastTimestamp ?? '') || 0;
  const sorted = events.map((e, i) => ({ e, i })).sort((a, b) => ts(a.e) - ts(b.e) || a.i - b.i).map((x) => x.e);
  w.write(L0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(L1, '----\t------\t----\t----\t-------\n');
  for (const e of sorted) {
    const first = e.eventTime ? translateTimestampSince(e.eventTime, now) : translateTimestampSince(e.firstTimestamp, now);
    let interval = first;
    if (e.series) interval = `${translateTimestampSince(e.series.lastObservedTime, now)} (x${e.series.count} over ${first})`;
    else if ((e.count ?? 0) > 1) interval = `${translateTimestampSince(e.lastTimestamp, now)} (x${e.count} over ${first})`;
    const source = e.source?.component || e.reportingComponent || e.reportingController || '';
    w.write(L1, `${str(e.type)}\t${str(e.reason)}\t${interval}\t${source}\t${str(e.message).trim()}\n`);
  }
}

// Upstream: describe.go (describePod)
export function describePod(pod: Obj, events: Obj[] | undefined, now: number): string {
  const w = new PrefixWriter();
  const meta = pod.metadata ?? {};
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  w.write(L0, `Name:\t${str(meta.name)}\n`);
  w.write(L0, `Namespace:\t${str(meta.namespace)}\n`);
  if (spec.priority !== undefined) w.write(L0, `Priority:\t${spec.priority}\n`);
  if (spec.priorityClassName) w.write(L0, `Priority Class Name:\t${spec.priorityClassName}\n`);
  if (spec.runtimeClassName) w.write(L0, `Runtime Class Name:\t${spec.runtimeClassName}\n`);
  if (spec.serviceAccountName) w.write(L0, `Service Account:\t${spec.serviceAccountName}\n`);
  w.write(L0, spec.nodeName ? `Node:\t${spec.nodeName}/${str(status.hostIP)}\n` : 'Node:\t<none>\n');
  if (status.startTime) w.write(L0, `Start Time:\t${formatRFC1123Z(status.startTime)}\n`);
  printLabelsMultiline(w, 'Labels', meta.labels);
  printAnnotationsMultiline(w, 'Annotations', meta.annotations);
  if (meta.deletionTimestamp && status.phase !== 'Failed' && status.phase !== 'Succeeded') {
    w.write(L0, `Status:\tTerminating (lasts ${translateTimestampSince(meta.deletionTimestamp, now)})\n`);
    w.write(L0, `Termination Grace Period:\t${meta.deletionGracePeriodSeconds ?? 0}s\n`);
  } else w.write(L0, `Status:\t${str(status.phase)}\n`);
  if (status.reason) w.write(L0, `Reason:\t${status.reason}\n`);
  if (status.message) w.write(L0, `Message:\t${status.message}\n`);
  w.write(L0, `IP:\t${str(status.podIP)}\n`);
  const ips: Obj[] = status.podIPs ?? [];
  if (ips.length === 0) w.write(L0, 'IPs:\t<none>\n');
  else {
    w.write(L0, 'IPs:\n');
    for (const ip of ips) w.write(L1, `IP:\t${ip.ip}\n`);
  }
  const controlledBy = printController(pod);
  if (controlledBy) w.write(L0, `Controlled By:\t${controlledBy}\n`);
  if (status.nominatedNodeName) w.write(L0, `NominatedNodeName:\t${status.nominatedNodeName}\n`);
  if (spec.initContainers?.length) describeContainers('Init Containers', spec.initContainers, status.initContainerStatuses, w, '', pod);
  describeContainers('Containers', spec.containers, status.containerStatuses, w, '', pod);
  if (spec.readinessGates?.length) {
    w.write(L0, 'Readiness Gates:\n  Type\tStatus\n');
    for (const g of spec.readinessGates) {
      const c = (status.conditions ?? []).find((x: Obj) => x.type === g.conditionType);
      w.write(L1, `${g.conditionType} \t${c ? c.status : '<none>'} \n`);
    }
  }
  if (status.conditions?.length) {
    w.write(L0, 'Conditions:\n  Type\tStatus\n');
    for (const c of status.conditions) w.write(L1, `${c.type} \t${c.status} \n`);
  }
  describeVolumes(spec.volumes, w, '');
  w.write(L0, `QoS Class:\t${podQOS(pod)}\n`);
  printLabelsMultiline(w, 'Node-Selectors', spec.nodeSelector);
  printTolerationsMultiline(w, 'Tolerations', spec.tolerations);
  describeEvents(events, w, now);
  return w.done();
}

/** `Pod Template:` and the template's description alone (kubectl rollout history --revision, rollout undo --dry-run). */
// Upstream: kubectl pkg/polymorphichelpers/history.go (printTemplate)
export function describePodTemplateText(template: Obj | undefined): string {
  const w = new PrefixWriter();
  describePodTemplate(template, w);
  return w.done();
}

// Upstream: describe.go (DescribePodTemplate)
export function describePodTemplate(template: Obj | undefined, w: PrefixWriter): void {
  w.write(L0, 'Pod Template:\n');
  if (!template) {
    w.write(L1, '<unset>');
    return;
  }
  printLabelsMultiline(w, 'Labels', template.metadata?.labels, '  ');
  if (Object.keys(template.metadata?.annotations ?? {}).length) printAnnotationsMultiline(w, '  Annotations', template.metadata.annotations);
  const spec = template.spec ?? {};
  if (spec.serviceAccountName) w.write(L1, `Service Account:\t${spec.serviceAccountName}\n`);
  if (spec.initContainers?.length) describeContainers('Init Containers', spec.initContainers, undefined, w, '  ');
  describeContainers('Containers', spec.containers, undefined, w, '  ');
  describeVolumes(spec.volumes, w, '  ');
  if (spec.priorityClassName) w.write(L1, `Priority Class Name:\t${spec.priorityClassName}\n`);
  printLabelsMultiline(w, 'Node-Selectors', spec.nodeSelector, '  ');
  printTolerationsMultiline(w, 'Tolerations', spec.tolerations, '  ');
}

const rsSummary = (rss: Obj[]) => rss.map((rs) => `${rs.metadata?.name} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 0} replicas created)`).join(', ') || '<none>';

/** metav1.LabelSelectorAsSelector(...).String(): requirements sorted by key. */
export function selectorString(sel: Obj | undefined): string {
  if (!sel) return '';
  const reqs: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) reqs.push([k, `${k}=${v}`]);
  for (const e of sel.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    const text = e.operator === 'In' ? `${e.key} in (${values})` : e.operator === 'NotIn' ? `${e.key} notin (${values})` : e.operator === 'Exists' ? e.key : `!${e.key}`;
    reqs.push([e.key, text]);
  }
  return reqs
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map((r) => r[1])
    .join(',');
}

// Upstream: describe.go (describeDeployment)
export function describeDeployment(d: Obj, oldRSs: Obj[], newRSs: Obj[], events: Obj[] | undefined, now: number): string {
  const w = new PrefixWriter();
  const spec = d.spec ?? {};
  const status = d.status ?? {};
  w.write(L0, `Name:\t${str(d.metadata?.name)}\n`);
  w.write(L0, `Namespace:\t${str(d.metadata?.namespace)}\n`);
  w.write(L0, `CreationTimestamp:\t${formatRFC1123Z(d.metadata?.creationTimestamp)}\n`);
  printLabelsMultiline(w, 'Labels', d.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', d.metadata?.annotations);
  w.write(L0, `Selector:\t${selectorString(spec.selector)}\n`);
  w.write(
    L0,
    `Replicas:\t${spec.replicas ?? 0} desired | ${status.updatedReplicas ?? 0} updated | ${status.replicas ?? 0} total | ${status.availableReplicas ?? 0} available | ${status.unavailableReplicas ?? 0} unavailable\n`,
  );
  w.write(L0, `StrategyType:\t${str(spec.strategy?.type)}\n`);
  w.write(L0, `MinReadySeconds:\t${spec.minReadySeconds ?? 0}\n`);
  const ru = spec.strategy?.rollingUpdate;
  if (ru) w.write(L0, `RollingUpdateStrategy:\t${str(ru.maxUnavailable)} max unavailable, ${str(ru.maxSurge)} max surge\n`);
  describePodTemplate(spec.template, w);
  if (status.conditions?.length) {
    w.write(L0, 'Conditions:\n  Type\tStatus\tReason\n');
    w.write(L1, '----\t------\t------\n');
    for (const c of status.conditions) w.write(L1, `${c.type} \t${c.status}\t${str(c.reason)}\n`);
  }
  if (oldRSs.length || newRSs.length) {
    w.write(L0, `OldReplicaSets:\t${rsSummary(oldRSs)}\n`);
    w.write(L0, `NewReplicaSet:\t${rsSummary(newRSs)}\n`);
  }
  describeEvents(events, w, now);
  return w.done();
}

// Upstream: describe.go (describeReplicaSet)
export function describeReplicaSet(rs: Obj, events: Obj[] | undefined, counts: [number, number, number, number], now: number): string {
  const w = new PrefixWriter();
  w.write(L0, `Name:\t${str(rs.metadata?.name)}\n`);
  w.write(L0, `Namespace:\t${str(rs.metadata?.namespace)}\n`);
  w.write(L0, `Selector:\t${formatLabelSelector(rs.spec?.selector)}\n`);
  printLabelsMultiline(w, 'Labels', rs.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', rs.metadata?.annotations);
  const controlledBy = printController(rs);
  if (controlledBy) w.write(L0, `Controlled By:\t${controlledBy}\n`);
  w.write(L0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec?.replicas ?? 0} desired\n`);
  w.write(L0, `Pods Status:\t${counts[0]} Running / ${counts[1]} Waiting / ${counts[2]} Succeeded / ${counts[3]} Failed\n`);
  describePodTemplate(rs.spec?.template, w);
  if (rs.status?.conditions?.length) {
    w.write(L0, 'Conditions:\n  Type\tStatus\tReason\n');
    w.write(L1, '----\t------\t------\n');
    for (const c of rs.status.conditions) w.write(L1, `${c.type} \t${c.status}\t${str(c.reason)}\n`);
  }
  describeEvents(events, w, now);
  return w.done();
}

// Upstream: describe.go (formatEndpointSlices)
function formatEndpointSlices(slices: Obj[], portName: string | undefined): string {
  if (slices.length === 0) return '<none>';
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const s of slices) {
    if ((s.ports ?? []).length === 0) {
      for (const e of s.endpoints ?? []) {
        if (list.length === max) more = true;
        if (e.conditions?.ready === false) continue;
        if (!more) list.push(e.addresses?.[0]);
        count++;
      }
      continue;
    }
    for (const p of s.ports) {
      if (portName !== undefined && (p.name ?? '') !== portName) continue;
      for (const e of s.endpoints ?? []) {
        if (list.length === max) more = true;
        if (e.conditions?.ready === false) continue;
        if (!more) list.push(joinHostPort(e.addresses?.[0], p.port));
        count++;
      }
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - max} more...` : ret;
}

// Upstream: describe.go (describeService)
export function describeService(svc: Obj, slices: Obj[], events: Obj[] | undefined, now: number): string {
  const w = new PrefixWriter();
  const spec = svc.spec ?? {};
  w.write(L0, `Name:\t${str(svc.metadata?.name)}\n`);
  w.write(L0, `Namespace:\t${str(svc.metadata?.namespace)}\n`);
  printLabelsMultiline(w, 'Labels', svc.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', svc.metadata?.annotations);
  w.write(L0, `Selector:\t${formatLabels(spec.selector) === '<none>' ? '' : formatLabels(spec.selector)}\n`);
  w.write(L0, `Type:\t${str(spec.type)}\n`);
  if (spec.ipFamilyPolicy) w.write(L0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
  w.write(L0, `IP Families:\t${(spec.ipFamilies ?? []).join(',') || '<none>'}\n`);
  w.write(L0, `IP:\t${str(spec.clusterIP)}\n`);
  w.write(L0, `IPs:\t${(spec.clusterIPs ?? []).join(',') || '<none>'}\n`);
  if (spec.externalIPs?.length) w.write(L0, `External IPs:\t${spec.externalIPs.join(',')}\n`);
  if (spec.loadBalancerIP) w.write(L0, `Desired LoadBalancer IP:\t${spec.loadBalancerIP}\n`);
  if (spec.externalName) w.write(L0, `External Name:\t${spec.externalName}\n`);
  const ingress: Obj[] = svc.status?.loadBalancer?.ingress ?? [];
  if (ingress.length) w.write(L0, `LoadBalancer Ingress:\t${ingress.map((i) => (i.ip ? i.ip + (i.ipMode ? ` (${i.ipMode})` : '') : str(i.hostname))).join(', ')}\n`);
  for (const p of spec.ports ?? []) {
    const name = p.name || '<unset>';
    const proto = p.protocol ?? 'TCP';
    w.write(L0, `Port:\t${name}\t${p.port}/${proto}\n`);
    const target = p.targetPort ?? p.port;
    w.write(L0, `TargetPort:\t${target}/${proto}\n`);
    if (p.nodePort) w.write(L0, `NodePort:\t${name}\t${p.nodePort}/${proto}\n`);
    w.write(L0, `Endpoints:\t${formatEndpointSlices(slices, p.name ?? '')}\n`);
  }
  w.write(L0, `Session Affinity:\t${str(spec.sessionAffinity)}\n`);
  if (spec.externalTrafficPolicy) w.write(L0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
  if (spec.internalTrafficPolicy) w.write(L0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
  if (spec.healthCheckNodePort) w.write(L0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`);
  if (spec.loadBalancerSourceRanges?.length) w.write(L0, `LoadBalancer Source Ranges:\t${spec.loadBalancerSourceRanges.join(',')}\n`);
  if (spec.trafficDistribution) w.write(L0, `Traffic Distribution:\t${spec.trafficDistribution}\n`);
  describeEvents(events, w, now);
  return w.done();
}

/** resourcehelper.PodRequestsAndLimits (containers summed, init containers as max). */
function podRequestsAndLimits(pod: Obj): [Map<string, Quantity>, Map<string, Quantity>] {
  const sum = (which: 'requests' | 'limits') => {
    const total = new Map<string, Quantity>();
    for (const c of pod.spec?.containers ?? []) {
      for (const [k, v] of Object.entries(c.resources?.[which] ?? (which === 'requests' ? c.resources?.limits : undefined) ?? {})) {
        const q = parseQuantity(v);
        if (q) total.set(k, addQuantity(total.get(k) ?? zeroQuantity(q.format), q));
      }
    }
    for (const c of pod.spec?.initContainers ?? []) {
      for (const [k, v] of Object.entries(c.resources?.[which] ?? {})) {
        const q = parseQuantity(v);
        if (q && (!total.has(k) || total.get(k)!.milli < q.milli)) total.set(k, q);
      }
    }
    return total;
  };
  return [sum('requests'), sum('limits')];
}

const pct = (num: Quantity | undefined, den: Quantity | undefined, milli: boolean) => {
  if (!num || !den) return 0;
  const d = milli ? Number(den.milli) : Number(quantityValue(den));
  if (d === 0) return 0;
  const n = milli ? Number(num.milli) : Number(quantityValue(num));
  return Math.trunc((n / d) * 100);
};

// Upstream: describe.go (describeNode, describeNodeResource, describeNodeLease)
export function describeNode(node: Obj, pods: Obj[] | undefined, events: Obj[] | undefined, lease: Obj | undefined | Error, now: number): string {
  const w = new PrefixWriter();
  const meta = node.metadata ?? {};
  const status = node.status ?? {};
  w.write(L0, `Name:\t${str(meta.name)}\n`);
  const roles = findNodeRoles(node);
  w.write(L0, `Roles:\t${roles.length ? roles.join(',') : '<none>'}\n`);
  printLabelsMultiline(w, 'Labels', meta.labels);
  printAnnotationsMultiline(w, 'Annotations', meta.annotations);
  w.write(L0, `CreationTimestamp:\t${formatRFC1123Z(meta.creationTimestamp)}\n`);
  const taints: Obj[] = [...(node.spec?.taints ?? [])].sort((a, b) => (`${a.effect},${a.key}` < `${b.effect},${b.key}` ? -1 : 1));
  w.write(L0, 'Taints:\t');
  if (taints.length === 0) w.line('<none>');
  taints.forEach((t, i) => {
    if (i !== 0) w.write(L0, '\t');
    w.write(L0, `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}\n`);
  });
  w.write(L0, `Unschedulable:\t${goBool(node.spec?.unschedulable)}\n`);
  if (lease instanceof Error) w.write(L0, `Lease:\tFailed to get lease: ${lease.message}\n`);
  else {
    w.write(L0, 'Lease:\n');
    w.write(L1, `HolderIdentity:\t${lease?.spec?.holderIdentity ?? '<unset>'}\n`);
    w.write(L1, `AcquireTime:\t${lease?.spec?.acquireTime ? formatRFC1123Z(lease.spec.acquireTime) : '<unset>'}\n`);
    w.write(L1, `RenewTime:\t${lease?.spec?.renewTime ? formatRFC1123Z(lease.spec.renewTime) : '<unset>'}\n`);
  }
  if (status.conditions?.length) {
    w.write(L0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
    w.write(L1, '----\t------\t-----------------\t------------------\t------\t-------\n');
    for (const c of status.conditions) {
      w.write(L1, `${c.type} \t${c.status} \t${formatRFC1123Z(c.lastHeartbeatTime)} \t${formatRFC1123Z(c.lastTransitionTime)} \t${str(c.reason)} \t${str(c.message)}\n`);
    }
  }
  w.write(L0, 'Addresses:\n');
  for (const a of status.addresses ?? []) w.write(L1, `${a.type}:\t${a.address}\n`);
  const printList = (list: Obj) => {
    for (const k of sortedKeys(list)) w.write(L0, `  ${k}:\t${canonical(list[k])}\n`);
  };
  if (sortedKeys(status.capacity).length) {
    w.write(L0, 'Capacity:\n');
    printList(status.capacity);
  }
  if (sortedKeys(status.allocatable).length) {
    w.write(L0, 'Allocatable:\n');
    printList(status.allocatable);
  }
  const info = status.nodeInfo ?? {};
  w.write(L0, 'System Info:\n');
  w.write(L0, `  Machine ID:\t${str(info.machineID)}\n`);
  w.write(L0, `  System UUID:\t${str(info.systemUUID)}\n`);
  w.write(L0, `  Boot ID:\t${str(info.bootID)}\n`);
  w.write(L0, `  Kernel Version:\t${str(info.kernelVersion)}\n`);
  w.write(L0, `  OS Image:\t${str(info.osImage)}\n`);
  w.write(L0, `  Operating System:\t${str(info.operatingSystem)}\n`);
  w.write(L0, `  Architecture:\t${str(info.architecture)}\n`);
  w.write(L0, `  Container Runtime Version:\t${str(info.containerRuntimeVersion)}\n`);
  w.write(L0, `  Kubelet Version:\t${str(info.kubeletVersion)}\n`);
  w.write(L0, `  Kube-Proxy Version:\t${str(info.kubeProxyVersion)}\n`);
  if (node.spec?.podCIDR) w.write(L0, `PodCIDR:\t${node.spec.podCIDR}\n`);
  if (node.spec?.podCIDRs?.length) w.write(L0, `PodCIDRs:\t${node.spec.podCIDRs.join(',')}\n`);
  if (node.spec?.providerID) w.write(L0, `ProviderID:\t${node.spec.providerID}\n`);
  if (pods) {
    const alloc: Obj = sortedKeys(status.allocatable).length ? status.allocatable : status.capacity ?? {};
    const allocCpu = parseQuantity(alloc.cpu);
    const allocMem = parseQuantity(alloc.memory);
    const allocEph = parseQuantity(alloc['ephemeral-storage']);
    w.write(L0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
    w.write(L1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
    w.write(L1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
    const totalReq = new Map<string, Quantity>();
    const totalLim = new Map<string, Quantity>();
    for (const pod of pods) {
      const [req, lim] = podRequestsAndLimits(pod);
      for (const [k, q] of req) totalReq.set(k, addQuantity(totalReq.get(k) ?? zeroQuantity(q.format), q));
      for (const [k, q] of lim) totalLim.set(k, addQuantity(totalLim.get(k) ?? zeroQuantity(q.format), q));
      const cr = req.get('cpu') ?? zeroQuantity();
      const cl = lim.get('cpu') ?? zeroQuantity();
      const mr = req.get('memory') ?? zeroQuantity();
      const ml = lim.get('memory') ?? zeroQuantity();
      w.write(
        L1,
        `${str(pod.metadata?.namespace)}\t${str(pod.metadata?.name)}\t\t${formatQuantity(cr)} (${pct(cr, allocCpu, true)}%)\t${formatQuantity(cl)} (${pct(cl, allocCpu, true)}%)\t${formatQuantity(mr)} (${pct(mr, allocMem, false)}%)\t${formatQuantity(ml)} (${pct(ml, allocMem, false)}%)\t${translateTimestampSince(pod.metadata?.creationTimestamp, now)}\n`,
      );
    }
    w.write(L0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
    w.write(L1, 'Resource\tRequests\tLimits\n');
    w.write(L1, '--------\t--------\t------\n');
    for (const [r, den, milli] of [
      ['cpu', allocCpu, true],
      ['memory', allocMem, false],
      ['ephemeral-storage', allocEph, false],
    ] as const) {
      const rq = totalReq.get(r) ?? zeroQuantity();
      const lq = totalLim.get(r) ?? zeroQuantity();
      w.write(L1, `${r}\t${formatQuantity(rq)} (${pct(rq, den, milli)}%)\t${formatQuantity(lq)} (${pct(lq, den, milli)}%)\n`);
    }
  } else w.write(L0, 'Pods:\tnot authorized\n');
  describeEvents(events, w, now);
  return w.done();
}

/** smartLabelFor: `creationTimestamp` -> `Creation Timestamp`, acronyms kept. */
// Upstream: describe.go (smartLabelFor), github.com/fatih/camelcase (Split)
export function smartLabelFor(field: string): string {
  if (/[^\p{L}-]/u.test(field)) return field;
  const parts = field.match(/(\p{Lu}+(?=\p{Lu}\p{Ll})|\p{Lu}?\p{Ll}+|\p{Lu}+|-+)/gu) ?? [field];
  return parts
    .filter((p) => p !== '_')
    .map((p) => (['API', 'URL', 'UID', 'OSB', 'GUID'].includes(p.toUpperCase()) ? p.toUpperCase() : p.charAt(0).toUpperCase() + p.slice(1)))
    .join(' ');
}

// Upstream: describe.go (printUnstructuredContent)
function printUnstructured(w: PrefixWriter, level: number, content: Obj, skipPrefix: string, skip: string[]): void {
  for (const field of Object.keys(content).sort()) {
    const value = content[field];
    const expr = `${skipPrefix}.${field}`;
    if (skip.includes(expr)) continue;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      w.write(level, `${smartLabelFor(field)}:\n`);
      printUnstructured(w, level + 1, value, expr, skip);
    } else if (Array.isArray(value)) {
      w.write(level, `${smartLabelFor(field)}:\n`);
      for (const child of value) {
        if (child !== null && typeof child === 'object' && !Array.isArray(child)) printUnstructured(w, level + 1, child, expr, skip);
        else w.write(level + 1, `${goValue(child)}\n`);
      }
    } else w.write(level, `${smartLabelFor(field)}:\t${goValue(value)}\n`);
  }
}

function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  return String(v);
}

// Upstream: describe.go (genericDescriber.Describe)
export function describeGeneric(obj: Obj, events: Obj[] | undefined, now: number): string {
  const w = new PrefixWriter();
  w.write(L0, `Name:\t${str(obj.metadata?.name)}\n`);
  w.write(L0, `Namespace:\t${str(obj.metadata?.namespace)}\n`);
  printLabelsMultiline(w, 'Labels', obj.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', obj.metadata?.annotations);
  printUnstructured(w, L0, obj, '', ['.metadata.managedFields', '.metadata.name', '.metadata.namespace', '.metadata.labels', '.metadata.annotations']);
  describeEvents(events, w, now);
  return w.done();
}

/**
 * A namespace: its phase and, while it is deleted, the namespace controller's conditions. The
 * ResourceQuota and LimitRange sections are left out: the model serves neither resource, which
 * kubectl treats as a server without them (NotFound: the section is not printed).
 */
// Upstream: describe.go (NamespaceDescriber.Describe, describeNamespace)
export function describeNamespace(ns: Obj): string {
  const w = new PrefixWriter();
  w.write(L0, `Name:\t${str(ns.metadata?.name)}\n`);
  printLabelsMultiline(w, 'Labels', ns.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', ns.metadata?.annotations);
  w.write(L0, `Status:\t${str(ns.status?.phase)}\n`);
  const conditions: Obj[] = ns.status?.conditions ?? [];
  if (conditions.length > 0) {
    w.write(L0, 'Conditions:\n');
    w.write(L1, 'Type\tStatus\tLastTransitionTime\tReason\tMessage\n');
    w.write(L1, '----\t------\t------------------\t------\t-------\n');
    for (const c of conditions) w.write(L1, `${str(c.type)}\t${str(c.status)}\t${c.lastTransitionTime ? formatRFC1123Z(c.lastTransitionTime) : ''}\t${str(c.reason)}\t${str(c.message)}\n`);
  }
  return w.done();
}

// Upstream: describe.go (describePriorityClass)
export function describePriorityClass(pc: Obj, events: Obj[] | undefined, now: number): string {
  const w = new PrefixWriter();
  w.write(L0, `Name:\t${str(pc.metadata?.name)}\n`);
  w.write(L0, `Value:\t${pc.value ?? 0}\n`);
  w.write(L0, `GlobalDefault:\t${goBool(pc.globalDefault)}\n`);
  w.write(L0, `PreemptionPolicy:\t${str(pc.preemptionPolicy)}\n`);
  w.write(L0, `Description:\t${str(pc.description)}\n`);
  w.write(L0, `Annotations:\t${formatLabels(pc.metadata?.annotations)}\n`);
  describeEvents(events, w, now);
  return w.done();
}

// Upstream: describe.go (describePodDisruptionBudgetV1)
export function describePodDisruptionBudget(pdb: Obj, events: Obj[] | undefined, now: number): string {
  const w = new PrefixWriter();
  w.write(L0, `Name:\t${str(pdb.metadata?.name)}\n`);
  w.write(L0, `Namespace:\t${str(pdb.metadata?.namespace)}\n`);
  if (pdb.spec?.minAvailable !== undefined && pdb.spec?.minAvailable !== null) w.write(L0, `Min available:\t${String(pdb.spec.minAvailable)}\n`);
  else if (pdb.spec?.maxUnavailable !== undefined && pdb.spec?.maxUnavailable !== null) w.write(L0, `Max unavailable:\t${String(pdb.spec.maxUnavailable)}\n`);
  w.write(L0, pdb.spec?.selector ? `Selector:\t${formatLabelSelector(pdb.spec.selector)}\n` : 'Selector:\t<unset>\n');
  w.write(L0, 'Status:\n');
  const st = pdb.status ?? {};
  w.write(L2, `Allowed disruptions:\t${st.disruptionsAllowed ?? 0}\n`);
  w.write(L2, `Current:\t${st.currentHealthy ?? 0}\n`);
  w.write(L2, `Desired:\t${st.desiredHealthy ?? 0}\n`);
  w.write(L2, `Total:\t${st.expectedPods ?? 0}\n`);
  describeEvents(events, w, now);
  return w.done();
}
