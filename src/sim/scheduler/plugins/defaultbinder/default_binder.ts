/**
 * Upstream: pkg/scheduler/framework/plugins/defaultbinder/default_binder.go (DefaultBinder.Bind) at v1.34.
 * Binds through the API server's pods/binding subresource (Go: `Pods(ns).Bind(binding)`), which the
 * model reaches through `handle.bindPod`; any error becomes an Error status (Go: `AsStatus(err)`).
 */
import type { Pod } from '../../../api/core/v1';
import type { Handle, Plugin } from '../../framework/interface';
import { asStatus, type MaybeStatus } from '../../framework/status';

export const Name = 'DefaultBinder';

export class DefaultBinder implements Plugin {
  readonly name = Name;
  constructor(private readonly handle: Handle) {}

  async bind(_state: unknown, pod: Pod, nodeName: string): Promise<MaybeStatus> {
    const bindPod = this.handle.bindPod;
    if (!bindPod) return asStatus(new Error('the framework handle has no API client to bind with'));
    try {
      await bindPod.call(this.handle, pod, nodeName);
    } catch (e) {
      return asStatus(e);
    }
    return null;
  }
}

export function newDefaultBinder(_args: unknown, handle: Handle): Plugin {
  return new DefaultBinder(handle);
}
