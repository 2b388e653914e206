import { TemplateFailure } from './TemplateError';

/**
 * Go text/template lexing, in two steps: `splitTemplate` separates text from
 * `{{ actions }}` (applying `{{-`/`-}}` trim markers and dropping comments),
 * `lexAction` turns one action into tokens. Offsets are absolute in the
 * template text, for `line:column` errors.
 */
export type Segment =
  | { kind: 'text'; text: string }
  | { kind: 'action'; body: string; offset: number };

export type Token =
  | { t: 'field'; name: string; offset: number; spaced: boolean }
  | { t: 'dot'; offset: number; spaced: boolean }
  | { t: 'variable'; name: string; offset: number; spaced: boolean }
  | { t: 'identifier'; name: string; offset: number; spaced: boolean }
  | { t: 'string'; value: string; offset: number; spaced: boolean }
  | { t: 'number'; text: string; offset: number; spaced: boolean }
  | {
      t: 'pipe' | 'lparen' | 'rparen' | 'declare' | 'assign' | 'comma';
      offset: number;
      spaced: boolean;
    };

const SPACE = /[ \t\r\n]/;

function isTrimMarker(text: string, i: number): boolean {
  return text[i] === '-' && SPACE.test(text[i + 1] ?? '');
}

/** Index of the `}}` closing the action whose body starts at `from`, skipping quoted text. */
function findClose(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text[i];
    if (c === '}' && text[i + 1] === '}') return i;
    if (c === '"' || c === '`') {
      const end = skipQuoted(text, i);
      if (end < 0) break;
      i = end;
      continue;
    }
    i++;
  }
  throw new TemplateFailure(from, 'unclosed action');
}

function skipQuoted(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i++;
    else if (text[i] === quote) return i + 1;
    else if (quote === '"' && text[i] === '\n') return -1;
  }
  return -1;
}

export function splitTemplate(text: string): Segment[] {
  const segments: Segment[] = [];
  let pos = 0;
  let trimNext = false;
  for (;;) {
    const open = text.indexOf('{{', pos);
    let chunk = text.slice(pos, open === -1 ? undefined : open);
    if (trimNext) chunk = chunk.replace(/^[ \t\r\n]+/, '');
    if (open === -1) {
      if (chunk) segments.push({ kind: 'text', text: chunk });
      return segments;
    }
    let start = open + 2;
    if (isTrimMarker(text, start)) {
      chunk = chunk.replace(/[ \t\r\n]+$/, '');
      start += 2;
    }
    if (chunk) segments.push({ kind: 'text', text: chunk });
    const close = text.startsWith('/*', start)
      ? closeComment(text, start)
      : findClose(text, start);
    const rightTrim =
      close - 2 >= start &&
      SPACE.test(text[close - 2]) &&
      text[close - 1] === '-';
    const body = text.slice(start, rightTrim ? close - 2 : close);
    if (!text.startsWith('/*', start))
      segments.push({ kind: 'action', body, offset: start });
    trimNext = rightTrim;
    pos = close + 2;
  }
}

function closeComment(text: string, start: number): number {
  const end = text.indexOf('*/', start + 2);
  if (end === -1) throw new TemplateFailure(start, 'unclosed comment');
  const after = text.slice(end + 2);
  if (after.startsWith('}}')) return end + 2;
  if (/^[ \t\r\n]-\}\}/.test(after)) return end + 4;
  throw new TemplateFailure(start, 'comment ends before closing delimiter');
}

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER =
  /[+-]?(?:0[xX][0-9a-fA-F_]+|(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)/y;
const ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

function unquote(raw: string, offset: number): string {
  let out = '';
  for (let i = 1; i < raw.length - 1; i++) {
    if (raw[i] !== '\\') {
      out += raw[i];
      continue;
    }
    const e = raw[++i];
    const hexLength = { x: 2, u: 4, U: 8 }[e as 'x' | 'u' | 'U'];
    if (hexLength) {
      const hex = raw.slice(i + 1, i + 1 + hexLength);
      if (!new RegExp(`^[0-9a-fA-F]{${hexLength}}$`).test(hex))
        throw new TemplateFailure(offset, 'invalid escape in string');
      out += String.fromCodePoint(parseInt(hex, 16));
      i += hexLength;
    } else if (e in ESCAPES) {
      out += ESCAPES[e];
    } else {
      throw new TemplateFailure(offset, `invalid escape \\${e} in string`);
    }
  }
  return out;
}

function describeChar(c: string): string {
  const hex = c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return `bad character U+${hex} '${c}'`;
}

export function lexAction(body: string, base: number): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let spaced = true;
  while (i < body.length) {
    const c = body[i];
    const offset = base + i;
    if (SPACE.test(c)) {
      i++;
      spaced = true;
      continue;
    }
    const token = lexOne(body, i, offset, spaced, tokens);
    tokens.push(token.token);
    i = token.next;
    spaced = false;
  }
  return tokens;
}

function lexOne(
  body: string,
  i: number,
  offset: number,
  spaced: boolean,
  previous: Token[],
): { token: Token; next: number } {
  const c = body[i];
  const simple = { '|': 'pipe', '(': 'lparen', ')': 'rparen' } as const;
  if (c in simple)
    return { token: { t: simple[c as '|'], offset, spaced }, next: i + 1 };
  if (c === ':' && body[i + 1] === '=')
    return { token: { t: 'declare', offset, spaced }, next: i + 2 };
  if (c === '=') return { token: { t: 'assign', offset, spaced }, next: i + 1 };
  if (c === ',') return { token: { t: 'comma', offset, spaced }, next: i + 1 };
  if (c === '"' || c === '`') {
    const end = skipQuoted(body, i);
    if (end < 0)
      throw new TemplateFailure(offset, 'unterminated quoted string');
    const raw = body.slice(i, end);
    const value = c === '`' ? raw.slice(1, -1) : unquote(raw, offset);
    return { token: { t: 'string', value, offset, spaced }, next: end };
  }
  if (c === '.' && !/[0-9]/.test(body[i + 1] ?? '')) {
    IDENT.lastIndex = i + 1;
    const name = IDENT.exec(body)?.[0];
    if (name && IDENT.lastIndex === i + 1 + name.length) {
      return {
        token: { t: 'field', name, offset, spaced },
        next: i + 1 + name.length,
      };
    }
    return { token: { t: 'dot', offset, spaced }, next: i + 1 };
  }
  if (c === '$') {
    IDENT.lastIndex = i + 1;
    const match = IDENT.exec(body);
    const name = match && match.index === i + 1 ? match[0] : '';
    return {
      token: { t: 'variable', name, offset, spaced },
      next: i + 1 + name.length,
    };
  }
  NUMBER.lastIndex = i;
  const number = NUMBER.exec(body);
  if (number && number[0] !== '+' && number[0] !== '-') {
    return {
      token: { t: 'number', text: number[0], offset, spaced },
      next: i + number[0].length,
    };
  }
  IDENT.lastIndex = i;
  const ident = IDENT.exec(body);
  if (ident)
    return {
      token: { t: 'identifier', name: ident[0], offset, spaced },
      next: i + ident[0].length,
    };
  if (c === "'")
    throw new TemplateFailure(
      offset,
      'character constants are not supported; use a "string"',
    );
  const hint =
    c === '-' && previous.at(-1)?.t === 'field'
      ? ` (for keys containing '-', write index . "${
          (previous.at(-1) as { name: string }).name
        }${body.slice(i).split(/[\s|)]/)[0]}")`
      : '';
  throw new TemplateFailure(offset, describeChar(c) + hint);
}
