import { fail, text, type Fn } from '../functionSupport';
import { isTruthy } from '../values';

/** sprig's defaults and flow control (runtime/template/v2/sprig/defaults.go, functions.go). */
export const DEFAULT_FUNCTIONS: Record<string, Fn> = {
  ternary: { min: 3, max: 3, call: ([t, f, c]) => (isTruthy(c) ? t : f) },
  coalesce: {
    min: 0,
    max: Infinity,
    call: args => args.find(isTruthy) ?? null,
  },
  all: { min: 0, max: Infinity, call: args => args.every(isTruthy) },
  any: { min: 0, max: Infinity, call: args => args.some(isTruthy) },
  fail: { min: 1, max: 1, call: ([msg]) => fail(text('fail', msg)) },
};
