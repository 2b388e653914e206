import { ParseResult, ValidationIssue } from '../types/validation';
import { issueAt } from './createIssue';

/** Issues that stand for a parser crash, not for a clean rejection of the input. */
const crashIssues = new WeakSet<ValidationIssue>();

/**
 * Parsers promise never to throw. Should an unforeseen input still break one
 * (a hostile getter, stack exhaustion), the caller gets an issue, not a crash.
 * The error's message is not echoed: it could quote input.
 */
export function guardedParse<T>(parse: () => ParseResult<T>): ParseResult<T> {
  try {
    return parse();
  } catch (error) {
    const name = (error as { name?: unknown } | undefined)?.name;
    const kind = typeof name === 'string' ? name : typeof error;
    const issue = issueAt([], `could not be validated (${kind})`);
    crashIssues.add(issue);
    return { ok: false, issues: [issue] };
  }
}

/**
 * True for the issue guardedParse returns when the parser threw: tests tell a
 * crash (a bug) from a clean rejection (a validation message with a path).
 */
export function isCrashIssue(issue: ValidationIssue): boolean {
  return crashIssues.has(issue);
}
