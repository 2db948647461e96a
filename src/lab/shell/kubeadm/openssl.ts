/**
 * `openssl x509` over the node's files, as OpenSSL 3.0 (Debian 12) prints it: the printing options
 * in the order given, `-checkend` last, the PEM unless `-noout`, and its errors for a missing file
 * or a file with no certificate. The renderers are src/sim/pki's.
 * Upstream: OpenSSL 3.0 apps/x509.c (x509_main), apps/lib/apps.c (load_cert_pass: "Could not
 * open file or uri for loading", "Could not read ... from"), apps/lib/opt.c ("Option -%s needs a
 * value", "Can't parse ... as a number"), apps/openssl.c ("Invalid command")
 */
import type { Host } from '../../../sim/host/host';
import { opensslEndDate, opensslExt, opensslIssuer, opensslSerial, opensslStartDate, opensslSubject, opensslText } from '../../../sim/pki/openssl';
import { encodeCertPem, parseCertsPem, type Certificate } from '../../../sim/pki/x509';
import type { ShellIO } from '../registry';

/** The OpenSSL a Debian 12 node has. */
export const OpenSSLVersion = 'OpenSSL 3.0.15 3 Sep 2024 (Library: OpenSSL 3.0.15 3 Sep 2024)';
/** The thread id OpenSSL's error queue lines start with (an address on a real machine). */
const THREAD = '40C7F1A2B37F0000';

type Print = (cert: Certificate) => { stdout: string; stderr?: string };

/** Options that take a value; every other `-word` is a print option or (as openssl reads it) a digest name. */
const WITH_VALUE = new Set(['in', 'out', 'inform', 'outform', 'checkend', 'ext', 'passin', 'nameopt', 'certopt']);

function usageError(io: ShellIO, msg: string): number {
  io.error(`x509: ${msg}\nx509: Use -help for summary.`);
  return 1;
}

/** Loads the certificate as apps/lib/apps.c does, printing its errors; undefined when it fails. */
// Upstream: apps/lib/apps.c (load_cert_pass, load_key_certs_crls)
function loadCert(host: Host, file: string | undefined, stdin: string | undefined, io: ShellIO): Certificate | undefined {
  const name = file ?? '<stdin>';
  let text: string | undefined = stdin;
  if (file !== undefined) {
    const path = file.startsWith('/') ? file : `/root/${file}`;
    if (!host.fs.exists(path)) {
      io.error(
        [
          `Could not open file or uri for loading certificate from ${file}`,
          `${THREAD}:error:16000069:STORE routines:ossl_store_get0_loader_int:unregistered scheme:../crypto/store/store_register.c:237:scheme=file`,
          `${THREAD}:error:80000002:system library:file_open:No such file or directory:../providers/implementations/storemgmt/file_store.c:267:calling stat(${file})`,
          'Unable to load certificate',
        ].join('\n'),
      );
      return undefined;
    }
    text = host.fs.isDir(path) ? '' : host.fs.readFile(path);
  }
  try {
    return parseCertsPem(text ?? '')[0];
  } catch {
    // A PEM block of another type (a key) makes the store loader say so first.
    const other = /-----BEGIN [A-Z ]+-----/.test(text ?? '');
    const lines = [`Could not read certificate from ${name}`];
    if (other) lines.push(`${THREAD}:error:1608010C:STORE routines:ossl_store_handle_load_result:unsupported:../crypto/store/store_result.c:151:`);
    io.error([...lines, 'Unable to load certificate'].join('\n'));
    return undefined;
  }
}

/** `openssl x509 [-in FILE] [-noout] [-text|-subject|-issuer|-dates|-startdate|-enddate|-serial|-ext LIST] [-checkend N]`. */
// Upstream: apps/x509.c (x509_main)
export function runOpenssl(host: Host, args: readonly string[], io: ShellIO, stdin?: string): number {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === 'help') {
    io.print('Standard commands\nversion           x509');
    return 0;
  }
  if (sub === 'version') {
    io.print(OpenSSLVersion);
    return 0;
  }
  if (sub !== 'x509') {
    io.error(`Invalid command '${sub}'; type "help" for a list.`);
    return 1;
  }
  let file: string | undefined;
  let noout = false;
  let checkend: number | undefined;
  const prints: Print[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (!a.startsWith('-')) return usageError(io, `Extra option: "${a}"`);
    const opt = a.replace(/^--?/, '');
    let value: string | undefined;
    if (WITH_VALUE.has(opt)) {
      if (i + 1 >= rest.length) return usageError(io, `Option -${opt} needs a value`);
      value = rest[++i];
    }
    switch (opt) {
      case 'in':
        file = value;
        break;
      case 'noout':
        noout = true;
        break;
      case 'text':
        prints.push((c) => ({ stdout: opensslText(c) }));
        break;
      case 'subject':
        prints.push((c) => ({ stdout: opensslSubject(c) }));
        break;
      case 'issuer':
        prints.push((c) => ({ stdout: opensslIssuer(c) }));
        break;
      case 'startdate':
        prints.push((c) => ({ stdout: opensslStartDate(c) }));
        break;
      case 'enddate':
        prints.push((c) => ({ stdout: opensslEndDate(c) }));
        break;
      case 'dates':
        prints.push((c) => ({ stdout: opensslStartDate(c) + opensslEndDate(c) }));
        break;
      case 'serial':
        prints.push((c) => ({ stdout: opensslSerial(c) }));
        break;
      case 'ext': {
        const names = value!.split(',');
        prints.push((c) => opensslExt(c, names));
        break;
      }
      case 'checkend':
        if (!/^\d+$/.test(value!)) return usageError(io, `Can't parse "${value}" as a number`);
        checkend = Number(value);
        break;
      default:
        // x509 takes any digest name as an option (-sha256, ...); an unknown word is read as one.
        break;
    }
  }
  const cert = loadCert(host, file, stdin, io);
  if (!cert) return 1;
  let stdout = '';
  for (const p of prints) {
    const r = p(cert);
    stdout += r.stdout;
    if (r.stderr) {
      if (stdout) io.print(stdout.replace(/\n$/, ''));
      stdout = '';
      io.error(r.stderr.replace(/\n$/, ''));
    }
  }
  if (!noout) stdout += encodeCertPem(cert.raw);
  let code = 0;
  if (checkend !== undefined) {
    const expires = cert.notAfterMs < host.clock.now() + checkend * 1000;
    stdout += expires ? 'Certificate will expire\n' : 'Certificate will not expire\n';
    code = expires ? 1 : 0;
  }
  if (stdout) io.print(stdout.replace(/\n$/, ''));
  return code;
}
