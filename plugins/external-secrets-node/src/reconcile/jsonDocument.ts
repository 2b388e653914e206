/**
 * A small JSON parser that keeps the raw text of every value, so non-string
 * leaves are written exactly as the remote secret has them (as ESO does with
 * `json.RawMessage` for `extract`), and big numbers keep their digits.
 * Errors say only that the text is not JSON: the text is a secret's value,
 * and even a position tells its shape ("1234abcd" fails at column 5).
 */
export type JsonNode =
  | { type: 'object'; raw: string; entries: Map<string, JsonNode> }
  | { type: 'array'; raw: string; items: JsonNode[] }
  | { type: 'string'; raw: string; value: string }
  | { type: 'number'; raw: string; value: number }
  | { type: 'boolean'; raw: string; value: boolean }
  | { type: 'null'; raw: string };

/** A JSON syntax error; the message names neither position nor character. */
export class JsonSyntaxError extends Error {
  readonly name = 'JsonSyntaxError';
}

const MAX_DEPTH = 256;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

class Parser {
  pos = 0;
  constructor(readonly text: string) {}

  fail(): never {
    throw new JsonSyntaxError('the value is not valid JSON');
  }

  skipSpace() {
    while (/[ \t\r\n]/.test(this.text[this.pos] ?? '')) this.pos++;
  }

  value(depth: number): JsonNode {
    if (depth > MAX_DEPTH)
      throw new JsonSyntaxError(
        `the value is JSON nested deeper than ${MAX_DEPTH} levels`,
      );
    this.skipSpace();
    const start = this.pos;
    const c = this.text[this.pos];
    if (c === '{') return this.object(start, depth);
    if (c === '[') return this.array(start, depth);
    if (c === '"')
      return {
        type: 'string',
        value: this.string(),
        raw: this.text.slice(start, this.pos),
      };
    for (const [word, node] of [
      ['true', { type: 'boolean', value: true }],
      ['false', { type: 'boolean', value: false }],
      ['null', { type: 'null' }],
    ] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return { ...node, raw: word } as JsonNode;
      }
    }
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (!match) return this.fail();
    this.pos += match[0].length;
    return { type: 'number', value: Number(match[0]), raw: match[0] };
  }

  object(start: number, depth: number): JsonNode {
    const entries = new Map<string, JsonNode>();
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return { type: 'object', entries, raw: this.text.slice(start, this.pos) };
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail();
      const key = this.string();
      this.skipSpace();
      if (this.text[this.pos] !== ':') this.fail();
      this.pos++;
      entries.set(key, this.value(depth + 1));
      this.skipSpace();
      const next = this.text[this.pos++];
      if (next === '}')
        return {
          type: 'object',
          entries,
          raw: this.text.slice(start, this.pos),
        };
      if (next !== ',') this.fail();
    }
  }

  array(start: number, depth: number): JsonNode {
    const items: JsonNode[] = [];
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return { type: 'array', items, raw: this.text.slice(start, this.pos) };
    }
    for (;;) {
      items.push(this.value(depth + 1));
      this.skipSpace();
      const next = this.text[this.pos++];
      if (next === ']')
        return { type: 'array', items, raw: this.text.slice(start, this.pos) };
      if (next !== ',') this.fail();
    }
  }

  string(): string {
    let out = '';
    this.pos++;
    for (;;) {
      const c = this.text[this.pos++];
      if (c === undefined) this.fail();
      if (c === '"') return out;
      if (c < ' ') this.fail();
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.text[this.pos++];
      if (e === 'u') {
        const hex = this.text.slice(this.pos, this.pos + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail();
        out += String.fromCharCode(parseInt(hex, 16));
        this.pos += 4;
      } else if (e !== undefined && e in ESCAPES) {
        out += ESCAPES[e];
      } else {
        this.fail();
      }
    }
  }
}

/** Parses a whole JSON document; throws `JsonSyntaxError`. */
export function parseJsonDocument(text: string): JsonNode {
  const parser = new Parser(text);
  const node = parser.value(0);
  parser.skipSpace();
  if (parser.pos !== text.length) parser.fail();
  return node;
}

/** The bytes a JSON value becomes in a Secret: strings unquoted, anything else as written. */
export function jsonLeafText(node: JsonNode): string {
  return node.type === 'string' ? node.value : node.raw;
}
