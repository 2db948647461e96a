/**
 * The in-tree plugins by name: pkg/scheduler/framework/plugins/registry.go at v1.34
 * (`NewInTreeRegistry`). Plugins with args also give their v1 defaults and validation, which
 * the configuration layer applies (Go keeps those in apis/config/v1 and apis/config/validation).
 */
import type { PluginRegistration, Registry } from '../framework/interface';
import * as defaultbinder from './defaultbinder';
import * as defaultpreemption from './defaultpreemption';
import * as imagelocality from './imagelocality';
import * as interpodaffinity from './interpodaffinity';
import * as nodeaffinity from './nodeaffinity';
import * as nodename from './nodename';
import * as nodeports from './nodeports';
import * as noderesources from './noderesources';
import * as nodeunschedulable from './nodeunschedulable';
import { newDynamicResources, newNodeVolumeLimits, newVolumeRestrictions, newVolumeZone } from './notmodelled/not_modelled';
import * as podtopologyspread from './podtopologyspread';
import * as queuesort from './queuesort';
import * as schedulinggates from './schedulinggates/scheduling_gates';
import * as tainttoleration from './tainttoleration';
import * as volumebinding from './volumebinding';

type Factory = PluginRegistration['factory'];

/** Go: `NewInTreeRegistry`. */
export function newInTreeRegistry(): Registry {
  const r: Registry = new Map();
  const add = (name: string, reg: PluginRegistration) => r.set(name, { ...reg, inTree: true });
  add(schedulinggates.Name, { factory: schedulinggates.newSchedulingGates });
  add(queuesort.Name, { factory: queuesort.newPrioritySort as Factory });
  add(nodeunschedulable.Name, { factory: nodeunschedulable.newNodeUnschedulable as Factory });
  add(nodename.Name, { factory: nodename.newNodeName as Factory });
  add(tainttoleration.Name, { factory: tainttoleration.newTaintToleration as Factory });
  add(nodeaffinity.Name, {
    factory: nodeaffinity.newNodeAffinity as Factory,
    defaultArgs: () => nodeaffinity.defaultNodeAffinityArgs(),
    validateArgs: nodeaffinity.validateNodeAffinityArgs as PluginRegistration['validateArgs'],
  });
  add(nodeports.Name, { factory: nodeports.newNodePorts as Factory });
  add(noderesources.FitName, {
    factory: noderesources.newFit as Factory,
    defaultArgs: () => noderesources.defaultNodeResourcesFitArgs(),
    setDefaults: (a) => noderesources.defaultNodeResourcesFitArgs(a as never),
    validateArgs: noderesources.validateNodeResourcesFitArgs as PluginRegistration['validateArgs'],
  });
  add(noderesources.BalancedAllocationName, {
    factory: noderesources.newBalancedAllocation as Factory,
    defaultArgs: () => noderesources.defaultNodeResourcesBalancedAllocationArgs(),
    setDefaults: (a) => noderesources.defaultNodeResourcesBalancedAllocationArgs(a as never),
    validateArgs: noderesources.validateNodeResourcesBalancedAllocationArgs as PluginRegistration['validateArgs'],
  });
  add('VolumeRestrictions', { factory: newVolumeRestrictions });
  add('NodeVolumeLimits', { factory: newNodeVolumeLimits });
  add(volumebinding.Name, {
    factory: volumebinding.newVolumeBinding as Factory,
    defaultArgs: () => volumebinding.defaultVolumeBindingArgs(),
    validateArgs: volumebinding.validateVolumeBindingArgs as PluginRegistration['validateArgs'],
  });
  add('VolumeZone', { factory: newVolumeZone });
  add(podtopologyspread.Name, {
    factory: podtopologyspread.newPodTopologySpread as Factory,
    defaultArgs: () => podtopologyspread.defaultPodTopologySpreadArgs(),
    setDefaults: (a) => podtopologyspread.defaultPodTopologySpreadArgs(a as never),
    validateArgs: podtopologyspread.validatePodTopologySpreadArgs as PluginRegistration['validateArgs'],
  });
  add(interpodaffinity.Name, {
    factory: interpodaffinity.newInterPodAffinity as Factory,
    defaultArgs: () => interpodaffinity.defaultInterPodAffinityArgs(),
    setDefaults: (a) => interpodaffinity.defaultInterPodAffinityArgs(a as never),
    validateArgs: interpodaffinity.validateInterPodAffinityArgs as PluginRegistration['validateArgs'],
  });
  add('DynamicResources', { factory: newDynamicResources });
  add(defaultpreemption.Name, {
    factory: defaultpreemption.newDefaultPreemption as Factory,
    defaultArgs: () => defaultpreemption.defaultDefaultPreemptionArgs(),
    validateArgs: defaultpreemption.validateDefaultPreemptionArgs as PluginRegistration['validateArgs'],
  });
  add(imagelocality.Name, { factory: imagelocality.newImageLocality as Factory });
  add(defaultbinder.Name, { factory: defaultbinder.newDefaultBinder as Factory });
  return r;
}
