import { compileGoRegexp, goRegexpMatches, goReplaceAll } from './goRegexp';

// Every expected value below was produced by Go's regexp.ReplaceAllString.
describe('goReplaceAll', () => {
  it.each([
    ['^db_(.*)$', 'db_user', '$1', 'user'],
    ['^db_(.*)$', 'db_user', '${1}_x', 'user_x'],
    ['^db_(.*)$', 'db_user', '$1_x', ''],
    ['^(?P<n>db)_(.*)$', 'db_user', '${n}-$2', 'db-user'],
    ['a*', 'baaac', '-', '-b-c-'],
    ['x*', 'abc', '-', '-a-b-c-'],
    ['_', 'a_b_c', '-', 'a-b-c'],
    ['(?i)^DB', 'db_x', 'sql', 'sql_x'],
    ['^(.*)$', 'k', '$$1', '$1'],
    ['^(.*)$', 'k', '$', '$'],
    ['^(.*)$', 'k', '${1', '${1'],
    ['(a)(b)?', 'ac', '[$2]', '[]c'],
    ['^', 'abc', 'p_', 'p_abc'],
    ['$', 'abc', '_s', 'abc_s'],
    ['\\.', 'a.b.c', '_', 'a_b_c'],
    ['^(\\w+)/(\\w+)$', 'app/db', '$1_$2', 'db'],
    ['^(\\w+)/(\\w+)$', 'app/db', '${1}_${2}', 'app_db'],
    ['[[:upper:]]', 'aBcD', 'x', 'axcx'],
    ['(?s)a.b', 'a\nb', 'x', 'x'],
    ['^$', '', 'empty', 'empty'],
    ['a(?i)b', 'ab_aB_AB', 'x', 'x_x_AB'],
    ['\\pL+', 'ab12cd', 'L', 'L12L'],
    ['^(?P<first>\\pL+)-(\\d+)\\z', 'grüße-42', '${first}', 'grüße'],
    ['x\\z', 'ax\nx', 'y', 'ax\ny'],
    ['😀|b', 'a😀b', '-', 'a--'],
  ])(
    'should rewrite /%s/ on %j with %j to %j like Go',
    (source, input, target, expected) => {
      expect(goReplaceAll(compileGoRegexp(source), input, target)).toBe(
        expected,
      );
    },
  );
});

describe('compileGoRegexp', () => {
  it.each([
    ['(?=x)', 'invalid or unsupported Perl syntax: `(?=`'],
    ['(a)\\1', 'invalid escape sequence: `\\1`'],
    ['a\\Z', 'invalid escape sequence: `\\Z`'],
    ['[', 'missing closing ]'],
  ])(
    'should reject %s, which Go (RE2) does not accept, naming %s',
    (source, words) => {
      expect(() => compileGoRegexp(source)).toThrow(words);
    },
  );

  it('should match anywhere in the name, as regexp.MatchString does', () => {
    expect(goRegexpMatches(compileGoRegexp('DB_'), 'APP_DB_USER')).toBe(true);
    expect(goRegexpMatches(compileGoRegexp('^DB_'), 'APP_DB_USER')).toBe(false);
  });

  // Linear-time RE2: a backtracking engine needs ~2^39 steps on this input (the
  // old translator ran it on JavaScript's RegExp and this test timed out).
  it('should rewrite with (a+)+$ on a hostile key without backtracking', () => {
    const key = `${'a'.repeat(39)}!`;
    expect(goReplaceAll(compileGoRegexp('(a+)+$'), key, 'x')).toBe(key);
    expect(goRegexpMatches(compileGoRegexp('(a+)+$'), key)).toBe(false);
  });
});
