/**
 * YAML as sigs.k8s.io/yaml writes a Go object (JSON first, then go-yaml): keys sorted, sequences
 * at their key's indentation, strings plain unless YAML would read them as something else.
 * Unlike apis/print.ts this keeps `--flag=value` plain, as go-yaml does (only `- ` and `-` alone
 * are indicators), which static Pod commands need.
 * Upstream: sigs.k8s.io/yaml (Marshal, JSONToYAML), gopkg.in/yaml.v2 emitter (analyzeScalar)
 */

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Strings go-yaml would resolve to a number, bool or null are quoted to stay strings. */
const RESOLVES = /^(~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|[-+]?(\d[\d_]*(\.\d*)?|\.\d+)([eE][-+]?\d+)?|0x[0-9a-fA-F]+|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$/;

export function yamlScalar(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  const s = String(v);
  const quote = s === '' || RESOLVES.test(s) || /^[?:,[\]{}#&*!|>'"%@`]/.test(s) || s === '-' || s.startsWith('- ') || /^\s|\s$/.test(s) || /: |\s#|[\n\t]/.test(s) || s.endsWith(':');
  return quote ? JSON.stringify(s) : s;
}

const present = (m: Record<string, unknown>) => Object.keys(m).filter((k) => m[k] !== undefined);

function lines(v: unknown, indent: string): string[] {
  if (isMap(v)) {
    const out: string[] = [];
    for (const k of present(v).sort()) out.push(...entry(`${indent}${yamlScalar(k)}:`, v[k], indent));
    return out.length ? out : [`${indent}{}`];
  }
  if (Array.isArray(v)) {
    const out: string[] = [];
    for (const item of v) {
      if ((isMap(item) && present(item).length) || (Array.isArray(item) && item.length)) {
        const inner = lines(item, `${indent}  `);
        out.push(`${indent}- ${inner[0].slice(indent.length + 2)}`, ...inner.slice(1));
      } else out.push(`${indent}- ${inline(item)}`);
    }
    return out.length ? out : [`${indent}[]`];
  }
  return [`${indent}${yamlScalar(v)}`];
}

const inline = (v: unknown) => (isMap(v) ? '{}' : Array.isArray(v) ? '[]' : yamlScalar(v));

function entry(head: string, value: unknown, indent: string): string[] {
  if (isMap(value) && present(value).length) return [head, ...lines(value, `${indent}  `)];
  if (Array.isArray(value) && value.length) return [head, ...lines(value, indent)];
  return [`${head} ${inline(value)}`];
}

export function marshalYAML(v: unknown): string {
  return `${lines(v, '').join('\n')}\n`;
}
