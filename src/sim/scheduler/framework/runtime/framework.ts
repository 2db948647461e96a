/**
 * One profile's plugins, run extension point by extension point:
 * pkg/scheduler/framework/runtime/framework.go at v1.34 (`NewFramework`, `updatePluginList`,
 * `expandMultiPointPlugins`, `getScoreWeights`, and the `Run*Plugins` methods), with upstream's
 * status handling and error texts. Each call can write what it did into a CycleRecord.
 * A plugin that throws (a learner's, say) becomes an Error status naming it, as a Go plugin
 * returning an error would; the cycle goes on.
 */
import { inCallScope, scopedMethods } from '../../../core/callscope';
import type { Pod } from '../../../api/core/v1';
import { SchedulerConfigError } from '../../config/validation';
import { extensionPoints, type ExtensionPoint, type KubeSchedulerProfile, type PluginRef } from '../../config/types';
import { CycleState } from '../cycle_state';
import type { Handle, NodeScore, NodeToStatusReader, Plugin, PostFilterResult, PreFilterResult, QueuedPodInfo, Registry } from '../interface';
import { MaxNodeScore, MinNodeScore } from '../interface';
import { asError, asStatus, isRejected, isSkip, isSuccess, newStatus, Status, type MaybeStatus } from '../status';
import type { NodeInfo, PodInfo } from '../types';
import type { CycleRecord, ScoreRecord, StatusRecord } from './record';

/** The Go interface each extension point needs, and the method that shows a plugin implements it. */
const pointInfo: Record<ExtensionPoint, { goType: string; method: keyof Plugin }> = {
  preEnqueue: { goType: 'PreEnqueuePlugin', method: 'preEnqueue' },
  queueSort: { goType: 'QueueSortPlugin', method: 'less' },
  preFilter: { goType: 'PreFilterPlugin', method: 'preFilter' },
  filter: { goType: 'FilterPlugin', method: 'filter' },
  postFilter: { goType: 'PostFilterPlugin', method: 'postFilter' },
  preScore: { goType: 'PreScorePlugin', method: 'preScore' },
  score: { goType: 'ScorePlugin', method: 'score' },
  reserve: { goType: 'ReservePlugin', method: 'reserve' },
  permit: { goType: 'PermitPlugin', method: 'permit' },
  preBind: { goType: 'PreBindPlugin', method: 'preBind' },
  bind: { goType: 'BindPlugin', method: 'bind' },
  postBind: { goType: 'PostBindPlugin', method: 'postBind' },
};

/** Go: `maxTimeout`: the longest a Permit plugin may make a pod wait. */
export const MaxPermitTimeoutMs = 15 * 60 * 1000;

function implementsPoint(pl: Plugin, point: ExtensionPoint): boolean {
  return typeof pl[pointInfo[point].method] === 'function';
}

function statusRecord(s: MaybeStatus): StatusRecord {
  if (!s) return { code: 'Success', reasons: [], plugin: '' };
  return { code: s.code, reasons: [...s.allReasons()], plugin: s.plugin };
}

function isThenable(v: unknown): boolean {
  return typeof (v as { then?: unknown } | null)?.then === 'function';
}

/** A Status from whatever a plugin returned at a synchronous extension point. */
function checkSync(v: unknown, plugin: string, point: string): Status | null {
  if (isThenable(v)) return asStatus(new Error(`plugin "${plugin}" returned a Promise from ${point}; ${point} must return synchronously`));
  return null;
}

export interface FrameworkOptions {
  registry: Registry;
  handle: Handle;
  /** Path of this profile in the configuration, for errors (`profiles[0]`). */
  path?: string;
  /** Wall-clock ms for plugin timings (display only). */
  stopwatch?: () => number;
  /** The scheduler-wide percentageOfNodesToScore. */
  percentageOfNodesToScore?: number;
}

/** Go: `frameworkImpl`. */
export class Framework {
  readonly profileName: string;
  readonly handle: Handle;
  readonly pluginsMap = new Map<string, Plugin>();
  readonly plugins: Record<ExtensionPoint, Plugin[]>;
  readonly scorePluginWeight = new Map<string, number>();
  /** The profile's own percentageOfNodesToScore; undefined = the scheduler's. */
  readonly percentageOfNodesToScore: number | undefined;
  readonly #stopwatch?: () => number;

  /** Go: `NewFramework`. Throws SchedulerConfigError naming the field path. */
  constructor(profile: KubeSchedulerProfile, opts: FrameworkOptions) {
    this.profileName = profile.schedulerName ?? '';
    // Upstream the framework is the plugins' Handle; here it lends its Run* methods to the host's handle.
    this.handle = {
      ...opts.handle,
      runFilterPluginsWithNominatedPods: (state, pod, nodeInfo) => this.runFilterPluginsWithNominatedPods(state, pod, nodeInfo),
      runPreFilterExtensionAddPod: (state, pod, pi, nodeInfo) => this.runPreFilterExtensionAddPod(state, pod, pi, nodeInfo),
      runPreFilterExtensionRemovePod: (state, pod, pi, nodeInfo) => this.runPreFilterExtensionRemovePod(state, pod, pi, nodeInfo),
    };
    this.#stopwatch = opts.stopwatch;
    this.percentageOfNodesToScore = profile.percentageOfNodesToScore ?? undefined;
    const path = opts.path ?? 'profiles[0]';
    const plugins = profile.plugins ?? {};
    const argsOf = new Map((profile.pluginConfig ?? []).map((pc) => [pc.name, pc.args]));

    // Instantiate every plugin the profile enables anywhere, once.
    const errors: string[] = [];
    for (const point of ['multiPoint', ...extensionPoints] as const) {
      (plugins[point]?.enabled ?? []).forEach((ref, i) => {
        if (this.pluginsMap.has(ref.name)) return;
        const where = `${path}.plugins.${point}.enabled[${i}]`;
        const reg = opts.registry.get(ref.name);
        if (!reg) {
          const goType = point === 'multiPoint' ? 'plugin' : pointInfo[point].goType;
          errors.push(`${where}.name: ${goType} "${ref.name}" does not exist`);
          return;
        }
        try {
          // A plugin from outside the tree (a learner's) runs each call as a foreign call the host may bound.
          const make = () => reg.factory(argsOf.get(ref.name), this.handle);
          this.pluginsMap.set(ref.name, reg.inTree ? make() : scopedMethods(inCallScope(make)));
        } catch (e) {
          errors.push(`${where}: initializing plugin "${ref.name}": ${(e as Error).message}`);
        }
      });
    }
    if (errors.length) throw new SchedulerConfigError(errors);

    this.plugins = {} as Record<ExtensionPoint, Plugin[]>;
    for (const point of extensionPoints) this.plugins[point] = this.#pluginList(point, plugins[point]?.enabled ?? [], `${path}.plugins.${point}`);
    if ((plugins.multiPoint?.enabled ?? []).length) this.#expandMultiPoint(profile, path);

    if (this.plugins.queueSort.length !== 1) {
      throw new SchedulerConfigError([`${path}.plugins.queueSort: only one queue sort plugin required for profile with scheduler name "${this.profileName}", but got ${this.plugins.queueSort.length}`]);
    }
    if (this.plugins.bind.length === 0) {
      throw new SchedulerConfigError([`${path}.plugins.bind: at least one bind plugin is needed for profile with scheduler name "${this.profileName}"`]);
    }
    // Go: getScoreWeights: the explicit Score list first, then MultiPoint; 0 means 1.
    for (const ref of [...(plugins.score?.enabled ?? []), ...(plugins.multiPoint?.enabled ?? [])]) {
      if (this.scorePluginWeight.has(ref.name)) continue;
      this.scorePluginWeight.set(ref.name, ref.weight ? ref.weight : 1);
    }
    for (const pl of this.plugins.score) {
      if (!this.scorePluginWeight.get(pl.name)) throw new SchedulerConfigError([`${path}.plugins.score: score plugin "${pl.name}" is not configured with weight`]);
    }
  }

  /** Go: `updatePluginList`. */
  #pluginList(point: ExtensionPoint, refs: PluginRef[], where: string): Plugin[] {
    const out: Plugin[] = [];
    const seen = new Set<string>();
    refs.forEach((ref, i) => {
      const pl = this.pluginsMap.get(ref.name)!;
      if (!implementsPoint(pl, point)) throw new SchedulerConfigError([`${where}.enabled[${i}].name: plugin "${ref.name}" does not extend ${pointInfo[point].goType} plugin`]);
      if (seen.has(ref.name)) throw new SchedulerConfigError([`${where}.enabled[${i}].name: plugin "${ref.name}" already registered as "${pointInfo[point].goType}"`]);
      seen.add(ref.name);
      out.push(pl);
    });
    return out;
  }

  /** Go: `expandMultiPointPlugins`: explicit overrides first, then MultiPoint's, then the rest of the explicit list. */
  #expandMultiPoint(profile: KubeSchedulerProfile, path: string): void {
    const plugins = profile.plugins ?? {};
    for (const point of extensionPoints) {
      const set = plugins[point] ?? {};
      const enabled = (set.enabled ?? []).map((p) => p.name);
      const disabled = new Set((set.disabled ?? []).map((p) => p.name));
      if (disabled.has('*')) continue;
      const multi: string[] = [];
      const overrides: string[] = [];
      (plugins.multiPoint?.enabled ?? []).forEach((ref, i) => {
        const pl = this.pluginsMap.get(ref.name)!;
        if (!implementsPoint(pl, point) || disabled.has(ref.name)) return;
        if (enabled.includes(ref.name)) {
          if (!overrides.includes(ref.name)) overrides.push(ref.name);
          return;
        }
        if (multi.includes(ref.name)) throw new SchedulerConfigError([`${path}.plugins.multiPoint.enabled[${i}].name: plugin "${ref.name}" already registered as "${pointInfo[point].goType}"`]);
        multi.push(ref.name);
      });
      const order = [...overrides, ...multi, ...enabled.filter((n) => !overrides.includes(n))];
      this.plugins[point] = order.map((n) => this.pluginsMap.get(n)!);
    }
  }

  hasFilterPlugins(): boolean {
    return this.plugins.filter.length > 0;
  }
  hasScorePlugins(): boolean {
    return this.plugins.score.length > 0;
  }
  hasPostFilterPlugins(): boolean {
    return this.plugins.postFilter.length > 0;
  }
  /** The names per extension point, as `scheduler config` prints them. */
  listPlugins(): Record<ExtensionPoint, { name: string; weight?: number }[]> {
    const out = {} as Record<ExtensionPoint, { name: string; weight?: number }[]>;
    for (const point of extensionPoints) {
      out[point] = this.plugins[point].map((p) => (point === 'score' ? { name: p.name, weight: this.scorePluginWeight.get(p.name) } : { name: p.name }));
    }
    return out;
  }

  /** Runs `fn` for one plugin, timing it when a stopwatch is set and turning a throw into an Error status. */
  #run<T>(pl: Plugin, point: string, rec: CycleRecord | undefined, fn: () => T, onThrow: (s: Status) => T): T {
    const sw = rec ? this.#stopwatch : undefined;
    const t0 = sw ? sw() : 0;
    let out: T;
    try {
      out = fn();
    } catch (e) {
      out = onThrow(asStatus(e));
    }
    if (sw && rec) {
      const byPoint = (rec.timings[pl.name] ??= {});
      byPoint[point] = (byPoint[point] ?? 0) + (sw() - t0);
    }
    return out;
  }

  /** Go: `QueueSortFunc`. */
  queueSortFunc(): (a: QueuedPodInfo, b: QueuedPodInfo) => boolean {
    const pl = this.plugins.queueSort[0];
    return (a, b) => pl.less!(a, b);
  }

  /** Go: `RunPreEnqueuePlugins`. */
  runPreEnqueuePlugins(pod: Pod): MaybeStatus {
    for (const pl of this.plugins.preEnqueue) {
      const s = this.#run(pl, 'PreEnqueue', undefined, () => {
        const out = pl.preEnqueue!(pod);
        return checkSync(out, pl.name, 'PreEnqueue') ?? out;
      }, (e) => e);
      if (isSuccess(s)) continue;
      if (isRejected(s)) return s!.withPlugin(pl.name);
      return asStatus(new Error(`running PreEnqueue plugin "${pl.name}": ${asError(s)!.message}`)).withPlugin(pl.name);
    }
    return null;
  }

  /** Go: `RunPreFilterPlugins`: [result, status, plugins that narrowed the nodes]. */
  runPreFilterPlugins(state: CycleState, pod: Pod, rec?: CycleRecord): [PreFilterResult | null, MaybeStatus, string[]] {
    let result: PreFilterResult | null = null;
    const pluginsWithNodes: string[] = [];
    const skip = new Set<string>();
    const nodes = this.handle.snapshotSharedLister().nodeInfos().list();
    let returnStatus: MaybeStatus = null;
    for (const pl of this.plugins.preFilter) {
      const [r, s] = this.#run(pl, 'PreFilter', rec, () => {
        const out = pl.preFilter!(state, pod, nodes);
        const bad = checkSync(out, pl.name, 'PreFilter');
        return bad ? ([null, bad] as [PreFilterResult | null, MaybeStatus]) : out;
      }, (e) => [null, e] as [PreFilterResult | null, MaybeStatus]);
      rec?.preFilter.push({ plugin: pl.name, status: statusRecord(s && !isSuccess(s) && !isSkip(s) ? s.withPlugin(s.plugin || pl.name) : s), nodeNames: r?.nodeNames ? [...r.nodeNames].sort() : null });
      if (isSkip(s)) {
        skip.add(pl.name);
        continue;
      }
      if (!isSuccess(s)) {
        s!.plugin = pl.name;
        if (s!.code === 'UnschedulableAndUnresolvable') return [null, s, []];
        if (s!.code === 'Unschedulable') {
          // Later PreFilters still run, so that preemption has their state.
          returnStatus = s;
          continue;
        }
        return [null, asStatus(new Error(`running PreFilter plugin "${pl.name}": ${asError(s)!.message}`)).withPlugin(pl.name), []];
      }
      if (r && r.nodeNames) pluginsWithNodes.push(pl.name);
      result = mergePreFilterResult(result, r);
      if (result && result.nodeNames && result.nodeNames.size === 0) {
        const msg = pluginsWithNodes.length === 1
          ? `node(s) didn't satisfy plugin ${pluginsWithNodes[0]}`
          : `node(s) didn't satisfy plugin(s) [${pluginsWithNodes.join(' ')}] simultaneously`;
        return [result, newStatus('UnschedulableAndUnresolvable', msg), pluginsWithNodes];
      }
    }
    state.skipFilterPlugins = skip;
    return [result, returnStatus, pluginsWithNodes];
  }

  /** Go: `RunPreFilterExtensionAddPod`. */
  runPreFilterExtensionAddPod(state: CycleState, podToSchedule: Pod, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): MaybeStatus {
    for (const pl of this.plugins.preFilter) {
      const ext = pl.preFilterExtensions?.();
      if (!ext || state.skipFilterPlugins.has(pl.name)) continue;
      const s = this.#run(pl, 'PreFilterExtensionAddPod', undefined, () => ext.addPod(state, podToSchedule, podInfoToAdd, nodeInfo), (e) => e);
      if (!isSuccess(s)) return asStatus(new Error(`running AddPod on PreFilter plugin "${pl.name}": ${asError(s)!.message}`));
    }
    return null;
  }

  /** Go: `RunPreFilterExtensionRemovePod`. */
  runPreFilterExtensionRemovePod(state: CycleState, podToSchedule: Pod, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): MaybeStatus {
    for (const pl of this.plugins.preFilter) {
      const ext = pl.preFilterExtensions?.();
      if (!ext || state.skipFilterPlugins.has(pl.name)) continue;
      const s = this.#run(pl, 'PreFilterExtensionRemovePod', undefined, () => ext.removePod(state, podToSchedule, podInfoToRemove, nodeInfo), (e) => e);
      if (!isSuccess(s)) return asStatus(new Error(`running RemovePod on PreFilter plugin "${pl.name}": ${asError(s)!.message}`));
    }
    return null;
  }

  /** Go: `RunFilterPlugins`: the first plugin that does not pass decides. */
  runFilterPlugins(state: CycleState, pod: Pod, nodeInfo: NodeInfo, rec?: CycleRecord): MaybeStatus {
    const row: Record<string, StatusRecord> | undefined = rec ? (rec.filter[nodeInfo.name] = {}) : undefined;
    const timed = !!(rec && this.#stopwatch);
    const plugins = this.#filterPluginsToRun(state);
    for (let i = 0; i < plugins.length; i++) {
      const pl = plugins[i];
      let s: MaybeStatus;
      if (timed) {
        s = this.#timedFilter(pl, state, pod, nodeInfo, rec);
      } else {
        try {
          const out = pl.filter!(state, pod, nodeInfo);
          s = isThenable(out) ? checkSync(out, pl.name, 'Filter') : out;
        } catch (e) {
          s = asStatus(e);
        }
      }
      if (!isSuccess(s)) {
        if (!isRejected(s)) s = asStatus(new Error(`running "${pl.name}" filter plugin: ${asError(s)!.message}`));
        s!.plugin = pl.name;
        if (row) row[pl.name] = statusRecord(s);
        return s;
      }
      if (row) row[pl.name] = statusRecord(null);
    }
    return null;
  }

  /** Filter through #run, timed. Apart from runFilterPlugins so that its hot loop captures nothing in a closure. */
  #timedFilter(pl: Plugin, state: CycleState, pod: Pod, nodeInfo: NodeInfo, rec: CycleRecord | undefined): MaybeStatus {
    return this.#run(pl, 'Filter', rec, () => {
      const out = pl.filter!(state, pod, nodeInfo);
      return checkSync(out, pl.name, 'Filter') ?? out;
    }, (e) => e);
  }

  #filterRun?: { all: Plugin[]; n: number; skip: Set<string>; size: number; list: Plugin[] };

  /**
   * The Filter plugins whose PreFilter did not Skip. Upstream checks the skip set for each plugin
   * on each node; the list is the same for the whole cycle, so it is worked out once per skip set.
   */
  #filterPluginsToRun(state: CycleState): Plugin[] {
    const all = this.plugins.filter;
    const skip = state.skipFilterPlugins;
    const c = this.#filterRun;
    if (c && c.skip === skip && c.size === skip.size && c.all === all && c.n === all.length) return c.list;
    const list = skip.size ? all.filter((pl) => !skip.has(pl.name)) : all;
    this.#filterRun = { all, n: all.length, skip, size: skip.size, list };
    return list;
  }

  /** Go: `RunFilterPluginsWithNominatedPods`: filters run twice when higher-priority pods are nominated to the node. */
  runFilterPluginsWithNominatedPods(state: CycleState, pod: Pod, info: NodeInfo, rec?: CycleRecord): MaybeStatus {
    const nominated = this.handle.nominatedPodsForNode(info.name);
    // Nothing nominated to the node (the common case): one pass, as upstream's loop ends up doing.
    if (nominated.length === 0) return this.runFilterPlugins(state, pod, info, rec);
    let status: MaybeStatus = null;
    let podsAdded = false;
    for (let i = 0; i < 2; i++) {
      let stateToUse = state;
      let infoToUse = info;
      if (i === 0) {
        const added = this.#addGENominatedPods(pod, state, info, nominated);
        if (added instanceof Status) return added;
        [podsAdded, stateToUse, infoToUse] = added;
      } else if (!podsAdded || !isSuccess(status)) {
        break;
      }
      status = this.runFilterPlugins(stateToUse, pod, infoToUse, rec);
      if (!isSuccess(status) && !isRejected(status)) return status;
    }
    return status;
  }

  /** Go: `addGENominatedPods`: a copy of the node with the nominated pods of priority >= the pod's. */
  #addGENominatedPods(pod: Pod, state: CycleState, info: NodeInfo, nominated: PodInfo[]): [boolean, CycleState, NodeInfo] | Status {
    if (nominated.length === 0) return [false, state, info];
    const nodeInfoOut = info.snapshot();
    const stateOut = state.clone();
    let added = false;
    const prio = pod.spec.priority ?? 0;
    for (const pi of nominated) {
      if ((pi.pod.spec.priority ?? 0) >= prio && pi.pod.metadata.uid !== pod.metadata.uid) {
        nodeInfoOut.addPodInfo(pi);
        const s = this.runPreFilterExtensionAddPod(stateOut, pod, pi, nodeInfoOut);
        if (!isSuccess(s)) return s!;
        added = true;
      }
    }
    return [added, stateOut, nodeInfoOut];
  }

  /** Go: `RunPostFilterPlugins`. */
  runPostFilterPlugins(state: CycleState, pod: Pod, statuses: NodeToStatusReader, rec?: CycleRecord): [PostFilterResult | null, Status] {
    let result: PostFilterResult | null = null;
    const reasons: string[] = [];
    let rejector = '';
    for (const pl of this.plugins.postFilter) {
      const [r, s] = this.#run(pl, 'PostFilter', rec, () => pl.postFilter!(state, pod, statuses), (e) => [null, e] as [PostFilterResult | null, MaybeStatus]);
      rec?.postFilter.push({
        plugin: pl.name, status: statusRecord(s),
        ...(r?.nominatingInfo?.nominatedNodeName ? { nominatedNodeName: r.nominatingInfo.nominatedNodeName } : {}),
        ...victimsOf(state),
      });
      if (isSuccess(s)) return [r, s ?? newStatus('Success')];
      if (s!.code === 'UnschedulableAndUnresolvable') return [r, s!.withPlugin(pl.name)];
      if (!isRejected(s)) return [null, asStatus(asError(s)!).withPlugin(pl.name)];
      if (r && r.nominatingInfo && r.nominatingInfo.nominatingMode !== 'ModeNoop') result = r;
      reasons.push(...s!.allReasons());
      if (!rejector) rejector = pl.name;
    }
    return [result, newStatus('Unschedulable', ...reasons).withPlugin(rejector)];
  }

  /** Go: `RunPreScorePlugins`. */
  runPreScorePlugins(state: CycleState, pod: Pod, nodes: NodeInfo[], rec?: CycleRecord): MaybeStatus {
    const skip = new Set<string>();
    for (const pl of this.plugins.preScore) {
      const s = this.#run(pl, 'PreScore', rec, () => {
        const out = pl.preScore!(state, pod, nodes);
        return checkSync(out, pl.name, 'PreScore') ?? out;
      }, (e) => e);
      rec?.preScore.push({ plugin: pl.name, status: statusRecord(s) });
      if (isSkip(s)) {
        skip.add(pl.name);
        continue;
      }
      if (!isSuccess(s)) return asStatus(new Error(`running PreScore plugin "${pl.name}": ${asError(s)!.message}`));
    }
    state.skipScorePlugins = skip;
    return null;
  }

  /**
   * Go: `RunScorePlugins`: Score per node, NormalizeScore per plugin, then the range check and
   * the weights. Returns per node the weighted score of each plugin and the total.
   */
  runScorePlugins(state: CycleState, pod: Pod, nodes: NodeInfo[], rec?: CycleRecord): [NodePluginScores[], MaybeStatus] {
    const plugins = this.plugins.score.filter((pl) => !state.skipScorePlugins.has(pl.name));
    // Upstream keeps a NodeScore list per plugin name. Here each plugin's scores are plain numbers
    // in node order, and only NormalizeScore gets NodeScore objects: the hot loops allocate nothing.
    // Arrays built by push, not map: their element kinds stay the same from cycle to cycle, which
    // keeps V8 from deoptimizing this function over and over (map's results vary).
    const names: string[] = [];
    for (const n of nodes) names.push(n.name);
    const scores: number[][] = [];
    const fail = (msg: string): [NodePluginScores[], Status] => [[], asStatus(new Error(`running Score plugins: ${msg}`))];
    const timed = !!(rec && this.#stopwatch);
    for (let p = 0; p < plugins.length; p++) scores.push(new Array<number>(nodes.length).fill(0));
    // Node by node, each plugin in turn, as upstream's parallel loop does (a node's data stays in cache).
    for (let i = 0; i < nodes.length; i++) {
      const nodeInfo = nodes[i];
      for (let p = 0; p < plugins.length; p++) {
        // The hot loop of a cycle: no closure per call.
        const pl = plugins[p];
        const t0 = timed ? this.#stopwatch!() : 0;
        let score = 0;
        let s: MaybeStatus = null;
        try {
          const out = pl.score!(state, pod, nodeInfo);
          if (typeof out === 'number') score = out;
          else if (isThenable(out)) s = checkSync(out, pl.name, 'Score');
          else if (Array.isArray(out)) {
            score = out[0];
            s = out[1];
          } else [score, s] = out as unknown as [number, MaybeStatus]; // not iterable: throws as before
        } catch (e) {
          s = asStatus(e);
        }
        if (timed) {
          const byPoint = (rec!.timings[pl.name] ??= {});
          byPoint.Score = (byPoint.Score ?? 0) + (this.#stopwatch!() - t0);
        }
        if (s && !isSuccess(s)) return fail(`plugin "${pl.name}" failed with: ${asError(s)!.message}`);
        if (typeof score !== 'number' || !Number.isInteger(score)) return fail(`plugin "${pl.name}" returned a non-integer score ${String(score)} for node "${names[i]}"`);
        scores[p][i] = score;
      }
    }
    if (rec) {
      for (let p = 0; p < plugins.length; p++) {
        const list = scores[p];
        for (let i = 0; i < nodes.length; i++) (rec.score[names[i]] ??= {} as Record<string, ScoreRecord>)[plugins[p].name] = { raw: list[i], normalized: list[i], weighted: 0 };
      }
    }
    for (let p = 0; p < plugins.length; p++) {
      const pl = plugins[p];
      const ext = pl.scoreExtensions?.();
      if (!ext) continue;
      const list = scores[p];
      const nodeScores: NodeScore[] = [];
      for (let i = 0; i < list.length; i++) nodeScores.push({ name: names[i], score: list[i] });
      const s = this.#run(pl, 'NormalizeScore', rec, () => ext.normalizeScore(state, pod, nodeScores), (e) => e);
      if (!isSuccess(s)) return fail(`plugin "${pl.name}" failed with: ${asError(s)!.message}`);
      for (let i = 0; i < list.length; i++) list[i] = nodeScores[i].score;
    }
    const pluginNames: string[] = [];
    const weights: number[] = [];
    for (const pl of plugins) {
      pluginNames.push(pl.name);
      weights.push(this.scorePluginWeight.get(pl.name) ?? 1);
    }
    const out: NodePluginScores[] = [];
    for (let i = 0; i < nodes.length; i++) {
      const name = names[i];
      const row: NodePluginScores = { name, scores: [], totalScore: 0 };
      for (let p = 0; p < plugins.length; p++) {
        const score = scores[p][i];
        if (!Number.isInteger(score) || score > MaxNodeScore || score < MinNodeScore) {
          return fail(`plugin "${pluginNames[p]}" returns an invalid score ${score}, it should in the range of [${MinNodeScore}, ${MaxNodeScore}] after normalizing`);
        }
        const weighted = score * weights[p];
        row.scores.push({ name: pluginNames[p], score: weighted });
        row.totalScore += weighted;
        if (rec) {
          const r = rec.score[name][pluginNames[p]];
          r.normalized = score;
          r.weighted = weighted;
        }
      }
      out.push(row);
    }
    return [out, null];
  }

  /** Go: `RunReservePluginsReserve`. */
  runReservePluginsReserve(state: CycleState, pod: Pod, nodeName: string, rec?: CycleRecord): MaybeStatus {
    for (const pl of this.plugins.reserve) {
      const s = this.#run(pl, 'Reserve', rec, () => pl.reserve!(state, pod, nodeName), (e) => e);
      rec?.reserve.push({ plugin: pl.name, status: statusRecord(s) });
      if (!isSuccess(s)) {
        if (isRejected(s)) return s!.withPlugin(pl.name);
        return asStatus(new Error(`running Reserve plugin "${pl.name}": ${asError(s)!.message}`));
      }
    }
    return null;
  }

  /** Go: `RunReservePluginsUnreserve`: in reverse order. */
  runReservePluginsUnreserve(state: CycleState, pod: Pod, nodeName: string): void {
    for (let i = this.plugins.reserve.length - 1; i >= 0; i--) {
      const pl = this.plugins.reserve[i];
      this.#run(pl, 'Unreserve', undefined, () => pl.unreserve?.(state, pod, nodeName), () => undefined);
    }
  }

  /** Go: `RunPermitPlugins`: Success, a rejection, or Wait with each waiting plugin's timeout. */
  runPermitPlugins(state: CycleState, pod: Pod, nodeName: string, rec?: CycleRecord): [MaybeStatus, Map<string, number>] {
    const waits = new Map<string, number>();
    for (const pl of this.plugins.permit) {
      const [s, timeout] = this.#run(pl, 'Permit', rec, () => pl.permit!(state, pod, nodeName), (e) => [e, 0] as [MaybeStatus, number]);
      rec?.permit.push({ plugin: pl.name, status: statusRecord(s), ...(s?.code === 'Wait' ? { timeoutMs: Math.min(timeout, MaxPermitTimeoutMs) } : {}) });
      if (isSuccess(s)) continue;
      if (isRejected(s)) return [s!.withPlugin(pl.name), waits];
      if (s!.code === 'Wait') {
        waits.set(pl.name, Math.min(timeout, MaxPermitTimeoutMs));
        continue;
      }
      return [asStatus(new Error(`running Permit plugin "${pl.name}": ${asError(s)!.message}`)).withPlugin(pl.name), waits];
    }
    if (waits.size) return [newStatus('Wait', `one or more plugins asked to wait and no plugin rejected pod "${pod.metadata.name}"`), waits];
    return [null, waits];
  }

  /** Go: `RunPreBindPlugins`. */
  async runPreBindPlugins(state: CycleState, pod: Pod, nodeName: string, rec?: CycleRecord): Promise<MaybeStatus> {
    for (const pl of this.plugins.preBind) {
      let s: MaybeStatus;
      try {
        s = await pl.preBind!(state, pod, nodeName);
      } catch (e) {
        s = asStatus(e);
      }
      rec?.preBind.push({ plugin: pl.name, status: statusRecord(s) });
      if (isSuccess(s) || isSkip(s)) continue;
      if (isRejected(s)) return s!.withPlugin(pl.name);
      return asStatus(new Error(`running PreBind plugin "${pl.name}": ${asError(s)!.message}`)).withPlugin(pl.name);
    }
    return null;
  }

  /** Go: `RunBindPlugins`: the first plugin that does not Skip binds. */
  async runBindPlugins(state: CycleState, pod: Pod, nodeName: string, rec?: CycleRecord): Promise<MaybeStatus> {
    let status: MaybeStatus = newStatus('Skip');
    for (const pl of this.plugins.bind) {
      try {
        status = await pl.bind!(state, pod, nodeName);
      } catch (e) {
        status = asStatus(e);
      }
      rec?.bind.push({ plugin: pl.name, status: statusRecord(status) });
      if (isSkip(status)) continue;
      if (!isSuccess(status)) {
        if (isRejected(status)) return status!.withPlugin(pl.name);
        return asStatus(new Error(`running Bind plugin "${pl.name}": ${asError(status)!.message}`)).withPlugin(pl.name);
      }
      return status;
    }
    return status;
  }

  /** Go: `RunPostBindPlugins`. */
  runPostBindPlugins(state: CycleState, pod: Pod, nodeName: string): void {
    for (const pl of this.plugins.postBind) this.#run(pl, 'PostBind', undefined, () => pl.postBind!(state, pod, nodeName), () => undefined);
  }

  /** Every plugin's EnqueueExtensions events, by plugin (Go: the framework's `EnqueueExtensions`). */
  eventsToRegister(): Map<string, ReturnType<NonNullable<Plugin['eventsToRegister']>>> {
    const out = new Map<string, ReturnType<NonNullable<Plugin['eventsToRegister']>>>();
    for (const [name, pl] of this.pluginsMap) if (pl.eventsToRegister) out.set(name, pl.eventsToRegister());
    return out;
  }
}

/** The victims preemption left in the cycle state, as `namespace/name` (the model's addition). */
function victimsOf(state: CycleState): { victims?: string[] } {
  const pods = state.tryRead<Pod[]>('kubelab/preemptionVictims');
  return pods?.length ? { victims: pods.map((v) => `${v.metadata.namespace ?? 'default'}/${v.metadata.name}`) } : {};
}

/** Go: `NodePluginScores`. */
export interface NodePluginScores {
  name: string;
  scores: { name: string; score: number }[];
  totalScore: number;
}

/** Go: `PreFilterResult.Merge`: the intersection; null means all nodes. */
export function mergePreFilterResult(a: PreFilterResult | null, b: PreFilterResult | null): PreFilterResult | null {
  if (!a || !a.nodeNames) return b && b.nodeNames ? { nodeNames: new Set(b.nodeNames) } : a ?? b;
  if (!b || !b.nodeNames) return a;
  return { nodeNames: new Set([...a.nodeNames].filter((n) => b.nodeNames!.has(n))) };
}

export { CycleState };
