// A lab session with `cluster: { scheduler: true, network: true }`: the manifests' pods are bound,
// addressed and served; the terminal reaches them through kubectl exec and ssh.
import { describe, expect, it } from 'vitest';
import { mountLabCluster } from '../../src/lab/lab-cluster';
import { createShell, stripAnsi, type ShellIO } from '../../src/lab/shell/index';

const manifests = {
  'app.yaml': `apiVersion: v1
kind: Pod
metadata: { name: web-1, labels: { app: web } }
spec: { containers: [{ name: web, image: registry.k8s.io/e2e-test-images/agnhost:2.53, ports: [{ containerPort: 8080 }] }] }
---
apiVersion: v1
kind: Pod
metadata: { name: web-2, labels: { app: web } }
spec: { containers: [{ name: web, image: registry.k8s.io/e2e-test-images/agnhost:2.53, ports: [{ containerPort: 8080 }] }] }
---
apiVersion: v1
kind: Pod
metadata: { name: client }
spec: { containers: [{ name: client, image: busybox:1.36 }] }
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec: { selector: { app: web }, ports: [{ port: 80, targetPort: 8080 }] }
`,
};

async function session() {
  const shell = createShell();
  const lines: string[] = [];
  const io: ShellIO = { print: (t) => lines.push(stripAnsi(t)), error: (t) => lines.push(`E: ${stripAnsi(t)}`), clear: () => {} };
  await mountLabCluster({ shell, io, seed: 7, files: manifests, apply: ['app.yaml'], scheduler: true, network: true });
  const run = async (line: string) => {
    lines.length = 0;
    const code = await shell.execute(line, io);
    return { code, text: lines.join('\n') };
  };
  return { shell, run };
}

describe('a lab session with the cluster network', () => {
  it('binds and addresses the pods, and curl from one pod reaches the Service', async () => {
    const s = await session();
    const wide = await s.run('kubectl get pods -o wide');
    expect(wide.text).toMatch(/web-1 +1\/1 +Running +0 +\S+ +10\.244\.[01]\.\d+ +node-[ab]/);
    const curl = await s.run('kubectl exec client -- curl -s http://web');
    expect(curl.code).toBe(0);
    expect(['web-1', 'web-2']).toContain(curl.text);
    expect((await s.run('kubectl exec client -- cat /etc/resolv.conf')).text).toContain('nameserver 10.96.0.10');
    expect((await s.run('kubectl exec client -- wget web')).text).toMatch(/^E: error: Internal error occurred: .*exec: "wget": executable file not found in \$PATH: unknown$/);
  });

  it('ssh runs the node tools; an unknown node is refused as OpenSSH refuses it', async () => {
    const s = await session();
    const nat = await s.run('ssh node-a iptables-save -t nat');
    expect(nat.text).toContain('-A KUBE-SERVICES');
    expect(nat.text).toContain('"default/web cluster IP"');
    expect((await s.run('ssh node-a cat /run/flannel/subnet.env')).text).toMatch(/^FLANNEL_NETWORK=10\.244\.0\.0\/16\nFLANNEL_SUBNET=10\.244\.\d\.1\/24/);
    expect((await s.run('ssh node-z ip route')).text).toBe('E: ssh: Could not resolve hostname node-z: Name or service not known');
    await s.run('ssh node-b');
    expect(s.shell.nestedPrompt()).toBe('root@node-b:~# ');
    expect((await s.run('hostname')).text).toBe('node-b');
    await s.run('exit');
    expect(s.shell.nestedPrompt()).toBeUndefined();
  });

  it('kubectl lists Services and their EndpointSlices together, wide', async () => {
    const s = await session();
    const out = (await s.run('kubectl get svc,endpointslices -o wide')).text;
    expect(out).toMatch(/^NAME +TYPE +CLUSTER-IP +EXTERNAL-IP +PORT\(S\) +AGE +SELECTOR$/m);
    expect(out).toMatch(/^service\/web +ClusterIP +10\.\d+\.\d+\.\d+ +<none> +80\/TCP +\S+ +app=web$/m);
    expect(out).toMatch(/^NAME +ADDRESSTYPE +PORTS +ENDPOINTS +AGE$/m);
    expect(out).toMatch(/^endpointslice\.discovery\.k8s\.io\/web-\w{5} +IPv4 +8080 +10\.244\.\d\.\d+,10\.244\.\d\.\d+ +\S+$/m);
  });

  it('a pod calls the API server with its token: TLS, then RBAC, through kubectl exec', async () => {
    const s = await session();
    expect((await s.run('kubectl exec client -- curl https://kubernetes.default.svc/api')).text).toMatch(/^E: curl: \(60\) SSL certificate problem: unable to get local issuer certificate/);
    const dir = '/var/run/secrets/kubernetes.io/serviceaccount';
    expect((await s.run(`kubectl exec client -- ls ${dir}`)).text).toBe('ca.crt\nnamespace\ntoken');
    const pods = await s.run(`kubectl exec client -- curl -s --cacert ${dir}/ca.crt -H "Authorization: Bearer $(cat ${dir}/token)" https://kubernetes.default.svc/api/v1/namespaces/default/pods`);
    expect(JSON.parse(pods.text).message).toBe('pods is forbidden: User "system:serviceaccount:default:default" cannot list resource "pods" in API group "" in the namespace "default"');
    expect((await s.run('kubectl exec client -- printenv KUBERNETES_SERVICE_HOST')).text).toBe('10.96.0.1');
  });
});
