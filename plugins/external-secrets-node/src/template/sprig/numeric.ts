import { randomInt } from 'node:crypto';
import { fail, text, toFloat, toInt, type Fn } from '../functionSupport';
import { Float64, type TValue } from '../values';

const arith = (f: (a: number, b: number) => number): Fn => ({
  min: 2,
  max: 2,
  call: ([a, b]) => f(toInt(a), toInt(b)),
});

/** sprig's float functions go through shopspring/decimal: exact decimal arithmetic, then float64. */
const floatOp = (f: (a: number, b: number) => number, seed?: number): Fn => ({
  min: seed === undefined ? 1 : 0,
  max: Infinity,
  call: args => {
    const values = args.map(toFloat);
    const [first, ...rest] = seed === undefined ? values : [seed, ...values];
    return new Float64(rest.reduce((acc, v) => round(f(acc, v), 15), first));
  },
});

/** Rounds half away from zero to `places` decimals (sprig's round). */
function round(value: number, places: number): number {
  const factor = 10 ** places;
  const scaled = Math.abs(value) * factor;
  return (Math.sign(value) * Math.floor(scaled + 0.5)) / factor;
}

/** sprig's until/untilStep: ints from start towards stop (exclusive). */
function untilStep(start: number, stop: number, step: number): number[] {
  const out: number[] = [];
  if (step === 0) return out;
  if (step > 0 ? start >= stop : start <= stop) return out;
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) {
    out.push(i);
    if (out.length > 100_000) return fail('untilStep: more than 100000 items');
  }
  return out;
}

/** sprig's seq: GNU seq's `seq LAST`, `seq FIRST LAST`, `seq FIRST INCREMENT LAST`, space separated. */
function seq(args: number[]): string {
  let [first, step, last] = [args[0], args[1], args[2]];
  if (args.length === 1)
    [first, step, last] = [1, args[0] >= 1 ? 1 : -1, args[0]];
  if (args.length === 2)
    [first, step, last] = [args[0], args[0] <= args[1] ? 1 : -1, args[1]];
  if (args.length === 3 && (step === 0 || (last - first) * step < 0)) return '';
  const out = untilStep(first, last + (step > 0 ? 1 : -1), step);
  return out.join(' ');
}

/** sprig's numeric functions (runtime/template/v2/sprig/numeric.go). */
export const NUMERIC_FUNCTIONS: Record<string, Fn> = {
  atoi: {
    min: 1,
    max: 1,
    call: ([s]) => {
      const v = text('atoi', s);
      return /^[+-]?\d+$/.test(v) ? Number(v) : 0;
    },
  },
  int: { min: 1, max: 1, call: ([v]) => toInt(v) },
  int64: { min: 1, max: 1, call: ([v]) => toInt(v) },
  float64: { min: 1, max: 1, call: ([v]) => new Float64(toFloat(v)) },
  toDecimal: {
    min: 1,
    max: 1,
    call: ([v]) => {
      const s = typeof v === 'string' ? v.trim() : '';
      return /^[0-7]+$/.test(s) ? parseInt(s, 8) : 0;
    },
  },
  add: {
    min: 0,
    max: Infinity,
    call: args => args.reduce<number>((sum, a) => sum + toInt(a), 0),
  },
  add1: { min: 1, max: 1, call: ([a]) => toInt(a) + 1 },
  sub: arith((a, b) => a - b),
  mul: {
    min: 1,
    max: Infinity,
    call: args => args.reduce<number>((p, a) => p * toInt(a), 1),
  },
  div: arith((a, b) =>
    b === 0 ? fail('div: integer divide by zero') : Math.trunc(a / b),
  ),
  mod: arith((a, b) => (b === 0 ? fail('mod: integer divide by zero') : a % b)),
  max: { min: 1, max: Infinity, call: args => Math.max(...args.map(toInt)) },
  biggest: {
    min: 1,
    max: Infinity,
    call: args => Math.max(...args.map(toInt)),
  },
  min: { min: 1, max: Infinity, call: args => Math.min(...args.map(toInt)) },
  maxf: {
    min: 1,
    max: Infinity,
    call: args => new Float64(Math.max(...args.map(toFloat))),
  },
  minf: {
    min: 1,
    max: Infinity,
    call: args => new Float64(Math.min(...args.map(toFloat))),
  },
  add1f: {
    min: 1,
    max: 1,
    call: ([a]) => new Float64(round(toFloat(a) + 1, 15)),
  },
  addf: floatOp((a, b) => a + b, 0),
  subf: floatOp((a, b) => a - b),
  mulf: floatOp((a, b) => a * b),
  divf: floatOp((a, b) => (b === 0 ? fail('divf: division by zero') : a / b)),
  ceil: { min: 1, max: 1, call: ([a]) => new Float64(Math.ceil(toFloat(a))) },
  floor: { min: 1, max: 1, call: ([a]) => new Float64(Math.floor(toFloat(a))) },
  round: {
    min: 2,
    max: 3,
    call: ([a, p, half]) => {
      const places = toInt(p);
      const factor = 10 ** places;
      const threshold = half === undefined ? 0.5 : toFloat(half);
      const scaled = Math.abs(toFloat(a)) * factor;
      const whole = Math.floor(scaled);
      const rounded = scaled - whole >= threshold ? whole + 1 : whole;
      return new Float64((Math.sign(toFloat(a)) * rounded) / factor);
    },
  },
  seq: {
    min: 1,
    max: 3,
    call: args => seq(args.map(toInt)),
  },
  until: {
    min: 1,
    max: 1,
    call: ([n]) => untilStep(0, toInt(n), toInt(n) >= 0 ? 1 : -1),
  },
  untilStep: {
    min: 3,
    max: 3,
    call: ([a, b, s]) => untilStep(toInt(a), toInt(b), toInt(s)),
  },
  randInt: {
    min: 2,
    max: 2,
    call: ([lo, hi]): TValue => {
      const [min, max] = [toInt(lo), toInt(hi)];
      if (max <= min) return fail('randInt: invalid argument to Intn');
      return randomInt(min, max);
    },
  },
};
