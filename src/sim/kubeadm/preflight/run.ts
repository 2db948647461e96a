/**
 * Running a list of checks as kubeadm does: each check's warnings are written at once
 * (`\t[WARNING Name]: text`), its errors are collected (`\t[ERROR Name]: text`) unless the check
 * is ignored, in which case they are written as warnings; when any error is left, the block
 * `[preflight] Some fatal errors occurred:` ... is written and the run fails with
 * `preflight checks failed`, which the workflow runner wraps as `error execution phase preflight:`.
 */
import type { Checker } from './checks';

/** An io.Writer: kubeadm writes these to stderr. */
export type Writer = (text: string) => void;

/** The error RunChecks returns (handleError): the block was already written. */
export class PreflightError extends Error {
  constructor() {
    super('preflight checks failed');
    this.name = 'PreflightError';
  }
}

/** The set of check names (lowercase) whose errors are only warnings; `all` covers every check. */
export type IgnoreSet = ReadonlySet<string>;

/** setHasItemOrAll: case-insensitive, or `all`. */
// Upstream: cmd/kubeadm/app/preflight/checks.go (setHasItemOrAll)
export function setHasItemOrAll(s: IgnoreSet, item: string): boolean {
  return s.has('all') || s.has(item.toLowerCase());
}

/**
 * ValidateIgnorePreflightErrors: the names from the flag (a comma list, already split) and from
 * the config file, lowercased into one set; `all` together with anything else is invalid.
 */
// Upstream: cmd/kubeadm/app/apis/kubeadm/validation/validation.go (ValidateIgnorePreflightErrors)
export function validateIgnorePreflightErrors(fromCLI: readonly string[], fromConfigFile: readonly string[] = []): IgnoreSet {
  const set = new Set<string>();
  for (const item of [...fromConfigFile, ...fromCLI]) set.add(item.toLowerCase());
  if (set.has('all') && set.size > 1) {
    // field.Invalid(field.NewPath("ignore-preflight-errors"), strings.Join(sets.List(set), ","), ...): the value is the sorted set.
    throw new Error(`ignore-preflight-errors: Invalid value: ${JSON.stringify([...set].sort().join(','))}: don't specify individual checks if 'all' is used`);
  }
  return set;
}

/** `--ignore-preflight-errors=a,b --ignore-preflight-errors c`: pflag's StringSlice splits on commas. */
export function parseIgnoreFlag(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(',')).filter((v) => v !== '');
}

/** handleError: writes the fatal block and returns the error. `msg` ends in a newline when it comes from RunChecks. */
// Upstream: checks.go (handleError)
export function handleError(ww: Writer, msg: string): PreflightError {
  ww(`[preflight] Some fatal errors occurred:\n${msg}[preflight] If you know what you are doing, you can make a check non-fatal with \`--ignore-preflight-errors=...\`\n`);
  return new PreflightError();
}

/** RunChecks: resolves to the error, or undefined when nothing fatal is left. */
// Upstream: checks.go (RunChecks)
export async function runChecks(checks: readonly Checker[], ww: Writer, ignorePreflightErrors: IgnoreSet): Promise<PreflightError | undefined> {
  let errsBuffer = '';
  for (const c of checks) {
    const name = c.name();
    let { warnings, errors } = await c.check();
    if (setHasItemOrAll(ignorePreflightErrors, name)) {
      warnings = [...warnings, ...errors];
      errors = [];
    }
    for (const w of warnings) ww(`\t[WARNING ${name}]: ${w}\n`);
    for (const e of errors) errsBuffer += `\t[ERROR ${name}]: ${e}\n`;
  }
  return errsBuffer ? handleError(ww, errsBuffer) : undefined;
}
