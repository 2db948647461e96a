/**
 * Default plugins the model does not model: VolumeRestrictions, NodeVolumeLimits (CSI attach
 * limits), VolumeZone and DynamicResources (DRA). Each keeps its name and the extension points
 * it has upstream, and does what the real one does for a pod that uses none of its objects:
 * PreFilter returns Skip, so its Filter never runs (upstream: the PreFilter of
 * volumerestrictions, nodevolumelimits/csi.go, volumezone and dynamicresources). A pod that
 * does use them passes, except a pod with resource claims, which gets an Error naming the plugin.
 */
import type { Pod } from '../../../api/core/v1';
import type { Plugin } from '../../framework/interface';
import { asStatus, newStatus, type MaybeStatus } from '../../framework/status';

function usesVolumes(pod: Pod): boolean {
  return (pod.spec.volumes ?? []).some((v) => v.persistentVolumeClaim || v.ephemeral);
}

function skipUnless(uses: (pod: Pod) => boolean): Plugin['preFilter'] {
  return (_state, pod) => [null, uses(pod) ? null : newStatus('Skip')];
}

const pass = (): MaybeStatus => null;

export function newVolumeRestrictions(): Plugin {
  return { name: 'VolumeRestrictions', preFilter: skipUnless(usesVolumes), preFilterExtensions: () => null, filter: pass };
}

export function newNodeVolumeLimits(): Plugin {
  return { name: 'NodeVolumeLimits', preFilter: skipUnless(usesVolumes), preFilterExtensions: () => null, filter: pass };
}

export function newVolumeZone(): Plugin {
  return { name: 'VolumeZone', preFilter: skipUnless(usesVolumes), preFilterExtensions: () => null, filter: pass };
}

function hasClaims(pod: Pod): boolean {
  return ((pod.spec as { resourceClaims?: unknown[] }).resourceClaims ?? []).length > 0;
}

export function newDynamicResources(): Plugin {
  return {
    name: 'DynamicResources',
    preEnqueue: pass,
    preFilter: (_state, pod) => [null, hasClaims(pod) ? asStatus(new Error('resource claims (DRA) are not modelled in KubeLab')) : newStatus('Skip')],
    preFilterExtensions: () => null,
    filter: pass,
    // With no claims to free, it says so; the text leads the preemption part of FailedScheduling in v1.34.
    postFilter: () => [null, newStatus('Unschedulable', 'no new claims to deallocate')],
    reserve: pass,
    unreserve: () => undefined,
    preBind: pass,
  };
}
