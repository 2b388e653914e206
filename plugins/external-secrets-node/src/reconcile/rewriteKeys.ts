import type { ExternalSecretRewrite } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { renderTemplate } from '../template/renderTemplate';
import { TemplateError } from '../template/TemplateError';
import { SecretValue } from '../values/SecretValue';
import {
  compileGoRegexp,
  goReplaceAll,
  GoRegexpError,
  type GoRegExp,
} from './goRegexp';

/** Renames one remote key; throws `RewriteError` naming the operation. */
export type KeyRewriter = (key: string) => string;

/** A rewrite that cannot run; the message names `rewrite[i]` and the cause, never a value. */
export class RewriteError extends Error {
  readonly name = 'RewriteError';
}

function regexpStep(
  op: NonNullable<ExternalSecretRewrite['regexp']>,
): KeyRewriter {
  let re: GoRegExp;
  try {
    re = compileGoRegexp(op.source);
  } catch (e) {
    if (!(e instanceof GoRegexpError)) throw e;
    throw new RewriteError(`rewrite: ${e.message}`);
  }
  return key => goReplaceAll(re, key, op.target);
}

/**
 * ESO's RewriteTransform (runtime/esutils/utils.go): the template runs with
 * `{"value": key}` as its data, and its output is the new key. Only the key
 * name is the input, so the template sees no secret value.
 */
function transformStep(
  op: NonNullable<ExternalSecretRewrite['transform']>,
  i: number,
): KeyRewriter {
  return key => {
    try {
      return renderTemplate({
        name: `rewrite[${i}].transform`,
        text: op.template,
        data: new Map([['value', SecretValue.fromString(key)]]),
      }).text();
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      throw new RewriteError(
        `rewrite[${i}].transform failed for remote key "${key}": ${e.message}`,
      );
    }
  };
}

/**
 * The rewrite operations of one dataFrom entry as one function, applied in
 * order as ESO's RewriteMap does. `merge` is not implemented (the entry is
 * reported unsupported before this runs). Throws `RewriteError`.
 */
export function compileRewrites(
  rewrites: readonly ExternalSecretRewrite[],
): KeyRewriter {
  const steps = rewrites.map((op, i): KeyRewriter => {
    if (op.regexp) return regexpStep(op.regexp);
    if (op.transform) return transformStep(op.transform, i);
    return key => key;
  });
  return key => steps.reduce((current, step) => step(current), key);
}
