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
    ['(?=x)', 'lookahead'],
    ['(a)\\1', 'backreferences'],
    ['a(?i)b', 'inline flags'],
    ['[', 'missing closing'],
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
});
