import { jsonLeafText, parseJsonDocument } from './jsonDocument';
import { parsePropertyPath, selectJson } from './jsonProperty';

const doc = parseJsonDocument(
  '{"user": "admin", "port": 5432, "ratio": 1.50, "big": 12345678901234567890, "ok": true, "none": null,' +
    ' "nested": {"a": {"b": "deep"}}, "tls.crt": "CERT", "list": ["x", {"y": "z"}], "obj": {"k": "v"}}',
);

function select(path: string): string | undefined {
  const parsed = parsePropertyPath(path);
  if (!parsed.ok) throw new Error(parsed.message);
  const node = selectJson(doc, parsed.parts);
  return node && jsonLeafText(node);
}

describe('property paths', () => {
  it.each([
    ['user', 'admin'],
    ['nested.a.b', 'deep'],
    ['tls\\.crt', 'CERT'],
    ['list.0', 'x'],
    ['list.1.y', 'z'],
    ['port', '5432'],
    ['ratio', '1.50'],
    ['big', '12345678901234567890'],
    ['ok', 'true'],
    ['none', 'null'],
    ['obj', '{"k": "v"}'],
  ])('should read %s as %j', (path, expected) => {
    expect(select(path)).toBe(expected);
  });

  it.each(['missing', 'nested.x', 'user.x', 'list.5', 'tls.crt'])(
    'should report %s as missing',
    path => {
      expect(select(path)).toBeUndefined();
    },
  );

  it.each(['list.#', 'a*', 'user|@reverse'])(
    'should refuse gjson syntax we do not support in %s',
    path => {
      expect(parsePropertyPath(path)).toMatchObject({
        ok: false,
        message: expect.stringContaining('not supported'),
      });
    },
  );
});

describe('parseJsonDocument', () => {
  it.each([
    '{"secret": }',
    '{"a": "secret"} extra',
    "{'secret': 1}",
    '[1, 2',
    '"unterminated secret',
  ])('should reject %j without a position or any of the text', text => {
    // A position tells the value's shape: the text is a secret's value.
    expect(() => parseJsonDocument(text)).toThrow(
      /^the value is not valid JSON$/,
    );
  });

  it('should keep unicode escapes', () => {
    const node = parseJsonDocument('{"s": "caf\\u00e9 \\ud83d\\ude80"}');
    expect(node.type === 'object' && jsonLeafText(node.entries.get('s')!)).toBe(
      'café 🚀',
    );
  });
});
