/**
 * The small part of running learner code that differs between the browser's module Web Worker
 * and node: how unhandled rejections and uncaught errors are observed. Everything else lives in
 * the shared host (host.ts).
 */

export interface GlobalErrorHandlers {
  /** A promise rejected and nothing handled it. */
  rejection(reason: unknown): void;
  /** An exception escaped a callback outside any awaited code. */
  uncaught(error: unknown): void;
}

export interface HostPlatform {
  /** Routes unhandled rejections and uncaught errors to `handlers` until the returned function runs. */
  captureGlobalErrors(handlers: GlobalErrorHandlers): () => void;
}
