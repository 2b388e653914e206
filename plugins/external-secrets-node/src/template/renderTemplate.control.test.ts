import { SecretValue } from '../values/SecretValue';
import { renderTemplate } from './renderTemplate';

const DATA = new Map(
  Object.entries({
    user: 'alice',
    pass: 'pw',
    list: 'a,b,c',
    cfg: '{"b": "2", "a": "1"}',
    empty: '',
  }).map(([k, v]) => [k, SecretValue.fromString(v)]),
);

function render(text: string): string {
  return renderTemplate({ name: 'out', text, data: DATA }).text();
}

// Variables, range and with as Go's text/template runs them (text/template
// exec.go: walkRange sorts map keys; a declaration prints nothing; variables
// are scoped to the enclosing control structure; $ is the data map). ESO
// templates use these (docs: guides/templating, e.g. `{{ $x := ... }}`).
describe('renderTemplate variables, range and with (Go)', () => {
  it.each([
    [
      'a declared variable',
      '{{ $u := .user }}{{ $u }}:{{ .pass }}',
      'alice:pw',
    ],
    [
      'an assignment in an inner block changes the outer variable',
      '{{ $x := "a" }}{{ if true }}{{ $x = "b" }}{{ end }}{{ $x }}',
      'b',
    ],
    [
      'a variable used in a pipeline',
      '{{ $u := .user | upper }}{{ $u | lower }}-{{ printf "%s/%s" $u .pass }}',
      'alice-ALICE/pw',
    ],
    [
      'range with index and element',
      '{{ range $i, $v := splitList "," .list }}{{ $i }}={{ $v }};{{ end }}',
      '0=a;1=b;2=c;',
    ],
    [
      'range with element only, and dot',
      '{{ range $v := splitList "," .list }}{{ $v }}{{ . }}{{ end }}',
      'aabbcc',
    ],
    [
      'range over a map in sorted key order',
      '{{ range $k, $v := fromJson .cfg }}{{ $k }}:{{ $v }} {{ end }}',
      'a:1 b:2 ',
    ],
    [
      'range else on an empty list',
      '{{ range (fromJson "[]") }}x{{ else }}none{{ end }}',
      'none',
    ],
    [
      '$ is still the data map inside range',
      '{{ range splitList "," .list }}{{ $.user }}{{ end }}',
      'alicealicealice',
    ],
    ['with sets dot', '{{ with .user }}{{ . | upper }}{{ end }}', 'ALICE'],
    [
      'with else on an empty value',
      '{{ with .empty }}x{{ else }}y{{ end }}',
      'y',
    ],
    [
      'with declaring a variable',
      '{{ with $c := fromJson .cfg }}{{ $c.a }}{{ .b }}{{ end }}',
      '12',
    ],
    [
      'a variable declared in range is fresh per iteration',
      '{{ range splitList "," .list }}{{ $u := . }}{{ $u }}{{ end }}',
      'abc',
    ],
  ])('%s', (_, text, expected) => {
    expect(render(text)).toBe(expected);
  });
});
