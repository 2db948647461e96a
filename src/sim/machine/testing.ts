/** Fixtures for the machine tests: a control-plane machine that kubeadm init took up to kubelet-start. */
import { FakeClock } from '../core/clock';
import { runUntilIdle, settle } from '../core/drive';
import { rngFromSeed } from '../core/rng';
import { defaultedInitConfiguration } from '../kubeadm/apis/flags';
import { InitData } from '../kubeadm/phases/init/data';
import { runInit } from '../kubeadm/phases/init/init';
import { newMachine, type Machine, type MachineOptions } from './machine';
import { newNetwork, type Network } from './network';

/** 2026-12-05 10:00:00 UTC, the session's "today". */
export const MACHINE_T0 = Date.UTC(2026, 11, 5, 10, 0, 0);

export interface MachineFixture {
  clock: FakeClock;
  network: Network;
  machine: Machine;
  /** Runs the simulation until `cond` holds or `forMs` pass (in `stepMs` steps). */
  until(cond: () => boolean | Promise<boolean>, forMs?: number, stepMs?: number): Promise<boolean>;
  /** Lets `ms` of virtual time pass. */
  advance(ms: number): Promise<void>;
}

export function machineFixture(seed = 1, opts: Partial<MachineOptions> = {}): MachineFixture {
  const clock = opts.clock ?? new FakeClock(MACHINE_T0);
  const network = opts.network ?? newNetwork();
  const machine = newMachine({ name: 'cp1', ip: '10.0.0.10', cpus: 2, clock, rng: rngFromSeed(seed), network, ...opts, host: { ipForward: true, ...opts.host } });
  const advance = async (ms: number) => {
    const target = clock.now() + ms;
    await runUntilIdle(clock, { forMs: ms });
    if (clock.now() < target) clock.setTime(target);
    await settle();
  };
  return {
    clock,
    network,
    machine,
    advance,
    async until(cond, forMs = 60_000, stepMs = 500) {
      const end = clock.now() + forMs;
      while (clock.now() < end) {
        if (await cond()) return true;
        await advance(Math.min(stepMs, end - clock.now()));
      }
      return cond();
    },
  };
}

/** `kubeadm init` on the machine (preflight skipped): it stops after kubelet-start, where the API server is needed. Returns the output and the error. */
export async function kubeadmInit(m: Machine, clock: FakeClock, seed = 1): Promise<{ output: string; err: Error | undefined }> {
  const loaded = defaultedInitConfiguration({}, { hostname: m.host.name, defaultAddress: m.ip, rng: rngFromSeed(seed) });
  let output = '';
  const write = (s: string) => {
    output += s;
  };
  const d = new InitData({ host: m.host, init: loaded.initConfiguration, cluster: loaded.clusterConfiguration, clock, rng: rngFromSeed(seed), out: write, err: write, pid: 4242 });
  const err = await runInit(d, ['preflight']);
  return { output, err };
}
