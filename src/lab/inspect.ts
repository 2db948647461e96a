/**
 * Text for console output, close to what node's util.inspect prints: strings bare at the top
 * level and quoted inside objects, `Map(2) { 'a' => 1 }`, `Set(1) { 'a' }`, class names before
 * instances, `[Circular]`, depth-limited nesting, and printf-style `%s %d %i %f %o %O %j %%`.
 */

export interface InspectOptions {
  /** Nesting levels shown before `[Object]` / `[Array]` (node's default is 2). */
  depth?: number;
  /** Objects longer than this (default 80) are printed one entry per line. */
  breakLength?: number;
}

/** Formats console arguments the way `console.log(...args)` would. */
export function formatArgs(args: unknown[], opts: InspectOptions = {}): string {
  if (args.length === 0) return '';
  const parts: string[] = [];
  let rest = args;
  if (typeof args[0] === 'string' && args[0].includes('%')) {
    const [text, used] = applyFormat(args[0], args.slice(1), opts);
    parts.push(text);
    rest = args.slice(1 + used);
  } else {
    parts.push(typeof args[0] === 'string' ? args[0] : inspect(args[0], opts));
    rest = args.slice(1);
  }
  for (const a of rest) parts.push(typeof a === 'string' ? a : inspect(a, opts));
  return parts.join(' ');
}

function applyFormat(fmt: string, args: unknown[], opts: InspectOptions): [string, number] {
  let used = 0;
  const text = fmt.replace(/%([sdifoOjc%])/g, (whole, spec: string) => {
    if (spec === '%') return '%';
    if (used >= args.length) return whole;
    const a = args[used++];
    switch (spec) {
      case 's':
        return typeof a === 'string' ? a : typeof a === 'object' && a !== null ? inspect(a, { ...opts, depth: 1 }) : String(a);
      case 'd':
      case 'i': {
        if (typeof a === 'bigint') return `${a}n`;
        const n = Number(a);
        return String(spec === 'i' ? Math.trunc(n) : n);
      }
      case 'f':
        return String(Number(a));
      case 'j':
        try {
          return JSON.stringify(a) ?? 'undefined';
        } catch {
          return '[Circular]';
        }
      case 'c':
        return '';
      default:
        return inspect(a, opts);
    }
  });
  return [text, used];
}

/** One value as text (strings quoted), like util.inspect. */
export function inspect(value: unknown, opts: InspectOptions = {}): string {
  const depth = opts.depth ?? 2;
  const breakLength = opts.breakLength ?? 80;
  return format(value, depth, new Set(), 0, breakLength);
}

function quote(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  const escaped = s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t');
  return q + (q === "'" ? escaped.replace(/'/g, "\\'") : escaped) + q;
}

function formatKey(key: string | symbol): string {
  if (typeof key === 'symbol') return `[${key.toString()}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : quote(key);
}

function format(value: unknown, depth: number, seen: Set<object>, indent: number, breakLength: number): string {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'symbol':
      return value.toString();
    case 'function': {
      const src = Function.prototype.toString.call(value);
      const name = value.name;
      if (/^class\b/.test(src)) return `[class ${name || '(anonymous)'}]`;
      return name ? `[Function: ${name}]` : '[Function (anonymous)]';
    }
  }
  if (value === null) return 'null';
  const obj = value as object;
  if (seen.has(obj)) return '[Circular]';
  if (obj instanceof Error) return obj.stack ?? `${obj.name}: ${obj.message}`;
  if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString();
  if (obj instanceof RegExp) return String(obj);
  if (obj instanceof Promise) return 'Promise { <pending?> }';

  const ctor = constructorName(obj);
  let open: string;
  let entries: string[];
  const recurse = (v: unknown) => format(v, depth - 1, seen, indent + 2, breakLength);
  seen.add(obj);
  try {
    if (Array.isArray(obj)) {
      if (depth < 0) return '[Array]';
      open = ctor === 'Array' ? '' : `${ctor}(${obj.length}) `;
      entries = obj.slice(0, 100).map(recurse);
      if (obj.length > 100) entries.push(`... ${obj.length - 100} more items`);
      return wrap(open, '[', ']', entries, indent, breakLength);
    }
    if (obj instanceof Map) {
      if (depth < 0) return '[Map]';
      entries = [...obj].map(([k, v]) => `${recurse(k)} => ${recurse(v)}`);
      return wrap(`${ctor}(${obj.size}) `, '{', '}', entries, indent, breakLength);
    }
    if (obj instanceof Set) {
      if (depth < 0) return '[Set]';
      entries = [...obj].map(recurse);
      return wrap(`${ctor}(${obj.size}) `, '{', '}', entries, indent, breakLength);
    }
    if (depth < 0) return `[${ctor ?? 'Object'}]`;
    const keys: Array<string | symbol> = [...Object.keys(obj), ...Object.getOwnPropertySymbols(obj)];
    entries = keys.map((k) => `${formatKey(k)}: ${recurse((obj as Record<string | symbol, unknown>)[k])}`);
    open = ctor === 'Object' ? '' : ctor ? `${ctor} ` : '[Object: null prototype] ';
    if (entries.length === 0) return `${open}{}`;
    return wrap(open, '{', '}', entries, indent, breakLength);
  } finally {
    seen.delete(obj);
  }
}

function constructorName(obj: object): string | undefined {
  const proto = Object.getPrototypeOf(obj);
  if (proto === null) return undefined;
  const name = proto.constructor?.name;
  return typeof name === 'string' && name ? name : 'Object';
}

function wrap(prefix: string, open: string, close: string, entries: string[], indent: number, breakLength: number): string {
  if (entries.length === 0) return `${prefix}${open}${close}`;
  const single = `${prefix}${open} ${entries.join(', ')} ${close}`;
  if (single.length + indent <= breakLength && !single.includes('\n')) return single;
  const pad = ' '.repeat(indent + 2);
  return `${prefix}${open}\n${entries.map((e) => pad + e).join(',\n')}\n${' '.repeat(indent)}${close}`;
}
