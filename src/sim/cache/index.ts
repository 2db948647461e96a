/**
 * The cache model (client-go tools/cache at v0.34.0): object keys, the Store and Indexer an
 * informer keeps, and the DeltaFIFO between the reflector and the informer. See README.md in
 * this folder for the upstream files, the Go -> TS names and the divergences.
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
} from './delta_fifo_types';
export { dedupDeltas, isDeletionDup, isDup, newDeltaFIFO, type QueueActionResult } from './delta_fifo';
