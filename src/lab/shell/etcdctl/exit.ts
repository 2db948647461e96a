/** How etcdctl ends a command. Upstream: pkg/cobrautl/error.go (ExitWithError: `Error: <err>` on stderr, the exit code). */

export const EXIT_ERROR = 1;
export const EXIT_INVALID_INPUT = 3;
export const EXIT_BAD_FEATURE = 4;
export const EXIT_INTERRUPTED = 5;
export const EXIT_BAD_ARGS = 128;

export class EtcdctlExit extends Error {
  /** `quiet`: the command already printed why (os.Exit without `Error:`, as `endpoint status` does). */
  constructor(
    readonly code: number,
    message: string,
    readonly quiet = false,
  ) {
    super(message);
  }
}
