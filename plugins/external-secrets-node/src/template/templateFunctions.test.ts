import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SecretValue } from '../values/SecretValue';
import { TEMPLATE_FUNCTION_NAMES } from './functions';
import { renderTemplate } from './renderTemplate';
import { TemplateError } from './TemplateError';

const DATA = new Map(
  Object.entries({
    user: 'alice',
    yaml: 'b: 2\na:\n  - x\n  - "y"\n',
    json: '{"port": 8080, "tags": ["a", "b"]}',
  }).map(([k, v]) => [k, SecretValue.fromString(v)]),
);

function render(text: string): string {
  return renderTemplate({ name: 'out', text, data: DATA }).text();
}

// Expected values are those of sprig v3's documentation and tests
// (github.com/Masterminds/sprig: strings_test.go, regex_test.go, list_test.go,
// dict_test.go, numeric_test.go, crypto_test.go) and, for toYaml/fromYaml,
// ESO's pkg/template/v2/template_test.go (TestExecute "toYaml"/"fromYaml").
describe('sprig functions ESO enables', () => {
  it.each([
    ['title', '{{ title "hello world" }}', 'Hello World'],
    ['untitle', '{{ untitle "Hello World" }}', 'hello world'],
    ['repeat', '{{ repeat 3 "hi" }}', 'hihihi'],
    ['substr', '{{ substr 0 5 "hello world" }}', 'hello'],
    ['nospace', '{{ nospace "hello w o r l d" }}', 'helloworld'],
    ['trunc', '{{ trunc 5 "hello world" }}', 'hello'],
    ['trunc negative', '{{ trunc -5 "hello world" }}', 'world'],
    ['abbrev', '{{ abbrev 5 "hello world" }}', 'he...'],
    ['trimAll', '{{ trimAll "$" "$5.00$" }}', '5.00'],
    ['cat', '{{ cat "hello" "beautiful" "world" }}', 'hello beautiful world'],
    [
      'plural',
      '{{ plural "one anchovy" "many anchovies" 2 }}',
      'many anchovies',
    ],
    ['snakecase', '{{ snakecase "FirstName" }}', 'first_name'],
    ['kebabcase', '{{ kebabcase "FirstName" }}', 'first-name'],
    ['camelcase', '{{ camelcase "http_server" }}', 'HttpServer'],
    [
      'sha1sum',
      '{{ sha1sum "Hello world!" }}',
      'd3486ae9136e7856bc42212385ea797094475802',
    ],
    [
      'adler32sum (the Adler-32 reference example)',
      '{{ adler32sum "Wikipedia" }}',
      '300286872',
    ],
    ['b32enc', '{{ b32enc "Hello" }}', 'JBSWY3DP'],
    [
      'regexMatch',
      '{{ regexMatch "^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\\\.[A-Za-z]{2,}$" "test@acme.com" }}',
      'true',
    ],
    ['regexFind', '{{ regexFind "[a-zA-Z][1-9]" "abcd1234" }}', 'd1'],
    [
      'regexFindAll',
      '{{ regexFindAll "[2,4,6,8]" "123456789" -1 }}',
      '[2 4 6 8]',
    ],
    [
      'regexFindAll limited',
      '{{ regexFindAll "[2,4,6,8]" "123456789" 2 }}',
      '[2 4]',
    ],
    [
      'regexReplaceAll',
      '{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }}',
      '-W-xxW-',
    ],
    [
      'regexReplaceAllLiteral',
      '{{ regexReplaceAllLiteral "a(x*)b" "-ab-axxb-" "${1}" }}',
      '-${1}-${1}-',
    ],
    ['regexSplit', '{{ regexSplit "z+" "pizza" -1 }}', '[pi a]'],
    ['regexQuoteMeta', '{{ regexQuoteMeta "1.2.3" }}', '1\\.2\\.3'],
    [
      'regex with Go syntax',
      '{{ regexMatch "(?i)^ALICE\\\\z" .user }}',
      'true',
    ],
    ['atoi', '{{ add (atoi "40") 2 }}', '42'],
    [
      'add/sub/mul/div/mod',
      '{{ add 1 2 3 }} {{ sub 5 2 }} {{ mul 2 3 4 }} {{ div 7 2 }} {{ mod 7 2 }}',
      '6 3 24 3 1',
    ],
    ['max/min', '{{ max 1 5 3 }} {{ min 4 2 9 }}', '5 2'],
    ['float64', '{{ float64 "1.5" }}', '1.5'],
    [
      'list/first/last/rest/initial',
      '{{ $l := list 1 2 3 }}{{ first $l }}{{ last $l }}{{ rest $l }}{{ initial $l }}',
      '13[2 3][1 2]',
    ],
    [
      'append/prepend/concat',
      '{{ append (list 1) 2 }}{{ prepend (list 2) 1 }}{{ concat (list 1) (list 2 3) }}',
      '[1 2][1 2][1 2 3]',
    ],
    [
      'uniq/compact/reverse',
      '{{ uniq (list 1 1 2) }}{{ compact (list 1 "" 2) }}{{ reverse (list 1 2) }}',
      '[1 2][1 2][2 1]',
    ],
    [
      'has/without',
      '{{ has 4 (list 1 2 3 4) }}{{ without (list 1 2 3) 2 }}',
      'true[1 3]',
    ],
    ['sortAlpha', '{{ sortAlpha (list "c" "a" "b") }}', '[a b c]'],
    [
      'dict/get/hasKey/keys',
      '{{ $d := dict "b" "2" "a" "1" }}{{ get $d "a" }}{{ hasKey $d "b" }}{{ keys $d }}',
      '1true[a b]',
    ],
    [
      'set/unset',
      '{{ $d := dict "a" "1" }}{{ $_ := set $d "b" "2" }}{{ $_ := unset $d "a" }}{{ $d }}',
      'map[b:2]',
    ],
    [
      'pick/omit/values',
      '{{ $d := dict "a" "1" "b" "2" }}{{ pick $d "a" }}{{ omit $d "a" }}{{ values $d }}',
      'map[a:1]map[b:2][1 2]',
    ],
    [
      'ternary',
      '{{ ternary "foo" "bar" true }}{{ ternary "foo" "bar" false }}',
      'foobar',
    ],
    ['coalesce', '{{ coalesce "" .user "x" }}', 'alice'],
    ['all/any', '{{ all 1 "" }}{{ any 0 "x" }}', 'falsetrue'],
    [
      'toRawJson',
      '{{ toRawJson (dict "b" 1 "a" "<x>") }}',
      '{"a":"<x>","b":1}',
    ],
    ['toPrettyJson', '{{ toPrettyJson (dict "a" 1) }}', '{\n  "a": 1\n}'],
    ['typeOf/kindOf', '{{ typeOf .user }} {{ kindOf (list) }}', 'string slice'],
    [
      'toYaml of fromJson, keys sorted, no trailing newline',
      '{{ .json | fromJson | toYaml }}',
      'port: 8080\ntags:\n  - a\n  - b',
    ],
    [
      'fromYaml then index',
      '{{ $y := fromYaml .yaml }}{{ $y.b }} {{ index $y.a 1 }}',
      '2 y',
    ],
    [
      'range over fromYaml',
      '{{ range $k, $v := fromYaml "k1: v1\\nk2: v2" }}{{ $k }}={{ $v }};{{ end }}',
      'k1=v1;k2=v2;',
    ],
  ])('%s', (_, template, expected) => {
    expect(render(template)).toBe(expected);
  });

  it.each([
    ['env', '{{ env "HOME" }}'],
    ['expandenv', '{{ expandenv "$HOME" }}'],
  ])(
    'should not offer %s (ESO deletes it: templates do no I/O)',
    (name, template) => {
      expect(() => render(template)).toThrow(`function "${name}" not defined`);
    },
  );

  it('should fail, naming the position, on an invalid regexp or YAML', () => {
    expect(() => render('{{ regexMatch "(" "x" }}')).toThrow(TemplateError);
    expect(() => render('{{ regexMatch "(" "x" }}')).toThrow(
      'missing closing )',
    );
    expect(() => render('{{ fromYaml "a: [" }}')).toThrow('fromYaml:');
  });

  it('should run a catastrophic-backtracking regexp in linear time', () => {
    const hostile = `${'a'.repeat(39)}!`;
    expect(render(`{{ regexMatch "(a+)+$" "${hostile}" }}`)).toBe('false');
  });
});

describe('the README function table', () => {
  it('should list only functions a template can call, and every one of them', () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    const table = readme.slice(
      readme.indexOf('| Group '),
      readme.indexOf('Deviations, each one'),
    );
    const listed = new Set(
      [...table.matchAll(/`([A-Za-z0-9_]+)`/g)].map(m => m[1]),
    );
    expect([...listed].filter(n => !TEMPLATE_FUNCTION_NAMES.has(n))).toEqual(
      [],
    );
    expect([...TEMPLATE_FUNCTION_NAMES].filter(n => !listed.has(n))).toEqual(
      [],
    );
  });
});
