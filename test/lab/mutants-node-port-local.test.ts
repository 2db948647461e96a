// Mutants of the node-port-local lab: Local taken for Cluster and back, the client address
// assumed kept under Cluster, masquerading to the wrong interface, and health checks that count
// terminating pods, count a pod once per slice, or are opened for NodePort Services too.
import { describe, expect, it } from 'vitest';
import { labManifests, readLab } from '../../src/lab/node/labs';
import { mountLabCluster, type SessionNetwork } from '../../src/lab/lab-cluster';
import { createShell, stripAnsi, type ShellIO } from '../../src/lab/shell/index';
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


// The Reflect step's terminal: the lab's app.yaml on three nodes, mounted as the page mounts it.
describe('node-port-local: the terminal of the Reflect step', () => {
  it('node-b drops web-local from outside, node-a keeps KUBE-SVL, and a pod on node-b still gets an answer', async () => {
    const l = readLab(lab);
    const spec = l.yaml.cluster as { apply: string[]; network: SessionNetwork };
    const shell = createShell();
    const lines: string[] = [];
    const io: ShellIO = { print: (t) => lines.push(stripAnsi(t)), error: (t) => lines.push(`E: ${stripAnsi(t)}`), clear: () => {} };
    await mountLabCluster({ shell, io, seed: l.yaml.seed ?? 1, files: labManifests(l), apply: spec.apply, network: spec.network });
    const run = async (line: string) => {
      lines.length = 0;
      const code = await shell.execute(line, io);
      return { code, text: lines.join('\n') };
    };
    const wide = (await run('kubectl get pods -o wide')).text;
    expect(wide).toMatch(/web-1 .* node-a/);
    expect(wide).toMatch(/web-2 .* node-c/);
    expect(wide).toMatch(/client .* node-b/);
    const ext = (natText: string) => natText.split('\n').filter((r) => r.startsWith('-A KUBE-EXT-') && r.includes('-j KUBE-SVL-'));
    expect(ext((await run('ssh node-a iptables-save -t nat')).text)).toHaveLength(1);
    expect(ext((await run('ssh node-b iptables-save -t nat')).text)).toHaveLength(0);
    expect((await run('ssh node-b iptables-save -t filter')).text).toContain('"default/web-local:http has no local endpoints"');
    expect((await run('ssh node-a iptables-save -t filter')).text).not.toContain('has no local endpoints');
    const curl = await run('kubectl exec client -- curl -s http://192.168.0.3:30081');
    expect(curl.code).toBe(0);
    expect(['web-1', 'web-2']).toContain(curl.text);
  });
});
