/** Ported from pkg/scheduler/framework/plugins/defaultbinder/default_binder_test.go (TestDefaultBinder). */
import { describe, it, expect } from 'vitest';
import type { Pod } from '../../../api/core/v1';
import { CycleState } from '../../framework/cycle_state';
import { newTestHandle } from '../../testing/handle';
import { newDefaultBinder } from '.';

const testPod: Pod = { metadata: { name: 'foo', namespace: 'ns', uid: 'foo' }, spec: { containers: [] } };

describe('TestDefaultBinder', () => {
  const cases = [
    { ref: 'TestDefaultBinder/successful', injectErr: null as Error | null, want: null as null | { code: string; reasons: string[] } },
    { ref: 'TestDefaultBinder/binding error', injectErr: new Error('binding error'), want: { code: 'Error', reasons: ['binding error'] } },
  ];
  for (const c of cases) {
    it(c.ref, async () => {
      const bindings: { ns?: string; name?: string; uid?: string; node: string }[] = [];
      const handle = {
        ...newTestHandle(),
        bindPod: async (pod: Pod, nodeName: string) => {
          if (c.injectErr) throw c.injectErr;
          bindings.push({ ns: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid, node: nodeName });
        },
      };
      const st = await newDefaultBinder(undefined, handle).bind!(new CycleState(), testPod, 'foohost.kubernetes.mydomain.com');
      expect(st ? { code: st.code, reasons: st.allReasons() } : null).toEqual(c.want);
      expect(bindings).toEqual(c.injectErr ? [] : [{ ns: 'ns', name: 'foo', uid: 'foo', node: 'foohost.kubernetes.mydomain.com' }]);
    });
  }
  it('without an API client on the handle, Bind is an Error status', async () => {
    const st = await newDefaultBinder(undefined, newTestHandle()).bind!(new CycleState(), testPod, 'n');
    expect(st?.code).toBe('Error');
  });
});
