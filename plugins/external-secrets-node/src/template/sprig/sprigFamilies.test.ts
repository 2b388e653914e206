import { createHash } from 'node:crypto';
import bcryptjs from 'bcryptjs';
import { SecretValue } from '../../values/SecretValue';
import { renderTemplate } from '../renderTemplate';

function render(text: string, data: Record<string, string> = {}): string {
  return renderTemplate({
    name: 'out',
    text,
    data: new Map(
      Object.entries(data).map(([k, v]) => [k, SecretValue.fromString(v)]),
    ),
  }).text();
}

// The sprig families ESO's fork keeps (runtime/template/v2/sprig/functions.go,
// genericMap). Expected values are sprig v3's tests (Masterminds/sprig
// crypto_test.go, url_test.go, semver_test.go, numeric_test.go, list_test.go).
describe('sprig families ESO enables', () => {
  it.each([
    // crypto.go: derivePassword (Master Password algorithm)
    [
      'derivePassword long',
      '{{ derivePassword 1 "long" "password" "user" "example.com" }}',
      'ZedaFaxcZaso9*',
    ],
    [
      'derivePassword pin',
      '{{ derivePassword 1 "pin" "password" "user" "example.com" }}',
      '6685',
    ],
    // semver.go
    ['semverCompare', '{{ semverCompare "^1.2.0" "1.2.3" }}', 'true'],
    [
      'semverCompare AND',
      '{{ semverCompare ">= 1.2, < 1.3" "1.3.0" }}',
      'false',
    ],
    [
      'semver fields',
      '{{ (semver "v1.2.3-beta.1").Major }}.{{ (semver "1.2.3-beta.1").Prerelease }}',
      '1.beta.1',
    ],
    // url.go
    [
      'urlParse',
      '{{ $u := urlParse "https://user@host.example:8443/p/a?x=1#frag" }}{{ $u.scheme }} {{ $u.host }} {{ $u.hostname }} {{ $u.path }} {{ $u.query }} {{ $u.fragment }} {{ $u.userinfo }}',
      'https host.example:8443 host.example /p/a x=1 frag user',
    ],
    [
      'urlJoin',
      '{{ urlJoin (dict "scheme" "https" "host" "h.example" "path" "/a" "query" "q=1") }}',
      'https://h.example/a?q=1',
    ],
    // numeric.go
    ['addf/mulf', '{{ addf 1.5 2 }} {{ mulf 1.5 2 }}', '3.5 3'],
    [
      'floor/ceil/round',
      '{{ floor 1.7 }} {{ ceil 1.2 }} {{ round 3.746 2 }}',
      '1 2 3.75',
    ],
    [
      'until/untilStep/seq',
      '{{ until 3 }} {{ untilStep 0 10 4 }} {{ seq 3 }}',
      '[0 1 2] [0 4 8] 1 2 3',
    ],
    ['toDecimal (octal)', '{{ toDecimal "0777" }}', '511'],
    // list.go, dict.go
    [
      'slice/chunk',
      '{{ slice (list 1 2 3 4) 1 3 }} {{ chunk 2 (list 1 2 3) }}',
      '[2 3] [[1 2] [3]]',
    ],
    [
      'merge keeps the destination, mergeOverwrite replaces',
      '{{ merge (dict "a" "1") (dict "a" "2" "b" "3") }} {{ mergeOverwrite (dict "a" "1") (dict "a" "2") }}',
      'map[a:1 b:3] map[a:2]',
    ],
    ['dig', '{{ dig "a" "b" "none" (dict "a" (dict "b" "found")) }}', 'found'],
    [
      'must variants',
      '{{ mustFirst (list 1 2) }} {{ mustRegexMatch "^a" "abc" }} {{ mustToJson (list 1) }}',
      '1 true [1]',
    ],
    // strings.go
    ['abbrevboth', '{{ abbrevboth 5 10 "1234 5678 9123" }}', '...5678...'],
    [
      'initials/swapcase',
      '{{ initials "First Try" }} {{ swapcase "Hello" }}',
      'FT hELLO',
    ],
    ['wrap', '{{ wrap 5 "Hello World" }}', 'Hello\nWorld'],
    ['splitn', '{{ (splitn "$" 2 "foo$bar$baz")._1 }}', 'bar$baz'],
    // encodings, paths, reflection
    [
      'b32dec/hexdec',
      '{{ b32dec "JBSWY3DP" }} {{ hexdec "4869" }}',
      'Hello Hi',
    ],
    [
      'paths',
      '{{ base "/a/b.txt" }} {{ dir "/a/b.txt" }} {{ ext "b.tar.gz" }} {{ clean "/a//b/../c" }} {{ isAbs "a" }}',
      'b.txt /a .gz /a/c false',
    ],
    [
      'typeIs/kindIs/deepEqual',
      '{{ typeIs "string" "x" }} {{ kindIs "slice" (list) }} {{ deepEqual (list 1) (list 1) }}',
      'true true true',
    ],
  ])('%s', (_, template, expected) => {
    expect(render(template)).toBe(expected);
  });

  it("should hash htpasswd entries as ESO's fork does (bcrypt $2a$ cost 10, or {SHA})", () => {
    const entry = render('{{ htpasswd "alice" .pw "bcrypt" }}', {
      pw: 'canary-pw',
    });
    const [user, hash] = entry.split(':');
    expect(user).toBe('alice');
    expect(hash).toMatch(/^\$2a\$10\$/);
    expect(bcryptjs.compareSync('canary-pw', hash)).toBe(true);
    expect(render('{{ htpasswd "bob" "pw" "sha" }}')).toBe(
      `bob:{SHA}${createHash('sha1').update('pw').digest('base64')}`,
    );
    expect(() => render('{{ htpasswd "a:b" "pw" "sha" }}')).toThrow(
      'invalid username',
    );
    expect(bcryptjs.compareSync('x', render('{{ bcrypt "x" }}'))).toBe(true);
  });

  it('should give random values of the asked shape, different each render', () => {
    const uuid =
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(render('{{ uuidv4 }}')).toMatch(uuid);
    expect(render('{{ uuidv4 }}')).not.toBe(render('{{ uuidv4 }}'));
    expect(render('{{ randAlphaNum 16 }}')).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(render('{{ randNumeric 6 }}')).toMatch(/^\d{6}$/);
    expect(Buffer.from(render('{{ randBytes 12 }}'), 'base64')).toHaveLength(
      12,
    );
    const n = Number(render('{{ randInt 5 7 }}'));
    expect(n >= 5 && n < 7).toBe(true);
  });

  it('should round-trip encryptAES/decryptAES and fail on a wrong password', () => {
    expect(
      render('{{ encryptAES "key" "plain text" | decryptAES "key" }}'),
    ).toBe('plain text');
    expect(() =>
      render('{{ encryptAES "key" "plain text" | decryptAES "other" }}'),
    ).toThrow('decryptAES');
  });

  it('should make a private key of each type genPrivateKey knows', () => {
    expect(render('{{ genPrivateKey "ecdsa" }}')).toMatch(
      /^-----BEGIN EC PRIVATE KEY-----/,
    );
    expect(render('{{ genPrivateKey "ed25519" }}')).toMatch(
      /^-----BEGIN PRIVATE KEY-----/,
    );
    expect(() => render('{{ genPrivateKey "nope" }}')).toThrow('unknown type');
  });

  it('should fail with the message fail is given', () => {
    expect(() => render('{{ fail "no password configured" }}')).toThrow(
      'no password configured',
    );
  });
});
