/**
 * How a control-plane component runs under leader election, as kube-scheduler does
 * (cmd/kube-scheduler/app/options/options.go makeLeaderElectionConfig; app/server.go Run): a Lease
 * in kube-system named after the component, identity `<hostname>_<uuid>`, the client timeout
 * renewDeadline / 2, the component's event source on the LeaderElection events, and on losing
 * the lease the process exits (`Leaderelection lost`), or, when asked to stop, `Requested to
 * terminate, exiting`.
 */
import type { FakeClock } from '../../core/clock';
import { rngFromSeed } from '../../core/rng';
import type { TraceRecorder } from '../../core/trace';
import type { Clientset } from '../clientset';
import { newEventRecorder } from '../record';
import { Context, type ElectionClock } from './context';
import { leaderElectionIdentity } from './identity';
import { newLeaderElector, type LeaderElector } from './leaderelection';
import { LeaseLock } from './resourcelock';

/** component-base LeaderElectionConfiguration (the flags / config file fields) for one component. */
export interface ComponentLeaderElection {
  /** `leaderElect`. */
  leaderElect: boolean;
  /** `leaseDuration` (15 s), `renewDeadline` (10 s), `retryPeriod` (2 s). */
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** `resourceName` (the component's name) and `resourceNamespace` (kube-system). */
  resourceName?: string;
  resourceNamespace?: string;
  /** The host (default `kind-control-plane`) and identity (default `<hostname>_<uuid>` from the seed). */
  hostname?: string;
  identity?: string;
  /** The process's own clock (default: the component's); a test skews it. */
  processClock?: ElectionClock;
}

export interface ComponentElectionOptions extends ComponentLeaderElection {
  /** The leader-election client (Go: the kubeconfig with the `leader-election` user agent). */
  client: Clientset;
  clock: FakeClock;
  seed: number | string;
  /** The Lease's default name, the metrics' name. */
  component: string;
  /** The EventSource component of the LeaderElection events. */
  eventSource: string;
  releaseOnCancel: boolean;
  trace?: TraceRecorder;
  onStartedLeading(): void;
  /** `requested`: the process was asked to stop; otherwise it lost (or never won) the lease. */
  onStoppedLeading(requested: boolean): void;
}

export interface ComponentElection {
  readonly identity: string;
  readonly elector: LeaderElector;
  /** Asks the process to stop (cancels Run's context). */
  stop(): void;
}

// Upstream: cmd/kube-scheduler/app/server.go (Run: the callbacks), options/options.go (makeLeaderElectionConfig)
export function runComponentElection(o: ComponentElectionOptions): ComponentElection {
  const hostname = o.hostname ?? 'kind-control-plane';
  const identity = o.identity ?? leaderElectionIdentity(hostname, rngFromSeed(`${o.seed}/${hostname}/${o.component}/leader-election`));
  const renewDeadlineMs = o.renewDeadlineMs ?? 10_000;
  const clock = o.clock;
  const processClock = o.processClock ?? clock;
  const lock = new LeaseLock({
    namespace: o.resourceNamespace ?? 'kube-system',
    name: o.resourceName ?? o.component,
    client: o.client,
    identity,
    eventRecorder: newEventRecorder(o.client, clock, { component: o.eventSource }),
    timeoutMs: Math.max(1000, renewDeadlineMs / 2),
    clock: processClock,
  });
  const ctx = new Context();
  const elector = newLeaderElector({
    lock,
    leaseDurationMs: o.leaseDurationMs ?? 15_000,
    renewDeadlineMs,
    retryPeriodMs: o.retryPeriodMs ?? 2_000,
    releaseOnCancel: o.releaseOnCancel,
    name: o.component,
    clock: processClock,
    rng: rngFromSeed(`${o.seed}/${identity}/leader-election`),
    trace: o.trace,
    callbacks: {
      onStartedLeading: () => o.onStartedLeading(),
      onStoppedLeading: () => {
        if (ctx.done) elector.log('info', 'server.go', 'Requested to terminate, exiting');
        else elector.log('error', 'server.go', 'Leaderelection lost');
        o.onStoppedLeading(ctx.done);
      },
    },
  });
  void elector.run(ctx);
  return { identity, elector, stop: () => ctx.cancel() };
}
