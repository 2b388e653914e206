import {
  asText,
  dictArg,
  fail,
  sortedKeys,
  strval,
  text,
  withMustVariants,
  type Fn,
} from '../functionSupport';
import type { TMap, TValue } from '../values';

function deepCopy(value: TValue): TValue {
  if (Array.isArray(value)) return value.map(deepCopy);
  if (value instanceof Map)
    return new Map([...value].map(([k, v]) => [k, deepCopy(v)]));
  return value;
}

/** mergo.Merge: fills keys the destination lacks (or holds empty), recursing into dicts. */
function merge(dst: TMap, src: TMap, overwrite: boolean): TMap {
  for (const [key, value] of src) {
    const current = dst.get(key);
    if (current instanceof Map && value instanceof Map)
      merge(current, value, overwrite);
    else if (
      overwrite ||
      current === undefined ||
      current === null ||
      current === ''
    )
      dst.set(key, value);
  }
  return dst;
}

function dig(args: TValue[]): TValue {
  if (args.length < 3) return fail('dig: needs at least 3 arguments');
  const dict = dictArg('dig', args[args.length - 1]);
  const fallback = args[args.length - 2];
  let value: TValue = dict;
  for (const key of args.slice(0, -2)) {
    if (!(value instanceof Map) || !value.has(text('dig', key)))
      return fallback;
    value = value.get(text('dig', key))!;
  }
  return value;
}

/** sprig's dict functions (runtime/template/v2/sprig/dict.go). */
export const DICT_FUNCTIONS: Record<string, Fn> = withMustVariants(
  {
    dict: {
      min: 0,
      max: Infinity,
      call: args => {
        const out: TMap = new Map();
        for (let i = 0; i < args.length; i += 2)
          out.set(asText(strval(args[i])), args[i + 1] ?? '');
        return out;
      },
    },
    get: {
      min: 2,
      max: 2,
      call: ([d, k]) => dictArg('get', d).get(text('get', k)) ?? '',
    },
    set: {
      min: 3,
      max: 3,
      call: ([d, k, v]) => dictArg('set', d).set(text('set', k), v),
    },
    unset: {
      min: 2,
      max: 2,
      call: ([d, k]) => {
        const m = dictArg('unset', d);
        m.delete(text('unset', k));
        return m;
      },
    },
    hasKey: {
      min: 2,
      max: 2,
      call: ([d, k]) => dictArg('hasKey', d).has(text('hasKey', k)),
    },
    keys: {
      min: 1,
      max: Infinity,
      call: args => args.flatMap(d => sortedKeys(dictArg('keys', d))),
    },
    values: {
      min: 1,
      max: 1,
      call: ([d]) => {
        const m = dictArg('values', d);
        return sortedKeys(m).map(k => m.get(k)!);
      },
    },
    pluck: {
      min: 1,
      max: Infinity,
      call: ([k, ...ds]) =>
        ds
          .map(d => dictArg('pluck', d))
          .filter(m => m.has(text('pluck', k)))
          .map(m => m.get(text('pluck', k))!),
    },
    pick: {
      min: 1,
      max: Infinity,
      call: ([d, ...ks]) => {
        const m = dictArg('pick', d);
        const names = ks.map(k => text('pick', k));
        return new Map([...m].filter(([k]) => names.includes(k)));
      },
    },
    omit: {
      min: 1,
      max: Infinity,
      call: ([d, ...ks]) => {
        const m = dictArg('omit', d);
        const names = ks.map(k => text('omit', k));
        return new Map([...m].filter(([k]) => !names.includes(k)));
      },
    },
    merge: {
      min: 1,
      max: Infinity,
      call: ([d, ...srcs]) =>
        srcs.reduce<TMap>(
          (dst, s) => merge(dst, dictArg('merge', s), false),
          dictArg('merge', d),
        ),
    },
    mergeOverwrite: {
      min: 1,
      max: Infinity,
      call: ([d, ...srcs]) =>
        srcs.reduce<TMap>(
          (dst, s) => merge(dst, dictArg('mergeOverwrite', s), true),
          dictArg('mergeOverwrite', d),
        ),
    },
    deepCopy: { min: 1, max: 1, call: ([v]) => deepCopy(v) },
    dig: { min: 3, max: Infinity, call: dig },
  },
  ['merge', 'mergeOverwrite', 'deepCopy'],
);
