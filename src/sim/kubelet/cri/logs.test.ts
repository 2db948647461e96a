// The time formats containers print, on the repo's RFC 3339 helper: known instants (the epoch, a
// Saturday, leap days) against the texts busybox, nginx, Apache, containerd and Go print for them.
import { describe, expect, it } from 'vitest';
import { criLogLine, formatApacheTime, formatBusyboxDate, formatGoTime, formatNginxAccessTime, formatNginxErrorTime, formatRfc3339Nano, parseCriLogLine } from './logs';

const SAT = 1796456700120; // 2026-12-05T07:45:00.120Z

describe('container time formats', () => {
  it.each([
    [0, 'Thu Jan  1 00:00:00 UTC 1970', '1970/01/01 00:00:00', '01/Jan/1970:00:00:00 +0000', 'Thu Jan 01 00:00:00.000000 1970', '1970-01-01T00:00:00Z', '1970-01-01 00:00:00 +0000 UTC'],
    [SAT, 'Sat Dec  5 07:45:00 UTC 2026', '2026/12/05 07:45:00', '05/Dec/2026:07:45:00 +0000', 'Sat Dec 05 07:45:00.120000 2026', '2026-12-05T07:45:00.12Z', '2026-12-05 07:45:00.12 +0000 UTC'],
    [951782400500, 'Tue Feb 29 00:00:00 UTC 2000', '2000/02/29 00:00:00', '29/Feb/2000:00:00:00 +0000', 'Tue Feb 29 00:00:00.500000 2000', '2000-02-29T00:00:00.5Z', '2000-02-29 00:00:00.5 +0000 UTC'],
    [1709164800999, 'Thu Feb 29 00:00:00 UTC 2024', '2024/02/29 00:00:00', '29/Feb/2024:00:00:00 +0000', 'Thu Feb 29 00:00:00.999000 2024', '2024-02-29T00:00:00.999Z', '2024-02-29 00:00:00.999 +0000 UTC'],
  ])('%i', (ms, busybox, nginxError, nginxAccess, apache, rfc3339nano, goTime) => {
    expect(formatBusyboxDate(ms)).toBe(busybox);
    expect(formatNginxErrorTime(ms)).toBe(nginxError);
    expect(formatNginxAccessTime(ms)).toBe(nginxAccess);
    expect(formatApacheTime(ms)).toBe(apache);
    expect(formatRfc3339Nano(ms)).toBe(rfc3339nano);
    expect(formatGoTime(ms)).toBe(goTime);
  });

  it('a CRI log line carries the RFC3339Nano time and parses back', () => {
    const line = criLogLine(SAT, 'stdout', 'hello');
    expect(line).toBe('2026-12-05T07:45:00.12Z stdout F hello');
    expect(parseCriLogLine(line)).toEqual({ time: '2026-12-05T07:45:00.12Z', stream: 'stdout', tag: 'F', line: 'hello' });
  });
});
