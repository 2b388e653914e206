import { SecretValue } from '../values/SecretValue';
import { renderTemplate } from './renderTemplate';
import { TemplateError } from './TemplateError';

const DATA = new Map(
  Object.entries({
    a: '1',
    user: 'admin',
    'api-key': 'K',
    padded: '  spaced  ',
    cfg: '{"port": 8080, "host": "h", "big": 1234567, "nested": {"x": "y"}, "list": ["p", "q"], "none": null}',
    encoded: 'aGVsbG8=',
    multi: 'l1\nl2',
    empty: '',
  }).map(([k, v]) => [k, SecretValue.fromString(v)]),
);

function render(text: string, data = DATA): string {
  return renderTemplate({ name: 'out', text, data }).text();
}

function renderError(text: string, data = DATA): TemplateError {
  try {
    renderTemplate({ name: 'out', text, data });
  } catch (e) {
    if (e instanceof TemplateError) return e;
    throw e;
  }
  throw new Error('expected the template to fail');
}

describe('renderTemplate', () => {
  // Cases marked (Go) were checked against Go's text/template with missingkey=error.
  it.each([
    ['plain text', 'just text', 'just text'],
    ['a field (Go)', 'x {{ .a }} y', 'x 1 y'],
    ['trim markers (Go)', 'x {{- .a -}} y', 'x1y'],
    ['comments with trim markers (Go)', '{{/* c */}}a{{- /* c2 */ -}} b', 'ab'],
    ['index for keys with a dash (Go)', '{{ index . "api-key" }}', 'K'],
    [
      'index of a missing key gives an empty value (Go)',
      'x{{ index . "missing" }}y',
      'xy',
    ],
    ['a JSON number under 1e6 (Go)', '{{ (fromJson .cfg).port }}', '8080'],
    [
      'a JSON number of 1e6 or more in Go float notation (Go)',
      '{{ (fromJson .cfg).big }}',
      '1.234567e+06',
    ],
    [
      'nested fields after a parenthesis (Go)',
      '{{ (fromJson .cfg).nested.x }}',
      'y',
    ],
    [
      'a JSON null as <no value> (Go)',
      '{{ (fromJson .cfg).none }}',
      '<no value>',
    ],
    ['printf (Go)', '{{ printf "%s-%d-%v" .a 3 true }}', '1-3-true'],
    [
      'int and float literals (Go)',
      '{{ 1000000 }} {{ 1.5 }} {{ 1e6 }}',
      '1000000 1.5 1e+06',
    ],
    ['if/else (Go)', '{{ if eq .a "1" }}yes{{ else }}no{{ end }}', 'yes'],
    [
      'else if',
      '{{ if eq .a "2" }}two{{ else if eq .a "1" }}one{{ else }}other{{ end }}',
      'one',
    ],
    ['len (Go)', '{{ len .user }}', '5'],
    ['print spacing (Go)', '{{ print .a 2 "x" }}', '12x'],
    [
      'string escapes and raw strings (Go)',
      '{{ "a\\tb" }} {{ `raw\\n` }}',
      'a\tb raw\\n',
    ],
    ['a pipeline', '{{ .user | upper }}', 'ADMIN'],
    ['a chained pipeline', '{{ .user | upper | printf "%s!" }}', 'ADMIN!'],
    ['b64enc', '{{ .user | b64enc }}', 'YWRtaW4='],
    ['b64dec', '{{ .encoded | b64dec }}', 'hello'],
    ['upper and lower', '{{ upper .user }}{{ lower "ABC" }}', 'ADMINabc'],
    ['trim', '[{{ trim .padded }}]', '[spaced]'],
    [
      'trimPrefix and trimSuffix',
      '{{ trimPrefix "ad" .user }} {{ .user | trimSuffix "in" }}',
      'min adm',
    ],
    ['replace', '{{ replace "a" "4" .user }}', '4dmin'],
    [
      'quote and squote',
      '{{ quote .user }} {{ squote .user }}',
      '"admin" \'admin\'',
    ],
    ['quote escaping', '{{ quote .multi }}', '"l1\\nl2"'],
    [
      'toJson with sorted keys and HTML escaping like Go',
      '{{ (fromJson .cfg).nested | toJson }} {{ toJson "<&>" }}',
      '{"x":"y"} "\\u003c\\u0026\\u003e"',
    ],
    [
      'toJson of a float as Go encodes it',
      '{{ (fromJson .cfg).port | toJson }}',
      '8080',
    ],
    ['toString', '{{ toString 42 }}', '42'],
    [
      'default for an empty value',
      '{{ .empty | default "fallback" }}',
      'fallback',
    ],
    ['default keeps a set value', '{{ default "fallback" .user }}', 'admin'],
    ['indent', '{{ indent 2 .multi }}', '  l1\n  l2'],
    ['nindent', 'k:{{ nindent 2 .multi }}', 'k:\n  l1\n  l2'],
    ['join of a JSON list', '{{ join "," (fromJson .cfg).list }}', 'p,q'],
    ['splitList and index', '{{ index (splitList "," "a,b,c") 1 }}', 'b'],
    ['split into _N keys (sprig)', '{{ (split "," "a,b")._1 }}', 'b'],
    [
      'contains, hasPrefix, hasSuffix',
      '{{ contains "dm" .user }} {{ hasPrefix "ad" .user }} {{ hasSuffix "x" .user }}',
      'true true false',
    ],
    [
      'and, or, not',
      '{{ and .a .user }} {{ or .empty "z" }} {{ not .empty }}',
      'admin z true',
    ],
    ['ne', '{{ ne .a "2" }}', 'true'],
    [
      'sha256sum',
      '{{ sha256sum "abc" }}',
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    ],
    ['the root variable', '{{ $.user }}', 'admin'],
  ])('should render %s', (_name, text, expected) => {
    expect(render(text)).toBe(expected);
  });

  it('should keep binary data intact through b64enc', () => {
    const binary = new Map([
      ['bin', SecretValue.fromBytes(Uint8Array.from([0, 255, 254, 1]))],
    ]);
    expect(render('{{ .bin | b64enc }}', binary)).toBe('AP/+AQ==');
    expect(
      renderTemplate({ name: 'raw', text: '{{ .bin }}', data: binary }).bytes(),
    ).toEqual(Uint8Array.from([0, 255, 254, 1]));
  });

  it.each([
    [
      'a missing key (Go)',
      'x {{ .missing }} y',
      '1:6',
      'map has no entry for key "missing"',
    ],
    [
      'a missing JSON field (Go)',
      '{{ (fromJson .cfg).nope }}',
      '1:4',
      'map has no entry for key "nope"',
    ],
    [
      'a field of a string (Go)',
      '{{ .a.b }}',
      '1:4',
      "can't evaluate field b in type string",
    ],
    [
      'a field of a JSON string (Go)',
      '{{ (fromJson .cfg).host.x }}',
      '1:4',
      "can't evaluate field x in type string",
    ],
    [
      'an unknown function (Go)',
      '{{ nope .a }}',
      '1:4',
      'function "nope" not defined',
    ],
    [
      'a key with a dash (Go)',
      '{{ .api-key }}',
      '1:8',
      "bad character U+002D '-' (for keys containing '-', write index . \"api-key\")",
    ],
    ['an unclosed action (Go)', 'line1\n{{ .a', '2:3', 'unclosed action'],
    ['a missing end', '{{ if .a }}x', '1:13', 'missing {{end}}'],
    [
      'an undefined variable (Go: parse error)',
      '{{ $nope }}',
      '1:4',
      'undefined variable "$nope"',
    ],
    [
      'a variable used outside the block that declared it (Go)',
      '{{ if true }}{{ $x := 1 }}{{ end }}{{ $x }}',
      '1:39',
      'undefined variable "$x"',
    ],
    [
      'range over a string (Go)',
      '{{ range .a }}{{ end }}',
      '1:10',
      "range can't iterate over 1",
    ],
    [
      'b64dec of text that is not base64',
      '{{ b64dec .user }}',
      '1:4',
      'b64dec: the value is not valid padded base64',
    ],
    [
      'fromJson of text that is not JSON',
      '{{ fromJson .user }}',
      '1:4',
      'fromJson: the value is not valid JSON',
    ],
    [
      'upper of a number',
      '{{ upper 3 }}',
      '1:4',
      'upper: expected a string, got int',
    ],
    [
      'printf with a missing argument',
      '{{ printf "%s %s" .a }}',
      '1:4',
      'printf: missing argument for %s',
    ],
    [
      'printf with an unsupported verb',
      '{{ printf "%x" .a }}',
      '1:4',
      'printf: verb %x is not supported',
    ],
    [
      'too many arguments',
      '{{ upper .a .user }}',
      '1:4',
      'wrong number of args for upper: got 2',
    ],
    [
      'an argument to a non-function',
      '{{ .a .user }}',
      '1:4',
      "can't give argument to non-function .a",
    ],
    [
      'indexing past the end',
      '{{ index (splitList "," "a") 3 }}',
      '1:4',
      'index out of range: 3',
    ],
  ])('should report %s with its position', (_name, text, position, cause) => {
    const error = renderError(text);
    expect(error.message.startsWith(`template "out" ${position}: `)).toBe(true);
    expect(error.message).toContain(cause);
  });

  it('should say when a missing key is an input whose read failed', () => {
    const error = renderError('{{ .db }}', new Map());
    expect(error.unavailableInput).toBeUndefined();
    const unavailable = renderTemplateError('{{ .db }}', key =>
      key === 'db' ? 'data[0] failed (ProviderError)' : undefined,
    );
    expect(unavailable.unavailableInput).toBe('db');
    expect(unavailable.message).toContain(
      'input "db" is unavailable: data[0] failed (ProviderError)',
    );
  });

  it('should refuse to hand a function the whole data map while an input is unavailable', () => {
    const error = renderTemplateError(
      '{{ toJson . }}',
      () => 'dataFrom[0] failed (ProviderError)',
    );
    expect(error.message).toContain('the data map is incomplete');
  });

  it('should never put a data value in an error message', () => {
    const canary = new Map([['pw', SecretValue.fromString('canary-b64-!!')]]);
    for (const text of [
      '{{ b64dec .pw }}',
      '{{ fromJson .pw }}',
      '{{ .pw.x }}',
      '{{ upper 3 | printf "%x" }}',
    ]) {
      expect(renderError(text, canary).message).not.toContain('canary');
    }
  });
});

function renderTemplateError(
  text: string,
  unavailable: (key: string) => string | undefined,
): TemplateError {
  try {
    renderTemplate({ name: 'out', text, data: new Map(), unavailable });
  } catch (e) {
    if (e instanceof TemplateError) return e;
    throw e;
  }
  throw new Error('expected the template to fail');
}
