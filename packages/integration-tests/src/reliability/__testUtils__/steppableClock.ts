/**
 * Fakes only `Date` (timers, sockets and the event loop stay real), so a test
 * can jump the wall clock over refresh intervals, failure backoffs and
 * Infisical's lockout while real HTTP servers keep answering. The reconciler,
 * the provider and the Infisical simulator all read the same clock.
 */
export function useSteppableClock() {
  beforeEach(() => {
    jest.useFakeTimers({
      advanceTimers: true,
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'requestAnimationFrame',
        'cancelAnimationFrame',
        'requestIdleCallback',
        'cancelIdleCallback',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
  });
  afterEach(() => {
    jest.useRealTimers();
  });
  return {
    advance(ms: number) {
      jest.setSystemTime(Date.now() + ms);
    },
    /** Moves the clock to `at` unless it is already past it. */
    advanceTo(at: number) {
      if (at > Date.now()) jest.setSystemTime(at);
    },
  };
}
