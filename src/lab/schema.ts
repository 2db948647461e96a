import { z } from 'astro/zod';

/** One step of a lab: what to do, and the check that completes it. */
export const labStepSchema = z.object({
  title: z.string().describe('Short imperative title shown in the steps column.'),
  body: z.string().describe('Markdown: what to do or predict in this step.'),
  check: z
    .string()
    .optional()
    .describe('Name of the export in checks.ts that completes this step; omit for reading/reflection steps.'),
  hint: z.string().optional().describe('A nudge toward the concept (never the answer), shown on request.'),
});

/**
 * The model views a lab can show (`visualization`): the etcd keyspace, the reflectors' watch
 * streams, the informer pipeline, the workqueue, the raft cluster and the scheduler. A lab naming
 * several gets them stacked in the order it lists them, all on one timeline.
 */
export const VIEW_NAMES = ['etcd', 'watch', 'informer', 'workqueue', 'raft', 'scheduler', 'packet', 'gcheap', 'gcpacer', 'ownergraph', 'rollout', 'hpa', 'kubelet', 'path', 'machines'] as const;
export type ViewName = (typeof VIEW_NAMES)[number];

/** The views a parsed `visualization` names, in the order given (`none`: no view). */
export function visualizationList(value: ViewName | 'none' | readonly ViewName[] | undefined): ViewName[] {
  if (value === undefined || value === 'none') return [];
  return typeof value === 'string' ? [value] : [...value];
}

// lab.yaml `go` (src/lab/gogc-session.ts): its value types.
/** A byte count as GOMEMLIMIT takes it (64MiB, 4096B, 4096), or a number of bytes. */
const goBytes = z.union([z.number().int().nonnegative(), z.string().regex(/^[0-9]+(([KMGT]i)?B)?$/, { message: 'a byte count such as 64MiB, 1GiB or 4096' })]);
/** A Go duration (time.ParseDuration): 2s, 500ms, 1m30s. */
const goDuration = z.string().regex(/^(([0-9]*\.)?[0-9]+(ns|us|µs|ms|s|m|h))+$/, { message: 'a Go duration such as 2s, 500ms or 1m30s' });

/** The schema of `labs/<id>/lab.yaml`. A lab that does not match fails the build. */
export const labSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/).describe('Folder name and URL slug: /labs/<id>/.'),
  title: z.string().describe('Title shown on the lab page.'),
  module: z.string().describe('Curriculum module, e.g. `workqueues`.'),
  lesson: z.string().describe('Slug of the lesson this lab practises, e.g. `workqueues/rate-limiting`.'),
  summary: z.string().describe('One sentence: the goal of the lab.'),
  minutes: z.number().int().positive().describe('Expected time to finish, in minutes.'),
  difficulty: z.enum(['intro', 'intermediate', 'advanced']).describe('How hard the lab is.'),
  seed: z.number().int().nonnegative().default(1).describe('Default seed for runs and checks.'),
  order: z.number().int().default(0).describe('Position among the labs of its module.'),
  files: z
    .object({
      starter: z.string().default('starter.ts').describe('File the learner starts from.'),
      solution: z.string().default('solution.ts').describe('Reference solution.'),
      checks: z.string().default('checks.ts').describe('Module exporting the named checks.'),
    })
    .default({}),
  visualization: z
    .union([
      z.enum([...VIEW_NAMES, 'none']),
      z
        .array(z.enum(VIEW_NAMES))
        .min(1)
        .refine((views) => new Set(views).size === views.length, { message: 'a view may be named only once' }),
    ])
    .default('none')
    .describe(
      `Which model views the workbench shows, on one timeline: one name or a list of them (${VIEW_NAMES.join(', ')}), or none.`,
    ),
  cluster: z
    .object({
      apply: z.array(z.string()).default([]).describe('Manifests of this lab (file names) that `kubectl apply -f` loads when the page opens.'),
      scheduler: z
        .union([z.boolean(), z.object({ config: z.string().optional().describe('A KubeSchedulerConfiguration file of this lab (YAML).') })])
        .default(false)
        .describe('Run kube-scheduler on the session cluster (it binds the pods kubectl creates; the terminal gets `scheduler explain|queue|config`).'),
      network: z
        .union([
          z.boolean(),
          z.object({
            backend: z.enum(['vxlan', 'host-gw', 'udp']).optional().describe("flannel's backend (default vxlan, as kube-flannel.yml)."),
            proxyMode: z.enum(['iptables', 'ipvs']).optional().describe("kube-proxy's --proxy-mode (default iptables)."),
            nodes: z
              .array(z.object({ name: z.string(), ip: z.string().optional(), zone: z.string().optional() }))
              .optional()
              .describe('The nodes (default node-a 192.168.0.2 and node-b 192.168.0.3).'),
          }),
        ])
        .default(false)
        .describe('Run the cluster network on the session cluster: node IPAM, flannel, CNI, the EndpointSlice controller, kube-proxy on each node and CoreDNS; the terminal gets `ssh <node>` and `kubectl exec`.'),
      garbageCollector: z
        .boolean()
        .default(false)
        .describe(
          "Run kube-controller-manager's garbage collector on the session cluster (seeded from the session seed, on its clock): objects whose metadata.ownerReferences name owners that are gone are deleted, and `kubectl delete --cascade=background|foreground|orphan` cascades as on a real cluster. Its namespace controller runs too: a deleted namespace is Terminating, emptied 5 s later, and gone once its content is (`kubectl describe ns` shows the conditions while a finalizer holds it). No ReplicaSet or Deployment controller runs: a dependent gets its owner's uid with `kubectl get <owner> -o jsonpath='{.metadata.uid}'` and `kubectl patch`, or from the lab's code.",
        ),
      controllers: z
        .union([z.boolean(), z.array(z.string()).min(1)])
        .default(false)
        .describe(
          "Run kube-controller-manager on the session cluster: true for all its modelled controllers (deployment, replicaset, statefulset, daemonset, job, horizontal-pod-autoscaler, node-lifecycle, taint-eviction, garbage-collector, namespace, endpointslice), or a `--controllers` list (names, old aliases, `*`, `-name`).",
        ),
      nodes: z
        .union([z.number().int().min(1).max(8), z.array(z.object({ name: z.string(), cpu: z.string().optional(), memory: z.string().optional() })).min(1).max(8)])
        .optional()
        .describe('Worker nodes with a kubelet and containerd (the runtime model): a count (node-1, node-2, ...) or a list. Pods the scheduler binds to them really run: probes, restarts, logs, `crictl` and `journalctl -u kubelet` on the node (`ssh node-1`).'),
      metrics: z.boolean().default(false).describe("Run metrics-server on the session cluster (scraping the nodes' kubelets every 15 s): `kubectl top`, and CPU metrics for the HPA."),
    })
    .refine((c) => !(c.nodes !== undefined && c.network), { message: '`nodes` (kubelets) and `network` (the network model\'s own pod agents) cannot be combined yet', path: ['nodes'] })
    .optional()
    .describe(
      'The lab has a cluster (etcd + API server) in the page: the terminal gets kubectl, etcdctl, ls, cat and sleep; every Run starts from its state (labCluster() in code) and what the run writes comes back to it.',
    ),
  raft: z
    .object({
      members: z.number().int().min(3).max(7).default(3).describe('Members of the raft cluster (ids 1..members).'),
      preVote: z.boolean().optional().describe("raft's PreVote: a candidate first asks whether it could win, without raising its term. Default: off for a plain raft cluster (raft's own default), on with etcd (etcd 3.6's --pre-vote)."),
      checkQuorum: z.boolean().optional().describe("raft's CheckQuorum: a leader that has not heard from a quorum for an election timeout steps down. Default: off for a plain raft cluster, on with etcd (etcd always sets it)."),
      etcd: z.boolean().default(false).describe('etcd v3.6 runs on the members (an EtcdCluster): the terminal gets etcdctl (member list, endpoint status|health, move-leader, get/put/del).'),
      apiServer: z.boolean().default(false).describe("A kube-apiserver stores in the replicated etcd through member 1's client: the terminal gets kubectl (needs etcd)."),
    })
    .strict()
    .refine((r) => !r.apiServer || r.etcd, { message: 'raft.apiServer needs raft.etcd: true (the API server stores in the replicated etcd)', path: ['apiServer'] })
    .optional()
    .describe(
      'The lab has a raft cluster in the page (the terminal gets `cluster` commands: status, partition, crash, restart, pause, resume, heal, skew, drop, propose, add-member, remove-member, promote, transfer, run; and sleep); the raft view shows its trace after each command.',
    ),
  // ---- go: a Go program and a live Go process in the terminal (src/lab/gogc-session.ts) ----
  go: z
    .object({
      workload: z
        .object({
          allocRate: goBytes.optional().describe('Bytes the program allocates per second of virtual time while it has every P (a number or a byte count such as 512MiB). Default 512MiB.'),
          live: goBytes.optional().describe('Its live heap: the first this-many bytes it allocates stay reachable, the rest is garbage. Default 64MiB.'),
          gomaxprocs: z.number().int().min(1).max(64).optional().describe('GOMAXPROCS of the run. Default 4.'),
          duration: goDuration.optional().describe('How long `./app` runs without `-for` (a Go duration: 2s, 500ms, 1m30s). Default 2s.'),
          stacks: goBytes.optional().describe('Goroutine stack bytes (roots the collector scans). Default 64KiB.'),
          globals: goBytes.optional().describe('Scannable globals. Default 32KiB.'),
          gcAt: z.array(goDuration).optional().describe('When the program calls runtime.GC() (durations after it starts): those cycles end in "(forced)".'),
        })
        .strict()
        .optional()
        .describe("What `./app` does: an allocation workload run on the pacer model (runGcWorkload) over virtual time."),
      gogc: z.union([z.number().int(), z.literal('off')]).optional().describe('GOGC exported when the page opens (the learner can `export`/`unset` it). Unset: the runtime default 100.'),
      gomemlimit: z
        .string()
        .regex(/^(off|[0-9]+(([KMGT]i)?B)?)$/, { message: 'GOMEMLIMIT takes what the runtime takes: a byte count with an optional B, KiB, MiB, GiB or TiB suffix, or off' })
        .optional()
        .describe('GOMEMLIMIT exported when the page opens (e.g. 256MiB). Unset: no limit.'),
      gctrace: z.boolean().default(false).describe('Start with GODEBUG=gctrace=1 exported (the terminal prints a line per GC cycle).'),
      heap: z
        .object({
          objects: z.number().int().min(1).max(64).optional().describe('Objects of the live process (a seeded random tree). Default 12.'),
          globals: z.number().int().min(1).max(4).optional().describe('Global pointer variables (roots). Default 1.'),
          goroutines: z.number().int().min(0).max(4).optional().describe('Mutator goroutines that run while a cycle marks. Default 2.'),
          slots: z.number().int().min(1).max(8).optional().describe('Pointer slots on each goroutine stack. Default 4.'),
          fields: z.number().int().min(1).max(4).optional().describe('Most pointer fields per object. Default 2.'),
          ops: z.number().int().min(0).max(200).optional().describe("Operations in each goroutine's program. Default 24."),
          barrier: z.enum(['none', 'dijkstra', 'yuasa', 'hybrid']).default('hybrid').describe("The write barrier (Go's is hybrid)."),
          marker: z.enum(['classic', 'greentea']).default('classic').describe('The mark algorithm: classic, or Green Tea (the default from Go 1.26).'),
        })
        .strict()
        .default({})
        .describe('The live process that `heap`, `gc step` and `gc now` act on: a small heap in size-classed spans, marked by the tri-color model.'),
    })
    .strict()
    .optional()
    .describe(
      "The lab has a Go program in the terminal, seeded from the session seed: `./app [-for 10s]` runs it with the environment (`GOGC=50 ./app`, `GODEBUG=gctrace=1 ./app`, `GOMEMLIMIT=512MiB ./app`, `export`, `unset`, `env`), printing the runtime's gctrace lines; `gctrace on|off` is shorthand for GODEBUG=gctrace=1|0; `gc now` (runtime.GC()), `gc step [n]` and `heap` act on a live process's object heap.",
    ),
  // ---- end go ----
  steps: z.array(labStepSchema).min(1).describe('Ordered steps; each may name the check that completes it.'),
  reflection: z.string().optional().describe('A closing question connecting the result to a real cluster.'),
});

export type Lab = z.infer<typeof labSchema>;
export type LabStep = z.infer<typeof labStepSchema>;
