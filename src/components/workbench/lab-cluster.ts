/**
 * The lab page's session cluster: etcd and the API server in the page, what the terminal's
 * `kubectl` and `etcdctl` talk to, with the lab's files in a virtual file system (`ls`, `cat`,
 * `kubectl apply -f`). A Run starts from its state (the request carries its log) and what the run
 * writes is replayed into it afterwards, so `kubectl get -w` sees it arrive. Time moves only with
 * runs and the `sleep` command.
 */
import { formatDuration, newEnv, newLabCluster, runUntilIdle, settle, type ClusterLog, type EtcdChange, type LabCluster } from '../../sim/index';
import { ShellUsageError, VirtualFs, registerEtcdctl, registerFsCommands, registerKubectl, type Shell, type ShellIO } from '../../lab/shell/index';

export interface LabClusterSession {
  /** The session's state, for a RunRequest. */
  log(): ClusterLog;
  /** Replays a run's writes and moves the clock to the run's end. */
  apply(changes: EtcdChange[], clockMs: number): Promise<void>;
  /** Keeps the file system in step with the editor's tabs. */
  setFiles(files: Record<string, string>): void;
}

/** Parses `30s`, `2m`, `500ms`, `1h`, or a number of seconds, as a duration in ms. */
export function parseSleep(arg: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(arg);
  if (!m) throw new ShellUsageError(`invalid time interval '${arg}' (e.g. 30s, 2m, 500ms)`);
  const n = Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const)[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  if (n > 24 * 3_600_000) throw new ShellUsageError('at most 24h at a time');
  return n;
}

export async function mountLabCluster(opts: {
  shell: Shell;
  io: ShellIO;
  seed: number;
  files: Record<string, string>;
  /** Manifests applied when the session starts (`kubectl apply -f <file>`). */
  apply: string[];
}): Promise<LabClusterSession> {
  const cluster: LabCluster = await newLabCluster({ env: newEnv({ seed: opts.seed }) });
  const fs = new VirtualFs({ files: opts.files });
  registerFsCommands(opts.shell, fs);
  const kubectl = registerKubectl(opts.shell, { transport: cluster.apiServer, clock: cluster.clock, files: fs });
  registerEtcdctl(opts.shell, { etcd: cluster.etcd });
  opts.shell.register('sleep', {
    summary: "let the lab cluster's virtual time pass (watch timeouts, bookmarks, ages)",
    usage: 'sleep <duration>   (e.g. 30s, 5m, 500ms)',
    async run(args, { io }) {
      if (args.length !== 1) throw new ShellUsageError('needs one duration');
      const end = cluster.clock.now() + parseSleep(args[0]);
      await runUntilIdle(cluster.clock, { forMs: end - cluster.clock.now() });
      // runUntilIdle stops at the last timer due: the clock still has to reach the end of the sleep.
      if (cluster.clock.now() < end) {
        cluster.clock.setTime(end);
        await settle();
      }
      io.print(`(virtual time is now ${formatDuration(end)} into the session)`);
    },
  });
  for (const file of opts.apply) await kubectl.run(['apply', '-f', file], opts.io);
  return {
    log: () => cluster.log(),
    async apply(changes, clockMs) {
      await cluster.apply(changes, clockMs);
      await runUntilIdle(cluster.clock, { forMs: 0 });
    },
    setFiles(files) {
      for (const [name, text] of Object.entries(files)) {
        const path = fs.resolve(name);
        if (!fs.exists(path) || fs.readFile(path) !== text) fs.writeFile(path, text);
      }
    },
  };
}
