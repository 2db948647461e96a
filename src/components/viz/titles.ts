/**
 * What the workbench says about each model view before it loads: its title and the line shown
 * until the first run. Tiny on purpose: the lab page renders it at build time.
 */
export const VIEW_INFO: Record<string, { title: string; empty: string }> = {
  workqueue: { title: 'Workqueue', empty: 'Run your code to watch the queue.' },
  informer: { title: 'Informer pipeline', empty: 'Run your code to watch objects travel from the ListerWatcher to the handlers.' },
  watch: { title: 'Watch streams', empty: 'Run your code to watch each reflector list, watch, and relist.' },
  etcd: { title: 'etcd keyspace', empty: 'Run your code to watch the etcd keyspace and its revisions.' },
  raft: { title: 'Raft cluster', empty: 'Run your code (or type cluster status in the terminal) to watch the raft cluster.' },
  scheduler: { title: 'kube-scheduler', empty: 'Run your code to watch the scheduling queue and each cycle, node by plugin.' },
  packet: { title: 'Packet path', empty: 'Run your code to follow its packets hop by hop through the nodes.' },
  gcheap: { title: 'Go heap', empty: 'Run your code to watch the Go collector colour the heap white, grey and black.' },
  gcpacer: { title: 'GC pacer', empty: 'Run your code to chart the live heap against the pacer\'s goal and trigger.' },
  ownergraph: { title: 'Owner graph', empty: 'Run your code to watch deletion propagate along owner references.' },
  rollout: { title: 'Deployment rollout', empty: 'Run your code (or roll out in the terminal) to chart the rollout: old and new pods within maxSurge and maxUnavailable.' },
  hpa: { title: 'HorizontalPodAutoscaler', empty: 'Run your code to chart the HPA: its metric against the target, the replicas it recommends and applies.' },
  kubelet: { title: 'Kubelet', empty: 'Run your code to watch the kubelet sync its pods: container states, restarts, back-off and its sync loop.' },
  // Issue 13 scope 3
  path: { title: 'The whole path', empty: 'Apply a Deployment in the terminal (kubectl apply -f deployment.yaml) to follow it from kubectl to the containers and back, step by step.' },
  // Issue 14 scope 7
  machines: { title: 'Machines', empty: 'Run kubeadm on a node to watch its phases write the machine\'s certificates, kubeconfigs and static Pod manifests.' },
};

/** The components whose events each view draws (its heading is marked when the cursor is on one). */
export const VIEW_COMPONENTS: Record<string, readonly string[]> = {
  workqueue: ['workqueue'],
  informer: ['source', 'reflector', 'deltaFIFO', 'realFIFO', 'informer', 'apiserver'],
  watch: ['reflector', 'source', 'apiserver'],
  etcd: ['etcd'],
  raft: ['raft', 'raftnet'],
  scheduler: ['scheduler'],
  packet: ['netstack'],
  gcheap: ['gogc', 'goproc'],
  gcpacer: ['gogc.pacer', 'goproc'],
  ownergraph: ['garbagecollector'],
  rollout: ['deployment', 'replicaset-controller'],
  hpa: ['horizontal-pod-autoscaler'],
  kubelet: ['kubelet', 'prober'],
  // Issue 13 scope 3
  path: ['apiserver', 'etcd', 'deployment', 'replicaset-controller', 'scheduler', 'kubelet', 'containerd'],
  // Issue 14 scope 7
  machines: ['host', 'kubeadm-workflow', 'kubeadm-certs'],
};

/** The id of the element holding view `name` (a link target for the other views). */
export const viewAnchor = (name: string) => `kl-view-${name}`;
