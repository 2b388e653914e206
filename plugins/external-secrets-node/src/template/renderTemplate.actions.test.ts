import { SecretValue } from '../values/SecretValue';
import { renderTemplate } from './renderTemplate';

function render(text: string): string {
  return renderTemplate({
    name: 'out',
    text,
    data: new Map([
      ['user', SecretValue.fromString('alice')],
      ['hosts', SecretValue.fromString('a,b,c,d')],
    ]),
  }).text();
}

// ESO renders with Go's text/template (runtime/template/v2/template.go,
// execute: tpl.New(k).Parse(val)), so define, template, block, break and
// continue behave as Go's text/template/exec.go (walkTemplate, walkRange).
describe('Go template actions', () => {
  it.each([
    [
      'define then template with a pipeline as dot',
      '{{ define "greet" }}hi {{ . }}{{ end }}{{ template "greet" .user }}!',
      'hi alice!',
    ],
    [
      'template without a pipeline: dot is nil',
      '{{ define "x" }}[{{ . }}]{{ end }}{{ template "x" }}',
      '[<no value>]',
    ],
    [
      '$ inside a template is the value passed in',
      '{{ define "u" }}{{ $.user }}{{ end }}{{ template "u" . }}',
      'alice',
    ],
    [
      'block renders its body as the default',
      '{{ block "b" .user }}<{{ . }}>{{ end }}',
      '<alice>',
    ],
    [
      'a define overrides a block of the same name',
      '{{ define "b" }}override {{ . }}{{ end }}{{ block "b" .user }}default{{ end }}',
      'override alice',
    ],
    [
      'break ends the range',
      '{{ range splitList "," .hosts }}{{ if eq . "c" }}{{ break }}{{ end }}{{ . }}{{ end }}',
      'ab',
    ],
    [
      'continue skips an element',
      '{{ range splitList "," .hosts }}{{ if eq . "b" }}{{ continue }}{{ end }}{{ . }}{{ end }}',
      'acd',
    ],
  ])('%s', (_, template, expected) => {
    expect(render(template)).toBe(expected);
  });

  it.each([
    ['{{ template "nope" }}', 'no such template "nope"'],
    ['{{ break }}', '{{break}} outside {{range}}'],
    [
      '{{ if true }}{{ define "x" }}{{ end }}{{ end }}',
      'unexpected {{define}}',
    ],
    [
      '{{ define "loop" }}{{ template "loop" }}{{ end }}{{ template "loop" }}',
      'exceeded maximum template depth',
    ],
  ])('should fail on %s', (template, message) => {
    expect(() => render(template)).toThrow(message);
  });
});
