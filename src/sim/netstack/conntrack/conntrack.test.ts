import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/clock';
import { rngFromSeed } from '../../core/rng';
import type { Packet } from '../netfilter/packet';
import { Conntrack, KUBE_PROXY_TIMEOUTS, natPacket } from './index';

const syn: Packet = { proto: 'tcp', src: '10.244.1.5', dst: '10.96.0.10', sport: 41000, dport: 80, mark: 0 };

describe('Conntrack', () => {
  it('binds DNAT on the first packet and rewrites both directions from the entry', () => {
    const ct = new Conntrack(new FakeClock(), rngFromSeed(1));
    expect(ct.lookup(syn)).toBeUndefined();
    const e = ct.create(syn);
    ct.bindNat(e, { kind: 'DNAT', to: '10.244.2.7:8080' });
    ct.seen(e, 'original', 'SYN');
    const out = natPacket(e, 'original', syn, 'dst');
    expect([out.dst, out.dport]).toEqual(['10.244.2.7', 8080]);
    // The endpoint answers to the client; the reply tuple finds the entry and un-DNATs the source.
    const reply: Packet = { ...syn, src: '10.244.2.7', sport: 8080, dst: '10.244.1.5', dport: 41000 };
    const found = ct.lookup(reply)!;
    expect(found.dir).toBe('reply');
    const back = natPacket(found.entry, 'reply', reply, 'src');
    expect([back.src, back.sport]).toEqual(['10.96.0.10', 80]);
    expect(ct.ctstate(found.entry, 'reply')).toEqual(['ESTABLISHED', 'DNAT']);
  });

  it('prints conntrack -L lines as conntrack-tools does, through the TCP handshake to TIME_WAIT', () => {
    const clock = new FakeClock();
    const ct = new Conntrack(clock, rngFromSeed(1), KUBE_PROXY_TIMEOUTS);
    const e = ct.create(syn);
    ct.bindNat(e, { kind: 'DNAT', to: '10.244.2.7:8080' });
    ct.seen(e, 'original', 'SYN');
    clock.step(3000);
    expect(ct.list().stdout).toBe(
      'tcp      6 117 SYN_SENT src=10.244.1.5 dst=10.96.0.10 sport=41000 dport=80 [UNREPLIED] src=10.244.2.7 dst=10.244.1.5 sport=8080 dport=41000 mark=0 use=1\n',
    );
    ct.seen(e, 'reply', 'SYN-ACK');
    ct.seen(e, 'original', 'ACK');
    expect(ct.list().stdout).toBe(
      'tcp      6 86400 ESTABLISHED src=10.244.1.5 dst=10.96.0.10 sport=41000 dport=80 src=10.244.2.7 dst=10.244.1.5 sport=8080 dport=41000 [ASSURED] mark=0 use=1\n',
    );
    ct.seen(e, 'original', 'FIN');
    ct.seen(e, 'reply', 'FIN');
    ct.seen(e, 'original', 'ACK');
    clock.step(3000);
    expect(ct.list().stdout).toMatch(/^tcp {6}6 117 TIME_WAIT /);
    expect(ct.list().stderr).toBe('conntrack v1.4.7 (conntrack-tools): 1 flow entries have been shown.\n');
    clock.step(117_000);
    expect(ct.entries()).toEqual([]);
  });

  it('masquerades to the interface address, keeping the port unless it clashes; --random-fully draws one', () => {
    const ct = new Conntrack(new FakeClock(), rngFromSeed('masq'));
    const a = ct.create({ ...syn, dst: '1.1.1.1' });
    ct.bindNat(a, { kind: 'MASQUERADE', randomFully: false }, '192.168.0.2');
    expect(a.reply).toMatchObject({ dst: '192.168.0.2', dport: 41000 });
    const b = ct.create({ ...syn, src: '10.244.1.6', dst: '1.1.1.1' });
    ct.bindNat(b, { kind: 'MASQUERADE', randomFully: false }, '192.168.0.2');
    expect(b.reply.dport).toBe(41001);
    const c = ct.create({ ...syn, src: '10.244.1.7', dst: '1.1.1.1' });
    ct.bindNat(c, { kind: 'MASQUERADE', randomFully: true }, '192.168.0.2');
    expect(c.reply.dport).not.toBe(41000);
    expect(c.reply.dport).toBeGreaterThanOrEqual(1024);
  });

  it('udp: 30 s unreplied, 120 s once replied and ASSURED when the client speaks again', () => {
    const clock = new FakeClock();
    const ct = new Conntrack(clock, rngFromSeed(1));
    const dns: Packet = { proto: 'udp', src: '10.244.1.5', dst: '10.244.0.3', sport: 5353, dport: 53, mark: 0 };
    const e = ct.create(dns);
    ct.seen(e, 'original');
    expect(ct.list().stdout).toBe('udp      17 30 src=10.244.1.5 dst=10.244.0.3 sport=5353 dport=53 [UNREPLIED] src=10.244.0.3 dst=10.244.1.5 sport=53 dport=5353 mark=0 use=1\n');
    ct.seen(e, 'reply');
    ct.seen(e, 'original');
    expect(ct.list().stdout).toMatch(/^udp {6}17 120 src=.* dport=5353 \[ASSURED\] mark=0 use=1\n$/);
  });
});
