import { SIGNAL_TEXTS, type Process, type Signal } from '../process';

/** registry.k8s.io/pause: sleeps until SIGINT or SIGTERM, then exits 0. */
// Upstream: kubernetes build/pause/linux/pause.c (sigdown)
export function pauseProgram(p: Process): void {
  p.setUsage({ memoryBytes: 240 * 1024 });
  const down = (sig: Signal) => {
    p.stderr(`Shutting down, got signal: ${SIGNAL_TEXTS[sig]}`);
    p.exit(0);
  };
  p.onSignal('SIGINT', down);
  p.onSignal('SIGTERM', down);
}
