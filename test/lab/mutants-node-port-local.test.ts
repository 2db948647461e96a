// Mutants of the node-port-local lab: Local taken for Cluster and back, the client address
// assumed kept under Cluster, masquerading to the wrong interface, and health checks that count
// terminating pods, count a pod once per slice, or are opened for NodePort Services too.
import { defineMutants } from './mutants';

const lab = 'node-port-local';

defineMutants([
  {
    name: 'Local answered like Cluster: every node forwards to every pod',
    lab,
    from: "const eligible = policy === 'Local' ? pods.filter((p) => p.node === node) : pods;",
    to: 'const eligible = pods;',
    fails: ['predictsWhoAnswers'],
    passes: ['predictsSourceSeen', 'predictsHealthChecks'],
  },
  {
    name: 'Cluster answered like Local: only the pods on the node called',
    lab,
    from: "const eligible = policy === 'Local' ? pods.filter((p) => p.node === node) : pods;",
    to: 'const eligible = pods.filter((p) => p.node === node);',
    fails: ['predictsWhoAnswers'],
    passes: ['predictsSourceSeen', 'predictsHealthChecks'],
  },
  {
    name: 'the client address assumed kept under Cluster too',
    lab,
    from: "if (policy === 'Local') return client;",
    to: "if (policy === 'Local' || policy === 'Cluster') return client;",
    fails: ['predictsSourceSeen'],
    passes: ['predictsWhoAnswers', 'predictsHealthChecks'],
  },
  {
    name: "masqueraded to cni0's address even when the pod is on another node",
    lab,
    from: 'if (podNode === entry.name) return `${a}.${b}.${c}.${d + 1}`;',
    to: 'return `${a}.${b}.${c}.${d + 1}`;',
    fails: ['predictsSourceSeen'],
  },
  {
    name: 'terminating pods that still serve counted as local endpoints',
    lab,
    from: 'e.conditions?.ready !== false',
    to: 'e.conditions?.serving !== false',
    fails: ['predictsHealthChecks'],
    passes: ['predictsWhoAnswers', 'predictsSourceSeen'],
  },
  {
    name: 'a pod counted once per slice that lists it',
    lab,
    from: 'ips.add(e.addresses[0]);',
    to: 'ips.add(`${s.metadata.name}/${e.addresses[0]}`);',
    fails: ['predictsHealthChecks'],
  },
  {
    name: 'a health check port for every Service with policy Local, NodePort ones too',
    lab,
    from: "if (service.spec.type !== 'LoadBalancer' || service.spec.externalTrafficPolicy !== 'Local') return undefined;",
    to: "if (service.spec.externalTrafficPolicy !== 'Local') return undefined;",
    fails: ['predictsHealthChecks'],
  },
]);
