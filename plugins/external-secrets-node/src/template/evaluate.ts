import { FunctionFailure, TEMPLATE_FUNCTIONS } from './functions';
import type {
  Command,
  Node,
  Operand,
  ParsedTemplate,
  Pipeline,
} from './parser';
import { TemplateFailure } from './TemplateError';
import {
  Float64,
  formatValue,
  isTruthy,
  toBytes,
  typeName,
  type TMap,
  type TValue,
} from './values';

/** What the evaluator needs to know about the data map (the template's `.`). */
export type EvaluationContext = {
  root: TMap;
  /** Why an input key is unavailable (its read failed), or undefined if it is simply absent. */
  unavailable: (key: string) => string | undefined;
};

const NO_VALUE = Symbol('no piped value');

type Variable = { name: string; value: TValue };
type ControlNode = Extract<Node, { k: 'if' | 'with' | 'range' }>;

/** {{break}} / {{continue}}: unwinds to the innermost range. */
class LoopSignal {
  constructor(readonly kind: 'break' | 'continue') {}
}

/** Go's maxExecDepth guards recursive {{template}} calls. */
const MAX_TEMPLATE_DEPTH = 1000;

class Evaluator {
  /** Go's dot: the data map, or what `range`/`with` set. */
  dot: TValue;
  /** Variables in scope, innermost last (Go's exec state vars). */
  vars: Variable[] = [];

  constructor(
    readonly ctx: EvaluationContext,
    readonly definitions: Map<string, Node[]> = new Map(),
    readonly depth = 0,
  ) {
    this.dot = ctx.root;
  }

  /** Go's {{template "name" pipeline}}: the definition with the value as both `.` and `$`. */
  invoke(node: Extract<Node, { k: 'template' }>, out: Uint8Array[]): void {
    const body = this.definitions.get(node.name);
    if (!body)
      throw new TemplateFailure(node.offset, `no such template "${node.name}"`);
    if (this.depth >= MAX_TEMPLATE_DEPTH)
      throw new TemplateFailure(
        node.offset,
        `exceeded maximum template depth (${MAX_TEMPLATE_DEPTH})`,
      );
    const value = node.pipe ? this.evaluate(node.pipe) : null;
    const root = (value instanceof Map ? value : new Map()) as TMap;
    const inner = new Evaluator(
      { ...this.ctx, root },
      this.definitions,
      this.depth + 1,
    );
    inner.dot = value;
    inner.nodes(body, out);
  }

  nodes(nodes: Node[], out: Uint8Array[]): void {
    for (const node of nodes) {
      if (node.k === 'text') out.push(toBytes(node.text));
      else if (node.k === 'break' || node.k === 'continue')
        throw new LoopSignal(node.k);
      else if (node.k === 'template') this.invoke(node, out);
      else if (node.k === 'action') {
        const value = this.pipeline(node.pipe);
        // Go prints nothing for an action that declares or assigns a variable.
        if (!node.pipe.decl) out.push(toBytes(formatValue(value)));
      } else this.control(node, out);
    }
  }

  /** if / with / range: variables declared inside end with the block, as in Go. */
  control(node: ControlNode, out: Uint8Array[]): void {
    const mark = this.vars.length;
    try {
      if (node.k === 'range') this.range(node, out);
      else {
        const value = this.pipeline(node.pipe);
        if (!isTruthy(value)) this.nodes(node.otherwise, out);
        else if (node.k === 'if') this.nodes(node.then, out);
        else this.withDot(value, () => this.nodes(node.then, out));
      }
    } finally {
      this.vars.length = mark;
    }
  }

  withDot(dot: TValue, run: () => void): void {
    const saved = this.dot;
    this.dot = dot;
    try {
      run();
    } finally {
      this.dot = saved;
    }
  }

  /** Go's walkRange: lists in order, maps by sorted key, an int n as 0..n-1. */
  range(node: ControlNode, out: Uint8Array[]): void {
    const value = this.evaluate(node.pipe);
    const items = rangeItems(value, node.pipe.offset);
    if (items.length === 0) {
      this.nodes(node.otherwise, out);
      return;
    }
    const names = node.pipe.decl?.names ?? [];
    for (const [key, element] of items) {
      const mark = this.vars.length;
      if (names.length === 1)
        this.vars.push({ name: names[0], value: element });
      if (names.length === 2) {
        this.vars.push({ name: names[0], value: key });
        this.vars.push({ name: names[1], value: element });
      }
      try {
        this.withDot(element, () => this.nodes(node.then, out));
      } catch (e) {
        if (!(e instanceof LoopSignal)) throw e;
        if (e.kind === 'break') {
          this.vars.length = mark;
          break;
        }
      }
      this.vars.length = mark;
    }
  }

  /** A pipeline's value, then its declaration or assignment. */
  pipeline(pipe: Pipeline): TValue {
    const value = this.evaluate(pipe);
    const decl = pipe.decl;
    if (decl && decl.assign)
      this.variable(decl.names[0], pipe.offset).value = value;
    else if (decl) this.vars.push({ name: decl.names[0], value });
    return value;
  }

  evaluate(pipe: Pipeline): TValue {
    let piped: TValue | typeof NO_VALUE = NO_VALUE;
    for (const command of pipe.commands) piped = this.command(command, piped);
    return piped as TValue;
  }

  variable(name: string, offset: number): Variable {
    for (let i = this.vars.length - 1; i >= 0; i--)
      if (this.vars[i].name === name) return this.vars[i];
    throw new TemplateFailure(offset, `undefined variable: $${name}`);
  }

  command(command: Command, piped: TValue | typeof NO_VALUE): TValue {
    const [first, ...rest] = command.args;
    if (first.k !== 'function') {
      if (rest.length > 0 || piped !== NO_VALUE) {
        throw new TemplateFailure(
          first.offset,
          `can't give argument to non-function ${describe(first)}`,
        );
      }
      return this.operand(first);
    }
    const args = rest.map(arg => this.operand(arg));
    if (piped !== NO_VALUE) args.push(piped);
    if (first.name === 'index' && args[0] === this.ctx.root)
      this.checkIndexInput(args, first.offset);
    if (first.name !== 'index' && args.includes(this.ctx.root))
      this.checkWholeRoot(first.offset);
    return this.callFunction(first.name, args, first.offset);
  }

  callFunction(name: string, args: TValue[], offset: number): TValue {
    const fn = TEMPLATE_FUNCTIONS[name];
    if (args.length < fn.min || args.length > fn.max) {
      throw new TemplateFailure(
        offset,
        `wrong number of args for ${name}: got ${args.length}`,
      );
    }
    try {
      return fn.call(args);
    } catch (e) {
      if (e instanceof FunctionFailure)
        throw new TemplateFailure(offset, `error calling ${e.message}`);
      throw e;
    }
  }

  operand(operand: Operand): TValue {
    switch (operand.k) {
      case 'literal':
        if (typeof operand.value === 'number' && operand.float)
          return new Float64(operand.value);
        return operand.value;
      case 'fields': {
        const base = operand.base === 'root' ? this.ctx.root : this.dot;
        return this.fields(
          base,
          operand.chain,
          operand.offset,
          base === this.ctx.root,
        );
      }
      case 'var': {
        const value = this.variable(operand.name, operand.offset).value;
        return this.fields(
          value,
          operand.chain,
          operand.offset,
          value === this.ctx.root,
        );
      }
      case 'sub':
        return this.fields(
          this.pipeline(operand.pipe),
          operand.chain,
          operand.offset,
          false,
        );
      default:
        // Go's evalArg: a function named as an argument is called without arguments.
        return this.callFunction(operand.name, [], operand.offset);
    }
  }

  fields(
    start: TValue,
    chain: string[],
    offset: number,
    fromRoot: boolean,
  ): TValue {
    let value = start;
    chain.forEach((name, i) => {
      if (value instanceof Map) {
        if (!value.has(name)) this.missing(name, offset, fromRoot && i === 0);
        value = value.get(name)!;
      } else if (value === null) {
        throw new TemplateFailure(
          offset,
          `nil pointer evaluating interface {}.${name}`,
        );
      } else {
        throw new TemplateFailure(
          offset,
          `can't evaluate field ${name} in type ${typeName(value)}`,
        );
      }
    });
    return value;
  }

  missing(name: string, offset: number, isInput: boolean): never {
    const why = isInput ? this.ctx.unavailable(name) : undefined;
    if (why)
      throw new TemplateFailure(
        offset,
        `input "${name}" is unavailable: ${why}`,
        name,
      );
    throw new TemplateFailure(offset, `map has no entry for key "${name}"`);
  }

  checkIndexInput(args: TValue[], offset: number) {
    const key = args[1];
    if (typeof key !== 'string' || this.ctx.root.has(key)) return;
    const why = this.ctx.unavailable(key);
    if (why)
      throw new TemplateFailure(
        offset,
        `input "${key}" is unavailable: ${why}`,
        key,
      );
  }

  /** A function given the whole data map would see partial data when an input failed. */
  checkWholeRoot(offset: number) {
    const why = this.ctx.unavailable('');
    if (why)
      throw new TemplateFailure(
        offset,
        `the data map is incomplete: ${why}`,
        '.',
      );
  }
}

function rangeItems(value: TValue, offset: number): [TValue, TValue][] {
  if (Array.isArray(value)) return value.map((v, i) => [i, v]);
  if (value instanceof Map)
    return [...value.keys()]
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
      .map(k => [k, value.get(k)!]);
  if (typeof value === 'number' && Number.isInteger(value))
    return Array.from({ length: Math.max(0, value) }, (_, i) => [i, i]);
  if (value === null) return [];
  throw new TemplateFailure(
    offset,
    `range can't iterate over ${formatText(value)}`,
  );
}

function formatText(value: TValue): string {
  const text = formatValue(value);
  return typeof text === 'string' ? text : '<binary>';
}

function describe(operand: Operand): string {
  if (operand.k === 'var')
    return `$${[operand.name, ...operand.chain].join('.')}`;
  if (operand.k === 'fields')
    return operand.chain.length ? `.${operand.chain.join('.')}` : '.';
  if (operand.k === 'literal') return JSON.stringify(operand.value);
  return '(...)';
}

/** Executes parsed nodes; throws TemplateFailure. */
export function evaluateTemplate(
  parsed: ParsedTemplate,
  ctx: EvaluationContext,
): Uint8Array {
  const out: Uint8Array[] = [];
  new Evaluator(ctx, parsed.definitions).nodes(parsed.nodes, out);
  return Buffer.concat(out);
}
