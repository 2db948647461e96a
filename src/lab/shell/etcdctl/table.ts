/**
 * What etcdctl's table and simple printers need from Go: olekukonko/tablewriter's box (headers
 * upper-cased and centred, cells right-aligned as etcdctl sets them), go-humanize's `Bytes`, and
 * Go's `time.Duration.String`.
 */

/** Upstream: olekukonko/tablewriter v0.0.5 (Table.Render with SetAlignment(ALIGN_RIGHT)), as etcdctl printer_table.go uses it. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const head = header.map((h) => h.toUpperCase());
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
  // tablewriter's Pad: the extra space of an odd gap goes to the right.
  const centre = (s: string, w: number) => {
    const gap = w - s.length;
    const left = Math.floor(gap / 2);
    return ' '.repeat(left) + s + ' '.repeat(gap - left);
  };
  const out = [line, `| ${head.map((h, i) => centre(h, widths[i])).join(' | ')} |`, line];
  for (const r of rows) out.push(`| ${widths.map((w, i) => (r[i] ?? '').padStart(w)).join(' | ')} |`);
  out.push(line);
  return out.join('\n');
}

/** Go's %.Nf: the nearest decimal, a tie to even (strconv rounds exact halves so). */
function goFixed(v: number, digits: number): string {
  const scaled = v * 10 ** digits;
  const floor = Math.floor(scaled);
  const diff = scaled - floor;
  const n = diff > 0.5 || (diff === 0.5 && floor % 2 === 1) ? floor + 1 : floor;
  return (n / 10 ** digits).toFixed(digits);
}

/** Upstream: dustin/go-humanize bytes.go (Bytes: SI units, one decimal under 10). */
export function humanizeBytes(n: number): string {
  if (n < 10) return `${n} B`;
  const sizes = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  const e = Math.floor(Math.log(n) / Math.log(1000));
  const val = Math.floor((n / 1000 ** e) * 10 + 0.5) / 10;
  return `${goFixed(val, val < 10 ? 1 : 0)} ${sizes[e]}`;
}

/** Upstream: Go time.Duration.String (e.g. `0s`, `850µs`, `2.5ms`, `1.2s`, `1m5s`), from virtual milliseconds. */
export function goDuration(ms: number): string {
  const ns = Math.round(ms * 1e6);
  if (ns === 0) return '0s';
  const trim = (v: number) => String(Number(v.toFixed(9)));
  if (ns < 1000) return `${ns}ns`;
  if (ns < 1e6) return `${trim(ns / 1e3)}µs`;
  if (ns < 1e9) return `${trim(ns / 1e6)}ms`;
  const h = Math.floor(ns / 3.6e12);
  const m = Math.floor((ns % 3.6e12) / 6e10);
  const s = trim((ns % 6e10) / 1e9);
  return h ? `${h}h${m}m${s}s` : m ? `${m}m${s}s` : `${s}s`;
}
