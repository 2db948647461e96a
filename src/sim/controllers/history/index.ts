/** ControllerRevision history shared by the StatefulSet and DaemonSet controllers (pkg/controller/history). */
export {
  ControllerRevisionHashLabel,
  controllerRevisionName,
  hashControllerRevision,
  newControllerRevision,
  newControllerRef,
  sortControllerRevisions,
  equalRevision,
  findEqualRevisions,
  revisionDataRaw,
  safeEncodeString,
  fnv32,
  newHistory,
  RealHistory,
  type ControllerRevision,
  type ControllerRevisionLister,
  type CollisionCount,
  type GroupVersionKind,
  type History,
} from './controller_history';
export { marshalGoJSON } from './go_json';
