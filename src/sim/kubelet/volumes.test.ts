/** emptyDir lifetime and subPath mounts (pkg/volume/emptydir empty_dir_test.go, kubelet_pods_test.go TestMakeMounts, reduced). */
import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/core/v1';
import { MountError, VolumeManager, emptyDirPath, newMemoryHostFs } from './volumes';

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
