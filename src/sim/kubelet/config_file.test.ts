/**
 * Static pods: the file source after pkg/kubelet/config/file_test.go (TestExtractFromDir,
 * TestExtractFromBadDataFile, TestExtractFromEmptyDir, TestReadPodsFromFileExistAlready,
 * TestStaticPodNameGenerate) and common_test.go (TestDecodeSinglePod: defaults and validation).
 */
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock';
import { utf8Encode } from '../core/utf8';
import { PodConfig, type PodUpdate } from './config';
import { extractFromFile, fnv128a, generatePodName, SourceFile, type ManifestFs } from './config_file';
import { memoryManifestFs } from './testing/manifest_fs';

const manifest = (name: string, image = 'registry.k8s.io/etcd:3.6.4-0', extra = '') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: kube-system
  labels:
    component: ${name}
    tier: control-plane
spec:
  hostNetwork: true
  containers:
  - name: ${name}
    image: ${image}
${extra}`;

describe('fnv128a (Go hash/fnv New128a golden values)', () => {
  it.each([
    ['', '6c62272e07bb014262b821756295c58d'],
    ['a', 'd228cb696f1a8caf78912b704e4a8964'],
  ])('%j', (s, want) => expect(fnv128a(utf8Encode(s))).toBe(want));
});

describe('extractFromFile', () => {
  it('defaults a static pod: node-suffixed name, nodeName, hash, NoExecute toleration, Pending (TestDecodeSinglePod)', () => {
    const pod = extractFromFile(manifest('etcd'), '/etc/kubernetes/manifests/etcd.yaml', 'cp-1');
    expect(pod.metadata.name).toBe('etcd-cp-1');
    expect(pod.metadata.namespace).toBe('kube-system');
    expect(pod.spec.nodeName).toBe('cp-1');
    expect(pod.metadata.uid).toMatch(/^[0-9a-f]{32}$/);
    expect(pod.metadata.annotations?.['kubernetes.io/config.hash']).toBe(pod.metadata.uid);
    expect(pod.spec.tolerations).toEqual([{ operator: 'Exists', effect: 'NoExecute' }]);
    expect(pod.status?.phase).toBe('Pending');
    expect(pod.spec.restartPolicy).toBe('Always');
    expect(pod.spec.terminationGracePeriodSeconds).toBe(30);
  });

  it('the UID is stable for the same file on the same node and differs across nodes and contents', () => {
    const a = extractFromFile(manifest('etcd'), '/m/etcd.yaml', 'n1').metadata.uid;
    expect(extractFromFile(manifest('etcd'), '/m/etcd.yaml', 'n1').metadata.uid).toBe(a);
    expect(extractFromFile(manifest('etcd'), '/m/etcd.yaml', 'n2').metadata.uid).not.toBe(a);
    expect(extractFromFile(manifest('etcd', 'registry.k8s.io/etcd:3.6.5-0'), '/m/etcd.yaml', 'n1').metadata.uid).not.toBe(a);
  });

  it.each([
    ['not YAML', 'a: [b', /^\/m\/x\.yaml: couldn't parse as pod\(.*\), please check config file$/],
    ['another kind', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n', /couldn't parse as pod\(Object 'Kind' is "ConfigMap", not "Pod"\)/],
    ['no name', 'apiVersion: v1\nkind: Pod\nmetadata: {}\nspec: {containers: [{name: c, image: i}]}\n', /^invalid pod: name is needed for the pod$/],
    ['no containers', 'apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: {containers: []}\n', /^invalid pod: \[spec\.containers: Required value\]$/],
  ])('rejects %s (TestExtractFromBadDataFile)', (_name, data, want) => {
    expect(() => extractFromFile(data, '/m/x.yaml', 'n1')).toThrow(want);
  });

  it('generatePodName lowercases the node name (TestStaticPodNameGenerate)', () => {
    expect(generatePodName('kube-apiserver', 'Control-Plane-1')).toBe('kube-apiserver-control-plane-1');
  });
});

describe('SourceFile', () => {
  const setup = (fs: ManifestFs) => {
    const clock = new FakeClock(0);
    const got: PodUpdate[] = [];
    const logs: string[] = [];
    const config = new PodConfig((u) => got.push(u));
    const source = new SourceFile({ fs, path: '/etc/kubernetes/manifests', nodeName: 'cp-1', clock, log: (m, kv) => logs.push(`${m} ${kv.path}`) }, config);
    return { clock, got, logs, config, source };
  };
  const names = (u: PodUpdate) => `${u.op} ${u.pods.map((p) => p.metadata.name).join(',')}`;

  it('reads every manifest, sorted, skipping dot files and directories, and keeps going past a bad file (TestExtractFromDir)', () => {
    const fs = memoryManifestFs({
      '/etc/kubernetes/manifests/kube-scheduler.yaml': manifest('kube-scheduler'),
      '/etc/kubernetes/manifests/etcd.yaml': manifest('etcd'),
      '/etc/kubernetes/manifests/.kube-apiserver.yaml.swp': 'garbage',
      '/etc/kubernetes/manifests/broken.yaml': 'kind: [',
      '/etc/kubernetes/manifests/sub/inner.yaml': manifest('inner'),
    });
    const { got, logs, config, source } = setup(fs);
    source.run();
    expect(got.map(names)).toEqual(['ADD etcd-cp-1,kube-scheduler-cp-1']);
    expect(config.podsOf('file').every((p) => p.metadata.annotations?.['kubernetes.io/config.source'] === 'file')).toBe(true);
    expect(logs).toEqual(['Could not process manifest file /etc/kubernetes/manifests/broken.yaml', 'Provided manifest path is a directory, not recursing into manifest path /etc/kubernetes/manifests/sub']);
  });

  it('an empty or missing directory is still a first set: the source counts as seen (TestExtractFromEmptyDir)', () => {
    const { got, config, source } = setup(memoryManifestFs({}));
    config.addSource('api');
    source.run();
    expect(got).toEqual([{ op: 'ADD', pods: [], source: 'file' }]);
    expect(config.seenAllSources()).toBe(false); // the API source has not sent its set yet
    config.merge('api', []);
    expect(config.seenAllSources()).toBe(true);
  });

  it('re-reads every 20 s and on notify: an edited manifest is a new pod (new UID: REMOVE then ADD), a removed one a REMOVE', () => {
    const fs = memoryManifestFs({ '/etc/kubernetes/manifests/etcd.yaml': manifest('etcd') });
    const { clock, got, source } = setup(fs);
    source.run();
    const firstUid = got[0].pods[0].metadata.uid;
    // An edit changes the hash, so the UID: the old pod goes and a new one comes (upstream: a new static pod).
    fs.files['/etc/kubernetes/manifests/etcd.yaml'] = manifest('etcd', 'registry.k8s.io/etcd:3.6.5-0');
    clock.setTime(19_999);
    expect(got.length).toBe(1);
    clock.setTime(20_000);
    expect(got.slice(1).map(names)).toEqual(['REMOVE etcd-cp-1', 'ADD etcd-cp-1']);
    expect(got[2].pods[0].metadata.uid).not.toBe(firstUid);
    delete fs.files['/etc/kubernetes/manifests/etcd.yaml'];
    source.notify();
    expect(got.slice(3).map(names)).toEqual(['REMOVE etcd-cp-1']);
  });

  it('the file source never removes the API source’s pods', () => {
    const { got, config, source } = setup(memoryManifestFs({}));
    config.merge('api', [{ metadata: { uid: 'u1', name: 'web', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'i' }] } }]);
    source.run();
    source.notify();
    expect(got.map(names)).toEqual(['ADD web', 'ADD ']);
  });
});
