/**
 * Looks at the packet view without building the site: renders its markup for real walks at a few
 * cursors into tmp/packet-view-<name>.html with the site's CSS, and screenshots each in light and
 * dark with Debian's Chromium. Run: `node --import tsx scripts/packet-view-shots.ts`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { TraceRecorder, buildCluster, syncProxyRules, walkPacket, type EndpointSlice, type Service, type TraceEvent } from '../src/sim/index';
import { packetFrame, packetMarkup, packetModel } from '../src/components/viz/packet/view';

const nodes = [
  { name: 'node-a', ip: '192.168.0.2', podCIDR: '10.244.0.0/24' },
  { name: 'node-b', ip: '192.168.0.3', podCIDR: '10.244.1.0/24' },
];
const service: Service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { type: 'NodePort', clusterIP: '10.96.12.34', clusterIPs: ['10.96.12.34'], sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', externalTrafficPolicy: 'Cluster', ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080, nodePort: 30080 }] } };
const slice: EndpointSlice = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } }, addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], endpoints: ['10.244.0.3', '10.244.1.3'].map((ip) => ({ addresses: [ip], conditions: { ready: true, serving: true, terminating: false } })) };

function trace(backend: 'vxlan' | 'udp' | 'host-gw', walks: (c: ReturnType<typeof buildCluster>) => void): TraceEvent[] {
  const t = new TraceRecorder();
  const rules = Object.fromEntries(nodes.map((n) => {
    const r = syncProxyRules({ services: [service], endpointSlices: [slice], nodeName: n.name, nodeIPs: [n.ip], clusterCIDR: '10.244.0.0/16' });
    return [n.name, r.filter + r.nat];
  }));
  const c = buildCluster({
    backend, nodes, seed: 3, trace: t, kubeProxyRules: rules,
    pods: [{ name: 'client', node: 'node-a', ip: '10.244.0.9' }, { name: 'web-a', node: 'node-a', ip: '10.244.0.3', ports: [8080] }, { name: 'web-b', node: 'node-b', ip: '10.244.1.3', ports: [8080] }],
  });
  walks(c);
  return t.events;
}

/** The cursor just after the hop of `kind` (nth of it) in the first walk's `leg`. */
function after(events: TraceEvent[], leg: string, kind: string, nth = 0): number {
  let seen = 0;
  for (const [i, e] of events.entries()) {
    const h = e as unknown as { leg?: string; hop?: { kind: string } };
    if (h.leg === leg && h.hop?.kind === kind && seen++ === nth) return i + 1;
  }
  return events.length;
}

const crossNode = trace('vxlan', (c) => walkPacket(c, { from: 'default/client', to: '10.244.1.3:8080', sport: 40000 }));
// A NodePort connection on node-b that KUBE-SVC sends to web-a on node-a (the first source port that does).
const nodePort = trace('vxlan', (c) => {
  for (let sport = 40001; ; sport++) if (walkPacket(c, { from: { external: '203.0.113.2', via: 'node-b' }, to: '192.168.0.3:30080', sport }).at === 'pod/default/web-a') return;
});
const hostGw = trace('host-gw', (c) => walkPacket(c, { from: 'default/client', to: '10.244.1.3:8080', sport: 40000 }));
const udp = trace('udp', (c) => walkPacket(c, { from: 'default/client', to: '10.244.1.3:8080', sport: 40000 }));
const shots: { name: string; events: TraceEvent[]; cursor: number }[] = [
  { name: 'vxlan-wire', events: crossNode, cursor: after(crossNode, 'request', 'wire') },
  { name: 'vxlan-dnat-start', events: crossNode, cursor: 3 },
  { name: 'vxlan-reply', events: crossNode, cursor: after(crossNode, 'reply', 'decap') },
  { name: 'nodeport-dnat', events: nodePort, cursor: after(nodePort, 'request', 'nat', 0) },
  { name: 'nodeport-end', events: nodePort, cursor: nodePort.length },
  { name: 'host-gw-end', events: hostGw, cursor: hostGw.length },
  { name: 'udp-wire', events: udp, cursor: after(udp, 'request', 'wire') },
];

const css = ['node_modules/@astrojs/starlight/style/props.css', 'src/styles/kubelab.css', 'src/styles/workbench.css'].map((f) => readFileSync(f, 'utf8')).join('\n');
mkdirSync('tmp', { recursive: true });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 560, height: 900 } });
for (const s of shots) {
  const model = packetModel(s.events);
  const body = packetMarkup(model, 'kl-pkt-1', packetFrame(model, s.cursor));
  for (const theme of ['light', 'dark']) {
    const html = `<!doctype html><html data-theme="${theme}"><head><meta charset="utf-8"><style>${css}</style><style>body{margin:0;background:var(--sl-color-bg);color:var(--sl-color-text);font-family:var(--__sl-font)} .kl-workbench{height:auto;min-height:0;padding:8px;width:520px} .kl-pkt-list{max-height:var(--list-h,110px);overflow:hidden}</style></head>` +
      `<body><div class="kl-workbench" style="--list-h:${s.name.endsWith('dnat') ? 420 : 110}px"><div class="kl-pkt">${body}</div></div>` +
      `<script>for (const el of document.querySelectorAll('[data-seen]')) if (Number(el.dataset.seen) >= ${s.cursor}) el.classList.add('is-unseen');</script></body></html>`;
    const file = `tmp/packet-view-${s.name}-${theme}.html`;
    writeFileSync(file, html);
    await page.goto(`file://${process.cwd()}/${file}`);
    await page.locator('.kl-workbench').screenshot({ path: `tmp/packet-view-${s.name}-${theme}.png` });
    await page.addScriptTag({ path: 'node_modules/axe-core/axe.min.js' });
    const violations = await page.evaluate(async () => {
      const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; nodes: unknown[] }[] }> } }).axe;
      const r = await axe.run(document.querySelector('.kl-pkt'), { resultTypes: ['violations'] });
      return r.violations.map((v) => `${v.id} x${v.nodes.length} ${JSON.stringify((v.nodes as { target: unknown; failureSummary?: string }[]).map((n) => [n.target, n.failureSummary?.slice(0, 160)]))}`);
    });
    if (violations.length) console.log(`${s.name} ${theme}: axe ${violations.join(', ')}`);
  }
}
await browser.close();
console.log(`wrote ${shots.length * 2} screenshots to tmp/`);

// The live view in the browser: createPacketView over a 10,000-walk trace (50 real walks repeated),
// stepping and jumping, timed with the DOM updates included; and a screenshot of it mid-walk.
{
  const { buildSync } = await import('esbuild');
  const bundle = buildSync({ entryPoints: ['src/components/viz/packet/view.ts'], bundle: true, format: 'iife', globalName: 'PacketView', write: false, logLevel: 'error' }).outputFiles[0].text;
  const sample = trace('vxlan', (c) => {
    for (let i = 0; i < 50; i++) walkPacket(c, { from: 'default/client', to: '10.96.12.34:80', sport: 41000 + i });
  });
  const big: TraceEvent[] = [];
  for (let k = 0; k < 200; k++) for (const e of sample) big.push({ ...e, walk: (e.walk as number) + 50 * k });
  const browser2 = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  const p = await browser2.newPage({ viewport: { width: 560, height: 900 } });
  writeFileSync('tmp/packet-view-live.html', `<!doctype html><html data-theme="light"><head><meta charset="utf-8"><style>${css}</style><style>body{margin:0;background:var(--sl-color-bg);color:var(--sl-color-text);font-family:var(--__sl-font)} .kl-workbench{height:auto;min-height:0;padding:8px;width:520px}</style></head><body><div class="kl-workbench"><div id="root"></div></div></body></html>`);
  await p.goto(`file://${process.cwd()}/tmp/packet-view-live.html`);
  p.on('pageerror', (e) => console.log('page error:', e.message));
  await p.addScriptTag({ content: bundle });
  const figures = await p.evaluate((events: unknown[]) => {
    const view = (globalThis as unknown as { PacketView: { createPacketView(root: HTMLElement): { render(t: unknown[], c: number): void } } }).PacketView.createPacketView(document.getElementById('root')!);
    const t0 = performance.now();
    view.render(events, events.length);
    const t1 = performance.now();
    const mid = events.length >> 1;
    for (let i = 0; i < 300; i++) view.render(events, mid + i);
    for (let i = 0; i < 300; i++) view.render(events, mid + 300 - i);
    const t2 = performance.now();
    let x = 7;
    for (let i = 0; i < 100; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      view.render(events, x % events.length);
    }
    const t3 = performance.now();
    // Mid-walk for the screenshot: the request crossing to node-b (a cursor inside walk 2).
    let cursor = 0;
    for (let i = 0, hops = 0; i < events.length; i++) {
      const e = events[i] as { walk?: number; leg?: string; hop?: { kind: string } };
      if (e.walk === 2 && e.leg === 'request' && e.hop?.kind === 'decap' && ++hops) { cursor = i + 1; break; }
    }
    view.render(events, cursor);
    return { first: t1 - t0, step: (t2 - t1) / 600, jump: (t3 - t2) / 100, cursor, hidden: document.querySelectorAll('.is-unseen').length };
  }, big as unknown[]);
  console.log(`live view in Chromium over ${big.length} events: first render ${figures.first.toFixed(1)} ms, step ${figures.step.toFixed(2)} ms/frame, random jump ${figures.jump.toFixed(2)} ms/frame (cursor ${figures.cursor}, ${figures.hidden} map elements not yet shown)`);
  await p.locator('.kl-workbench').screenshot({ path: 'tmp/packet-view-live.png' });
  await browser2.close();
}
