/** The iptables build our messages imitate (Debian bookworm's, legacy backend). */
export const IPTABLES_VERSION = 'v1.8.9 (legacy)';

/**
 * A refused iptables-save text, with the 1-based line iptables-restore blames. Parse problems
 * read "iptables-restore v1.8.9 (legacy): <why>\nError occurred at line: N\nTry ..."; a table that
 * parsed but could not be committed reads "iptables-restore: line N failed" (N = its COMMIT).
 */
// Upstream: iptables iptables/iptables-restore.c (xtables_error, "line %u failed")
export class IptablesRestoreError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
    kind: 'parse' | 'commit' = 'parse',
  ) {
    super(
      kind === 'commit'
        ? `iptables-restore: line ${line} failed`
        : `iptables-restore ${IPTABLES_VERSION}: ${reason}\nError occurred at line: ${line}\n` +
            "Try `iptables-restore -h' or 'iptables-restore --help' for more information.",
    );
    this.name = 'IptablesRestoreError';
  }
}
