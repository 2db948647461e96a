import { describe, expect, it } from 'vitest';
import { newApiServer } from '../../apiserver/apiserver';
import { newClientset } from '../../client/clientset';
import { FakeClock } from '../../core/clock';
import { rngFromSeed } from '../../core/rng';
import { TraceRecorder } from '../../core/trace';
import { bootstrapTokenEvents } from './events';
import { formatBootstrapToken, getJoinCommand, runCreateToken, runDeleteTokens, runGenerateToken, runListTokens, shortHumanDuration, type TokenEnv } from './tokens';

const NOW = Date.parse('2026-12-05T10:00:00Z');
const HASH = 'sha256:7173b809ca12ec5dee4506cd86be934c4596dd234ee82c0662eac04a8c2c71dc';

function setup(): TokenEnv & { trace: TraceRecorder } {
  const clock = new FakeClock(NOW);
  const trace = new TraceRecorder();
  const apiServer = newApiServer({ clock });
  return { client: newClientset(apiServer, { qps: -1 }), clock, trace };
}
const create = (env: TokenEnv, opts: Partial<Parameters<typeof runCreateToken>[1]> = {}) =>
  runCreateToken(env, { server: 'https://192.168.56.10:6443', caCertHashes: [HASH], rng: rngFromSeed(1), ...opts });

describe('kubeadm token (after cmd/kubeadm/app/cmd/token_test.go)', () => {
  it('TestRunCreateToken: prints the token and stores its Secret', async () => {
    const env = setup();
    const out = await create(env, { token: 'abcdef.0123456789abcdef' });
    expect(out).toBe('abcdef.0123456789abcdef\n');
    const secret = await env.client.coreV1().secrets('kube-system').get('bootstrap-token-abcdef');
    expect(secret.type).toBe('bootstrap.kubernetes.io/token');
    expect(env.trace.events.filter((e) => bootstrapTokenEvents.is(e)).map((e) => bootstrapTokenEvents.text(e))).toEqual(['token abcdef written, expires 2026-12-06T10:00:00Z']);
  });

  it('TestRunCreateToken: a random token from the seed', async () => {
    const a = await create(setup());
    const b = await create(setup());
    expect(a).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}\n$/);
    expect(a).toBe(b);
  });

  it('TestRunCreateToken: --print-join-command, worker and control plane', async () => {
    expect(await create(setup(), { token: 'abcdef.0123456789abcdef', printJoinCommand: true })).toBe(`kubeadm join 192.168.56.10:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash ${HASH} \n`);
    const key = 'e6a2eb8581237ab72a4f494f30285ec12a9694d750b9785706a83bfcbbbd2204';
    expect(await create(setup(), { token: 'abcdef.0123456789abcdef', printJoinCommand: true, certificateKey: key })).toBe(
      `kubeadm join 192.168.56.10:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash ${HASH} --control-plane --certificate-key ${key}\n`,
    );
  });

  it.each([
    [{ token: 'abc.def' }, 'the bootstrap token "abc.def" was not of the form "\\\\A([a-z0-9]{6})\\\\.([a-z0-9]{16})\\\\z"'],
    [{ usages: ['signing', 'nope'] }, 'bootstrapTokens.0.usages: Invalid value: ["signing","nope"]: invalid bootstrap token usage string: nope, valid usage options: signing,authentication'],
    [{ usages: ['signing'], groups: ['system:bootstrappers:x'] }, 'bootstrapTokens.0.groups: Invalid value: ["system:bootstrappers:x"]: token groups cannot be specified unless --usages includes "authentication"'],
    [{ certificateKey: 'e6a2eb8581237ab72a4f494f30285ec12a9694d750b9785706a83bfcbbbd2204' }, 'cannot use --certificate-key without --print-join-command'],
    [{ ttl: '1day' }, 'time: unknown unit "day" in duration "1day"'],
  ])('TestRunCreateToken: bad input %j', async (opts, message) => {
    await expect(create(setup(), opts)).rejects.toThrow(message);
  });

  it('TestRunListTokens: the table, TTL counting down, a token that never expires', async () => {
    const env = setup();
    await create(env, { token: 'abcdef.0123456789abcdef' });
    await create(env, { token: 'ghijkl.0123456789abcdef', ttl: '0', description: 'forever token' });
    env.clock.step(60_000);
    const { stdout, stderr } = await runListTokens(env);
    expect(stderr).toBe('');
    expect(stdout).toBe(
      [
        'TOKEN                     TTL         EXPIRES                USAGES                   DESCRIPTION                                                EXTRA GROUPS',
        'abcdef.0123456789abcdef   23h         2026-12-06T10:00:00Z   authentication,signing   <none>                                                     system:bootstrappers:kubeadm:default-node-token',
        // Each token goes through its own tabwriter: a short EXPIRES cell is not padded to the header's width.
        'ghijkl.0123456789abcdef   <forever>   <never>   authentication,signing   forever token                                              system:bootstrappers:kubeadm:default-node-token',
        '',
      ].join('\n'),
    );
  });

  it('TestRunListTokens: nothing at all without tokens; a broken Secret goes to stderr', async () => {
    const env = setup();
    expect(await runListTokens(env)).toEqual({ stdout: '', stderr: '' });
    await env.client.coreV1().secrets('kube-system').create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bootstrap-token-zzz' }, type: 'bootstrap.kubernetes.io/token', stringData: { 'token-id': 'abcdef' } } as never);
    expect((await runListTokens(env)).stderr).toBe(`bootstrap token name is not of the form 'bootstrap-token-(token-id)'. Actual: "bootstrap-token-zzz". Expected: "bootstrap-token-abcdef"`);
  });

  it('TestRunDeleteTokens: by ID or whole token; a missing one fails', async () => {
    const env = setup();
    await create(env, { token: 'abcdef.0123456789abcdef' });
    await create(env, { token: 'ghijkl.0123456789abcdef' });
    expect(await runDeleteTokens(env, ['abcdef', 'ghijkl.0123456789abcdef'])).toBe('bootstrap token "abcdef" deleted\nbootstrap token "ghijkl" deleted\n');
    await expect(runDeleteTokens(env, ['abcdef'])).rejects.toThrow('failed to delete bootstrap token "abcdef": secrets "bootstrap-token-abcdef" not found');
    await expect(runDeleteTokens(env, ['abc'])).rejects.toThrow('given token didn\'t match pattern "\\\\A([a-z0-9]{6})\\\\.([a-z0-9]{16})\\\\z" or "\\\\A([a-z0-9]{6})\\\\z"');
  });

  it('TestRunGenerateToken: a valid token and a newline', () => {
    expect(runGenerateToken(rngFromSeed(9))).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}\n$/);
  });

  it('getJoinCommand: the template kubeadm init prints, line breaks and all', () => {
    expect(getJoinCommand({ server: 'https://lb:6443', token: 't', caCertHashes: [HASH] })).toBe(`kubeadm join lb:6443 --token t \\\n\t--discovery-token-ca-cert-hash ${HASH} `);
    expect(getJoinCommand({ server: 'lb:6443', token: 't', caCertHashes: [HASH], controlPlane: true, certificateKey: 'k', skipCertificateKeyPrint: true })).toBe(
      `kubeadm join lb:6443 --token t \\\n\t--discovery-token-ca-cert-hash ${HASH} \\\n\t--control-plane --certificate-key <value withheld>`,
    );
  });

  it.each([
    [-2000, '<invalid>'],
    [-500, '0s'],
    [59_000, '59s'],
    [60_000, '1m'],
    [86_399_000, '23h'],
    [86_400_000, '1d'],
    [366 * 86_400_000, '1y'],
  ])('TestShortHumanDuration: %i ms -> %s', (ms, want) => {
    expect(shortHumanDuration(ms)).toBe(want);
  });

  it('formatBootstrapToken pads as kubeadm does', () => {
    expect(formatBootstrapToken({ token: 'abcdef.0123456789abcdef' }, NOW)).toBe(`abcdef.0123456789abcdef\t<forever>\t<never>\t${'<none>'.padEnd(22)}\t${'<none>'.padEnd(56)}\t<none>`);
  });
});
