/**
 * The small part of running learner code that differs between the browser's module Web Worker
 * and node: how source text becomes an importable module URL, and how unhandled rejections and
 * uncaught errors are observed. Everything else lives in the shared host (host.ts).
 */

export interface ModuleUrl {
  /** Pass to `import()`. Unique per call, so the same code runs again on the next run. */
  url: string;
  /** Frees the URL once the module has been imported. */
  release(): void;
}

export interface GlobalErrorHandlers {
  /** A promise rejected and nothing handled it. */
  rejection(reason: unknown): void;
  /** An exception escaped a callback (e.g. a real timer) outside any awaited code. */
  uncaught(error: unknown): void;
}

export interface HostPlatform {
  /**
   * A URL that imports `code` as an ES module. `file` names it in stack traces (the code ends
   * with `//# sourceURL=<file>`), so frames read `main.ts:LINE:COL`.
   */
  moduleUrl(code: string, file: string): ModuleUrl;
  /** Routes unhandled rejections and uncaught errors to `handlers` until the returned function runs. */
  captureGlobalErrors(handlers: GlobalErrorHandlers): () => void;
}

let nonce = 0;

/** Appends a unique comment (so identical code is a new module) and the sourceURL. */
export function withSourceUrl(code: string, file: string): string {
  nonce++;
  return `${code}\n// kubelab run ${nonce}\n//# sourceURL=${file}\n`;
}
