import { describe, expect, it } from 'vitest';
import { makeHarness } from './testing/harness';
import { DEPLOY_YAML, WEB_YAML, seedNode, seedPods, ts } from './testing/fixtures';

const MIN = 60_000;

describe('kubectl get: tables', () => {
  it('says there is nothing in the namespace (stdout stays empty of tables, exit 0)', async () => {
    const h = makeHarness();
    expect(await h.run('kubectl get pods')).toMatchObject({ code: 0, out: 'No resources found in default namespace.' });
    expect(await h.run('kubectl get nodes')).toMatchObject({ code: 0, out: 'No resources found' });
    expect(await h.run('kubectl get pods -n kube-system')).toMatchObject({ out: 'No resources found in kube-system namespace.' });
  });

  it('prints pods as kubectl does: READY, STATUS from container states, RESTARTS with the last restart, AGE from the clock', async () => {
    const h = makeHarness();
    seedPods(h.server);
    h.clock.set(Date.parse(ts(3 * MIN + 10_000)));
    const r = await h.run('kubectl get pods');
    expect(r.code).toBe(0);
    expect(r.out).toMatchInlineSnapshot(`
      "NAME                  READY   STATUS             RESTARTS      AGE
      crashy                0/1     CrashLoopBackOff   4 (80s ago)   3m10s
      web-7d4b9c8f5-abcde   1/1     Running            0             3m10s"
    `);
  });

  it('-o wide adds IP, NODE, NOMINATED NODE and READINESS GATES', async () => {
    const h = makeHarness();
    seedPods(h.server);
    h.clock.set(Date.parse(ts(5 * MIN)));
    expect((await h.run('kubectl get pods -o wide')).out).toMatchInlineSnapshot(`
      "NAME                  READY   STATUS             RESTARTS        AGE   IP           NODE     NOMINATED NODE   READINESS GATES
      crashy                0/1     CrashLoopBackOff   4 (3m10s ago)   5m    10.244.1.6   node-1   <none>           <none>
      web-7d4b9c8f5-abcde   1/1     Running            0               5m    10.244.1.5   node-1   <none>           <none>"
    `);
  });

  it('-A adds NAMESPACE; --show-labels adds LABELS; -L adds a column per label; --no-headers drops the header', async () => {
    const h = makeHarness();
    seedPods(h.server);
    h.clock.set(Date.parse(ts(5 * MIN)));
    expect((await h.run('kubectl get pods -A')).out).toMatchInlineSnapshot(`
      "NAMESPACE   NAME                  READY   STATUS             RESTARTS        AGE
      default     crashy                0/1     CrashLoopBackOff   4 (3m10s ago)   5m
      default     web-7d4b9c8f5-abcde   1/1     Running            0               5m"
    `);
    expect((await h.run('kubectl get pods --show-labels')).out).toMatchInlineSnapshot(`
      "NAME                  READY   STATUS             RESTARTS        AGE   LABELS
      crashy                0/1     CrashLoopBackOff   4 (3m10s ago)   5m    app=crashy
      web-7d4b9c8f5-abcde   1/1     Running            0               5m    app=web,pod-template-hash=7d4b9c8f5"
    `);
    expect((await h.run('kubectl get pods -L app --no-headers')).out).toMatchInlineSnapshot(`
      "crashy                0/1   CrashLoopBackOff   4 (3m10s ago)   5m    crashy
      web-7d4b9c8f5-abcde   1/1   Running            0               5m    web"
    `);
  });

  it('several kinds print one table each, names prefixed with the kind, separated by a blank line', async () => {
    const h = makeHarness({ files: { 'web.yaml': WEB_YAML, 'deploy.yaml': DEPLOY_YAML } });
    await h.run('kubectl apply -f web.yaml -f deploy.yaml');
    h.clock.advance(90_000);
    expect((await h.run('kubectl get pods,svc,deploy')).out).toMatchInlineSnapshot(`
      "NAME      READY   STATUS    RESTARTS   AGE
      pod/web   0/1     Pending   0          90s

      NAME          TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE
      service/web   ClusterIP   10.96.0.10   <none>        80/TCP    90s

      NAME                  READY   UP-TO-DATE   AVAILABLE   AGE
      deployment.apps/api   0/2     0            0           90s"
    `);
    expect((await h.run('kubectl get all')).out).toMatchInlineSnapshot(`
      "NAME      READY   STATUS    RESTARTS   AGE
      pod/web   0/1     Pending   0          90s

      NAME          TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE
      service/web   ClusterIP   10.96.0.10   <none>        80/TCP    90s

      NAME                  READY   UP-TO-DATE   AVAILABLE   AGE
      deployment.apps/api   0/2     0            0           90s"
    `);
  });

  it('nodes, namespaces, services, deployments: their own columns', async () => {
    const h = makeHarness({ files: { 'web.yaml': WEB_YAML, 'deploy.yaml': DEPLOY_YAML } });
    seedNode(h.server);
    await h.run('kubectl apply -f deploy.yaml -f web.yaml');
    h.clock.advance(3 * 3600_000);
    expect((await h.run('kubectl get nodes -o wide')).out).toMatchInlineSnapshot(`
      "NAME     STATUS   ROLES           AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE                         KERNEL-VERSION   CONTAINER-RUNTIME
      node-1   Ready    control-plane   3h    v1.34.0   172.18.0.3    <none>        Debian GNU/Linux 12 (bookworm)   6.1.0            containerd://2.1.3"
    `);
    expect((await h.run('kubectl get ns')).out).toMatchInlineSnapshot(`
      "NAME              STATUS   AGE
      default           Active   3h
      kube-node-lease   Active   3h
      kube-public       Active   3h
      kube-system       Active   3h"
    `);
    expect((await h.run('kubectl get svc -o wide')).out).toMatchInlineSnapshot(`
      "NAME   TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE   SELECTOR
      web    ClusterIP   10.96.0.10   <none>        80/TCP    3h    app=web"
    `);
    expect((await h.run('kubectl get deploy -o wide')).out).toMatchInlineSnapshot(`
      "NAME   READY   UP-TO-DATE   AVAILABLE   AGE   CONTAINERS   IMAGES            SELECTOR
      api    0/2     0            0           3h    api          example/api:1.0   app=api"
    `);
  });

  it('a missing name is the server NotFound; other names still print (exit 1)', async () => {
    const h = makeHarness();
    seedPods(h.server);
    const r = await h.run('kubectl get pods crashy nope');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^NAME {5}READY/);
    expect(r.err).toBe('Error from server (NotFound): pods "nope" not found');
    expect((await h.run('kubectl get pod nope --ignore-not-found')).all).toBe('');
  });

  it('unknown types, no type at all, and bad mixes of type/name are kubectl errors', async () => {
    const h = makeHarness();
    expect(await h.run('kubectl get widgets')).toMatchObject({ code: 1, err: 'error: the server doesn\'t have a resource type "widgets"' });
    const none = await h.run('kubectl get');
    expect(none.code).toBe(1);
    expect(none.all).toMatchInlineSnapshot(`
      "You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.

      error: Required resource not specified.
      Use "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).
      See 'kubectl get -h' for help and examples"
    `);
    expect((await h.run('kubectl get pods pod/web')).err).toMatch(/^error: there is no need to specify a resource type as a separate argument/);
    expect((await h.run('kubectl get pods -o foo')).err).toBe(
      'error: unable to match a printer suitable for the output format "foo", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml',
    );
  });
});

describe('kubectl get: other output formats', () => {
  it('-o name, -o jsonpath, -o custom-columns', async () => {
    const h = makeHarness({ files: { 'web.yaml': WEB_YAML, 'deploy.yaml': DEPLOY_YAML } });
    await h.run('kubectl apply -f web.yaml -f deploy.yaml');
    expect((await h.run('kubectl get pods,svc,deploy -o name')).out).toBe('pod/web\nservice/web\ndeployment.apps/api');
    expect((await h.run("kubectl get pods -o jsonpath='{.items[*].metadata.name}'")).out).toBe('web');
    expect((await h.run(`kubectl get svc web -o jsonpath='{.spec.ports[0].targetPort}{"\\n"}'`)).out).toBe('8080');
    expect((await h.run(`kubectl get deploy -o jsonpath='{range .items[*]}{.metadata.name}={.spec.replicas}{"\\n"}{end}'`)).out).toBe('api=2');
    expect((await h.run('kubectl get pods -o custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[*].image,NODE:.spec.nodeName')).out).toMatchInlineSnapshot(`
      "NAME   IMAGE        NODE
      web    nginx:1.27   <none>"
    `);
  });

  it('-o yaml of one object is the object (managedFields hidden); of a list, a List', async () => {
    const h = makeHarness({ files: { 'web.yaml': WEB_YAML } });
    await h.run('kubectl apply -f web.yaml');
    expect((await h.run('kubectl get svc web -o yaml')).out).toMatchInlineSnapshot(`
      "apiVersion: v1
      kind: Service
      metadata:
        annotations:
          kubectl.kubernetes.io/last-applied-configuration: |
            {"apiVersion":"v1","kind":"Service","metadata":{"annotations":{},"name":"web","namespace":"default"},"spec":{"ports":[{"port":80,"targetPort":8080}],"selector":{"app":"web"}}}
        creationTimestamp: "2025-01-01T00:00:00Z"
        name: web
        namespace: default
        resourceVersion: "106"
        uid: 00000000-0000-4000-8000-000000000006
      spec:
        clusterIP: 10.96.0.10
        clusterIPs:
        - 10.96.0.10
        internalTrafficPolicy: Cluster
        ipFamilies:
        - IPv4
        ipFamilyPolicy: SingleStack
        ports:
        - port: 80
          protocol: TCP
          targetPort: 8080
        selector:
          app: web
        sessionAffinity: None
        type: ClusterIP
      status:
        loadBalancer: {}"
    `);
    const list = await h.run('kubectl get pods -o yaml');
    expect(list.out.startsWith('apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Pod\n')).toBe(true);
    expect(list.out.endsWith('kind: List\nmetadata:\n  resourceVersion: ""')).toBe(true);
  });

  it('-o json indents with four spaces and sorts keys', async () => {
    const h = makeHarness({ files: { 'web.yaml': WEB_YAML } });
    await h.run('kubectl apply -f web.yaml');
    expect((await h.run('kubectl get pod web -o json')).out).toMatchInlineSnapshot(`
      "{
          "apiVersion": "v1",
          "kind": "Pod",
          "metadata": {
              "annotations": {
                  "kubectl.kubernetes.io/last-applied-configuration": "{\\"apiVersion\\":\\"v1\\",\\"kind\\":\\"Pod\\",\\"metadata\\":{\\"annotations\\":{},\\"labels\\":{\\"app\\":\\"web\\"},\\"name\\":\\"web\\",\\"namespace\\":\\"default\\"},\\"spec\\":{\\"containers\\":[{\\"image\\":\\"nginx:1.27\\",\\"name\\":\\"web\\",\\"ports\\":[{\\"containerPort\\":80}]}]}}\\n"
              },
              "creationTimestamp": "2025-01-01T00:00:00Z",
              "labels": {
                  "app": "web"
              },
              "name": "web",
              "namespace": "default",
              "resourceVersion": "105",
              "uid": "00000000-0000-4000-8000-000000000005"
          },
          "spec": {
              "containers": [
                  {
                      "image": "nginx:1.27",
                      "name": "web",
                      "ports": [
                          {
                              "containerPort": 80
                          }
                      ]
                  }
              ],
              "restartPolicy": "Always",
              "schedulerName": "default-scheduler",
              "terminationGracePeriodSeconds": 30
          },
          "status": {
              "phase": "Pending",
              "qosClass": "BestEffort"
          }
      }"
    `);
  });

  it('--raw prints the body the server sent', async () => {
    const h = makeHarness();
    expect((await h.run('kubectl get --raw /api')).out).toBe('{"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"172.18.0.2:6443"}]}');
    const missing = await h.run('kubectl get --raw /api/v1/namespaces/default/pods/nope');
    expect(missing.code).toBe(1);
    expect(missing.err).toBe('Error from server (NotFound): pods "nope" not found');
  });
});

describe('kubectl get: what goes over the wire', () => {
  it('lists with limit=500, label and field selectors as kubectl sends them', async () => {
    const h = makeHarness();
    seedPods(h.server);
    await h.run('kubectl get pods');
    h.server.requests.length = 0;
    await h.run("kubectl get pods -l 'app in (web,crashy)' --field-selector status.phase=Running");
    expect(h.server.requests).toEqual([
      {
        verb: 'GET',
        path: '/api/v1/namespaces/default/pods',
        query: { labelSelector: 'app in (web,crashy)', fieldSelector: 'status.phase=Running', limit: '500' },
        userAgent: 'kubectl/v1.34.0 (linux/amd64) kubernetes/f28b4c9',
      },
    ]);
  });

  it('follows continue tokens page by page', async () => {
    const h = makeHarness();
    for (const n of ['a', 'b', 'c', 'd', 'e']) h.server.seed({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: n }, data: { k: n } });
    await h.run('kubectl get cm');
    h.server.requests.length = 0;
    const r = await h.run('kubectl get cm --chunk-size=2');
    expect(r.out.split('\n').map((l) => l.split(' ')[0])).toEqual(['NAME', 'a', 'b', 'c', 'd', 'e']);
    expect(h.server.requests.map((q) => q.query)).toEqual([{ limit: '2' }, { limit: '2', continue: '2' }, { limit: '2', continue: '4' }]);
  });

  it('discovery runs once (/api, /apis, then each group version) and again when a type is unknown', async () => {
    const h = makeHarness();
    await h.run('kubectl get pods');
    const paths = h.server.requests.map((q) => q.path);
    expect(paths).toEqual([
      '/api',
      '/apis',
      '/api/v1',
      '/apis/apps/v1',
      '/apis/coordination.k8s.io/v1',
      '/apis/discovery.k8s.io/v1',
      '/apis/apiextensions.k8s.io/v1',
      '/api/v1/namespaces/default/pods',
    ]);
    h.server.requests.length = 0;
    await h.run('kubectl get pods');
    expect(h.server.requests.map((q) => q.path)).toEqual(['/api/v1/namespaces/default/pods']);
    h.server.requests.length = 0;
    await h.run('kubectl get gizmos');
    expect(h.server.requests.filter((q) => q.path === '/api')).toHaveLength(1);
  });
});

describe('kubectl get -w', () => {
  it('prints the table, then a row per event in the same columns, until Ctrl+C (exit 1, watch closed)', async () => {
    const h = makeHarness();
    seedPods(h.server);
    h.clock.set(Date.parse(ts(5 * MIN)));
    await h.run('kubectl get pods'); // discovery
    const lines: string[] = [];
    const io = { print: (s: string) => lines.push(s), error: (s: string) => lines.push(s), clear() {} };
    const running = h.shell.execute('kubectl get pods -w', io);
    await tick();
    const watch = h.server.requests.at(-1)!;
    expect(watch.query).toEqual({ resourceVersion: String(h.server.resourceVersion), watch: 'true' });
    h.server.seed({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'new-pod-with-a-long-name' }, spec: { containers: [{ name: 'c', image: 'x' }] }, status: { phase: 'Pending' } });
    await tick();
    const crashy = h.server.get('v1', 'Pod', 'crashy')!;
    crashy.metadata.deletionTimestamp = ts(5 * MIN);
    h.server.update(crashy);
    await tick();
    expect(h.kubectl.busy).toBe(true);
    h.kubectl.interrupt();
    expect(await running).toBe(1);
    expect(h.server.openWatches).toBe(0);
    expect(lines.join('\n')).toMatchInlineSnapshot(`
      "NAME                  READY   STATUS             RESTARTS        AGE
      crashy                0/1     CrashLoopBackOff   4 (3m10s ago)   5m
      web-7d4b9c8f5-abcde   1/1     Running            0               5m
      new-pod-with-a-long-name   0/1     Pending            0               0s
      crashy                     0/1     Terminating        4 (3m10s ago)   5m"
    `);
  });

  it('watching one object skips the synthetic ADDED event the server sends first', async () => {
    const h = makeHarness();
    seedPods(h.server);
    h.clock.set(Date.parse(ts(5 * MIN)));
    const lines: string[] = [];
    const io = { print: (s: string) => lines.push(s), error: (s: string) => lines.push(s), clear() {} };
    const running = h.kubectl.run(['get', 'pod', 'crashy', '-w', '--output-watch-events'], io);
    await tick();
    expect(h.server.requests.at(-1)!.query).toEqual({ fieldSelector: 'metadata.name=crashy', resourceVersion: '0', watch: 'true' });
    const crashy = h.server.get('v1', 'Pod', 'crashy')!;
    crashy.status.containerStatuses[0].restartCount = 5;
    h.server.update(crashy);
    await tick();
    h.kubectl.interrupt();
    await running;
    expect(lines.join('\n')).toMatchInlineSnapshot(`
      "EVENT      NAME     READY   STATUS             RESTARTS        AGE
      ADDED      crashy   0/1     CrashLoopBackOff   4 (3m10s ago)   5m
      MODIFIED   crashy   0/1     CrashLoopBackOff   5 (3m10s ago)   5m"
    `);
  });
});

function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
