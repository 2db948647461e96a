/**
 * The cache model (client-go tools/cache at v0.34.0): object keys, the Store and Indexer an
 * informer keeps, the queues between the reflector and the informer (the RealFIFO v1.34 uses by
 * default, the DeltaFIFO with the InOrderInformers gate off), the Reflector and the
 * ListerWatcher it drives (with upstream's FakeControllerSource), and the shared informer with
 * its event handlers. See README.md in this folder for the upstream files, the Go -> TS names
 * and the divergences.
 */
export {
  DeletedFinalStateUnknown,
  KeyError,
  deletionHandlingMetaNamespaceKeyFunc,
  metaNamespaceKeyFunc,
  splitMetaNamespaceKey,
  type KeyFunc,
} from './keys';
export type { Indexer, Store, ThreadSafeStore, TransformFunc } from './types';
export { NamespaceIndex, indexFuncToKeyFuncAdapter, metaNamespaceIndexFunc, type Index, type IndexFunc, type Indexers, type Indices } from './index_funcs';
export { newIndexer, newStore, withTransformer, type StoreConfig, type StoreOption } from './store';
export { newThreadSafeStore } from './thread_safe_store';
export {
  DeltaType,
  ErrFIFOClosed,
  ErrZeroLengthDeltasObject,
  FIFOClosedError,
  copyDeltas,
  newestDelta,
  oldestDelta,
  type Delta,
  type DeltaFIFO,
  type DeltaFIFOConfig,
  type DeltaFIFOSnapshot,
  type Deltas,
  type KeyListerGetter,
  type PopProcessFunc,
  type Queue as CacheQueue,
  type QueueActionResult,
} from './delta_fifo_types';
export { dedupDeltas, isDeletionDup, isDup, newDeltaFIFO } from './delta_fifo';
export { newRealFIFO, type RealFIFO, type RealFIFOOptions, type RealFIFOSnapshot } from './the_real_fifo';
export { clientGoFeatureGates, modelledClientGoFeatures, type ClientGoFeatures, type FeaturePreRelease } from './features';
export type {
  ListOptions,
  ListerWatcher,
  ObjectList,
  StatusDetails,
  WatchEvent,
  WatchEventType,
  WatchInterface,
} from './listwatch';
export { newBroadcaster, newEmptyWatch, newFakeWatcher, type Broadcaster, type FakeWatcher } from './watch';
export {
  isGone,
  isInternalError,
  isResourceExpired,
  isTimeout,
  isTooManyRequests,
  newResourceExpired,
  newTooManyRequests,
} from './api_errors';
export { newStopChannel, type StopChannel } from './stop_channel';
export {
  newFakeControllerSource,
  type FakeControllerSource,
  type FakeControllerSourceConfig,
  type SourceChangeType,
} from './fake_controller_source';
export {
  defaultWatchErrorHandler,
  getTypeDescriptionFromObject,
  isExpiredError,
  isTooLargeResourceVersionError,
  newReflector,
  type Reflector,
  type ReflectorConfig,
  type ReflectorStore,
  type WatchErrorHandler,
} from './reflector';
export {
  FilteringResourceEventHandler,
  resourceEventHandlerDetailedFuncs,
  resourceEventHandlerFuncs,
  type ResourceEventHandler,
  type ResourceEventHandlerDetailedFuncs,
  type ResourceEventHandlerFuncs,
  type ResourceEventHandlerLike,
  type ResourceEventHandlerRegistration,
} from './event_handlers';
export {
  ResourceIndexer,
  listAll,
  listAllByNamespace,
  newGenericLister,
  newNamespacedResourceIndexer,
  newResourceIndexer,
  qualifiedResourceString,
  type GenericLister,
  type GenericNamespaceLister,
  type ListerSelector,
  type NotFoundDetails,
  type NotFoundError,
  type QualifiedResource,
} from './listers';
export {
  SharedInformerFactory,
  newFilteredInformer,
  newFilteredListWatch,
  newFilteredSharedInformerFactory,
  newSharedInformerFactory,
  resourceKey,
  type GenericInformer,
  type InformerResource,
  type ListerWatcherFor,
  type NewInformerContext,
  type NewInformerFunc,
  type SharedInformerFactoryOptions,
  type TweakListOptionsFunc,
} from './informer_factory';
export {
  newSharedIndexInformer,
  processDeltas,
  waitForCacheSync,
  type HandlerOptions,
  type InformerSynced,
  type SharedIndexInformer,
  type SharedIndexInformerOptions,
} from './shared_informer';
export {
  CACHE_CLIENT_GO_TAG,
  deltaFIFOEvents,
  informerEvents,
  realFIFOEvents,
  reflectorEvents,
  sourceEvents,
  type DeltaFIFOEvent,
  type DeltaFIFOEventMap,
  type DeltaFIFOEventOf,
  type DeltaFIFOEventType,
  type InformerEvent,
  type InformerEventMap,
  type InformerEventOf,
  type InformerEventType,
  type NotificationKind,
  type RealFIFOEvent,
  type RealFIFOEventMap,
  type RealFIFOEventOf,
  type RealFIFOEventType,
  type RealFIFOQueueResult,
  type ReflectorEvent,
  type ReflectorEventMap,
  type ReflectorEventOf,
  type ReflectorEventType,
  type RelistReason,
  type SourceEvent,
  type SourceEventMap,
  type SourceEventOf,
  type SourceEventType,
  type SourceWatchResult,
  type WatchEndReason,
} from './events';
