#!/usr/bin/env node
// Generates src/lab/generated/kubelab.d.ts: `declare module 'kubelab' { ... }` holding the public
// API of src/sim/index.ts and nothing else, for Monaco (completion, diagnostics) and for tsc
// checks of lab code. How:
//   1. emit declarations for src/sim into memory with the TypeScript compiler API;
//   2. follow src/sim/index.ts's exports (`export *`, `export { a as b } from`, local exports)
//      to the declarations they name;
//   3. copy those declarations, plus every declaration they refer to (transitively), into one
//      module block; only the public names get `export`, helpers stay unexported (and are
//      renamed if two files use the same name).
// New models only need to be exported from src/sim/index.ts.
//
//   node scripts/gen-dts.mjs [--out PATH] [--check]
//   --check: exit 1 if the file on disk differs from what would be generated.
import ts from 'typescript';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = resolve(ROOT, 'src/sim/index.ts');
const MODULE_NAME = 'kubelab';

export function generateDts(entry = ENTRY) {
  const declarations = emitDeclarations(entry);
  const files = new Map();
  const fileOf = (tsPath) => {
    const dtsText = declarations.get(tsPath);
    if (dtsText === undefined) throw new Error(`gen-dts: no declarations were emitted for ${tsPath}`);
    if (!files.has(tsPath)) files.set(tsPath, analyse(tsPath, dtsText));
    return files.get(tsPath);
  };

  // Resolve a name exported by a module to the declaration that defines it: { file, local }.
  const resolveExport = (tsPath, name, seen = new Set()) => {
    const key = `${tsPath}#${name}`;
    if (seen.has(key)) return undefined;
    seen.add(key);
    const f = fileOf(tsPath);
    const direct = f.exports.get(name);
    if (direct) {
      if (direct.from) return resolveExport(direct.from, direct.name, seen);
      return resolveLocal(tsPath, direct.local, seen);
    }
    for (const star of f.starExports) {
      const found = resolveExport(star, name, seen);
      if (found) return found;
    }
    return undefined;
  };
  // Resolve a name used inside a file: a local declaration, or an import.
  const resolveLocal = (tsPath, name, seen = new Set()) => {
    const f = fileOf(tsPath);
    if (f.locals.has(name)) return { file: tsPath, local: name };
    const imp = f.imports.get(name);
    if (imp) {
      if (imp.external) return { external: imp };
      return resolveExport(imp.from, imp.name, seen);
    }
    return undefined; // a global (Promise, Map, ...)
  };
  // The declaration a reference found by collectRefs points at.
  const refTarget = (tsPath, f, ref) => {
    if (ref.id) return resolveLocal(tsPath, ref.id.text);
    const from = f.resolveSpecifier(ref.spec);
    if (!from) return { external: { module: ref.spec, name: ref.name, local: ref.name } };
    return resolveExport(from, ref.name);
  };
  const exportNames = (tsPath, seen = new Set()) => {
    if (seen.has(tsPath)) return [];
    seen.add(tsPath);
    const f = fileOf(tsPath);
    const names = [...f.exports.keys()];
    for (const star of f.starExports) for (const n of exportNames(star, seen)) if (n !== 'default') names.push(n);
    return [...new Set(names)];
  };

  // 1. Public names.
  const publicByKey = new Map(); // declKey -> [exported names]
  for (const name of exportNames(entry)) {
    const target = resolveExport(entry, name);
    if (!target || target.external) throw new Error(`gen-dts: cannot resolve export '${name}' of src/sim/index.ts`);
    const key = `${target.file}#${target.local}`;
    if (!publicByKey.has(key)) publicByKey.set(key, []);
    publicByKey.get(key).push(name);
  }

  // 2. Everything the public declarations refer to.
  const included = new Map(); // declKey -> { file, local }
  const externalImports = new Map(); // "module#name" -> { module, name, local }
  const work = [...publicByKey.keys()].map((k) => splitKey(k));
  while (work.length) {
    const d = work.pop();
    const key = `${d.file}#${d.local}`;
    if (included.has(key)) continue;
    included.set(key, d);
    const f = fileOf(d.file);
    for (const stmt of f.locals.get(d.local)) {
      for (const ref of collectRefs(stmt)) {
        const target = refTarget(d.file, f, ref);
        if (!target) continue;
        if (target.external) externalImports.set(`${target.external.module}#${target.external.name}`, target.external);
        else work.push(target);
      }
    }
  }

  // 3. Output names: public declarations keep their (first) exported name; helpers keep
  //    their own name unless it collides.
  const outName = new Map();
  const taken = new Set();
  for (const [key, names] of publicByKey) {
    outName.set(key, names[0]);
    taken.add(names[0]);
  }
  for (const key of included.keys()) {
    if (outName.has(key)) continue;
    let name = splitKey(key).local;
    for (let i = 2; taken.has(name); i++) name = `${splitKey(key).local}_${i}`;
    outName.set(key, name);
    taken.add(name);
  }

  // 4. Print, file by file in a stable order, statements in source order.
  const body = [];
  for (const [tsPath, f] of files) {
    const keys = [...included.keys()].filter((k) => splitKey(k).file === tsPath);
    if (keys.length === 0) continue;
    const stmts = new Set();
    for (const k of keys) for (const s of f.locals.get(splitKey(k).local)) stmts.add(s);
    const ordered = [...stmts].sort((a, b) => a.pos - b.pos);
    for (const stmt of ordered) {
      body.push(
        rewriteStatement(f, stmt, (ref) => {
          const target = refTarget(tsPath, f, ref);
          if (!target) return undefined;
          if (target.external) return target.external.local;
          return outName.get(`${target.file}#${target.local}`);
        }, (local) => outName.get(`${tsPath}#${local}`), (local) => publicByKey.has(`${tsPath}#${local}`)),
      );
    }
  }
  const aliases = [];
  for (const [key, names] of publicByKey) {
    for (const alias of names.slice(1)) aliases.push(`${outName.get(key)} as ${alias}`);
  }

  const lines = [
    '// Generated by scripts/gen-dts.mjs from src/sim/index.ts (npm run gen). Do not edit.',
    '// The public API that learner code imports as `kubelab`.',
    `declare module '${MODULE_NAME}' {`,
    ...[...externalImports.values()].map((e) => `  import { ${e.name === e.local ? e.name : `${e.name} as ${e.local}`} } from '${e.module}';`),
    ...body.map((text) => indent(text)),
    ...(aliases.length ? [`  export { ${aliases.join(', ')} };`] : []),
    '  export {};',
    '}',
    '',
  ];
  return lines.join('\n');
}

function splitKey(key) {
  const i = key.lastIndexOf('#');
  return { file: key.slice(0, i), local: key.slice(i + 1) };
}

function indent(text) {
  return text
    .split('\n')
    .map((l) => (l.trim() ? `  ${l}` : ''))
    .join('\n');
}

/** Emits .d.ts text for every file of the program rooted at `entry`, keyed by .ts path. */
function emitDeclarations(entry) {
  const options = {
    declaration: true,
    emitDeclarationOnly: true,
    stripInternal: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    strict: true,
    skipLibCheck: true,
    types: [],
    lib: ['lib.es2022.d.ts'],
  };
  const host = ts.createCompilerHost(options);
  const out = new Map();
  host.writeFile = (fileName, text, _bom, _onError, sources) => {
    for (const sf of sources ?? []) out.set(resolve(sf.fileName), text);
  };
  const program = ts.createProgram([entry], options, host);
  const result = program.emit(undefined, undefined, undefined, true);
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics].filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (diagnostics.length) {
    const text = ts.formatDiagnostics(diagnostics, {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => ROOT,
      getNewLine: () => '\n',
    });
    throw new Error(`gen-dts: src/sim does not compile:\n${text}`);
  }
  return out;
}

/** Top-level structure of one emitted .d.ts: declarations, imports and exports. */
function analyse(tsPath, dtsText) {
  const sf = ts.createSourceFile(tsPath.replace(/\.ts$/, '.d.ts'), dtsText, ts.ScriptTarget.ES2022, true);
  const locals = new Map(); // name -> statements (overloads and merged declarations)
  const imports = new Map(); // local name -> { from, name } | { external, module, name, local }
  const exports = new Map(); // exported name -> { local } | { from, name }
  const starExports = [];
  const resolveSpecifier = (spec) => {
    if (!spec.startsWith('.')) return undefined;
    let p = resolve(dirname(tsPath), spec);
    if (!p.endsWith('.ts')) p = existsSync(`${p}.ts`) ? `${p}.ts` : resolve(p, 'index.ts');
    return p;
  };
  const addLocal = (name, stmt) => {
    if (!locals.has(name)) locals.set(name, []);
    locals.get(name).push(stmt);
  };
  const isExported = (stmt) => ts.getModifiers?.(stmt)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

  for (const stmt of sf.statements) {
    if (ts.isImportDeclaration(stmt)) {
      const spec = stmt.moduleSpecifier.text;
      const from = resolveSpecifier(spec);
      const clause = stmt.importClause;
      if (!clause) continue;
      if (clause.name) throw new Error(`gen-dts: default imports are not supported (${tsPath}: ${spec})`);
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) throw new Error(`gen-dts: namespace imports are not supported (${tsPath}: ${spec})`);
      for (const el of bindings?.elements ?? []) {
        const name = (el.propertyName ?? el.name).text;
        const local = el.name.text;
        imports.set(local, from ? { from, name } : { external: true, module: spec, name, local });
      }
    } else if (ts.isExportDeclaration(stmt)) {
      const spec = stmt.moduleSpecifier?.text;
      const from = spec ? resolveSpecifier(spec) : undefined;
      if (spec && !from) throw new Error(`gen-dts: re-exports from packages are not supported (${tsPath}: ${spec})`);
      if (!stmt.exportClause) {
        starExports.push(from);
      } else if (ts.isNamespaceExport(stmt.exportClause)) {
        throw new Error(`gen-dts: \`export * as ns\` is not supported (${tsPath}: ${spec})`);
      } else {
        for (const el of stmt.exportClause.elements) {
          const name = (el.propertyName ?? el.name).text;
          exports.set(el.name.text, from ? { from, name } : { local: name });
        }
      }
    } else if (ts.isExportAssignment(stmt)) {
      // `export default x`: not part of the learner-facing API.
    } else if (ts.isVariableStatement(stmt)) {
      for (const d of stmt.declarationList.declarations) {
        if (!ts.isIdentifier(d.name)) throw new Error(`gen-dts: destructured exports are not supported (${tsPath})`);
        addLocal(d.name.text, stmt);
        if (isExported(stmt)) exports.set(d.name.text, { local: d.name.text });
      }
    } else if (stmt.name && ts.isIdentifier(stmt.name)) {
      addLocal(stmt.name.text, stmt);
      if (isExported(stmt)) exports.set(stmt.name.text, { local: stmt.name.text });
    }
  }
  // `import { a } ...; export { a }` re-exports an import.
  for (const [name, e] of exports) {
    if (e.local && !locals.has(e.local) && imports.has(e.local)) {
      const imp = imports.get(e.local);
      if (!imp.external) exports.set(name, { from: imp.from, name: imp.name });
    }
  }
  return { sf, locals, imports, exports, starExports, resolveSpecifier };
}

/**
 * What a declaration refers to: identifiers in type references, heritage clauses and `typeof`
 * queries (`{ id }`), and `import("./x").Name` types (`{ node, spec, name }`). Type parameters
 * (including `infer` and mapped-type keys) shadow outer names and are skipped.
 */
function collectRefs(stmt) {
  const refs = [];
  const visit = (node, shadowed) => {
    const params = node.typeParameters;
    if (params && params.length) shadowed = new Set([...shadowed, ...params.map((p) => p.name.text)]);
    if (ts.isInferTypeNode(node) || ts.isMappedTypeNode(node)) shadowed = new Set([...shadowed, node.typeParameter.name.text]);
    if (ts.isTypeReferenceNode(node) || ts.isExpressionWithTypeArguments(node) || ts.isTypeQueryNode(node)) {
      const id = leftmost(ts.isTypeReferenceNode(node) ? node.typeName : ts.isTypeQueryNode(node) ? node.exprName : node.expression);
      if (id && !shadowed.has(id.text)) refs.push({ id });
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      const spec = ts.isLiteralTypeNode(arg) && ts.isStringLiteral(arg.literal) ? arg.literal.text : undefined;
      const first = node.qualifier ? leftmost(node.qualifier) : undefined;
      if (!spec || !first || node.isTypeOf) throw new Error(`gen-dts: unsupported import type: ${node.getText()}`);
      refs.push({ node, spec, name: first.text, qualifierStart: first });
    }
    ts.forEachChild(node, (child) => visit(child, shadowed));
  };
  visit(stmt, new Set());
  return refs;
}

function leftmost(name) {
  while (name && (ts.isQualifiedName(name) || ts.isPropertyAccessExpression(name))) name = ts.isQualifiedName(name) ? name.left : name.expression;
  return name && ts.isIdentifier(name) ? name : undefined;
}

/**
 * The statement's text (with its doc comment) inside the module block: `export`, `declare` and
 * `default` modifiers removed, `export` added for public names, names and references renamed.
 */
function rewriteStatement(f, stmt, renameRef, ownOutName, isPublic) {
  const { sf } = f;
  const leading = ts.getLeadingCommentRanges(sf.text, stmt.getFullStart()) ?? [];
  const docStart = leading.length ? leading[0].pos : stmt.getStart(sf);
  const edits = [];
  const replace = (start, end, text) => edits.push({ start, end, text });
  for (const m of ts.getModifiers?.(stmt) ?? []) {
    if (m.kind === ts.SyntaxKind.ExportKeyword || m.kind === ts.SyntaxKind.DeclareKeyword || m.kind === ts.SyntaxKind.DefaultKeyword) {
      let end = m.getEnd();
      while (/\s/.test(sf.text[end])) end++;
      replace(m.getStart(sf), end, '');
    }
  }
  const declNames = ts.isVariableStatement(stmt) ? stmt.declarationList.declarations.map((d) => d.name) : stmt.name ? [stmt.name] : [];
  for (const id of declNames) {
    const renamed = ownOutName(id.text);
    if (renamed && renamed !== id.text) replace(id.getStart(sf), id.getEnd(), renamed);
  }
  for (const ref of collectRefs(stmt)) {
    const renamed = renameRef(ref);
    if (ref.id) {
      if (renamed && renamed !== ref.id.text) replace(ref.id.getStart(sf), ref.id.getEnd(), renamed);
    } else {
      // import("./x").A.B<T>  ->  A'.B<T>
      if (!renamed) throw new Error(`gen-dts: cannot resolve ${ref.node.getText(sf)}`);
      replace(ref.node.getStart(sf), ref.qualifierStart.getEnd(), renamed);
    }
  }
  const ownName = declNames[0]?.text;
  if (ownName !== undefined && isPublic(ownName)) replace(stmt.getStart(sf), stmt.getStart(sf), 'export ');
  // Apply from the end so offsets stay valid; the insertion at the start comes last.
  edits.sort((a, b) => b.start - a.start || b.end - a.end);
  let text = sf.text.slice(docStart, stmt.getEnd());
  for (const e of edits) text = text.slice(0, e.start - docStart) + e.text + text.slice(e.end - docStart);
  return text;
}

// CLI
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const outIdx = args.indexOf('--out');
  const out = outIdx >= 0 ? resolve(args[outIdx + 1]) : resolve(ROOT, 'src/lab/generated/kubelab.d.ts');
  const text = generateDts();
  if (args.includes('--check')) {
    const current = existsSync(out) ? readFileSync(out, 'utf8') : '';
    if (current !== text) {
      console.error(`${out} is out of date: run npm run gen`);
      process.exit(1);
    }
  } else {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, text);
    console.log(`gen-dts: wrote ${out.replace(`${ROOT}/`, '')} (${text.split('\n').length} lines)`);
  }
}
