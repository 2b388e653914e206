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

  it.each([
    ['(', 'unterminated group'],
    [')', "unmatched ')'"],
    ['(?i', 'invalid or unsupported Perl syntax'],
    ['(?=a)', 'lookahead and lookbehind assertions are not supported'],
    ['(?!a)', 'lookahead and lookbehind assertions are not supported'],
    ['(?<=a)b', 'lookahead and lookbehind assertions are not supported'],
    ['(a)\\1', 'invalid escape sequence (backreferences are not supported)'],
    ['\\8', 'invalid escape sequence (backreferences are not supported)'],
    ['\\e', 'invalid escape sequence: \\e'],
    ['\\k<a>', 'invalid escape sequence: \\k'],
    ['[\\b]', 'invalid escape sequence in a class: \\b'],
    ['[', 'missing closing ]'],
    ['[^]', 'missing closing ]'],
    ['[z-a]', 'range out of order in character class'],
    ['\\', 'trailing backslash at end of expression'],
    ['*a', 'nothing to repeat'],
    ['a**', 'nothing to repeat'],
    ['a{2}*', 'nothing to repeat'],
    ['a{1001}', 'invalid repeat count: {1001}'],
  ])('should refuse %j as Go does, saying %j', (source, reason) => {
    expect(compileGoRegExp(source)).toEqual({ ok: false, reason });
  });

  it.each([
    [
      'a(?i)b',
      'inline flags such as (?i) are only supported at the start of the expression',
    ],
    ['(?U)a+', 'flag U (ungreedy) is not supported'],
    ['[[:^alpha:]]', 'negated POSIX class [:^alpha:] is not supported'],
  ])(
    'should say plainly that Go syntax %j has no JavaScript equivalent',
    (source, reason) => {
      expect(compileGoRegExp(source)).toEqual({ ok: false, reason });
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
  ])('should make %j match %j: %p', (source, text, matches) => {
    const result = compileGoRegExp(source);
    expect(result.ok && result.regExp.test(text)).toBe(matches);
  });
});
