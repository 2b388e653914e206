import {
  asText,
  fail,
  has,
  list,
  strval,
  toInt,
  withMustVariants,
  type Fn,
} from '../functionSupport';
import { isTruthy, type TValue } from '../values';

function slice(l: TValue[], args: TValue[]): TValue[] {
  const [from, to] = [
    toInt(args[0] ?? 0),
    args[1] === undefined ? l.length : toInt(args[1]),
  ];
  if (from < 0 || to > l.length || from > to)
    return fail(
      `slice: index out of range [${from}:${to}] with length ${l.length}`,
    );
  return l.slice(from, to);
}

function chunk(size: number, l: TValue[]): TValue[] {
  if (size < 1) return fail('chunk: size must be at least 1');
  const out: TValue[] = [];
  for (let i = 0; i < l.length; i += size) out.push(l.slice(i, i + size));
  return out;
}

/** sprig's list functions (runtime/template/v2/sprig/list.go). */
export const LIST_FUNCTIONS: Record<string, Fn> = withMustVariants(
  {
    list: { min: 0, max: Infinity, call: args => [...args] },
    first: { min: 1, max: 1, call: ([l]) => list('first', l)[0] ?? null },
    last: { min: 1, max: 1, call: ([l]) => list('last', l).at(-1) ?? null },
    rest: { min: 1, max: 1, call: ([l]) => list('rest', l).slice(1) },
    initial: { min: 1, max: 1, call: ([l]) => list('initial', l).slice(0, -1) },
    append: { min: 2, max: 2, call: ([l, v]) => [...list('append', l), v] },
    prepend: { min: 2, max: 2, call: ([l, v]) => [v, ...list('prepend', l)] },
    concat: {
      min: 0,
      max: Infinity,
      call: args => args.flatMap(l => list('concat', l)),
    },
    reverse: {
      min: 1,
      max: 1,
      call: ([l]) => [...list('reverse', l)].reverse(),
    },
    uniq: {
      min: 1,
      max: 1,
      call: ([l]) =>
        list('uniq', l).reduce<TValue[]>(
          (out, v) => (has(out, v) ? out : [...out, v]),
          [],
        ),
    },
    compact: {
      min: 1,
      max: 1,
      call: ([l]) => list('compact', l).filter(isTruthy),
    },
    has: { min: 2, max: 2, call: ([needle, l]) => has(list('has', l), needle) },
    without: {
      min: 1,
      max: Infinity,
      call: ([l, ...drop]) => list('without', l).filter(v => !has(drop, v)),
    },
    sortAlpha: {
      min: 1,
      max: 1,
      call: ([l]) =>
        list('sortAlpha', l)
          .map(v => asText(strval(v)))
          .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
    },
    tuple: { min: 0, max: Infinity, call: args => [...args] },
    push: { min: 2, max: 2, call: ([l, v]) => [...list('push', l), v] },
    slice: {
      min: 1,
      max: 3,
      call: ([l, ...args]) => slice(list('slice', l), args),
    },
    chunk: {
      min: 2,
      max: 2,
      call: ([n, l]) => chunk(toInt(n), list('chunk', l)),
    },
  },
  [
    'first',
    'last',
    'rest',
    'initial',
    'append',
    'push',
    'prepend',
    'reverse',
    'uniq',
    'compact',
    'has',
    'without',
    'slice',
    'chunk',
  ],
);
