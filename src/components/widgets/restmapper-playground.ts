/**
 * The live part of <RestMapperPlayground>: what kubectl does with the type you type, on the
 * kinds registry and RESTMapper of src/sim/apimachinery (kinds.ts, after apimachinery v0.34.0
 * pkg/api/meta/restmapper.go and client-go restmapper/shortcut.go): expand a short name, pick a
 * group and version, map the resource to its kind, and build the request path.
 */
import { newKindRegistry, type KindInfo } from '../../sim/apimachinery/kinds';

export interface Mapping {
  ok: boolean;
  lines: string[];
}

/** The Foo CRD of sample-controller, so that custom resources resolve too. */
const FOO_CRD = {
  metadata: { name: 'foos.samplecontroller.k8s.io' },
  spec: {
    group: 'samplecontroller.k8s.io',
    scope: 'Namespaced',
    names: { kind: 'Foo', plural: 'foos', singular: 'foo', shortNames: [] as string[] },
    versions: [{ name: 'v1alpha1', served: true, storage: true, subresources: { status: {} } }],
  },
};

export function resolve(arg: string, namespace = 'default'): Mapping {
  const registry = newKindRegistry();
  registry.addCRD(FOO_CRD);
  const a = arg.trim();
  if (a === '') return { ok: false, lines: ['type a resource: deploy, po, svc, ev, crd, foos, deployments.apps, Deployment…'] };
  let k: KindInfo;
  try {
    k = registry.lookupResource(a);
  } catch {
    return { ok: false, lines: [`error: the server doesn't have a resource type "${a}"`] };
  }
  const gv = k.group === '' ? k.version : `${k.group}/${k.version}`;
  const base = k.group === '' ? `/api/${k.version}` : `/apis/${k.group}/${k.version}`;
  const path = k.namespaced ? `${base}/namespaces/${namespace}/${k.plural}` : `${base}/${k.plural}`;
  return {
    ok: true,
    lines: [
      `GroupVersionResource  group="${k.group}" version="${k.version}" resource="${k.plural}"`,
      `GroupVersionKind      ${gv}, Kind=${k.kind}`,
      `names                 plural ${k.plural} · singular ${k.singular}${k.shortNames.length ? ` · short ${k.shortNames.join(', ')}` : ''}`,
      `scope                 ${k.namespaced ? 'Namespaced' : 'Cluster'}${k.crd ? ` · from the CRD ${k.crd}` : ''}`,
      `list                  GET ${path}?limit=500`,
      `one object            GET ${path}/<name>`,
      `subresources          ${k.subresources.length ? k.subresources.join(', ') : 'none'}`,
    ],
  };
}

export function mount(root: HTMLElement): void {
  const input = root.querySelector<HTMLInputElement>('input[data-arg]')!;
  const out = root.querySelector<HTMLElement>('[data-out]')!;
  const render = () => {
    const m = resolve(input.value);
    out.textContent = m.lines.join('\n');
    out.classList.toggle('kl-rm-bad', !m.ok);
    const live = root.querySelector('[data-live]');
    if (live) live.textContent = m.lines[0] ?? '';
  };
  input.addEventListener('input', render);
  root.addEventListener('click', (e) => {
    const b = (e.target as Element).closest<HTMLButtonElement>('button[data-example]');
    if (!b) return;
    input.value = b.dataset.example ?? '';
    render();
  });
  for (const el of root.querySelectorAll<HTMLInputElement | HTMLButtonElement>('input, button')) el.disabled = false;
  root.querySelector('[data-status]')!.textContent = 'Live: the RESTMapper and kinds registry from src/sim.';
  root.dataset.ready = 'true';
  render();
}
