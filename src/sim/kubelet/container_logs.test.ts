// After kubelet_pods_test.go (TestValidateContainerLogStatus) and kuberuntime/logs/logs_test.go
// (TestParseCRILog, TestReadLogs' tail / since / timestamps / limit cases).
import { describe, expect, it } from 'vitest';
import type { PodStatus } from '../api/core/v1';
import { parseCriLog, readLogs, validateContainerLogStatus } from './container_logs';

const status = (c: Record<string, unknown>): PodStatus => ({ containerStatuses: [{ name: 'x', ...c }] } as unknown as PodStatus);

describe('validateContainerLogStatus (TestValidateContainerLogStatus)', () => {
  it.each([
    ['running: the current container', { containerID: 'containerd://a', state: { running: {} } }, false, 'containerd://a'],
    ['running with a previous: --previous reads the last terminated', { containerID: 'containerd://b', state: { running: {} }, lastState: { terminated: { containerID: 'containerd://a' } } }, true, 'containerd://a'],
    ['terminated: its own ID', { state: { terminated: { containerID: 'containerd://t' } } }, false, 'containerd://t'],
    ['waiting after a crash: the last attempt', { state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { containerID: 'containerd://c' } } }, false, 'containerd://c'],
  ])('%s', (_n, cs, previous, id) => {
    expect(validateContainerLogStatus('podFoo', status(cs), 'x', previous)).toBe(id);
  });
  it.each([
    ['no previous attempt', { state: { running: {} }, containerID: 'containerd://a' }, true, 'previous terminated container "x" in pod "podFoo" not found'],
    ['ContainerCreating', { state: { waiting: { reason: 'ContainerCreating' } } }, false, 'container "x" in pod "podFoo" is waiting to start: ContainerCreating'],
    ['ErrImagePull', { state: { waiting: { reason: 'ErrImagePull' } } }, false, 'container "x" in pod "podFoo" is waiting to start: image can\'t be pulled'],
    ['ImagePullBackOff', { state: { waiting: { reason: 'ImagePullBackOff' } } }, false, 'container "x" in pod "podFoo" is waiting to start: trying and failing to pull image'],
    ['terminated without an ID', { state: { terminated: {} } }, false, 'container "x" in pod "podFoo" is terminated'],
    ['no state at all', { state: {} }, false, 'container "x" in pod "podFoo" is waiting to start - no logs yet'],
  ])('%s', (_n, cs, previous, message) => {
    expect(() => validateContainerLogStatus('podFoo', status(cs), 'x', previous)).toThrow(message);
  });
  it('a container the status does not list is not available', () => {
    expect(() => validateContainerLogStatus('podFoo', status({}), 'y', false)).toThrow('container "y" in pod "podFoo" is not available');
  });
});

describe('CRI logs', () => {
  const lines = [
    '2026-12-05T08:00:00.000000001Z stdout F one',
    '2026-12-05T08:00:01.000000001Z stderr P tw',
    '2026-12-05T08:00:01.500000001Z stderr F o',
    '2026-12-05T08:00:05.000000001Z stdout F three',
  ];
  it('TestParseCRILog: timestamp, stream, tag, text', () => {
    expect(parseCriLog(lines[1])).toEqual({ timestamp: '2026-12-05T08:00:01.000000001Z', stream: 'stderr', tag: 'P', text: 'tw' });
    expect(() => parseCriLog('garbage')).toThrow('unexpected log format');
  });
  it('TestReadLogs: partial lines join; tail, since, timestamps and limitBytes', () => {
    const now = Date.parse('2026-12-05T08:00:06Z');
    expect(readLogs(lines, {}, now)).toBe('one\ntwo\nthree\n');
    expect(readLogs(lines, { tailLines: 1 }, now)).toBe('three\n');
    expect(readLogs(lines, { tailLines: 0 }, now)).toBe('');
    expect(readLogs(lines, { sinceSeconds: 5 }, now)).toBe('two\nthree\n');
    expect(readLogs(lines, { timestamps: true, tailLines: 1 }, now)).toBe('2026-12-05T08:00:05.000000001Z three\n');
    expect(readLogs(lines, { limitBytes: 6 }, now)).toBe('one\ntw');
  });
});
