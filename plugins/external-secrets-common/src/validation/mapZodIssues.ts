import { z } from 'zod';
import { ValidationIssue } from '../types/validation';
import { issueAt } from './createIssue';
import { PathSegment } from './fieldPath';
import { valueAt } from './rawValue';

type ZodIssue = z.core.$ZodIssue;

const EXPECTED_TYPE: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'a boolean',
  object: 'an object',
  record: 'an object',
  array: 'a list',
};

/** Strips zod's `/.../flags` rendering of a pattern back to its source. */
function patternSource(pattern: string): string {
  const match = /^\/(.*)\/[a-z]*$/s.exec(pattern);
  return match ? match[1] : pattern;
}

function plural(count: number | bigint, noun: string): string {
  return `${count} ${noun}${Number(count) === 1 ? '' : 's'}`;
}

function sizeRule(issue: ZodIssue & { code: 'too_small' | 'too_big' }): string {
  const small = issue.code === 'too_small';
  const limit = small ? issue.minimum : issue.maximum;
  const bound = small ? 'at least' : 'at most';
  switch (issue.origin) {
    case 'string':
      return small && Number(limit) === 1
        ? 'must not be empty'
        : `must be ${bound} ${plural(limit, 'character')}`;
    case 'array':
    case 'set':
      return `must have ${bound} ${plural(limit, 'item')}`;
    default: {
      const op = `${small ? '>' : '<'}${issue.inclusive === false ? '' : '='}`;
      return `must be ${op} ${String(limit)}`;
    }
  }
}

/** The rule part of a message, in our words; raw zod messages never leak. */
function ruleFor(issue: ZodIssue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return value === undefined
        ? 'is required'
        : `must be ${EXPECTED_TYPE[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${String(issue.values[0])}`
        : `must be one of ${issue.values.map(String).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'regex' && 'pattern' in issue && issue.pattern
        ? `must match ${patternSource(issue.pattern)}`
        : `must be a valid ${issue.format}`;
    case 'too_small':
    case 'too_big':
      return sizeRule(issue);
    case 'custom':
      // Only our own refinements raise custom issues; their message is the rule.
      return issue.message;
    default:
      return 'is invalid';
  }
}

/**
 * Turns zod issues into `<path> <value>: <rule>` issues, keeping the first
 * issue per path (an empty string should read "must not be empty", not also
 * "must match ...").
 */
export function mapZodIssues(
  issues: readonly ZodIssue[],
  raw: unknown,
  basePath: readonly PathSegment[],
): ValidationIssue[] {
  const seen = new Set<string>();
  const mapped: ValidationIssue[] = [];
  for (const issue of issues) {
    const relative = issue.path.filter(
      (segment): segment is PathSegment => typeof segment !== 'symbol',
    );
    const value = valueAt(raw, relative);
    const result = issueAt(
      [...basePath, ...relative],
      ruleFor(issue, value),
      value,
    );
    if (seen.has(result.path)) continue;
    seen.add(result.path);
    mapped.push(result);
  }
  return mapped;
}
