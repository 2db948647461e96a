import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PhaseError } from '../preflight/phase';
import type { Phase } from './phase';
import { Runner, RunConditionError } from './runner';

type P = Phase<string[]>;
const phase = (name: string, ...phases: P[]): P => ({ name, short: `long description for ${name} ...`, phases, run: (log) => void log.push(cleanLeaf(name)) });
const cleanLeaf = (n: string) => n.split(' ')[0];
const runner = (...phases: P[]) => {
  const r = new Runner<string[]>();
  for (const p of phases) r.appendPhase(p);
  return r;
};
const fooBarBazQux = () => runner(phase('foo', phase('bar'), phase('baz')), phase('qux'));

describe('workflow runner (after cmd/kubeadm/app/cmd/phases/workflow/runner_test.go)', () => {
  it.each([
    ['no options > all phases', {}, { foo: true, 'foo/bar': true, 'foo/baz': true, qux: true }],
    ['options can filter phases', { filterPhases: ['foo/baz', 'qux'] }, { foo: false, 'foo/bar': false, 'foo/baz': true, qux: true }],
    ['options can filter phases - hierarchy is considered', { filterPhases: ['foo'] }, { foo: true, 'foo/bar': true, 'foo/baz': true, qux: false }],
    ['options can skip phases', { skipPhases: ['foo/bar', 'qux'] }, { foo: true, 'foo/bar': false, 'foo/baz': true, qux: false }],
    ['options can skip phases - hierarchy is considered', { skipPhases: ['foo'] }, { foo: false, 'foo/bar': false, 'foo/baz': false, qux: true }],
    ['skip options have higher precedence than filter options', { filterPhases: ['foo'], skipPhases: ['foo/bar'] }, { foo: true, 'foo/bar': false, 'foo/baz': true, qux: false }],
  ])('TestComputePhaseRunFlags: %s', (_name, opts, expected) => {
    expect(Object.fromEntries(fooBarBazQux().computePhaseRunFlags(opts))).toEqual(expected);
  });

  it.each([
    ['invalid filter option', { filterPhases: ['invalid'] }],
    ['invalid skip option', { skipPhases: ['invalid'] }],
  ])('TestComputePhaseRunFlags: %s', async (_name, opts) => {
    expect(() => fooBarBazQux().computePhaseRunFlags(opts)).toThrow('invalid phase name: invalid');
    const err = await fooBarBazQux().run([], opts);
    expect(err?.message).toBe('invalid phase name: invalid');
    expect(err).not.toBeInstanceOf(PhaseError);
  });

  it.each([
    ['Run respect runCondition', {}, ['foo', 'bar', 'qux']],
    ['Run takes options into account', { filterPhases: ['foo'], skipPhases: ['foo/baz'] }, ['foo', 'bar']],
  ])('TestRunOrderAndConditions: %s', async (_name, opts, order) => {
    const when = (p: P, ok: boolean): P => ({ ...p, runIf: () => ok });
    const r = runner({ ...phase('foo'), phases: [when(phase('bar'), true), when(phase('baz'), false)] }, when(phase('qux'), true));
    const log: string[] = [];
    expect(await r.run(log, opts)).toBeUndefined();
    expect(log).toEqual(order);
  });

  it('TestRunHandleErrors: a failing run and a failing condition are wrapped with the phase name', async () => {
    const r = runner(
      { name: 'foo', short: '', run: () => {} },
      { name: 'bar', short: '', run: () => Promise.reject(new Error('run fails')) },
      { name: 'baz', short: '', runIf: () => Promise.reject(new Error('run condition fails')), run: () => {} },
    );
    expect(await r.run([], { filterPhases: ['foo'] })).toBeUndefined();
    const bar = await r.run([], { filterPhases: ['bar'] });
    expect(bar).toBeInstanceOf(PhaseError);
    expect(bar?.message).toBe('error execution phase bar: run fails');
    const baz = await r.run([], { filterPhases: ['baz'] });
    expect(baz).toBeInstanceOf(RunConditionError);
    expect(baz?.message).toBe('error execution run condition for phase baz: run condition fails');
  });

  it('the first failure ends the run: later phases do not run', async () => {
    const log: string[] = [];
    const r = runner(phase('a'), { name: 'b', short: '', run: () => { throw new Error('boom'); } }, phase('c'));
    expect((await r.run(log))?.message).toBe('error execution phase b: boom');
    expect(log).toEqual(['a']);
  });

  it('TestHelp: indentation by level, names cut at the first space, hidden phases left out', () => {
    const r = runner({ ...phase('foo'), phases: [phase('bar [arg]'), { ...phase('baz'), hidden: true }] }, phase('qux'));
    expect(r.help('myCommand')).toBe(
      'The "myCommand" command executes the following phases:\n```\nfoo   long description for foo ...\n  /bar  long description for bar [arg] ...\nqux   long description for qux ...\n```',
    );
  });

  it('RunAllSiblings: `phase x all` selects x; an `all` phase with an action is an error; help hides it', async () => {
    const all: P = { name: 'all', short: 'all of them', runAllSiblings: true };
    const r = runner({ ...phase('certs'), phases: [all, phase('ca'), phase('apiserver')] }, phase('kubeconfig'));
    expect(r.resolvePhaseCommand('init', ['certs', 'all'])).toEqual({ kind: 'run', selector: 'certs' });
    expect(r.resolvePhaseCommand('init', ['certs', 'apiserver'])).toEqual({ kind: 'run', selector: 'certs/apiserver' });
    expect(r.resolvePhaseCommand('init', ['certs'])).toEqual({ kind: 'help', runner: 'certs' });
    expect(r.resolvePhaseCommand('init', ['certs', 'nope'])).toEqual({ kind: 'unknown', error: 'unknown command "nope" for "kubeadm init phase certs"' });
    expect(r.resolvePhaseCommand('init', ['nope'])).toEqual({ kind: 'unknown', error: 'unknown command "nope" for "kubeadm init phase"' });
    expect(r.help('init')).not.toContain('all');
    const log: string[] = [];
    await r.run(log, { filterPhases: ['certs'] });
    expect(log).toEqual(['certs', 'ca', 'apiserver']);
    const bad = runner({ ...phase('x'), phases: [{ ...all, run: () => {} }] });
    expect((await bad.run([]))?.message).toBe('phase marked as RunAllSiblings can not have Run functions x/all');
  });

  it('property: skipping a phase never runs it or anything below it, and keeps the others in order', async () => {
    const tree = () => runner(phase('a', phase('a1'), phase('a2', phase('a2x'))), phase('b'), phase('c', phase('c1')));
    const names = tree().phaseRunners().map((r) => r.generatedName);
    await fc.assert(
      fc.asyncProperty(fc.subarray(names), async (skip) => {
        const log: string[] = [];
        const runnerNames = tree().phaseRunners();
        expect(await tree().run(log, { skipPhases: skip })).toBeUndefined();
        const expected = runnerNames.filter((r) => !skip.some((s) => r.generatedName === s || r.generatedName.startsWith(`${s}/`))).map((r) => r.phase.name);
        expect(log).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });
});
