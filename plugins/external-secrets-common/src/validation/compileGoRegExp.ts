/**
 * ESO compiles regular expressions with Go's `regexp` package (RE2 syntax). This
 * translates Go syntax to an equivalent JavaScript `RegExp` (unicode mode), and
 * rejects what Go rejects, so that `(?i)` prefixes, `(?P<name>...)`, `\z`, POSIX
 * classes or literal `{` work as they do in ESO, and lookarounds or
 * backreferences (JavaScript-only) are refused as ESO refuses them.
 */

/** Result of {@link compileGoRegExp}. @public */
export type GoRegExpResult =
  | { ok: true; regExp: RegExp }
  | { ok: false; reason: string };

/** Characters that must stay escaped in a JavaScript unicode-mode pattern. */
const JS_SYNTAX = new Set([...'^$\\.*+?()[]{}|/']);
/** Characters that must be escaped inside a JavaScript character class. */
const JS_CLASS_SYNTAX = new Set([...'\\]-^[']);

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`\\{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const GENERAL_CATEGORIES = new Set([
  ...['C', 'Cc', 'Cf', 'Co', 'Cs', 'L', 'Ll', 'Lm', 'Lo', 'Lt', 'Lu'],
  ...['M', 'Mc', 'Me', 'Mn', 'N', 'Nd', 'Nl', 'No', 'P', 'Pc', 'Pd'],
  ...['Pe', 'Pf', 'Pi', 'Po', 'Ps', 'S', 'Sc', 'Sk', 'Sm', 'So'],
  ...['Z', 'Zl', 'Zp', 'Zs', 'Any'],
]);

/** Go's repeat counts are limited to 1000. */
const MAX_REPEAT = 1000;

class GoSyntaxError extends Error {}

type Step = { text: string; next: number };

function codePointEscape(codePoint: number): string {
  return `\\u{${codePoint.toString(16)}}`;
}

function literal(char: string, inClass: boolean): string {
  const special = inClass ? JS_CLASS_SYNTAX : JS_SYNTAX;
  return special.has(char) ? `\\${char}` : char;
}

/** `\pL`, `\p{Greek}`, `\p{^Greek}`, `\PL`. */
function unicodeClass(src: string, i: number): Step {
  let negated = src[i] === 'P';
  let name: string;
  let next: number;
  if (src[i + 1] === '{') {
    const close = src.indexOf('}', i + 2);
    if (close < 0) throw new GoSyntaxError('invalid character class range');
    name = src.slice(i + 2, close);
    next = close + 1;
  } else {
    name = src[i + 1] ?? '';
    next = i + 2;
  }
  if (name.startsWith('^')) {
    negated = !negated;
    name = name.slice(1);
  }
  if (!/^[A-Za-z_]+$/.test(name)) {
    throw new GoSyntaxError('invalid character class range');
  }
  const property = GENERAL_CATEGORIES.has(name) ? name : `Script=${name}`;
  return { text: `\\${negated ? 'P' : 'p'}{${property}}`, next };
}

/** `\x41`, `\x{10FFFF}`. */
function hexEscape(src: string, i: number): Step {
  if (src[i + 1] === '{') {
    const close = src.indexOf('}', i + 2);
    const digits = close < 0 ? '' : src.slice(i + 2, close);
    const value = /^[0-9A-Fa-f]{1,8}$/.test(digits)
      ? parseInt(digits, 16)
      : NaN;
    if (!(value <= 0x10ffff))
      throw new GoSyntaxError('invalid escape sequence');
    return { text: codePointEscape(value), next: close + 1 };
  }
  const digits = src.slice(i + 1, i + 3);
  if (!/^[0-9A-Fa-f]{2}$/.test(digits)) {
    throw new GoSyntaxError('invalid escape sequence');
  }
  return { text: codePointEscape(parseInt(digits, 16)), next: i + 3 };
}

/** `\0`, `\012`, `\12`; a lone `\1`..`\9` is a backreference, which Go refuses. */
function octalEscape(src: string, i: number): Step {
  const match = /^(?:0[0-7]{0,2}|[1-7][0-7]{1,2})/.exec(src.slice(i));
  if (!match) {
    throw new GoSyntaxError(
      'invalid escape sequence (backreferences are not supported)',
    );
  }
  return {
    text: codePointEscape(parseInt(match[0], 8)),
    next: i + match[0].length,
  };
}

/** `\Q...\E`: everything in between is literal. */
function quotedLiteral(src: string, i: number, inClass: boolean): Step {
  const end = src.indexOf('\\E', i);
  const body = end < 0 ? src.slice(i) : src.slice(i, end);
  const text = [...body].map(c => literal(c, inClass)).join('');
  return { text, next: end < 0 ? src.length : end + 2 };
}

const ASSERTIONS: Record<string, string> = {
  b: '\\b',
  B: '\\B',
  A: '(?<![\\s\\S])',
  z: '(?![\\s\\S])',
};

/** An escape starting at `src[i] === '\\'`. */
function escape(src: string, i: number, inClass: boolean): Step {
  const c = src[i + 1];
  if (c === undefined) {
    throw new GoSyntaxError('trailing backslash at end of expression');
  }
  if (c >= '0' && c <= '9') return octalEscape(src, i + 1);
  switch (c) {
    case 'x':
      return hexEscape(src, i + 1);
    case 'p':
    case 'P':
      return unicodeClass(src, i + 1);
    case 'Q':
      return quotedLiteral(src, i + 2, inClass);
    case 'a':
      return { text: '\\x07', next: i + 2 };
    case 'f':
    case 'n':
    case 'r':
    case 't':
    case 'v':
    case 'd':
    case 'D':
    case 's':
    case 'S':
    case 'w':
    case 'W':
      return { text: `\\${c}`, next: i + 2 };
    case 'b':
    case 'B':
    case 'A':
    case 'z':
      if (inClass) {
        throw new GoSyntaxError(`invalid escape sequence in a class: \\${c}`);
      }
      return { text: ASSERTIONS[c], next: i + 2 };
    default:
      // Go accepts any escaped ASCII character other than a letter or digit as a literal.
      if (c < '\x80' && !/[A-Za-z]/.test(c)) {
        return { text: literal(c, inClass), next: i + 2 };
      }
      throw new GoSyntaxError(`invalid escape sequence: \\${c}`);
  }
}

/** A bracket expression starting at `src[i] === '['`. */
function characterClass(src: string, start: number): Step {
  let i = start + 1;
  let text = '[';
  if (src[i] === '^') {
    text += '^';
    i++;
  }
  // A `]` right after `[` or `[^` is a literal in Go.
  if (src[i] === ']') {
    text += '\\]';
    i++;
  }
  while (i < src.length && src[i] !== ']') {
    const posix = /^\[:(\^?)([a-z]+):\]/.exec(src.slice(i));
    if (posix) {
      const expansion = POSIX_CLASSES[posix[2]];
      if (!expansion) throw new GoSyntaxError('invalid character class range');
      if (posix[1]) {
        throw new GoSyntaxError(
          `negated POSIX class [:^${posix[2]}:] is not supported`,
        );
      }
      text += expansion;
      i += posix[0].length;
    } else if (src[i] === '\\') {
      const step = escape(src, i, true);
      text += step.text;
      i = step.next;
    } else {
      text += src[i] === '[' ? '\\[' : src[i];
      i++;
    }
  }
  if (i >= src.length) throw new GoSyntaxError('missing closing ]');
  return { text: `${text}]`, next: i + 1 };
}

/** `{n}`, `{n,}`, `{n,m}` repeat; anything else is a literal `{` in Go. */
function brace(src: string, i: number): Step {
  const match = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i));
  if (!match) return { text: '\\{', next: i + 1 };
  const min = Number(match[1]);
  const max = match[3] ? Number(match[3]) : min;
  if (min > MAX_REPEAT || max > MAX_REPEAT || (match[3] && max < min)) {
    throw new GoSyntaxError(`invalid repeat count: ${match[0]}`);
  }
  return { text: match[0], next: i + match[0].length };
}

/** A group opener at `src[i] === '('`. */
function group(src: string, i: number): Step {
  if (src[i + 1] !== '?') return { text: '(', next: i + 1 };
  const rest = src.slice(i + 2);
  if (rest.startsWith(':')) return { text: '(?:', next: i + 3 };
  if (/^(=|!|<=|<!)/.test(rest)) {
    throw new GoSyntaxError(
      'lookahead and lookbehind assertions are not supported',
    );
  }
  const named = /^P?<([^>]*)>/.exec(rest);
  if (named) {
    return { text: `(?<${named[1]}>`, next: i + 2 + named[0].length };
  }
  if (/^[imsU-]+[:)]/.test(rest)) {
    throw new GoSyntaxError(
      'inline flags such as (?i) are only supported at the start of the expression',
    );
  }
  throw new GoSyntaxError('invalid or unsupported Perl syntax');
}

/** Leading `(?flags)` become JavaScript flags. */
function leadingFlags(src: string): { flags: string; next: number } {
  const match = /^\(\?([imsU]*)(?:-([imsU]*))?\)/.exec(src);
  if (!match || (match[1] === '' && !match[2])) return { flags: '', next: 0 };
  const on = new Set(match[1]);
  for (const off of match[2] ?? '') on.delete(off);
  if (on.has('U')) {
    throw new GoSyntaxError('flag U (ungreedy) is not supported');
  }
  return { flags: [...on].sort().join(''), next: match[0].length };
}

function translate(src: string): { source: string; flags: string } {
  const { flags, next } = leadingFlags(src);
  let i = next;
  let source = '';
  while (i < src.length) {
    const c = src[i];
    let step: Step;
    if (c === '\\') step = escape(src, i, false);
    else if (c === '[') step = characterClass(src, i);
    else if (c === '(') step = group(src, i);
    else if (c === '{') step = brace(src, i);
    else if (c === '}' || c === ']') step = { text: `\\${c}`, next: i + 1 };
    else step = { text: c, next: i + 1 };
    source += step.text;
    i = step.next;
  }
  return { source, flags };
}

/** JavaScript's "Invalid regular expression: /x/u: Unterminated group" → "Unterminated group". */
function jsReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const reason = /: ([^:]+)$/.exec(message);
  return (reason ? reason[1] : message).toLowerCase();
}

/**
 * Compiles a regular expression written in Go's RE2 syntax (as ESO's
 * `find.name.regexp`, `rewrite[].regexp.source` and ClusterSecretStore
 * `namespaceRegexes` are) into an equivalent JavaScript `RegExp`.
 *
 * Go syntax without a JavaScript equivalent is reported instead of
 * misinterpreted: inline flags other than a leading `(?flags)`, the ungreedy
 * flag `U`, and negated POSIX classes (`[:^alpha:]`). `\s` and `.` follow
 * JavaScript's (Unicode-wider) definitions.
 *
 * @param source - the expression as written in the manifest.
 * @returns `{ ok: true, regExp }` or `{ ok: false, reason }` with Go-like reasons
 * (e.g. `missing closing )`, `lookahead and lookbehind assertions are not supported`).
 * @example
 * ```ts
 * const result = compileGoRegExp('(?i)^db-(?P<name>.+)$');
 * if (result.ok) result.regExp.test('DB-main'); // true
 * ```
 * @public
 */
export function compileGoRegExp(source: string): GoRegExpResult {
  if (typeof source !== 'string') {
    return { ok: false, reason: 'must be a string' };
  }
  try {
    const translated = translate(source);
    return {
      ok: true,
      regExp: new RegExp(translated.source, `${translated.flags}u`),
    };
  } catch (error) {
    return {
      ok: false,
      reason: error instanceof GoSyntaxError ? error.message : jsReason(error),
    };
  }
}
