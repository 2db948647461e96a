/**
 * kubectl describe's pages for StatefulSet, DaemonSet, Job and HorizontalPodAutoscaler (v2 and
 * v1), on describe.ts's PrefixWriter and shared sections (labels, annotations, pod template,
 * events).
 * Upstream: kubectl v0.34.0 pkg/describe/describe.go (describeStatefulSet, describeDaemonSet,
 * describeJob, describeHorizontalPodAutoscalerV2/V1, printDirectionBehavior,
 * describeVolumeClaimTemplates, capIndexesListOrNone).
 */
import { formatRFC1123Z, humanDuration, parseTime } from '../format/duration';
import { describeEvents, describePodTemplate, PrefixWriter, printAnnotationsMultiline, printController, printLabelsMultiline, selectorString } from './describe';
import { formatLabels } from './tables';

type Obj = Record<string, any>;
/** Running, Waiting (Pending), Succeeded, Failed pods the object controls. */
export type PodCounts = [number, number, number, number];

const L0 = 0;
const L1 = 1;
const L2 = 2;
const L3 = 3;
const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));
/** Go's `%q` for the plain names metrics have. */
const quote = (s: unknown) => JSON.stringify(str(s));

const podsStatus = (w: PrefixWriter, c: PodCounts) => w.write(L0, `Pods Status:\t${c[0]} Running / ${c[1]} Waiting / ${c[2]} Succeeded / ${c[3]} Failed\n`);

// Upstream: describe.go (describeVolumeClaimTemplates)
function describeVolumeClaimTemplates(templates: Obj[] | undefined, w: PrefixWriter): void {
  if (!templates?.length) {
    w.write(L0, 'Volume Claims:\t<none>\n');
    return;
  }
  w.write(L0, 'Volume Claims:\n');
  for (const pvc of templates) {
    w.write(L1, `Name:\t${str(pvc.metadata?.name)}\n`);
    const cls = pvc.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? pvc.spec?.storageClassName ?? '';
    w.write(L1, `StorageClass:\t${cls}\n`);
    printLabelsMultiline(w, 'Labels', pvc.metadata?.labels, '  ');
    printLabelsMultiline(w, 'Annotations', pvc.metadata?.annotations, '  ');
    w.write(L1, `Capacity:\t${str(pvc.spec?.resources?.requests?.storage) || '<default>'}\n`);
    w.write(L1, `Access Modes:\t[${(pvc.spec?.accessModes ?? []).join(' ')}]\n`);
  }
}

// Upstream: describe.go (describeStatefulSet)
export function describeStatefulSet(ps: Obj, events: Obj[] | undefined, counts: PodCounts, now: number): string {
  const w = new PrefixWriter();
  const spec = ps.spec ?? {};
  w.write(L0, `Name:\t${str(ps.metadata?.name)}\n`);
  w.write(L0, `Namespace:\t${str(ps.metadata?.namespace)}\n`);
  w.write(L0, `CreationTimestamp:\t${formatRFC1123Z(ps.metadata?.creationTimestamp)}\n`);
  w.write(L0, `Selector:\t${selectorString(spec.selector)}\n`);
  printLabelsMultiline(w, 'Labels', ps.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', ps.metadata?.annotations);
  w.write(L0, `Replicas:\t${spec.replicas ?? 1} desired | ${ps.status?.replicas ?? 0} total\n`);
  w.write(L0, `Update Strategy:\t${str(spec.updateStrategy?.type)}\n`);
  const ru = spec.updateStrategy?.rollingUpdate;
  if (ru?.partition !== undefined) {
    w.write(L1, `Partition:\t${ru.partition}\n`);
    if (ru.maxUnavailable !== undefined) w.write(L1, `MaxUnavailable:\t${ru.maxUnavailable}\n`);
  }
  podsStatus(w, counts);
  describePodTemplate(spec.template, w);
  describeVolumeClaimTemplates(spec.volumeClaimTemplates, w);
  describeEvents(events, w, now);
  return w.done();
}

// Upstream: describe.go (describeDaemonSet)
export function describeDaemonSet(ds: Obj, events: Obj[] | undefined, counts: PodCounts, now: number): string {
  const w = new PrefixWriter();
  const s = ds.status ?? {};
  w.write(L0, `Name:\t${str(ds.metadata?.name)}\n`);
  w.write(L0, `Namespace:\t${str(ds.metadata?.namespace)}\n`);
  w.write(L0, `Selector:\t${selectorString(ds.spec?.selector)}\n`);
  w.write(L0, `Node-Selector:\t${formatLabels(ds.spec?.template?.spec?.nodeSelector)}\n`);
  printLabelsMultiline(w, 'Labels', ds.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', ds.metadata?.annotations);
  // These lines have no tab: upstream writes them with a plain space.
  w.write(L0, `Desired Number of Nodes Scheduled: ${s.desiredNumberScheduled ?? 0}\n`);
  w.write(L0, `Current Number of Nodes Scheduled: ${s.currentNumberScheduled ?? 0}\n`);
  w.write(L0, `Number of Nodes Scheduled with Up-to-date Pods: ${s.updatedNumberScheduled ?? 0}\n`);
  w.write(L0, `Number of Nodes Scheduled with Available Pods: ${s.numberAvailable ?? 0}\n`);
  w.write(L0, `Number of Nodes Misscheduled: ${s.numberMisscheduled ?? 0}\n`);
  podsStatus(w, counts);
  describePodTemplate(ds.spec?.template, w);
  describeEvents(events, w, now);
  return w.done();
}

/** `0,2,4,...`: the completed indexes cut after the first comma past `softLimit` characters. */
// Upstream: describe.go (capIndexesListOrNone)
export function capIndexesListOrNone(indexes: string | undefined, softLimit: number): string {
  if (!indexes) return '<none>';
  let ix = softLimit;
  while (ix < indexes.length && indexes[ix] !== ',') ix++;
  return ix >= indexes.length ? indexes : indexes.slice(0, ix + 1) + '...';
}

// Upstream: describe.go (describeJob)
export function describeJob(job: Obj, events: Obj[] | undefined, now: number): string {
  const w = new PrefixWriter();
  const spec = job.spec ?? {};
  const s = job.status ?? {};
  w.write(L0, `Name:\t${str(job.metadata?.name)}\n`);
  w.write(L0, `Namespace:\t${str(job.metadata?.namespace)}\n`);
  w.write(L0, `Selector:\t${selectorString(spec.selector)}\n`);
  printLabelsMultiline(w, 'Labels', job.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', job.metadata?.annotations);
  const controlledBy = printController(job);
  if (controlledBy) w.write(L0, `Controlled By:\t${controlledBy}\n`);
  if (spec.parallelism !== undefined) w.write(L0, `Parallelism:\t${spec.parallelism}\n`);
  w.write(L0, `Completions:\t${spec.completions ?? '<unset>'}\n`);
  if (spec.completionMode !== undefined) w.write(L0, `Completion Mode:\t${spec.completionMode}\n`);
  if (spec.suspend !== undefined) w.write(L0, `Suspend:\t${spec.suspend ? 'true' : 'false'}\n`);
  if (spec.backoffLimit !== undefined) w.write(L0, `Backoff Limit:\t${spec.backoffLimit}\n`);
  if (spec.ttlSecondsAfterFinished !== undefined) w.write(L0, `TTL Seconds After Finished:\t${spec.ttlSecondsAfterFinished}\n`);
  if (s.startTime) w.write(L0, `Start Time:\t${formatRFC1123Z(s.startTime)}\n`);
  if (s.completionTime) w.write(L0, `Completed At:\t${formatRFC1123Z(s.completionTime)}\n`);
  if (s.startTime && s.completionTime) w.write(L0, `Duration:\t${humanDuration((parseTime(s.completionTime) ?? 0) - (parseTime(s.startTime) ?? 0))}\n`);
  if (spec.activeDeadlineSeconds !== undefined) w.write(L0, `Active Deadline Seconds:\t${spec.activeDeadlineSeconds}s\n`);
  if (s.ready === undefined) w.write(L0, `Pods Statuses:\t${s.active ?? 0} Active / ${s.succeeded ?? 0} Succeeded / ${s.failed ?? 0} Failed\n`);
  else w.write(L0, `Pods Statuses:\t${s.active ?? 0} Active (${s.ready} Ready) / ${s.succeeded ?? 0} Succeeded / ${s.failed ?? 0} Failed\n`);
  if (spec.completionMode === 'Indexed') w.write(L0, `Completed Indexes:\t${capIndexesListOrNone(s.completedIndexes, 50)}\n`);
  describePodTemplate(spec.template, w);
  describeEvents(events, w, now);
  return w.done();
}

/** One metric's `current / target` line (the kinds HPA v2 knows). */
// Upstream: describe.go (describeHorizontalPodAutoscalerV2, the Metrics loop)
function describeMetric(w: PrefixWriter, m: Obj, st: Obj | undefined): void {
  const unknown = '<unknown>';
  switch (m.type) {
    case 'External': {
      const name = quote(m.external?.metric?.name);
      if (m.external?.target?.averageValue !== undefined) {
        w.write(L1, `${name} (target average value):\t${st?.external?.current?.averageValue ?? unknown} / ${m.external.target.averageValue}\n`);
      } else w.write(L1, `${name} (target value):\t${st?.external ? str(st.external.current?.value) : unknown} / ${str(m.external?.target?.value)}\n`);
      return;
    }
    case 'Pods':
      w.write(L1, `${quote(m.pods?.metric?.name)} on pods:\t${st?.pods ? str(st.pods.current?.averageValue) : unknown} / ${str(m.pods?.target?.averageValue)}\n`);
      return;
    case 'Object': {
      const o = m.object ?? {};
      w.write(L1, `"${str(o.metric?.name)}" on ${str(o.describedObject?.kind)}/${str(o.describedObject?.name)} `);
      if (o.target?.type === 'AverageValue') w.write(L0, `(target average value):\t${st?.object ? str(st.object.current?.averageValue) : unknown} / ${str(o.target.averageValue)}\n`);
      else w.write(L0, `(target value):\t${st?.object ? str(st.object.current?.value) : unknown} / ${str(o.target?.value)}\n`);
      return;
    }
    case 'Resource':
    case 'ContainerResource': {
      const container = m.type === 'ContainerResource';
      const src = container ? m.containerResource : m.resource;
      const cur = container ? st?.containerResource : st?.resource;
      w.write(L1, container ? `resource ${str(src?.name)} of container "${str(src?.container)}" on pods` : `resource ${str(src?.name)} on pods`);
      if (src?.target?.averageValue !== undefined) {
        w.write(L0, `:\t${cur ? str(cur.current?.averageValue) : unknown} / ${src.target.averageValue}\n`);
        return;
      }
      const current = cur?.current?.averageUtilization !== undefined ? `${cur.current.averageUtilization}% (${cur.current.averageValue ?? '<nil>'})` : unknown;
      const target = src?.target?.averageUtilization !== undefined ? `${src.target.averageUtilization}%` : '<auto>';
      w.write(L1, `(as a percentage of request):\t${current} / ${target}\n`);
      return;
    }
    default:
      w.write(L1, `<unknown metric type ${quote(m.type)}>\n`);
  }
}

// Upstream: describe.go (printDirectionBehavior)
function printDirectionBehavior(w: PrefixWriter, direction: string, rules: Obj | undefined): void {
  if (!rules) return;
  w.write(L1, `${direction}:\n`);
  if (rules.stabilizationWindowSeconds !== undefined) w.write(L2, `Stabilization Window: ${rules.stabilizationWindowSeconds} seconds\n`);
  if (rules.policies?.length) {
    w.write(L2, `Select Policy: ${rules.selectPolicy ?? 'Max'}\n`);
    w.write(L2, 'Policies:\n');
    for (const p of rules.policies) w.write(L3, `- Type: ${str(p.type)}\tValue: ${p.value ?? 0}\tPeriod: ${p.periodSeconds ?? 0} seconds\n`);
  }
}

function hpaHeader(w: PrefixWriter, hpa: Obj): void {
  w.write(L0, `Name:\t${str(hpa.metadata?.name)}\n`);
  w.write(L0, `Namespace:\t${str(hpa.metadata?.namespace)}\n`);
  printLabelsMultiline(w, 'Labels', hpa.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', hpa.metadata?.annotations);
  w.write(L0, `CreationTimestamp:\t${formatRFC1123Z(hpa.metadata?.creationTimestamp)}\n`);
  w.write(L0, `Reference:\t${str(hpa.spec?.scaleTargetRef?.kind)}/${str(hpa.spec?.scaleTargetRef?.name)}\n`);
}

function hpaReplicas(w: PrefixWriter, hpa: Obj, behavior: boolean): void {
  const spec = hpa.spec ?? {};
  w.write(L0, `Min replicas:\t${spec.minReplicas ?? '<unset>'}\n`);
  w.write(L0, `Max replicas:\t${spec.maxReplicas ?? 0}\n`);
  if (behavior && spec.behavior) {
    w.write(L0, 'Behavior:\n');
    printDirectionBehavior(w, 'Scale Up', spec.behavior.scaleUp);
    printDirectionBehavior(w, 'Scale Down', spec.behavior.scaleDown);
  }
  w.write(L0, `${str(spec.scaleTargetRef?.kind)} pods:\t`);
  w.write(L0, `${hpa.status?.currentReplicas ?? 0} current / ${hpa.status?.desiredReplicas ?? 0} desired\n`);
}

// Upstream: describe.go (describeHorizontalPodAutoscalerV2)
export function describeHorizontalPodAutoscalerV2(hpa: Obj, events: Obj[] | undefined, now: number): string {
  const w = new PrefixWriter();
  hpaHeader(w, hpa);
  w.write(L0, 'Metrics:\t( current / target )\n');
  (hpa.spec?.metrics ?? []).forEach((m: Obj, i: number) => describeMetric(w, m, (hpa.status?.currentMetrics ?? [])[i]));
  hpaReplicas(w, hpa, true);
  const conditions: Obj[] = hpa.status?.conditions ?? [];
  if (conditions.length) {
    w.write(L0, 'Conditions:\n');
    w.write(L1, 'Type\tStatus\tReason\tMessage\n');
    w.write(L1, '----\t------\t------\t-------\n');
    for (const c of conditions) w.write(L1, `${str(c.type)}\t${str(c.status)}\t${str(c.reason)}\t${str(c.message)}\n`);
  }
  describeEvents(events, w, now);
  return w.done();
}

// Upstream: describe.go (describeHorizontalPodAutoscalerV1)
export function describeHorizontalPodAutoscalerV1(hpa: Obj, events: Obj[] | undefined, now: number): string {
  const w = new PrefixWriter();
  hpaHeader(w, hpa);
  const target = hpa.spec?.targetCPUUtilizationPercentage;
  if (target !== undefined) {
    w.write(L0, `Target CPU utilization:\t${target}%\n`);
    w.write(L0, `Current CPU utilization:\t${hpa.status?.currentCPUUtilizationPercentage ?? '<unknown>'}%\n`);
  }
  hpaReplicas(w, hpa, false);
  describeEvents(events, w, now);
  return w.done();
}
