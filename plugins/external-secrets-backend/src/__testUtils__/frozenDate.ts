/**
 * Fakes only `Date`, frozen at `start()` before each test and moved only by
 * `advance`: the backend's timers, sockets and database run as usual, so a
 * test can step over refresh intervals and backoffs between real cycles.
 */
export function useFrozenDate(start: () => number) {
  let now = 0;
  beforeEach(() => {
    now = start();
    jest.useFakeTimers({
      now,
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
  afterEach(() => jest.useRealTimers());
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
      jest.setSystemTime(now);
    },
  };
}
