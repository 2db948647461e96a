/**
 * The host's invariants, checked (the sentences of the README's Invariants section): tests call
 * `hostInvariantViolations` after every step of a random run; an empty list means all hold.
 */
import type { Host } from './host';

export function hostInvariantViolations(host: Host): string[] {
  const out: string[] = [];
  const nodes = host.fs.state.nodes;
  if (nodes['/']?.type !== 'dir') out.push('/ is not a directory');
  for (const path of Object.keys(nodes)) {
    if (path === '/') continue;
    if (path.endsWith('/') || path.includes('//') || /\/\.\.?(\/|$)/.test(path)) out.push(`${path}: not a clean path`);
    const parent = path.slice(0, path.lastIndexOf('/')) || '/';
    if (nodes[parent]?.type !== 'dir') out.push(`${path}: parent ${parent} is not a directory`);
  }
  for (const u of Object.values(host.systemd.units)) {
    const running = u.activeState === 'active' && u.subState === 'running';
    if ((u.mainPid !== 0) !== running) out.push(`${u.file.name}: mainPid ${u.mainPid} while ${u.activeState} (${u.subState})`);
  }
  const containerd = host.systemd.get('containerd');
  if (containerd && host.fs.exists('/run/containerd/containerd.sock') !== (containerd.activeState === 'active')) out.push(`containerd socket present=${host.fs.exists('/run/containerd/containerd.sock')} while ${containerd.activeState}`);
  const swapRows = host.fs.readFile('/proc/swaps').split('\n').filter(Boolean).length - 1;
  if ((swapRows > 0) !== host.swapTotalMB() > 0) out.push(`/proc/swaps has ${swapRows} rows with ${host.swapTotalMB()} MB of swap`);
  const kubelet = host.systemd.get('kubelet');
  if (kubelet && (host.listener(10250)?.process === 'kubelet') !== (kubelet.activeState === 'active')) out.push(`kubelet port 10250 bound=${!!host.listener(10250)} while ${kubelet.activeState}`);
  return out;
}
