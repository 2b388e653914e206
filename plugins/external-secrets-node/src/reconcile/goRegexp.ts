/**
 * Go RE2 regular expressions (used by `rewrite[].regexp` and `find.name.regexp`)
 * run on JavaScript's engine: the syntax is translated where the two differ and
 * RE2-only features are rejected with a clear message, and replacement uses
 * Go's `ReplaceAllString` rules (`$1`, `${1}`, `$name`, `$$`; `$1_x` names the
 * group `1_x`, which expands to nothing, exactly as in Go).
 */

/** A Go regexp that cannot be used; the message names the construct. */
export class GoRegexpError extends Error {
  readonly name = 'GoRegexpError';
}

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
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const GO_SPACE = '\\t\\n\\f\\r ';

function escapeLiteral(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

type Translation = { source: string; flags: string };

function leadingFlags(pattern: string): { flags: string; rest: string } {
  const match = /^\(\?([imsU]+)\)/.exec(pattern);
  if (!match) return { flags: '', rest: pattern };
  if (match[1].includes('U'))
    throw new GoRegexpError('the (?U) flag is not supported');
  return {
    flags: [...new Set(match[1])].join(''),
    rest: pattern.slice(match[0].length),
  };
}

function translateEscape(
  pattern: string,
  i: number,
  inClass: boolean,
): [string, number] {
  const next = pattern[i + 1];
  if (next === undefined) throw new GoRegexpError('trailing backslash');
  if (/[1-9]/.test(next))
    throw new GoRegexpError('backreferences are not supported by Go (RE2)');
  if (next === 'A' && !inClass) return ['(?<![\\s\\S])', i + 2];
  if (next === 'z' && !inClass) return ['(?![\\s\\S])', i + 2];
  if (next === 's') return [inClass ? GO_SPACE : `[${GO_SPACE}]`, i + 2];
  if (next === 'S' && !inClass) return [`[^${GO_SPACE}]`, i + 2];
  if (next === 'Q') {
    const end = pattern.indexOf('\\E', i + 2);
    const literal = pattern.slice(i + 2, end === -1 ? undefined : end);
    return [escapeLiteral(literal), end === -1 ? pattern.length : end + 2];
  }
  if (next === 'x' && pattern[i + 2] === '{')
    throw new GoRegexpError('\\x{...} escapes are not supported');
  return [`\\${next}`, i + 2];
}

function translateGroup(pattern: string, i: number): [string, number] {
  const rest = pattern.slice(i);
  if (rest.startsWith('(?P<')) return ['(?<', i + 4];
  if (rest.startsWith('(?<') && !/^\(\?<[=!]/.test(rest)) return ['(?<', i + 3];
  if (rest.startsWith('(?:')) return ['(?:', i + 3];
  if (/^\(\?<?[=!]/.test(rest))
    throw new GoRegexpError(
      'lookahead and lookbehind are not supported by Go (RE2)',
    );
  if (rest.startsWith('(?'))
    throw new GoRegexpError(
      'inline flags are only supported at the start of the expression',
    );
  return ['(', i + 1];
}

function translateClass(pattern: string, i: number): [string, number] {
  let out = '[';
  let j = i + 1;
  if (pattern[j] === '^') out += pattern[j++];
  if (pattern[j] === ']') out += `\\${pattern[j++]}`;
  while (j < pattern.length && pattern[j] !== ']') {
    const posix = /^\[:(\^?)([a-z]+):\]/.exec(pattern.slice(j));
    if (posix) {
      const cls = POSIX_CLASSES[posix[2]];
      if (!cls || posix[1])
        throw new GoRegexpError(
          `character class [:${posix[1]}${posix[2]}:] is not supported`,
        );
      out += cls;
      j += posix[0].length;
    } else if (pattern[j] === '\\') {
      const [text, k] = translateEscape(pattern, j, true);
      out += text;
      j = k;
    } else {
      out += pattern[j] === '[' ? '\\[' : pattern[j];
      j++;
    }
  }
  if (j >= pattern.length) throw new GoRegexpError('missing closing ]');
  return [`${out}]`, j + 1];
}

function translate(pattern: string): Translation {
  const { flags, rest } = leadingFlags(pattern);
  let source = '';
  let i = 0;
  while (i < rest.length) {
    const c = rest[i];
    let piece: [string, number];
    if (c === '\\') piece = translateEscape(rest, i, false);
    else if (c === '(') piece = translateGroup(rest, i);
    else if (c === '[') piece = translateClass(rest, i);
    else if (c === '.' && !flags.includes('s')) piece = ['[^\\n]', i + 1];
    else piece = [c, i + 1];
    source += piece[0];
    i = piece[1];
  }
  const unicode = /\\[pP]/.test(source) ? 'u' : '';
  return {
    source,
    flags: flags.replace('s', '') + (flags.includes('s') ? 's' : '') + unicode,
  };
}

/** Compiles a Go regexp; throws `GoRegexpError` naming the problem. */
export function compileGoRegexp(pattern: string): RegExp {
  const { source, flags } = translate(pattern);
  try {
    return new RegExp(source, `${flags}g`);
  } catch (e) {
    throw new GoRegexpError(
      `invalid regular expression: ${(e as Error).message}`,
    );
  }
}

/** Go's `regexp.MatchString`: does the pattern match anywhere in `text`. */
export function goRegexpMatches(re: RegExp, text: string): boolean {
  re.lastIndex = 0;
  return re.exec(text) !== null;
}

const NAME_CHAR = /[\p{L}\p{Nd}_]/u;

/** Go's `Regexp.Expand` of `template` for one match. */
function expand(template: string, match: RegExpExecArray): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const dollar = template.indexOf('$', i);
    if (dollar === -1) break;
    out += template.slice(i, dollar);
    i = dollar + 1;
    if (template[i] === '$') {
      out += '$';
      i++;
      continue;
    }
    const brace = template[i] === '{';
    let j = brace ? i + 1 : i;
    const nameStart = j;
    while (j < template.length && NAME_CHAR.test(template[j])) j++;
    const name = template.slice(nameStart, j);
    if (name === '' || (brace && template[j] !== '}')) {
      out += '$';
      continue;
    }
    i = brace ? j + 1 : j;
    out += groupText(match, name);
  }
  return out + template.slice(i);
}

function groupText(match: RegExpExecArray, name: string): string {
  const isNumber =
    /^\d+$/.test(name) && !(name.length > 1 && name.startsWith('0'));
  if (isNumber) return match[Number(name)] ?? '';
  return match.groups?.[name] ?? '';
}

/** UTF-16 units of the character at `pos` (Go advances one rune at a time). */
function runeWidth(text: string, pos: number): number {
  const code = text.codePointAt(pos);
  if (code === undefined) return 0;
  return code > 0xffff ? 2 : 1;
}

/** Go's `Regexp.ReplaceAllString`, including its empty-match rules. */
export function goReplaceAll(
  re: RegExp,
  src: string,
  template: string,
): string {
  let out = '';
  let lastMatchEnd = 0;
  let searchPos = 0;
  while (searchPos <= src.length) {
    re.lastIndex = searchPos;
    const match = re.exec(src);
    if (!match) break;
    const start = match.index;
    const end = start + match[0].length;
    out += src.slice(lastMatchEnd, start);
    // Go skips an empty match right after a previous match.
    if (end > lastMatchEnd || start === 0) out += expand(template, match);
    lastMatchEnd = end;
    const width = runeWidth(src, searchPos);
    if (searchPos + width > end) searchPos += width;
    else if (searchPos + 1 > end) searchPos++;
    else searchPos = end;
  }
  return out + src.slice(lastMatchEnd);
}
