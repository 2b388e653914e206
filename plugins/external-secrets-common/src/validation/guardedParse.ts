import { ParseResult } from '../types/validation';
import { issueAt } from './createIssue';

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
    return {
      ok: false,
      issues: [issueAt([], `could not be validated (${kind})`)],
    };
  }
}
