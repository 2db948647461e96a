/**
 * The image catalog the simulated registry serves, and image name normalisation as containerd
 * does it (docker/distribution `reference.ParseNormalizedNamed` + `TagNameOnly`).
 *
 * ENTRYPOINT / CMD / ports / STOPSIGNAL follow the real images' configs; sizes are the compressed
 * sizes `crictl images` shows, rounded. Digests and image IDs are NOT the registry's: they are
 * derived from the name (stable, 64 hex) so the catalog needs no network and stays deterministic.
 */
import { CriError } from './api';

export interface ImageSpec {
  /** Normalised references this content answers to, e.g. `docker.io/library/nginx:1.27`. */
  refs: string[];
  /** Image config digest, what CRI calls the image id (`sha256:...`). */
  id: string;
  /** Repository digest of the manifest (`docker.io/library/nginx@sha256:...`). */
  repoDigest: string;
  sizeBytes: number;
  entrypoint?: string[];
  cmd?: string[];
  env?: string[];
  workingDir?: string;
  exposedPorts?: number[];
  /** Image config StopSignal; containerd uses it for StopContainer (default SIGTERM). */
  stopSignal?: string;
  /** Executables in the image, by absolute path (the programs the runtime can run). */
  binaries: string[];
  /** Files in the image's layers (path -> content). */
  files?: Record<string, string>;
  /** Pulls fail with `pull access denied` (a private repository, no credentials in the model). */
  private?: boolean;
}

const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The busybox applets the shell model implements, installed in /bin of every image with a shell. */
export const SHELL_APPLETS = ['sh', 'echo', 'sleep', 'cat', 'ls', 'touch', 'rm', 'mkdir', 'date', 'true', 'false', 'env', 'printenv', 'hostname', 'dd', 'test', '['];
const shellBins = (extra: string[] = []) => [...SHELL_APPLETS.map((a) => `/bin/${a}`), ...extra];

/** FNV-1a based 64-hex digest of `text`: stable and well spread, not a real sha256. */
export function fakeSha256(text: string): string {
  let out = '';
  for (let round = 0; out.length < 64; round++) {
    let h = 0x811c9dc5;
    const s = `${text}#${round}`;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    out += (h >>> 0).toString(16).padStart(8, '0');
  }
  return out.slice(0, 64);
}

export const NGINX_INDEX_HTML = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

function image(name: string, spec: Omit<ImageSpec, 'refs' | 'id' | 'repoDigest'> & { tags: string[] }): ImageSpec {
  const { tags, ...rest } = spec;
  return { refs: tags.map((t) => `${name}:${t}`), id: `sha256:${fakeSha256(`config ${name}:${tags[0]}`)}`, repoDigest: `${name}@sha256:${fakeSha256(`manifest ${name}:${tags[0]}`)}`, ...rest };
}

/** The images the simulated registry serves. */
export const IMAGE_CATALOG: readonly ImageSpec[] = [
  // Three nginx releases (the same program; distinct digests), so a rollout has an image to move to.
  ...([
    [['1.27', '1.27.5', 'latest'], '1.27.5', 72_195_292],
    [['1.26', '1.26.3'], '1.26.3', 71_956_704],
    [['1.28', '1.28.0'], '1.28.0', 72_218_011],
  ] as const).map(([tags, version, sizeBytes]) =>
    image('docker.io/library/nginx', {
      tags: [...tags],
      sizeBytes,
      entrypoint: ['/docker-entrypoint.sh'],
      cmd: ['nginx', '-g', 'daemon off;'],
      env: [DEFAULT_PATH, `NGINX_VERSION=${version}`],
      exposedPorts: [80],
      stopSignal: 'SIGQUIT',
      binaries: shellBins(['/bin/bash', '/usr/sbin/nginx', '/docker-entrypoint.sh']),
      files: { '/usr/share/nginx/html/index.html': NGINX_INDEX_HTML, '/etc/hostname': '' },
    }),
  ),
  image('docker.io/library/busybox', {
    tags: ['1.36', '1.36.1', 'latest'],
    sizeBytes: 2_166_802,
    cmd: ['sh'],
    env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    binaries: shellBins(),
  }),
  image('registry.k8s.io/pause', { tags: ['3.10'], sizeBytes: 320_368, entrypoint: ['/pause'], binaries: ['/pause'] }),
  image('registry.k8s.io/e2e-test-images/agnhost', {
    tags: ['2.53'],
    sizeBytes: 57_151_219,
    entrypoint: ['/agnhost'],
    env: [DEFAULT_PATH],
    binaries: shellBins(['/agnhost']),
  }),
  image('docker.io/polinux/stress', {
    tags: ['latest', '1.0.4'],
    sizeBytes: 4_041_495,
    cmd: ['stress', '--help'],
    env: [DEFAULT_PATH],
    binaries: shellBins(['/usr/local/bin/stress']),
  }),
  image('registry.k8s.io/hpa-example', {
    tags: ['latest'],
    sizeBytes: 176_232_304,
    cmd: ['apache2-foreground'],
    env: [DEFAULT_PATH],
    workingDir: '/var/www/html',
    exposedPorts: [80],
    binaries: shellBins(['/bin/bash', '/usr/local/bin/apache2-foreground']),
  }),
  // KubeLab demo images (not on any registry): a private one for the pull-access lesson.
  image('docker.io/kubelab/private-app', { tags: ['1.0'], sizeBytes: 10_000_000, cmd: ['sleep', '3600'], binaries: shellBins(), private: true }),
];

export type ParsedImageRef = { ok: true; ref: string; repository: string; tag?: string; digest?: string } | { ok: false; error: string };

/**
 * `nginx` -> `docker.io/library/nginx:latest`, `kubelab/app:1` -> `docker.io/kubelab/app:1`,
 * `registry.k8s.io/pause:3.10` unchanged, `x@sha256:...` kept by digest.
 */
// Upstream: github.com/distribution/reference normalize.go (ParseNormalizedNamed, TagNameOnly)
export function normalizeImageRef(image: string): ParsedImageRef {
  if (!/^[a-z0-9][a-z0-9._\-/:@]*$/.test(image) || image.includes('//')) return { ok: false, error: 'invalid reference format' };
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!/^sha256:[0-9a-f]{64}$/.test(digest)) return { ok: false, error: 'invalid reference format' };
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!/^[\w][\w.-]{0,127}$/.test(tag)) return { ok: false, error: 'invalid reference format' };
  }
  const slash = rest.indexOf('/');
  const first = slash < 0 ? '' : rest.slice(0, slash);
  let repository: string;
  if (slash < 0) repository = `docker.io/library/${rest}`;
  else if (first === 'docker.io' || first === 'index.docker.io') {
    const path = rest.slice(slash + 1);
    repository = `docker.io/${path.includes('/') ? path : `library/${path}`}`;
  } else if (first.includes('.') || first.includes(':') || first === 'localhost') repository = rest;
  else repository = `docker.io/${rest}`;
  if (!tag && !digest) tag = 'latest';
  const ref = digest ? `${repository}@${digest}` : `${repository}:${tag}`;
  return { ok: true, ref, repository, tag, digest };
}

/** The catalog entry a normalised reference names (by tag or by repository digest). */
export function findImage(catalog: readonly ImageSpec[], ref: string): ImageSpec | undefined {
  return catalog.find((i) => i.refs.includes(ref) || i.repoDigest === ref || i.id === ref);
}

/**
 * The error containerd's PullImage returns for `image` (already normalised to `ref`), or undefined
 * when the registry has it.
 */
// Upstream: containerd internal/cri/server/images/image_pull.go (PullImage), core/remotes/docker/resolver.go
export function pullError(catalog: readonly ImageSpec[], image: string): CriError | undefined {
  const parsed = normalizeImageRef(image);
  if (!parsed.ok) return new CriError('Unknown', `failed to parse image reference ${JSON.stringify(image)}: ${parsed.error}`);
  const found = findImage(catalog, parsed.ref);
  const ref = parsed.ref;
  const prefix = `failed to pull and unpack image ${JSON.stringify(ref)}: failed to resolve reference ${JSON.stringify(ref)}`;
  if (!found) return new CriError('NotFound', `${prefix}: ${ref}: not found`);
  if (found.private) {
    return new CriError('Unknown', `${prefix}: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`);
  }
  return undefined;
}

/**
 * The process argv containerd builds: the CRI `command` replaces ENTRYPOINT and, when set alone,
 * drops CMD; the CRI `args` replace CMD.
 */
// Upstream: containerd internal/cri/server/container_create.go (buildContainerSpec: process args)
export function processArgs(img: Pick<ImageSpec, 'entrypoint' | 'cmd'>, command: string[] | undefined, args: string[] | undefined): string[] {
  let cmd = command ?? [];
  let argv = args ?? [];
  if (cmd.length === 0) {
    if (argv.length === 0) argv = [...(img.cmd ?? [])];
    cmd = [...(img.entrypoint ?? [])];
  }
  return [...cmd, ...argv];
}
