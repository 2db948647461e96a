import { describe, expect, it } from 'vitest';
import { ContainerFs, HostFs } from './fs';

describe('HostFs: the node files behind volumes', () => {
  it('implements the kubelet\'s HostFs seam (mkdirAll, mountTmpfs, unmount, removeAll, exists)', () => {
    const fs = new HostFs();
    const dir = '/var/lib/kubelet/pods/u/volumes/kubernetes.io~empty-dir/cache';
    fs.mountTmpfs(dir, 1024);
    expect(fs.exists(dir)).toBe(true);
    expect(fs.isTmpfs(`${dir}/x`)).toBe(true);
    expect(fs.write(`${dir}/a`, 'x'.repeat(1000))).toBeUndefined();
    expect(fs.write(`${dir}/b`, 'x'.repeat(100))).toBe('No space left on device');
    expect(fs.write(`${dir}/a`, 'y'.repeat(1024))).toBeUndefined(); // overwriting frees the old bytes
    fs.unmount(dir);
    expect(fs.exists(`${dir}/a`)).toBe(false);
    expect(fs.isTmpfs(dir)).toBe(false);
    fs.removeAll('/var/lib/kubelet/pods/u');
    expect(fs.exists('/var/lib/kubelet/pods/u')).toBe(false);
    fs.removeAll('/nope');
    fs.mkdirAll('/a/b/c');
    expect(fs.list('/a')).toEqual(['b']);
  });

  it('a container sees mounts over its own writable layer, longest mount first', () => {
    const host = new HostFs();
    host.mkdirAll('/vol/sub');
    const c = new ContainerFs(host, [
      { containerPath: '/data', hostPath: '/vol', readonly: false },
      { containerPath: '/data/inner', hostPath: '/vol/sub', readonly: true },
    ]);
    expect(c.write('/data/f', '1')).toBeUndefined();
    expect(host.read('/vol/f')?.text).toBe('1');
    expect(c.write('/data/inner/g', '2')).toBe('Read-only file system');
    expect(c.write('/tmp/h', '3')).toBeUndefined();
    expect(host.exists('/tmp/h')).toBe(false);
    expect(c.write('/missing/dir/f', '4')).toBe('No such file or directory');
  });
});
