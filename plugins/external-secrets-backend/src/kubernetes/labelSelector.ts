/**
 * Kubernetes label selectors in their string form, as the apiserver parses them
 * (k8s.io/apimachinery/pkg/labels): `a=b`, `a==b`, `a!=b`, `a in (x,y)`,
 * `a notin (x,y)`, `a` (exists) and `!a` (does not exist), comma-separated and
 * all required.
 */

/** @internal */
export type LabelRequirement =
  | { key: string; operator: 'exists' | 'notExists' }
  | { key: string; operator: 'equals' | 'notEquals'; value: string }
  | { key: string; operator: 'in' | 'notIn'; values: string[] };

/** Thrown for a selector the apiserver would reject with 400 BadRequest. @internal */
export class LabelSelectorError extends Error {
  readonly name = 'LabelSelectorError';
}

type Token =
  | { type: 'word'; text: string }
  | { type: 'op'; text: '=' | '==' | '!=' | '!' | '(' | ')' | ',' };

const OPERATOR_CHARS = new Set(['=', '!', '(', ')', ',']);
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function tokenize(selector: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < selector.length) {
    const char = selector[i];
    if (/\s/.test(char)) {
      i += 1;
    } else if (selector.startsWith('==', i) || selector.startsWith('!=', i)) {
      tokens.push({ type: 'op', text: selector.slice(i, i + 2) as '==' });
      i += 2;
    } else if (OPERATOR_CHARS.has(char)) {
      tokens.push({ type: 'op', text: char as '=' });
      i += 1;
    } else {
      let end = i;
      while (
        end < selector.length &&
        !/\s/.test(selector[end]) &&
        !OPERATOR_CHARS.has(selector[end])
      ) {
        end += 1;
      }
      tokens.push({ type: 'word', text: selector.slice(i, end) });
      i = end;
    }
  }
  return tokens;
}

/** A label key: optional DNS-subdomain prefix and `/`, then a name of at most 63 characters. @internal */
export function isValidLabelKey(key: string): boolean {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined) {
    if (prefix.length === 0 || prefix.length > 253) return false;
    if (!DNS_SUBDOMAIN.test(prefix)) return false;
  }
  return name.length > 0 && name.length <= 63 && QUALIFIED_NAME.test(name);
}

/** A label value: empty, or at most 63 characters of `[A-Za-z0-9_.-]` starting and ending alphanumeric. @internal */
export function isValidLabelValue(value: string): boolean {
  return value === '' || (value.length <= 63 && QUALIFIED_NAME.test(value));
}

class Parser {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): LabelRequirement[] {
    if (this.tokens.length === 0) return [];
    const requirements = [this.requirement()];
    while (this.position < this.tokens.length) {
      this.expectOp(',');
      requirements.push(this.requirement());
    }
    return requirements;
  }

  private requirement(): LabelRequirement {
    if (this.peekOp('!')) {
      this.position += 1;
      return { key: this.key(), operator: 'notExists' };
    }
    const key = this.key();
    const next = this.tokens[this.position];
    if (!next || (next.type === 'op' && next.text === ',')) {
      return { key, operator: 'exists' };
    }
    if (next.type === 'op' && ['=', '==', '!='].includes(next.text)) {
      this.position += 1;
      const operator = next.text === '!=' ? 'notEquals' : 'equals';
      return { key, operator, value: this.value() };
    }
    if (next.type === 'word' && (next.text === 'in' || next.text === 'notin')) {
      this.position += 1;
      const operator = next.text === 'in' ? 'in' : 'notIn';
      return { key, operator, values: this.valueSet() };
    }
    throw new LabelSelectorError(
      `unable to parse requirement: found '${next.text}', expected: in, notin, =, ==, !=`,
    );
  }

  private key(): string {
    const token = this.tokens[this.position];
    if (!token || token.type !== 'word') {
      throw new LabelSelectorError(
        `unable to parse requirement: found '${
          token?.text ?? ''
        }', expected: identifier`,
      );
    }
    this.position += 1;
    if (!isValidLabelKey(token.text)) {
      throw new LabelSelectorError(
        `unable to parse requirement: invalid label key "${token.text}"`,
      );
    }
    return token.text;
  }

  /** A value may be empty (`a=`), which ends at a comma or the end. */
  private value(): string {
    const token = this.tokens[this.position];
    if (!token || (token.type === 'op' && token.text === ',')) return '';
    if (token.type !== 'word') {
      throw new LabelSelectorError(
        `unable to parse requirement: found '${token.text}', expected: identifier`,
      );
    }
    this.position += 1;
    if (!isValidLabelValue(token.text)) {
      throw new LabelSelectorError(
        `unable to parse requirement: invalid label value "${token.text}"`,
      );
    }
    return token.text;
  }

  private valueSet(): string[] {
    this.expectOp('(');
    const values: string[] = [];
    while (!this.peekOp(')')) {
      values.push(this.value());
      if (!this.peekOp(')')) this.expectOp(',');
    }
    this.expectOp(')');
    if (values.length === 0) {
      throw new LabelSelectorError(
        "unable to parse requirement: for 'in', 'notin' operators, values set can't be empty",
      );
    }
    return values;
  }

  private peekOp(text: string): boolean {
    const token = this.tokens[this.position];
    return token?.type === 'op' && token.text === text;
  }

  private expectOp(text: string): void {
    if (!this.peekOp(text)) {
      const found = this.tokens[this.position]?.text ?? 'end of input';
      throw new LabelSelectorError(
        `unable to parse requirement: found '${found}', expected: '${text}'`,
      );
    }
    this.position += 1;
  }
}

/** Parses a label selector string; throws LabelSelectorError on bad syntax. @internal */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  return new Parser(tokenize(selector)).parse();
}

function matchesRequirement(
  labels: Record<string, string>,
  requirement: LabelRequirement,
): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, requirement.key);
  const value = labels[requirement.key];
  switch (requirement.operator) {
    case 'exists':
      return has;
    case 'notExists':
      return !has;
    case 'equals':
      return has && value === requirement.value;
    case 'notEquals':
      return !has || value !== requirement.value;
    case 'in':
      return has && requirement.values.includes(value);
    case 'notIn':
      return !has || !requirement.values.includes(value);
    default:
      return false;
  }
}

/** True when the labels satisfy every requirement (an empty selector matches everything). @internal */
export function matchesLabelSelector(
  labels: Record<string, string> | undefined,
  requirements: LabelRequirement[],
): boolean {
  return requirements.every(r => matchesRequirement(labels ?? {}, r));
}
