import { goQuote } from '../cache/go_strings';
import { Backoff, type BackoffClock } from './backoff';

// Upstream: pkg/kubelet/kubelet.go (backOffPeriod, MaxImageBackOff)
/** First wait after a failed pull (backOffPeriod). */
export const IMAGE_BACK_OFF_PERIOD_MS = 10_000;
/** Longest wait between pulls (MaxImageBackOff). */
export const MAX_IMAGE_BACK_OFF_MS = 300_000;

/** The kubelet's image pull backoff, keyed by pod UID and image; client-go's 2 x max expiry. */
// Upstream: pkg/kubelet/kubelet.go (NewMainKubelet: imageBackOff)
export function newImageBackOff(clock: BackoffClock): Backoff {
  return new Backoff(clock, IMAGE_BACK_OFF_PERIOD_MS, MAX_IMAGE_BACK_OFF_MS);
}

export interface KubeletEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export type EnsureImageResult =
  | { ok: true; events: KubeletEvent[] }
  | { ok: false; reason: 'ErrImagePull' | 'ImagePullBackOff'; message: string; events: KubeletEvent[] };

/**
 * One attempt to make `image` present for a pod: inside the backoff window no pull happens and the
 * container waits with ImagePullBackOff; otherwise `pull` runs (its return is the runtime's error
 * text, or null on success) and a failure is ErrImagePull and one more step of backoff.
 * Pull policies and an image already present are the caller's (not modelled yet).
 */
// Upstream: pkg/kubelet/images/image_manager.go (EnsureImageExists, evalCRIPullErr fallback)
export function ensureImageExists(backoff: Backoff, podUid: string, image: string, pull: () => string | null): EnsureImageResult {
  const key = `${podUid}_${image}`;
  const quoted = goQuote(image);
  if (backoff.isInBackOffSinceUpdate(key, backoff.clock.now())) {
    const message = `Back-off pulling image ${quoted}`;
    return { ok: false, reason: 'ImagePullBackOff', message, events: [{ type: 'Normal', reason: 'BackOff', message }] };
  }
  const events: KubeletEvent[] = [{ type: 'Normal', reason: 'Pulling', message: `Pulling image ${quoted}` }];
  const err = pull();
  if (err !== null) {
    events.push({ type: 'Warning', reason: 'Failed', message: `Failed to pull image ${quoted}: ${err}` });
    backoff.next(key, backoff.clock.now());
    return { ok: false, reason: 'ErrImagePull', message: err, events };
  }
  // The Pulled event's text carries pull timings and the image size: left out until the runtime model has them.
  return { ok: true, events };
}
