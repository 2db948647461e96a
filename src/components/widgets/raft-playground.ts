/**
 * The live part of <RaftPlayground>: a RaftCluster (src/sim/raftcluster over the raft model,
 * etcd-io/raft v3.6.0) recording to a trace, drawn by the labs' raft view at the trace's end.
 * Playing moves virtual time a few milliseconds per animation frame, so messages can be seen
 * on their way; the buttons and the view's member popovers crash, restart, pause, isolate and
 * heal. Imports model modules one by one (never src/sim/index) to keep lesson pages light.
 * `RaftPlaygroundSim` has no DOM (test/content/widgets.test.ts drives it); `mount` draws it.
 */
import { newEnv } from '../../sim/core/env';
import { TraceRecorder } from '../../sim/core/trace';
import { newRaftCluster, type RaftCluster } from '../../sim/raftcluster/cluster';
import { createRaftView } from '../viz/raft/view';

export interface RaftPlaygroundOptions {
  members: number;
  preVote: boolean;
  checkQuorum: boolean;
  seed: number;
}

export class RaftPlaygroundSim {
  cluster!: RaftCluster;
  trace!: TraceRecorder;
  #writes = 0;

  constructor(readonly options: RaftPlaygroundOptions) {
    this.reset();
  }

  reset(): void {
    this.trace = new TraceRecorder(500_000);
    const o = this.options;
    this.cluster = newRaftCluster({ size: o.members, env: newEnv({ seed: o.seed, trace: this.trace }), preVote: o.preVote, checkQuorum: o.checkQuorum, onViolation: 'record' });
    this.#writes = 0;
  }

  get now(): number {
    return this.cluster.clock.now();
  }

  run(ms: number): void {
    this.cluster.run(ms);
  }

  /** What happened, in a sentence (for the status line and screen readers). */
  do(action: string): string {
    const c = this.cluster;
    const leader = c.leader();
    switch (action) {
      case 'propose': {
        const r = c.propose(`x${++this.#writes}`);
        return r.ok ? `x${this.#writes} appended by leader ${r.leader} at index ${r.index} (term ${r.term})` : `x${this.#writes} not written: ${r.error}`;
      }
      case 'crash-leader':
        if (leader === undefined) return 'no leader to crash';
        c.crash(leader);
        return `leader ${leader} crashed`;
      case 'isolate-leader':
        if (leader === undefined) return 'no leader to isolate';
        c.partition([[leader], c.members().filter((id) => id !== leader)]);
        return `leader ${leader} cut off from the others`;
      case 'restart-all': {
        const down = c.members().filter((id) => !c.node(id));
        for (const id of down) c.restart(id);
        return down.length ? `restarted ${down.join(', ')}` : 'nobody is down';
      }
      case 'heal':
        c.heal();
        for (const id of c.members()) if (c.paused(id)) c.resume(id);
        return 'network healed';
      default:
        return this.command(action);
    }
  }

  /**
   * The `cluster ...` lines the raft view's popovers send. Parsed here rather than by the lab
   * terminal's `cluster` commands, which would bring the shell and its parser onto a lesson page.
   */
  command(line: string): string {
    const c = this.cluster;
    const [cmd, sub, a, b] = line.trim().split(/\s+/);
    if (cmd !== 'cluster') return `unknown action ${line}`;
    const id = Number(a);
    const known = c.members().includes(id);
    switch (sub) {
      case 'crash':
        if (!known || !c.node(id)) return `member ${a} is not up`;
        c.crash(id);
        return `member ${id} crashed`;
      case 'restart':
        if (!known || c.node(id)) return `member ${a} is not down`;
        c.restart(id);
        return `member ${id} restarted`;
      case 'pause':
        if (!known || !c.node(id)) return `member ${a} is not up`;
        c.pause(id);
        return `member ${id} paused`;
      case 'resume':
        if (!known) return `no member ${a}`;
        c.resume(id);
        return `member ${id} resumed`;
      case 'partition': {
        const side = (s: string | undefined) => (s ?? '').split(',').map(Number).filter((x) => c.members().includes(x));
        const one = side(a);
        const other = side(b);
        if (!one.length || !other.length) return `cannot partition ${a} | ${b}`;
        c.partition([one, other]);
        return `partitioned {${one}} | {${other}}`;
      }
      case 'heal':
        c.heal();
        return 'network healed';
      case 'drop': {
        const m = /^#(\d+)$/.exec(a ?? '');
        if (!m) return `cannot drop ${a}`;
        return c.net.dropMessage(Number(m[1])) ? `message #${m[1]} dropped` : `message #${m[1]} is no longer in flight`;
      }
      default:
        return `unknown action ${line}`;
    }
  }
}

export function mount(el: HTMLElement): void {
  const sim = new RaftPlaygroundSim({
    members: Number(el.dataset.members ?? 5),
    preVote: el.dataset.prevote === 'true',
    checkQuorum: el.dataset.checkquorum === 'true',
    seed: Number(el.dataset.seed ?? 1),
  });
  const $ = <T extends Element>(sel: string) => el.querySelector<T>(sel)!;
  const status = $<HTMLElement>('[data-status]');
  const live = $<HTMLElement>('[data-live]');
  const play = $<HTMLButtonElement>('[data-action="play"]');
  const speed = $<HTMLSelectElement>('[data-speed]');
  const say = (text: string) => {
    status.textContent = text;
    live.textContent = text;
  };
  const view = createRaftView($<HTMLElement>('[data-view]'), {
    viewAnchor: () => undefined,
    command: (line: string) => {
      say(sim.command(line));
      draw();
    },
  });
  const draw = () => view.render(sim.trace.events, sim.trace.events.length);

  let frame = 0;
  let lastT = 0;
  const tick = (t: number) => {
    const dt = lastT ? Math.min(t - lastT, 100) : 16;
    lastT = t;
    sim.run(Math.max(1, Math.round(dt * Number(speed.value))));
    draw();
    frame = requestAnimationFrame(tick);
  };
  const setPlaying = (on: boolean) => {
    if (on && !frame) {
      lastT = 0;
      frame = requestAnimationFrame(tick);
    } else if (!on && frame) {
      cancelAnimationFrame(frame);
      frame = 0;
    }
    play.setAttribute('aria-pressed', String(on));
    play.textContent = on ? '❚❚ pause' : '▶ play';
  };

  el.addEventListener('click', (e) => {
    const button = (e.target as Element).closest<HTMLButtonElement>('button[data-action]');
    if (!button || !el.contains(button)) return;
    const action = button.dataset.action!;
    if (action === 'play') return setPlaying(!frame);
    if (action === 'reset') {
      setPlaying(false);
      sim.reset();
      say('a new cluster: every member a follower at term 1, no time passed');
    } else if (action.startsWith('run:')) {
      sim.run(Number(action.slice(4)));
      say(`virtual time is now ${(sim.now / 1000).toFixed(1)} s`);
    } else say(sim.do(action));
    draw();
  });
  for (const b of el.querySelectorAll<HTMLButtonElement | HTMLSelectElement>('button, select')) b.disabled = false;
  say('Press play, or +1 s: the members time out, one wins an election and sends heartbeats.');
  draw();
}
