import { describe, expect, it } from 'vitest';
import { DEFAULT_LOG_VERBOSITY, Logger, formatLogLine, isLogEvent } from './log';
import { activeLogger, logVerbosity, newEnv, setLogVerbosity, useEnv } from './env';
import type { TraceEvent } from './trace';

const ev = (t: number, data: Record<string, unknown>): TraceEvent => ({ t, seq: 0, component: 'deltaFIFO', type: 'deltaFIFO.log', ...data }) as TraceEvent;

describe('formatLogLine (klog header over virtual time)', () => {
  it.each([
    { t: 0, level: 'info', line: 'I0101 00:00:00.000000 delta_fifo.go] hello' },
    { t: 5.25, level: 'error', line: 'E0101 00:00:00.005250 delta_fifo.go] hello' },
    { t: 61_000.5, level: 'warning', line: 'W0101 00:01:01.000500 delta_fifo.go] hello' },
    { t: 86_400_000 * 31 + 3_600_000, level: 'info', line: 'I0201 01:00:00.000000 delta_fifo.go] hello' },
  ])('t=$t ms, $level', ({ t, level, line }) => {
    expect(formatLogLine(ev(t, { level, source: 'delta_fifo.go', message: 'hello' }))).toBe(line);
  });

  it('falls back to info and the component when level or source are missing', () => {
    expect(formatLogLine(ev(1, { message: 'x' }))).toBe('I0101 00:00:00.001000 deltaFIFO] x');
  });

  it('recognises log events only by type and message', () => {
    expect(isLogEvent(ev(0, { message: 'x' }))).toBe(true);
    expect(isLogEvent({ ...ev(0, {}), type: 'deltaFIFO.log' })).toBe(false);
    expect(isLogEvent({ ...ev(0, { message: 'x' }), type: 'workqueue.add' })).toBe(false);
  });
});

describe('log verbosity (klog -v)', () => {
  it('a Logger shows V(n) lines up to its verbosity, and lines without v always', () => {
    const log = new Logger();
    expect(log.verbosity).toBe(DEFAULT_LOG_VERBOSITY);
    expect([0, 2, 3].map((v) => log.visible(ev(0, { v, message: 'x' })))).toEqual([true, true, false]);
    expect(log.visible(ev(0, { message: 'x' }))).toBe(true);
    log.setVerbosity(4);
    expect(log.visible(ev(0, { v: 4, message: 'x' }))).toBe(true);
    expect(() => log.setVerbosity(-1)).toThrow(RangeError);
    expect(() => new Logger(1.5)).toThrow(/non-negative integer, got 1.5/);
  });

  it('two environments keep their own verbosity; setLogVerbosity changes only the installed one', () => {
    const a = newEnv();
    const b = newEnv({ logVerbosity: 5 });
    const restore = useEnv(a);
    try {
      setLogVerbosity(4);
      expect(a.log.verbosity).toBe(4);
      expect(b.log.verbosity).toBe(5);
      expect(logVerbosity()).toBe(4);
      expect(activeLogger().visible(ev(0, { v: 4, message: 'x' }))).toBe(true);
    } finally {
      restore();
    }
    expect(logVerbosity()).toBe(DEFAULT_LOG_VERBOSITY);
  });
});
