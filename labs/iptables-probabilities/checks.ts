/**
 * Checks of the iptables-probabilities lab. The learner's probability text is compared with
 * kube-proxy's computeProbability (the proxy model, pkg/proxy/iptables v1.34); their predicted
 * shares with 10,000 connections sent through the KUBE-SVC chain by the netfilter model (a seeded
 * `-m statistic`); their not-ready slices are fed back to syncProxyRules.
 */
import { check, exportedFunction } from '../../src/lab/checks';
import {
  computeProbability, FakeClock, parseIptablesSave, RecentLists, rngFromSeed, servicePortEndpointChainName, servicePortPolicyClusterChain,
  syncProxyRules, traverseTable, type EndpointSlice, type Rng, type Service,
} from '../../src/sim/index';

type Probability = (n: number) => string;
type Shares = (nat: string, svcChain: string) => Record<string, number>;
type MarkNotReady = (slices: EndpointSlice[], ip: string) => EndpointSlice[];

const CHAIN_OF = (svcPortName: string) => servicePortPolicyClusterChain(svcPortName, 'tcp');

/** A Service `web` on port 80 -> 8080 and one slice with `n` ready endpoints 10.244.k.m. */
export function serviceWith(n: number, rng: Rng): { service: Service; slices: EndpointSlice[]; ips: string[] } {
  const ips = Array.from({ length: n }, (_, i) => `10.244.${i % 3}.${10 + i + rng.int(5) * 20}`);
  const service: Service = {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' },
    spec: { type: 'ClusterIP', clusterIP: '10.96.12.34', clusterIPs: ['10.96.12.34'], selector: { app: 'web' }, sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }] },
  };
  const slices: EndpointSlice[] = [{
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { name: 'web-abc12', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true, serving: true, terminating: false } })),
  }];
  return { service, slices, ips };
}

const natOf = (service: Service, slices: EndpointSlice[]) => syncProxyRules({ services: [service], endpointSlices: slices, nodeName: 'node-a', clusterCIDR: '10.244.0.0/16' }).nat;

/** Sends `count` new connections from a pod to the ClusterIP through the KUBE-SVC chain; counts per KUBE-SEP chain. */
export function sample(nat: string, count: number, seed: number): Record<string, number> {
  const rs = parseIptablesSave(nat);
  const env = { rng: rngFromSeed(`${seed}/statistic`), recent: new RecentLists(new FakeClock()), isLocal: () => false, ctstate: ['NEW' as const] };
  const chain = CHAIN_OF('default/web:http');
  const counts: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const packet = { proto: 'tcp' as const, src: '10.244.0.99', dst: '10.96.12.34', sport: 40000 + (i % 20000), dport: 80, mark: 0 };
    const r = traverseTable(rs, 'nat', chain, packet, env);
    const to = r.nat?.kind === 'DNAT' ? r.nat.to : 'none';
    const sep = to === 'none' ? 'none' : servicePortEndpointChainName('default/web:http', 'tcp', to);
    counts[sep] = (counts[sep] ?? 0) + 1;
  }
  return counts;
}

export const printsProbabilities = check(
  "probability(n) is the text kube-proxy writes for 1/n",
  ({ learner, expect }) => {
    const probability = exportedFunction<Probability>(learner, 'probability');
    for (const n of [1, 2, 3, 4, 6, 7, 9, 11, 100, 1000, 1001]) {
      expect(probability(n), `probability(${n})`).to.equal(computeProbability(n));
    }
  },
  { hint: 'Go formats it with %0.10f: ten digits after the point. Which JavaScript method fixes the number of digits?' },
);

export const predictsShares = check(
  'shares() predicts how 10,000 new connections spread over the endpoints',
  ({ learner, seeds, expect }) => {
    const shares = exportedFunction<Shares>(learner, 'shares');
    for (const seed of seeds) {
      const rng = rngFromSeed(seed);
      const n = 2 + rng.int(5);
      const { service, slices } = serviceWith(n, rng);
      const nat = natOf(service, slices);
      const predicted = shares(nat, CHAIN_OF('default/web:http'));
      const counted = sample(nat, 10_000, seed);
      expect(Object.keys(predicted).sort(), `the KUBE-SEP chains of a Service with ${n} endpoints`).to.deep.equal(Object.keys(counted).filter((k) => k !== 'none').sort());
      for (const [sep, c] of Object.entries(counted)) {
        // 10,000 draws: within 0.025 of the prediction is more than five standard deviations.
        expect(predicted[sep], `${sep}: predicted share vs ${c} of 10,000 connections (${n} endpoints)`).to.be.closeTo(c / 10_000, 0.025);
      }
      const total = Object.values(predicted).reduce((a, b) => a + b, 0);
      expect(total, 'the shares add up to 1').to.be.closeTo(1, 1e-6);
    }
  },
  { hint: 'Walk the KUBE-SVC rules in order, carrying the chance that a connection gets that far: each rule takes p of what reaches it, and passes on the rest.' },
);

export const readinessTakesOut = check(
  'a not-ready endpoint leaves the chain, and the others share its connections',
  ({ learner, seeds, expect }) => {
    const markNotReady = exportedFunction<MarkNotReady>(learner, 'markNotReady');
    for (const seed of seeds) {
      const rng = rngFromSeed(seed);
      const n = 3 + rng.int(4);
      const { service, slices, ips } = serviceWith(n, rng);
      const victim = ips[rng.int(n)];
      const before = JSON.stringify(slices);
      const after = markNotReady(slices, victim);
      expect(JSON.stringify(slices), 'the slices you were given are unchanged').to.equal(before);
      const ep = after.flatMap((s) => s.endpoints).find((e) => e.addresses.includes(victim));
      expect(ep, `the endpoint ${victim} is still in the slice (the pod is running)`).to.not.equal(undefined);
      expect(ep!.conditions, `${victim}'s conditions`).to.deep.include({ ready: false, serving: false, terminating: false });
      const nat = natOf(service, after);
      const sep = servicePortEndpointChainName('default/web:http', 'tcp', `${victim}:8080`);
      const chainRules = nat.split('\n').filter((l) => l.startsWith(`-A ${CHAIN_OF('default/web:http')} `) && l.includes('KUBE-SEP'));
      expect(chainRules.some((l) => l.includes(sep)), `the KUBE-SVC chain still jumps to ${victim}'s ${sep}`).to.equal(false);
      expect(chainRules.length, `rules left in the KUBE-SVC chain of ${n} endpoints`).to.equal(n - 1);
      expect(chainRules[0], 'the first rule after resync').to.include(`--probability ${computeProbability(n - 1)}`);
    }
  },
  { hint: 'kube-proxy reads conditions.ready (and serving, for terminating pods). Copy the slice and the endpoint you change.' },
);
