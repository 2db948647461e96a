/**
 * core/v1 PersistentVolume and PersistentVolumeClaim, storage.k8s.io/v1 StorageClass: strategies
 * (status reset, phase Pending on create), the validation a learner runs into (access modes,
 * capacity / requested storage, one volume source, reclaim policy, binding mode) with upstream's
 * field paths and wording, and v1 defaulting.
 * Upstream: kubernetes pkg/registry/core/{persistentvolume,persistentvolumeclaim}/strategy.go,
 * pkg/registry/storage/storageclass/strategy.go, pkg/apis/core/validation/validation.go
 * (ValidatePersistentVolume, ValidatePersistentVolumeSpec, ValidatePersistentVolumeClaim,
 * ValidatePersistentVolumeClaimSpec, ValidatePersistentVolumeClaimUpdate), pkg/apis/storage/validation
 * (ValidateStorageClass, ValidateStorageClassUpdate), pkg/apis/core/v1/defaults.go
 * (SetDefaults_PersistentVolume, SetDefaults_PersistentVolumeClaim), pkg/apis/storage/v1/defaults.go
 */
import { deepCopy, type KubeObject } from '../../../core/object';
import { field, type FieldError, type Path } from '../../../apimachinery/field';
import { parseQuantity } from '../../../apimachinery/quantity';
import { isDNS1123Subdomain, isQualifiedName } from '../../../apimachinery/validation';
import { kindNames, type ResourceDef } from '../resource';
import { rfc3339 } from '../strategy';
import * as schema from '../schema';
import { asList, asObj, jsonEqual, specOf, statusStrategy, strategy, validateLabelSelector, type Obj } from './common';

const base = { version: 'v1', watchCache: true };

// Upstream: core/validation (supportedAccessModes, supportedReclaimPolicy, supportedVolumeModes), sorted as sets.List sorts them
const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const PV_RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];
const VOLUME_MODES = ['Block', 'Filesystem'];

/** The volume sources in the order ValidatePersistentVolumeSpec checks them. */
const PV_SOURCES = ['hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'glusterfs', 'flocker', 'nfs', 'rbd', 'quobyte', 'cephfs', 'iscsi', 'cinder', 'fc', 'flexVolume', 'azureFile', 'vsphereVolume', 'photonPersistentDisk', 'portworxVolume', 'azureDisk', 'scaleIO', 'local', 'storageos', 'csi'];

/** A quantity as Go would have decoded it (undefined: does not parse, the decoder's concern). */
function quantityOf(v: unknown) {
  try {
    return parseQuantity(String(v));
  } catch {
    return undefined;
  }
}

// Upstream: core/validation (ValidatePositiveQuantityValue)
function validatePositiveQuantity(v: unknown, p: Path): FieldError[] {
  const q = quantityOf(v);
  if (!q || q.sign() > 0) return [];
  return [field.invalid(p, q.toString(), 'must be greater than zero')];
}

// Upstream: core/validation (the access mode loop of ValidatePersistentVolumeSpec / ValidatePersistentVolumeClaimSpec)
function validateAccessModes(modes: unknown[], p: Path): FieldError[] {
  const errs: FieldError[] = [];
  let rwop = false;
  let other = false;
  for (const mode of modes) {
    if (!ACCESS_MODES.includes(String(mode))) errs.push(field.notSupported(p, mode, ACCESS_MODES));
    if (mode === 'ReadWriteOncePod') rwop = true;
    else other = true;
  }
  if (rwop && other) errs.push(field.forbidden(p, 'may not use ReadWriteOncePod with other access modes'));
  return errs;
}

function validateClassName(v: unknown, p: Path): FieldError[] {
  if (typeof v !== 'string' || v === '') return [];
  return isDNS1123Subdomain(v).map((m) => field.invalid(p, v, m));
}

function validateVolumeMode(v: unknown, p: Path): FieldError[] {
  return v !== undefined && !VOLUME_MODES.includes(String(v)) ? [field.notSupported(p, v, VOLUME_MODES)] : [];
}

/** The checks of the sources labs use (hostPath, local, nfs, csi); other sources are counted only. */
// Upstream: core/validation (validateHostPathVolumeSource, validateLocalVolumeSource, validateNFSVolumeSource, ValidateCSIPersistentVolumeSource)
function validateSource(name: string, src: Obj, p: Path): FieldError[] {
  const errs: FieldError[] = [];
  const need = (k: string) => {
    if (!src[k]) errs.push(field.required(p.child(k), ''));
  };
  switch (name) {
    case 'hostPath':
    case 'local':
      need('path');
      break;
    case 'nfs':
      need('server');
      need('path');
      if (typeof src.path === 'string' && src.path && !src.path.startsWith('/')) errs.push(field.invalid(p.child('path'), src.path, 'must be an absolute path'));
      break;
    case 'csi':
      need('driver');
      need('volumeHandle');
      break;
  }
  return errs;
}

// Upstream: core/validation (ValidatePersistentVolumeSpec, the non-inline checks)
export function validatePersistentVolumeSpec(spec: Obj, p: Path): FieldError[] {
  const errs: FieldError[] = [];
  const modes = asList(spec.accessModes) as unknown[];
  if (modes.length === 0) errs.push(field.required(p.child('accessModes'), ''));
  errs.push(...validateAccessModes(modes, p.child('accessModes')));
  const capacity = asObj(spec.capacity);
  const keys = Object.keys(capacity);
  if (keys.length === 0) errs.push(field.required(p.child('capacity'), ''));
  if (!('storage' in capacity) || keys.length > 1) errs.push(field.notSupported(p.child('capacity'), capacity, ['storage']));
  for (const k of keys) errs.push(...validatePositiveQuantity(capacity[k], p.child('capacity').key(k)));
  const reclaim = spec.persistentVolumeReclaimPolicy;
  if (typeof reclaim === 'string' && reclaim !== '' && !PV_RECLAIM_POLICIES.includes(reclaim)) errs.push(field.notSupported(p.child('persistentVolumeReclaimPolicy'), reclaim, PV_RECLAIM_POLICIES));
  let sources = 0;
  for (const name of PV_SOURCES) {
    if (spec[name] === undefined || spec[name] === null) continue;
    if (sources > 0) {
      errs.push(field.forbidden(p.child(name), 'may not specify more than 1 volume type'));
      continue;
    }
    sources++;
    errs.push(...validateSource(name, asObj(spec[name]), p.child(name)));
    if (name === 'local' && !spec.nodeAffinity) errs.push(field.required(p.child('nodeAffinity'), 'Local volumes require node affinity'));
  }
  if (sources === 0) errs.push(field.required(p, 'must specify a volume type'));
  errs.push(...validateClassName(spec.storageClassName, p.child('storageClassName')));
  errs.push(...validateVolumeMode(spec.volumeMode, p.child('volumeMode')));
  return errs;
}

// Upstream: core/validation (ValidatePersistentVolumeClaimSpec)
export function validatePersistentVolumeClaimSpec(spec: Obj, p: Path): FieldError[] {
  const errs: FieldError[] = [];
  const modes = asList(spec.accessModes) as unknown[];
  if (modes.length === 0) errs.push(field.required(p.child('accessModes'), 'at least 1 access mode is required'));
  if (spec.selector !== undefined && spec.selector !== null) errs.push(...validateLabelSelector(asObj(spec.selector), p.child('selector')));
  errs.push(...validateAccessModes(modes, p.child('accessModes')));
  const requests = asObj(asObj(spec.resources).requests);
  const sp = p.child('resources').key('storage');
  if (requests.storage === undefined) errs.push(field.required(sp, ''));
  else errs.push(...validatePositiveQuantity(requests.storage, sp));
  errs.push(...validateClassName(spec.storageClassName, p.child('storageClassName')));
  errs.push(...validateVolumeMode(spec.volumeMode, p.child('volumeMode')));
  return errs;
}

// ---- PersistentVolume ----------------------------------------------------------------------------

const validatePV = (obj: KubeObject) => validatePersistentVolumeSpec(specOf(obj), field.newPath('spec'));

/** A strategy whose create sets status.phase Pending (and, for volumes, the transition time) and whose update keeps the status. */
function volumeStrategy(namespaced: boolean, validate: (obj: KubeObject) => FieldError[], validateUpdate: (obj: KubeObject, old: KubeObject) => FieldError[], now: () => number) {
  return strategy({
    namespaced,
    validate,
    validateUpdate,
    prepareForCreate(obj) {
      // Upstream clears the status; the v1 defaults (SetDefaults_PersistentVolume(Claim)) give the phase Pending.
      obj.status = namespaced ? { phase: 'Pending' } : { phase: 'Pending', lastPhaseTransitionTime: rfc3339(now()) };
    },
    prepareForUpdate(obj, old) {
      obj.status = old.status;
    },
  });
}

// Upstream: core/validation (ValidatePersistentVolumeUpdate: the source and volumeMode may not change)
function validatePVUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs = validatePV(obj);
  const pick = (o: KubeObject) => Object.fromEntries(PV_SOURCES.map((k) => [k, specOf(o)[k]]));
  // Divergence: upstream appends a cmp.Diff of the two sources after a newline.
  if (!jsonEqual(pick(obj), pick(old))) errs.push(field.forbidden(field.newPath('spec', 'persistentvolumesource'), 'spec.persistentvolumesource is immutable after creation'));
  // Upstream's path for this one is `volumeMode`, not `spec.volumeMode`.
  if (specOf(obj).volumeMode !== specOf(old).volumeMode) errs.push(field.invalid(field.newPath('volumeMode'), specOf(obj).volumeMode ?? null, 'field is immutable'));
  return errs;
}

/** PersistentVolumes; `now` stamps status.lastPhaseTransitionTime (the API server's clock). */
export function persistentVolumeDef(now: () => number): ResourceDef {
  const main = volumeStrategy(false, validatePV, validatePVUpdate, now);
  return {
    ...base,
    group: '',
    resource: 'persistentvolumes',
    kind: 'PersistentVolume',
    ...kindNames('', 'PersistentVolume'),
    storagePrefix: 'persistentvolumes',
    typeName: '*core.PersistentVolume',
    strategy: main,
    // Upstream: persistentvolume/strategy.go (persistentvolumeStatusStrategy.PrepareForUpdate: a phase change stamps the transition time)
    statusStrategy: statusStrategy(main, {
      prepare(obj, old) {
        const status = asObj(obj.status);
        const oldStatus = asObj(old.status);
        if (status.phase !== oldStatus.phase) status.lastPhaseTransitionTime = rfc3339(now());
        obj.status = status;
      },
    }),
    defaults(obj) {
      const spec = asObj(obj.spec);
      if (spec.persistentVolumeReclaimPolicy === undefined) spec.persistentVolumeReclaimPolicy = 'Retain';
      if (spec.volumeMode === undefined) spec.volumeMode = 'Filesystem';
      if (spec.hostPath !== undefined && asObj(spec.hostPath).type === undefined) spec.hostPath = { ...asObj(spec.hostPath), type: '' };
      obj.spec = spec;
    },
    schema: schema.PersistentVolume,
  };
}

// ---- PersistentVolumeClaim -----------------------------------------------------------------------

const validatePVC = (obj: KubeObject) => validatePersistentVolumeClaimSpec(specOf(obj), field.newPath('spec'));

// Upstream: core/validation (ValidatePersistentVolumeClaimUpdate: only requests change, and volumeName while unbound)
function validatePVCUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs = validatePVC(obj);
  const a = deepCopy(specOf(obj));
  const b = deepCopy(specOf(old));
  for (const s of [a, b]) {
    const r = asObj(s.resources);
    delete r.requests;
    s.resources = r;
    delete s.volumeAttributesClassName;
  }
  if (!b.volumeName) {
    delete a.volumeName;
    delete b.volumeName;
  }
  // Divergence: upstream appends a cmp.Diff of the two specs after a newline.
  if (!jsonEqual(a, b)) errs.push(field.forbidden(field.newPath('spec'), 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'));
  return errs;
}

export const persistentVolumeClaimDef: ResourceDef = (() => {
  const main = volumeStrategy(true, validatePVC, validatePVCUpdate, () => 0);
  return {
    ...base,
    group: '',
    resource: 'persistentvolumeclaims',
    kind: 'PersistentVolumeClaim',
    ...kindNames('', 'PersistentVolumeClaim'),
    storagePrefix: 'persistentvolumeclaims',
    typeName: '*core.PersistentVolumeClaim',
    strategy: main,
    statusStrategy: statusStrategy(main),
    defaults(obj) {
      const spec = asObj(obj.spec);
      if (spec.volumeMode === undefined) spec.volumeMode = 'Filesystem';
      obj.spec = spec;
    },
    schema: schema.PersistentVolumeClaim,
  };
})();

// ---- StorageClass --------------------------------------------------------------------------------

const SC_RECLAIM_POLICIES = ['Delete', 'Retain'];
const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'];

// Upstream: storage/validation (ValidateStorageClass, validateProvisioner, validateReclaimPolicy, validateVolumeBindingMode)
export function validateStorageClass(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const p = field.newPath('provisioner');
  const provisioner = typeof obj.provisioner === 'string' ? obj.provisioner : '';
  if (provisioner === '') errs.push(field.required(p, ''));
  else for (const m of isQualifiedName(provisioner.toLowerCase())) errs.push(field.invalid(p, provisioner, m));
  const reclaim = obj.reclaimPolicy;
  if (typeof reclaim === 'string' && reclaim !== '' && !SC_RECLAIM_POLICIES.includes(reclaim)) errs.push(field.notSupported(field.newPath('reclaimPolicy'), reclaim, SC_RECLAIM_POLICIES));
  const mode = obj.volumeBindingMode;
  if (mode === undefined || mode === null) errs.push(field.required(field.newPath('volumeBindingMode'), ''));
  else if (!BINDING_MODES.includes(String(mode))) errs.push(field.notSupported(field.newPath('volumeBindingMode'), mode, BINDING_MODES));
  return errs;
}

// Upstream: storage/validation (ValidateStorageClassUpdate)
function validateStorageClassUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateStorageClass(obj);
  if (!jsonEqual(obj.parameters, old.parameters)) errs.push(field.forbidden(field.newPath('parameters'), 'updates to parameters are forbidden.'));
  if (obj.provisioner !== old.provisioner) errs.push(field.forbidden(field.newPath('provisioner'), 'updates to provisioner are forbidden.'));
  if (obj.reclaimPolicy !== old.reclaimPolicy) errs.push(field.forbidden(field.newPath('reclaimPolicy'), 'updates to reclaimPolicy are forbidden.'));
  if (obj.volumeBindingMode !== old.volumeBindingMode) errs.push(field.invalid(field.newPath('volumeBindingMode'), obj.volumeBindingMode ?? null, 'field is immutable'));
  return errs;
}

export const storageClassDef: ResourceDef = {
  ...base,
  group: 'storage.k8s.io',
  resource: 'storageclasses',
  kind: 'StorageClass',
  ...kindNames('storage.k8s.io', 'StorageClass'),
  storagePrefix: 'storageclasses',
  typeName: '*storage.StorageClass',
  // Upstream: pkg/registry/storage/storageclass/strategy.go (storageClassStrategy: cluster-scoped, nothing to reset)
  strategy: strategy({ namespaced: false, validate: validateStorageClass, validateUpdate: validateStorageClassUpdate }),
  // Upstream: pkg/apis/storage/v1/defaults.go (SetDefaults_StorageClass)
  defaults(obj) {
    if (obj.reclaimPolicy === undefined) obj.reclaimPolicy = 'Delete';
    if (obj.volumeBindingMode === undefined) obj.volumeBindingMode = 'Immediate';
  },
  schema: schema.StorageClass,
};
