import { formatApacheTime } from '../logs';
import type { Process, Signal } from '../process';

/** CPU one request costs the php-apache page (a loop of a million square roots), in millicore-seconds. */
export const HPA_EXAMPLE_CPU_MILLI_PER_RPS = 5;

/**
 * registry.k8s.io/hpa-example: Apache + PHP serving `OK!` on port 80, each request burning CPU.
 * The CPU it reports is proportional to the load offered to the pod's IP
 * (`runtime.setOfferedLoad(ip, rps)`); the runtime caps it at the container's CPU limit.
 */
export function apacheProgram(p: Process): void {
  const log = (level: string, text: string) => p.stderr(`[${formatApacheTime(p.clock.now())}] [${level}] [pid 1] ${text}`);
  const fqdn = `AH00558: apache2: Could not reliably determine the server's fully qualified domain name, using ${p.host.ip}. Set the 'ServerName' directive globally to suppress this message`;
  p.stderr(fqdn);
  p.stderr(fqdn);
  const err = p.listen(80, () => ({ statusCode: 200, body: 'OK!' }));
  if (err) {
    p.stderr('(98)Address already in use: AH00072: make_sock: could not bind to address 0.0.0.0:80');
    p.exit(1);
    return;
  }
  log('mpm_prefork:notice', 'AH00163: Apache/2.4.10 (Debian) PHP/5.6.14 configured -- resuming normal operations');
  log('core:notice', "AH00094: Command line: 'apache2 -D FOREGROUND'");
  const setLoad = (rps: number) => p.setUsage({ cpuMilli: 1 + Math.round(rps * HPA_EXAMPLE_CPU_MILLI_PER_RPS) });
  p.setUsage({ memoryBytes: 12 * 1024 * 1024 });
  setLoad(p.host.offeredLoad());
  p.defer(p.host.onOfferedLoad(setLoad));
  const stop = (sig: Signal) => {
    log('mpm_prefork:notice', sig === 'SIGWINCH' ? 'AH00170: caught SIGWINCH, shutting down gracefully' : 'AH00169: caught SIGTERM, shutting down');
    p.exit(0);
  };
  p.onSignal('SIGTERM', stop);
  p.onSignal('SIGWINCH', stop);
}
