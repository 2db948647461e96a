/**
 * The terminal's `cluster` command: faults and time for a lab's cluster (a ClusterTarget).
 *
 *   cluster status                      every member: state, term, vote, leader, log, timer
 *   cluster partition 1,2 3,4,5         split into groups (members left out are alone)
 *   cluster heal                        remove the partition and the drop rules
 *   cluster crash|restart|pause|resume <member>
 *   cluster skew <member> <rate>        the member's clock runs at rate × virtual time
 *   cluster drop <MsgType|*> [<from>-><to>]   drop matching messages (either end may be *)
 *   cluster drop #<id>                        lose one message in flight
 *   cluster propose <data>              through the leader
 *   cluster add-member <id> [--learner] | remove-member <id> | promote <id>   conf changes through the leader
 *   cluster transfer <id>               leadership to member <id>
 *   cluster run <duration>              let virtual time pass (also: sleep <duration>)
 *
 * An impossible command (an unknown member, crashing a member that is down, a member in two
 * groups) fails with a sentence saying why and changes nothing.
 */
import { formatDuration } from '../../../sim/index';
import { TabWriter, DESCRIBE_TABWRITER } from '../kubectl/format/tabwriter';
import { ShellUsageError, type Shell, type ShellIO } from '../registry';
import type { ClusterTarget, MemberStatus, ProposeOutcome } from './target';

export type { ClusterTarget, DropRule, MemberStatus, ProposeOutcome } from './target';

/** The raft messages that cross the network (raftpb MessageType, the local ones left out). */
export const NETWORK_MESSAGES = [
  'MsgApp',
  'MsgAppResp',
  'MsgHeartbeat',
  'MsgHeartbeatResp',
  'MsgVote',
  'MsgVoteResp',
  'MsgPreVote',
  'MsgPreVoteResp',
  'MsgProp',
  'MsgSnap',
  'MsgTransferLeader',
  'MsgTimeoutNow',
  'MsgReadIndex',
  'MsgReadIndexResp',
] as const;

/** Longest `cluster run` at once: a raft cluster records ~30 events per tick. */
export const MAX_RUN_MS = 5 * 60_000;

const SUBCOMMANDS = ['status', 'partition', 'heal', 'crash', 'restart', 'pause', 'resume', 'skew', 'drop', 'propose', 'add-member', 'remove-member', 'promote', 'transfer', 'run'] as const;

/** Highest member id a lab adds (etcd's member ids are uint64; the view draws a handful). */
const MAX_MEMBER_ID = 9;

const USAGE = `cluster status
       cluster partition <ids,..> <ids,..> [...]   e.g. cluster partition 1,2 3,4,5
       cluster heal
       cluster crash|restart|pause|resume <member>
       cluster skew <member> <rate>                e.g. cluster skew 2 1.5
       cluster drop <MsgType|*> [<from>-><to>]      e.g. cluster drop MsgApp 1->3
       cluster drop #<id>                           lose one message in flight (ids as the raft view shows them)
       cluster propose <data>
       cluster add-member <id> [--learner]         e.g. cluster add-member 6 --learner
       cluster remove-member <id> | cluster promote <id>
       cluster transfer <id>                       leadership to member <id>
       cluster run <duration>                      e.g. cluster run 2s`;

/** Parses `30s`, `2m`, `500ms`, or a number of seconds, as a duration in ms (at most `maxMs`). */
export function parseDuration(arg: string, maxMs = MAX_RUN_MS): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(arg);
  if (!m) throw new ShellUsageError(`invalid duration '${arg}' (e.g. 2s, 500ms, 1m)`);
  const ms = Number(m[1]) * { ms: 1, s: 1000, m: 60_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm'];
  if (ms > maxMs) throw new ShellUsageError(`at most ${formatDuration(maxMs)} at a time`);
  return ms;
}

export interface ClusterCommandOptions {
  /** Called after every command, even a failed one (the view shows the cluster again, at its end). */
  onChange?(): void;
  /** Called after time passed or a fault, to report what the cluster's checker found. */
  afterCommand?(io: ShellIO): void;
}

export function registerClusterCommands(shell: Shell, target: ClusterTarget, opts: ClusterCommandOptions = {}): void {
  const members = () => target.members();
  const member = (arg: string | undefined): number => {
    if (arg === undefined) throw new ShellUsageError('needs a member id');
    const id = Number(arg);
    if (!/^\d+$/.test(arg) || !members().includes(id)) throw new Error(`no member ${arg} (members: ${members().join(', ')})`);
    return id;
  };
  const run = async (ms: number, io: ShellIO) => {
    await target.run(ms);
    io.print(`(virtual time is now ${formatDuration(target.now())} into the session)`);
  };

  const conf = (what: string, r: ProposeOutcome, io: ShellIO) => {
    if (!r.ok) throw new Error(`${what} refused: ${r.error}`);
    io.print(`${what}: conf change proposed to leader ${r.leader} as entry ${r.index} at term ${r.term} (cluster run 1s lets it commit and apply)`);
  };
  const supports = <K extends 'addMember' | 'removeMember' | 'promoteMember' | 'transfer'>(k: K): NonNullable<ClusterTarget[K]> => {
    const f = target[k];
    if (!f) throw new Error("this lab's cluster has fixed members");
    return f.bind(target) as NonNullable<ClusterTarget[K]>;
  };

  const actions: Record<(typeof SUBCOMMANDS)[number], (args: string[], io: ShellIO) => void | Promise<void>> = {
    status(args, io) {
      if (args.length) throw new ShellUsageError('status takes no arguments');
      io.print(statusTable(target));
    },
    partition(args, io) {
      if (args.length < 2) throw new ShellUsageError('needs at least two groups, e.g. cluster partition 1,2 3,4,5');
      const seen = new Set<number>();
      const groups = args.map((g) =>
        g.split(',').map((x) => {
          const id = member(x);
          if (seen.has(id)) throw new Error(`member ${id} is named twice: a member is on one side of a partition`);
          seen.add(id);
          return id;
        }),
      );
      target.partition(groups);
      const alone = members().filter((id) => !seen.has(id));
      io.print(`partitioned: ${groups.map((g) => `{${g.join(',')}}`).join(' | ')}${alone.length ? ` (alone: ${alone.join(', ')})` : ''}`);
    },
    heal(args, io) {
      if (args.length) throw new ShellUsageError('heal takes no arguments');
      const hadGroups = target.groups().length > 0;
      const rules = target.heal();
      io.print(hadGroups || rules ? `healed: every member reaches every other${rules ? `; ${rules} drop rule${rules === 1 ? '' : 's'} removed` : ''}` : 'nothing to heal: no partition and no drop rule');
    },
    crash(args, io) {
      const id = one(args, member);
      const s = target.status(id);
      if (s.state === 'crashed') throw new Error(`member ${id} is already down (crashed): restart it first`);
      target.crash(id);
      io.print(`member ${id} crashed (it was ${s.state} at term ${s.term}); what it had fsynced to its WAL survives`);
    },
    restart(args, io) {
      const id = one(args, member);
      const s = target.status(id);
      if (s.state !== 'crashed') throw new Error(`member ${id} is running (${s.state}): only a crashed member restarts`);
      target.restart(id);
      io.print(`member ${id} restarted from its storage`);
    },
    pause(args, io) {
      const id = one(args, member);
      const s = target.status(id);
      if (s.state === 'crashed') throw new Error(`member ${id} is down (crashed): a crashed member cannot be paused`);
      if (s.state === 'paused') throw new Error(`member ${id} is already paused`);
      target.pause(id);
      io.print(`member ${id} paused: no ticks, messages to it wait`);
    },
    resume(args, io) {
      const id = one(args, member);
      if (target.status(id).state !== 'paused') throw new Error(`member ${id} is not paused`);
      target.resume(id);
      io.print(`member ${id} resumed`);
    },
    skew(args, io) {
      if (args.length !== 2) throw new ShellUsageError('needs a member and a rate, e.g. cluster skew 2 1.5');
      const id = member(args[0]);
      const rate = Number(args[1]);
      if (!(rate >= 0.1 && rate <= 10)) throw new Error(`rate ${args[1]}: use a number from 0.1 to 10 (1 = true time)`);
      target.skew(id, rate);
      io.print(`member ${id}'s clock runs at ${rate}× virtual time: it ticks every ${formatDuration(100 / rate)} instead of 100 ms`);
    },
    drop(args, io) {
      const one = args.length === 1 ? /^#(\d+)$/.exec(args[0]) : null;
      if (one) {
        // One message in flight, by the id the raft view shows (raftnet's dropMessage).
        if (!target.dropMessage) throw new Error('this cluster cannot drop a single message');
        if (!target.dropMessage(Number(one[1]))) throw new Error(`no message #${one[1]} in flight (it arrived, or was lost already)`);
        io.print(`message #${one[1]} dropped`);
        return;
      }
      if (args.length < 1 || args.length > 2) throw new ShellUsageError('needs a message type and optionally a link, e.g. cluster drop MsgApp 1->3');
      const msgType = messageType(args[0]);
      let from = 0;
      let to = 0;
      if (args[1] !== undefined) {
        const m = /^(\*|\d+)->(\*|\d+)$/.exec(args[1]);
        if (!m) throw new ShellUsageError(`link '${args[1]}': write <from>-><to>, e.g. 1->3 or *->3`);
        from = m[1] === '*' ? 0 : member(m[1]);
        to = m[2] === '*' ? 0 : member(m[2]);
        if (from && from === to) throw new Error(`${args[1]}: a member sends nothing to itself over the network`);
      }
      const rule = target.drop({ msgType, from, to });
      io.print(`rule ${rule.id}: drop ${msgType || 'every message'} ${from || '*'}->${to || '*'} (cluster heal removes it)`);
    },
    propose(args, io) {
      if (args.length !== 1) throw new ShellUsageError("needs one value (quote it if it has spaces: cluster propose 'a b')");
      const r = target.propose(args[0]);
      if (!r.ok) throw new Error(`proposal dropped: ${r.error}`);
      io.print(`proposed ${JSON.stringify(args[0])}${r.as ? ` (${r.as})` : ''} to leader ${r.leader}: entry ${r.index} at term ${r.term} (cluster run 1s lets it commit)`);
    },
    'add-member'(args, io) {
      const learner = args.includes('--learner');
      const ids = args.filter((a) => a !== '--learner');
      if (ids.length !== 1 || ids[0].startsWith('-')) throw new ShellUsageError('needs one new member id, e.g. cluster add-member 6 [--learner]');
      const id = Number(ids[0]);
      if (!/^\d+$/.test(ids[0]) || id < 1 || id > MAX_MEMBER_ID) throw new Error(`member id ${ids[0]}: use a number from 1 to ${MAX_MEMBER_ID}`);
      if (members().includes(id)) throw new Error(`member ${id} is already in the cluster (members: ${members().join(', ')})`);
      conf(`add ${learner ? 'learner' : 'member'} ${id}`, supports('addMember')(id, learner), io);
    },
    'remove-member'(args, io) {
      const id = one(args, member);
      if (members().length <= 1) throw new Error(`member ${id} is the last one: a cluster keeps at least one member`);
      conf(`remove member ${id}`, supports('removeMember')(id), io);
    },
    promote(args, io) {
      const id = one(args, member);
      if (target.isLearner && !target.isLearner(id)) throw new Error(`member ${id} is a voter already: only a learner is promoted`);
      conf(`promote learner ${id}`, supports('promoteMember')(id), io);
    },
    transfer(args, io) {
      const id = one(args, member);
      const r = supports('transfer')(id);
      if (!r.ok) throw new Error(`transfer refused: ${r.error}`);
      if (r.from === id) throw new Error(`member ${id} leads already`);
      io.print(`leader ${r.from} hands leadership to ${id}: it sends MsgTimeoutNow once ${id} has its log (cluster run 1s)`);
    },
    async run(args, io) {
      if (args.length !== 1) throw new ShellUsageError('needs one duration, e.g. cluster run 2s');
      await run(parseDuration(args[0]), io);
    },
  };

  shell.register('cluster', {
    summary: "faults and time for the lab's raft cluster: status, partition, crash, restart, pause, resume, heal, skew, drop, propose, add-member, remove-member, promote, transfer, run",
    usage: USAGE,
    async run(args, { io }) {
      const [sub, ...rest] = args;
      if (sub === undefined) throw new ShellUsageError('needs a subcommand');
      const action = (actions as Record<string, (a: string[], io: ShellIO) => void | Promise<void>>)[sub];
      if (!action) throw new ShellUsageError(`unknown subcommand '${sub}' (one of: ${SUBCOMMANDS.join(', ')})`);
      try {
        await action(rest, io);
      } finally {
        if (sub !== 'status') opts.afterCommand?.(io);
        opts.onChange?.();
      }
    },
    complete(args, partial) {
      if (args.length === 0) return [...SUBCOMMANDS];
      const sub = args[0];
      if (sub === 'drop' && args.length === 1) return ['*', ...NETWORK_MESSAGES];
      if (['crash', 'restart', 'pause', 'resume', 'skew', 'remove-member', 'promote', 'transfer'].includes(sub) && args.length === 1) return members().map(String);
      if (sub === 'add-member' && args.length === 2) return ['--learner'];
      void partial;
      return [];
    },
  });
  if (!shell.has('sleep')) {
    shell.register('sleep', {
      summary: "let the lab cluster's virtual time pass",
      usage: 'sleep <duration>   (e.g. 2s, 500ms, 1m)',
      async run(args, { io }) {
        if (args.length !== 1) throw new ShellUsageError('needs one duration');
        try {
          await run(parseDuration(args[0]), io);
        } finally {
          opts.afterCommand?.(io);
          opts.onChange?.();
        }
      },
    });
  }
}

function one(args: string[], member: (arg: string | undefined) => number): number {
  if (args.length !== 1) throw new ShellUsageError('needs one member id');
  return member(args[0]);
}

function messageType(arg: string): string {
  if (arg === '*') return '';
  const name = arg.startsWith('Msg') ? arg : `Msg${arg}`;
  const found = NETWORK_MESSAGES.find((t) => t.toLowerCase() === name.toLowerCase());
  if (!found) throw new Error(`unknown message type '${arg}' (one of: ${NETWORK_MESSAGES.join(', ')}, or *)`);
  return found;
}

/** `cluster status`: one row per member, then the network. */
export function statusTable(target: ClusterTarget): string {
  const w = new TabWriter(DESCRIBE_TABWRITER);
  w.write('MEMBER\tSTATE\tTERM\tVOTE\tLEADER\tLAST INDEX\tCOMMIT\tAPPLIED\tELECTION TIMER\n');
  for (const id of target.members()) {
    const s: MemberStatus = target.status(id);
    const down = s.state === 'crashed';
    const timer = s.electionTimeout === undefined ? '-' : `${s.electionElapsed}/${s.electionTimeout} ticks`;
    const rate = target.clockRate(id);
    w.write(
      `${id}\t${s.state}${target.isLearner?.(id) ? ' (learner)' : ''}${rate !== 1 ? ` (clock ×${rate})` : ''}\t${s.term}\t${s.vote || '-'}\t${down || !s.lead ? '-' : s.lead}\t${s.lastIndex}\t${s.commit}\t${down ? '-' : s.applied}\t${down ? '-' : timer}\n`,
    );
  }
  const named = target.groups();
  const inGroup = new Set(named.flat());
  const groups = named.length ? [...named, ...target.members().filter((id) => !inGroup.has(id)).map((id) => [id])] : [];
  const rules = target.rules();
  const net = [
    groups.length ? `partition ${groups.map((g) => `{${g.join(',')}}`).join(' | ')}` : 'no partition',
    rules.length ? rules.map((r) => `rule ${r.id}: drop ${r.msgType || '*'} ${r.from || '*'}->${r.to || '*'}`).join(', ') : 'no drop rule',
    `${target.inFlight()} message${target.inFlight() === 1 ? '' : 's'} in flight`,
    `virtual time ${formatDuration(target.now())}`,
  ];
  return `${w.flush().replace(/\n$/, '')}\nnetwork: ${net.join('; ')}`;
}
