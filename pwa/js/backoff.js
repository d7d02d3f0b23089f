// Exponential backoff with jitter: a whole village regaining signal at once
// should not hit the server in the same second.
export const DEFAULT_BACKOFF = Object.freeze({ baseMs: 5_000, capMs: 300_000, jitter: 0.2 });

/** Delay before the next attempt after `failures` consecutive failures (0 = now). */
export function backoffDelay(failures, options = DEFAULT_BACKOFF, random = Math.random) {
  if (!Number.isFinite(failures) || failures <= 0) return 0;
  const { baseMs, capMs, jitter } = { ...DEFAULT_BACKOFF, ...options };
  const exponent = Math.min(failures - 1, 30);
  const raw = Math.min(capMs, baseMs * 2 ** exponent);
  const spread = raw * jitter;
  const delay = raw - spread + random() * 2 * spread;
  return Math.round(Math.min(capMs, Math.max(0, delay)));
}
