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
  | { k: 'sub'; pipe: Pipeline; chain: string[]; offset: number }
  | { k: 'var'; name: string; chain: string[]; offset: number };

export type Command = { args: Operand[]; offset: number };
/** `$x := ...` (declare) or `$x = ...` (assign); range may name two variables. */
export type Declaration = { names: string[]; assign: boolean };
export type Pipeline = {
  commands: Command[];
  offset: number;
  decl?: Declaration;
};

export type Node =
  | { k: 'text'; text: string }
  | { k: 'action'; pipe: Pipeline }
  | { k: 'break'; offset: number }
  | { k: 'continue'; offset: number }
  | { k: 'template'; name: string; pipe?: Pipeline; offset: number }
  | {
      k: 'if' | 'with' | 'range';
      pipe: Pipeline;
      then: Node[];
      otherwise: Node[];
    };

/** A template and the ones it defines (`define`, `block`), by name. */
export type ParsedTemplate = {
  nodes: Node[];
  definitions: Map<string, Node[]>;
};

/** Variables visible at a point of the template (Go checks them at parse time). */
class Scope {
  names: string[] = [];
  has(name: string) {
    return this.names.includes(name);
  }
}

class TokenStream {
  i = 0;
  constructor(
    readonly tokens: Token[],
    readonly endOffset: number,
    readonly scope: Scope,
  ) {}
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
      if (!token.name)
        return {
          k: 'fields',
          base: 'root',
          chain: chainAfter(stream),
          offset,
        };
      if (!stream.scope.has(token.name))
        throw new TemplateFailure(
          offset,
          `undefined variable "$${token.name}"`,
        );
      return { k: 'var', name: token.name, chain: chainAfter(stream), offset };
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

/** `$x :=`, `$x =` or (range) `$i, $v :=` at the start of a pipeline. */
function parseDeclaration(
  stream: TokenStream,
  maxNames: number,
): Declaration | undefined {
  const tokens = stream.tokens.slice(stream.i);
  const names: string[] = [];
  let j = 0;
  while (tokens[j]?.t === 'variable' && (tokens[j] as { name: string }).name) {
    names.push((tokens[j] as { name: string }).name);
    if (tokens[j + 1]?.t !== 'comma') break;
    j += 2;
  }
  const operator = tokens[names.length * 2 - 1];
  if (
    names.length === 0 ||
    (operator?.t !== 'declare' && operator?.t !== 'assign')
  )
    return undefined;
  if (names.length > maxNames)
    throw new TemplateFailure(tokens[0].offset, 'too many declarations');
  const assign = operator.t === 'assign';
  if (assign)
    for (const name of names)
      if (!stream.scope.has(name))
        throw new TemplateFailure(
          tokens[0].offset,
          `undefined variable "$${name}"`,
        );
  stream.i += names.length * 2;
  return { names, assign };
}

function parsePipeline(
  stream: TokenStream,
  functions: Set<string>,
  until?: 'rparen',
  maxDeclarations = 0,
): Pipeline {
  const decl = maxDeclarations
    ? parseDeclaration(stream, maxDeclarations)
    : undefined;
  const pipe = parseCommands(stream, functions, until);
  if (decl && !decl.assign) stream.scope.names.push(...decl.names);
  return decl ? { ...pipe, decl } : pipe;
}

function parseCommands(
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
export function parseTemplate(
  text: string,
  functions: Set<string>,
): ParsedTemplate {
  const segments = splitTemplate(text);
  const scope = new Scope();
  const definitions = new Map<string, Node[]>();
  let index = 0;
  let rangeDepth = 0;
  let topLevel = true;

  /** `"name"` then an optional pipeline: the head of template, block and define. */
  function namedHead(
    keyword: string,
    tokens: Token[],
    endOffset: number,
    offset: number,
  ): { name: string; pipe?: Pipeline } {
    const name = tokens[0];
    if (name?.t !== 'string')
      throw new TemplateFailure(
        offset,
        `unexpected token in ${keyword} clause: expected a quoted template name`,
      );
    const rest = tokens.slice(1);
    if (rest.length === 0) return { name: name.value };
    if (keyword === 'define')
      throw new TemplateFailure(
        rest[0].offset,
        'unexpected content in define clause',
      );
    const stream = new TokenStream(rest, endOffset, scope);
    return {
      name: name.value,
      pipe: parsePipeline(stream, functions, undefined, 0),
    };
  }

  /** The body of a define or block: its own variable scope (only `$`), until {{end}}. */
  function parseDefinition(offset: number): Node[] {
    const [savedNames, savedDepth, savedTop] = [
      scope.names,
      rangeDepth,
      topLevel,
    ];
    scope.names = [];
    rangeDepth = 0;
    topLevel = false;
    const body = parseBlock(true);
    [scope.names, rangeDepth, topLevel] = [savedNames, savedDepth, savedTop];
    if (body.ending?.keyword !== 'end' || body.ending.tokens.length)
      throw new TemplateFailure(
        offset,
        'expected {{end}} to close the definition',
      );
    return body.nodes;
  }

  /** Go's define, template, block, break and continue actions; false when `keyword` is none of them. */
  function parseTemplateAction(
    keyword: string,
    tokens: Token[],
    endOffset: number,
    offset: number,
    nodes: Node[],
  ): boolean {
    if (keyword === 'break' || keyword === 'continue') {
      if (rangeDepth === 0)
        throw new TemplateFailure(offset, `{{${keyword}}} outside {{range}}`);
      if (tokens.length)
        throw new TemplateFailure(
          tokens[0].offset,
          `unexpected content in {{${keyword}}}`,
        );
      nodes.push(
        keyword === 'break'
          ? { k: 'break', offset }
          : { k: 'continue', offset },
      );
      return true;
    }
    if (keyword === 'define') {
      if (!topLevel)
        throw new TemplateFailure(
          offset,
          'unexpected {{define}}: only at the top level',
        );
      const { name } = namedHead(keyword, tokens, endOffset, offset);
      definitions.set(name, parseDefinition(offset));
      return true;
    }
    if (keyword === 'template' || keyword === 'block') {
      const { name, pipe } = namedHead(keyword, tokens, endOffset, offset);
      // block = define (unless a define of that name overrides it) + template.
      if (keyword === 'block') {
        const body = parseDefinition(offset);
        if (!definitions.has(name)) definitions.set(name, body);
      }
      nodes.push({ k: 'template', name, ...(pipe && { pipe }), offset });
      return true;
    }
    return false;
  }

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
      if (
        parseTemplateAction(
          keyword,
          tokens.slice(1),
          endOffset,
          first.offset,
          nodes,
        )
      )
        continue;
      if (keyword === 'if' || keyword === 'with' || keyword === 'range') {
        const mark = scope.names.length;
        const wasTop = topLevel;
        topLevel = false;
        nodes.push(
          parseControl(keyword, tokens.slice(1), endOffset, first.offset),
        );
        topLevel = wasTop;
        scope.names.length = mark;
        continue;
      }
      const stream = new TokenStream(tokens, endOffset, scope);
      nodes.push({
        k: 'action',
        pipe: parsePipeline(stream, functions, undefined, 1),
      });
    }
    if (inside)
      throw new TemplateFailure(text.length, 'unexpected EOF: missing {{end}}');
    return { nodes };
  }

  function parseControl(
    keyword: 'if' | 'with' | 'range',
    condition: Token[],
    endOffset: number,
    offset: number,
  ): Node {
    if (condition.length === 0)
      throw new TemplateFailure(offset, `missing value for ${keyword}`);
    const pipe = parsePipeline(
      new TokenStream(condition, endOffset, scope),
      functions,
      undefined,
      keyword === 'range' ? 2 : 1,
    );
    if (keyword === 'range') rangeDepth++;
    const then = parseBlock(true);
    if (keyword === 'range') rangeDepth--;
    const ending = then.ending!;
    if (ending.keyword === 'end') {
      if (ending.tokens.length)
        throw new TemplateFailure(
          ending.offset,
          'unexpected content after end',
        );
      return { k: keyword, pipe, then: then.nodes, otherwise: [] };
    }
    const elseIf = ending.tokens[0];
    if (
      elseIf?.t === 'identifier' &&
      (elseIf.name === 'if' || elseIf.name === 'with') &&
      keyword !== 'range'
    ) {
      const mark = scope.names.length;
      const inner = parseControl(
        elseIf.name,
        ending.tokens.slice(1),
        endOffset,
        elseIf.offset,
      );
      scope.names.length = mark;
      return { k: keyword, pipe, then: then.nodes, otherwise: [inner] };
    }
    if (ending.tokens.length)
      throw new TemplateFailure(ending.offset, 'unexpected content after else');
    const otherwise = parseBlock(true);
    if (otherwise.ending?.keyword !== 'end')
      throw new TemplateFailure(
        ending.offset,
        'expected {{end}} after {{else}}',
      );
    return { k: keyword, pipe, then: then.nodes, otherwise: otherwise.nodes };
  }

  return { nodes: parseBlock(false).nodes, definitions };
}
