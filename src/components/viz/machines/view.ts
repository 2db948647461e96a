/**
 * The `machines` view: the cluster as machines. Per host, kubeadm's phases as a progress strip
 * (done / failed / skipped, the sub-phases under each), the files on its disk grouped by
 * directory with their modes and the phase that wrote each (the ones the last phase just wrote
 * marked), its systemd units (the kubelet crash-looping until kubelet-start, then running), its
 * listening ports and the static pods its manifests declare. All of it is lists, so the markup is
 * its own text alternative; the strip's colours repeat its words. Fed by ./state.ts, drawn at the
 * cursor by ./at.ts.
 */
import { eventSource, eventText } from '../../../sim/catalogs';
import type { TraceEvent } from '../../../sim/index';
import { esc } from '../html';
import type { ModelView } from '../types';
import { formatTime } from '../time';
import { machineAt, type MachineAt, type PhaseAt, type PhaseStatus, type StaticPodAt } from './at';
import { modeString, octal } from './modes';
import { machines, type Machines } from './state';
import './machines.css';

const ICON: Record<PhaseStatus, string> = { pending: '·', running: '…', done: '✓', failed: '✗', skipped: '↷' };

/** The components this view draws (a caption heading is marked when the cursor is on one). */
export const MACHINE_COMPONENTS = ['host', 'kubeadm-workflow', 'kubeadm-certs'] as const;
const isMachineEvent = (e: TraceEvent) => (MACHINE_COMPONENTS as readonly string[]).includes(e.component) || e.type === 'kubelet.container';

const slug = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '-');
const when = (ms: number | undefined, t0: number) => (ms === undefined ? '' : formatTime(ms - t0));

function phaseChip(p: PhaseAt, t0: number): string {
  const subs = p.subs.length ? `: ${p.subs.map((s) => `${s.phase.slice(p.phase.length + 1)} ${s.status}`).join(', ')}` : '';
  const time = p.start !== undefined ? ` (${when(p.start, t0)}${p.end !== undefined && p.end !== p.start ? ` to ${when(p.end, t0)}` : ''})` : '';
  const title = `${p.phase} ${p.status}${time}${subs}${p.error ? `. ${p.error}` : ''}`;
  return `<li class="kl-mc-phase is-${p.status}${p.current ? ' is-current' : ''}" title="${esc(title)}"${p.current ? ' aria-current="step"' : ''}><span class="kl-mc-icon" aria-hidden="true">${ICON[p.status]}</span>${esc(p.phase)}<span class="sr-only">: ${p.status}</span></li>`;
}

/** The strip in words: every phase and sub-phase with its state and time. */
function phaseList(run: NonNullable<MachineAt['run']>, t0: number, host: string): string {
  const items = run.phases.map((p) => {
      const subs = p.subs.length ? `<ol>${p.subs.map((s) => `<li>${esc(s.phase)}: ${s.status}${s.t !== undefined ? ` at ${when(s.t, t0)}` : ''}</li>`).join('')}</ol>` : '';
      const time = p.start !== undefined ? ` at ${when(p.start, t0)}` : '';
      return `<li>${esc(p.phase)}: ${p.status}${time}${subs}</li>`;
    });
  return `<details class="kl-mc-detail"><summary>Phases of kubeadm ${esc(run.workflow)} on ${esc(host)} in words</summary><ol>${items.join('')}</ol></details>`;
}

function filesMarkup(m: MachineAt, t0: number): string {
  if (!m.groups.length) return '<p class="kl-mc-dim">No files written yet.</p>';
  const groups = m.groups.map((g) => {
    const items = g.files.map((f) => {
      const cert = f.subject ? `<span class="kl-mc-cert">CN=${esc(f.subject)}${f.notAfter ? `, until ${new Date(f.notAfter).toISOString().slice(0, 10)}` : ''}</span>` : '';
      const by = f.phase ? `<span class="kl-mc-by">${esc(f.phase)}</span>` : '';
      const fresh = f.fresh ? '<span class="sr-only"> (just written)</span>' : '';
      return `<li class="kl-mc-file${f.fresh ? ' is-fresh' : ''}" title="${esc(`${modeString(f.mode)} ${f.path}${f.phase ? `, written by phase ${f.phase}` : ''} at ${when(f.t, t0)}`)}"><code class="kl-mc-mode">${octal(f.mode)}</code> <span class="kl-mc-name">${esc(f.path.slice(g.dir.length + 1))}</span>${cert}${by}${fresh}</li>`;
    });
    const body = items.length ? `<ul>${items.join('')}</ul>` : '<p class="kl-mc-dim">empty</p>';
    return `<li class="kl-mc-dir"><span class="kl-mc-dirname">${esc(g.dir)}/</span>${body}</li>`;
  });
  return `<ul class="kl-mc-dirs" aria-label="Files on ${esc(m.host)} by directory">${groups.join('')}</ul>`;
}

function unitsMarkup(m: MachineAt): string {
  if (!m.units.length) return '';
  const items = m.units.map((u) => {
    const cls = u.state.startsWith('active') ? 'is-running' : u.state.startsWith('activating') ? 'is-looping' : 'is-stopped';
    const was = u.before.length ? ` <span class="kl-mc-dim">(before: ${esc(u.before.join(' → '))})</span>` : '';
    return `<li class="kl-mc-unit ${cls}"><code>${esc(u.unit)}</code> ${esc(u.state)}, ${esc(u.enabled)}${was}</li>`;
  });
  return `<ul class="kl-mc-units" aria-label="systemd units on ${esc(m.host)}">${items.join('')}</ul>`;
}

function podLine(p: StaticPodAt): string {
  const states = p.containers.length ? p.containers.map((c) => `${c.container} ${c.state}${c.reason ? ` (${c.reason})` : ''}${c.restartCount ? `, ${c.restartCount} restarts` : ''}`).join('; ') : 'not reported by the kubelet yet';
  return `<li><code>${esc(p.pod)}</code> from ${esc(p.manifest.split('/').at(-1) ?? '')}: ${esc(states)}</li>`;
}

function machineMarkup(m: MachineAt, t0: number): string {
  const id = `kl-mc-${slug(m.host)}`;
  const run = m.run;
  const heading = `<h4 class="kl-mc-host" id="${id}">${esc(m.host)}</h4>`;
  const runLine = run
    ? `<p class="kl-mc-run">kubeadm ${esc(run.workflow)}${run.runs > 1 ? ` (run ${run.runs})` : ''}${run.error ? `: <span class="kl-mc-error">${esc(run.error)}</span>` : ''}</p><ol class="kl-mc-strip" aria-label="kubeadm ${esc(run.workflow)} phases on ${esc(m.host)}">${run.phases.map((p) => phaseChip(p, t0)).join('')}</ol>${phaseList(run, t0, m.host)}`
    : '<p class="kl-mc-dim">kubeadm has not run here.</p>';
  const ports = m.ports.length ? `<p class="kl-mc-ports">Listening: ${m.ports.map((p) => `${p.port} (${esc(p.process)})`).join(', ')}</p>` : '';
  const pods = m.staticPods.length ? `<h5 class="kl-mc-sub">Static pods</h5><ul class="kl-mc-pods">${m.staticPods.map(podLine).join('')}</ul>` : '';
  return `<section class="kl-mc-machine" aria-labelledby="${id}">${heading}${runLine}<h5 class="kl-mc-sub">Files</h5><div class="kl-mc-scroll" tabindex="0" role="region" aria-label="Files on ${esc(m.host)}">${filesMarkup(m, t0)}</div><h5 class="kl-mc-sub">Units</h5>${unitsMarkup(m) || '<p class="kl-mc-dim">No unit changed state yet.</p>'}${ports}${pods}</section>`;
}

export const LEGEND = `<ul class="kl-mc-legend" aria-label="Legend">${(['done', 'running', 'failed', 'skipped', 'pending'] as const).map((s) => `<li class="kl-mc-phase is-${s}"><span class="kl-mc-icon" aria-hidden="true">${ICON[s]}</span>${s === 'pending' ? 'not reached' : s}</li>`).join('')}<li class="kl-mc-file is-fresh">just written by the last phase</li></ul>`;

export function machinesMarkup(trace: readonly TraceEvent[], ms: Machines | undefined, cursor: number): string {
  if (!ms) return `<p class="kl-viz-empty">${trace.length ? 'No host or kubeadm events in this trace.' : 'Run kubeadm on a node to watch its phases write the machine\'s files.'}</p>`;
  const at = ms.machines.map((m) => machineAt(m, cursor));
  const now = cursor > 0 ? trace[Math.min(cursor, trace.length) - 1].t : ms.t0;
  const files = at.reduce((n, m) => n + m.groups.reduce((k, g) => k + g.files.length, 0), 0);
  const head = `<p class="kl-mc-head">${esc(formatTime(now - ms.t0))} · ${at.length} ${at.length === 1 ? 'machine' : 'machines'} · ${files} files</p>`;
  const event = cursor > 0 ? trace[cursor - 1] : undefined;
  const status = event && isMachineEvent(event) ? `<p class="kl-mc-status" role="status">${esc(eventText(event) ?? event.type)}</p>` : '<p class="kl-mc-status">&nbsp;</p>';
  return `${head}${status}${LEGEND}<div class="kl-mc-grid">${at.map((m) => machineMarkup(m, ms.t0)).join('')}</div>`;
}

export function createMachinesView(root: HTMLElement): ModelView {
  root.classList.add('kl-mc');
  let trace: readonly TraceEvent[] | undefined;
  let state: Machines | undefined;
  let seen = 0;
  let drawn = '';
  return {
    render(t, cursor) {
      // A lab session hands over the same growing array after each command: its length says it grew.
      if (t !== trace || t.length !== seen) state = machines((trace = t));
      seen = t.length;
      const html = machinesMarkup(t, state, cursor);
      if (html !== drawn) root.innerHTML = html;
      drawn = html;
    },
    describe: (event) => eventText(event),
    source: (event) => eventSource(event),
    destroy() {
      trace = state = undefined;
      drawn = '';
      root.innerHTML = '';
    },
  };
}
