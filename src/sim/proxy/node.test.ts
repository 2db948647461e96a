// Node-view goldens of the model's own output on a kubeadm-like node (not upstream files): the
// texts `iptables-save -t nat|filter` and `ipvsadm -Ln` show. They pin the exact format the
// netfilter evaluator and the shell read; a diff here is a change to review, not to re-bless.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalIPTablesSave } from './iptables/canonical';
import { checkIPTablesRuleJumps, iptablesSaveTable } from './iptables/save';
import { syncProxyRules } from './iptables/proxier';
import { kubeadmCluster, kubeadmNode } from './iptables/testdata/kubeadm';
import { ipvsadmList } from './ipvs/ipvsadm';
import { syncIPVSProxyRules } from './ipvs/proxier';

const golden = (name: string) => readFileSync(new URL(`./iptables/testdata/${name}`, import.meta.url), 'utf8');

describe('a kubeadm node', () => {
  const r = syncProxyRules({ ...kubeadmCluster(), ...kubeadmNode });

  it('iptables-save -t nat', () => expect(iptablesSaveTable(r.nat, 'nat')).toBe(golden('kubeadm-node.nat.golden')));
  it('iptables-save -t filter', () => expect(iptablesSaveTable(r.filter, 'filter')).toBe(golden('kubeadm-node.filter.golden')));
  it('iptables-save -t nat, in the canonical form a real iptables-save prints', () =>
    expect(canonicalIPTablesSave(iptablesSaveTable(r.nat, 'nat'))).toBe(golden('kubeadm-node.nat.canonical.golden')));
  it('is consistent', () => expect(checkIPTablesRuleJumps(r.filter + r.nat)).toBeUndefined());
  it('ipvsadm -Ln in IPVS mode', () => {
    const v = syncIPVSProxyRules({ ...kubeadmCluster(), ...kubeadmNode });
    expect(ipvsadmList(v.virtualServers)).toBe(golden('kubeadm-node.ipvsadm.golden'));
  });
});
