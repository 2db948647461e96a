/**
 * `etcdctl lease grant|revoke|timetolive|keep-alive --once` on the etcd model's client.
 * Upstream: etcd v3.6.0 etcdctl/ctlv3/command/lease_command.go, printer_simple.go (Grant, Revoke, TimeToLive, KeepAlive)
 */
import type { ShellIO } from '../registry';
import type { EtcdClientLike } from './index';
import { EXIT_BAD_ARGS, EXIT_ERROR, EtcdctlExit } from './exit';

const EXIT_BAD_CONNECTION = 2;

const hex16 = (id: number) => id.toString(16).padStart(16, '0');

// Upstream: lease_command.go (leaseFromArgs)
function leaseFromArgs(arg: string): number {
  if (!/^[+-]?[0-9a-fA-F]+$/.test(arg)) throw new EtcdctlExit(EXIT_BAD_ARGS, `bad lease ID arg (strconv.ParseInt: parsing ${JSON.stringify(arg)}: invalid syntax), expecting ID in Hex`);
  return parseInt(arg, 16);
}

/** Re-raises a client error as etcdctl words it, with its exit code. */
async function as<T>(code: number, prefix: string, call: (fn: () => Promise<T>) => Promise<T>, fn: () => Promise<T>): Promise<T> {
  try {
    return await call(fn);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new EtcdctlExit(code, prefix ? `${prefix} (${msg})` : msg);
  }
}

export const LEASE_SUBCOMMANDS = ['grant', 'revoke', 'timetolive', 'keep-alive'];

export async function lease(
  etcd: EtcdClientLike,
  call: <T>(fn: () => Promise<T>) => Promise<T>,
  pos: string[],
  flags: { keys: boolean; once: boolean },
  io: ShellIO,
): Promise<number> {
  const [sub, ...args] = pos;
  const { leaseGrant, leaseRevoke, leaseTimeToLive, leaseKeepAlive } = etcd;
  if (!leaseGrant || !leaseRevoke || !leaseTimeToLive || !leaseKeepAlive) throw new EtcdctlExit(EXIT_ERROR, "lease: this lab's etcd client has no leases");
  switch (sub) {
    case 'grant': {
      if (args.length !== 1) throw new EtcdctlExit(EXIT_BAD_ARGS, 'lease grant command needs TTL argument');
      if (!/^[+-]?\d+$/.test(args[0])) throw new EtcdctlExit(EXIT_BAD_ARGS, `bad TTL (strconv.ParseInt: parsing ${JSON.stringify(args[0])}: invalid syntax)`);
      const r = await as(EXIT_ERROR, 'failed to grant lease', call, () => leaseGrant.call(etcd, Number(args[0])));
      io.print(`lease ${hex16(r.id)} granted with TTL(${r.ttl}s)`);
      return 0;
    }
    case 'revoke': {
      if (args.length !== 1) throw new EtcdctlExit(EXIT_BAD_ARGS, 'lease revoke command needs 1 argument');
      const id = leaseFromArgs(args[0]);
      await as(EXIT_ERROR, 'failed to revoke lease', call, () => leaseRevoke.call(etcd, id));
      io.print(`lease ${hex16(id)} revoked`);
      return 0;
    }
    case 'timetolive': {
      if (args.length !== 1) throw new EtcdctlExit(EXIT_BAD_ARGS, 'lease timetolive command needs lease ID as argument');
      const id = leaseFromArgs(args[0]);
      const r = await as(EXIT_BAD_CONNECTION, '', call, () => leaseTimeToLive.call(etcd, id, { keys: flags.keys }));
      if (r.grantedTtl === 0 && r.ttl === -1) io.print(`lease ${hex16(r.id)} already expired`);
      else io.print(`lease ${hex16(r.id)} granted with TTL(${r.grantedTtl}s), remaining(${r.ttl}s)${flags.keys ? `, attached keys([${r.keys.join(' ')}])` : ''}`);
      return 0;
    }
    case 'keep-alive': {
      if (args.length !== 1) throw new EtcdctlExit(EXIT_BAD_ARGS, 'lease keep-alive command needs lease ID as argument');
      if (!flags.once) throw new EtcdctlExit(EXIT_BAD_ARGS, 'lease keep-alive without --once keeps the lease alive until Ctrl+C: the lab runs one round (--once)');
      const id = leaseFromArgs(args[0]);
      const r = await as(EXIT_BAD_CONNECTION, '', call, () => leaseKeepAlive.call(etcd, id));
      io.print(`lease ${hex16(r.id)} keepalived with TTL(${r.ttl})`);
      return 0;
    }
    default:
      throw new EtcdctlExit(EXIT_BAD_ARGS, `lease needs a subcommand: ${LEASE_SUBCOMMANDS.join(', ')}${sub ? ` (not ${sub})` : ''}`);
  }
}
