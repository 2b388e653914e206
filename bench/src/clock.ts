/**
 * A movable wall clock for the runner process: `Date` and `Date.now()` answer
 * real time plus an offset, so the benchmark can let an hour pass (to make
 * every ExternalSecret due for its `refreshInterval`, or store validation for
 * its 5 minutes) without waiting for it. Durations are measured with
 * `performance.now()`, which this does not touch.
 *
 * Import this module before anything else in the process: modules that copy
 * `Date.now` at load time would otherwise keep the real clock.
 */
const RealDate = Date;
let offsetMs = 0;

const shiftedNow = () => RealDate.now() + offsetMs;

const ShiftedDate = new Proxy(RealDate, {
  construct(target, args, newTarget) {
    if (args.length === 0)
      return Reflect.construct(target, [shiftedNow()], newTarget);
    return Reflect.construct(target, args, newTarget);
  },
  apply(Target) {
    // `Date()` called as a function answers a string of the current time.
    return new Target(shiftedNow()).toString();
  },
  get(target, property, receiver) {
    if (property === 'now') return shiftedNow;
    return Reflect.get(target, property, receiver);
  },
});

globalThis.Date = ShiftedDate as DateConstructor;

/** Moves the wall clock forward. */
export function advanceClock(ms: number): void {
  offsetMs += ms;
}

/** How far the wall clock has been moved. */
export function clockOffsetMs(): number {
  return offsetMs;
}
