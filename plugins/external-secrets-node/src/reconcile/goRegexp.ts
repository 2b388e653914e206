/**
 * Go RE2 regular expressions (used by `rewrite[].regexp` and `find.name.regexp`)
 * run on an RE2 port (the common package's `compileGoRegExp`, on `re2js`):
 * Go's syntax and linear-time matching, so a tenant-supplied pattern cannot
 * backtrack catastrophically. Replacement uses Go's `ReplaceAllString` rules
 * (`$1`, `${1}`, `$name`, `$$`; `$1_x` names the group `1_x`, which expands to
 * nothing, exactly as in Go).
 */

import {
  compileGoRegExp,
  type GoRegExp,
  type GoRegExpMatch,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';

export type { GoRegExp };

/** A Go regexp that cannot be used; the message names the construct. */
export class GoRegexpError extends Error {
  readonly name = 'GoRegexpError';
}

/**
 * Compiles a Go regexp (with the common package's `compileGoRegExp`, which the
 * manifest validator uses too, so both agree on what is valid); throws
 * `GoRegexpError` with Go's reason.
 */
export function compileGoRegexp(pattern: string): GoRegExp {
  const compiled = compileGoRegExp(pattern);
  if (!compiled.ok) {
    throw new GoRegexpError(`invalid regular expression: ${compiled.reason}`);
  }
  return compiled.regExp;
}

/** Go's `regexp.MatchString`: does the pattern match anywhere in `text`. */
export function goRegexpMatches(re: GoRegExp, text: string): boolean {
  return re.test(text);
}

const NAME_CHAR = /[\p{L}\p{Nd}_]/u;

/** Go's `Regexp.Expand` of `template` for one match. */
function expand(re: GoRegExp, template: string, match: GoRegExpMatch): string {
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
    out += groupText(re, match, name);
  }
  return out + template.slice(i);
}

function groupText(re: GoRegExp, match: GoRegExpMatch, name: string): string {
  const isNumber =
    /^\d+$/.test(name) && !(name.length > 1 && name.startsWith('0'));
  const group = isNumber ? Number(name) : re.namedGroups[name];
  if (group === undefined || group > re.groupCount) return '';
  return match.group(group) ?? '';
}

/** UTF-16 units of the character at `pos` (Go advances one rune at a time). */
function runeWidth(text: string, pos: number): number {
  const code = text.codePointAt(pos);
  if (code === undefined) return 0;
  return code > 0xffff ? 2 : 1;
}

/** Go's `Regexp.ReplaceAllString`, including its empty-match rules. */
export function goReplaceAll(
  re: GoRegExp,
  src: string,
  template: string,
): string {
  let out = '';
  let lastMatchEnd = 0;
  let searchPos = 0;
  while (searchPos <= src.length) {
    const match = re.find(src, searchPos);
    if (!match) break;
    const { start, end } = match;
    out += src.slice(lastMatchEnd, start);
    // Go skips an empty match right after a previous match.
    if (end > lastMatchEnd || start === 0) out += expand(re, template, match);
    lastMatchEnd = end;
    const width = runeWidth(src, searchPos);
    if (searchPos + width > end) searchPos += width;
    else if (searchPos + 1 > end) searchPos++;
    else searchPos = end;
  }
  return out + src.slice(lastMatchEnd);
}
