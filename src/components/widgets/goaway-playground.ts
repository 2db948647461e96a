/**
 * The live part of <GoawayPlayground>: clients with long-lived HTTP/2 connections to three
 * kube-apiservers behind a round-robin TCP load balancer, and the `--goaway-chance` filter.
 *
 * The filter is apiserver v0.34.0's `WithProbabilisticGoaway` (pkg/server/filters/goaway.go):
 * for each HTTP/2 request, `next() < chance` decides to send GOAWAY (the handler sets
 * `Connection: close`; Go's HTTP/2 server then sends GOAWAY and closes the connection once its
 * streams finish). A client keeps using its connection until it is told to go away or the server
 * disappears; its next request then dials again, and the load balancer picks a server. Everything
 * else (one request per client per second, the balancer's round robin, a restart that takes 20 s)
 * is the widget's scenario, not upstream code. Deterministic: a seeded RNG.
 */
import { rngFromSeed, type Rng } from '../../sim/core/rng';

export const SERVERS = ['apiserver-1', 'apiserver-2', 'apiserver-3'] as const;
const CLIENTS = 60;
const RESTART_MS = 20_000;

export interface GoawayState {
  t: number;
  chance: number;
  /** Connections per server (index as SERVERS). */
  connections: number[];
  /** Requests served per server in the last 10 s. */
  recent: number[];
  up: boolean[];
  goaways: number;
  reconnects: number;
}

export class GoawaySim {
  readonly #rng: Rng;
  #t = 0;
  chance: number;
  /** Which server each client's connection goes to; -1: no connection (dials on its next request). */
  readonly #conn: number[];
  #up = [true, true, true];
  #downUntil = [0, 0, 0];
  #rr = 0;
  #goaways = 0;
  #reconnects = 0;
  /** Per-second request counts per server, the last 10 seconds. */
  #window: number[][] = [];

  constructor(chance = 0, seed = 7) {
    this.#rng = rngFromSeed(seed);
    this.chance = chance;
    this.#conn = Array.from({ length: CLIENTS }, () => this.#dial());
    this.#reconnects = 0;
  }

  /** The load balancer: round robin over the servers that are up. */
  #dial(): number {
    for (let i = 0; i < SERVERS.length; i++) {
      const s = this.#rr++ % SERVERS.length;
      if (this.#up[s]) return s;
    }
    return -1;
  }

  /** apiserver-3 restarts: its connections drop at once, and it serves again after 20 s. */
  restart(server = 2): string {
    this.#up[server] = false;
    this.#downUntil[server] = this.#t + RESTART_MS;
    let dropped = 0;
    for (let c = 0; c < CLIENTS; c++) {
      if (this.#conn[c] === server) {
        this.#conn[c] = -1;
        dropped++;
      }
    }
    return `${SERVERS[server]} restarts: ${dropped} connections drop; it is back in ${RESTART_MS / 1000} s`;
  }

  /** Moves time on by whole seconds: every client sends one request a second. */
  advance(ms: number): string {
    const before = this.#goaways;
    for (let step = 0; step < ms / 1000; step++) {
      this.#t += 1000;
      for (let s = 0; s < SERVERS.length; s++) if (!this.#up[s] && this.#t >= this.#downUntil[s]) this.#up[s] = true;
      const served = [0, 0, 0];
      for (let c = 0; c < CLIENTS; c++) {
        if (this.#conn[c] === -1) {
          this.#conn[c] = this.#dial();
          this.#reconnects++;
        }
        const s = this.#conn[c];
        if (s === -1) continue;
        served[s]++;
        // Upstream: apiserver pkg/server/filters/goaway.go (probabilisticGoawayDecider.Goaway)
        if (this.chance > 0 && this.#rng.float() < this.chance) {
          this.#goaways++;
          this.#conn[c] = -1; // the request completes; the next one dials again
        }
      }
      this.#window.push(served);
      if (this.#window.length > 10) this.#window.shift();
    }
    const sent = this.#goaways - before;
    return `${ms >= 60_000 ? `${ms / 60_000} min` : `${ms / 1000} s`} passed; ${sent} GOAWAY${sent === 1 ? '' : 's'} sent`;
  }

  state(): GoawayState {
    const connections = [0, 0, 0];
    for (const s of this.#conn) if (s >= 0) connections[s]++;
    const recent = [0, 0, 0];
    for (const w of this.#window) w.forEach((n, i) => (recent[i] += n));
    return { t: this.#t, chance: this.chance, connections, recent, up: [...this.#up], goaways: this.#goaways, reconnects: this.#reconnects };
  }
}

export function mount(root: HTMLElement): void {
  let sim = new GoawaySim(0);
  const $ = <T extends HTMLElement>(sel: string) => root.querySelector<T>(sel);
  const chance = () => Number(root.querySelector<HTMLSelectElement>('select[data-chance]')?.value ?? 0);

  const render = (said: string) => {
    const s = sim.state();
    const rows = $('[data-bars]')!;
    rows.replaceChildren(
      ...SERVERS.map((name, i) => {
        const li = document.createElement('li');
        const label = document.createElement('span');
        label.className = 'kl-gp-name';
        label.textContent = `${name}${s.up[i] ? '' : ' (restarting)'}`;
        const bar = document.createElement('span');
        bar.className = 'kl-gp-bar';
        bar.style.width = `${(s.connections[i] / 60) * 100}%`;
        const n = document.createElement('span');
        n.className = 'kl-gp-n';
        n.textContent = `${s.connections[i]} connections · ${s.recent[i]} requests in the last 10 s`;
        li.append(label, bar, n);
        return li;
      }),
    );
    $('[data-clock]')!.textContent = `t = ${Math.floor(s.t / 60_000)}:${String(Math.floor((s.t % 60_000) / 1000)).padStart(2, '0')}`;
    $('[data-totals]')!.textContent = `--goaway-chance=${s.chance} · GOAWAYs sent ${s.goaways} · reconnects ${s.reconnects}`;
    $('[data-said]')!.textContent = said;
    const live = $('[data-live]');
    if (live) live.textContent = said;
  };

  root.addEventListener('change', (event) => {
    if (!(event.target as HTMLElement).matches('select[data-chance]')) return;
    sim.chance = chance();
    render(`--goaway-chance=${sim.chance}${sim.chance === 0 ? ' (off)' : ''}`);
  });
  root.addEventListener('click', (event) => {
    const button = (event.target as Element).closest<HTMLButtonElement>('button[data-action]');
    if (!button || button.disabled) return;
    let said = '';
    switch (button.dataset.action) {
      case 'restart':
        said = sim.restart();
        break;
      case 'advance':
        said = sim.advance(Number(button.dataset.ms));
        break;
      case 'reset':
        sim = new GoawaySim(chance());
        said = 'reset: 60 clients spread over three API servers';
        break;
    }
    render(said);
  });

  for (const el of root.querySelectorAll<HTMLButtonElement | HTMLSelectElement>('button, select')) el.disabled = false;
  $('[data-status]')!.textContent = 'Live: the GOAWAY filter\'s decision, on a seeded random source.';
  root.dataset.ready = 'true';
  render('60 clients, one HTTP/2 connection each, spread evenly by the load balancer.');
}
