/**
 * kube-controller-manager's namespace controller (pkg/controller/namespace at kubernetes v1.34) on
 * the API server model: a Terminating namespace is emptied, then released through namespaces/finalize.
 */
export { newNamespaceController, NamespaceController, nsControllerRateLimiter, namespaceDeletionGracePeriodMs, type NamespaceControllerOptions, type NamespaceSync } from './controller';
export { NamespacedResourcesDeleter, ResourcesRemainingError, finalizerEstimateSeconds, finalized, discoverNamespacedResources, parseGroupVersion, aggregate, type APIResourceList, type DiscoveryResult, type Namespace, type NamespacedResourcesDeleterOptions } from './deleter';
export { NamespaceConditionUpdater, ErrGroupDiscoveryFailed, conditionTypes, okMessages, okReasons, updateConditions, type NamespaceCondition, type NamespaceConditionType, type ContentTotals } from './conditions';
