/**
 * The live part of <ProxyModesPlayground>: the model's four kube-proxy modes (src/sim/proxy,
 * after pkg/proxy v1.34; the userspace mode as it was before its removal in v1.26) measured by `proxyModeCosts`
 * on the benchmark cluster of a chosen size (perf.ts: n Services on port 80, every tenth a
 * NodePort, e ready endpoints each), on a node at 192.168.0.2 whose pods are in 10.0.0.0/8.
 * Per mode: what a full sync programs, and what the first packet of a new connection from a pod
 * to the last Service costs.
 */
import { proxyModeCosts, type ProxyMode, type ProxyModeCost } from '../../sim/proxy/modecosts';
import { syntheticCluster } from '../../sim/proxy/perf';

/**
 * Sizes the page accepts. Every change runs four full syncs and walks a packet through each in
 * the reader's tab, on the main thread. The slowest size allowed, 300 x 5, measured in headless
 * Chromium 156 on a busy 2-core machine: about 0.25 s, 0.8 s with the CPU throttled 4x as
 * Lighthouse does for phones (100 x 10: 0.15 s and 0.4 s). The cost grows faster than the rule
 * count (2,000 x 20, the old bound, ran for minutes in node), so larger sizes would freeze the tab.
 */
export const LIMITS = { services: 300, endpointsPerService: 20, totalEndpoints: 1500 };
// Upstream: pkg/proxy/iptables/proxier.go (largeClusterEndpointsThreshold; syncProxyRules
// compares the endpoints of all service ports together with it).
export const LARGE_CLUSTER_ENDPOINTS_THRESHOLD = 1000;
export const MODES: readonly ProxyMode[] = ['userspace', 'iptables', 'ipvs', 'nftables'];
/** The connection the userspace proxier copies: a small request and its response. */
export const CONNECTION = { requestBytes: 200, responseBytes: 3000 };

export interface ModesComparison {
  services: number;
  endpointsPerService: number;
  /** The iptables proxier's large-cluster mode: more than 1,000 endpoints in all. */
  largeClusterMode: boolean;
  costs: Record<ProxyMode, ProxyModeCost>;
}

export type SizeField = 'services' | 'endpoints';
export type SizeErrors = Partial<Record<SizeField, string>>;

const fmt = (x: number) => x.toLocaleString('en-US');
const nouns: Record<SizeField, string> = { services: 'Services', endpoints: 'endpoints per Service' };
const maxOf = (field: SizeField) => (field === 'services' ? LIMITS.services : LIMITS.endpointsPerService);

/**
 * The message a field shows for what was typed, or undefined when it is a size the page runs.
 * `badInput` is the browser's verdict on text a number field could not parse (its value is then '').
 */
export function fieldError(field: SizeField, raw: string, badInput = false): string | undefined {
  const max = maxOf(field);
  const text = raw.trim();
  if (badInput || (text !== '' && Number.isNaN(Number(text)))) return `Not a number: enter how many ${nouns[field]}, 1 to ${fmt(max)}.`;
  if (text === '') return `Enter how many ${nouns[field]}, 1 to ${fmt(max)}.`;
  const n = Number(text);
  if (n < 0) return `${text} is negative: enter 1 to ${fmt(max)} ${nouns[field]}.`;
  if (n > max) return `${Number.isFinite(n) ? fmt(n) : text} is too large here: at most ${fmt(max)} ${nouns[field]} (the page runs all four proxiers in your tab).`;
  if (!Number.isInteger(n)) return `${text} is not a whole number: enter 1 to ${fmt(max)} ${nouns[field]}.`;
  if (n < 1) return `At least 1: enter 1 to ${fmt(max)} ${nouns[field]}.`;
  return undefined;
}

/** Both fields together: each one's own error, then the bound on endpoints in all (told at `changed`). */
export function checkSizes(services: string, endpoints: string, changed: SizeField = 'services', badInput: Partial<Record<SizeField, boolean>> = {}): SizeErrors {
  const errors: SizeErrors = {};
  const s = fieldError('services', services, badInput.services);
  const e = fieldError('endpoints', endpoints, badInput.endpoints);
  if (s) errors.services = s;
  if (e) errors.endpoints = e;
  if (s || e) return errors;
  const total = Number(services) * Number(endpoints);
  if (total > LIMITS.totalEndpoints) {
    errors[changed] = `${fmt(Number(services))} Services × ${fmt(Number(endpoints))} = ${fmt(total)} endpoints in all; the page stops at ${fmt(LIMITS.totalEndpoints)}.`;
  }
  return errors;
}

/** All four modes for one size; sizes outside LIMITS are refused (the page checks them first). */
export function compare(services: number, endpointsPerService: number): ModesComparison {
  const errors = checkSizes(String(services), String(endpointsPerService));
  if (errors.services || errors.endpoints) throw new RangeError((errors.services ?? errors.endpoints)!);
  const cluster = syntheticCluster(services, endpointsPerService);
  const rows = proxyModeCosts(cluster, { serviceIndex: services - 1, ...CONNECTION });
  return {
    services,
    endpointsPerService,
    // One port per Service and every endpoint ready: the total upstream compares is n x e.
    largeClusterMode: services * endpointsPerService > LARGE_CLUSTER_ENDPOINTS_THRESHOLD,
    costs: Object.fromEntries(rows.map((r) => [r.mode, r])) as Record<ProxyMode, ProxyModeCost>,
  };
}

// Decimal units, as the lesson's table and the model README print them.
const kb = (bytes: number) => (bytes < 1000 ? `${fmt(bytes)} B` : bytes < 1e6 ? `${(bytes / 1e3).toFixed(1)} KB` : `${(bytes / 1e6).toFixed(2)} MB`);
const dispatchChain: Partial<Record<ProxyMode, string>> = { userspace: 'KUBE-PORTALS-CONTAINER', iptables: 'KUBE-SERVICES' };

/** The text of each cell, by `data-out` name (`<mode>-<row>`). */
export function cells(r: ModesComparison): Record<string, string> {
  const out: Record<string, string> = {};
  for (const mode of MODES) {
    const c = r.costs[mode];
    const p = c.firstPacket;
    out[`${mode}-rules`] = fmt(c.rules);
    out[`${mode}-chains`] = fmt(c.chains);
    out[`${mode}-elements`] = c.elements === 0 ? '0' : fmt(c.elements);
    out[`${mode}-bytes`] = kb(c.rulesTextBytes) + (mode === 'iptables' && r.largeClusterMode ? ' (large-cluster mode: no per-endpoint comments)' : '');
    const chain = dispatchChain[mode];
    out[`${mode}-evaluated`] = fmt(p.rulesEvaluated) + (chain ? ` (${fmt(p.dispatchRulesEvaluated)} in ${chain})` : '');
    out[`${mode}-lookups`] = fmt(p.lookups);
    out[`${mode}-copied`] = p.userspaceBytes === 0 ? '0 (the kernel forwards)' : `${fmt(p.userspaceBytes)} B (request + response)`;
  }
  return out;
}

/** One sentence for screen readers after each run. */
export function summary(r: ModesComparison): string {
  const f = (m: ProxyMode) => `${m === 'ipvs' ? 'IPVS' : m} ${fmt(r.costs[m].firstPacket.rulesEvaluated)} rules and ${fmt(r.costs[m].firstPacket.lookups)} lookups`;
  return `${fmt(r.services)} Services × ${fmt(r.endpointsPerService)} endpoints, first packet to the last Service: ${MODES.map(f).join('; ')}.`;
}

// Two frames: the "running" status paints before the long synchronous run starts.
const nextPaint = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

export function mount(root: HTMLElement): void {
  const input = (f: SizeField) => root.querySelector<HTMLInputElement>(`input[data-field="${f}"]`)!;
  const errorAt = (f: SizeField) => root.querySelector<HTMLElement>(`[data-error="${f}"]`)!;
  const status = root.querySelector<HTMLElement>('[data-status]');
  const live = root.querySelector<HTMLElement>('[data-live]');
  const table = root.querySelector<HTMLElement>('table');
  let run = 0;

  const validate = (changed: SizeField): boolean => {
    const errors = checkSizes(input('services').value, input('endpoints').value, changed, {
      services: input('services').validity.badInput,
      endpoints: input('endpoints').validity.badInput,
    });
    for (const f of ['services', 'endpoints'] as const) {
      errorAt(f).textContent = errors[f] ?? '';
      errorAt(f).hidden = !errors[f];
      if (errors[f]) input(f).setAttribute('aria-invalid', 'true');
      else input(f).removeAttribute('aria-invalid');
    }
    return !errors.services && !errors.endpoints;
  };

  const render = async (changed: SizeField) => {
    const mine = ++run;
    if (!validate(changed)) {
      table?.setAttribute('data-stale', '');
      if (status) status.textContent = 'Fix the size to update the table (it still shows the last valid size).';
      return;
    }
    const n = Number(input('services').value);
    const e = Number(input('endpoints').value);
    if (status) status.textContent = `Running the four proxiers for ${fmt(n)} Services × ${fmt(e)} endpoints…`;
    table?.setAttribute('aria-busy', 'true');
    await nextPaint();
    if (mine !== run) return;
    const t0 = performance.now();
    const r = compare(n, e);
    const ms = Math.round(performance.now() - t0);
    const text = cells(r);
    for (const [name, value] of Object.entries(text)) {
      const cell = root.querySelector<HTMLElement>(`[data-out="${name}"]`);
      if (cell) cell.textContent = value;
    }
    table?.removeAttribute('aria-busy');
    table?.removeAttribute('data-stale');
    if (status) status.textContent = `Live: ${fmt(n)} Services × ${fmt(e)} endpoints, computed in your tab in ${fmt(ms)} ms. Change a size (Enter or leave the field).`;
    if (live) live.textContent = summary(r);
  };

  for (const f of ['services', 'endpoints'] as const) {
    input(f).disabled = false;
    input(f).addEventListener('input', () => validate(f));
    input(f).addEventListener('change', () => void render(f));
  }
  // The table already holds the build's numbers for the initial size: nothing to run until a change.
  if (status) status.textContent = 'Live: change a size (press Enter or leave the field); each change runs the four proxiers in your tab.';
  root.removeAttribute('data-kl-pending');
}
