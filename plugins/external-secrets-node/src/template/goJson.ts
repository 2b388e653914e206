import { parseJsonDocument, type JsonNode } from '../reconcile/jsonDocument';
import { formatGoLayout } from './sprig/goTimeLayout';
import { Bytes, Float64, GoTime, type TValue } from './values';

/** Go's `json.Marshal` string escaping: HTML-safe, `\b`/`\f`/`\n`/`\r`/`\t`, other controls as `\u00XX`. */
function quoteJson(text: string): string {
  const named: Record<string, string> = {
    '"': '\\"',
    '\\': '\\\\',
    '\b': '\\b',
    '\f': '\\f',
    '\n': '\\n',
    '\r': '\\r',
    '\t': '\\t',
  };
  const escaped = Array.from(text, c => {
    const code = c.charCodeAt(0);
    if (named[c]) return named[c];
    const mustEscape = code < 0x20 || '<>&\u2028\u2029'.includes(c);
    return mustEscape ? `\\u${code.toString(16).padStart(4, '0')}` : c;
  });
  return `"${escaped.join('')}"`;
}

/** Go's `json.Marshal` of a template value (`toJson`): map keys sorted, floats as Go prints them. */
export function marshalGoJson(value: TValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return quoteJson(value);
  if (value instanceof Bytes)
    return quoteJson(new TextDecoder().decode(value.bytes));
  if (typeof value === 'number') return String(value);
  if (value instanceof Float64) return String(value.value);
  if (value instanceof GoTime)
    return quoteJson(
      formatGoLayout(value, '2006-01-02T15:04:05.999999999Z07:00'),
    );
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(marshalGoJson).join(',')}]`;
  const keys = [...value.keys()].sort((a, b) =>
    Buffer.compare(Buffer.from(a), Buffer.from(b)),
  );
  return `{${keys
    .map(k => `${quoteJson(k)}:${marshalGoJson(value.get(k)!)}`)
    .join(',')}}`;
}

function fromNode(node: JsonNode): TValue {
  switch (node.type) {
    case 'object':
      return new Map([...node.entries].map(([k, v]) => [k, fromNode(v)]));
    case 'array':
      return node.items.map(fromNode);
    case 'number':
      return new Float64(node.value);
    case 'string':
    case 'boolean':
      return node.value;
    default:
      return null;
  }
}

/** Go's `json.Unmarshal` into `interface{}` (`fromJson`); throws JsonSyntaxError. */
export function unmarshalGoJson(text: string): TValue {
  return fromNode(parseJsonDocument(text));
}
