import { formatGoTime } from '../logs';
import type { Process, Signal } from '../process';

/**
 * registry.k8s.io/e2e-test-images/agnhost (2.53), the Kubernetes e2e test image: `liveness`,
 * `netexec`, `serve-hostname`, `pause`. A subcommand that installs no signal handler is a Go
 * program: the Go runtime catches SIGTERM and, as PID 1 (where re-raising it does nothing),
 * exits with code 2.
 */
// Upstream: kubernetes test/images/agnhost (agnhost.go, liveness/server.go, netexec/netexec.go,
// serve-hostname/serve_hostname.go, pause/pause.go)
export function agnhostProgram(p: Process): void {
  const [sub, ...args] = p.argv.slice(1);
  const flag = (name: string, fallback: string) => {
    for (let i = 0; i < args.length; i++) {
      if (args[i] === `--${name}`) return args[i + 1] ?? fallback;
      if (args[i].startsWith(`--${name}=`)) return args[i].slice(name.length + 3);
    }
    return fallback;
  };
  const goDefaultTerm = () => p.onSignal('SIGTERM', () => p.exit(2));
  p.setUsage({ memoryBytes: 8 * 1024 * 1024 });
  switch (sub) {
    case undefined:
      p.stdout('Usage:');
      p.stdout('  agnhost [flags]');
      p.stdout('  agnhost [command]');
      p.exit(0);
      return;
    case 'liveness': {
      // /healthz answers 200 for the first 10 s after start, then 500 for ever.
      const started = p.clock.now();
      goDefaultTerm();
      p.listen(8080, (req) => {
        const path = req.path.split('?')[0];
        if (path === '/started') return { statusCode: 200, body: `ok ${started}` };
        if (path !== '/healthz') return { statusCode: 404, body: '404 page not found\n' };
        const seconds = (p.clock.now() - started) / 1000;
        return seconds > 10 ? { statusCode: 500, body: `error: ${seconds}` } : { statusCode: 200, body: 'ok' };
      });
      return;
    }
    case 'netexec': {
      const port = Number(flag('http-port', '8080'));
      const udp = Number(flag('udp-port', '8081'));
      goDefaultTerm();
      p.stdout(`Started HTTP server on port ${port}`);
      if (udp !== -1) p.stdout(`Started UDP server on port ${udp}`);
      p.listen(port, (req) => {
        const [path, query = ''] = req.path.split('?');
        const params = queryParams(query);
        switch (path) {
          case '/':
            return { statusCode: 200, body: `NOW: ${formatGoTime(p.clock.now())}` };
          case '/hostname':
            return { statusCode: 200, body: p.host.hostname };
          case '/healthz':
            return { statusCode: 200, body: '' };
          case '/echo':
            return { statusCode: 200, body: params.get('msg') ?? '' };
          case '/exit': {
            const code = Number(params.get('code') ?? '0');
            p.after(1, () => p.exit(code));
            return { statusCode: 200, body: '' };
          }
          default:
            return { statusCode: 404, body: '404 page not found\n' };
        }
      });
      return;
    }
    case 'serve-hostname': {
      const port = Number(flag('port', '9376'));
      goDefaultTerm();
      p.listen(port, () => ({ statusCode: 200, body: p.host.hostname }));
      return;
    }
    case 'pause': {
      p.stdout('Paused');
      const down = (sig: Signal) => {
        p.stdout(`Shutting down after receiving signal: ${sig === 'SIGTERM' ? 'terminated' : 'interrupt'}.`);
        p.stdout('Exiting');
        p.exit(0);
      };
      p.onSignal('SIGINT', down);
      p.onSignal('SIGTERM', down);
      return;
    }
    default:
      p.stderr(`Error: unknown command "${sub}" for "agnhost"`);
      p.stderr("Run 'agnhost --help' for usage.");
      p.exit(1);
  }
}

/** A URL query's parameters (`a=1&b=x%20y`), decoded; what Go's `r.URL.Query()` gives. */
function queryParams(query: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const part of query.split('&')) {
    if (!part) continue;
    const [k, v = ''] = part.split('=');
    const dec = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    if (!params.has(dec(k))) params.set(dec(k), dec(v));
  }
  return params;
}
