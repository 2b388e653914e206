import { createHash } from 'node:crypto';
import { marshalGoJson, unmarshalGoJson } from './goJson';
import {
  asText,
  equal,
  fail,
  FunctionFailure,
  int,
  list,
  stringish,
  strval,
  text,
  type Fn,
} from './functionSupport';
import { FUNCTION_FAMILIES } from './templateFunctionSets';

export { FunctionFailure };
import {
  Bytes,
  formatValue,
  fromBytes,
  isTruthy,
  toBytes,
  typeName,
  type TValue,
} from './values';

/**
 * The template functions we support: Go's builtins that matter for Secrets and
 * the sprig functions ESO users rely on most. Unknown names fail at parse time.
 * Where sprig hides a failure (b64dec and fromJson return an error text or nil),
 * we raise an error instead, so a Secret never silently gets a wrong value.
 */

/** sprig's `empty`. */
function isEmpty(value: TValue): boolean {
  return !isTruthy(value);
}

const STD_BASE64 =
  /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function goQuote(value: string): string {
  const named: Record<string, string> = {
    '"': '\\"',
    '\\': '\\\\',
    '\x07': '\\a',
    '\b': '\\b',
    '\f': '\\f',
    '\n': '\\n',
    '\r': '\\r',
    '\t': '\\t',
    '\v': '\\v',
  };
  const escaped = Array.from(value, c => {
    const code = c.charCodeAt(0);
    if (named[c]) return named[c];
    if (code < 0x20 || code === 0x7f)
      return `\\x${code.toString(16).padStart(2, '0')}`;
    if (code === 0x2028 || code === 0x2029) return `\\u${code.toString(16)}`;
    return c;
  });
  return `"${escaped.join('')}"`;
}

function formatVerb(verb: string, arg: TValue): string | Bytes {
  switch (verb) {
    case 's':
    case 'v':
      return strval(arg);
    case 'd':
      if (typeof arg !== 'number')
        return fail(`printf: %d needs an integer, got ${typeName(arg)}`);
      return String(arg);
    case 'q':
      return goQuote(asText(stringish('printf %q', arg)));
    default:
      return fail(
        `printf: verb %${verb} is not supported (supported: %s %d %v %q %%)`,
      );
  }
}

function printf(args: TValue[]): string | Bytes {
  const format = text('printf', args[0]);
  const parts: Uint8Array[] = [];
  let next = 1;
  let literal = '';
  for (let i = 0; i < format.length; i++) {
    if (format[i] !== '%') {
      literal += format[i];
      continue;
    }
    const verb = format[++i];
    if (verb === '%') {
      literal += '%';
      continue;
    }
    if (verb === undefined) return fail('printf: the format ends with %');
    if (next >= args.length)
      return fail(`printf: missing argument for %${verb}`);
    parts.push(toBytes(literal), toBytes(formatVerb(verb, args[next++])));
    literal = '';
  }
  if (next < args.length)
    return fail(`printf: ${args.length - next} extra argument(s)`);
  parts.push(toBytes(literal));
  return fromBytes(Buffer.concat(parts));
}

/** Go's `fmt.Sprint`: a space between operands when neither is a string. */
function print(args: TValue[]): string | Bytes {
  const parts: Uint8Array[] = [];
  args.forEach((arg, i) => {
    const isString = (v: TValue) => typeof v === 'string' || v instanceof Bytes;
    if (i > 0 && !isString(arg) && !isString(args[i - 1]))
      parts.push(toBytes(' '));
    parts.push(toBytes(formatValue(arg)));
  });
  return fromBytes(Buffer.concat(parts));
}

/** Maps of Go `map[string]string` (the data map): a missing key indexes to "", not nil. */
export const STRING_MAPS = new WeakSet<Map<string, TValue>>();

function index(args: TValue[]): TValue {
  let value = args[0];
  for (const key of args.slice(1)) {
    if (value instanceof Map) {
      const zero = STRING_MAPS.has(value) ? '' : null;
      value = value.get(text('index', key)) ?? zero;
    } else if (Array.isArray(value)) {
      const i = int('index', key);
      if (i < 0 || i >= value.length)
        return fail(`index: index out of range: ${i}`);
      value = value[i];
    } else {
      return fail(`index: can't index item of type ${typeName(value)}`);
    }
  }
  return value;
}

function length(value: TValue): number {
  if (typeof value === 'string' || value instanceof Bytes)
    return toBytes(value).length;
  if (Array.isArray(value)) return value.length;
  if (value instanceof Map) return value.size;
  return fail(`len: cannot take the length of ${typeName(value)}`);
}

function fromJson(value: TValue): TValue {
  try {
    return unmarshalGoJson(text('fromJson', value));
  } catch (e) {
    if (e instanceof FunctionFailure) throw e;
    return fail(`fromJson: ${(e as Error).message}`);
  }
}

function b64dec(value: TValue): string | Bytes {
  const encoded = text('b64dec', value).replace(/[\r\n]/g, '');
  if (!STD_BASE64.test(encoded))
    return fail('b64dec: the value is not valid padded base64');
  return fromBytes(Buffer.from(encoded, 'base64'));
}

function indent(spaces: TValue, value: TValue): string {
  const pad = ' '.repeat(int('indent', spaces));
  return pad + text('indent', value).replace(/\n/g, `\n${pad}`);
}

const strFn = (
  name: string,
  f: (...s: string[]) => TValue,
  arity: number,
): Fn => ({
  min: arity,
  max: arity,
  call: args => f(...args.map(a => text(name, a))),
});

/** The supported functions, by name. */
export const TEMPLATE_FUNCTIONS: Record<string, Fn> = {
  // Go builtins
  and: {
    min: 1,
    max: Infinity,
    call: args => args.find(a => !isTruthy(a)) ?? args[args.length - 1],
  },
  or: {
    min: 1,
    max: Infinity,
    call: args => args.find(a => isTruthy(a)) ?? args[args.length - 1],
  },
  not: { min: 1, max: 1, call: ([a]) => !isTruthy(a) },
  eq: {
    min: 2,
    max: Infinity,
    call: ([a, ...rest]) => rest.some(b => equal(a, b)),
  },
  ne: { min: 2, max: 2, call: ([a, b]) => !equal(a, b) },
  len: { min: 1, max: 1, call: ([a]) => length(a) },
  index: { min: 1, max: Infinity, call: index },
  print: { min: 0, max: Infinity, call: print },
  printf: { min: 1, max: Infinity, call: printf },
  // sprig
  b64enc: {
    min: 1,
    max: 1,
    call: ([a]) =>
      Buffer.from(toBytes(stringish('b64enc', a))).toString('base64'),
  },
  b64dec: { min: 1, max: 1, call: ([a]) => b64dec(a) },
  upper: strFn('upper', s => s.toUpperCase(), 1),
  lower: strFn('lower', s => s.toLowerCase(), 1),
  trim: strFn('trim', s => s.trim(), 1),
  trimPrefix: strFn(
    'trimPrefix',
    (prefix, s) => (s.startsWith(prefix) ? s.slice(prefix.length) : s),
    2,
  ),
  trimSuffix: strFn(
    'trimSuffix',
    (suffix, s) =>
      suffix && s.endsWith(suffix) ? s.slice(0, -suffix.length) : s,
    2,
  ),
  replace: strFn('replace', (from, to, s) => s.split(from).join(to), 3),
  contains: strFn('contains', (sub, s) => s.includes(sub), 2),
  hasPrefix: strFn('hasPrefix', (prefix, s) => s.startsWith(prefix), 2),
  hasSuffix: strFn('hasSuffix', (suffix, s) => s.endsWith(suffix), 2),
  splitList: strFn('splitList', (sep, s) => s.split(sep), 2),
  split: strFn(
    'split',
    (sep, s) =>
      new Map<string, TValue>(s.split(sep).map((part, i) => [`_${i}`, part])),
    2,
  ),
  quote: {
    min: 0,
    max: Infinity,
    call: args =>
      args
        .filter(a => a !== null)
        .map(a => goQuote(asText(strval(a))))
        .join(' '),
  },
  squote: {
    min: 0,
    max: Infinity,
    call: args =>
      args
        .filter(a => a !== null)
        .map(a => `'${asText(strval(a))}'`)
        .join(' '),
  },
  toJson: { min: 1, max: 1, call: ([a]) => marshalGoJson(a) },
  fromJson: { min: 1, max: 1, call: ([a]) => fromJson(a) },
  toString: { min: 1, max: 1, call: (args: TValue[]) => strval(args[0]) },
  default: {
    min: 1,
    max: 2,
    call: ([fallback, given]) =>
      given === undefined || isEmpty(given) ? fallback : given,
  },
  empty: { min: 1, max: 1, call: ([a]) => isEmpty(a) },
  indent: { min: 2, max: 2, call: ([n, s]) => indent(n, s) },
  nindent: { min: 2, max: 2, call: ([n, s]) => `\n${indent(n, s)}` },
  join: {
    min: 2,
    max: 2,
    call: ([sep, l]) =>
      list('join', l)
        .map(v => asText(strval(v)))
        .join(text('join', sep)),
  },
  sha256sum: {
    min: 1,
    max: 1,
    call: ([a]) =>
      createHash('sha256')
        .update(toBytes(stringish('sha256sum', a)))
        .digest('hex'),
  },
};

// sprig's mustX of the functions above: ours already fail where X would hide an error.
for (const name of ['toJson', 'fromJson'])
  TEMPLATE_FUNCTIONS[`must${name[0].toUpperCase()}${name.slice(1)}`] =
    TEMPLATE_FUNCTIONS[name];
// The further sprig functions ESO enables and ESO's own, one family per file.
Object.assign(TEMPLATE_FUNCTIONS, ...FUNCTION_FAMILIES);
TEMPLATE_FUNCTIONS.mustToPrettyJson = TEMPLATE_FUNCTIONS.toPrettyJson;
TEMPLATE_FUNCTIONS.mustToRawJson = TEMPLATE_FUNCTIONS.toRawJson;

export const TEMPLATE_FUNCTION_NAMES = new Set(Object.keys(TEMPLATE_FUNCTIONS));
