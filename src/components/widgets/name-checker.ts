/**
 * The live part of <NameChecker>: one name checked against the rules kube-apiserver applies to
 * object names, with apimachinery's own functions and messages (src/sim/apimachinery/validation.ts,
 * after apimachinery v0.34.0 pkg/util/validation/validation.go and pkg/api/validation/path/name.go),
 * printed as the 422's field errors read.
 */
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from '../../sim/apimachinery/validation';
import { invalid, newPath } from '../../sim/apimachinery/field';

export interface RuleResult {
  rule: string;
  usedBy: string;
  errors: string[];
}

// Upstream: apimachinery pkg/api/validation/path/name.go (IsValidPathSegmentName)
function pathSegment(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  return ['/', '%'].filter((c) => name.includes(c)).map((c) => `may not contain '${c}'`);
}

export function checkName(name: string): RuleResult[] {
  const fieldErrors = (msgs: string[], path = 'metadata.name') => msgs.map((m) => invalid(newPath(...(path.split('.') as [string, ...string[]])), name, m).message);
  return [
    { rule: 'path segment', usedBy: 'every object (rest.BeforeCreate)', errors: fieldErrors(pathSegment(name)) },
    { rule: 'DNS-1123 subdomain (≤ 253)', usedBy: 'most kinds: Pod, Deployment, ConfigMap, Secret, Node, custom resources', errors: fieldErrors(isDNS1123Subdomain(name)) },
    { rule: 'DNS-1123 label (≤ 63)', usedBy: 'Namespace; container and port names', errors: fieldErrors(isDNS1123Label(name)) },
    { rule: 'DNS-1035 label (≤ 63)', usedBy: 'Service', errors: fieldErrors(isDNS1035Label(name)) },
    { rule: 'label value (≤ 63)', usedBy: 'the value of a label', errors: fieldErrors(isValidLabelValue(name), 'metadata.labels') },
    { rule: 'label key name part (≤ 63)', usedBy: 'a label key without prefix', errors: fieldErrors(isQualifiedName(name), 'metadata.labels') },
  ];
}

export function mount(root: HTMLElement): void {
  const input = root.querySelector<HTMLInputElement>('input[data-name]')!;
  const list = root.querySelector<HTMLElement>('[data-results]')!;
  const render = () => {
    const results = checkName(input.value);
    list.replaceChildren(
      ...results.map((r) => {
        const li = document.createElement('li');
        li.className = `kl-w-chip${r.errors.length ? ' kl-w-chip-bad' : ''}`;
        const head = document.createElement('strong');
        head.textContent = `${r.errors.length ? '✗' : '✓'} ${r.rule}`;
        const used = document.createElement('span');
        used.className = 'kl-nc-used';
        used.textContent = ` — ${r.usedBy}`;
        li.append(head, used);
        for (const e of r.errors) {
          const p = document.createElement('div');
          p.className = 'kl-nc-err';
          p.textContent = e;
          li.append(p);
        }
        return li;
      }),
    );
    const live = root.querySelector('[data-live]');
    const bad = results.filter((r) => r.errors.length).map((r) => r.rule);
    if (live) live.textContent = bad.length ? `Fails: ${bad.join(', ')}` : 'Valid under every rule';
  };
  input.addEventListener('input', render);
  input.disabled = false;
  root.querySelector('[data-status]')!.textContent = 'Live: apimachinery\'s validation functions from src/sim.';
  root.dataset.ready = 'true';
  render();
}
