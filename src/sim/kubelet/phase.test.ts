import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { getPhase, type GetPhaseOptions } from './phase';
import type { ContainerStatus, PodSpecForStatus, RestartPolicy } from './types';

// Status builders named after the helpers in upstream's kubelet_pods_test.go.
const running = (name: string, started = true): ContainerStatus => ({ name, state: { running: {} }, started });
const stopped = (name: string): ContainerStatus => ({ name, state: { terminated: { exitCode: 0 } } }); // exit 0
const succeeded = stopped;
const failed = (name: string): ContainerStatus => ({ name, state: { terminated: { exitCode: -1 } } });
const waiting = (name: string): ContainerStatus => ({ name, state: { waiting: { reason: 'ContainerCreating' } } });
const waitingWithLastTerminationUnknown = (name: string, exitCode: number): ContainerStatus => ({
  name,
  state: { waiting: { reason: 'ContainerCreating' } },
  lastTerminationState: { terminated: { exitCode, reason: 'ContainerStatusUnknown' } },
});
const crashloop = (name: string): ContainerStatus => ({
  name,
  state: { waiting: { reason: 'CrashLoopBackOff' } },
  lastTerminationState: { terminated: { exitCode: 1 } },
});

function spec(restartPolicy: RestartPolicy, init: string[] = [], sidecars: string[] = []): PodSpecForStatus {
  return {
    restartPolicy,
    initContainers: [...init.map((name) => ({ name })), ...sidecars.map((name) => ({ name, restartPolicy: 'Always' as const }))],
    containers: [{ name: 'containerA' }, { name: 'containerB' }],
  };
}

type Case = [string, ContainerStatus[], string, GetPhaseOptions?];

function table(restartPolicy: RestartPolicy, cases: Case[], init: string[] = [], sidecars: string[] = []) {
  it.each(cases)('%s', (_name, statuses, want, opts) => {
    expect(getPhase(spec(restartPolicy, init, sidecars), statuses, opts)).toBe(want);
  });
}

describe('getPhase (kubelet_pods.go)', () => {
  describe('TestPodPhaseWithRestartAlways', () => {
    table('Always', [
      ['all running', [running('containerA'), running('containerB')], 'Running'],
      ['all stopped', [stopped('containerA'), stopped('containerB')], 'Running'],
      ['all stopped, pod terminal', [stopped('containerA'), stopped('containerB')], 'Succeeded', { podIsTerminal: true }],
      ['one failed, pod terminal', [stopped('containerA'), failed('containerB')], 'Failed', { podIsTerminal: true }],
      ['static pod: terminal does not decide', [stopped('containerA'), failed('containerB')], 'Running', { podIsTerminal: true, isStaticPod: true }],
      ['mixed state #1 with restart always', [running('containerA'), stopped('containerB')], 'Running'],
      ['mixed state #2 with restart always', [running('containerA')], 'Pending'],
      ['mixed state #3 with restart always', [running('containerA'), waiting('containerB')], 'Pending'],
      ['backoff crashloop container', [running('containerA'), crashloop('containerB')], 'Running'],
    ]);
  });

  describe('TestPodPhaseWithRestartNever', () => {
    table('Never', [
      ['all running with restart never', [running('containerA'), running('containerB')], 'Running'],
      ['all succeeded with restart never', [succeeded('containerA'), succeeded('containerB')], 'Succeeded'],
      ['all failed with restart never', [failed('containerA'), failed('containerB')], 'Failed'],
      ['mixed state #1 with restart never', [running('containerA'), succeeded('containerB')], 'Running'],
      ['mixed state #2 with restart never', [running('containerA')], 'Pending'],
      ['mixed state #3 with restart never', [running('containerA'), waiting('containerB')], 'Pending'],
    ]);
  });

  describe('TestPodPhaseWithRestartOnFailure', () => {
    table('OnFailure', [
      ['all running with restart onfailure', [running('containerA'), running('containerB')], 'Running'],
      ['all succeeded with restart onfailure', [succeeded('containerA'), succeeded('containerB')], 'Succeeded'],
      ['all failed with restart onfailure', [failed('containerA'), failed('containerB')], 'Running'],
      ['mixed state #1 with restart onfailure', [running('containerA'), succeeded('containerB')], 'Running'],
      ['mixed state #2 with restart onfailure', [running('containerA')], 'Pending'],
      ['mixed state #3 with restart onfailure', [running('containerA'), waiting('containerB')], 'Pending'],
      ['backoff crashloop with restart onfailure', [running('containerA'), crashloop('containerB')], 'Running'],
      ['waiting with last termination unknown', [running('containerA'), waitingWithLastTerminationUnknown('containerB', 137)], 'Running'],
    ]);
  });

  describe('TestPodPhaseWithRestartAlwaysInitContainers', () => {
    const both = [running('containerA'), running('containerB')];
    table('Always', [
      ['init container running', [running('containerX'), ...both], 'Pending'],
      ['init container terminated non-zero', [failed('containerX'), waiting('containerA'), waiting('containerB')], 'Pending'],
      ['init container terminated non-zero: getPhase trusts running regular containers', [failed('containerX'), ...both], 'Running'],
      ['init container waiting, terminated zero', [waitingWithLastTerminationUnknown('containerX', 0), ...both], 'Running'],
      ['init container waiting, terminated non-zero', [waitingWithLastTerminationUnknown('containerX', 1), waiting('containerA'), waiting('containerB')], 'Pending'],
      ['init container waiting, not terminated', [waiting('containerX'), ...both], 'Pending'],
      ['init container succeeded', [succeeded('containerX'), ...both], 'Running'],
      ['init container missing', both, 'Pending'],
    ], ['containerX']);
  });

  describe('TestPodPhaseWithRestartAlwaysInitContainers, upstream rows (only the init status known)', () => {
    table('Always', [
      ['empty, waiting', [], 'Pending'],
      ['init container running', [running('containerX')], 'Pending'],
      ['init container terminated non-zero', [failed('containerX')], 'Pending'],
      ['init container waiting, terminated zero', [waitingWithLastTerminationUnknown('containerX', 0)], 'Pending'],
      ['init container waiting, terminated non-zero', [waitingWithLastTerminationUnknown('containerX', 1)], 'Pending'],
      ['init container waiting, not terminated', [waiting('containerX')], 'Pending'],
      ['init container succeeded', [succeeded('containerX'), running('containerA'), running('containerB')], 'Running'],
    ], ['containerX']);
  });

  describe('TestPodPhaseWithRestartNeverInitContainers', () => {
    table('Never', [
      ['init container running', [running('containerX'), waiting('containerA'), waiting('containerB')], 'Pending'],
      ['init container terminated non-zero', [failed('containerX'), waiting('containerA'), waiting('containerB')], 'Failed'],
      ['init container terminated non-zero, only the init status known', [failed('containerX')], 'Failed'],
      ['init container waiting, terminated zero', [waitingWithLastTerminationUnknown('containerX', 0)], 'Pending'],
      ['init container waiting, terminated non-zero', [waitingWithLastTerminationUnknown('containerX', 1)], 'Failed'],
      ['init container waiting, not terminated', [waiting('containerX')], 'Pending'],
      ['init container succeeded, containers succeeded', [succeeded('containerX'), succeeded('containerA'), succeeded('containerB')], 'Succeeded'],
    ], ['containerX']);
  });

  describe('TestPodPhaseWithRestartAlwaysRestartableInitContainers (sidecars)', () => {
    const both = [running('containerA'), running('containerB')];
    table('Always', [
      ['sidecar running, not started', [running('sidecar', false), waiting('containerA'), waiting('containerB')], 'Pending'],
      ['sidecar started, containers running', [running('sidecar'), ...both], 'Running'],
      ['sidecar waiting, never terminated', [waiting('sidecar'), ...both], 'Pending'],
      ['sidecar crash-looping, containers running', [crashloop('sidecar'), ...both], 'Running'],
      ['sidecar exited, containers succeeded, pod terminal', [stopped('sidecar'), succeeded('containerA'), succeeded('containerB')], 'Succeeded', { podIsTerminal: true }],
      ['sidecar not started after a reboot, pod had initialized', [running('sidecar', false), ...both], 'Running', { podHasInitialized: true }],
      ['sidecar missing', both, 'Pending'],
    ], [], ['sidecar']);
  });

  describe('TestPodPhaseWithRestartNeverRestartableInitContainers', () => {
    table('Never', [
      ['sidecar started, containers succeeded', [running('sidecar'), succeeded('containerA'), succeeded('containerB')], 'Running'],
      ['sidecar exited, containers succeeded', [stopped('sidecar'), succeeded('containerA'), succeeded('containerB')], 'Succeeded'],
      ['sidecar exited, one container failed', [failed('sidecar'), succeeded('containerA'), failed('containerB')], 'Failed'],
    ], [], ['sidecar']);
  });

  it('property: any waiting regular container that never ran keeps the pod Pending; Unknown never comes out', () => {
    const state = fc.constantFrom(running, stopped, failed, waiting, crashloop);
    fc.assert(
      fc.property(fc.constantFrom<RestartPolicy>('Always', 'OnFailure', 'Never'), state, state, fc.boolean(), (policy, a, b, terminal) => {
        const statuses = [a('containerA'), b('containerB')];
        const phase = getPhase(spec(policy), statuses, { podIsTerminal: terminal });
        expect(phase).not.toBe('Unknown');
        if (a === waiting || b === waiting) expect(phase).toBe('Pending');
        if (policy === 'Always' && !terminal) expect(['Pending', 'Running']).toContain(phase);
      }),
    );
  });
});
