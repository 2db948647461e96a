import { formatNginxAccessTime, formatNginxErrorTime } from '../logs';
import type { HttpRequest, Process } from '../process';
import { runProgram } from './index';

const NOT_FOUND = `<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.27.5</center>\r\n</body>\r\n</html>\r\n`;

/**
 * The nginx image's entrypoint: runs the /docker-entrypoint.d scripts (their log lines) when the
 * command is nginx, then execs the command.
 */
// Upstream: nginxinc/docker-nginx entrypoint/docker-entrypoint.sh
export async function dockerEntrypointProgram(p: Process): Promise<void> {
  const args = p.argv.slice(1);
  if (args.length === 0) {
    p.exit(0);
    return;
  }
  if (args[0] === 'nginx' || args[0] === 'nginx-debug') {
    const e = '/docker-entrypoint.sh';
    p.stdout(`${e}: /docker-entrypoint.d/ is not empty, will attempt to perform configuration`);
    p.stdout(`${e}: Looking for shell scripts in /docker-entrypoint.d/`);
    p.stdout(`${e}: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh`);
    p.stdout('10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf');
    p.stdout('10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf');
    p.stdout(`${e}: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh`);
    p.stdout(`${e}: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh`);
    p.stdout(`${e}: Launching /docker-entrypoint.d/30-tune-worker-processes.sh`);
    p.stdout(`${e}: Configuration complete; ready for start up`);
  }
  p.argv = args;
  await runProgram(p);
}

/**
 * nginx 1.27 in the foreground (`-g "daemon off;"`): serves /usr/share/nginx/html on port 80 and
 * logs each request to stdout. Without `daemon off;` nginx forks into the background and PID 1
 * exits 0 at once: the classic container that "completes" straight away. SIGQUIT (the image's
 * STOPSIGNAL) shuts down gracefully, SIGTERM and SIGINT quickly; both exit 0.
 */
export function nginxProgram(p: Process): void {
  const args = p.argv.slice(1);
  const gi = args.indexOf('-g');
  const directives = gi >= 0 ? (args[gi + 1] ?? '') : '';
  if (!/daemon\s+off\s*;/.test(directives)) {
    p.exit(0);
    return;
  }
  const notice = (text: string) => p.stderr(`${formatNginxErrorTime(p.clock.now())} [notice] 1#1: ${text}`);
  const err = p.listen(80, (req) => serve(p, req));
  if (err) {
    p.stderr(`${formatNginxErrorTime(p.clock.now())} [emerg] 1#1: bind() to 0.0.0.0:80 failed (98: Address already in use)`);
    p.stderr('nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)');
    p.exit(1);
    return;
  }
  notice('using the "epoll" event method');
  notice('nginx/1.27.5');
  notice('built by gcc 12.2.0 (Debian 12.2.0-14)');
  notice('OS: Linux 6.8.0');
  notice('getrlimit(RLIMIT_NOFILE): 1048576:1048576');
  notice('start worker processes');
  notice('start worker process 29');
  p.setUsage({ memoryBytes: 5 * 1024 * 1024 });
  p.onSignal('SIGQUIT', () => {
    notice('signal 3 (SIGQUIT) received, shutting down');
    notice('signal 17 (SIGCHLD) received from 29');
    notice('worker process 29 exited with code 0');
    notice('exit');
    p.exit(0);
  });
  for (const [sig, num] of [['SIGTERM', 15], ['SIGINT', 2]] as const) {
    p.onSignal(sig, () => {
      notice(`signal ${num} (${sig}) received, exiting`);
      notice('exit');
      p.exit(0);
    });
  }
}

function serve(p: Process, req: HttpRequest) {
  const path = req.path.split('?')[0];
  const root = '/usr/share/nginx/html';
  const fs = p.host.fs;
  let file = fs.read(root + path);
  if (!file && fs.isDir(root + path)) file = fs.read(`${root + path.replace(/\/$/, '')}/index.html`);
  const statusCode = file ? 200 : 404;
  const body = file ? file.text : NOT_FOUND;
  const ua = req.headers['User-Agent'] ?? req.headers['user-agent'] ?? '-';
  p.stdout(`${req.remoteIp} - - [${formatNginxAccessTime(p.clock.now())}] "${req.method} ${req.path} HTTP/1.1" ${statusCode} ${file ? file.size : 153} "-" "${ua}" "-"`);
  return { statusCode, body };
}
