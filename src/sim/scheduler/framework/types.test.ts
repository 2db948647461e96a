import { describe, expect, it } from 'vitest';
import { makeNode } from '../testing/wrappers';
import { NodeInfo } from './types';

describe('NodeInfo.name', () => {
  // The name is remembered per Node object; a NodeInfo given another Node must not keep the old one.
  it('follows setNode, removeNode and a Node assigned directly', () => {
    const ni = new NodeInfo();
    expect(ni.name).toBe('');
    ni.setNode(makeNode().name('a').obj());
    expect(ni.name).toBe('a');
    ni.node = makeNode().name('b').obj();
    expect(ni.name).toBe('b');
    expect(ni.snapshot().name).toBe('b');
    ni.removeNode();
    expect(ni.name).toBe('');
  });
});
