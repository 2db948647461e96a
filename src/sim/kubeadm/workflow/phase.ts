/**
 * A phase of a kubeadm workflow (`kubeadm init`, later `join` and `reset`): a name, a one-line
 * description, an optional action, and nested phases run right after it.
 * Upstream: cmd/kubeadm/app/cmd/phases/workflow/phase.go (Phase)
 */
export interface Phase<D> {
  /** Unique among its siblings; the runner lower-cases it and cuts it at the first space. */
  name: string;
  short: string;
  /** Nested, ordered phases: each runs right after its parent. */
  phases?: Phase<D>[];
  run?: (data: D) => void | Promise<void>;
  /** Checked before `run`; false skips this phase (not its children). */
  runIf?: (data: D) => boolean | Promise<boolean>;
  /**
   * An `all` sub-phase: a command (`kubeadm init phase certs all`) that selects its parent and
   * with it every sibling. It has no action of its own.
   */
  runAllSiblings?: boolean;
  /** Not listed in the help. */
  hidden?: boolean;
}
