import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defaultWaitingState, terminatedReason, terminatedState, waitingStateAfterSyncError } from './reasons';

describe('container reasons', () => {
  it.each([
    [{ exitCode: 0 }, 'Completed'],
    [{ exitCode: 1 }, 'Error'],
    [{ exitCode: 137 }, 'Error'], // a SIGKILL that was not the OOM killer (e.g. grace period over)
    [{ exitCode: 137, oomKilled: true }, 'OOMKilled'],
    [{ exitCode: 0, oomKilled: true }, 'OOMKilled'],
    [{ exitCode: 128, startFailed: true }, 'StartError'],
    [{ exitCode: 128, startFailed: true, runtime: 'dockershim' as const }, 'ContainerCannotRun'],
  ])('%o terminates with %s', (exit, reason) => {
    expect(terminatedReason(exit)).toBe(reason);
  });

  it('refuses a non-integer exit code', () => {
    expect(() => terminatedReason({ exitCode: 1.5 })).toThrow(/exitCode must be an integer/);
  });

  it('keeps the exit code and the finish time', () => {
    expect(terminatedState({ exitCode: 2 }, 5000)).toEqual({ terminated: { exitCode: 2, reason: 'Error', finishedAt: 5000 } });
  });

  it('property: OOM wins, otherwise only exit 0 is Completed', () => {
    fc.assert(
      fc.property(fc.integer({ min: -255, max: 255 }), fc.boolean(), (exitCode, oomKilled) => {
        const r = terminatedReason({ exitCode, oomKilled });
        expect(r).toBe(oomKilled ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error');
      }),
    );
  });

  it('waits in ContainerCreating, or PodInitializing when the pod has init containers', () => {
    expect(defaultWaitingState(false)).toEqual({ waiting: { reason: 'ContainerCreating' } });
    expect(defaultWaitingState(true)).toEqual({ waiting: { reason: 'PodInitializing' } });
  });

  it('a sync error becomes the waiting reason and message', () => {
    expect(waitingStateAfterSyncError('CreateContainerConfigError', 'configmap "cfg" not found')).toEqual({
      waiting: { reason: 'CreateContainerConfigError', message: 'configmap "cfg" not found' },
    });
    expect(waitingStateAfterSyncError('ErrImagePull', '')).toEqual({ waiting: { reason: 'ErrImagePull' } });
  });
});
