/**
 * `$(VAR)` expansion in command, args and env values: third_party/forked/golang/expansion
 * (Expand, MappingFuncFor) and pkg/kubelet/container/helpers.go (ExpandContainerCommandAndArgs,
 * ExpandContainerCommandOnlyStatic). `$$` escapes a `$`; a reference to an unknown variable stays
 * as written; the shell's own `$VAR` is not touched (the kubelet does not run a shell).
 */
import type { Container } from '../../api/core/v1';

// Upstream: third_party/forked/golang/expansion/expand.go (Expand)
export function expand(input: string, mapping: (name: string) => string | undefined): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (ch !== '$' || i + 1 >= input.length) {
      out += ch;
      continue;
    }
    const next = input[i + 1];
    if (next === '$') {
      out += '$';
      i++;
    } else if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close < 0) {
        out += input.slice(i);
        break;
      }
      const name = input.slice(i + 2, close);
      out += mapping(name) ?? `$(${name})`;
      i = close;
    } else out += ch;
  }
  return out;
}

/** Looks names up in the maps given, first match wins (Go: MappingFuncFor). */
export function mappingFuncFor(...maps: Array<Record<string, string>>): (name: string) => string | undefined {
  return (name) => {
    for (const m of maps) if (Object.prototype.hasOwnProperty.call(m, name)) return m[name];
    return undefined;
  };
}

/** The command and args the runtime receives: `$(VAR)` expanded from the container's env. */
// Upstream: pkg/kubelet/container/helpers.go (ExpandContainerCommandAndArgs)
export function expandContainerCommandAndArgs(container: Container, envs: Array<{ name: string; value: string }>): { command?: string[]; args?: string[] } {
  const mapping = mappingFuncFor(Object.fromEntries(envs.map((e) => [e.name, e.value])));
  const out: { command?: string[]; args?: string[] } = {};
  if (container.command) out.command = container.command.map((c) => expand(c, mapping));
  if (container.args) out.args = container.args.map((a) => expand(a, mapping));
  return out;
}
