import { z } from 'zod';
import { ValidationIssue } from '../types/validation';
import { unknownFieldAt } from './createIssue';
import { PathSegment } from './fieldPath';
import { isRecord } from './rawValue';

/** Schemas whose extra fields are legitimate (Kubernetes metadata, status). */
const openSchemas = new WeakSet<z.ZodType>();

/**
 * Marks an object schema as open: fields it does not list are not reported.
 * The schema still strips them from its output.
 */
export function allowExtraFields<T extends z.ZodType>(schema: T): T {
  openSchemas.add(schema);
  return schema;
}

/** Peels wrappers (optional, default, pipe, ...) off a schema. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  for (;;) {
    if (
      current instanceof z.ZodOptional ||
      current instanceof z.ZodNullable ||
      current instanceof z.ZodDefault ||
      current instanceof z.ZodPrefault ||
      current instanceof z.ZodCatch ||
      current instanceof z.ZodReadonly
    ) {
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodPipe) {
      current = current.in as z.ZodType;
    } else {
      return current;
    }
  }
}

function walk(
  schema: z.ZodType,
  value: unknown,
  path: PathSegment[],
  out: ValidationIssue[],
): void {
  if (openSchemas.has(schema)) return;
  const inner = unwrap(schema);
  if (openSchemas.has(inner)) return;
  if (inner instanceof z.ZodObject) {
    if (!isRecord(value)) return;
    const shape = inner.shape as Record<string, z.ZodType>;
    const open = inner.def.catchall !== undefined;
    for (const key of Object.keys(value)) {
      if (Object.hasOwn(shape, key)) {
        walk(shape[key], value[key], [...path, key], out);
      } else if (!open) {
        out.push(unknownFieldAt([...path, key]));
      }
    }
  } else if (inner instanceof z.ZodArray) {
    if (!Array.isArray(value)) return;
    value.forEach((item, i) =>
      walk(inner.element as z.ZodType, item, [...path, i], out),
    );
  } else if (inner instanceof z.ZodRecord) {
    if (!isRecord(value)) return;
    for (const key of Object.keys(value)) {
      walk(inner.valueType as z.ZodType, value[key], [...path, key], out);
    }
  }
}

/**
 * Warnings for fields the schema does not know (`<path>: unknown field,
 * ignored`). The schema is the single source of truth for known fields, so a
 * field added to a schema stops being reported automatically.
 */
export function findUnknownFields(
  schema: z.ZodType,
  value: unknown,
  path: readonly PathSegment[],
): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  walk(schema, value, [...path], out);
  return out;
}
