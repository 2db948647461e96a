import { describe, expect, it } from 'vitest';
import { IMAGE_CATALOG, NGINX_INDEX_HTML, findImage, normalizeImageRef, processArgs } from './images';

describe('image references (distribution/reference ParseNormalizedNamed + TagNameOnly)', () => {
  it.each([
    ['nginx', 'docker.io/library/nginx:latest'],
    ['nginx:1.27', 'docker.io/library/nginx:1.27'],
    ['library/nginx', 'docker.io/library/nginx:latest'],
    ['docker.io/nginx', 'docker.io/library/nginx:latest'],
    ['polinux/stress', 'docker.io/polinux/stress:latest'],
    ['registry.k8s.io/pause:3.10', 'registry.k8s.io/pause:3.10'],
    ['localhost/app', 'localhost/app:latest'],
    ['localhost:5000/app:1', 'localhost:5000/app:1'],
    ['registry.k8s.io/e2e-test-images/agnhost:2.53', 'registry.k8s.io/e2e-test-images/agnhost:2.53'],
  ])('%s -> %s', (input, want) => {
    const r = normalizeImageRef(input);
    expect(r.ok && r.ref).toBe(want);
  });

  it.each(['Nginx', 'nginx:', 'nginx@sha256:abc', ':1', 'a//b'])('%j is an invalid reference format', (input) => {
    expect(normalizeImageRef(input)).toEqual({ ok: false, error: 'invalid reference format' });
  });

  it('docker.io/nginx normalises to the catalog entry the kubelab images use', () => {
    const r = normalizeImageRef('docker.io/nginx');
    expect(r.ok && findImage(IMAGE_CATALOG, r.ref)?.entrypoint).toEqual(['/docker-entrypoint.sh']);
  });
});

describe('the catalog', () => {
  it('has the real images\' ENTRYPOINT / CMD / STOPSIGNAL', () => {
    const get = (ref: string) => findImage(IMAGE_CATALOG, ref)!;
    expect(get('docker.io/library/nginx:1.27')).toMatchObject({ entrypoint: ['/docker-entrypoint.sh'], cmd: ['nginx', '-g', 'daemon off;'], stopSignal: 'SIGQUIT', exposedPorts: [80] });
    expect(get('docker.io/library/busybox:1.36')).toMatchObject({ cmd: ['sh'] });
    expect(get('docker.io/library/busybox:1.36').entrypoint).toBeUndefined();
    expect(get('registry.k8s.io/pause:3.10')).toMatchObject({ entrypoint: ['/pause'] });
    expect(get('registry.k8s.io/e2e-test-images/agnhost:2.53')).toMatchObject({ entrypoint: ['/agnhost'] });
    expect(NGINX_INDEX_HTML).toHaveLength(615);
  });

  it('ids and digests are distinct 64-hex values', () => {
    const ids = IMAGE_CATALOG.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const i of IMAGE_CATALOG) {
      expect(i.id).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(i.id.slice(7, 15)).not.toBe(i.id.slice(15, 23));
      expect(i.repoDigest).toMatch(/@sha256:[0-9a-f]{64}$/);
    }
  });
});

// The table of the Kubernetes docs page "Define a Command and Arguments for a Container"
// (image ENTRYPOINT [/ep-1], CMD [foo bar]); containerd applies it (container_create.go).
describe('process args from the image and the CRI command / args', () => {
  const img = { entrypoint: ['/ep-1'], cmd: ['foo', 'bar'] };
  it.each([
    [undefined, undefined, ['/ep-1', 'foo', 'bar']],
    [['/ep-2'], undefined, ['/ep-2']],
    [undefined, ['zoo', 'boo'], ['/ep-1', 'zoo', 'boo']],
    [['/ep-2'], ['zoo', 'boo'], ['/ep-2', 'zoo', 'boo']],
  ])('command %j args %j -> %j', (command, args, want) => {
    expect(processArgs(img, command, args)).toEqual(want);
  });
});
