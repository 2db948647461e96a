/**
 * The runner of a kubeadm workflow: flattens the phase tree into execution order (each phase right
 * before its children), names each phase by its path (`certs/apiserver`), selects phases with a
 * filter (`kubeadm init phase <name> [sub]`) and `--skip-phases` (a name selects its whole subtree),
 * runs them in order and wraps the first failure as `error execution phase <name>: <cause>`.
 * Upstream: cmd/kubeadm/app/cmd/phases/workflow/runner.go (Runner, computePhaseRunFlags, Run, Help,
 * BindToCommand, addPhaseRunner)
 */
import type { FakeClock } from '../../core/clock';
import { EventEmitter } from '../../core/events';
import type { TraceRecorder } from '../../core/trace';
import { PhaseError } from '../preflight/phase';
import { kubeadmWorkflowEvents, type KubeadmWorkflowEventMap } from './events';
import type { Phase } from './phase';

const phaseSeparator = '/';

/** One phase with its place in the tree. */
export interface PhaseRunner<D> {
  phase: Phase<D>;
  parent?: PhaseRunner<D>;
  level: number;
  /** The absolute name: `certs/apiserver`. */
  generatedName: string;
  /** What the help lists: `certs`, `/apiserver`. */
  use: string;
}

export interface RunnerOptions {
  /** Only these phases (and their subtrees); empty: all. */
  filterPhases?: string[];
  /** These phases and their subtrees are skipped. */
  skipPhases?: string[];
  /** Where `kubeadm.phase` events go, and the workflow's name in them (`init`). */
  env?: { clock: FakeClock; trace?: TraceRecorder };
  workflow?: string;
}

/** The error of a run condition, wrapped as upstream does. */
export class RunConditionError extends Error {
  constructor(
    readonly phase: string,
    readonly cause: Error,
  ) {
    super(`error execution run condition for phase ${phase}: ${cause.message}`);
  }
}

// Upstream: runner.go (cleanName)
export function cleanName(name: string): string {
  const lower = name.toLowerCase();
  const space = lower.indexOf(' ');
  return space === -1 ? lower : lower.slice(0, space);
}

/** What `kubeadm init phase <path...>` selects. */
export type PhaseCommand = { kind: 'run'; selector: string } | { kind: 'help'; runner: string } | { kind: 'unknown'; error: string };

export class Runner<D> {
  readonly phases: Phase<D>[] = [];

  appendPhase(p: Phase<D>): void {
    this.phases.push(p);
  }

  /** Every phase in execution order (top-level `all` phases are commands only and are left out). */
  // Upstream: runner.go (prepareForExecution, addPhaseRunner)
  phaseRunners(): PhaseRunner<D>[] {
    const out: PhaseRunner<D>[] = [];
    const add = (phase: Phase<D>, parent?: PhaseRunner<D>) => {
      const name = cleanName(phase.name);
      const r: PhaseRunner<D> = {
        phase,
        parent,
        level: parent ? parent.level + 1 : 0,
        generatedName: parent ? `${parent.generatedName}${phaseSeparator}${name}` : name,
        use: parent ? `${phaseSeparator}${name}` : name,
      };
      out.push(r);
      for (const child of phase.phases ?? []) add(child, r);
    };
    for (const p of this.phases) if (!p.runAllSiblings) add(p);
    return out;
  }

  /** Which phases run: all, or the filter's subtrees, minus the skipped subtrees. */
  // Upstream: runner.go (computePhaseRunFlags)
  computePhaseRunFlags(opts: RunnerOptions): Map<string, boolean> {
    const runners = this.phaseRunners();
    const flags = new Map<string, boolean>(runners.map((r) => [r.generatedName, true]));
    const subtree = (name: string) => runners.filter((r) => r.generatedName === name || r.generatedName.startsWith(`${name}${phaseSeparator}`)).map((r) => r.generatedName);
    const check = (name: string) => {
      if (!flags.has(name)) throw new Error(`invalid phase name: ${name}`);
    };
    if (opts.filterPhases?.length) {
      for (const k of flags.keys()) flags.set(k, false);
      for (const f of opts.filterPhases) {
        check(f);
        for (const n of subtree(f)) flags.set(n, true);
      }
    }
    for (const s of opts.skipPhases ?? []) {
      check(s);
      for (const n of subtree(s)) flags.set(n, false);
    }
    return flags;
  }

  /**
   * Runs the selected phases in order. A phase's failure ends the run with a PhaseError
   * (`error execution phase certs/apiserver: ...`); an invalid phase name is returned unwrapped.
   */
  // Upstream: runner.go (Run)
  async run(data: D, opts: RunnerOptions = {}): Promise<Error | undefined> {
    let flags: Map<string, boolean>;
    try {
      flags = this.computePhaseRunFlags(opts);
    } catch (err) {
      return err as Error;
    }
    const events = opts.env?.trace ? new EventEmitter<KubeadmWorkflowEventMap, { workflow: string }>(kubeadmWorkflowEvents, { clock: opts.env.clock, trace: opts.env.trace }, { workflow: opts.workflow ?? '' }) : undefined;
    const emit = (phase: string, outcome: KubeadmWorkflowEventMap['kubeadm.phase']['outcome'], error = '') => events?.emit('kubeadm.phase', { phase, outcome, error });
    for (const r of this.phaseRunners()) {
      const p = r.phase;
      if (!flags.get(r.generatedName)) {
        if (p.run) emit(r.generatedName, 'skipped');
        continue;
      }
      if (p.runAllSiblings && (p.run || p.runIf)) return new Error(`phase marked as RunAllSiblings can not have Run functions ${r.generatedName}`);
      if (p.runIf) {
        try {
          if (!(await p.runIf(data))) {
            emit(r.generatedName, 'skipped');
            continue;
          }
        } catch (err) {
          const e = new RunConditionError(r.generatedName, err as Error);
          emit(r.generatedName, 'failed', e.message);
          return e;
        }
      }
      if (!p.run) continue;
      emit(r.generatedName, 'start');
      try {
        await p.run(data);
      } catch (err) {
        const e = new PhaseError(r.generatedName, err as Error);
        emit(r.generatedName, 'failed', e.message);
        return e;
      }
      emit(r.generatedName, 'done');
    }
    return undefined;
  }

  /** The phase list of `kubeadm init --help`. */
  // Upstream: runner.go (Help)
  help(cmdUse: string): string {
    const shown = this.phaseRunners().filter((r) => !r.phase.hidden && !r.phase.runAllSiblings);
    const max = Math.max(...shown.map((r) => r.use.length));
    const offset = 2;
    let text = `The ${JSON.stringify(cmdUse)} command executes the following phases:\n\`\`\`\n`;
    for (const r of shown) text += `${' '.repeat(offset * r.level)}${r.use}${' '.repeat(max - r.use.length + offset)}${r.phase.short}\n`;
    return `${text}\`\`\``;
  }

  /**
   * Resolves `kubeadm <cmd> phase <a> [<b>...]` the way the generated cobra subcommands do: a
   * phase with sub-phases prints its help, an `all` sub-phase selects its parent.
   */
  // Upstream: runner.go (BindToCommand)
  resolvePhaseCommand(cmd: string, path: string[]): PhaseCommand {
    let parent: string | undefined;
    let found: PhaseRunner<D> | undefined;
    const runners = this.phaseRunners();
    for (const word of path) {
      const name = parent ? `${parent}${phaseSeparator}${word.toLowerCase()}` : word.toLowerCase();
      found = runners.find((r) => r.generatedName === name && !r.phase.hidden);
      if (!found) return { kind: 'unknown', error: `unknown command "${word}" for "kubeadm ${[cmd, 'phase', ...(parent ? parent.split(phaseSeparator) : [])].join(' ')}"` };
      parent = name;
    }
    if (!found) return { kind: 'help', runner: `${cmd} phase` };
    if (found.phase.runAllSiblings) return { kind: 'run', selector: found.parent!.generatedName };
    if (found.phase.phases?.length) return { kind: 'help', runner: found.generatedName };
    return { kind: 'run', selector: found.generatedName };
  }
}
