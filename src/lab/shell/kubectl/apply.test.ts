import { describe, expect, it } from 'vitest';
import { makeHarness } from './testing/harness';
import { CRD_YAML, DEPLOY_YAML, WEB_YAML } from './testing/fixtures';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

describe('kubectl apply -f (client-side apply)', () => {
  it('creates with the last-applied annotation, then is unchanged, then configured with a three-way patch', async () => {
    const h = makeHarness({ files: { 'web.yaml': WEB_YAML } });
    expect((await h.run('kubectl apply -f web.yaml')).out).toBe('pod/web created\nservice/web created');
    const pod = h.server.get('v1', 'Pod', 'web')!;
    expect(pod.metadata.annotations[LAST_APPLIED]).toBe(
      '{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{},"labels":{"app":"web"},"name":"web","namespace":"default"},"spec":{"containers":[{"image":"nginx:1.27","name":"web","ports":[{"containerPort":80}]}]}}\n',
    );
    const post = h.server.requests.find((r) => r.verb === 'POST')!;
    expect(post.query).toEqual({ fieldManager: 'kubectl-client-side-apply', fieldValidation: 'Strict' });

    expect((await h.run('kubectl apply -f web.yaml')).out).toBe('pod/web unchanged\nservice/web unchanged');

    // The learner edits the manifest tab: a new label, the image bumped, the port list gone.
    h.files.writeFile('web.yaml', WEB_YAML.replace('app: web\nspec', 'app: web\n    tier: front\nspec').replace('nginx:1.27', 'nginx:1.28').replace('    ports:\n    - containerPort: 80\n', ''));
    h.server.requests.length = 0;
    expect((await h.run('kubectl apply -f web.yaml')).out).toBe('pod/web configured\nservice/web unchanged');
    const patch = h.server.requests.find((r) => r.verb === 'PATCH')!;
    expect(patch.contentType).toBe('application/merge-patch+json');
    expect(patch.body).toEqual({
      metadata: {
        annotations: {
          [LAST_APPLIED]:
            '{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{},"labels":{"app":"web","tier":"front"},"name":"web","namespace":"default"},"spec":{"containers":[{"image":"nginx:1.28","name":"web"}]}}\n',
        },
        labels: { tier: 'front' },
      },
      spec: { containers: [{ image: 'nginx:1.28', name: 'web' }] },
    });
    expect(h.server.get('v1', 'Pod', 'web')!.spec.containers).toEqual([{ image: 'nginx:1.28', name: 'web' }]);
  });

  it('leaves fields others set alone and removes what left the manifest', async () => {
    const h = makeHarness({ files: { 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: "1"\n  b: "2"\n' } });
    await h.run('kubectl apply -f cm.yaml');
    const cm = h.server.get('v1', 'ConfigMap', 'cfg')!;
    cm.data.c = 'set by a controller';
    h.server.update(cm);
    h.files.writeFile('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: "1"\n');
    h.server.requests.length = 0;
    expect((await h.run('kubectl apply -f cm.yaml')).out).toBe('configmap/cfg configured');
    expect(h.server.requests.find((r) => r.verb === 'PATCH')!.body).toMatchObject({ data: { b: null } });
    expect(h.server.get('v1', 'ConfigMap', 'cfg')!.data).toEqual({ a: '1', c: 'set by a controller' });
  });

  it('warns when the live object has no last-applied annotation, then patches it in', async () => {
    const h = makeHarness({ files: { 'deploy.yaml': DEPLOY_YAML } });
    await h.run('kubectl create -f deploy.yaml');
    const r = await h.run('kubectl apply -f deploy.yaml');
    expect(r.out).toBe(
      'Warning: resource deployments/api is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\ndeployment.apps/api configured',
    );
  });

  it('uses the strategic merge seam for built-in kinds when one is given', async () => {
    const calls: unknown[] = [];
    const h = makeHarness({
      files: { 'web.yaml': WEB_YAML },
      kubectl: {
        strategicMerge: {
          createThreeWayMergePatch: (_o, _m, _c, gvk) => {
            calls.push(gvk);
            return { metadata: { labels: { x: 'y' } } };
          },
        },
      },
    });
    await h.run('kubectl apply -f web.yaml');
    h.files.writeFile('web.yaml', WEB_YAML.replace('nginx:1.27', 'nginx:1.28'));
    h.server.requests.length = 0;
    await h.run('kubectl apply -f web.yaml');
    const patch = h.server.requests.find((r) => r.verb === 'PATCH')!;
    expect(patch.contentType).toBe('application/strategic-merge-patch+json');
    expect(patch.body).toEqual({ metadata: { labels: { x: 'y' } } });
    expect(calls[0]).toEqual({ group: '', version: 'v1', kind: 'Pod' });
  });

  it('-v=6 shows discovery on a fresh kubectl, then GET 404 and the POST', async () => {
    const h = makeHarness({ files: { 'deploy.yaml': DEPLOY_YAML } });
    const r = await h.run('kubectl apply -f deploy.yaml -v=6');
    expect(r.out).toMatchInlineSnapshot(`
      "I0101 00:00:00.000000    4242 round_trippers.go:632] "Response" verb="GET" url="https://127.0.0.1:6443/api" status="200 OK" milliseconds=0
      I0101 00:00:00.000000    4242 round_trippers.go:632] "Response" verb="GET" url="https://127.0.0.1:6443/apis" status="200 OK" milliseconds=0
      I0101 00:00:00.000000    4242 round_trippers.go:632] "Response" verb="GET" url="https://127.0.0.1:6443/api/v1" status="200 OK" milliseconds=0
      I0101 00:00:00.000000    4242 round_trippers.go:632] "Response" verb="GET" url="https://127.0.0.1:6443/apis/apps/v1" status="200 OK" milliseconds=0
      I0101 00:00:00.000000    4242 round_trippers.go:632] "Response" verb="GET" url="https://127.0.0.1:6443/apis/coordination.k8s.io/v1" status="200 OK" milliseconds=0
      I0101 00:00:00.000000    4242 round_trippers.go:632] "Response" verb="GET" url="https://127.0.0.1:6443/apis/discovery.k8s.io/v1" status="200 OK" milliseconds=0
      I0101 00:00:00.000000    4242 round_trippers.go:632] "Response" verb="GET" url="https://127.0.0.1:6443/apis/apiextensions.k8s.io/v1" status="200 OK" milliseconds=0
      I0101 00:00:00.000000    4242 round_trippers.go:632] "Response" verb="GET" url="https://127.0.0.1:6443/apis/apps/v1/namespaces/default/deployments/api" status="404 Not Found" milliseconds=0
      I0101 00:00:00.000000    4242 round_trippers.go:632] "Response" verb="POST" url="https://127.0.0.1:6443/apis/apps/v1/namespaces/default/deployments?fieldManager=kubectl-client-side-apply&fieldValidation=Strict" status="201 Created" milliseconds=0
      deployment.apps/api created"
    `);
  });
});

describe('kubectl create -f', () => {
  it('creates without the annotation and answers AlreadyExists the second time', async () => {
    const h = makeHarness({ files: { 'web.yaml': WEB_YAML } });
    expect((await h.run('kubectl create -f web.yaml')).out).toBe('pod/web created\nservice/web created');
    expect(h.server.get('v1', 'Pod', 'web')!.metadata.annotations).toBeUndefined();
    expect(h.server.requests.find((r) => r.verb === 'POST')!.query).toEqual({ fieldManager: 'kubectl-create', fieldValidation: 'Strict' });
    const again = await h.run('kubectl create -f web.yaml');
    expect(again.code).toBe(1);
    expect(again.err).toBe(
      'Error from server (AlreadyExists): error when creating "web.yaml": pods "web" already exists\nError from server (AlreadyExists): error when creating "web.yaml": services "web" already exists',
    );
  });

  it('--save-config adds the annotation; --dry-run=client sends nothing', async () => {
    const h = makeHarness({ files: { 'web.yaml': WEB_YAML } });
    await h.run('kubectl create -f web.yaml --save-config');
    expect(h.server.get('v1', 'Pod', 'web')!.metadata.annotations[LAST_APPLIED]).toContain('"name":"web"');
    const h2 = makeHarness({ files: { 'web.yaml': WEB_YAML } });
    expect((await h2.run('kubectl create -f web.yaml --dry-run=client')).out).toBe('pod/web created (dry run)\nservice/web created (dry run)');
    expect(h2.server.requests.some((r) => r.verb === 'POST')).toBe(false);
  });
});

describe('manifests: errors as kubectl words them', () => {
  it('a YAML syntax error names the file, line and column, and shows the lines around it', async () => {
    const h = makeHarness({ files: { 'bad.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n   labels: {}\n' } });
    const r = await h.run('kubectl apply -f bad.yaml');
    expect(r.code).toBe(1);
    expect(r.err).toMatchInlineSnapshot(`
      "error: error parsing bad.yaml: error converting YAML to JSON: yaml: line 5, column 10: bad indentation of a mapping entry
       2 | kind: Pod
       3 | metadata:
       4 |   name: web
       5 |    labels: {}
      --------------^"
    `);
  });

  it('counts lines across documents and applies the documents before a bad one', async () => {
    const h = makeHarness({ files: { 'multi.yaml': `${WEB_YAML}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: [unclosed\n` } });
    const r = await h.run('kubectl apply -f multi.yaml');
    expect(r.out).toBe('pod/web created\nservice/web created');
    expect(r.err.split('\n')[0]).toBe('error: error parsing multi.yaml: error converting YAML to JSON: yaml: line 30, column 1: unexpected end of the stream within a flow collection');
  });

  it('missing apiVersion/kind fail validation; an unknown kind is a mapping error; others still apply', async () => {
    const h = makeHarness({
      files: {
        'm.yaml': 'metadata:\n  name: a\n---\napiVersion: example.com/v1\nkind: Gizmo\nmetadata:\n  name: g\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n',
        'kindless.yaml': 'apiVersion: v1\nmetadata:\n  name: a\n',
      },
    });
    const r = await h.run('kubectl apply -f m.yaml');
    expect(r.err).toBe(
      'error: error validating "m.yaml": error validating data: [apiVersion not set, kind not set]; if you choose to ignore these errors, turn validation off with --validate=false',
    );
    expect((await h.run('kubectl apply -f kindless.yaml')).err).toBe(
      'error: error validating "kindless.yaml": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false',
    );
    h.files.writeFile('m.yaml', 'apiVersion: example.com/v1\nkind: Gizmo\nmetadata:\n  name: g\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n');
    const r2 = await h.run('kubectl apply -f m.yaml');
    expect(r2.out).toBe('configmap/ok created');
    expect(r2.err).toBe('error: resource mapping not found for name: "g" namespace: "" from "m.yaml": no matches for kind "Gizmo" in version "example.com/v1"\nensure CRDs are installed first');
  });

  it('an object the server finds invalid prints its causes', async () => {
    const h = makeHarness({ files: { 'bad-pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: bad\nspec:\n  containers:\n  - name: c\n' } });
    const r = await h.run('kubectl apply -f bad-pod.yaml');
    expect(r.err).toBe('The Pod "bad" is invalid: spec.containers[0].image: Required value');
  });

  it('a missing file, a directory of manifests, and -n against the manifest namespace', async () => {
    const h = makeHarness({ files: { 'app/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n', 'app/b.json': '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"b","namespace":"kube-system"}}', 'app/notes.txt': 'x' } });
    expect((await h.run('kubectl apply -f nope.yaml')).err).toBe('error: the path "nope.yaml" does not exist');
    expect((await h.run('kubectl apply -f app')).out).toBe('configmap/a created\nconfigmap/b created');
    expect(h.server.get('v1', 'ConfigMap', 'b', 'kube-system')).toBeDefined();
    expect((await h.run('kubectl apply -f app/b.json -n default')).err).toBe(
      `error: the namespace from the provided object "kube-system" does not match the namespace "default". You must pass '--namespace=kube-system' to perform this operation.`,
    );
    expect((await h.run('kubectl apply')).err).toBe('error: must specify one of -f and -k');
  });

  it('a CRD makes its kind servable: discovery is refreshed when the kind is first used', async () => {
    const h = makeHarness({ files: { 'crd.yaml': CRD_YAML, 'w.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w1\nspec:\n  size: 3\n' } });
    await h.run('kubectl get pods');
    expect((await h.run('kubectl apply -f crd.yaml')).out).toBe('customresourcedefinition.apiextensions.k8s.io/widgets.example.com created');
    expect((await h.run('kubectl apply -f w.yaml')).out).toBe('widget.example.com/w1 created');
    expect((await h.run('kubectl get wg')).out).toMatch(/^NAME {3}AGE\nw1 {5}0s$/);
    expect((await h.run('kubectl get crd')).out).toMatch(/^NAME +CREATED AT\nwidgets.example.com +2025-01-01T00:00:00Z$/);
  });
});
