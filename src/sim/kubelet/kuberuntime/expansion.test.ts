/** Tests after pkg/kubelet/container/helpers_test.go (TestExpandCommandAndArgs) and third_party/forked/golang/expansion/expand_test.go (TestMapReference). */
import { describe, expect, it } from 'vitest';
import { expand, expandContainerCommandAndArgs, mappingFuncFor } from './expansion';

describe('$(VAR) expansion', () => {
  const env = [{ name: 'foo', value: 'bar' }, { name: 'zap', value: 'zip' }];
  const table: Array<{ name: string; command?: string[]; args?: string[]; want: { command?: string[]; args?: string[] } }> = [
    { name: 'none', want: {} },
    { name: 'command expanded', command: ['foo', '$(foo)', '$(zap)'], want: { command: ['foo', 'bar', 'zip'] } },
    { name: 'args expanded', args: ['zap', '$(foo)', '$(zap)'], want: { args: ['zap', 'bar', 'zip'] } },
    { name: 'both', command: ['$(foo)'], args: ['$(zap)'], want: { command: ['bar'], args: ['zip'] } },
    { name: 'escaped and unknown stay as written', command: ['$$(foo)', '$(unknown)', '$foo', 'echo $(foo)$(zap)'], want: { command: ['$(foo)', '$(unknown)', '$foo', 'echo barzip'] } },
  ];
  for (const c of table) {
    it(`TestExpandCommandAndArgs: ${c.name}`, () => expect(expandContainerCommandAndArgs({ name: 'c', command: c.command, args: c.args }, env)).toEqual(c.want));
  }

  it('TestMapReference: later env values see earlier ones; an unclosed reference is kept', () => {
    const m = mappingFuncFor({ FOO: 'foo', BAR: 'bar' });
    expect(expand('$(FOO)-$(BAR)', m)).toBe('foo-bar');
    expect(expand('$(FOO', m)).toBe('$(FOO');
    expect(expand('$$$(FOO)', m)).toBe('$foo');
    expect(expand('$', m)).toBe('$');
  });
});
