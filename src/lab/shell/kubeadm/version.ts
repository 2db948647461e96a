/**
 * `kubeadm version [-o short|yaml|json]`: the v1.34.0 release build's version.Info.
 * Upstream: cmd/kubeadm/app/cmd/version.go (RunVersion), k8s.io/apimachinery pkg/version/types.go
 * (Info: the Emulation* and MinCompatibility* fields are omitempty). The build facts (commit, date,
 * go1.24.6) are those the published v1.34.0 binaries report.
 */
import { fail, type Ctx } from './env';
import { flagString, type ParsedFlags } from './pflag';

export const KubeadmVersionInfo = {
  major: '1',
  minor: '34',
  gitVersion: 'v1.34.0',
  gitCommit: 'f28b4c9efbca5c5c0af716d9f2d5702667ee8a45',
  gitTreeState: 'clean',
  buildDate: '2025-08-27T10:15:59Z',
  goVersion: 'go1.24.6',
  compiler: 'gc',
  platform: 'linux/amd64',
} as const;

// Upstream: cmd/version.go (RunVersion)
export function runKubeadmVersion(c: Ctx, p: ParsedFlags): number {
  const v = KubeadmVersionInfo;
  const of = flagString(p, 'output') ?? '';
  switch (of) {
    case '':
      c.out(
        `kubeadm version: &version.Info{Major:"${v.major}", Minor:"${v.minor}", EmulationMajor:"", EmulationMinor:"", MinCompatibilityMajor:"", MinCompatibilityMinor:"", GitVersion:"${v.gitVersion}", GitCommit:"${v.gitCommit}", GitTreeState:"${v.gitTreeState}", BuildDate:"${v.buildDate}", GoVersion:"${v.goVersion}", Compiler:"${v.compiler}", Platform:"${v.platform}"}\n`,
      );
      break;
    case 'short':
      c.out(`${v.gitVersion}\n`);
      break;
    case 'yaml': {
      // sigs.k8s.io/yaml sorts keys; quotes strings that would read as other types.
      const keys = Object.keys(v).sort() as Array<keyof typeof v>;
      const q = (s: string) => (/^[0-9]+$/.test(s) || /^\d{4}-\d\d-\d\dT/.test(s) ? JSON.stringify(s) : s);
      c.out(`clientVersion:\n${keys.map((k) => `  ${k}: ${q(v[k])}`).join('\n')}\n`);
      break;
    }
    case 'json':
      c.out(`${JSON.stringify({ clientVersion: v }, null, 2)}\n`);
      break;
    default:
      return fail(c, `invalid output format: ${of}`);
  }
  c.flush();
  return 0;
}
