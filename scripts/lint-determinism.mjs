#!/usr/bin/env node
// The determinism rule: code under src/sim/ takes time and randomness only from what is
// injected (FakeClock, rngFromSeed). This walks the TypeScript AST of every src/sim/**/*.ts
// (tests excluded) and reports each use of a wall clock, a real timer or Math.random with its
// file:line:col. Exit code 1 when anything is found.
import ts from 'typescript';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `object.property` accesses that read real time or real randomness. */
const BANNED_MEMBERS = new Map([
  ['Math.random', 'use an injected Rng (rngFromSeed(seed).fork(label))'],
  ['Date.now', 'use an injected FakeClock (clock.now())'],
  ['performance.now', 'use an injected FakeClock (clock.now())'],
  ['crypto.getRandomValues', 'use an injected Rng'],
  ['crypto.randomUUID', 'use an injected Rng'],
]);
/** Globals that schedule work on real time. */
const BANNED_CALLS = new Map([
  ['setTimeout', 'use clock.afterFunc(ms, fn)'],
  ['setInterval', 'use clock.afterFunc and re-arm it'],
  ['setImmediate', 'use settle() or the event loop'],
  ['requestAnimationFrame', 'models never touch the DOM'],
]);
const GLOBAL_OBJECTS = new Set(['globalThis', 'window', 'self', 'global']);

/** Returns the violations in one source text. */
export function lintSource(fileName, text) {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found = [];
  const report = (node, what, fix) => {
    const { line, character } = source.getLineAndCharacterOfPosition(node.getStart(source));
    const lineText = text.split('\n')[line] ?? '';
    if (lineText.includes('allow-nondeterminism')) return;
    found.push({ file: fileName, line: line + 1, column: character + 1, message: `${what} is not allowed in src/sim: ${fix}` });
  };
  const memberName = (node) => {
    // `Math.random`, `globalThis.Math.random`, `Date['now']`
    if (ts.isPropertyAccessExpression(node)) {
      const left = node.expression;
      const right = node.name.text;
      if (ts.isIdentifier(left)) return `${left.text}.${right}`;
      if (ts.isPropertyAccessExpression(left) && ts.isIdentifier(left.expression) && GLOBAL_OBJECTS.has(left.expression.text)) {
        return `${left.name.text}.${right}`;
      }
    }
    if (ts.isElementAccessExpression(node) && ts.isIdentifier(node.expression) && ts.isStringLiteral(node.argumentExpression)) {
      return `${node.expression.text}.${node.argumentExpression.text}`;
    }
    return undefined;
  };
  const visit = (node) => {
    const member = memberName(node);
    if (member && BANNED_MEMBERS.has(member)) report(node, member, BANNED_MEMBERS.get(member));
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && GLOBAL_OBJECTS.has(node.expression.text) && BANNED_CALLS.has(node.name.text)) {
      report(node, `${node.expression.text}.${node.name.text}`, BANNED_CALLS.get(node.name.text));
    }
    if (ts.isIdentifier(node) && BANNED_CALLS.has(node.text)) {
      const parent = node.parent;
      const isPropertyName = (ts.isPropertyAccessExpression(parent) && parent.name === node) || ts.isPropertyAssignment(parent) && parent.name === node || ts.isMethodDeclaration(parent) || ts.isPropertySignature(parent) || ts.isMethodSignature(parent);
      if (!isPropertyName) report(node, node.text, BANNED_CALLS.get(node.text));
    }
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Date' && (!node.arguments || node.arguments.length === 0)) {
      report(node, 'new Date()', 'use an injected FakeClock (clock.now())');
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else if (/\.ts$/.test(name) && !/\.(test|spec|bench)\.ts$/.test(name) && !/\.d\.ts$/.test(name)) yield path;
  }
}

export function lintTree(root) {
  const out = [];
  for (const file of walk(root)) out.push(...lintSource(relative(process.cwd(), file), readFileSync(file, 'utf8')));
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = process.argv[2] ?? 'src/sim';
  const problems = lintTree(root);
  for (const p of problems) console.error(`${p.file}:${p.line}:${p.column}  ${p.message}`);
  if (problems.length) {
    console.error(`\nlint-determinism: ${problems.length} problem(s) in ${root}`);
    process.exit(1);
  }
  console.log(`lint-determinism: ${root} is deterministic (no wall clock, real timers or Math.random)`);
}
