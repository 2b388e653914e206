import { FunctionFailure, TEMPLATE_FUNCTIONS } from './functions';
import type { Command, Node, Operand, Pipeline } from './parser';
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

class Evaluator {
  constructor(readonly ctx: EvaluationContext) {}

  nodes(nodes: Node[], out: Uint8Array[]): void {
    for (const node of nodes) {
      if (node.k === 'text') out.push(toBytes(node.text));
      else if (node.k === 'action')
        out.push(toBytes(formatValue(this.pipeline(node.pipe))));
      else
        this.nodes(
          isTruthy(this.pipeline(node.pipe)) ? node.then : node.otherwise,
          out,
        );
    }
  }

  pipeline(pipe: Pipeline): TValue {
    let piped: TValue | typeof NO_VALUE = NO_VALUE;
    for (const command of pipe.commands) piped = this.command(command, piped);
    return piped as TValue;
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
    const fn = TEMPLATE_FUNCTIONS[first.name];
    const args = rest.map(arg => this.operand(arg));
    if (piped !== NO_VALUE) args.push(piped);
    if (first.name === 'index' && args[0] === this.ctx.root)
      this.checkIndexInput(args, first.offset);
    if (args.length < fn.min || args.length > fn.max) {
      throw new TemplateFailure(
        first.offset,
        `wrong number of args for ${first.name}: got ${args.length}`,
      );
    }
    if (first.name !== 'index' && args.includes(this.ctx.root))
      this.checkWholeRoot(first.offset);
    try {
      return fn.call(args);
    } catch (e) {
      if (e instanceof FunctionFailure)
        throw new TemplateFailure(first.offset, `error calling ${e.message}`);
      throw e;
    }
  }

  operand(operand: Operand): TValue {
    switch (operand.k) {
      case 'literal':
        if (typeof operand.value === 'number' && operand.float)
          return new Float64(operand.value);
        return operand.value;
      case 'fields':
        return this.fields(this.ctx.root, operand.chain, operand.offset, true);
      case 'sub':
        return this.fields(
          this.pipeline(operand.pipe),
          operand.chain,
          operand.offset,
          false,
        );
      default:
        throw new TemplateFailure(
          operand.offset,
          `function "${operand.name}" must be the first word of a command`,
        );
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

function describe(operand: Operand): string {
  if (operand.k === 'fields')
    return operand.chain.length ? `.${operand.chain.join('.')}` : '.';
  if (operand.k === 'literal') return JSON.stringify(operand.value);
  return '(...)';
}

/** Executes parsed nodes; throws TemplateFailure. */
export function evaluateTemplate(
  nodes: Node[],
  ctx: EvaluationContext,
): Uint8Array {
  const out: Uint8Array[] = [];
  new Evaluator(ctx).nodes(nodes, out);
  return Buffer.concat(out);
}
