import { compileGoRegExp } from './compileGoRegExp';

// Which expressions compile matches Go 1.26's regexp.Compile on the same text.
describe('compileGoRegExp', () => {
  it.each([
    ['(?i)abc'],
    ['(?P<x>a)'],
    ['(?<x>a)'],
    ['(?-i)a'],
    ['(?i-s)a'],
    ['(?im)a'],
    ['(?s).'],
    ['(?:a)'],
    ['()'],
    ['[[:alpha:]]'],
    ['[[:word:]]'],
    ['[\\#]'],
    ['[\\-a]'],
    ['[\\d]'],
    ['[]a]'],
    ['[a-]'],
    ['\\ '],
    ['\\#'],
    ['\\-'],
    ['\\/'],
    ['\\0'],
    ['\\12'],
    ['\\A'],
    ['\\z'],
    ['\\pL'],
    ['\\PL'],
    ['\\p{Greek}'],
    ['\\x41'],
    ['\\x{41}'],
    ['\\Q.*\\E'],
    ['\\d\\D\\w\\W\\s\\S\\b\\B'],
    [']'],
    ['{'],
    ['}'],
    ['a{'],
    ['a{,2}'],
    ['a{1,2}'],
    ['a{1000}'],
    ['a*?'],
    ['a|'],
  ])('should compile %j as Go does', source => {
    expect(compileGoRegExp(source).ok).toBe(true);
  });

  // Reasons are Go's own (regexp/syntax error codes and the offending text).
  it.each([
    ['(', 'missing closing ): `(`'],
    [')', 'unexpected ): `)`'],
    ['(?i', 'invalid or unsupported Perl syntax: `(?i`'],
    ['(?=a)', 'invalid or unsupported Perl syntax: `(?=`'],
    ['(?!a)', 'invalid or unsupported Perl syntax: `(?!`'],
    ['(?<=a)b', 'invalid named capture: `(?<=a)b`'],
    ['(a)\\1', 'invalid escape sequence: `\\1`'],
    ['\\8', 'invalid escape sequence: `\\8`'],
    ['\\e', 'invalid escape sequence: `\\e`'],
    ['\\Z', 'invalid escape sequence: `\\Z`'],
    ['[', 'missing closing ]: `[`'],
    ['[z-a]', 'invalid character class range: `z-a`'],
    ['\\', 'trailing backslash at end of expression'],
    ['*a', 'missing argument to repetition operator: `*`'],
    ['a**', 'invalid nested repetition operator: `**`'],
    ['a{1001}', 'invalid repeat count: `{1001}`'],
  ])('should refuse %j as Go does, saying %j', (source, reason) => {
    expect(compileGoRegExp(source)).toEqual({ ok: false, reason });
  });

  // Go accepts these; the old RE2-to-JavaScript translator refused them.
  it.each([['a(?i)b'], ['(?U)a+'], ['[[:^alpha:]]']])(
    'should compile Go syntax %j that JavaScript has no equivalent for',
    source => {
      expect(compileGoRegExp(source).ok).toBe(true);
    },
  );

  it.each([
    ['(?i)^db-(?P<name>.+)$', 'DB-main', true],
    ['^[[:digit:]]+$', '2024', true],
    ['^[[:digit:]]+$', '20a4', false],
    ['^a{$', 'a{', true],
    ['^\\Q.*\\E$', '.*', true],
    ['^\\Q.*\\E$', 'ab', false],
    ['abc\\z', 'xabc', true],
    ['abc\\z', 'abc\n', false],
    ['^\\x{41}\\101$', 'AA', true],
    ['a(?i)b', 'aB', true],
    ['a(?i)b', 'AB', false],
    ['^\\pL+$', 'Grüße', true],
    ['^\\pL+$', 'a1', false],
    ['^[[:^alpha:]]+$', '12', true],
    ['(?U)^(a+)', 'aaa', true],
  ])('should make %j match %j: %p', (source, text, matches) => {
    const result = compileGoRegExp(source);
    expect(result.ok && result.regExp.test(text)).toBe(matches);
  });

  it('should return Go group offsets and named groups for a match', () => {
    const result = compileGoRegExp('(?P<env>[a-z]+)-(\\d+)');
    if (!result.ok) throw new Error(result.reason);
    const match = result.regExp.find('x prod-42 y', 0);
    expect(
      match && [match.start, match.end, match.group(1), match.group(2)],
    ).toEqual([2, 9, 'prod', '42']);
    expect(result.regExp.namedGroups).toEqual({ env: 1 });
    expect(result.regExp.find('x prod-42 y', 3)?.group(1)).toBe('rod');
  });

  // A backtracking engine needs ~2^39 steps for this (hours); RE2 is linear,
  // so the test finishes well within jest's default 5 s timeout. On the old
  // translator (JavaScript RegExp) this test timed out.
  it('should not backtrack catastrophically on a tenant-supplied (a+)+$', () => {
    const result = compileGoRegExp('(a+)+$');
    if (!result.ok) throw new Error(result.reason);
    const text = `${'a'.repeat(39)}!`;
    expect(result.regExp.test(text)).toBe(false);
    expect(result.regExp.find(text, 0)).toBeUndefined();
  });
});
