import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../api/core/v1';
import { CycleState } from '../../framework/cycle_state';
import type { Plugin, Registry } from '../../framework/interface';
import { Framework } from '../../framework/runtime/framework';
import { PodInfo } from '../../framework/types';
import { newTestHandle } from '../../testing/handle';
import { makePod } from '../../testing/wrappers';
import { defaultInterPodAffinityArgs, newInterPodAffinity, validateInterPodAffinityArgs, Name } from './index';
import { inSel, named, node, preferred } from './testing';

function frameworkWith(pods: Pod[], args?: unknown) {
  const stub = (name: string, p: Partial<Plugin>): Plugin => ({ name, ...p });
  const registry: Registry = new Map([
    [Name, { factory: newInterPodAffinity, defaultArgs: () => defaultInterPodAffinityArgs(), validateArgs: validateInterPodAffinityArgs }],
    ['Sort', { factory: () => stub('Sort', { less: () => true }) }],
    ['Bind', { factory: () => stub('Bind', { bind: () => null }) }],
  ]);
  const handle = newTestHandle({ pods: named(pods), nodes: [node('a', { zone: 'z1' }), node('b', { zone: 'z1' }), node('c', { zone: 'z2' })] });
  const all = [{ name: Name }];
  const fw = new Framework({
    plugins: { queueSort: { enabled: [{ name: 'Sort' }] }, bind: { enabled: [{ name: 'Bind' }] }, preFilter: { enabled: all }, filter: { enabled: all }, preScore: { enabled: all }, score: { enabled: all } },
    pluginConfig: args ? [{ name: Name, args }] : [],
  }, { registry, handle });
  return { fw, infos: handle.snapshot.nodeInfoList };
}

describe('InterPodAffinity run by the framework', () => {
  const db = () => makePod().name('db').labels({ app: 'db' }).node('a').obj();

  it('anti-affinity rejects the zone with the pod it repels; removing that pod in a what-if lets it in', () => {
    const { fw, infos } = frameworkWith([db()]);
    const p = makePod().name('p').podAntiAffinityIn('app', 'zone', ['db']).obj();
    const state = new CycleState();
    expect(fw.runPreFilterPlugins(state, p)[1]).toBeNull();
    expect(infos.map((ni) => fw.runFilterPlugins(state, p, ni)?.toJSON() ?? null)).toEqual([
      { code: 'Unschedulable', reasons: ["node(s) didn't match pod anti-affinity rules"], plugin: 'InterPodAffinity' },
      { code: 'Unschedulable', reasons: ["node(s) didn't match pod anti-affinity rules"], plugin: 'InterPodAffinity' },
      null,
    ]);
    const copy = state.clone();
    expect(fw.runPreFilterExtensionRemovePod(copy, p, new PodInfo(infos[0].pods[0].pod), infos[0])).toBeNull();
    expect(fw.runFilterPlugins(copy, p, infos[1])).toBeNull();
    expect(fw.runFilterPlugins(state, p, infos[1])?.code).toBe('Unschedulable');
  });

  it('required affinity with no match anywhere is UnschedulableAndUnresolvable', () => {
    const { fw, infos } = frameworkWith([db()]);
    const p = makePod().name('p').podAffinityIn('app', 'zone', ['cache']).obj();
    const state = new CycleState();
    fw.runPreFilterPlugins(state, p);
    expect(fw.runFilterPlugins(state, p, infos[2])?.toJSON()).toEqual({ code: 'UnschedulableAndUnresolvable', reasons: ["node(s) didn't match pod affinity rules"], plugin: 'InterPodAffinity' });
  });

  it('a preferred term scores the zone of the matching pod 100 and the other zone 0', () => {
    const { fw, infos } = frameworkWith([db()]);
    const p = preferred(makePod().name('p'), 'affinity', 10, { labelSelector: inSel('app', ['db']), topologyKey: 'zone' }).obj();
    const state = new CycleState();
    expect(fw.runPreScorePlugins(state, p, infos)).toBeNull();
    const [scores, s] = fw.runScorePlugins(state, p, infos);
    expect(s).toBeNull();
    expect(scores.map((r) => [r.name, r.totalScore])).toEqual([['a', 100], ['b', 100], ['c', 0]]);
  });

  it('hardPodAffinityWeight out of range fails the profile with upstream\'s message', () => {
    expect(() => frameworkWith([], { hardPodAffinityWeight: 101 })).toThrow('hardPodAffinityWeight: Invalid value: 101: not in valid range [0, 100]');
  });
});
