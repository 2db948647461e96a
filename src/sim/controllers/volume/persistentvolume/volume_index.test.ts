// TestMatchVolume, TestMatchingWithBoundVolumes, TestAllPossibleAccessModes and
// TestFindingVolumeWithDifferentAccessModes of pkg/controller/volume/persistentvolume/index_test.go,
// on the model's findBestMatchForClaim (volumes Available, as the v1.34 test data has them).
import { describe, expect, it } from 'vitest';
import type { PersistentVolume, PersistentVolumeClaim } from '../../../api/core/v1';
import { allPossibleMatchingAccessModes, findBestMatchForClaim } from './volume_index';

const RWO = 'ReadWriteOnce';
const ROX = 'ReadOnlyMany';
const RWX = 'ReadWriteMany';

function pv(uid: string, name: string, size: string, modes: string[], extra: { claimRef?: object; labels?: Record<string, string>; cls?: string } = {}): PersistentVolume {
  return {
    metadata: { uid, name, ...(extra.labels ? { labels: extra.labels } : {}) },
    spec: { capacity: { storage: size }, accessModes: modes, ...(extra.claimRef ? { claimRef: extra.claimRef } : {}), ...(extra.cls ? { storageClassName: extra.cls } : {}) },
    status: { phase: 'Available' },
  };
}

/** Go: `createTestVolumes` (deliberately out of order). */
function createTestVolumes(): PersistentVolume[] {
  return [
    pv('gce-pd-10', 'gce003', '10G', [RWO, ROX]),
    pv('gce-pd-20', 'gce004', '20G', [RWO, ROX], { claimRef: { uid: 'def456' } }),
    pv('nfs-5', 'nfs002', '5G', [RWO, ROX, RWX]),
    pv('gce-pd-1', 'gce001', '1G', [RWO, ROX], { claimRef: { uid: 'abc123' } }),
    pv('nfs-10', 'nfs003', '10G', [RWO, ROX, RWX]),
    pv('gce-pd-5', 'gce002', '5G', [RWO, ROX]),
    pv('nfs-1', 'nfs001', '1G', [RWO, ROX, RWX]),
    pv('gce-pd-2', 'gce0022', '20000G', [RWO], { labels: { 'should-exist': 'true' } }),
    pv('gce-pd-silver1', 'gce0023', '10000G', [RWO], { labels: { 'should-exist': 'true' }, cls: 'silver' }),
    pv('gce-pd-silver2', 'gce0024', '100G', [RWO], { cls: 'silver' }),
    pv('gce-pd-gold', 'gce0025', '50G', [RWO], { cls: 'gold' }),
  ];
}

function makePVC(size: string, mod?: (c: PersistentVolumeClaim) => void): PersistentVolumeClaim {
  const c: PersistentVolumeClaim = { metadata: { name: 'claim01', namespace: 'myns' }, spec: { accessModes: [ROX, RWO], resources: { requests: { storage: size } } } };
  mod?.(c);
  return c;
}

describe('persistentvolume index: TestMatchVolume (index_test.go)', () => {
  const scenarios: Array<{ name: string; expectedMatch: string; claim: PersistentVolumeClaim }> = [
    { name: 'successful-match-gce-10', expectedMatch: 'gce-pd-10', claim: makePVC('8G') },
    { name: 'successful-match-nfs-5', expectedMatch: 'nfs-5', claim: makePVC('5G', (c) => (c.spec.accessModes = [ROX, RWO, RWX])) },
    { name: 'successful-skip-1g-bound-volume', expectedMatch: 'gce-pd-5', claim: makePVC('1G') },
    { name: 'successful-no-match', expectedMatch: '', claim: makePVC('999G') },
    { name: 'successful-no-match-due-to-label', expectedMatch: '', claim: makePVC('999G', (c) => (c.spec.selector = { matchLabels: { 'should-not-exist': 'true' } })) },
    { name: 'successful-no-match-due-to-size-constraint-with-label-selector', expectedMatch: '', claim: makePVC('20000G', (c) => ((c.spec.selector = { matchLabels: { 'should-exist': 'true' } }), (c.spec.accessModes = [ROX, RWO]))) },
    { name: 'successful-match-due-with-constraint-and-label-selector', expectedMatch: 'gce-pd-2', claim: makePVC('20000G', (c) => ((c.spec.selector = { matchLabels: { 'should-exist': 'true' } }), (c.spec.accessModes = [RWO]))) },
    { name: 'successful-match-with-class', expectedMatch: 'gce-pd-silver1', claim: makePVC('1G', (c) => ((c.spec.selector = { matchLabels: { 'should-exist': 'true' } }), (c.spec.accessModes = [RWO]), (c.spec.storageClassName = 'silver'))) },
    { name: 'successful-match-with-class-and-labels', expectedMatch: 'gce-pd-silver2', claim: makePVC('1G', (c) => ((c.spec.accessModes = [RWO]), (c.spec.storageClassName = 'silver'))) },
    { name: 'successful-no-match-class-unknown', expectedMatch: '', claim: makePVC('1G', (c) => (c.spec.storageClassName = 'bronze')) },
  ];
  const volumes = createTestVolumes();
  for (const s of scenarios) {
    it(s.name, () => {
      expect(findBestMatchForClaim(volumes, s.claim, false)?.metadata.uid ?? '').toBe(s.expectedMatch);
    });
  }

  it('TestMatchingWithBoundVolumes: the unbound of two equal volumes', () => {
    const vols = [pv('gce-pd-1', 'gce001', '1G', [RWO, ROX], { claimRef: { uid: 'abc123' } }), pv('gce-pd-2', 'gce002', '1G', [RWO, ROX])];
    expect(findBestMatchForClaim(vols, makePVC('1G'), false)?.metadata.name).toBe('gce002');
  });

  it('TestAllPossibleAccessModes: three mode sets hold RWO, one holds RWX', () => {
    const vols = createTestVolumes();
    expect(allPossibleMatchingAccessModes(vols, [RWO]).length).toBe(3);
    expect(allPossibleMatchingAccessModes(vols, [RWX])).toEqual([[ROX, RWX, RWO].sort()]);
  });

  it('TestFindingVolumeWithDifferentAccessModes: the fewest modes that cover the claim win', () => {
    const gce = pv('001', 'gce', '10G', [RWO, ROX]);
    const ebs = pv('002', 'ebs', '10G', [RWO]);
    const nfs = pv('003', 'nfs', '10G', [RWO, ROX, RWX]);
    const claim = makePVC('1G', (c) => (c.spec.accessModes = [RWO]));
    expect(findBestMatchForClaim([gce, ebs, nfs], claim, false)?.metadata.name).toBe('ebs');
    claim.spec.accessModes = [RWO, ROX];
    expect(findBestMatchForClaim([gce, ebs, nfs], claim, false)?.metadata.name).toBe('gce');
    claim.spec.accessModes = [RWX, RWO, ROX];
    expect(findBestMatchForClaim([gce, ebs, nfs], claim, false)?.metadata.name).toBe('nfs');
    claim.spec.accessModes = [RWX];
    expect(findBestMatchForClaim([gce, ebs, nfs], claim, false)?.metadata.name).toBe('nfs');
    ebs.spec.claimRef = {};
    claim.spec.accessModes = [RWO];
    expect(findBestMatchForClaim([gce, ebs, nfs], claim, false)?.metadata.name).toBe('gce');
    gce.spec.claimRef = {};
    expect(findBestMatchForClaim([gce, ebs, nfs], claim, false)?.metadata.name).toBe('nfs');
    gce.spec.claimRef = undefined;
    claim.spec.accessModes = [ROX];
    expect(findBestMatchForClaim([gce, ebs, nfs], claim, false)?.metadata.name).toBe('gce');
  });

  it('delayed binding: only a volume pre-bound to the claim is taken', () => {
    const claim = makePVC('1G', (c) => (c.spec.accessModes = [RWO]));
    const free = pv('a', 'free', '5G', [RWO]);
    expect(findBestMatchForClaim([free], claim, true)).toBeNull();
    const pre = pv('b', 'pre', '5G', [RWO], { claimRef: { namespace: 'myns', name: 'claim01' } });
    expect(findBestMatchForClaim([free, pre], claim, true)?.metadata.name).toBe('pre');
  });
});
