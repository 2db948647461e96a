import { describe, expect, it } from 'vitest';
import { makeHarness } from './testing/harness';
import { CRD_YAML, WEB_YAML, seedPods } from './testing/fixtures';
import { klogString } from './client/rest';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('-v: what client-go logs at v0.34.0', () => {
  async function warmed() {
    const h = makeHarness({ files: { 'web.yaml': WEB_YAML } });
    await h.run('kubectl apply -f web.yaml');
    h.clock.advance(7_500);
    return h;
  }

  it('-v=6: one Response line per request with verb, url, status and milliseconds', async () => {
    const h = await warmed();
    expect((await h.run('kubectl get pods -v=6')).out).toMatchInlineSnapshot(`
      "I0101 00:00:07.500000    4242 round_trippers.go:632] "Response" verb="GET" url="https://127.0.0.1:6443/api/v1/namespaces/default/pods?limit=500" status="200 OK" milliseconds=0
      NAME   READY   STATUS    RESTARTS   AGE
      web    0/1     Pending   0          7s"
    `);
  });

  it('-v=7: the Request line with headers, and the Response status', async () => {
    const h = await warmed();
    expect((await h.run('kubectl get pod web --v=7')).out).toMatchInlineSnapshot(`
      "I0101 00:00:07.500000    4242 round_trippers.go:527] "Request" verb="GET" url="https://127.0.0.1:6443/api/v1/namespaces/default/pods/web" headers=<
      	Accept: application/json
      	Kubectl-Command: kubectl get
      	Kubectl-Session: 00000000-0000-4000-8000-000000000002
      	User-Agent: kubectl/v1.34.0 (linux/amd64) kubernetes/f28b4c9
       >
      I0101 00:00:07.500000    4242 round_trippers.go:632] "Response" status="200 OK" milliseconds=0
      NAME   READY   STATUS    RESTARTS   AGE
      web    0/1     Pending   0          7s"
    `);
  });

  it('-v=8: request and response bodies (truncated at 1024 characters)', async () => {
    const h = await warmed();
    const r = await h.run('kubectl label pod web tier=front -v=8');
    expect(r.out).toMatchInlineSnapshot(`
      "I0101 00:00:07.500000    4242 round_trippers.go:527] "Request" verb="GET" url="https://127.0.0.1:6443/api/v1/namespaces/default/pods/web" headers=<
      	Accept: application/json
      	Kubectl-Command: kubectl label
      	Kubectl-Session: 00000000-0000-4000-8000-000000000002
      	User-Agent: kubectl/v1.34.0 (linux/amd64) kubernetes/f28b4c9
       >
      I0101 00:00:07.500000    4242 round_trippers.go:632] "Response" status="200 OK" headers=<
      	Cache-Control: no-cache, private
      	Content-Type: application/json
      	Date: Wed, 01 Jan 2025 00:00:07 GMT
       > milliseconds=0
      I0101 00:00:07.500000    4242 request.go:1206] "Response Body" body=<
      	{"kind":"Pod","apiVersion":"v1","metadata":{"name":"web","labels":{"app":"web"},"namespace":"default","annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\\"apiVersion\\":\\"v1\\",\\"kind\\":\\"Pod\\",\\"metadata\\":{\\"annotations\\":{},\\"labels\\":{\\"app\\":\\"web\\"},\\"name\\":\\"web\\",\\"namespace\\":\\"default\\"},\\"spec\\":{\\"containers\\":[{\\"image\\":\\"nginx:1.27\\",\\"name\\":\\"web\\",\\"ports\\":[{\\"containerPort\\":80}]}]}}\\n"},"uid":"00000000-0000-4000-8000-000000000005","resourceVersion":"105","creationTimestamp":"2025-01-01T00:00:00Z"},"spec":{"containers":[{"name":"web","image":"nginx:1.27","ports":[{"containerPort":80}]}],"restartPolicy":"Always","terminationGracePeriodSeconds":30,"schedulerName":"default-scheduler"},"status":{"phase":"Pending","qosClass":"BestEffort"}}
       >
      I0101 00:00:07.500000    4242 request.go:1132] "Request Body" body="{\\"metadata\\":{\\"labels\\":{\\"tier\\":\\"front\\"}}}"
      I0101 00:00:07.500000    4242 round_trippers.go:527] "Request" verb="PATCH" url="https://127.0.0.1:6443/api/v1/namespaces/default/pods/web?fieldManager=kubectl-label" headers=<
      	Accept: application/json
      	Content-Type: application/merge-patch+json
      	Kubectl-Command: kubectl label
      	Kubectl-Session: 00000000-0000-4000-8000-000000000002
      	User-Agent: kubectl/v1.34.0 (linux/amd64) kubernetes/f28b4c9
       >
      I0101 00:00:07.500000    4242 round_trippers.go:632] "Response" status="200 OK" headers=<
      	Cache-Control: no-cache, private
      	Content-Type: application/json
      	Date: Wed, 01 Jan 2025 00:00:07 GMT
       > milliseconds=0
      I0101 00:00:07.500000    4242 request.go:1206] "Response Body" body=<
      	{"kind":"Pod","apiVersion":"v1","metadata":{"name":"web","labels":{"app":"web","tier":"front"},"namespace":"default","annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\\"apiVersion\\":\\"v1\\",\\"kind\\":\\"Pod\\",\\"metadata\\":{\\"annotations\\":{},\\"labels\\":{\\"app\\":\\"web\\"},\\"name\\":\\"web\\",\\"namespace\\":\\"default\\"},\\"spec\\":{\\"containers\\":[{\\"image\\":\\"nginx:1.27\\",\\"name\\":\\"web\\",\\"ports\\":[{\\"containerPort\\":80}]}]}}\\n"},"uid":"00000000-0000-4000-8000-000000000005","resourceVersion":"107","creationTimestamp":"2025-01-01T00:00:00Z"},"spec":{"containers":[{"name":"web","image":"nginx:1.27","ports":[{"containerPort":80}]}],"restartPolicy":"Always","terminationGracePeriodSeconds":30,"schedulerName":"default-scheduler"},"status":{"phase":"Pending","qosClass":"BestEffort"}}
       >
      pod/web labeled"
    `);
    seedPods(h.server);
    const big = await h.run('kubectl get pods -v 8');
    expect(big.out).toMatch(/"Response Body" body="\{\\"kind\\":\\"PodList\\".* \[truncated \d+ chars\]"/);
  });

  it('-v=9: the curl command instead of the URL, response headers and timings', async () => {
    const h = await warmed();
    expect((await h.run('kubectl get svc web -v=9')).out.split('\n').slice(0, 8).join('\n')).toMatchInlineSnapshot(`
      "I0101 00:00:07.500000    4242 round_trippers.go:527] "Request" curlCommand=<
      	curl -v -XGET  -H "Accept: application/json" -H "Kubectl-Command: kubectl get" -H "Kubectl-Session: 00000000-0000-4000-8000-000000000002" -H "User-Agent: kubectl/v1.34.0 (linux/amd64) kubernetes/f28b4c9" 'https://127.0.0.1:6443/api/v1/namespaces/default/services/web'
       >
      I0101 00:00:07.500000    4242 round_trippers.go:632] "Response" verb="GET" url="https://127.0.0.1:6443/api/v1/namespaces/default/services/web" status="200 OK" headers=<
      	Cache-Control: no-cache, private
      	Content-Type: application/json
      	Date: Wed, 01 Jan 2025 00:00:07 GMT
       > milliseconds=0 getConnectionMilliseconds=0"
    `);
  });

  it("klog's string values: quoted on one line, a tab-indented block with line breaks", () => {
    expect(klogString('a "b"')).toBe('="a \\"b\\""');
    expect(klogString('one\ntwo\n')).toBe('=<\n\tone\n\ttwo\n >');
    expect(klogString('one\ntwo')).toBe('=<\n\tone\n\ttwo\n >');
  });
});

describe('flags, help and errors', () => {
  it('pflag errors say what is wrong and point at --help', async () => {
    const h = makeHarness();
    expect(await h.run('kubectl get pods --colour')).toMatchObject({ code: 1, err: "error: unknown flag: --colour\nSee 'kubectl get --help' for usage." });
    expect((await h.run('kubectl get pods -x')).err).toBe("error: unknown shorthand flag: 'x' in -x\nSee 'kubectl get --help' for usage.");
    expect((await h.run('kubectl get pods -n')).err).toBe("error: flag needs an argument: 'n' in -n\nSee 'kubectl get --help' for usage.");
    expect((await h.run('kubectl delete pod x --grace-period=soon')).err).toBe(
      'error: invalid argument "soon" for "--grace-period" flag: strconv.ParseInt: parsing "soon": invalid syntax\nSee \'kubectl delete --help\' for usage.',
    );
    expect((await h.run('kubectl frobnicate')).err).toBe('error: unknown command "frobnicate" for "kubectl"');
  });

  it('flags may come before the subcommand, grouped, or with = (-n=x, -nx, -Aw)', async () => {
    const h = makeHarness();
    seedPods(h.server);
    h.server.seed({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'kube-system' } });
    expect((await h.run('kubectl -n kube-system get cm')).out).toMatch(/^NAME +DATA +AGE\ncfg /);
    expect((await h.run('kubectl get cm -nkube-system --no-headers')).out).toMatch(/^cfg /);
    expect((await h.run('kubectl get cm --namespace=kube-system -o=name')).out).toBe('configmap/cfg');
  });

  it('kubectl alone lists the commands; --help shows a command', async () => {
    const h = makeHarness();
    const root = await h.run('kubectl');
    expect(root.out).toMatch(/^kubectl controls the Kubernetes cluster manager\./);
    expect(root.out).toMatch(/\n {2}get {13}Display one or many resources\n/);
    const help = await h.run('kubectl get --help');
    expect(help.out).toMatch(/^Display one or many resources\.\n\nExamples:\n/);
    expect(help.out).toContain('-w, --watch=false:');
    expect((await h.run('kubectl help delete')).out).toMatch(/^Delete resources/);
  });

  it('version asks the server', async () => {
    const h = makeHarness();
    expect((await h.run('kubectl version')).out).toBe('Client Version: v1.34.0\nKustomize Version: v5.7.1\nServer Version: v1.34.0');
    expect((await h.run('kubectl version --client')).out).toBe('Client Version: v1.34.0\nKustomize Version: v5.7.1');
  });
});

describe('api-resources and explain', () => {
  it('api-resources filters by group and scope; -o name', async () => {
    const h = makeHarness();
    expect((await h.run('kubectl api-resources --api-group=apps')).out).toMatchInlineSnapshot(`
      "NAME                  SHORTNAMES   APIVERSION   NAMESPACED   KIND
      controllerrevisions                apps/v1      true         ControllerRevision
      daemonsets            ds           apps/v1      true         DaemonSet
      deployments           deploy       apps/v1      true         Deployment
      replicasets           rs           apps/v1      true         ReplicaSet
      statefulsets          sts          apps/v1      true         StatefulSet"
    `);
    expect((await h.run('kubectl api-resources --namespaced=false -o name')).out).toBe('namespaces\nnodes\ncustomresourcedefinitions.apiextensions.k8s.io');
    expect((await h.run('kubectl api-versions')).out).toBe('apiextensions.k8s.io/v1\napps/v1\ncoordination.k8s.io/v1\ndiscovery.k8s.io/v1\nv1');
  });

  it('explain prints the kind, its description and fields as the v3 template does', async () => {
    const h = makeHarness();
    expect((await h.run('kubectl explain deployment.spec.replicas')).out).toMatchInlineSnapshot(`
      "GROUP:      apps
      KIND:       Deployment
      VERSION:    v1

      FIELD: replicas <integer>


      DESCRIPTION:
          Number of desired pods. This is a pointer to distinguish between explicit
          zero and not specified. Defaults to 1.
          "
    `);
    const pods = await h.run('kubectl explain pods');
    expect(pods.out.split('\n').slice(0, 12).join('\n')).toMatchInlineSnapshot(`
      "KIND:       Pod
      VERSION:    v1

      DESCRIPTION:
          Pod is a collection of containers that can run on a host. This resource is
          created by clients and scheduled onto hosts.
          
      FIELDS:
        apiVersion	<string>
          APIVersion defines the versioned schema of this representation of an object.
          Servers should convert recognized schemas to the latest internal value, and
          may reject unrecognized values. More info:"
    `);
    expect((await h.run('kubectl explain pods.spec.nope')).err).toBe('error: field "nope" does not exist');
    expect((await h.run('kubectl explain pods.spec --recursive')).out).toContain('FIELDS:\n  containers\t<[]Container> -required-\n    args\t<[]string>\n');
  });

  it("explain reads a CRD's schema", async () => {
    const h = makeHarness({ files: { 'crd.yaml': CRD_YAML } });
    await h.run('kubectl apply -f crd.yaml');
    expect((await h.run('kubectl explain widgets.spec')).out).toMatchInlineSnapshot(`
      "GROUP:      example.com
      KIND:       Widget
      VERSION:    v1

      FIELD: spec <Object>


      DESCRIPTION:
          The desired state of the widget.
          
      FIELDS:
        color	<string>
        enum: red, green
          The widget's color.

        size	<integer> -required-
          How many gears the widget has.
      "
    `);
  });
});

describe('completion', () => {
  it('completes subcommands, flags, output formats and files for -f', async () => {
    const h = makeHarness({ files: { 'web.yaml': WEB_YAML, 'manifests/a.yaml': '' } });
    expect(h.shell.complete('kubectl ge').candidates).toEqual(['get']);
    expect(h.shell.complete('kubectl de').candidates).toEqual(['delete', 'describe']);
    expect(h.shell.complete('kubectl get pods -o ').candidates).toEqual(['custom-columns=', 'json', 'jsonpath-as-json=', 'jsonpath=', 'name', 'wide', 'yaml']);
    expect(h.shell.complete('kubectl get pods --sh').candidates).toEqual(['--show-kind', '--show-labels']);
    expect(h.shell.complete('kubectl apply -f ').candidates).toEqual(['manifests/', 'web.yaml']);
    expect(h.shell.complete('kubectl apply -f man').candidates).toEqual(['manifests/']);
    expect(h.shell.complete('kubectl delete pod web --cascade ').candidates).toEqual(['background', 'foreground', 'orphan']);
  });

  it('completes resource types from discovery, and names once they have been fetched', async () => {
    const h = makeHarness();
    seedPods(h.server);
    // Before discovery: common types; discovery starts in the background.
    expect(h.shell.complete('kubectl get po').candidates).toEqual(['pods']);
    await tick();
    expect(h.shell.complete('kubectl get de').candidates).toEqual(['deploy', 'deployments']);
    expect(h.shell.complete('kubectl describe pod ').candidates).toEqual([]);
    await tick();
    expect(h.shell.complete('kubectl describe pod ').candidates).toEqual(['crashy', 'web-7d4b9c8f5-abcde']);
    expect(h.shell.complete('kubectl get pod/cr').candidates).toEqual(['pod/crashy']);
    expect(h.shell.complete('kubectl -n ').candidates).toEqual([]);
    expect(h.shell.complete('kubectl get pods -n kube').candidates).toEqual([]);
    await tick();
    expect(h.shell.complete('kubectl get pods -n kube').candidates).toEqual(['kube-node-lease', 'kube-public', 'kube-system']);
  });
});
