/**
 * What every kubectl subcommand gets: the output, the REST client and discovery, the namespace,
 * the lab's files, the parsed flags, and an interrupt signal for the commands that wait
 * (`get -w`, `delete --wait`).
 */
import type { PodExec } from './cmd/exec';
import type { Shell, ShellIO } from '../registry';
import type { VirtualFs } from '../vfs';
import type { Discovery } from './client/discovery';
import type { RestClient } from './client/rest';
import type { FlagSpec, Flags } from './flags';
import type { StrategicMergeSeam } from './patch';

/** An interrupt that commands waiting on the server check and subscribe to. */
export interface Interrupt {
  readonly interrupted: boolean;
  /** Resolves when the user presses Ctrl+C (never otherwise). */
  readonly promise: Promise<void>;
}

export interface KubectlContext {
  io: ShellIO;
  rest: RestClient;
  discovery: Discovery;
  /** Virtual time now (ms since the epoch): AGE columns. */
  now(): number;
  /** `-n`, or the context's namespace. */
  namespace: string;
  /** True when `-n` was given (kubectl's enforceNamespace). */
  explicitNamespace: boolean;
  files?: VirtualFs;
  flags: Flags;
  interrupt: Interrupt;
  strategicMerge?: StrategicMergeSeam;
  /** `kubectl` (the name typed): used in messages such as "See 'kubectl get -h'". */
  commandName: string;
  /** The shell kubectl runs in (`exec -it` enters a nested shell). */
  shell?: Shell;
  /** What runs commands in containers (`kubectl exec`); undefined: no nodes to run them. */
  podExec?: () => PodExec | undefined;
  /** Lets virtual time run while the command waits (see KubectlOptions.passTime). */
  passTime?: (done: () => boolean, maxMs: number) => Promise<void>;
}

/** One `kubectl <name>` subcommand. */
export interface Subcommand {
  name: string;
  summary: string;
  /** Usage line(s), as `kubectl <name> --help` prints under "Usage:". */
  usage: string;
  /** Examples printed by --help. */
  examples?: string;
  flags: readonly FlagSpec[];
  /** Other names the dispatcher accepts (a nested command's `pc`). */
  aliases?: readonly string[];
  /** Nested commands (`kubectl create priorityclass`): named by their last word, found by the first positional argument. */
  subcommands?: readonly Subcommand[];
  /** Resolves to the exit code. Throws kubectl errors (printed by the dispatcher). */
  run(ctx: KubectlContext, args: string[]): Promise<number>;
}
