// TestSync of pkg/controller/volume/persistentvolume/binder_test.go (unit test sets 1-4) and the
// external provisioning cases of provision_test.go, on the model's controller: each case syncs one
// claim or volume and compares the stored objects and the events with upstream's expectations.
import { describe, expect, it } from 'vitest';
import type { PersistentVolume, PersistentVolumeClaim, Pod } from '../../../api/core/v1';
import { AnnBindCompleted as BC, AnnBoundByController as BBC, AnnDynamicallyProvisioned, AnnSelectedNode, AnnStorageProvisioner } from './helpers';
import { claimSummary, classEmpty, classExternal, classWait, newClaim, newTestController, newVolume, volumeSummary } from './testing';

interface Case {
  name: string;
  volumes: PersistentVolume[];
  claims: PersistentVolumeClaim[];
  /** Summaries after the sync (volumeSummary / claimSummary). */
  expectedVolumes: string[];
  expectedClaims: string[];
  events?: string[];
  error?: RegExp;
  sync: 'claim' | 'volume';
  pods?: Pod[];
}

const R = 'Retain';
const withSelectedNode = (c: PersistentVolumeClaim) => ({ ...c, metadata: { ...c.metadata, annotations: { ...(c.metadata.annotations ?? {}), [AnnSelectedNode]: 'node1' } } });
const withAccessModes = (modes: string[], c: PersistentVolumeClaim) => ({ ...c, spec: { ...c.spec, accessModes: modes } });
const provisioned = (pv: PersistentVolume) => ({ ...pv, metadata: { ...pv.metadata, annotations: { ...(pv.metadata.annotations ?? {}), [AnnDynamicallyProvisioned]: 'vendor.com/my-volume' } } });

const cases: Case[] = [
  // [Unit test set 1] the user did not care which PV they get.
  { name: '1-1 - successful bind', sync: 'claim', volumes: [newVolume('volume1-1', '1Gi', '', '', 'Available', R, classEmpty)], claims: [newClaim('claim1-1', 'uid1-1', '1Gi', '', 'Pending', null)], expectedVolumes: ['volume1-1 claim=claim1-1/uid1-1 phase=Bound boundByController'], expectedClaims: ['claim1-1 volume=volume1-1 phase=Bound boundByController bindCompleted capacity=1Gi'], events: [] },
  { name: '1-2 - noop', sync: 'claim', volumes: [newVolume('volume1-2', '1Gi', '', '', 'Available', R, classEmpty)], claims: [newClaim('claim1-2', 'uid1-2', '10Gi', '', 'Pending', null)], expectedVolumes: ['volume1-2 claim=/ phase=Available'], expectedClaims: ['claim1-2 volume= phase=Pending'], events: ['Normal FailedBinding'] },
  { name: '1-3 - reset to Pending', sync: 'claim', volumes: [newVolume('volume1-3', '1Gi', '', '', 'Available', R, classEmpty)], claims: [newClaim('claim1-3', 'uid1-3', '10Gi', '', 'Bound', null)], expectedVolumes: ['volume1-3 claim=/ phase=Available'], expectedClaims: ['claim1-3 volume= phase=Pending'], events: ['Normal FailedBinding'] },
  {
    name: '1-4 - smallest volume', sync: 'claim',
    volumes: [newVolume('volume1-4_1', '10Gi', '', '', 'Available', R, classEmpty), newVolume('volume1-4_2', '1Gi', '', '', 'Available', R, classEmpty)],
    claims: [newClaim('claim1-4', 'uid1-4', '1Gi', '', 'Pending', null)],
    expectedVolumes: ['volume1-4_1 claim=/ phase=Available', 'volume1-4_2 claim=claim1-4/uid1-4 phase=Bound boundByController'],
    expectedClaims: ['claim1-4 volume=volume1-4_2 phase=Bound boundByController bindCompleted capacity=1Gi'], events: [],
  },
  {
    name: '1-5 - prebound volume by name - success', sync: 'claim',
    volumes: [newVolume('volume1-5_1', '10Gi', '', 'claim1-5', 'Available', R, classEmpty), newVolume('volume1-5_2', '1Gi', '', '', 'Available', R, classEmpty)],
    claims: [newClaim('claim1-5', 'uid1-5', '1Gi', '', 'Pending', null)],
    expectedVolumes: ['volume1-5_1 claim=claim1-5/uid1-5 phase=Bound', 'volume1-5_2 claim=/ phase=Available'],
    expectedClaims: ['claim1-5 volume=volume1-5_1 phase=Bound boundByController bindCompleted capacity=10Gi'], events: [],
  },
  {
    name: '1-6 - prebound volume by UID - success', sync: 'claim',
    volumes: [newVolume('volume1-6_1', '10Gi', 'uid1-6', 'claim1-6', 'Available', R, classEmpty), newVolume('volume1-6_2', '1Gi', '', '', 'Available', R, classEmpty)],
    claims: [newClaim('claim1-6', 'uid1-6', '1Gi', '', 'Pending', null)],
    expectedVolumes: ['volume1-6_1 claim=claim1-6/uid1-6 phase=Bound', 'volume1-6_2 claim=/ phase=Available'],
    expectedClaims: ['claim1-6 volume=volume1-6_1 phase=Bound boundByController bindCompleted capacity=10Gi'], events: [],
  },
  { name: '1-7 - prebound volume to different claim', sync: 'claim', volumes: [newVolume('volume1-7', '10Gi', 'uid1-777', 'claim1-7', 'Available', R, classEmpty)], claims: [newClaim('claim1-7', 'uid1-7', '1Gi', '', 'Pending', null)], expectedVolumes: ['volume1-7 claim=claim1-7/uid1-777 phase=Available'], expectedClaims: ['claim1-7 volume= phase=Pending'], events: ['Normal FailedBinding'] },
  { name: '1-8 - complete bind after crash - PV bound', sync: 'claim', volumes: [newVolume('volume1-8', '1Gi', 'uid1-8', 'claim1-8', 'Available', R, classEmpty, BBC)], claims: [newClaim('claim1-8', 'uid1-8', '1Gi', '', 'Pending', null)], expectedVolumes: ['volume1-8 claim=claim1-8/uid1-8 phase=Bound boundByController'], expectedClaims: ['claim1-8 volume=volume1-8 phase=Bound boundByController bindCompleted capacity=1Gi'], events: [] },
  { name: '1-9 - complete bind after crash - PV status saved', sync: 'claim', volumes: [newVolume('volume1-9', '1Gi', 'uid1-9', 'claim1-9', 'Bound', R, classEmpty, BBC)], claims: [newClaim('claim1-9', 'uid1-9', '1Gi', '', 'Pending', null)], expectedVolumes: ['volume1-9 claim=claim1-9/uid1-9 phase=Bound boundByController'], expectedClaims: ['claim1-9 volume=volume1-9 phase=Bound boundByController bindCompleted capacity=1Gi'], events: [] },
  { name: '1-10 - complete bind after crash - PVC bound', sync: 'claim', volumes: [newVolume('volume1-10', '1Gi', 'uid1-10', 'claim1-10', 'Bound', R, classEmpty, BBC)], claims: [newClaim('claim1-10', 'uid1-10', '1Gi', 'volume1-10', 'Pending', null, BBC, BC)], expectedVolumes: ['volume1-10 claim=claim1-10/uid1-10 phase=Bound boundByController'], expectedClaims: ['claim1-10 volume=volume1-10 phase=Bound boundByController bindCompleted capacity=1Gi'], events: [] },
  { name: '1-13 - delayed binding', sync: 'claim', volumes: [newVolume('volume1-1', '1Gi', '', '', 'Available', R, classWait)], claims: [newClaim('claim1-1', 'uid1-1', '1Gi', '', 'Pending', classWait)], expectedVolumes: ['volume1-1 claim=/ phase=Available'], expectedClaims: ['claim1-1 volume= phase=Pending'], events: ['Normal WaitForFirstConsumer'] },
  { name: '1-14 - successful prebound PV', sync: 'claim', volumes: [newVolume('volume1-1', '1Gi', '', 'claim1-1', 'Available', R, classWait)], claims: [newClaim('claim1-1', 'uid1-1', '1Gi', '', 'Pending', classWait)], expectedVolumes: ['volume1-1 claim=claim1-1/uid1-1 phase=Bound'], expectedClaims: ['claim1-1 volume=volume1-1 phase=Bound boundByController bindCompleted capacity=1Gi'], events: [] },
  {
    name: '1-15 - successful prebound PVC', sync: 'claim',
    volumes: [newVolume('volume1-15_1', '10Gi', '', '', 'Available', R, classEmpty), newVolume('volume1-15_2', '1Gi', '', '', 'Available', R, classEmpty)],
    claims: [newClaim('claim1-15', 'uid1-15', '1Gi', 'volume1-15_1', 'Pending', null)],
    expectedVolumes: ['volume1-15_1 claim=claim1-15/uid1-15 phase=Bound boundByController', 'volume1-15_2 claim=/ phase=Available'],
    expectedClaims: ['claim1-15 volume=volume1-15_1 phase=Bound bindCompleted capacity=10Gi'], events: [],
  },
  // v1.34 reports the mismatch (checkVolumeSatisfyClaim) where the older test expected no event.
  { name: '1-16 - successful prebound PVC (different access mode: not bound)', sync: 'claim', volumes: [newVolume('volume1-16', '1Gi', '', '', 'Available', R, classEmpty)], claims: [withAccessModes(['ReadWriteMany'], newClaim('claim1-16', 'uid1-16', '1Gi', 'volume1-16', 'Pending', null))], expectedVolumes: ['volume1-16 claim=/ phase=Available'], expectedClaims: ['claim1-16 volume=volume1-16 phase=Pending'], events: ['Warning VolumeMismatch'] },
  {
    name: "1-17 - skip non-available PV if it's not pre-bind", sync: 'claim',
    volumes: [newVolume('volume1-17-pending', '1Gi', '', '', 'Pending', R, classEmpty), newVolume('volume1-17-failed', '1Gi', '', '', 'Failed', R, classEmpty), newVolume('volume1-17-released', '1Gi', '', '', 'Released', R, classEmpty), newVolume('volume1-17-empty', '1Gi', '', '', '', R, classEmpty)],
    claims: [newClaim('claim1-17', 'uid1-17', '1Gi', '', 'Pending', null)],
    expectedVolumes: ['volume1-17-empty claim=/ phase=', 'volume1-17-failed claim=/ phase=Failed', 'volume1-17-pending claim=/ phase=Pending', 'volume1-17-released claim=/ phase=Released'],
    expectedClaims: ['claim1-17 volume= phase=Pending'], events: ['Normal FailedBinding'],
  },
  { name: '1-18 - successful pre-bound PV to PVC provisioning', sync: 'claim', volumes: [newVolume('volume1-18', '1Gi', 'uid1-18', 'claim1-18', 'Available', R, classWait)], claims: [withSelectedNode(newClaim('claim1-18', 'uid1-18', '1Gi', '', 'Pending', classWait))], expectedVolumes: ['volume1-18 claim=claim1-18/uid1-18 phase=Bound'], expectedClaims: ['claim1-18 volume=volume1-18 phase=Bound boundByController bindCompleted capacity=1Gi'], events: [] },
  // [Unit test set 2] the user asked for a specific PV.
  { name: '2-1 - claim prebound to non-existing volume - noop', sync: 'claim', volumes: [], claims: [newClaim('claim2-1', 'uid2-1', '10Gi', 'volume2-1', 'Pending', null)], expectedVolumes: [], expectedClaims: ['claim2-1 volume=volume2-1 phase=Pending'], events: [] },
  { name: '2-2 - claim prebound to non-existing volume - reset status', sync: 'claim', volumes: [], claims: [newClaim('claim2-2', 'uid2-2', '10Gi', 'volume2-2', 'Bound', null)], expectedVolumes: [], expectedClaims: ['claim2-2 volume=volume2-2 phase=Pending'], events: [] },
  { name: '2-3 - claim prebound to unbound volume', sync: 'claim', volumes: [newVolume('volume2-3', '1Gi', '', '', 'Available', R, classEmpty)], claims: [newClaim('claim2-3', 'uid2-3', '1Gi', 'volume2-3', 'Pending', null)], expectedVolumes: ['volume2-3 claim=claim2-3/uid2-3 phase=Bound boundByController'], expectedClaims: ['claim2-3 volume=volume2-3 phase=Bound bindCompleted capacity=1Gi'], events: [] },
  { name: '2-4 - claim prebound to prebound volume by name', sync: 'claim', volumes: [newVolume('volume2-4', '1Gi', '', 'claim2-4', 'Available', R, classEmpty)], claims: [newClaim('claim2-4', 'uid2-4', '1Gi', 'volume2-4', 'Pending', null)], expectedVolumes: ['volume2-4 claim=claim2-4/uid2-4 phase=Bound'], expectedClaims: ['claim2-4 volume=volume2-4 phase=Bound bindCompleted capacity=1Gi'], events: [] },
  { name: '2-8 - claim prebound to volume that is bound by user to another claim', sync: 'claim', volumes: [newVolume('volume2-8', '1Gi', 'uid2-8-other', 'claim2-8-other', 'Bound', R, classEmpty)], claims: [newClaim('claim2-8', 'uid2-8', '10Gi', 'volume2-8', 'Bound', null)], expectedVolumes: ['volume2-8 claim=claim2-8-other/uid2-8-other phase=Bound'], expectedClaims: ['claim2-8 volume=volume2-8 phase=Pending'], events: ['Warning FailedBinding'] },
  // [Unit test set 3] bound claims.
  { name: '3-1 - bound claim with missing VolumeName', sync: 'claim', volumes: [], claims: [newClaim('claim3-1', 'uid3-1', '10Gi', '', 'Bound', null, BBC, BC)], expectedVolumes: [], expectedClaims: ['claim3-1 volume= phase=Lost boundByController bindCompleted'], events: ['Warning ClaimLost'] },
  { name: '3-2 - bound claim with missing volume', sync: 'claim', volumes: [], claims: [newClaim('claim3-2', 'uid3-2', '10Gi', 'volume3-2', 'Bound', null, BBC, BC)], expectedVolumes: [], expectedClaims: ['claim3-2 volume=volume3-2 phase=Lost boundByController bindCompleted'], events: ['Warning ClaimLost'] },
  { name: '3-3 - bound claim with unbound volume', sync: 'claim', volumes: [newVolume('volume3-3', '10Gi', '', '', 'Pending', R, classEmpty)], claims: [newClaim('claim3-3', 'uid3-3', '10Gi', 'volume3-3', 'Pending', null, BBC, BC)], expectedVolumes: ['volume3-3 claim=claim3-3/uid3-3 phase=Bound boundByController'], expectedClaims: ['claim3-3 volume=volume3-3 phase=Bound boundByController bindCompleted capacity=10Gi'], events: [] },
  { name: '3-5 - bound claim with bound volume', sync: 'claim', volumes: [newVolume('volume3-5', '10Gi', 'uid3-5', 'claim3-5', 'Available', R, classEmpty)], claims: [newClaim('claim3-5', 'uid3-5', '10Gi', 'volume3-5', 'Pending', null, BC)], expectedVolumes: ['volume3-5 claim=claim3-5/uid3-5 phase=Bound'], expectedClaims: ['claim3-5 volume=volume3-5 phase=Bound bindCompleted capacity=10Gi'], events: [] },
  { name: '3-6 - bound claim with bound volume (another claim)', sync: 'claim', volumes: [newVolume('volume3-6', '10Gi', 'uid3-6-x', 'claim3-6-x', 'Available', R, classEmpty)], claims: [newClaim('claim3-6', 'uid3-6', '10Gi', 'volume3-6', 'Bound', null, BC)], expectedVolumes: ['volume3-6 claim=claim3-6-x/uid3-6-x phase=Available'], expectedClaims: ['claim3-6 volume=volume3-6 phase=Lost bindCompleted'], events: ['Warning ClaimMisbound'] },
  // [Unit test set 4] volumes.
  { name: '4-1 - volume is Available', sync: 'volume', volumes: [newVolume('volume4-1', '10Gi', '', '', 'Pending', R, classEmpty)], claims: [], expectedVolumes: ['volume4-1 claim=/ phase=Available'], expectedClaims: [], events: [] },
  { name: '4-2 - volume is Available (pre-bound by name)', sync: 'volume', volumes: [newVolume('volume4-2', '10Gi', '', 'claim4-2', 'Pending', R, classEmpty)], claims: [], expectedVolumes: ['volume4-2 claim=claim4-2/ phase=Available'], expectedClaims: [], events: [] },
  { name: '4-3 - volume is Released (its claim is gone)', sync: 'volume', volumes: [newVolume('volume4-3', '10Gi', 'uid4-3', 'claim4-3', 'Bound', R, classEmpty)], claims: [], expectedVolumes: ['volume4-3 claim=claim4-3/uid4-3 phase=Released'], expectedClaims: [], events: [] },
  { name: '4-4 - volume is Released (a new claim of the same name)', sync: 'volume', volumes: [newVolume('volume4-4', '10Gi', 'uid4-4', 'claim4-4', 'Bound', R, classEmpty)], claims: [newClaim('claim4-4', 'uid4-4-x', '10Gi', '', 'Pending', null)], expectedVolumes: ['volume4-4 claim=claim4-4/uid4-4 phase=Released'], expectedClaims: ['claim4-4 volume= phase=Pending'], events: [] },
  { name: '4-5 - volume is Bound (its claim points to it)', sync: 'volume', volumes: [newVolume('volume4-5', '10Gi', 'uid4-5', 'claim4-5', 'Available', R, classEmpty)], claims: [newClaim('claim4-5', 'uid4-5', '10Gi', 'volume4-5', 'Bound', null, BC)], expectedVolumes: ['volume4-5 claim=claim4-5/uid4-5 phase=Bound'], expectedClaims: ['claim4-5 volume=volume4-5 phase=Bound bindCompleted'], events: [] },
  { name: '4-7 - volume bound by controller to a claim bound elsewhere: unbound', sync: 'volume', volumes: [newVolume('volume4-7', '10Gi', 'uid4-7', 'claim4-7', 'Bound', R, classEmpty, BBC)], claims: [newClaim('claim4-7', 'uid4-7', '10Gi', 'volume4-7-x', 'Bound', null, BC)], expectedVolumes: ['volume4-7 claim=/ phase=Available'], expectedClaims: ['claim4-7 volume=volume4-7-x phase=Bound bindCompleted'], events: [] },
  { name: '4-8 - volume bound by user to a claim bound elsewhere: uid cleared', sync: 'volume', volumes: [newVolume('volume4-8', '10Gi', 'uid4-8', 'claim4-8', 'Bound', R, classEmpty)], claims: [newClaim('claim4-8', 'uid4-8', '10Gi', 'volume4-8-x', 'Bound', null, BC)], expectedVolumes: ['volume4-8 claim=claim4-8/ phase=Available'], expectedClaims: ['claim4-8 volume=volume4-8-x phase=Bound bindCompleted'], events: [] },
  { name: '4-9 - provisioned volume whose claim is bound elsewhere: Released', sync: 'volume', volumes: [provisioned(newVolume('volume4-9', '10Gi', 'uid4-9', 'claim4-9', 'Bound', 'Delete', classEmpty, BBC))], claims: [newClaim('claim4-9', 'uid4-9', '10Gi', 'volume4-9-x', 'Bound', null, BC)], expectedVolumes: ['volume4-9 claim=claim4-9/uid4-9 phase=Released boundByController'], expectedClaims: ['claim4-9 volume=volume4-9-x phase=Bound bindCompleted'], events: [] },
  // provision_test.go: an external provisioner is asked for (the claim annotated, ExternalProvisioning reported).
  { name: '11-17 - external provisioner requested', sync: 'claim', volumes: [], claims: [newClaim('claim11-17', 'uid11-17', '1Gi', '', 'Pending', classExternal)], expectedVolumes: [], expectedClaims: ['claim11-17 volume= phase=Pending'], events: ['Normal ExternalProvisioning'] },
  { name: '11-20 - class not found: ProvisioningFailed', sync: 'claim', volumes: [], claims: [newClaim('claim11-20', 'uid11-20', '1Gi', '', 'Pending', 'non-existing')], expectedVolumes: [], expectedClaims: ['claim11-20 volume= phase=Pending'], events: ['Warning ProvisioningFailed'], error: /storageclass.storage.k8s.io "non-existing" not found/ },
  { name: '11-21 - in-tree no-provisioner with a selected node: ProvisioningFailed', sync: 'claim', volumes: [], claims: [withSelectedNode(newClaim('claim11-21', 'uid11-21', '1Gi', '', 'Pending', classWait))], expectedVolumes: [], expectedClaims: ['claim11-21 volume= phase=Pending'], events: ['Warning ProvisioningFailed'], error: /no volume plugin matched name: kubernetes.io\/no-provisioner/ },
  // emitEventForUnboundDelayBindingClaim: a pod waits for the scheduler.
  {
    name: '1-13b - delayed binding with an unscheduled pod: WaitForPodScheduled', sync: 'claim', volumes: [], claims: [newClaim('claim1-1', 'uid1-1', '1Gi', '', 'Pending', classWait)], expectedVolumes: [], expectedClaims: ['claim1-1 volume= phase=Pending'], events: ['Normal WaitForPodScheduled'],
    pods: [{ metadata: { name: 'pod1', namespace: 'default' }, spec: { containers: [], volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'claim1-1' } }] } } as unknown as Pod],
  },
];

describe('persistentvolume controller: TestSync (binder_test.go)', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const t = newTestController(c.volumes, c.claims, { pods: c.pods });
      const run = c.sync === 'claim' ? t.ctrl.syncClaim(t.ctrl.claims.get(`default/${c.claims[0].metadata.name}`)!) : t.ctrl.syncVolume(t.ctrl.volumes.get(c.volumes[0].metadata.name ?? '')!);
      if (c.error) await expect(run).rejects.toThrow(c.error);
      else await run;
      expect([...t.api.volumes.values()].map(volumeSummary).sort()).toEqual(c.expectedVolumes);
      expect([...t.api.claims.values()].map(claimSummary).sort()).toEqual(c.expectedClaims);
      if (c.events) expect(t.events).toEqual(c.events);
    });
  }

  it('11-17 - the claim carries both provisioner annotations', async () => {
    const t = newTestController([], [newClaim('claim11-17', 'uid11-17', '1Gi', '', 'Pending', classExternal)]);
    await t.ctrl.syncClaim(t.ctrl.claims.get('default/claim11-17')!);
    const ann = t.api.claims.get('default/claim11-17')!.metadata.annotations ?? {};
    expect(ann[AnnStorageProvisioner]).toBe('vendor.com/my-volume');
    expect(ann['volume.beta.kubernetes.io/storage-provisioner']).toBe('vendor.com/my-volume');
  });

  it('4-6 - a volume bound on its side only asks for its claim to be synced (how a provisioned volume gets bound)', async () => {
    const t = newTestController([newVolume('volume4-6', '10Gi', 'uid4-6', 'claim4-6', 'Available', R, classEmpty)], [newClaim('claim4-6', 'uid4-6', '10Gi', '', 'Pending', null)]);
    await t.ctrl.syncVolume(t.ctrl.volumes.get('volume4-6')!);
    expect(t.enqueued).toEqual(['default/claim4-6']);
  });

  it('assignDefaultStorageClass: a claim without a class gets the default one, then the next sync provisions', async () => {
    const classes = [{ metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'rancher.io/local-path', volumeBindingMode: 'WaitForFirstConsumer' as const }];
    const t = newTestController([], [newClaim('claim-d', 'uid-d', '1Gi', '', 'Pending', null)], { classes });
    await t.ctrl.syncClaim(t.ctrl.claims.get('default/claim-d')!);
    expect(t.api.claims.get('default/claim-d')!.spec.storageClassName).toBe('standard');
    await t.ctrl.syncClaim(t.ctrl.claims.get('default/claim-d')!);
    expect(t.events).toEqual(['Normal WaitForFirstConsumer']);
  });
});
