import type { SecretValue } from '../values/SecretValue';
import { SecretValue as Value } from '../values/SecretValue';
import { evaluateTemplate } from './evaluate';
import { STRING_MAPS, TEMPLATE_FUNCTION_NAMES } from './functions';
import { parseTemplate } from './parser';
import { TemplateError, TemplateFailure } from './TemplateError';
import { fromBytes, type TMap } from './values';

/**
 * Input of `renderTemplate`.
 *
 * @public
 */
export type RenderTemplateInput = {
  /** The template key (for errors), e.g. `config.yaml`. */
  name: string;
  /** Go text/template source. */
  text: string;
  /** The template's `.`: the fetched secret data. */
  data: Map<string, SecretValue>;
  /**
   * Why a key missing from `data` is unavailable (its read failed), so the error
   * says so instead of "no entry". Called with `''` when a function receives
   * the whole data map: return a reason if any input is unavailable.
   */
  unavailable?: (key: string) => string | undefined;
};

/**
 * Renders one ESO `engineVersion: v2` template value with the supported Go
 * text/template subset (`{{ .key }}`, pipelines, parentheses, `if/else`, trim
 * markers, comments and the functions listed in the README), with ESO's
 * `missingkey=error`. Throws `TemplateError` naming the key and `line:column`.
 *
 * @public
 */
export function renderTemplate(input: RenderTemplateInput): SecretValue {
  const root: TMap = new Map(
    [...input.data].map(([k, v]) => [k, fromBytes(v.bytes())]),
  );
  STRING_MAPS.add(root);
  try {
    const parsed = parseTemplate(input.text, TEMPLATE_FUNCTION_NAMES);
    const bytes = evaluateTemplate(parsed, {
      root,
      unavailable: input.unavailable ?? (() => undefined),
    });
    return Value.fromBytes(bytes);
  } catch (e) {
    if (!(e instanceof TemplateFailure)) throw e;
    const before = input.text.slice(0, e.offset);
    throw new TemplateError({
      templateName: input.name,
      line: before.split('\n').length,
      column: e.offset - before.lastIndexOf('\n'),
      cause: e.cause,
      unavailableInput: e.unavailableInput,
    });
  }
}
