/**
 * Go RE2 regular expressions (used by `rewrite[].regexp` and `find.name.regexp`)
 * run on JavaScript's engine: the syntax is translated where the two differ and
 * RE2-only features are rejected with a clear message, and replacement uses
 * Go's `ReplaceAllString` rules (`$1`, `${1}`, `$name`, `$$`; `$1_x` names the
 * group `1_x`, which expands to nothing, exactly as in Go).
 */

import { compileGoRegExp } from '@internal/backstage-plugin-external-secrets-common';

/** A Go regexp that cannot be used; the message names the construct. */
export class GoRegexpError extends Error {
  readonly name = 'GoRegexpError';
}

/**
 * Compiles a Go regexp (translated by the common package's `compileGoRegExp`,
 * which the manifest validator uses too, so both agree on what is valid);
 * throws `GoRegexpError` naming the problem.
 */
export function compileGoRegexp(pattern: string): RegExp {
  const compiled = compileGoRegExp(pattern);
  if (!compiled.ok) {
    throw new GoRegexpError(`invalid regular expression: ${compiled.reason}`);
  }
  return new RegExp(compiled.regExp.source, `${compiled.regExp.flags}g`);
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
