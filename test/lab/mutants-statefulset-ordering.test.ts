// Mutants of the statefulset-ordering lab: manifests a learner plausibly writes (no headless
// Service, Parallel start, no serviceName, a claim under another name), each caught by the check
// named, which runs the StatefulSet controller on the learner's manifests.
import { defineMutants } from './mutants';

const lab = 'statefulset-ordering';

defineMutants([
  {
    name: 'the Service gets a virtual IP (not headless)',
    lab,
    from: 'clusterIP: None          # headless',
    to: 'type: ClusterIP          # not headless',
    fails: ['manifestIsComplete'],
    passes: ['startsInOrder', 'keepsIdentity'],
  },
  {
    name: 'Parallel pod management: every member at once',
    lab,
    from: 'podManagementPolicy: OrderedReady',
    to: 'podManagementPolicy: Parallel',
    fails: ['manifestIsComplete', 'startsInOrder', 'keepsIdentity'],
  },
  {
    name: 'no serviceName: the pods get no subdomain',
    lab,
    from: '  serviceName: web         # the headless Service that gives each pod its DNS name\n',
    to: '',
    fails: ['manifestIsComplete', 'keepsIdentity'],
    passes: ['startsInOrder'],
  },
  {
    name: 'the claim template named www, the mount still data',
    lab,
    from: '  - metadata:\n      name: data\n',
    to: '  - metadata:\n      name: www\n',
    fails: ['manifestIsComplete', 'keepsIdentity'],
  },
  {
    name: 'a volume per member requested, but never mounted',
    lab,
    from: '        volumeMounts:\n        - name: data\n          mountPath: /var/lib/broker\n',
    to: '',
    fails: ['manifestIsComplete'],
  },
]);
