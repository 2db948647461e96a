/**
 * Test harness: a fake API server, the lab's files, a settable virtual clock, and `kubectl`
 * registered in a shell whose output is captured as plain text (ANSI removed).
 */
import { createShell, stripAnsi, type Shell, type ShellIO } from '../../index';
import { VirtualFs } from '../../vfs';
import { registerKubectl, type Kubectl, type KubectlOptions } from '../index';
import { FakeApiServer, type FakeApiServerOptions } from './fake-apiserver';

/** 2025-01-01T00:00:00Z: the harness clock's start. */
export const T0 = Date.UTC(2025, 0, 1);

export interface Harness {
  shell: Shell;
  kubectl: Kubectl;
  server: FakeApiServer;
  files: VirtualFs;
  clock: { now(): number; advance(ms: number): void; set(ms: number): void };
  /** Runs a line; resolves to its exit code, stdout and stderr (plain text, lines joined). */
  run(line: string): Promise<{ code: number; out: string; err: string; all: string }>;
}

export function makeHarness(opts: { files?: Record<string, string>; server?: Partial<FakeApiServerOptions>; kubectl?: Partial<KubectlOptions> } = {}): Harness {
  let t = T0;
  const clock = {
    now: () => t,
    advance: (ms: number) => void (t += ms),
    set: (ms: number) => void (t = ms),
  };
  const server = new FakeApiServer({ now: clock.now, ...opts.server });
  const files = new VirtualFs({ files: opts.files ?? {} });
  const shell = createShell();
  const kubectl = registerKubectl(shell, { transport: server, clock, files, ...opts.kubectl });
  const run = async (line: string) => {
    const out: string[] = [];
    const err: string[] = [];
    const all: string[] = [];
    const io: ShellIO = {
      print: (s) => {
        out.push(stripAnsi(s));
        all.push(stripAnsi(s));
      },
      error: (s) => {
        err.push(stripAnsi(s));
        all.push(stripAnsi(s));
      },
      clear: () => {},
    };
    const code = await shell.execute(line, io);
    return { code, out: out.join('\n'), err: err.join('\n'), all: all.join('\n') };
  };
  return { shell, kubectl, server, files, clock, run };
}
