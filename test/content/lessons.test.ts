/**
 * The lessons in content/, read the way a demanding reader reads them: with the Go source and
 * the model open next to the page.
 *
 * - Code: every fenced ```ts / ```typescript block that imports from 'kubelab' type-checks
 *   against the public API (the generated src/lab/generated/kubelab.d.ts; strict, ES2022,
 *   module ESNext), and then runs against src/sim; a `console.log(x); // 5` line must print 5.
 *   Opt-outs go in the fence's info string, and should stay rare:
 *     ```ts nocheck   a deliberately partial block: neither type-checked nor run
 *     ```ts norun     type-checked, but not run (e.g. it waits on something that never comes)
 *   (documented for authors in content/reference/lab-format.md, "Code blocks in lessons").
 * - Links: every site-internal link goes to a lesson, /labs/ or /labs/<id>/ of an existing
 *   labs/<id>/lab.yaml (or a lab in PENDING_LABS, built on another branch); every GitHub link
 *   into kubernetes/client-go is pinned at v0.34.0, into kubernetes/kubernetes at v1.34.0 (and
 *   the other k8s.io staging repos at v0.34.0), controller-runtime at v0.22.0, x/time at v0.9.0, etcd-io/etcd and etcd-io/raft at v3.6.0, golang/go at go1.26.0.
 * - Shape: every lesson of start, workqueues, api-machinery, etcd, raft and informers has a diagram, at least two <CheckQuestion>s before
 *   its Review, a Review with 3-5 folded answers, and a lab link (or a
 *   `{/* no-lab: why *\/}` comment); every lab's `lesson:` is a lesson that links back.
 * - Names: backticked repository paths exist; backticked `workqueue.<event>` names are events
 *   the model emits.
 * Failures name the file and line in content/.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import {
  ROOT,
  codeBlocks,
  externalUrls,
  hasMetaFlag,
  internalLinks,
  lineAt,
  listContentFiles,
  listLabIds,
  withoutCode,
  type CodeBlock,
  type Link,
} from './content';
import { ensureTypings, expectations, importsKubelab, runBlock, typeCheck, where } from './snippets';

const files = listContentFiles();
/**
 * Labs that lessons may link before their folder exists: built on another branch at the same
 * time, they arrive when the branches are merged. A pending id that already exists is checked
 * like any other lab; once every one exists, empty this list.
 */
const PENDING_LABS: string[] = [
  // Labs a lesson may link to before they land on this branch.
];
const labIds = listLabIds();
const linkableLabs = [...new Set([...labIds, ...PENDING_LABS])].sort();
const routes = new Set(files.map((f) => f.route));
const allBlocks = files.flatMap((f) => codeBlocks(f.path, f.text));
const apiBlocks = allBlocks.filter(importsKubelab);
const checkedBlocks = apiBlocks.filter((b) => !hasMetaFlag(b.meta, 'nocheck'));
const runBlocks = checkedBlocks.filter((b) => !hasMetaFlag(b.meta, 'norun'));

// ---------------------------------------------------------------------------------------------
// Rules as functions, so the self-tests below can show that each one rejects a bad input.

/** Why a site-internal URL does not resolve, or undefined when it does. */
function brokenInternalLink(url: string, knownRoutes: Set<string>, labs: string[]): string | undefined {
  const path = url.replace(/[?#].*$/, '');
  if (path === '/') return knownRoutes.has('/') ? undefined : 'no home page';
  if (!path.endsWith('/')) return `${url}: site links end with '/' (the page is ${path}/)`;
  if (path === '/labs/') return undefined;
  const lab = /^\/labs\/([^/]+)\/$/.exec(path);
  if (lab) return labs.includes(lab[1]) ? undefined : `${url}: no lab '${lab[1]}' (labs/${lab[1]}/lab.yaml does not exist; labs: ${labs.join(', ')})`;
  return knownRoutes.has(path) ? undefined : `${url}: no lesson at ${path} (lessons: ${[...knownRoutes].join(', ')})`;
}

/** Staging repositories of Kubernetes, released as k8s.io modules with the client-go tag. */
const STAGING_REPOS = new Set([
  'client-go', 'apimachinery', 'api', 'apiserver', 'component-base', 'sample-controller', 'code-generator',
  'kube-openapi', 'controller-manager', 'kubectl', 'kubelet', 'kube-scheduler', 'kube-proxy', 'cri-api',
]);
const PINNED: Record<string, string> = { kubernetes: 'v1.34.0' };

/** Why a URL into a kubernetes/* GitHub repository is not pinned, or undefined when it is. */
function unpinnedUpstreamLink(url: string): string | undefined {
  const gh = /^https?:\/\/(?:www\.)?github\.com\/kubernetes\/([^/#?]+)(?:\/(blob|tree|raw|blame|commits)\/([^/#?]+))?/.exec(url);
  const raw = /^https?:\/\/raw\.githubusercontent\.com\/kubernetes\/([^/]+)\/([^/]+)\//.exec(url);
  const repo = gh?.[1] ?? raw?.[1];
  if (!repo) return undefined;
  const want = PINNED[repo] ?? (STAGING_REPOS.has(repo) ? 'v0.34.0' : undefined);
  if (!want) return undefined;
  const ref = gh ? gh[3] : raw![2];
  if (gh && !gh[2]) {
    // A repository page (github.com/kubernetes/client-go) names no file; anything deeper must be pinned.
    return /github\.com\/kubernetes\/[^/]+\/?(?:[#?].*)?$/.test(url) ? undefined : `${url}: link a file as /blob/${want}/<path>`;
  }
  return ref === want ? undefined : `${url}: pin kubernetes/${repo} at ${want}, not '${ref}'`;
}

/** Other upstream repositories the lessons cite, and the release they are pinned at. */
const OTHER_PINS: Record<string, string> = { 'kubernetes-sigs/controller-runtime': 'v0.22.0', 'golang/time': 'v0.9.0', 'etcd-io/etcd': 'v3.6.0', 'etcd-io/raft': 'v3.6.0', 'golang/go': 'go1.26.0' };

/** Why a GitHub file link into one of OTHER_PINS is not at its pinned release, or undefined. */
function unpinnedOtherLink(url: string): string | undefined {
  const m = /^https?:\/\/(?:www\.)?github\.com\/([^/#?]+\/[^/#?]+)\/(blob|tree)\/([^/#?]+)/.exec(url);
  if (!m || !(m[1] in OTHER_PINS)) return undefined;
  return m[3] === OTHER_PINS[m[1]] ? undefined : `${url}: pin ${m[1]} at ${OTHER_PINS[m[1]]}, not '${m[3]}'`;
}

/** The `## Review` section of a lesson (up to the next `## ` heading), or undefined. */
function reviewSection(text: string): { body: string; line: number } | undefined {
  const m = /^## Review\s*$/m.exec(text);
  if (!m) return undefined;
  const rest = text.slice(m.index + m[0].length);
  const next = /^## /m.exec(rest);
  return { body: next ? rest.slice(0, next.index) : rest, line: lineAt(text, m.index) };
}

const DIAGRAMS = new Set(
  readdirSync(join(ROOT, 'src/assets/diagrams'))
    .filter((f) => f.endsWith('.svg'))
    .map((f) => f.replace(/\.svg$/, '')),
);

/** Problems with a workqueues lesson's shape (diagram, review, lab), one message each. */
function lessonShapeProblems(path: string, text: string, labs: string[]): string[] {
  const problems: string[] = [];
  const prose = withoutCode(text);
  const diagrams = [...prose.matchAll(/<Diagram\s+name=["']([^"']+)["']/g)];
  for (const d of diagrams) {
    if (!DIAGRAMS.has(d[1])) problems.push(`${path}:${lineAt(prose, d.index)}: <Diagram name="${d[1]}"> has no src/assets/diagrams/${d[1]}.svg`);
  }
  if (diagrams.length === 0 && !/<svg[\s>]/.test(prose)) problems.push(`${path}: no diagram (<Diagram name="..."> or an inline <svg>)`);

  const review = reviewSection(prose);
  if (!review) problems.push(`${path}: no '## Review' section`);
  else {
    const details = [...review.body.matchAll(/<details>\s*<summary>[\s\S]*?<\/summary>[\s\S]*?<\/details>/g)];
    if (details.length < 3 || details.length > 5) {
      problems.push(`${path}:${review.line}: the Review has ${details.length} <details><summary> questions; expected 3 to 5`);
    }
  }

  const labLinks = internalLinks(path, text).filter((l) => /^\/labs\/[^/]+\//.test(l.url));
  const noLab = /\{\/\*\s*no-lab:\s*\S[\s\S]*?\*\/\}/.test(text);
  if (labLinks.length === 0 && !noLab) problems.push(`${path}: links no lab (/labs/<id>/) and has no {/* no-lab: why */} comment`);
  for (const l of labLinks) {
    const id = /^\/labs\/([^/]+)\//.exec(l.url)![1];
    if (!labs.includes(id)) problems.push(`${l.file}:${l.line}: links lab '${id}', which does not exist`);
  }
  return problems;
}

/**
 * Problems with a lesson's check questions: at least two `<CheckQuestion>` before the Review (a
 * short check right after each mechanism, not only questions at the end), each with content
 * (its explanation) and, when it has options, an `answer` index within them.
 */
function checkQuestionProblems(path: string, text: string): string[] {
  const prose = withoutCode(text);
  const review = /^## Review\s*$/m.exec(prose);
  const body = review ? prose.slice(0, review.index) : prose;
  // Attributes may hold `>` inside quoted strings and {[...]} arrays, so match those whole.
  const tag = /<CheckQuestion\b((?:"[^"]*"|'[^']*'|\{(?:[^{}'"]|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")*\}|[^>"'{/]|\/(?!>))*)(\/?)>/g;
  const checks = [...body.matchAll(tag)];
  const problems: string[] = [];
  if (checks.length < 2) problems.push(`${path}: ${checks.length} <CheckQuestion> before the Review; expected at least 2 (one after each mechanism)`);
  for (const c of checks) {
    const at = `${path}:${lineAt(prose, c.index)}`;
    if (c[2] === '/') problems.push(`${at}: <CheckQuestion /> has no explanation (write it between the tags)`);
    const options = /\boptions=\{\[([\s\S]*?)\]\}/.exec(c[1]);
    const answer = /\banswer=\{(\d+)\}/.exec(c[1]);
    if (options) {
      const count = [...options[1].matchAll(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g)].length;
      if (!answer || Number(answer[1]) >= count) problems.push(`${at}: answer={${answer?.[1] ?? '?'}} is not one of the ${count} options`);
    } else if (answer) problems.push(`${at}: answer={${answer[1]}} without options`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------

describe('lesson files', () => {
  it('are found, with the routes the site serves', () => {
    // Guards the parsers below: if nothing were found, every other test would pass vacuously.
    expect(files.map((f) => f.route)).toEqual(expect.arrayContaining(['/', '/start/control-loops/', '/workqueues/the-queue/', '/reference/lab-format/']));
    expect(files.filter((f) => f.path.startsWith('content/workqueues/')).length).toBeGreaterThanOrEqual(5);
    expect(apiBlocks.length, 'code blocks importing kubelab').toBeGreaterThanOrEqual(5);
  });
});

describe('code blocks that import kubelab', () => {
  let dtsPath = '';
  beforeAll(() => {
    dtsPath = ensureTypings();
  }, 60_000);

  it('type-check against the public API (strict, ES2022, ESNext modules)', () => {
    const diagnostics = typeCheck(checkedBlocks, dtsPath);
    expect(diagnostics, `type errors in lesson code:\n${diagnostics.join('\n')}`).toEqual([]);
  }, 60_000);

  it('opt out with nocheck rarely, and only in a ts block', () => {
    const optedOut = apiBlocks.filter((b) => hasMetaFlag(b.meta, 'nocheck')).map(where);
    expect(optedOut.length, `nocheck blocks: ${optedOut.join(', ')}`).toBeLessThanOrEqual(2);
    const stray = allBlocks.filter((b) => (hasMetaFlag(b.meta, 'nocheck') || hasMetaFlag(b.meta, 'norun')) && !importsKubelab(b)).map(where);
    expect(stray, 'nocheck/norun on a block that is not checked anyway').toEqual([]);
  });

  it('run against src/sim, and every `console.log(x) // value` prints that value', async () => {
    const api = (await import('../../src/sim/index')) as unknown as Record<string, unknown>;
    const problems: string[] = [];
    for (const block of runBlocks) {
      const res = await runBlock(block, api);
      if (res.error) problems.push(`${where(block)}: threw or hung: ${res.error}`);
      for (const exp of expectations(block.code)) {
        const at = `${block.file}:${block.line + 1 + exp.line}`;
        const seen = res.seen.filter((s) => s.line === exp.line);
        if (seen.length !== 1) problems.push(`${at}: the annotated console.log ran ${seen.length} times; expected once`);
        else if (!matches(seen[0].value, exp.expected)) problems.push(`${at}: the comment says ${exp.expected}, the model prints ${seen[0].value}`);
      }
    }
    expect(problems, problems.join('\n')).toEqual([]);
  }, 90_000); // every block of every lesson, plus loading kubelab: more than the default 20 s on a loaded machine
});

/** The printed value equals the comment's (a string may be written with or without quotes). */
function matches(printed: string, expected: string): boolean {
  const unquoted = expected.replace(/^(['"`])(.*)\1$/, '$2');
  return printed === expected || printed === unquoted || JSON.stringify(printed) === expected;
}

describe('links', () => {
  const links = files.flatMap((f) => internalLinks(f.path, f.text));

  it('site-internal links go to a lesson, /labs/ or an existing lab', () => {
    expect(links.length).toBeGreaterThan(20);
    const broken = links
      .map((l) => ({ l, why: brokenInternalLink(l.url, routes, linkableLabs) }))
      .filter((x) => x.why)
      .map(({ l, why }) => `${l.file}:${l.line}: ${why}`);
    expect(broken, broken.join('\n')).toEqual([]);
  });

  it('GitHub links to upstream code are pinned (client-go v0.34.0, kubernetes v1.34.0, controller-runtime v0.22.0, x/time v0.9.0, etcd and raft v3.6.0, Go go1.26.0)', () => {
    const urls: Link[] = files.flatMap((f) => externalUrls(f.path, f.text));
    expect(urls.filter((u) => /github\.com\/kubernetes\/(client-go|kubernetes)\//.test(u.url)).length).toBeGreaterThan(5);
    const unpinned = urls
      .map((u) => ({ u, why: unpinnedUpstreamLink(u.url) ?? unpinnedOtherLink(u.url) }))
      .filter((x) => x.why)
      .map(({ u, why }) => `${u.file}:${u.line}: ${why}`);
    expect(unpinned, unpinned.join('\n')).toEqual([]);
    const moving = urls.filter((u) => /github\.com\/kubernetes\/.*\/(blob|tree)\/(master|main)\//.test(u.url)).map((u) => `${u.file}:${u.line}: ${u.url}`);
    expect(moving).toEqual([]);
  });
});

describe('lessons of every module', () => {
  // Every module's lessons; the reference pages are not lessons.
  const lessons = files.filter((f) => /^content\/(?!reference\/)[^/]+\//.test(f.path));
  it('are found', () => {
    expect(lessons.length).toBeGreaterThanOrEqual(10);
  });
  for (const lesson of lessons) {
    it(`${lesson.path} has a diagram, check questions, a Review with folded answers, and a lab`, () => {
      const problems = [...lessonShapeProblems(lesson.path, lesson.text, linkableLabs), ...checkQuestionProblems(lesson.path, lesson.text)];
      expect(problems, problems.join('\n')).toEqual([]);
    });
  }
});

describe('labs and lessons', () => {
  for (const id of labIds) {
    it(`labs/${id}/lab.yaml names an existing lesson, which links back to the lab`, () => {
      const lab = load(readFileSync(join(ROOT, 'labs', id, 'lab.yaml'), 'utf8')) as { lesson?: unknown };
      expect(typeof lab.lesson, 'lesson: is a string').toBe('string');
      const route = `/${String(lab.lesson).replace(/^\/|\/$/g, '')}/`;
      expect([...routes], `labs/${id}/lab.yaml lesson: ${String(lab.lesson)}`).toContain(route);
      const lesson = files.find((f) => f.route === route)!;
      const backlinks = internalLinks(lesson.path, lesson.text).filter((l) => l.url.startsWith(`/labs/${id}/`));
      expect(backlinks.length, `${lesson.path} should link /labs/${id}/`).toBeGreaterThan(0);
    });
  }
});

describe('names the lessons use', () => {
  it('backticked repository paths exist', () => {
    const missing: string[] = [];
    for (const f of files) {
      for (const m of f.text.matchAll(/`((?:src|labs|test|scripts|bench)\/[A-Za-z0-9_./*<>-]+)`/g)) {
        const p = m[1];
        if (/[<>]/.test(p)) continue; // a pattern such as labs/<id>/lab.yaml
        if (p.startsWith('src/lab/generated/')) continue; // written by `npm run gen`, not in git
        const ok = p.includes('*') ? globExists(p) : existsSync(join(ROOT, p.replace(/\/$/, '')));
        if (!ok) missing.push(`${f.path}:${lineAt(f.text, m.index)}: ${p}`);
      }
    }
    expect(missing, missing.join('\n')).toEqual([]);
  });

  it('backticked workqueue.<event> names are events the model emits', () => {
    const emitted = new Set<string>();
    for (const file of readdirSync(join(ROOT, 'src/sim/workqueue'))) {
      if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
      for (const m of readFileSync(join(ROOT, 'src/sim/workqueue', file), 'utf8').matchAll(/emit\('(workqueue\.[A-Za-z]+)'/g)) emitted.add(m[1]);
    }
    expect(emitted.size).toBeGreaterThanOrEqual(10);
    const unknown: string[] = [];
    for (const f of files) {
      for (const m of f.text.matchAll(/`(workqueue\.[a-z][A-Za-z]*)`/g)) {
        if (!emitted.has(m[1])) unknown.push(`${f.path}:${lineAt(f.text, m.index)}: ${m[1]} (model emits ${[...emitted].sort().join(', ')})`);
      }
    }
    expect(unknown, unknown.join('\n')).toEqual([]);
  });
});

/** `src/sim/workqueue/*.test.ts`: at least one file matches (one `*` in the last segment). */
function globExists(pattern: string): boolean {
  const slash = pattern.lastIndexOf('/');
  const dir = join(ROOT, pattern.slice(0, slash));
  const re = new RegExp(`^${pattern.slice(slash + 1).replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  return existsSync(dir) && readdirSync(dir).some((f) => re.test(f));
}

// ---------------------------------------------------------------------------------------------
// Self-tests: each rule rejects what it should, so a green run means something.

describe('the rules themselves', () => {
  it('type-checking reports a misused API and a name that is not public, at the content line', () => {
    const block: CodeBlock = {
      file: 'content/x.mdx',
      line: 10,
      lang: 'ts',
      meta: '',
      code: "import { newQueue } from 'kubelab';\nconst q = newQueue<string>();\nq.add(42);\nq.addAfter('a', 5);",
    };
    const diags = typeCheck([block], ensureTypings()).join('\n');
    expect(diags).toMatch(/content\/x\.mdx:13 .*not assignable to parameter of type 'string'/);
    expect(diags).toMatch(/content\/x\.mdx:14 .*addAfter/);
  }, 120_000);

  it('running catches a wrong expectation comment and a block that hangs', async () => {
    const api = (await import('../../src/sim/index')) as unknown as Record<string, unknown>;
    const wrong: CodeBlock = { file: 'x', line: 1, lang: 'ts', meta: '', code: "import { newQueue } from 'kubelab';\nconst q = newQueue<string>();\nq.add('a'); q.add('a');\nconsole.log(q.len()); // 2" };
    const res = await runBlock(wrong, api);
    expect(res.seen).toEqual([{ line: 3, value: '1' }]);
    expect(matches(res.seen[0].value, '2')).toBe(false);
    expect(expectations('console.log(x); // 1: ready, added now\nconsole.log(y); // "a b:c" (quoted)')).toEqual([
      { line: 0, expected: '1' },
      { line: 1, expected: '"a b:c"' },
    ]);
    expect(matches('a b:c', '"a b:c"')).toBe(true);
    const hang: CodeBlock = { file: 'x', line: 1, lang: 'ts', meta: '', code: "import { newQueue } from 'kubelab';\nawait newQueue<string>().get();" };
    expect((await runBlock(hang, api, 100)).error).toMatch(/did not finish/);
  });

  it('link rules reject unknown pages and labs, missing slashes, and moving upstream refs', () => {
    const known = new Set(['/', '/workqueues/the-queue/']);
    expect(brokenInternalLink('/workqueues/the-queue/#get', known, ['workqueue-dedup'])).toBeUndefined();
    expect(brokenInternalLink('/labs/workqueue-dedup/', known, ['workqueue-dedup'])).toBeUndefined();
    expect(brokenInternalLink('/workqueues/nope/', known, [])).toMatch(/no lesson/);
    expect(brokenInternalLink('/labs/nope/', known, ['workqueue-dedup'])).toMatch(/no lab 'nope'/);
    expect(brokenInternalLink('/workqueues/the-queue', known, [])).toMatch(/end with/);
    expect(unpinnedUpstreamLink('https://github.com/kubernetes/client-go/blob/v0.34.0/util/workqueue/queue.go')).toBeUndefined();
    expect(unpinnedUpstreamLink('https://github.com/kubernetes/client-go/blob/master/util/workqueue/queue.go')).toMatch(/v0\.34\.0/);
    expect(unpinnedUpstreamLink('https://github.com/kubernetes/kubernetes/blob/v0.34.0/pkg/controller/x.go')).toMatch(/v1\.34\.0/);
    expect(unpinnedUpstreamLink('https://github.com/kubernetes/kubernetes/tree/main/staging')).toMatch(/v1\.34\.0/);
    expect(unpinnedUpstreamLink('https://raw.githubusercontent.com/kubernetes/client-go/master/go.mod')).toMatch(/v0\.34\.0/);
    expect(unpinnedUpstreamLink('https://github.com/kubernetes/client-go/issues/1')).toMatch(/blob/);
    expect(unpinnedUpstreamLink('https://github.com/kubernetes/client-go')).toBeUndefined();
    expect(unpinnedOtherLink('https://github.com/kubernetes-sigs/controller-runtime/blob/v0.22.0/pkg/reconcile/reconcile.go')).toBeUndefined();
    expect(unpinnedOtherLink('https://github.com/kubernetes-sigs/controller-runtime/blob/main/pkg/reconcile/reconcile.go')).toMatch(/v0\.22\.0/);
    expect(unpinnedOtherLink('https://github.com/golang/time/blob/master/rate/rate.go')).toMatch(/v0\.9\.0/);
    expect(unpinnedOtherLink('https://github.com/etcd-io/etcd/blob/v3.6.0/server/lease/lessor.go')).toBeUndefined();
    expect(unpinnedOtherLink('https://github.com/etcd-io/etcd/blob/main/server/lease/lessor.go')).toMatch(/v3\.6\.0/);
    expect(unpinnedOtherLink('https://github.com/etcd-io/raft/blob/v3.6.0/raft.go')).toBeUndefined();
    expect(unpinnedOtherLink('https://github.com/etcd-io/raft/blob/main/raft.go')).toMatch(/etcd-io\/raft at v3\.6\.0/);
    expect(unpinnedOtherLink('https://github.com/etcd-io/raft/tree/v3.5.0/tracker')).toMatch(/v3\.6\.0/);
  });

  it('the check-question rule wants two checks before the Review, each explained, with a valid answer', () => {
    const ok = ['<CheckQuestion question="is `a > b`?" options={[\'x > 1\', \'y\']} answer={1}>\n\nWhy.\n\n</CheckQuestion>', '<CheckQuestion question="b?">\nB.\n</CheckQuestion>', '## Review'].join('\n');
    expect(checkQuestionProblems('ok.mdx', ok)).toEqual([]);
    expect(checkQuestionProblems('one.mdx', '<CheckQuestion question="a?">A</CheckQuestion>\n## Review\n<CheckQuestion question="b?">B</CheckQuestion>').join('\n')).toMatch(/1 <CheckQuestion> before the Review/);
    const bad = checkQuestionProblems('bad.mdx', ok.replace('answer={1}', 'answer={2}').replace('<CheckQuestion question="b?">', '<CheckQuestion question="b?" />')).join('\n');
    expect(bad).toMatch(/answer=\{2\} is not one of the 2 options/);
    expect(bad).toMatch(/has no explanation/);
  });

  it('the shape rule wants a diagram, 3-5 folded review answers and a lab', () => {
    const good = [
      '<Diagram name="queue-sets" />',
      '## Review',
      ...[1, 2, 3].map((i) => `<details>\n<summary>Q${i}</summary>\nA\n</details>`),
      '[lab](/labs/workqueue-dedup/)',
    ].join('\n');
    expect(lessonShapeProblems('g.mdx', good, ['workqueue-dedup'])).toEqual([]);
    const bad = '<Diagram name="nope" />\n## Review\n<details><summary>Q</summary>A</details>\n';
    const problems = lessonShapeProblems('b.mdx', bad, ['workqueue-dedup']).join('\n');
    expect(problems).toMatch(/nope\.svg/);
    expect(problems).toMatch(/1 <details>/);
    expect(problems).toMatch(/links no lab/);
    expect(lessonShapeProblems('n.mdx', good.replace('[lab](/labs/workqueue-dedup/)', '{/* no-lab: the concept needs no code */}'), [])).toEqual([]);
  });
});
