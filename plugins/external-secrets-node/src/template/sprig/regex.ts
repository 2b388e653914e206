import { compileGoRegExp } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import type { GoRegExp } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { goReplaceAll } from '../../reconcile/goRegexp';
import {
  fail,
  str,
  text,
  toInt,
  withMustVariants,
  type Fn,
} from '../functionSupport';
import type { TValue } from '../values';

function regexp(fn: string, source: TValue): GoRegExp {
  const compiled = compileGoRegExp(text(fn, source));
  if (!compiled.ok)
    return fail(`${fn}: error parsing regexp: ${compiled.reason}`);
  return compiled.regExp;
}

/** Go's FindAllString with n < 0 meaning all. */
function findAll(re: GoRegExp, s: string, n: number): string[] {
  const out: string[] = [];
  let from = 0;
  let prevEnd = -1;
  while (from <= s.length && (n < 0 || out.length < n)) {
    const match = re.find(s, from);
    if (!match) break;
    if (!(match.start === match.end && match.start === prevEnd))
      out.push(s.slice(match.start, match.end));
    prevEnd = match.end;
    from = match.end > match.start ? match.end : match.end + 1;
  }
  return out;
}

/** Go's Regexp.Split. */
function regexSplit(re: GoRegExp, s: string, n: number): string[] {
  if (n === 0) return [];
  if (s === '' && re.source === '') return [''];
  const out: string[] = [];
  let beg = 0;
  let from = 0;
  let prevEnd = -1;
  while (from <= s.length) {
    if (n > 0 && out.length === n - 1) break;
    const match = re.find(s, from);
    if (!match) break;
    const empty = match.start === match.end;
    if (!(empty && (match.start === 0 || match.start === prevEnd))) {
      if (!(empty && match.start === s.length) || match.start > beg) {
        out.push(s.slice(beg, match.start));
        beg = match.end;
      }
    }
    prevEnd = match.end;
    from = empty ? match.end + 1 : match.end;
  }
  if (beg <= s.length) out.push(s.slice(beg));
  return out;
}

/** sprig's regex functions (runtime/template/v2/sprig/regex.go): Go's RE2, linear time. */
export const REGEX_FUNCTIONS: Record<string, Fn> = withMustVariants(
  {
    regexMatch: {
      min: 2,
      max: 2,
      call: ([re, s]) => regexp('regexMatch', re).test(text('regexMatch', s)),
    },
    regexFind: {
      min: 2,
      max: 2,
      call: ([re, s]) =>
        findAll(regexp('regexFind', re), text('regexFind', s), 1)[0] ?? '',
    },
    regexFindAll: {
      min: 3,
      max: 3,
      call: ([re, s, n]) =>
        findAll(regexp('regexFindAll', re), text('regexFindAll', s), toInt(n)),
    },
    regexReplaceAll: {
      min: 3,
      max: 3,
      call: ([re, s, repl]) =>
        goReplaceAll(
          regexp('regexReplaceAll', re),
          text('regexReplaceAll', s),
          text('regexReplaceAll', repl),
        ),
    },
    regexReplaceAllLiteral: {
      min: 3,
      max: 3,
      call: ([re, s, repl]) =>
        goReplaceAll(
          regexp('regexReplaceAllLiteral', re),
          text('regexReplaceAllLiteral', s),
          text('regexReplaceAllLiteral', repl).replace(/\$/g, '$$$$'),
        ),
    },
    regexSplit: {
      min: 3,
      max: 3,
      call: ([re, s, n]) =>
        regexSplit(regexp('regexSplit', re), text('regexSplit', s), toInt(n)),
    },
    regexQuoteMeta: str(
      'regexQuoteMeta',
      s => s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&'),
      1,
    ),
  },
  [
    'regexMatch',
    'regexFind',
    'regexFindAll',
    'regexReplaceAll',
    'regexReplaceAllLiteral',
    'regexSplit',
  ],
);
