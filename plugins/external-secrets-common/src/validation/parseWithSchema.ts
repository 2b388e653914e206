import { z } from 'zod';
import { ValidationIssue } from '../types/validation';
import { findUnknownFields } from './findUnknownFields';
import { PathSegment } from './fieldPath';
import { mapZodIssues } from './mapZodIssues';

/** The outcome of a structural parse: the typed value when valid, and issues either way. */
export type SchemaParse<T> = { value?: T; issues: ValidationIssue[] };

/**
 * Structural validation of one part of a manifest: zod issues in our message
 * format, plus unknown-field warnings. Defaults declared in the schema are filled.
 */
export function parseWithSchema<T>(
  schema: z.ZodType<T>,
  raw: unknown,
  path: readonly PathSegment[],
): SchemaParse<T> {
  const parsed = schema.safeParse(raw);
  const warnings = findUnknownFields(schema, raw, path);
  if (parsed.success) return { value: parsed.data, issues: warnings };
  return {
    issues: [...mapZodIssues(parsed.error.issues, raw, path), ...warnings],
  };
}
