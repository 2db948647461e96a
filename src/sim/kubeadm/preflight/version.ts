/**
 * Semantic versions as k8s.io/apimachinery/pkg/util/version parses and prints them: `v1.34.0`
 * and `1.34.0` parse alike, `String()` prints without the `v`, and a pre-release sorts before its
 * release (`1.35.0-0` < `1.35.0-alpha.1` < `1.35.0`).
 */

export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  /** Pre-release identifiers (`alpha.1` -> ['alpha', '1']). */
  pre: string[];
}

const SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-.]+)?$/;

/** version.ParseSemantic; throws `could not parse "x" as version`. */
// Upstream: k8s.io/apimachinery pkg/util/version/version.go (ParseSemantic)
export function parseSemantic(text: string): SemVer {
  const m = SEMVER.exec(text.trim());
  if (!m) throw new Error(`could not parse ${JSON.stringify(text)} as version`);
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), pre: m[4] ? m[4].split('.') : [] };
}

/** Version.String(): `1.34.0`, `1.35.0-alpha.1`. */
export function versionString(v: SemVer): string {
  return `${v.major}.${v.minor}.${v.patch}${v.pre.length ? `-${v.pre.join('.')}` : ''}`;
}

/** Version.Compare: -1, 0 or 1 (semver precedence). */
export function compareVersions(a: SemVer, b: SemVer): number {
  for (const k of ['major', 'minor', 'patch'] as const) if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  if (!a.pre.length || !b.pre.length) return a.pre.length === b.pre.length ? 0 : a.pre.length ? -1 : 1;
  for (let i = 0; i < Math.max(a.pre.length, b.pre.length); i++) {
    const x = a.pre[i];
    const y = b.pre[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) return Number(x) < Number(y) ? -1 : 1;
    if (nx !== ny) return nx ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return 0;
}
