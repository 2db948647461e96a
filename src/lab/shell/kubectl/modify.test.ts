import { describe, expect, it } from 'vitest';
import { makeHarness } from './testing/harness';
import { CRD_YAML, DEPLOY_YAML, WEB_YAML, seedPods } from './testing/fixtures';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('kubectl delete', () => {
  it('deletes by name with DeleteOptions in the body and prints v1.34 wording', async () => {
    const h = makeHarness({ files: { 'web.yaml': WEB_YAML } });
    await h.run('kubectl apply -f web.yaml');
    h.server.requests.length = 0;
    expect(await h.run('kubectl delete pod web')).toMatchObject({ code: 0, out: 'pod "web" deleted from default namespace' });
    expect(h.server.requests[0]).toMatchObject({ verb: 'DELETE', path: '/api/v1/namespaces/default/pods/web', body: { propagationPolicy: 'Background' } });
    // --wait: a GET answers 404, so the object is gone.
    expect(h.server.requests[1]).toMatchObject({ verb: 'GET', path: '/api/v1/namespaces/default/pods/web' });
    expect((await h.run('kubectl delete svc/web -o name')).out).toBe('service/web');
    const missing = await h.run('kubectl delete pod web');
    expect(missing).toMatchObject({ code: 1, err: 'Error from server (NotFound): pods "web" not found' });
    expect((await h.run('kubectl delete pod web --ignore-not-found')).all).toBe('');
  });

  it('--grace-period, --now, --force and --cascade shape the DeleteOptions', async () => {
    const h = makeHarness({ files: { 'deploy.yaml': DEPLOY_YAML } });
    seedPods(h.server);
    await h.run('kubectl apply -f deploy.yaml');
    h.server.requests.length = 0;
    const forced = await h.run('kubectl delete pod crashy --grace-period=0 --force');
    expect(forced.out).toBe(
      'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\npod "crashy" force deleted from default namespace',
    );
    expect(h.server.requests[0].body).toEqual({ gracePeriodSeconds: 0, propagationPolicy: 'Background' });
    h.server.requests.length = 0;
    await h.run('kubectl delete deploy api --cascade=foreground --now');
    expect(h.server.requests[0].body).toEqual({ gracePeriodSeconds: 1, propagationPolicy: 'Foreground' });
    expect((await h.run('kubectl delete pod x --cascade=maybe')).err).toBe('error: invalid cascade value (maybe). Must be "background", "foreground", or "orphan"');
    expect((await h.run('kubectl delete pod x --force --grace-period=5')).err).toBe('error: --force and --grace-period greater than 0 cannot be specified together');
    const legacy = await h.run('kubectl delete pod nope --cascade=false');
    expect(legacy.out).toBe('warning: --cascade=false is deprecated (boolean value) and can be replaced with --cascade=orphan.');
  });

  it('selects with -l and --all; a bare type without names is refused', async () => {
    const h = makeHarness();
    seedPods(h.server);
    expect((await h.run('kubectl delete pods -l app=crashy')).out).toBe('pod "crashy" deleted from default namespace');
    expect((await h.run('kubectl delete pods -l app=nothing')).out).toBe('No resources found');
    expect((await h.run('kubectl delete pods')).err).toBe('error: resource(s) were provided, but no name was specified');
    expect((await h.run('kubectl delete pods --all')).out).toBe('pod "web-7d4b9c8f5-abcde" deleted from default namespace');
  });

  it('waits until the object is gone (graceful deletion) and stops waiting on Ctrl+C', async () => {
    const h = makeHarness({ server: { gracefulPodDeletion: true } });
    seedPods(h.server);
    await h.run('kubectl get pods');
    const lines: string[] = [];
    const io = { print: (s: string) => lines.push(s), error: (s: string) => lines.push(s), clear() {} };
    const running = h.kubectl.run(['delete', 'pod', 'crashy'], io);
    await tick();
    expect(lines).toEqual(['pod "crashy" deleted from default namespace']);
    expect(h.kubectl.busy).toBe(true);
    expect(h.server.requests.at(-1)!.query).toMatchObject({ fieldSelector: 'metadata.name=crashy', watch: 'true' });
    h.server.finishDeletion('v1', 'Pod', 'crashy');
    expect(await running).toBe(0);

    const second = h.kubectl.run(['delete', 'pod', 'web-7d4b9c8f5-abcde'], io);
    await tick();
    h.kubectl.interrupt();
    expect(await second).toBe(1);
    expect(h.server.openWatches).toBe(0);
    expect((await h.run('kubectl delete pod web-7d4b9c8f5-abcde --wait=false')).code).toBe(0);
  });
});

describe('kubectl patch', () => {
  it('sends the patch with the content type of --type and reports a change or none', async () => {
    const h = makeHarness({ files: { 'deploy.yaml': DEPLOY_YAML } });
    await h.run('kubectl apply -f deploy.yaml');
    h.server.requests.length = 0;
    expect((await h.run(`kubectl patch deploy api --type merge -p '{"spec":{"replicas":3}}'`)).out).toBe('deployment.apps/api patched');
    expect(h.server.requests.at(-1)).toMatchObject({ verb: 'PATCH', contentType: 'application/merge-patch+json', body: { spec: { replicas: 3 } }, query: { fieldManager: 'kubectl-patch' } });
    expect((await h.run(`kubectl patch deploy api --type merge -p '{"spec":{"replicas":3}}'`)).out).toBe('deployment.apps/api patched (no change)');
    expect((await h.run(`kubectl patch deploy api -p 'spec: {paused: true}'`)).out).toBe('deployment.apps/api patched');
    expect(h.server.requests.at(-1)!.contentType).toBe('application/strategic-merge-patch+json');
    await h.run(`kubectl patch deploy api --type json -p '[{"op":"replace","path":"/spec/replicas","value":1}]'`);
    expect(h.server.get('apps/v1', 'Deployment', 'api')!.spec.replicas).toBe(1);
  });

  it('explains its errors: no patch, a bad type, a strategic patch on a custom resource', async () => {
    const h = makeHarness({ files: { 'crd.yaml': CRD_YAML, 'w.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w1\nspec:\n  size: 3\n' } });
    await h.run('kubectl apply -f crd.yaml');
    await h.run('kubectl apply -f w.yaml');
    expect((await h.run('kubectl patch widget w1')).err).toBe('error: must specify --patch or --patch-file containing the contents of the patch');
    expect((await h.run(`kubectl patch widget w1 --type=xml -p '{}'`)).err).toBe('error: --type must be one of [json merge strategic], not "xml"');
    expect((await h.run(`kubectl patch widget w1 -p '{"spec":{"size":4}}'`)).err).toBe(
      'error: application/strategic-merge-patch+json is not supported by example.com/v1, Kind=Widget: the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    );
    expect((await h.run(`kubectl patch widget w1 --type merge -p '{"spec":{"size":4}}'`)).out).toBe('widget.example.com/w1 patched');
  });
});

describe('kubectl label and annotate', () => {
  it('adds, refuses to overwrite without --overwrite, overwrites, removes', async () => {
    const h = makeHarness({ files: { 'web.yaml': WEB_YAML } });
    await h.run('kubectl apply -f web.yaml');
    h.server.requests.length = 0;
    expect((await h.run('kubectl label pod web tier=front')).out).toBe('pod/web labeled');
    expect(h.server.requests.at(-1)).toMatchObject({ verb: 'PATCH', contentType: 'application/merge-patch+json', body: { metadata: { labels: { tier: 'front' } } }, query: { fieldManager: 'kubectl-label' } });
    expect((await h.run('kubectl label pod web tier=back')).err).toBe("error: 'tier' already has a value (front), and --overwrite is false");
    expect((await h.run('kubectl label pod web tier=back --overwrite')).out).toBe('pod/web labeled');
    expect((await h.run('kubectl label pod web tier-')).out).toBe('pod/web unlabeled');
    expect(h.server.requests.at(-1)!.body).toEqual({ metadata: { labels: { tier: null } } });
    expect((await h.run('kubectl label pod web nope-')).out).toBe('label "nope" not found.\npod/web not labeled');
    expect((await h.run("kubectl label pod web 'bad=a b'")).err).toMatch(/^error: invalid label value: "bad=a b": a valid label must be an empty string/);
    expect((await h.run('kubectl label pod web')).err).toBe('error: at least one label update is required');
  });

  it('annotate adds and removes annotations', async () => {
    const h = makeHarness({ files: { 'web.yaml': WEB_YAML } });
    await h.run('kubectl apply -f web.yaml');
    expect((await h.run("kubectl annotate svc web description='the web front'")).out).toBe('service/web annotated');
    expect(h.server.get('v1', 'Service', 'web')!.metadata.annotations.description).toBe('the web front');
    expect((await h.run('kubectl annotate svc web description=other')).err).toBe("error: --overwrite is false but found the following declared annotation(s): 'description' already has a value (the web front)");
    expect((await h.run('kubectl annotate svc web description-')).out).toBe('service/web annotated');
  });
});

describe('kubectl scale', () => {
  it('patches the scale subresource', async () => {
    const h = makeHarness({ files: { 'deploy.yaml': DEPLOY_YAML } });
    await h.run('kubectl apply -f deploy.yaml');
    h.server.requests.length = 0;
    expect((await h.run('kubectl scale deployment/api --replicas=5')).out).toBe('deployment.apps/api scaled');
    expect(h.server.requests.map((r) => `${r.verb} ${r.path}`)).toEqual(['GET /apis/apps/v1/namespaces/default/deployments/api', 'PATCH /apis/apps/v1/namespaces/default/deployments/api/scale']);
    expect(h.server.requests[1]).toMatchObject({ contentType: 'application/merge-patch+json', body: { spec: { replicas: 5 } } });
    expect(h.server.get('apps/v1', 'Deployment', 'api')!.spec.replicas).toBe(5);
    expect((await h.run('kubectl scale deploy api --current-replicas=2 --replicas=1')).err).toBe('error: Expected replicas to be 2, was 5');
    expect((await h.run('kubectl scale deploy api')).err).toBe('error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
  });
});
