/**
 * The result of running a plugin: k8s.io/kube-scheduler framework/interface.go at v0.34.0
 * (`Code`, `Status`, `NewStatus`, `AsStatus`). Go's nil *Status is Success; here `null` is.
 */

/** Status codes, in upstream's iota order (the order matters: `codes` indexes them). */
export type Code = 'Success' | 'Error' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Wait' | 'Skip' | 'Pending';
export const codes: readonly Code[] = ['Success', 'Error', 'Unschedulable', 'UnschedulableAndUnresolvable', 'Wait', 'Skip', 'Pending'];

export class Status {
  code: Code;
  reasons: string[];
  /** The plugin that produced it; the framework sets it for rejections (Go: `SetPlugin`). */
  plugin: string;
  /** Set by `asStatus`: the error's message comes first among the reasons. */
  err?: Error;

  constructor(code: Code, reasons: string[] = [], plugin = '') {
    this.code = code;
    this.reasons = reasons;
    this.plugin = plugin;
  }

  /** Reasons joined by ", " (Go: `Message`). */
  message(): string {
    return this.allReasons().join(', ');
  }

  /** The error's message first, then the reasons (Go: `Reasons`). */
  allReasons(): string[] {
    return this.err ? [this.err.message, ...this.reasons] : this.reasons;
  }

  withPlugin(plugin: string): this {
    this.plugin = plugin;
    return this;
  }

  withError(err: Error): this {
    this.err = err;
    return this;
  }

  appendReason(reason: string): void {
    this.reasons.push(reason);
  }

  toString(): string {
    return this.message();
  }

  /** Plain data for traces, tables and the terminal. */
  toJSON(): { code: Code; reasons: string[]; plugin: string } {
    return { code: this.code, reasons: [...this.allReasons()], plugin: this.plugin };
  }
}

export type MaybeStatus = Status | null | undefined;

export function newStatus(code: Code, ...reasons: string[]): Status {
  return new Status(code, reasons);
}

/** An error as an Error status (Go: `AsStatus`). */
export function asStatus(err: unknown): Status {
  const e = err instanceof Error ? err : new Error(String(err));
  return new Status('Error').withError(e);
}

export function codeOf(s: MaybeStatus): Code {
  return s ? s.code : 'Success';
}
export function isSuccess(s: MaybeStatus): boolean {
  return codeOf(s) === 'Success';
}
export function isSkip(s: MaybeStatus): boolean {
  return codeOf(s) === 'Skip';
}
export function isWait(s: MaybeStatus): boolean {
  return codeOf(s) === 'Wait';
}
/** Unschedulable, UnschedulableAndUnresolvable or Pending (Go: `IsRejected`). */
export function isRejected(s: MaybeStatus): boolean {
  const c = codeOf(s);
  return c === 'Unschedulable' || c === 'UnschedulableAndUnresolvable' || c === 'Pending';
}
/** null for Success, Wait and Skip; otherwise the status's message as an Error (Go: `AsError`). */
export function asError(s: MaybeStatus): Error | null {
  if (!s || s.code === 'Success' || s.code === 'Wait' || s.code === 'Skip') return null;
  return s.err ?? new Error(s.message());
}
