import { describe, expect, it } from 'vitest';
import { CycleState } from '../../framework/cycle_state';
import type { Plugin, Registry } from '../../framework/interface';
import { Framework } from '../../framework/runtime/framework';
import { newTestHandle } from '../../testing/handle';
import { makePod } from '../../testing/wrappers';
import { PodInfo } from '../../framework/types';
import { defaultPodTopologySpreadArgs, newPodTopologySpread, validatePodTopologySpreadArgs, Name } from './index';
import { fooSelector, node, pod } from './testing';

/** A profile with only this plugin (plus the queue sort and binder every profile needs) run by the framework. */
function frameworkWith(pods: ReturnType<typeof pod>['pod'][], nodes: ReturnType<typeof node>[], args?: unknown) {
  const stub = (name: string, p: Partial<Plugin>): Plugin => ({ name, ...p });
  const registry: Registry = new Map([
    [Name, { factory: newPodTopologySpread, defaultArgs: () => defaultPodTopologySpreadArgs(), validateArgs: validatePodTopologySpreadArgs }],
    ['Sort', { factory: () => stub('Sort', { less: () => true }) }],
    ['Bind', { factory: () => stub('Bind', { bind: () => null }) }],
  ]);
  const handle = newTestHandle({ pods, nodes });
  const all = [{ name: Name }];
  const fw = new Framework({
    plugins: { queueSort: { enabled: [{ name: 'Sort' }] }, bind: { enabled: [{ name: 'Bind' }] }, preFilter: { enabled: all }, filter: { enabled: all }, preScore: { enabled: all }, score: { enabled: [{ name: Name, weight: 2 }] } },
    pluginConfig: args ? [{ name: Name, args }] : [],
  }, { registry, handle });
  return { fw, infos: handle.snapshot.nodeInfoList };
}

describe('PodTopologySpread run by the framework', () => {
  const nodes = () => ['a', 'b', 'c'].map((n) => node(n, { zone: n === 'c' ? 'z2' : 'z1', 'kubernetes.io/hostname': n }));
  const existing = () => [pod('x1', 'a', { foo: '' }).obj(), pod('x2', 'b', { foo: '' }).obj()];

  it('rejects the crowded zone with its reason and plugin name, and a rejected pod can be preempted into place', () => {
    const { fw, infos } = frameworkWith(existing(), nodes(), { defaultingType: 'List' });
    const p = pod('p', undefined, { foo: '' }).spreadConstraint(1, 'zone', 'DoNotSchedule', fooSelector).obj();
    const state = new CycleState();
    expect(fw.runPreFilterPlugins(state, p)[1]).toBeNull();
    const statuses = infos.map((ni) => fw.runFilterPlugins(state, p, ni)?.toJSON() ?? null);
    expect(statuses).toEqual([
      { code: 'Unschedulable', reasons: ["node(s) didn't match pod topology spread constraints"], plugin: 'PodTopologySpread' },
      { code: 'Unschedulable', reasons: ["node(s) didn't match pod topology spread constraints"], plugin: 'PodTopologySpread' },
      null,
    ]);
    // Preemption's what-if: without x1 zone z1 still holds one pod too many; without x2 as well, node a fits.
    const copy = state.clone();
    expect(fw.runPreFilterExtensionRemovePod(copy, p, new PodInfo(existing()[0]), infos[0])).toBeNull();
    expect(fw.runFilterPlugins(copy, p, infos[0])?.code).toBe('Unschedulable');
    expect(fw.runPreFilterExtensionRemovePod(copy, p, new PodInfo(existing()[1]), infos[1])).toBeNull();
    expect(fw.runFilterPlugins(copy, p, infos[0])).toBeNull();
    expect(fw.runFilterPlugins(state, p, infos[0])?.code).toBe('Unschedulable');
  });

  it('a pod without constraints or controller is skipped at PreFilter and PreScore, so Filter and Score never run', () => {
    const { fw, infos } = frameworkWith(existing(), nodes());
    const p = makePod().name('lonely').obj();
    const state = new CycleState();
    expect(fw.runPreFilterPlugins(state, p)[1]).toBeNull();
    expect(state.skipFilterPlugins.has(Name)).toBe(true);
    expect(fw.runPreScorePlugins(state, p, infos)).toBeNull();
    expect(state.skipScorePlugins.has(Name)).toBe(true);
  });

  it('scores are integers in [0, 100] times the weight', () => {
    const { fw, infos } = frameworkWith(existing(), nodes(), { defaultingType: 'List' });
    const p = pod('p', undefined, { foo: '' }).spreadConstraint(1, 'kubernetes.io/hostname', 'ScheduleAnyway', fooSelector).obj();
    const state = new CycleState();
    expect(fw.runPreScorePlugins(state, p, infos)).toBeNull();
    const [scores, s] = fw.runScorePlugins(state, p, infos);
    expect(s).toBeNull();
    // counts 1/1/0, weight log(5): raw 1, 1, 0 after rounding; normalized 100 * (1 + 0 - s) / 1.
    expect(scores.map((r) => [r.name, r.totalScore])).toEqual([['a', 0], ['b', 0], ['c', 200]]);
  });

  it('bad args fail the profile with the field path', () => {
    expect(() => frameworkWith([], [], { defaultingType: 'List', defaultConstraints: [{ maxSkew: 0, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }] }))
      .toThrow('defaultConstraints[0].maxSkew: Invalid value: 0: not in valid range (0, inf)');
  });
});
