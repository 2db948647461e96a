/** emptyDir lifetime and subPath mounts (pkg/volume/emptydir empty_dir_test.go, kubelet_pods_test.go TestMakeMounts, reduced). */
import { describe, expect, it } from 'vitest';
import type { PersistentVolume, PersistentVolumeClaim, Pod } from '../api/core/v1';
import { MountError, VolumeManager, emptyDirPath, newMemoryHostFs, resolveClaimVolumes } from './volumes';

const pod: Pod = {
  metadata: { name: 'web', namespace: 'default', uid: 'u1' },
  spec: {
    containers: [{ name: 'app', volumeMounts: [{ name: 'cache', mountPath: '/cache' }, { name: 'shm', mountPath: '/dev/shm' }, { name: 'cache', mountPath: '/logs', subPath: 'logs' }] }],
    volumes: [{ name: 'cache', emptyDir: {} }, { name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } }],
  },
};

describe('volumes', () => {
  it('makes emptyDir directories before containers start, Memory as a tmpfs of sizeLimit (TestEmptyDir)', () => {
    const fs = newMemoryHostFs();
    const vm = new VolumeManager(fs);
    vm.waitForAttachAndMount(pod);
    expect(emptyDirPath('u1', 'cache')).toBe('/var/lib/kubelet/pods/u1/volumes/kubernetes.io~empty-dir/cache');
    expect(fs.exists(emptyDirPath('u1', 'cache'))).toBe(true);
    expect(fs.tmpfs.get(emptyDirPath('u1', 'shm'))).toBe(64 * 1024 * 1024);
  });

  it('mounts volumeMounts, joining subPath and creating it (TestMakeMounts)', () => {
    const fs = newMemoryHostFs();
    const vm = new VolumeManager(fs);
    vm.waitForAttachAndMount(pod);
    expect(vm.makeMounts(pod, pod.spec.containers[0])).toEqual([
      { containerPath: '/cache', hostPath: emptyDirPath('u1', 'cache') },
      { containerPath: '/dev/shm', hostPath: emptyDirPath('u1', 'shm') },
      { containerPath: '/logs', hostPath: `${emptyDirPath('u1', 'cache')}/logs` },
    ]);
    expect(fs.exists(`${emptyDirPath('u1', 'cache')}/logs`)).toBe(true);
    expect(() => vm.makeMounts(pod, { name: 'x', volumeMounts: [{ name: 'cache', mountPath: '/x', subPath: '../etc' }] })).toThrow(MountError);
  });

  it('removes everything with the pod (TestEmptyDir teardown)', () => {
    const fs = newMemoryHostFs();
    const vm = new VolumeManager(fs);
    vm.waitForAttachAndMount(pod);
    vm.cleanupPod('u1');
    expect(fs.exists(emptyDirPath('u1', 'cache'))).toBe(false);
    expect(fs.tmpfs.size).toBe(0);
  });

  it('refuses a volume it cannot mount with the FailedMount wording', () => {
    const vm = new VolumeManager(newMemoryHostFs());
    expect(() => vm.waitForAttachAndMount({ ...pod, spec: { ...pod.spec, volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'pvc' } }] } })).toThrow('unmounted volumes=[data], unattached volumes=[data], failed to process volumes=[]: context deadline exceeded');
  });
});

// R1 (wt-pv): persistentVolumeClaim volumes (desired_state_of_world_populator.go getPVCExtractPV; hostpath / local mounters).
describe('volumes: persistentVolumeClaim', () => {
  const claimPod = (uid: string): Pod => ({
    metadata: { name: 'web-1', namespace: 'default', uid },
    spec: { containers: [{ name: 'app', volumeMounts: [{ name: 'data', mountPath: '/var/lib/broker' }] }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data-web-1' } }] },
  });
  const path = '/var/local-path-provisioner/pvc-c1_default_data-web-1';
  const claim = (phase: string, volumeName?: string): PersistentVolumeClaim => ({ metadata: { name: 'data-web-1', namespace: 'default', uid: 'c1' }, spec: { ...(volumeName ? { volumeName } : {}) }, status: { phase } });
  const volume = (uid: string, source: Record<string, unknown>): PersistentVolume => ({ metadata: { name: 'pvc-c1' }, spec: { claimRef: { namespace: 'default', name: 'data-web-1', uid }, ...source } });
  const source = (c?: PersistentVolumeClaim, v?: PersistentVolume) => ({ getClaim: async () => c, getVolume: async () => v });

  const cases: Array<{ name: string; claim?: PersistentVolumeClaim; volume?: PersistentVolume; want: string[] }> = [
    { name: 'a Bound claim of a hostPath PV resolves to its path', claim: claim('Bound', 'pvc-c1'), volume: volume('c1', { hostPath: { path, type: 'DirectoryOrCreate' } }), want: [`data ${path} create`] },
    { name: 'a Bound claim of a local PV resolves to its path (not created)', claim: claim('Bound', 'pvc-c1'), volume: volume('c1', { local: { path: '/mnt/disk1' } }), want: ['data /mnt/disk1'] },
    { name: 'a missing claim is left out (it fails to mount)', want: [] },
    { name: 'a Pending claim is left out', claim: claim('Pending'), want: [] },
    { name: "a PV whose claimRef is another claim's is left out", claim: claim('Bound', 'pvc-c1'), volume: volume('other', { hostPath: { path } }), want: [] },
  ];
  for (const c of cases) {
    it(`resolveClaimVolumes: ${c.name}`, async () => {
      const got = await resolveClaimVolumes(claimPod('p1'), source(c.claim, c.volume));
      expect([...got].map(([n, v]) => `${n} ${v.path}${v.create ? ' create' : ''}`)).toEqual(c.want);
    });
  }

  it('mounts the PV directory; the data stays when the pod goes, and the next pod of the claim sees it', async () => {
    const fs = newMemoryHostFs();
    const vm = new VolumeManager(fs);
    const src = source(claim('Bound', 'pvc-c1'), volume('c1', { hostPath: { path, type: 'DirectoryOrCreate' } }));
    vm.waitForAttachAndMount(claimPod('p1'), await resolveClaimVolumes(claimPod('p1'), src));
    expect(vm.makeMounts(claimPod('p1'), claimPod('p1').spec.containers[0])).toEqual([{ containerPath: '/var/lib/broker', hostPath: path }]);
    fs.mkdirAll(`${path}/topic-0`);
    vm.cleanupPod('p1');
    expect(fs.exists(`${path}/topic-0`)).toBe(true);
    vm.waitForAttachAndMount(claimPod('p2'), await resolveClaimVolumes(claimPod('p2'), src));
    expect(vm.getMountedVolumesForPod('p2').get('data')).toBe(path);
  });

  it('an unbound claim keeps the FailedMount wording; a local PV whose path is missing fails to mount', async () => {
    const vm = new VolumeManager(newMemoryHostFs());
    expect(() => vm.waitForAttachAndMount(claimPod('p1'), new Map())).toThrow('unmounted volumes=[data], unattached volumes=[data], failed to process volumes=[]: context deadline exceeded');
    const local = await resolveClaimVolumes(claimPod('p1'), source(claim('Bound', 'pvc-c1'), volume('c1', { local: { path: '/mnt/disk1' } })));
    expect(() => vm.waitForAttachAndMount(claimPod('p1'), local)).toThrow('MountVolume.NewMounter initialization failed for volume "pvc-c1" : path "/mnt/disk1" does not exist');
  });
});
