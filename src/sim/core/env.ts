/**
 * The environment a model runs in, passed to its constructor like raft's `Config`: the virtual
 * clock, the seeded randomness, where its events go, and which of its log lines print. Nothing a
 * model does depends on a module global: two simulations in one page (a lesson's two widgets, a
 * check beside the learner's run) never see each other.
 *
 * One ambient part remains, for code that passes no environment at all (a learner's
 * `newQueue()` in a lab): the lab runtime installs its run's environment with `useEnv()`, and a
 * model built without `env` or `trace` records there. Outside a lab nothing is installed, and such
 * a model records nothing and logs at the default verbosity.
 */
import { FakeClock } from './clock';
import { Logger } from './log';
import { rngFromSeed, type Rng } from './rng';
import type { TraceRecorder } from './trace';

export interface SimEnv {
  /** Virtual time; every timer of the model is on it. */
  readonly clock: FakeClock;
  /** The only source of randomness (fork it per component: `env.rng.fork('reflector')`). */
  readonly rng: Rng;
  /** Where events go; undefined: nothing is recorded. */
  readonly trace: TraceRecorder | undefined;
  /** Which log lines print (klog's -v). */
  readonly log: Logger;
  /**
   * Feature gates by upstream name, as a process's `--feature-gates` / `KUBE_FEATURE_<name>` set
   * them (e.g. `{ InOrderInformers: false }`); a gate not listed has its default. Each model reads
   * the gates it knows.
   */
  readonly features: Readonly<Record<string, boolean>>;
}

export interface EnvOptions {
  clock?: FakeClock;
  /** A generator; or give `seed`. Neither: seed 0. */
  rng?: Rng;
  seed?: number | string;
  trace?: TraceRecorder;
  /** klog's -v (default 2). */
  logVerbosity?: number;
  /** Feature gates (see `SimEnv.features`). */
  features?: Record<string, boolean>;
}

/** A new environment: a fresh clock at 0, `rngFromSeed(seed ?? 0)`, no trace, `-v=2`, unless given. */
export function newEnv(options: EnvOptions = {}): SimEnv {
  return {
    clock: options.clock ?? new FakeClock(),
    rng: options.rng ?? rngFromSeed(options.seed ?? 0),
    trace: options.trace,
    log: new Logger(options.logVerbosity),
    features: checkGates(options.features),
  };
}

function checkGates(features: Record<string, boolean> | undefined): Readonly<Record<string, boolean>> {
  if (features === undefined) return NO_GATES;
  if (typeof features !== 'object' || features === null) throw new TypeError(`features: expected an object such as { InOrderInformers: false }, got ${String(features)}`);
  for (const [name, on] of Object.entries(features)) {
    if (typeof on !== 'boolean') throw new TypeError(`features.${name}: expected true or false, got ${JSON.stringify(on)}`);
  }
  return Object.freeze({ ...features });
}

const NO_GATES: Readonly<Record<string, boolean>> = Object.freeze({});

/** The ambient part: what the lab runtime installed for code that passes no environment. */
interface Ambient {
  trace: TraceRecorder | undefined;
  log: Logger;
  features: Readonly<Record<string, boolean>>;
}

let ambient: Ambient = { trace: undefined, log: new Logger(), features: NO_GATES };

/**
 * Installs `env`'s trace and logger for models built without an environment (the lab runtime does
 * this for each run and each check). Returns a function that puts back what was there.
 */
export function useEnv(env: Pick<SimEnv, 'trace' | 'log'> & { features?: SimEnv['features'] }): () => void {
  const previous = ambient;
  ambient = { trace: env.trace, log: env.log, features: env.features ?? NO_GATES };
  return () => {
    ambient = previous;
  };
}

/** The recorder models built without an environment emit to (undefined outside a lab). */
export function activeTrace(): TraceRecorder | undefined {
  return ambient.trace;
}

/** Installs `recorder` as the ambient trace (or clears it); returns the previous one. */
export function setActiveTrace(recorder: TraceRecorder | undefined): TraceRecorder | undefined {
  const previous = ambient.trace;
  ambient = { ...ambient, trace: recorder };
  return previous;
}

/** The ambient logger (models built without an environment log through it). */
export function activeLogger(): Logger {
  return ambient.log;
}

/** Sets the ambient `-v` (Go: `-v=N`, `klog.V(N)`): in a lab, for the rest of the run. */
export function setLogVerbosity(v: number): void {
  ambient.log.setVerbosity(v);
}

/** The ambient verbosity. */
export function logVerbosity(): number {
  return ambient.log.verbosity;
}

/** What a model's config may carry: a whole environment, or single parts that override it. */
export interface EnvConfig {
  env?: SimEnv;
  clock?: FakeClock;
  trace?: TraceRecorder;
  rng?: Rng;
}

/**
 * The environment a model built with `cfg` runs in: `cfg.clock` / `cfg.trace` / `cfg.rng` over
 * `cfg.env`; without either, a fresh clock, the ambient trace and logger, and `rngFromSeed(0)`.
 * Read once, at construction.
 */
export function resolveEnv(cfg: EnvConfig = {}): SimEnv {
  const env = cfg.env;
  return {
    clock: cfg.clock ?? env?.clock ?? new FakeClock(),
    rng: cfg.rng ?? env?.rng ?? rngFromSeed(0),
    trace: cfg.trace ?? (env ? env.trace : ambient.trace),
    log: env?.log ?? ambient.log,
    features: env?.features ?? ambient.features,
  };
}

