import { TemplateFailure } from './TemplateError';
import { lexAction, splitTemplate, type Token } from './lexer';

/** The syntax tree of the supported Go text/template subset. */
export type Operand =
  | { k: 'fields'; base: 'dot' | 'root'; chain: string[]; offset: number }
  | { k: 'function'; name: string; offset: number }
  | {
      k: 'literal';
      value: string | number | boolean | null;
      float: boolean;
      offset: number;
    }
  | { k: 'sub'; pipe: Pipeline; chain: string[]; offset: number };

export type Command = { args: Operand[]; offset: number };
export type Pipeline = { commands: Command[]; offset: number };

export type Node =
  | { k: 'text'; text: string }
  | { k: 'action'; pipe: Pipeline }
  | { k: 'if'; pipe: Pipeline; then: Node[]; otherwise: Node[] };

const UNSUPPORTED_KEYWORDS = [
  'range',
  'with',
  'define',
  'template',
  'block',
  'break',
  'continue',
];

class TokenStream {
  i = 0;
  constructor(readonly tokens: Token[], readonly endOffset: number) {}
  peek(): Token | undefined {
    return this.tokens[this.i];
  }
  next(): Token {
    const token = this.tokens[this.i++];
    if (!token) throw new TemplateFailure(this.endOffset, 'missing value');
    return token;
  }
}

function parseNumber(text: string, offset: number): Operand {
  const clean = text.replace(/_/g, '');
  const float = /[.eE]/.test(clean) && !/^[+-]?0[xX]/.test(clean);
  const value = Number(clean);
  if (Number.isNaN(value))
    throw new TemplateFailure(offset, `bad number syntax: "${text}"`);
  return { k: 'literal', value, float, offset };
}

/** Field tokens written right after an operand (`(...).a.b`, `$.a`). */
function chainAfter(stream: TokenStream): string[] {
  const chain: string[] = [];
  for (
    let t = stream.peek();
    t && t.t === 'field' && !t.spaced;
    t = stream.peek()
  ) {
    chain.push(t.name);
    stream.next();
  }
  return chain;
}

function parseOperand(stream: TokenStream, functions: Set<string>): Operand {
  const token = stream.next();
  const { offset } = token;
  switch (token.t) {
    case 'dot':
      return { k: 'fields', base: 'dot', chain: chainAfter(stream), offset };
    case 'field':
      return {
        k: 'fields',
        base: 'dot',
        chain: [token.name, ...chainAfter(stream)],
        offset,
      };
    case 'variable':
      if (token.name)
        throw new TemplateFailure(
          offset,
          `undefined variable "$${token.name}"`,
        );
      return { k: 'fields', base: 'root', chain: chainAfter(stream), offset };
    case 'string':
      return { k: 'literal', value: token.value, float: false, offset };
    case 'number':
      return parseNumber(token.text, offset);
    case 'lparen': {
      const pipe = parsePipeline(stream, functions, 'rparen');
      stream.next();
      return { k: 'sub', pipe, chain: chainAfter(stream), offset };
    }
    case 'identifier':
      if (token.name === 'true' || token.name === 'false') {
        return {
          k: 'literal',
          value: token.name === 'true',
          float: false,
          offset,
        };
      }
      if (token.name === 'nil')
        return { k: 'literal', value: null, float: false, offset };
      if (!functions.has(token.name))
        throw new TemplateFailure(
          offset,
          `function "${token.name}" not defined`,
        );
      return { k: 'function', name: token.name, offset };
    default:
      throw new TemplateFailure(
        offset,
        `unexpected "${token.t === 'pipe' ? '|' : ')'}" in operand`,
      );
  }
}

function parsePipeline(
  stream: TokenStream,
  functions: Set<string>,
  until?: 'rparen',
): Pipeline {
  const offset = stream.peek()?.offset ?? stream.endOffset;
  const commands: Command[] = [];
  let args: Operand[] = [];
  for (;;) {
    const token = stream.peek();
    const atEnd = !token || (until && token.t === until);
    if (atEnd && until && !token)
      throw new TemplateFailure(stream.endOffset, 'unclosed left paren');
    if (atEnd || token.t === 'pipe') {
      if (args.length === 0)
        throw new TemplateFailure(
          token?.offset ?? stream.endOffset,
          'missing value for command',
        );
      commands.push({ args, offset: args[0].offset });
      args = [];
      if (atEnd) return { commands, offset };
      stream.next();
      continue;
    }
    args.push(parseOperand(stream, functions));
  }
}

type Block = {
  nodes: Node[];
  ending?: { keyword: 'else' | 'end'; tokens: Token[]; offset: number };
};

/** Parses a template into nodes; `functions` are the names callable in it. */
export function parseTemplate(text: string, functions: Set<string>): Node[] {
  const segments = splitTemplate(text);
  let index = 0;

  function parseBlock(inside: boolean): Block {
    const nodes: Node[] = [];
    while (index < segments.length) {
      const segment = segments[index++];
      if (segment.kind === 'text') {
        nodes.push({ k: 'text', text: segment.text });
        continue;
      }
      const tokens = lexAction(segment.body, segment.offset);
      const endOffset = segment.offset + segment.body.length;
      const first = tokens[0];
      if (!first)
        throw new TemplateFailure(segment.offset, 'missing value for command');
      const keyword = first.t === 'identifier' ? first.name : '';
      if (keyword === 'else' || keyword === 'end') {
        if (!inside)
          throw new TemplateFailure(first.offset, `unexpected {{${keyword}}}`);
        return {
          nodes,
          ending: { keyword, tokens: tokens.slice(1), offset: first.offset },
        };
      }
      if (UNSUPPORTED_KEYWORDS.includes(keyword)) {
        throw new TemplateFailure(
          first.offset,
          `{{${keyword}}} is not supported (supported: if/else/end)`,
        );
      }
      if (keyword === 'if') {
        nodes.push(parseIf(tokens.slice(1), endOffset, first.offset));
        continue;
      }
      const stream = new TokenStream(tokens, endOffset);
      nodes.push({ k: 'action', pipe: parsePipeline(stream, functions) });
    }
    if (inside)
      throw new TemplateFailure(text.length, 'unexpected EOF: missing {{end}}');
    return { nodes };
  }

  function parseIf(
    condition: Token[],
    endOffset: number,
    offset: number,
  ): Node {
    if (condition.length === 0)
      throw new TemplateFailure(offset, 'missing value for if');
    const pipe = parsePipeline(
      new TokenStream(condition, endOffset),
      functions,
    );
    const then = parseBlock(true);
    const ending = then.ending!;
    if (ending.keyword === 'end') {
      if (ending.tokens.length)
        throw new TemplateFailure(
          ending.offset,
          'unexpected content after end',
        );
      return { k: 'if', pipe, then: then.nodes, otherwise: [] };
    }
    const elseIf = ending.tokens[0];
    if (elseIf?.t === 'identifier' && elseIf.name === 'if') {
      return {
        k: 'if',
        pipe,
        then: then.nodes,
        otherwise: [parseIf(ending.tokens.slice(1), endOffset, elseIf.offset)],
      };
    }
    const otherwise = parseBlock(true);
    if (otherwise.ending?.keyword !== 'end')
      throw new TemplateFailure(
        ending.offset,
        'expected {{end}} after {{else}}',
      );
    return { k: 'if', pipe, then: then.nodes, otherwise: otherwise.nodes };
  }

  return parseBlock(false).nodes;
}
