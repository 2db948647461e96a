// Mutants of the ipvs-vs-iptables lab: counts that forget a table or count chain lines, a
// prediction that rounds the NodePorts down or forgets what a NodePort adds in IPVS mode, and
// walks that count only matching rules or forget that kube-ipvs0 makes every ClusterIP local.
import { defineMutants } from './mutants';

const lab = 'ipvs-vs-iptables';

defineMutants([
  {
    name: 'the filter table left out of the rule count',
    lab,
    from: "iptables: { rules: rulesIn(iptables.nat) + rulesIn(iptables.filter), bytes: iptables.nat.length + iptables.filter.length },",
    to: "iptables: { rules: rulesIn(iptables.nat), bytes: iptables.nat.length + iptables.filter.length },",
    fails: ['measuresBoth'],
    passes: ['predictsGrowth', 'walksToTheLast'],
  },
  {
    name: 'every line of the restore text counted as a rule (chain declarations, *nat, COMMIT)',
    lab,
    from: "const rulesIn = (text: string) => text.split('\\n').filter((l) => l.startsWith('-A ')).length;",
    to: "const rulesIn = (text: string) => text.split('\\n').filter((l) => l !== '').length;",
    fails: ['measuresBoth'],
  },
  {
    name: 'only the ClusterIP virtual servers counted as holding real servers',
    lab,
    from: 'realServers: ipvs.virtualServers.reduce((n, vs) => n + vs.realServers.length, 0),',
    to: 'realServers: services * endpointsPerService,',
    fails: ['measuresBoth'],
  },
  {
    name: 'the NodePort Services rounded down (Service 0 is one too)',
    lab,
    from: 'const nodePorts = Math.ceil(services / 10);',
    to: 'const nodePorts = Math.floor(services / 10);',
    fails: ['predictsGrowth'],
    passes: ['measuresBoth', 'walksToTheLast'],
  },
  {
    name: 'an endpoint costing two rules, as if KUBE-SVC had no jump per endpoint',
    lab,
    from: 'iptablesRules: 9 + services * (2 + 3 * endpointsPerService) + 4 * nodePorts,',
    to: 'iptablesRules: 9 + services * (2 + 2 * endpointsPerService) + 4 * nodePorts,',
    fails: ['predictsGrowth'],
  },
  {
    name: 'IPVS rules growing with the Services like iptables rules',
    lab,
    from: 'ipvsRules: 21,',
    to: 'ipvsRules: 21 + services,',
    fails: ['predictsGrowth'],
  },
  {
    name: 'a NodePort taken for no extra virtual server',
    lab,
    from: 'const virtualServers = services + nodePorts;',
    to: 'const virtualServers = services;',
    fails: ['predictsGrowth'],
  },
  {
    name: 'only the rules that matched counted, not every rule the packet was tested against',
    lab,
    from: "const looked = (trace: { kind: string }[]) => trace.filter((s) => s.kind === 'rule').length;",
    to: "const looked = (trace: { kind: string; matched?: boolean }[]) => trace.filter((s) => s.kind === 'rule' && s.matched).length;",
    fails: ['walksToTheLast'],
    passes: ['measuresBoth', 'predictsGrowth'],
  },
  {
    name: 'kube-ipvs0 forgotten: the ClusterIP not a local address in IPVS mode',
    lab,
    from: "const local = new Set([...NODE.nodeIPs, ...ipvs.dummyAddresses.map((a) => a.split('/')[0])]);",
    to: 'const local = new Set(NODE.nodeIPs);',
    fails: ['walksToTheLast'],
  },
  {
    name: 'the connection sent to the first Service instead of the last',
    lab,
    from: 'const last = cluster.services[cluster.services.length - 1].spec;',
    to: 'const last = cluster.services[0].spec;',
    fails: ['walksToTheLast'],
  },
]);
