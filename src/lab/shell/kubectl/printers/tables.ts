/**
 * The tables kubectl prints for each kind: column definitions and row cells, ported from the
 * server-side printers (kube-apiserver converts objects to a metav1.Table with these and kubectl
 * prints the Table). Here kubectl builds the Table itself from the JSON objects the transport
 * returns (see README: the lab's transport has no Accept header to ask for `as=Table`).
 */
import { translateTimestampSince } from '../format/duration';
import { formatQuantity, parseQuantity } from '../quantity';

/** metav1.TableColumnDefinition (the fields kubectl reads). */
export interface Column {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  /** `name` marks the name column (kubectl prefixes `kind/` to it when several kinds print). */
  format?: string;
  /** 0: always shown; 1: only with `-o wide`. */
  priority: number;
}

/** metav1.TableRow: cells in column order, and the object it came from. */
export interface Row {
  cells: unknown[];
  object: Obj;
}

/** metav1.Table. */
export interface Table {
  columns: Column[];
  rows: Row[];
}

type Obj = Record<string, any>;
type RowFn = (obj: Obj, now: number) => unknown[];

const col = (name: string, type: Column['type'] = 'string', priority = 0, format?: string): Column => ({ name, type, priority, ...(format ? { format } : {}) });
const NAME = col('Name', 'string', 0, 'name');
const AGE = col('Age');

interface Printer {
  columns: Column[];
  row: RowFn;
}

const age = (o: Obj, now: number) => translateTimestampSince(o.metadata?.creationTimestamp, now);
const name = (o: Obj) => o.metadata?.name ?? '';
const int = (v: unknown) => (typeof v === 'number' ? v : 0);

/** Container names and images joined by commas (`-o wide`). */
// Upstream: printers.go (layoutContainerCells)
function layoutContainerCells(containers: Obj[] | undefined): [string, string] {
  const cs = containers ?? [];
  return [cs.map((c) => c.name ?? '').join(','), cs.map((c) => c.image ?? '').join(',')];
}

/** metav1.FormatLabelSelector. */
// Upstream: apimachinery pkg/apis/meta/v1/helpers.go (FormatLabelSelector)
export function formatLabelSelector(sel: Obj | undefined | null): string {
  if (!sel) return '<none>';
  const parts: string[] = [];
  const ml = sel.matchLabels ?? {};
  for (const k of Object.keys(ml).sort()) parts.push(`${k}=${ml[k]}`);
  for (const e of sel.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort();
    switch (e.operator) {
      case 'In':
        parts.push(`${e.key} in (${values.join(',')})`);
        break;
      case 'NotIn':
        parts.push(`${e.key} notin (${values.join(',')})`);
        break;
      case 'Exists':
        parts.push(e.key);
        break;
      case 'DoesNotExist':
        parts.push(`!${e.key}`);
        break;
      default:
        parts.push(`${e.key} ${e.operator} (${values.join(',')})`);
    }
  }
  const s = parts.join(',');
  return s === '' ? '<none>' : s;
}

/** labels.FormatLabels: `k=v,k2=v2` sorted, `<none>` when empty. */
export function formatLabels(labels: Record<string, string> | undefined | null): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels![k]}`).join(',');
}

// Upstream: printers.go (printPod)
function podRow(pod: Obj, now: number): unknown[] {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  let restarts = 0;
  let restartableRestarts = 0;
  let totalContainers = (spec.containers ?? []).length;
  let readyContainers = 0;
  let lastRestart: number | undefined;
  let lastRestartableRestart: number | undefined;
  const laterOf = (a: number | undefined, ts: unknown) => {
    const t = typeof ts === 'string' ? Date.parse(ts) : NaN;
    return Number.isNaN(t) ? a : a === undefined || t > a ? t : a;
  };
  const podPhase = status.phase ?? '';
  let reason: string = status.reason || podPhase;
  for (const c of status.conditions ?? []) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }
  const initContainers = new Map<string, Obj>();
  for (const ic of spec.initContainers ?? []) {
    initContainers.set(ic.name, ic);
    if (ic.restartPolicy === 'Always') totalContainers++;
  }
  const isRestartable = (n: string) => initContainers.get(n)?.restartPolicy === 'Always';
  let initializing = false;
  const initStatuses: Obj[] = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    restarts += int(c.restartCount);
    if (c.lastState?.terminated) lastRestart = laterOf(lastRestart, c.lastState.terminated.finishedAt);
    if (isRestartable(c.name)) {
      restartableRestarts += int(c.restartCount);
      if (c.lastState?.terminated) lastRestartableRestart = laterOf(lastRestartableRestart, c.lastState.terminated.finishedAt);
    }
    const term = c.state?.terminated;
    const wait = c.state?.waiting;
    if (term && int(term.exitCode) === 0) continue;
    if (isRestartable(c.name) && c.started === true) {
      if (c.ready) readyContainers++;
      continue;
    }
    if (term) {
      if (!term.reason) reason = term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${int(term.exitCode)}`;
      else reason = `Init:${term.reason}`;
      initializing = true;
    } else if (wait && wait.reason && wait.reason !== 'PodInitializing') {
      reason = `Init:${wait.reason}`;
      initializing = true;
    } else {
      reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
      initializing = true;
    }
    break;
  }
  const initialized = (status.conditions ?? []).some((c: Obj) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initialized) {
    restarts = restartableRestarts;
    lastRestart = lastRestartableRestart;
    let hasRunning = false;
    const statuses: Obj[] = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      restarts += int(c.restartCount);
      if (c.lastState?.terminated) lastRestart = laterOf(lastRestart, c.lastState.terminated.finishedAt);
      const wait = c.state?.waiting;
      const term = c.state?.terminated;
      if (wait && wait.reason) reason = wait.reason;
      else if (term && term.reason) reason = term.reason;
      else if (term && !term.reason) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${int(term.exitCode)}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const ready = (status.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True');
      reason = ready ? 'Running' : 'NotReady';
    }
  }
  const deleting = !!pod.metadata?.deletionTimestamp;
  if (deleting && status.reason === 'NodeLost') reason = 'Unknown';
  else if (deleting && podPhase !== 'Succeeded' && podPhase !== 'Failed') reason = 'Terminating';
  let restartsStr = String(restarts);
  if (restarts !== 0 && lastRestart !== undefined) restartsStr = `${restarts} (${translateTimestampSince(new Date(lastRestart).toISOString(), now)} ago)`;
  const podIP = (status.podIPs ?? [])[0]?.ip || '<none>';
  let readinessGates = '<none>';
  const gates: Obj[] = spec.readinessGates ?? [];
  if (gates.length > 0) {
    let trueConditions = 0;
    for (const g of gates) {
      const c = (status.conditions ?? []).find((x: Obj) => x.type === g.conditionType);
      if (c?.status === 'True') trueConditions++;
    }
    readinessGates = `${trueConditions}/${gates.length}`;
  }
  return [
    name(pod),
    `${readyContainers}/${totalContainers}`,
    reason,
    restartsStr,
    age(pod, now),
    podIP,
    spec.nodeName || '<none>',
    status.nominatedNodeName || '<none>',
    readinessGates,
  ];
}

// Upstream: printers.go (getServiceExternalIP, loadBalancerStatusStringer)
function serviceExternalIP(svc: Obj): string {
  const spec = svc.spec ?? {};
  const ext: string[] = spec.externalIPs ?? [];
  switch (spec.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return ext.length > 0 ? ext.join(',') : '<none>';
    case 'LoadBalancer': {
      const ips = [...new Set<string>((svc.status?.loadBalancer?.ingress ?? []).map((i: Obj) => i.ip || i.hostname).filter(Boolean))].sort().join(',');
      if (ext.length > 0) return [...(ips ? ips.split(',') : []), ...ext].join(',');
      return ips || '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
  }
  return '<unknown>';
}

// Upstream: printers.go (makePortString)
function makePortString(ports: Obj[] | undefined): string {
  return (ports ?? []).map((p) => (p.nodePort > 0 ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`)).join(',');
}

// Upstream: printers.go (formatEndpoints)
function formatEndpoints(ep: Obj): string {
  const subsets: Obj[] = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addrs: Obj[] = ss.addresses ?? [];
    if ((ss.ports ?? []).length === 0) {
      count += addrs.length;
      for (const a of addrs) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(a.ip);
      }
      continue;
    }
    for (const port of ss.ports) {
      count += addrs.length;
      for (const a of addrs) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(joinHostPort(a.ip, port.port));
      }
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - max} more...` : ret;
}

export function joinHostPort(host: string, port: unknown): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function listWithMore(list: string[], more: boolean, count: number, max: number): string {
  const ret = list.join(',');
  if (more) return `${ret} + ${count - max} more...`;
  return ret === '' ? '<unset>' : ret;
}

// Upstream: printers.go (formatDiscoveryPorts, formatDiscoveryEndpoints)
function formatDiscoveryPorts(ports: Obj[] | undefined): string {
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const p of ports ?? []) {
    if (list.length < 3) list.push(p.port !== undefined && p.port !== null ? String(p.port) : p.name !== undefined && p.name !== null ? p.name : '*');
    else if (list.length === 3) more = true;
    count++;
  }
  return listWithMore(list, more, count, 3);
}

function formatDiscoveryEndpoints(endpoints: Obj[] | undefined): string {
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const e of endpoints ?? []) {
    for (const a of e.addresses ?? []) {
      if (list.length < 3) list.push(a);
      else if (list.length === 3) more = true;
      count++;
    }
  }
  return listWithMore(list, more, count, 3);
}

/** Node roles from `node-role.kubernetes.io/<role>` and `kubernetes.io/role` labels, sorted. */
// Upstream: printers.go (findNodeRoles)
export function findNodeRoles(node: Obj): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries<string>(node.metadata?.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return [...roles].sort();
}

const nodeAddress = (node: Obj, type: string) => (node.status?.addresses ?? []).find((a: Obj) => a.type === type)?.address ?? '<none>';

// Upstream: printers.go (printEvent, formatEventSource)
function eventRow(e: Obj, now: number): unknown[] {
  let first = translateTimestampSince(e.firstTimestamp, now);
  if (!e.firstTimestamp) first = translateTimestampSince(e.eventTime, now);
  let last = translateTimestampSince(e.lastTimestamp, now);
  if (!e.lastTimestamp) last = first;
  let count = int(e.count);
  if (e.series) {
    last = translateTimestampSince(e.series.lastObservedTime, now);
    count = int(e.series.count);
  } else if (count === 0) count = 1;
  const io = e.involvedObject ?? {};
  const target = io.name ? `${String(io.kind ?? '').toLowerCase()}/${io.name}` : String(io.kind ?? '').toLowerCase();
  const component = e.source?.component || e.reportingComponent || e.reportingController || '';
  const instance = e.source?.host || e.reportingInstance || '';
  const source = instance ? `${component}, ${instance}` : component;
  return [last, e.type ?? '', e.reason ?? '', target, io.fieldPath ?? '', source, String(e.message ?? '').trim(), first, count, name(e)];
}

// Upstream: printers.go (formatHPAMetrics)
function formatHPAMetrics(specs: Obj[] | undefined, statuses: Obj[] | undefined): string {
  if (!specs || specs.length === 0) return '<none>';
  const list: string[] = [];
  specs.forEach((spec, i) => {
    const st = (statuses ?? [])[i];
    switch (spec.type) {
      case 'Resource':
      case 'ContainerResource': {
        const src = spec.type === 'Resource' ? spec.resource : spec.containerResource;
        const cur = spec.type === 'Resource' ? st?.resource : st?.containerResource;
        const t = src?.target ?? {};
        if (t.averageValue !== undefined) {
          list.push(`${src.name}: ${cur?.current?.averageValue ?? '<unknown>'}/${t.averageValue}`);
        } else {
          const current = cur?.current?.averageUtilization !== undefined ? `${cur.current.averageUtilization}%` : '<unknown>';
          const target = t.averageUtilization !== undefined ? `${t.averageUtilization}%` : '<auto>';
          list.push(`${src?.name}: ${current}/${target}`);
        }
        break;
      }
      case 'Pods':
        list.push(`${st?.pods?.current?.averageValue ?? '<unknown>'}/${spec.pods?.target?.averageValue}`);
        break;
      case 'External':
        if (spec.external?.target?.averageValue !== undefined) list.push(`${st?.external?.current?.averageValue ?? '<unknown>'}/${spec.external.target.averageValue} (avg)`);
        else list.push(`${st?.external?.current?.value ?? '<unknown>'}/${spec.external?.target?.value}`);
        break;
      case 'Object':
        if (spec.object?.target?.averageValue !== undefined) list.push(`${st?.object?.current?.averageValue ?? '<unknown>'}/${spec.object.target.averageValue} (avg)`);
        else list.push(`${st?.object?.current?.value ?? '<unknown>'}/${spec.object?.target?.value}`);
        break;
      default:
        list.push('<unknown type>');
    }
  });
  const max = 2;
  if (list.length > max) return `${list.slice(0, max).join(', ')} + ${list.length - max} more...`;
  return list.join(', ');
}

/** Printers by `group/Kind` (core group: `/Kind`). */
/** `RWO,ROX,RWX,RWOP` in that order, each once. */
// Upstream: pkg/apis/core/helper/helpers.go (GetAccessModesAsString)
function accessModesString(modes: unknown): string {
  const set = new Set(Array.isArray(modes) ? modes : []);
  return (
    [
      ['ReadWriteOnce', 'RWO'],
      ['ReadOnlyMany', 'ROX'],
      ['ReadWriteMany', 'RWX'],
      ['ReadWriteOncePod', 'RWOP'],
    ] as const
  )
    .filter(([m]) => set.has(m))
    .map(([, s]) => s)
    .join(',');
}

/** A quantity in its canonical form (Go: `Quantity.String`; an absent one prints `0`). */
function quantityString(v: unknown): string {
  const q = parseQuantity(v);
  return q ? formatQuantity(q) : '0';
}

const BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';

// Upstream: printers.go (printPersistentVolume), helper (GetPersistentVolumeClass)
function persistentVolumeRow(o: Obj, now: number): unknown[] {
  const spec = o.spec ?? {};
  const claim = spec.claimRef ? `${spec.claimRef.namespace ?? ''}/${spec.claimRef.name ?? ''}` : '';
  const phase = o.metadata?.deletionTimestamp ? 'Terminating' : (o.status?.phase ?? '');
  const storageClass = o.metadata?.annotations?.[BETA_STORAGE_CLASS] ?? spec.storageClassName ?? '';
  return [name(o), quantityString(spec.capacity?.storage), accessModesString(spec.accessModes), spec.persistentVolumeReclaimPolicy ?? '', phase, claim, storageClass, spec.volumeAttributesClassName ?? '<unset>', o.status?.reason ?? '', age(o, now), spec.volumeMode ?? '<unset>'];
}

// Upstream: printers.go (printPersistentVolumeClaim), helper (GetPersistentVolumeClaimClass)
function persistentVolumeClaimRow(o: Obj, now: number): unknown[] {
  const spec = o.spec ?? {};
  const phase = o.metadata?.deletionTimestamp ? 'Terminating' : (o.status?.phase ?? '');
  const bound = Boolean(spec.volumeName);
  const storageClass = o.metadata?.annotations?.[BETA_STORAGE_CLASS] ?? spec.storageClassName ?? '';
  return [name(o), phase, spec.volumeName ?? '', bound ? quantityString(o.status?.capacity?.storage) : '', bound ? accessModesString(o.status?.accessModes) : '', storageClass, spec.volumeAttributesClassName ?? '<unset>', age(o, now), spec.volumeMode ?? '<unset>'];
}

// Upstream: pkg/apis/storage/util/helpers.go (IsDefaultAnnotation)
const isDefaultClass = (o: Obj) => o.metadata?.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true' || o.metadata?.annotations?.['storageclass.beta.kubernetes.io/is-default-class'] === 'true';

/** intstr.IntOrString's String(), or `N/A` when unset. */
const intOrStringOrNA = (v: unknown) => (v === undefined || v === null ? 'N/A' : String(v));

const PRINTERS: Record<string, Printer> = {
  '/Pod': {
    columns: [NAME, col('Ready'), col('Status'), col('Restarts'), AGE, col('IP', 'string', 1), col('Node', 'string', 1), col('Nominated Node', 'string', 1), col('Readiness Gates', 'string', 1)],
    row: podRow,
  },
  'apps/ReplicaSet': {
    columns: [NAME, col('Desired', 'integer'), col('Current', 'integer'), col('Ready', 'integer'), AGE, col('Containers', 'string', 1), col('Images', 'string', 1), col('Selector', 'string', 1)],
    row: (o, now) => [name(o), o.spec?.replicas ?? 0, int(o.status?.replicas), int(o.status?.readyReplicas), age(o, now), ...layoutContainerCells(o.spec?.template?.spec?.containers), formatLabelSelector(o.spec?.selector)],
  },
  'apps/Deployment': {
    columns: [NAME, col('Ready'), col('Up-to-date'), col('Available'), AGE, col('Containers', 'string', 1), col('Images', 'string', 1), col('Selector', 'string', 1)],
    row: (o, now) => [
      name(o),
      `${int(o.status?.readyReplicas)}/${o.spec?.replicas ?? 0}`,
      int(o.status?.updatedReplicas),
      int(o.status?.availableReplicas),
      age(o, now),
      ...layoutContainerCells(o.spec?.template?.spec?.containers),
      o.spec?.selector ? formatLabelSelector(o.spec.selector).replace(/^<none>$/, '') : '',
    ],
  },
  'apps/DaemonSet': {
    columns: [NAME, col('Desired', 'integer'), col('Current', 'integer'), col('Ready', 'integer'), col('Up-to-date', 'integer'), col('Available', 'integer'), col('Node Selector'), AGE, col('Containers', 'string', 1), col('Images', 'string', 1), col('Selector', 'string', 1)],
    row: (o, now) => {
      const s = o.status ?? {};
      return [name(o), int(s.desiredNumberScheduled), int(s.currentNumberScheduled), int(s.numberReady), int(s.updatedNumberScheduled), int(s.numberAvailable), formatLabels(o.spec?.template?.spec?.nodeSelector), age(o, now), ...layoutContainerCells(o.spec?.template?.spec?.containers), formatLabelSelector(o.spec?.selector)];
    },
  },
  'apps/StatefulSet': {
    columns: [NAME, col('Ready'), AGE, col('Containers', 'string', 1), col('Images', 'string', 1)],
    row: (o, now) => [name(o), `${int(o.status?.readyReplicas)}/${o.spec?.replicas ?? 0}`, age(o, now), ...layoutContainerCells(o.spec?.template?.spec?.containers)],
  },
  'apps/ControllerRevision': {
    columns: [NAME, col('Controller'), col('Revision'), AGE],
    row: (o, now) => {
      const ref = (o.metadata?.ownerReferences ?? []).find((r: Obj) => r.controller);
      let controller = '<none>';
      if (ref) {
        const group = String(ref.apiVersion ?? '').includes('/') ? String(ref.apiVersion).split('/')[0] : '';
        controller = `${String(ref.kind).toLowerCase()}${group ? `.${group}` : ''}/${ref.name}`;
      }
      return [name(o), controller, int(o.revision), age(o, now)];
    },
  },
  'batch/Job': {
    columns: [NAME, col('Status'), col('Completions'), col('Duration'), AGE, col('Containers', 'string', 1), col('Images', 'string', 1), col('Selector', 'string', 1)],
    row: (o, now) => {
      const s = o.status ?? {};
      const completions = o.spec?.completions !== undefined ? `${int(s.succeeded)}/${o.spec.completions}` : int(o.spec?.parallelism) > 1 ? `${int(s.succeeded)}/1 of ${o.spec.parallelism}` : `${int(s.succeeded)}/1`;
      const has = (t: string) => (s.conditions ?? []).some((c: Obj) => c.type === t && c.status === 'True');
      const status = has('Complete') ? 'Complete' : has('Failed') ? 'Failed' : o.metadata?.deletionTimestamp ? 'Terminating' : has('Suspended') ? 'Suspended' : has('FailureTarget') ? 'FailureTarget' : 'Running';
      let dur = '';
      if (s.startTime) dur = s.completionTime ? translateTimestampSince(s.startTime, Date.parse(s.completionTime)) : translateTimestampSince(s.startTime, now);
      return [name(o), status, completions, dur, age(o, now), ...layoutContainerCells(o.spec?.template?.spec?.containers), formatLabelSelector(o.spec?.selector)];
    },
  },
  '/Service': {
    columns: [NAME, col('Type'), col('Cluster-IP'), col('External-IP'), col('Port(s)'), AGE, col('Selector', 'string', 1)],
    row: (o, now) => [name(o), o.spec?.type ?? '', (o.spec?.clusterIPs ?? [])[0] ?? '<none>', serviceExternalIP(o), makePortString(o.spec?.ports) || '<none>', age(o, now), formatLabels(o.spec?.selector)],
  },
  '/Endpoints': {
    columns: [NAME, col('Endpoints'), AGE],
    row: (o, now) => [name(o), formatEndpoints(o), age(o, now)],
  },
  'discovery.k8s.io/EndpointSlice': {
    columns: [NAME, col('AddressType'), col('Ports'), col('Endpoints'), AGE],
    row: (o, now) => [name(o), o.addressType ?? '', formatDiscoveryPorts(o.ports), formatDiscoveryEndpoints(o.endpoints), age(o, now)],
  },
  '/Node': {
    columns: [NAME, col('Status'), col('Roles'), AGE, col('Version'), col('Internal-IP', 'string', 1), col('External-IP', 'string', 1), col('OS-Image', 'string', 1), col('Kernel-Version', 'string', 1), col('Container-Runtime', 'string', 1)],
    row: (o, now) => {
      const status: string[] = [];
      const ready = (o.status?.conditions ?? []).filter((c: Obj) => c.type === 'Ready').at(-1);
      if (ready) status.push(ready.status === 'True' ? 'Ready' : 'NotReady');
      if (status.length === 0) status.push('Unknown');
      if (o.spec?.unschedulable) status.push('SchedulingDisabled');
      const info = o.status?.nodeInfo ?? {};
      return [name(o), status.join(','), findNodeRoles(o).join(',') || '<none>', age(o, now), info.kubeletVersion ?? '', nodeAddress(o, 'InternalIP'), nodeAddress(o, 'ExternalIP'), info.osImage || '<unknown>', info.kernelVersion || '<unknown>', info.containerRuntimeVersion || '<unknown>'];
    },
  },
  '/Namespace': {
    columns: [NAME, col('Status'), AGE],
    row: (o, now) => [name(o), o.status?.phase ?? '', age(o, now)],
  },
  '/ConfigMap': {
    columns: [NAME, col('Data'), AGE],
    row: (o, now) => [name(o), Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length, age(o, now)],
  },
  '/Secret': {
    columns: [NAME, col('Type'), col('Data'), AGE],
    row: (o, now) => [name(o), o.type ?? '', Object.keys(o.data ?? {}).length, age(o, now)],
  },
  '/ServiceAccount': {
    columns: [NAME, col('Secrets'), AGE],
    row: (o, now) => [name(o), (o.secrets ?? []).length, age(o, now)],
  },
  '/Event': {
    columns: [col('Last Seen'), col('Type'), col('Reason'), col('Object'), col('Subobject', 'string', 1), col('Source', 'string', 1), col('Message'), col('First Seen', 'string', 1), col('Count', 'string', 1), col('Name', 'string', 1, 'name')],
    row: eventRow,
  },
  'coordination.k8s.io/Lease': {
    columns: [NAME, col('Holder'), AGE],
    row: (o, now) => [name(o), o.spec?.holderIdentity ?? '', age(o, now)],
  },
  'autoscaling/HorizontalPodAutoscaler': {
    columns: [NAME, col('Reference'), col('Targets'), col('MinPods'), col('MaxPods'), col('Replicas'), AGE],
    row: (o, now) => [
      name(o),
      `${o.spec?.scaleTargetRef?.kind ?? ''}/${o.spec?.scaleTargetRef?.name ?? ''}`,
      formatHPAMetrics(o.spec?.metrics, o.status?.currentMetrics),
      o.spec?.minReplicas !== undefined ? String(o.spec.minReplicas) : '<unset>',
      int(o.spec?.maxReplicas),
      int(o.status?.currentReplicas),
      age(o, now),
    ],
  },
  // Upstream: printers.go (persistentVolumeColumnDefinitions, persistentVolumeClaimColumnDefinitions)
  '/PersistentVolume': {
    columns: [NAME, col('Capacity'), col('Access Modes'), col('Reclaim Policy'), col('Status'), col('Claim'), col('StorageClass'), col('VolumeAttributesClass'), col('Reason'), AGE, col('VolumeMode', 'string', 1)],
    row: persistentVolumeRow,
  },
  '/PersistentVolumeClaim': {
    columns: [NAME, col('Status'), col('Volume'), col('Capacity'), col('Access Modes'), col('StorageClass'), col('VolumeAttributesClass'), AGE, col('VolumeMode', 'string', 1)],
    row: persistentVolumeClaimRow,
  },
  // Upstream: printers.go (printStorageClass)
  'storage.k8s.io/StorageClass': {
    columns: [NAME, col('Provisioner'), col('ReclaimPolicy'), col('VolumeBindingMode'), col('AllowVolumeExpansion'), AGE],
    row: (o, now) => [isDefaultClass(o) ? `${name(o)} (default)` : name(o), o.provisioner ?? '', o.reclaimPolicy ?? 'Delete', o.volumeBindingMode ?? 'Immediate', o.allowVolumeExpansion === true, age(o, now)],
  },
  // Upstream: printers.go (printPodDisruptionBudget)
  'policy/PodDisruptionBudget': {
    columns: [NAME, col('Min Available'), col('Max Unavailable'), col('Allowed Disruptions', 'integer'), AGE],
    row: (o, now) => [name(o), intOrStringOrNA(o.spec?.minAvailable), intOrStringOrNA(o.spec?.maxUnavailable), int(o.status?.disruptionsAllowed), age(o, now)],
  },
  // Upstream: printers.go (printPriorityClass)
  'scheduling.k8s.io/PriorityClass': {
    columns: [NAME, col('Value', 'integer'), col('Global-Default', 'boolean'), AGE, col('PreemptionPolicy')],
    row: (o, now) => [name(o), int(o.value), o.globalDefault === true, age(o, now), o.preemptionPolicy ?? ''],
  },
  'apiextensions.k8s.io/CustomResourceDefinition': {
    columns: [NAME, col('Created At', 'date')],
    row: (o) => [name(o), o.metadata?.creationTimestamp ?? ''],
  },
};

/** The default table for kinds without a printer: NAME and AGE (cli-runtime's printObjectMeta). */
const DEFAULT_PRINTER: Printer = { columns: [NAME, AGE], row: (o, now) => [name(o), age(o, now)] };

/** Whether a kind has its own printer (otherwise NAME AGE). */
export function hasPrinter(group: string, kind: string): boolean {
  return `${group}/${kind}` in PRINTERS;
}

/** Converts objects of one kind to a Table, as the server's TableConvertor would. */
export function toTable(group: string, kind: string, objects: Obj[], now: number): Table {
  const printer = PRINTERS[`${group}/${kind}`] ?? DEFAULT_PRINTER;
  return { columns: printer.columns, rows: objects.map((o) => ({ cells: printer.row(o, now), object: o })) };
}

/** The `api-resources` kinds with their own printer, for tests and docs. */
export const PRINTED_KINDS = Object.keys(PRINTERS);
