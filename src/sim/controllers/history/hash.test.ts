import { describe, expect, it } from 'vitest';
import { controllerRevisionName, hashControllerRevision, safeEncodeString } from './controller_history';
import { marshalGoJSON } from './go_json';

// The revision data of stateful_set_compatibility_test.go (1.33, with `creationTimestamp: null`)
// and of testdata/compatibility_revision_1.34.0.json (1.34 omits the zero timestamp).
const template = (meta: Record<string, unknown>) => ({
  spec: {
    template: {
      $patch: 'replace',
      metadata: meta,
      spec: {
        containers: [{ image: 'test', imagePullPolicy: 'Always', name: 'test', resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' }],
        dnsPolicy: 'ClusterFirst',
        restartPolicy: 'Always',
        schedulerName: 'default-scheduler',
        securityContext: {},
        terminationGracePeriodSeconds: 30,
      },
    },
  },
});

describe('HashControllerRevision (pkg/controller/history)', () => {
  it.each([
    { name: '1.33 revision (TestStatefulSetCompatibility)', data: template({ annotations: { test: 'value' }, creationTimestamp: null, labels: { app: 'foo' } }), hash: 'c77f6d978' },
    { name: '1.34 revision (testdata/compatibility_revision_1.34.0.json)', data: template({ annotations: { test: 'value' }, labels: { app: 'foo' } }), hash: '776999688b' },
  ])('reproduces the hash of the $name', ({ data, hash }) => {
    expect(hashControllerRevision({ data }, 0)).toBe(hash);
  });
  it('marshals as Go: sorted keys, HTML escaped', () => {
    expect(marshalGoJSON({ b: 1, a: ['<&>'], $p: null })).toBe('{"$p":null,"a":["\\u003c\\u0026\\u003e"],"b":1}');
  });
  it('safe-encodes and truncates names (TestControllerRevisionName)', () => {
    expect(safeEncodeString('0123456789')).toBe(safeEncodeString('0123456789'));
    expect(controllerRevisionName('x'.repeat(300), 'abc')).toHaveLength(227);
  });
});
