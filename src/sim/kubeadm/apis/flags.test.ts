import { describe, expect, it } from 'vitest';
import { rngFromSeed } from '../../core/rng';
import { defaultedInitConfiguration, defaultedJoinConfiguration, validateMixedArguments } from './flags';
import { ConfigError } from './load';

const machine = () => ({ hostname: 'node-a', defaultAddress: '10.0.0.5', rng: rngFromSeed(3) });
const HASH = 'sha256:7173b809ca12ec5dee4506cd86be934c4596dd234ee82c0662eac04a8c2c71dc';
const fail = (f: () => unknown): ConfigError => {
  try {
    f();
  } catch (err) {
    return err as ConfigError;
  }
  throw new Error('expected an error');
};

describe('kubeadm init/join without --config (after cmd/init_test.go, cmd/join_test.go, TestValidateMixedArguments)', () => {
  it('TestNewInitData: flags land in the configuration, the rest is defaulted', () => {
    const { initConfiguration: ic, clusterConfiguration: cc } = defaultedInitConfiguration({ 'pod-network-cidr': '10.244.0.0/16', token: 'abcdef.0123456789abcdef', 'token-ttl': '2h', 'control-plane-endpoint': 'cp.example' }, machine());
    expect(cc.networking).toEqual({ podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/12', dnsDomain: 'cluster.local' });
    expect(cc.controlPlaneEndpoint).toBe('cp.example:6443');
    expect(ic.bootstrapTokens![0]).toMatchObject({ token: 'abcdef.0123456789abcdef', ttl: '2h0m0s' });
    expect(ic.localAPIEndpoint).toEqual({ advertiseAddress: '10.0.0.5', bindPort: 6443 });
    expect(ic.nodeRegistration.name).toBe('node-a');
  });

  it.each([
    [{ token: 'abcdef' }, 1, 'the bootstrap token "abcdef" was not of the form'],
    [{ 'pod-network-cidr': '10.244.0.0/30' }, 3, 'networking.podSubnet: Invalid value: "10.244.0.0/30": subnet with 4 address(es) is too small, the minimum is 254'],
    [{ 'apiserver-advertise-address': '10.0.0' }, 1, 'couldn\'t use "10.0.0" as "apiserver-advertise-address", must be ipv4 or ipv6 address'],
  ])('TestNewInitData: bad flags %j', (flags, code, message) => {
    const err = fail(() => defaultedInitConfiguration(flags, machine()));
    expect(err.exitCode).toBe(code);
    expect(err.message).toContain(message);
  });

  it('TestNewJoinData: endpoint, token and CA hash make a token discovery', () => {
    const { joinConfiguration: jc } = defaultedJoinConfiguration({ args: ['10.0.0.1:6443'], token: 'abcdef.0123456789abcdef', 'discovery-token-ca-cert-hash': [HASH] }, machine());
    expect(jc.discovery).toEqual({ bootstrapToken: { token: 'abcdef.0123456789abcdef', apiServerEndpoint: '10.0.0.1:6443', caCertHashes: [HASH] }, tlsBootstrapToken: 'abcdef.0123456789abcdef' });
    expect(jc.controlPlane).toBeUndefined();
  });

  it('TestNewJoinData: a control-plane join', () => {
    const { joinConfiguration: jc } = defaultedJoinConfiguration({ args: ['10.0.0.1:6443'], token: 'abcdef.0123456789abcdef', 'discovery-token-ca-cert-hash': [HASH], 'control-plane': true, 'certificate-key': 'e6a2eb8581237ab72a4f494f30285ec12a9694d750b9785706a83bfcbbbd2204' }, machine());
    expect(jc.controlPlane).toEqual({ localAPIEndpoint: { advertiseAddress: '10.0.0.5', bindPort: 6443 }, certificateKey: 'e6a2eb8581237ab72a4f494f30285ec12a9694d750b9785706a83bfcbbbd2204' });
    expect(jc.nodeRegistration.taints).toEqual([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
  });

  it.each([
    [{ args: ['10.0.0.1:6443'], token: 'abcdef.0123456789abcdef' }, 'discovery.bootstrapToken.caCertHashes: Invalid value: "": using token-based discovery without caCertHashes can be unsafe'],
    [{ token: 'abcdef.0123456789abcdef' }, 'discovery: Invalid value: "": bootstrapToken or file must be set'],
    [{ args: ['10.0.0.1'], token: 'abcdef.0123456789abcdef', 'discovery-token-unsafe-skip-ca-verification': true }, 'discovery.bootstrapToken.apiServerEndpoint: Invalid value: "10.0.0.1": address 10.0.0.1: missing port in address'],
    [{ args: ['10.0.0.1:6443'], token: 'bad', 'discovery-token-ca-cert-hash': [HASH] }, '[discovery.bootstrapToken.token: Invalid value: "bad": the bootstrap token is invalid, discovery.tlsBootstrapToken: Invalid value: "bad": the bootstrap token is invalid]'],
  ])('TestNewJoinData: bad input %j', (flags, message) => {
    const err = fail(() => defaultedJoinConfiguration(flags, machine()));
    expect(err.exitCode).toBe(3);
    expect(err.message).toContain(message);
  });

  it('TestNewJoinData: more than one endpoint warns', () => {
    expect(defaultedJoinConfiguration({ args: ['a:6443', 'b:6443'], token: 'abcdef.0123456789abcdef', 'discovery-token-unsafe-skip-ca-verification': true }, machine()).warnings[0]).toBe(
      '[preflight] WARNING: More than one API server endpoint supplied on command line [a:6443 b:6443]. Using the first one.',
    );
  });

  it.each([
    [['config', 'ignore-preflight-errors', 'skip-phases', 'upload-certs'], undefined],
    [['pod-network-cidr', 'token'], undefined],
    [['config', 'token', 'pod-network-cidr'], "can not mix '--config' with arguments [pod-network-cidr token]"],
  ])('TestValidateMixedArguments: %j', (changed, want) => {
    expect(validateMixedArguments(changed)?.message).toBe(want);
  });
});
