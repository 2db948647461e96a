// The RESTMapper against apimachinery pkg/api/meta/restmapper_test.go (v0.34.0), and the kinds
// registry against what kube-apiserver v1.34 serves and kubectl v0.34.0 prints.
import { describe, expect, it } from 'vitest';
import {
  AmbiguousResourceError,
  BUILTIN_KINDS,
  KindRegistry,
  NoKindMatchError,
  NoResourceMatchError,
  RESTMapper,
  compareKubeAwareVersionStrings,
  formatAPIResources,
  isAmbiguousError,
  isNoMatchError,
  nameValidationFunc,
  parseGroupVersion,
  unsafeGuessKindToResource,
  type GroupVersion,
  type KindInfo,
  type GroupVersionKind,
  type GroupVersionResource,
} from '../../src/sim/apimachinery/kinds';

const gvk = (group: string, version: string, kind: string): GroupVersionKind => ({ group, version, kind });
const gvr = (group: string, version: string, resource: string): GroupVersionResource => ({ group, version, resource });

describe('RESTMapper (TestKindToResource)', () => {
  it.each([
    ['Pod', 'pods', 'pod'],
    ['ReplicationController', 'replicationcontrollers', 'replicationcontroller'],
    ['ImageRepository', 'imagerepositories', 'imagerepository'],
    ['miss', 'misses', 'miss'],
    ['lowercase', 'lowercases', 'lowercase'],
    ['Endpoints', 'endpoints', 'endpoints'],
  ])('%s -> %s, %s', (kind, plural, singular) => {
    const r = unsafeGuessKindToResource(gvk('', '', kind));
    expect(r.plural.resource).toBe(plural);
    expect(r.singular.resource).toBe(singular);
  });
});

describe('RESTMapper (TestRESTMapperVersionAndKindForResource, TestRESTMapperGroupForResource)', () => {
  const gv = { group: 'test.group', version: 'test' };
  it.each([
    ['internalobjec', true],
    ['internalObjec', true],
    ['internalobject', false],
    ['internalobjects', false],
  ])('kindFor %s', (resource, err) => {
    const m = new RESTMapper([gv]);
    m.add({ ...gv, kind: 'InternalObject' }, 'namespace');
    if (err) expect(() => m.kindFor({ resource })).toThrow(NoResourceMatchError);
    else expect(m.kindFor({ resource })).toEqual({ ...gv, kind: 'InternalObject' });
  });
  it.each([
    ['myObject', gvk('testapi', 'test', 'MyObject'), false],
    ['myobject', gvk('testapi2', 'test', 'MyObject'), false],
    ['myObje', gvk('testapi', 'test', 'MyObject'), true],
    ['myobje', gvk('testapi', 'test', 'MyObject'), true],
  ])('group for %s', (resource, kind, err) => {
    const m = new RESTMapper([{ group: kind.group, version: kind.version }]);
    m.add(kind, 'namespace');
    if (err) expect(() => m.kindFor({ resource })).toThrow();
    else expect(m.kindFor({ resource })).toEqual(kind);
  });
  it('an empty resource is an error', () => {
    expect(() => new RESTMapper().kindsFor({ resource: '' })).toThrow('a resource must be present, got: /, Resource=');
  });
});

// TestRESTMapperKindsFor and TestRESTMapperResourcesFor share their cases.
const FOUR = [gvk('first-group', 'first-version', 'my-kind'), gvk('first-group', 'first-version', 'your-kind'), gvk('second-group', 'first-version', 'my-kind'), gvk('second-group', 'first-version', 'your-kind')];
const cases: Array<{ name: string; order: GroupVersion[]; kinds: GroupVersionKind[]; partial: Partial<GroupVersionResource>; expected: Array<[string, string]>; ambiguous: boolean }> = [
  {
    name: 'groups, with group exact',
    order: [{ group: 'first-group-1', version: 'first-version' }, { group: 'first-group', version: 'first-version' }],
    kinds: [gvk('first-group-1', 'first-version', 'my-kind'), gvk('first-group', 'first-version', 'my-kind')],
    partial: { group: 'first-group' },
    expected: [['first-group', 'first-version']],
    ambiguous: false,
  },
  {
    name: 'groups, with group prefix',
    order: [{ group: 'second-group', version: 'first-version' }, { group: 'first-group', version: 'first-version' }],
    kinds: [gvk('first-group', 'first-version', 'my-kind'), gvk('second-group', 'first-version', 'my-kind')],
    partial: { group: 'first' },
    expected: [['first-group', 'first-version']],
    ambiguous: false,
  },
  {
    name: 'groups, with ambiguous group prefix',
    order: [{ group: 'first-group-1', version: 'first-version' }, { group: 'first-group', version: 'first-version' }],
    kinds: [gvk('first-group-1', 'first-version', 'my-kind'), gvk('first-group', 'first-version', 'my-kind')],
    partial: { group: 'first' },
    expected: [['first-group-1', 'first-version'], ['first-group', 'first-version']],
    ambiguous: true,
  },
  {
    name: 'ambiguous groups, with preference order',
    order: [{ group: 'second-group', version: 'first-version' }, { group: 'first-group', version: 'first-version' }],
    kinds: FOUR,
    partial: {},
    expected: [['second-group', 'first-version'], ['first-group', 'first-version']],
    ambiguous: true,
  },
  {
    name: 'ambiguous groups, with explicit group match',
    order: [{ group: 'second-group', version: 'first-version' }, { group: 'first-group', version: 'first-version' }],
    kinds: FOUR,
    partial: { group: 'first-group' },
    expected: [['first-group', 'first-version']],
    ambiguous: false,
  },
  {
    name: 'ambiguous groups, with ambiguous version match',
    order: [{ group: 'first-group', version: 'first-version' }, { group: 'second-group', version: 'first-version' }],
    kinds: FOUR,
    partial: { version: 'first-version' },
    expected: [['first-group', 'first-version'], ['second-group', 'first-version']],
    ambiguous: true,
  },
];

describe('RESTMapper (TestRESTMapperKindsFor)', () => {
  // Upstream requests the plural in the preference-order cases and the singular in the others.
  it.each(cases)('$name', (c) => {
    const m = new RESTMapper(c.order);
    for (const k of c.kinds) m.add(k, 'namespace');
    const resource = c.name.startsWith('ambiguous groups') ? 'my-kinds' : 'my-kind';
    const partial = { ...c.partial, resource };
    expect(m.kindsFor(partial)).toEqual(c.expected.map(([g, v]) => gvk(g, v, 'my-kind')));
    if (c.ambiguous) {
      expect(() => m.kindFor(partial)).toThrow(' matches multiple kinds ');
      expect(() => m.kindFor(partial)).toThrow(AmbiguousResourceError);
    } else expect(m.kindFor(partial)).toEqual(gvk(c.expected[0][0], c.expected[0][1], 'my-kind'));
  });
  it('words the ambiguity as fmt prints the GroupVersionResource and kinds', () => {
    const m = new RESTMapper(cases[3].order);
    for (const k of FOUR) m.add(k, 'namespace');
    let err: unknown;
    try {
      m.kindFor({ resource: 'my-kinds' });
    } catch (e) {
      err = e;
    }
    expect(isAmbiguousError(err)).toBe(true);
    expect((err as Error).message).toBe('/, Resource=my-kinds matches multiple kinds [second-group/first-version, Kind=my-kind first-group/first-version, Kind=my-kind]');
  });
});

describe('RESTMapper (TestRESTMapperResourcesFor)', () => {
  it.each(cases)('$name', (c) => {
    for (const resource of ['my-kinds', 'my-kind']) {
      const m = new RESTMapper(c.order);
      for (const k of c.kinds) m.add(k, 'namespace');
      const partial = { ...c.partial, resource };
      expect(m.resourcesFor(partial)).toEqual(c.expected.map(([g, v]) => gvr(g, v, 'my-kinds')));
      if (c.ambiguous) expect(() => m.resourceFor(partial)).toThrow(' matches multiple resources ');
      else expect(m.resourceFor(partial)).toEqual(gvr(c.expected[0][0], c.expected[0][1], 'my-kinds'));
    }
  });
});

describe('RESTMapper (TestRESTMapperResourceSingularizer)', () => {
  it.each([
    ['Pod', 'pods', 'pod'],
    ['ReplicationController', 'replicationcontrollers', 'replicationcontroller'],
    ['ImageRepository', 'imagerepositories', 'imagerepository'],
    ['Status', 'statuses', 'status'],
    ['lowercase', 'lowercases', 'lowercase'],
    ['lowercases', 'lowercaseses', 'lowercases'],
  ])('%s', (kind, plural, singular) => {
    const gv = { group: 'tgroup', version: 'test' };
    const m = new RESTMapper([gv]);
    m.add({ ...gv, kind }, 'namespace');
    expect(m.resourceSingularizer(plural)).toBe(singular);
  });
});

describe('RESTMapper (TestRESTMapperRESTMapping, TestRESTMapperRESTMappingSelectsVersion, TestRESTMapperRESTMappings)', () => {
  const tgv = { group: 'tgroup', version: 'test' };
  it.each([
    { kind: 'Unknown', defaults: [], versions: [], err: true },
    { kind: 'InternalObject', defaults: [], versions: [], err: true },
    { kind: 'Unknown', defaults: [tgv], versions: [], err: true },
    { kind: 'InternalObject', defaults: [tgv], versions: ['test'], err: false },
    { kind: 'InternalObject', defaults: [tgv], versions: [], err: false },
  ])('RESTMapping $kind in $versions', ({ kind, defaults, versions, err }) => {
    const m = new RESTMapper(defaults);
    m.add({ ...tgv, kind: 'InternalObject' }, 'namespace');
    if (err) expect(() => m.restMapping({ group: 'tgroup', kind }, ...versions)).toThrow();
    else {
      const mapping = m.restMapping({ group: 'tgroup', kind }, ...versions);
      expect(mapping.resource).toEqual({ ...tgv, resource: 'internalobjects' });
      expect(mapping.groupVersionKind).toEqual({ ...tgv, kind: 'InternalObject' });
      expect(mapping.scope).toBe('namespace');
    }
  });

  it('selects the version by the default order or the versions asked for', () => {
    const gv1 = { group: 'tgroup', version: 'test1' };
    const gv2 = { group: 'tgroup', version: 'test2' };
    const m = new RESTMapper([gv1, gv2]);
    m.add({ ...gv1, kind: 'InternalObject' }, 'namespace');
    m.add({ ...gv2, kind: 'OtherObject' }, 'namespace');
    const internal = { group: 'tgroup', kind: 'InternalObject' };
    const other = { group: 'tgroup', kind: 'OtherObject' };
    expect(m.restMapping(other).resource).toEqual({ ...gv2, resource: 'otherobjects' });
    expect(m.restMapping(internal).resource).toEqual({ ...gv1, resource: 'internalobjects' });
    expect(() => m.restMapping(internal, 'test2')).toThrow('no matches for kind "InternalObject" in version "tgroup/test2"');
    expect(() => m.restMapping(other, 'test1')).toThrow();
    expect(() => m.restMapping(other, 'test3')).toThrow();
    expect(() => m.restMapping(other, 'test3', 'test1')).toThrow('no matches for kind "OtherObject" in versions ["tgroup/test1" "tgroup/test3"]');
    expect(m.restMapping(other, 'test3', 'test2').resource).toEqual({ ...gv2, resource: 'otherobjects' });
    // TestRESTMapperReportsErrorOnBadVersion
    expect(() => m.restMapping(internal, 'test3')).toThrow(NoKindMatchError);
  });

  it('RESTMappings searches the default versions when none is asked for', () => {
    const v1 = { group: 'tgroup', version: 'v1' };
    const v2 = { group: 'tgroup', version: 'v2' };
    const m = new RESTMapper([v1]);
    m.add({ ...v1, kind: 'InternalObject' }, 'namespace');
    expect(() => m.restMappings({ group: 'tgroup', kind: 'InternalObject' }, 'v2')).toThrow(NoKindMatchError);
    m.add({ ...v2, kind: 'InternalObject' }, 'namespace');
    expect(m.restMappings({ group: 'tgroup', kind: 'InternalObject' }, 'v3', 'v2').map((x) => x.resource)).toEqual([{ ...v2, resource: 'internalobjects' }]);
    const both = new RESTMapper([v1, v2]);
    both.add({ ...v1, kind: 'InternalObject' }, 'namespace');
    both.add({ ...v2, kind: 'InternalObject' }, 'namespace');
    expect(both.restMappings({ group: 'tgroup', kind: 'InternalObject' }).map((x) => x.groupVersionKind.version)).toEqual(['v1', 'v2']);
  });

  it('NoKindMatchError without versions names the group; NoResourceMatchError prints the partial resource', () => {
    expect(new NoKindMatchError({ group: 'example.com', kind: 'Widget' }).message).toBe('no matches for kind "Widget" in group "example.com"');
    expect(new NoResourceMatchError(gvr('', '', 'foos')).message).toBe('no matches for /, Resource=foos');
    expect(isNoMatchError(new NoKindMatchError({ group: '', kind: 'X' }))).toBe(true);
    expect(isNoMatchError(new Error('x'))).toBe(false);
  });

  it('removes a kind', () => {
    const m = new RESTMapper([tgv]);
    m.add({ ...tgv, kind: 'Widget' }, 'root');
    expect(m.restMapping({ group: 'tgroup', kind: 'Widget' }).scope).toBe('root');
    m.remove({ ...tgv, kind: 'Widget' });
    expect(() => m.kindFor({ resource: 'widgets' })).toThrow(NoResourceMatchError);
    expect(() => m.kindFor({ resource: 'widget' })).toThrow(NoResourceMatchError);
  });
});

describe('schema helpers', () => {
  // Upstream: apimachinery pkg/runtime/schema/group_version_test.go (TestGroupVersionParse)
  it.each([
    ['v1', { group: '', version: 'v1' }],
    ['v2', { group: '', version: 'v2' }],
    ['/v1', { group: '', version: 'v1' }],
    ['v1/', { group: 'v1', version: '' }],
    ['v1/a', { group: 'v1', version: 'a' }],
    ['', { group: '', version: '' }],
    ['apps/v1', { group: 'apps', version: 'v1' }],
  ])('parseGroupVersion(%j)', (input, out) => {
    expect(parseGroupVersion(input)).toEqual(out);
  });
  it('parseGroupVersion rejects more than one slash', () => {
    expect(() => parseGroupVersion('/v1/')).toThrow('unexpected GroupVersion string: /v1/');
  });
  // Upstream: apimachinery pkg/version/helpers_test.go (TestCompareKubeAwareVersionStrings)
  it.each([
    ['v1', 'v2', false],
    ['v2', 'v1', true],
    ['v10', 'v2', true],
    ['v1', 'v2alpha1', true],
    ['v1', 'v2beta1', true],
    ['v1alpha2', 'v1alpha1', true],
    ['v1beta1', 'v2alpha3', true],
    ['v1alpha10', 'v1alpha2', true],
    ['v1beta10', 'v1beta2', true],
    ['foo', 'v1beta2', false],
    ['bar', 'foo', true],
    ['version1', 'version2', true],
    ['version1', 'version10', true],
  ] as const)('compareKubeAwareVersionStrings(%s, %s) > 0 is %s', (a, b, greater) => {
    expect(compareKubeAwareVersionStrings(a, b) > 0).toBe(greater);
  });
});

describe('KindRegistry', () => {
  const widgets = {
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wd'], categories: ['all'] },
      versions: [
        { name: 'v1beta1', served: true },
        { name: 'v1', served: true, storage: true, subresources: { status: {} } },
        { name: 'v1alpha1', served: false },
      ],
    },
  };

  it('serves the built-in kinds with their short names, scope and name rule', () => {
    const r = new KindRegistry();
    expect(r.list()).toHaveLength(BUILTIN_KINDS.length);
    const pod = r.lookupResource('po');
    expect([pod.group, pod.version, pod.kind, pod.plural, pod.namespaced]).toEqual(['', 'v1', 'Pod', 'pods', true]);
    expect(r.lookupResource('ns').namespaced).toBe(false);
    expect(nameValidationFunc(r.lookupResource('svc'))('Web', false)).toEqual(['a DNS-1035 label must consist of lower case alphanumeric characters or \'-\', start with an alphabetic character, and end with an alphanumeric character (e.g. \'my-name\',  or \'abc-123\', regex used for validation is \'[a-z]([-a-z0-9]*[a-z0-9])?\')']);
    expect(nameValidationFunc(r.lookupResource('namespaces'))('a.b', false)).toHaveLength(1);
    expect(nameValidationFunc(r.lookupResource('cm'))('a.b', false)).toEqual([]);
    expect(r.byResource(gvr('apps', 'v1', 'deployments'))?.kind).toBe('Deployment');
    expect(r.byKind({ group: 'coordination.k8s.io', kind: 'Lease' })?.plural).toBe('leases');
  });

  it.each([
    ['po', '', 'pods'],
    ['pod', '', 'pods'],
    ['Pods', '', 'pods'],
    ['deploy', 'apps', 'deployments'],
    ['deploy.apps', 'apps', 'deployments'],
    ['deploy.v1.apps', 'apps', 'deployments'],
    ['deployments.apps', 'apps', 'deployments'],
    ['Deployment', 'apps', 'deployments'],
    ['events', '', 'events'],
    ['ev', '', 'events'],
    ['events.events.k8s.io', 'events.k8s.io', 'events'],
    ['ev.events', 'events.k8s.io', 'events'],
    ['crd', 'apiextensions.k8s.io', 'customresourcedefinitions'],
    ['endpoints', '', 'endpoints'],
    ['endpointslices', 'discovery.k8s.io', 'endpointslices'],
  ])('resolves %s like kubectl', (arg, group, plural) => {
    const k = new KindRegistry().lookupResource(arg);
    expect([k.group, k.plural]).toEqual([group, plural]);
  });

  it('leaves events ambiguous for the strict mapper (two groups)', () => {
    expect(() => new KindRegistry().mapper.resourceFor({ resource: 'events' })).toThrow('/, Resource=events matches multiple resources [/v1, Resource=events events.k8s.io/v1, Resource=events]');
  });

  it('adds a CRD at run time in each served version, preferred version first, and removes it', () => {
    const r = new KindRegistry();
    const added = r.addCRD(widgets);
    expect(added.map((k) => k.version)).toEqual(['v1', 'v1beta1']);
    expect(added[0].subresources).toEqual(['status']);
    expect(r.lookupResource('wd').version).toBe('v1');
    expect(r.lookupResource('widget').plural).toBe('widgets');
    expect(r.lookupResource('widgets.v1beta1.example.com').version).toBe('v1beta1');
    expect(r.mapper.restMapping({ group: 'example.com', kind: 'Widget' })).toEqual({
      resource: gvr('example.com', 'v1', 'widgets'),
      groupVersionKind: gvk('example.com', 'v1', 'Widget'),
      scope: 'namespace',
    });
    expect(r.mapper.restMapping({ group: 'example.com', kind: 'Widget' }, 'v1beta1').resource.version).toBe('v1beta1');
    expect(() => r.mapper.restMapping({ group: 'example.com', kind: 'Widget' }, 'v1alpha1')).toThrow('no matches for kind "Widget" in version "example.com/v1alpha1"');
    r.removeCRD(widgets);
    expect(() => r.lookupResource('wd')).toThrow(NoResourceMatchError);
    expect(() => r.lookupResource('widgets.example.com')).toThrow('no matches for example.com/, Resource=widgets');
    expect(r.list()).toHaveLength(BUILTIN_KINDS.length);
  });

  it('prints kubectl api-resources sorted by group bytes, then name (apiresources.go sortableResource; TestAPIResourcesRun)', () => {
    const r = new KindRegistry();
    r.addCRD(widgets);
    expect(formatAPIResources(r.apiResources())).toBe(
      [
        'NAME                        SHORTNAMES   APIVERSION                NAMESPACED   KIND',
        'configmaps                  cm           v1                        true         ConfigMap',
        'endpoints                   ep           v1                        true         Endpoints',
        'events                      ev           v1                        true         Event',
        'namespaces                  ns           v1                        false        Namespace',
        'nodes                       no           v1                        false        Node',
        'persistentvolumeclaims      pvc          v1                        true         PersistentVolumeClaim',
        'persistentvolumes           pv           v1                        false        PersistentVolume',
        'pods                        po           v1                        true         Pod',
        'secrets                                  v1                        true         Secret',
        'services                    svc          v1                        true         Service',
        'customresourcedefinitions   crd,crds     apiextensions.k8s.io/v1   false        CustomResourceDefinition',
        'controllerrevisions                      apps/v1                   true         ControllerRevision',
        'daemonsets                  ds           apps/v1                   true         DaemonSet',
        'deployments                 deploy       apps/v1                   true         Deployment',
        'replicasets                 rs           apps/v1                   true         ReplicaSet',
        'statefulsets                sts          apps/v1                   true         StatefulSet',
        'horizontalpodautoscalers    hpa          autoscaling/v2            true         HorizontalPodAutoscaler',
        'jobs                                     batch/v1                  true         Job',
        'leases                                   coordination.k8s.io/v1    true         Lease',
        'endpointslices                           discovery.k8s.io/v1       true         EndpointSlice',
        'events                      ev           events.k8s.io/v1          true         Event',
        'widgets                     wd           example.com/v1            true         Widget',
        'poddisruptionbudgets        pdb          policy/v1                 true         PodDisruptionBudget',
        'priorityclasses             pc           scheduling.k8s.io/v1      false        PriorityClass',
        'storageclasses              sc           storage.k8s.io/v1         false        StorageClass',
        '',
      ].join('\n'),
    );
  });

  it('filters api-resources by scope and group; wide adds VERBS and CATEGORIES; --no-headers drops the header', () => {
    const r = new KindRegistry();
    expect(r.apiResources({ namespaced: false }).map((x) => x.name)).toEqual(['namespaces', 'nodes', 'persistentvolumes', 'customresourcedefinitions', 'priorityclasses', 'storageclasses']);
    expect(r.apiResources({ apiGroup: 'apps' }).map((x) => x.name)).toEqual(['controllerrevisions', 'daemonsets', 'deployments', 'replicasets', 'statefulsets']);
    expect(formatAPIResources(r.apiResources({ apiGroup: 'apps' }).filter((x) => x.name === 'deployments' || x.name === 'replicasets'), { wide: true })).toBe(
      [
        'NAME          SHORTNAMES   APIVERSION   NAMESPACED   KIND         VERBS                                                        CATEGORIES',
        'deployments   deploy       apps/v1      true         Deployment   create,delete,deletecollection,get,list,patch,update,watch   all',
        'replicasets   rs           apps/v1      true         ReplicaSet   create,delete,deletecollection,get,list,patch,update,watch   all',
        '',
      ].join('\n'),
    );
    expect(formatAPIResources(r.apiResources({ apiGroup: 'coordination.k8s.io' }), { noHeaders: true })).toBe('leases         coordination.k8s.io/v1   true   Lease\n');
  });

  // Upstream: kubectl pkg/cmd/apiresources/apiresources_test.go (TestAPIResourcesRun), its discovery
  // fixture as kinds.
  describe('TestAPIResourcesRun', () => {
    const kind = (group: string, k: string, plural: string, namespaced: boolean, verbs: string[], shortNames: string[], categories: string[]): KindInfo => ({
      group,
      version: 'v1',
      kind: k,
      plural,
      singular: '',
      shortNames,
      namespaced,
      verbs,
      categories,
      subresources: [],
      nameValidation: 'DNSSubdomain',
    });
    const fixture = new KindRegistry([
      kind('', 'Foo', 'foos', false, ['get', 'list'], ['f', 'fo'], ['some-category']),
      kind('', 'Bar', 'bars', true, ['get', 'list', 'create'], [], []),
      kind('somegroup', 'Baz', 'bazzes', true, ['get', 'list', 'create', 'delete'], ['b'], ['some-category', 'another-category']),
      kind('somegroup', 'NoVerbs', 'NoVerbs', true, [], ['b'], []),
    ]);
    const H = 'NAME     SHORTNAMES   APIVERSION     NAMESPACED   KIND\n';
    it.each([
      ['defaults', {}, {}, H + 'bars                  v1             true         Bar\nfoos     f,fo         v1             false        Foo\nbazzes   b            somegroup/v1   true         Baz\n'],
      ['no headers', {}, { noHeaders: true }, 'bars            v1             true    Bar\nfoos     f,fo   v1             false   Foo\nbazzes   b      somegroup/v1   true    Baz\n'],
      ['specific api group', { apiGroup: 'somegroup' }, {}, H + 'bazzes   b            somegroup/v1   true         Baz\n'],
      [
        'output wide',
        {},
        { output: 'wide' },
        'NAME     SHORTNAMES   APIVERSION     NAMESPACED   KIND   VERBS                    CATEGORIES\n' +
          'bars                  v1             true         Bar    get,list,create          \n' +
          'foos     f,fo         v1             false        Foo    get,list                 some-category\n' +
          'bazzes   b            somegroup/v1   true         Baz    get,list,create,delete   some-category,another-category\n',
      ],
      ['output name', {}, { output: 'name' }, 'bars\nfoos\nbazzes.somegroup\n'],
      ['namespaced', { namespaced: true }, {}, H + 'bars                  v1             true         Bar\nbazzes   b            somegroup/v1   true         Baz\n'],
      ['single verb', { verbs: ['create'] }, {}, H + 'bars                  v1             true         Bar\nbazzes   b            somegroup/v1   true         Baz\n'],
      ['multiple verbs', { verbs: ['create', 'delete'] }, {}, H + 'bazzes   b            somegroup/v1   true         Baz\n'],
      ['single category', { categories: ['some-category'] }, {}, H + 'foos     f,fo         v1             false        Foo\nbazzes   b            somegroup/v1   true         Baz\n'],
      ['multiple categories', { categories: ['some-category', 'another-category'] }, {}, H + 'bazzes   b            somegroup/v1   true         Baz\n'],
      ['sort by name', { sortBy: 'name' }, {}, H + 'bars                  v1             true         Bar\nbazzes   b            somegroup/v1   true         Baz\nfoos     f,fo         v1             false        Foo\n'],
      ['sort by kind', { sortBy: 'kind' }, {}, H + 'bars                  v1             true         Bar\nbazzes   b            somegroup/v1   true         Baz\nfoos     f,fo         v1             false        Foo\n'],
    ] as const)('%s', (_name, filter, print, expected) => {
      expect(formatAPIResources(fixture.apiResources(filter), print)).toBe(expected);
    });
  });
});
