/**
 * Checks of the dns-ndots lab. Predictions and the learner's candidate names are compared with
 * the DNS model's glibc resolver (its query log: getaddrinfo over CoreDNS's kubernetes plugin and
 * an upstream); the learner's pod goes through the kubelet's resolv.conf (podResolvConf) and the
 * lookups are counted.
 */
import { check, exportedFunction } from '../../src/lab/checks';
import { exampleClusterNetwork, getaddrinfo, podResolvConf, rngFromSeed, type Pod } from '../../src/sim/index';

type Candidates = (name: string, resolvConf: string) => string[];
type FixedPod = (pod: Pod) => Pod;

const client = (ns = 'default'): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'client', namespace: ns }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] }, status: { podIP: '10.244.1.5' } });
const resolvConfOf = (pod: Pod) => podResolvConf(pod, { hostResolvConf: 'nameserver 192.168.49.1\n' }).resolvConf;
const lookup = (name: string, resolvConf: string) => getaddrinfo(name, { resolvConf, network: exampleClusterNetwork() });

export const predictsQueries = check(
  'the predictions match the queries a ClusterFirst pod sends',
  ({ learner, expect }) => {
    const predictions = (learner.predictions ?? {}) as Record<string, number>;
    const rc = resolvConfOf(client());
    for (const name of ['my-svc', 'kubernetes.default', 'example.com', 'example.com.']) {
      expect(predictions[name], `queries sent for ${name}`).to.equal(lookup(name, rc).queries.length);
    }
  },
  { hint: 'Count the dots against ndots:5. Each name tried costs two queries (A and AAAA), and the first one that answers ends the search.' },
);

export const listsCandidates = check(
  "candidates() lists the names glibc tries, in its order",
  ({ learner, seeds, expect }) => {
    const candidates = exportedFunction<Candidates>(learner, 'candidates');
    for (const seed of seeds) {
      const rng = rngFromSeed(seed);
      for (let i = 0; i < 6; i++) {
        const ndots = 1 + rng.int(5);
        const search = ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example'].slice(0, 1 + rng.int(4));
        const resolvConf = `search ${search.join(' ')}\nnameserver 10.96.0.10\noptions ndots:${ndots}\n`;
        // A name nobody answers, so the resolver tries every candidate.
        const labels = 1 + rng.int(6);
        const name = Array.from({ length: labels }, (_, k) => `n${k}x${rng.int(100)}`).join('.') + (rng.int(5) === 0 ? '.' : '');
        const tried = [...new Set(lookup(name, resolvConf).queries.map((q) => q.name))];
        expect(candidates(name, resolvConf), `names tried for ${name} with ndots:${ndots} and search ${search.join(' ')}`).to.deep.equal(tried);
      }
    }
  },
  { hint: "Compare the name's dots with ndots: at least ndots, the name as it is comes first; fewer, the search domains come first. A trailing dot means the name is complete." },
);

export const fixesTheCost = check(
  'fixedPod(): registry.k8s.io in two queries, my-svc still found in two',
  ({ learner, expect }) => {
    const fixedPod = exportedFunction<FixedPod>(learner, 'fixedPod');
    const pod = fixedPod(client());
    expect(pod.spec.dnsPolicy ?? 'ClusterFirst', 'dnsPolicy (cluster names must still resolve)').to.equal('ClusterFirst');
    const rc = resolvConfOf(pod);
    const external = lookup('registry.k8s.io', rc);
    expect(external.queries.length, `queries for registry.k8s.io with\n${rc}`).to.equal(2);
    const local = lookup('my-svc', rc);
    expect(local.addresses, 'my-svc still resolves').to.include('10.96.100.20');
    expect(local.queries.length, 'queries for my-svc').to.equal(2);
  },
  { hint: 'A pod may set dnsConfig.options: the kubelet merges them into resolv.conf, and an option of the same name replaces the default one.' },
);
