// Cases after pkg/controller/nodeipam/ipam/cidrset/cidr_set_test.go (the IPv4 rows).
import { describe, expect, it } from 'vitest';
import { formatCIDR, parseCIDR } from '../../netaddr/ipv4';
import { CidrSet, ErrCIDRRangeNoCIDRsRemaining } from './cidr_set';

const set = (cluster: string, size: number) => new CidrSet(parseCIDR(cluster), size);

describe('CidrSet', () => {
  it('TestCIDRSetFullyAllocated/Fully allocated CIDR with IPv4', () => {
    const a = set('127.123.234.0/30', 30);
    const p = a.allocateNext();
    expect(formatCIDR(p)).toBe('127.123.234.0/30');
    expect(() => a.allocateNext()).toThrow(ErrCIDRRangeNoCIDRsRemaining);
    a.release(p);
    expect(formatCIDR(a.allocateNext())).toBe('127.123.234.0/30');
    expect(() => a.allocateNext()).toThrow(ErrCIDRRangeNoCIDRsRemaining);
  });

  it.each([
    ['TestIndexToCIDRBlock/1st IP address indexed with IPv4', '127.123.3.0/16', 24, 0, '127.123.0.0/24'],
    ['TestIndexToCIDRBlock/16th IP address indexed with IPv4', '127.123.0.0/16', 24, 15, '127.123.15.0/24'],
    ['TestIndexToCIDRBlock/5th IP address indexed with IPv4', '192.168.5.219/28', 32, 5, '192.168.5.213/32'],
  ])('%s', (_ref, cluster, size, index, block) => {
    const a = set(cluster, size);
    // Allocate up to the index: allocation walks the blocks in order from the first.
    let last = '';
    for (let i = 0; i <= index; i++) last = formatCIDR(a.allocateNext());
    expect(last).toBe(block);
  });

  it('TestCIDRSet_RandomishAllocation/RandomishAllocation with IPv4: all 256 blocks, then the same again after a release', () => {
    const a = set('127.123.234.0/16', 24);
    const first = Array.from({ length: 256 }, () => formatCIDR(a.allocateNext()));
    expect(() => a.allocateNext()).toThrow(ErrCIDRRangeNoCIDRsRemaining);
    for (const c of first) a.release(parseCIDR(c));
    const again = Array.from({ length: 256 }, () => formatCIDR(a.allocateNext()));
    expect(again).toEqual(first);
    expect(first.slice(0, 2)).toEqual(['127.123.0.0/24', '127.123.1.0/24']);
  });

  it('TestCIDRSet_AllocationOccupied/AllocationOccupied with IPv4: occupied blocks are skipped', () => {
    const a = set('127.123.234.0/16', 24);
    const all = Array.from({ length: 256 }, () => a.allocateNext());
    for (const c of all) a.release(c);
    for (let i = 128; i < 256; i++) a.occupy(all[i]);
    a.occupy(all[128]);
    const again = Array.from({ length: 128 }, () => formatCIDR(a.allocateNext()));
    expect(() => a.allocateNext()).toThrow(ErrCIDRRangeNoCIDRsRemaining);
    expect(again).toEqual(all.slice(0, 128).map(formatCIDR));
  });

  it('TestDoubleOccupyRelease: counts change only when a bit changes', () => {
    const a = set('10.42.0.0/16', 24);
    const ops: Array<[string, 'occupy' | 'release', number]> = [
      ['10.42.5.0/24', 'occupy', 1],
      ['10.42.9.0/24', 'occupy', 2],
      ['10.42.8.0/22', 'occupy', 5],
      ['10.42.9.0/24', 'occupy', 5],
      ['10.42.9.0/24', 'release', 4],
      ['10.42.9.0/24', 'release', 4],
      ['10.42.4.0/22', 'release', 3],
    ];
    for (const [cidr, op, n] of ops) {
      a[op](parseCIDR(cidr));
      expect(a.allocatedCIDRs).toBe(n);
    }
    for (let i = 0; i < 256 - 3; i++) a.allocateNext();
    expect(() => a.allocateNext()).toThrow(ErrCIDRRangeNoCIDRsRemaining);
  });

  it('TestGetBitforCIDR/Get error with IPv4: a range outside the cluster CIDR', () => {
    expect(() => set('192.168.0.0/16', 24).occupy(parseCIDR('127.168.224.0/24'))).toThrow('cidr 127.168.224.0/24 is out the range of cluster cidr 192.168.0.0/16');
  });

  it('TestOccupy/Occupy all Bits with IPv4: a range larger than the cluster takes every block', () => {
    const a = set('127.0.0.0/8', 16);
    a.occupy(parseCIDR('127.0.0.0/8'));
    expect(a.allocatedCIDRs).toBe(256);
  });

  it('parses as Go does', () => {
    expect(formatCIDR(parseCIDR('10.244.3.7/16'))).toBe('10.244.0.0/16');
    expect(() => parseCIDR('10.244.0.0')).toThrow('invalid CIDR address: 10.244.0.0');
    expect(() => parseCIDR('10.244.0.300/24')).toThrow('invalid CIDR address: 10.244.0.300/24');
  });
});
