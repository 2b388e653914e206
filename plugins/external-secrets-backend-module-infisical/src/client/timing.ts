/**
 * Milliseconds since the epoch. Injected so token expiry, backoff and
 * Retry-After dates are deterministic in tests.
 *
 * @public
 */
export type Clock = { now(): number };

/**
 * Waits `ms` milliseconds, or rejects when `signal` aborts. Injected so retry
 * tests run instantly and can assert the delays.
 *
 * @public
 */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const systemClock: Clock = { now: () => Date.now() };

export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined = undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
