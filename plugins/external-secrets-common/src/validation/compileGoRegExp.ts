/**
 * ESO compiles regular expressions with Go's `regexp` package (RE2 syntax and
 * semantics, matched in linear time). We run them on `re2js`, a pure-JavaScript
 * port of RE2 that works in Node and the browser: the same syntax is accepted
 * and refused as in Go, `(?i)` anywhere, `(?P<name>...)`, `\z`, `\pL`, POSIX
 * classes, and no pattern can backtrack catastrophically (a tenant-supplied
 * `(a+)+$` is as cheap as any other).
 */

import { RE2JS, RE2JSException } from 're2js';

/** One match of a {@link GoRegExp}: UTF-16 offsets, as JavaScript strings use. @public */
export type GoRegExpMatch = {
  /** Start of the whole match. */
  start: number;
  /** End (exclusive) of the whole match. */
  end: number;
  /** Text of group `n` (0 is the whole match); `undefined` when it did not take part. */
  group(n: number): string | undefined;
};

/** A compiled Go regular expression. @public */
export type GoRegExp = {
  /** The expression as written. */
  readonly source: string;
  /** Number of capturing groups (not counting the whole match). */
  readonly groupCount: number;
  /** Capturing group numbers by name (`(?P<name>...)` and `(?<name>...)`). */
  readonly namedGroups: Readonly<Record<string, number>>;
  /** Go's `MatchString`: does the expression match anywhere in `text`. */
  test(text: string): boolean;
  /** The leftmost match starting at or after `from`, or `undefined`. */
  find(text: string, from: number): GoRegExpMatch | undefined;
};

/** Result of {@link compileGoRegExp}. @public */
export type GoRegExpResult =
  | { ok: true; regExp: GoRegExp }
  | { ok: false; reason: string };

function wrap(source: string, pattern: RE2JS): GoRegExp {
  return {
    source,
    groupCount: pattern.groupCount(),
    namedGroups: { ...pattern.namedGroups() },
    test: text => pattern.test(text),
    find(text, from) {
      const matcher = pattern.matcher(text);
      if (!matcher.find(from)) return undefined;
      return {
        start: matcher.start(),
        end: matcher.end(),
        group: n => matcher.group(n) ?? undefined,
      };
    },
  };
}

/** Go reports `error parsing regexp: <reason>`; callers add their own context. */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^error parsing regexp: /, '');
}

/**
 * Compiles a Go regular expression as ESO does (`regexp.Compile`), for the
 * fields where ESO takes one: `find.name.regexp`, `rewrite[].regexp.source`
 * and ClusterSecretStore `namespaceRegexes`.
 *
 * @param source - the expression as written in the manifest.
 * @returns `{ ok: true, regExp }` or `{ ok: false, reason }` with Go's reason
 * (e.g. `missing closing ): (`, `invalid or unsupported Perl syntax: (?=`).
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
    return { ok: true, regExp: wrap(source, RE2JS.compile(source)) };
  } catch (error) {
    if (error instanceof RE2JSException) {
      return { ok: false, reason: reasonOf(error) };
    }
    throw error;
  }
}
