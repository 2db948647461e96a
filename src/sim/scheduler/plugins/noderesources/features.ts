/**
 * The feature gates these plugins read (pkg/scheduler/framework/plugins/feature.Features), set
 * to their v1.34 defaults from pkg/features/kube_features.go: SchedulerQueueingHints GA (locked
 * on), InPlacePodVerticalScaling beta (on), SidecarContainers GA, PodLevelResources beta (on).
 * DRAExtendedResource (alpha, off) is not modelled.
 */
export interface Features {
  enableInPlacePodVerticalScaling: boolean;
  enableSidecarContainers: boolean;
  enableSchedulingQueueHint: boolean;
  enablePodLevelResources: boolean;
}

export function defaultFeatures(): Features {
  return {
    enableInPlacePodVerticalScaling: true,
    enableSidecarContainers: true,
    enableSchedulingQueueHint: true,
    enablePodLevelResources: true,
  };
}
